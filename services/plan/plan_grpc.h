#ifndef TIENDO_SERVICES_PLAN_PLAN_GRPC_H_
#define TIENDO_SERVICES_PLAN_PLAN_GRPC_H_

#include "services/common/outbox.h"
#include "services/plan/plan_store.h"
#include "tiendo/v1/plan.grpc.pb.h"

namespace tiendo::plan {

// gRPC edge of the plan service: translates requests to PlanStore calls.
class PlanGrpcService final : public v1::PlanService::Service {
 public:
  PlanGrpcService(PlanStore& store, OutboxPublisher& publisher)
      : store_(store), publisher_(publisher) {}

  grpc::Status CreatePlan(grpc::ServerContext*,
                          const v1::CreatePlanRequest* request,
                          v1::Plan* response) override;
  grpc::Status GetPlan(grpc::ServerContext*, const v1::GetPlanRequest* request,
                       v1::Plan* response) override;
  grpc::Status ListPlans(grpc::ServerContext*,
                         const v1::ListPlansRequest* request,
                         v1::ListPlansResponse* response) override;
  grpc::Status ListTasks(grpc::ServerContext*,
                         const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override;
  grpc::Status GetTask(grpc::ServerContext*, const v1::GetTaskRequest* request,
                       v1::TaskView* response) override;

 private:
  PlanStore& store_;
  OutboxPublisher& publisher_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_GRPC_H_
