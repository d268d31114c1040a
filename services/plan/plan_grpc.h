#ifndef TIENDO_SERVICES_PLAN_PLAN_GRPC_H_
#define TIENDO_SERVICES_PLAN_PLAN_GRPC_H_

#include "services/common/authenticator.h"
#include "services/common/outbox.h"
#include "services/plan/plan_import.h"
#include "services/plan/plan_store.h"
#include "tiendo/v1/plan.grpc.pb.h"

namespace tiendo::plan {

// gRPC edge of the plan service: translates requests to PlanStore calls.
class PlanGrpcService final : public v1::PlanService::Service {
 public:
  PlanGrpcService(PlanStore& store, OutboxPublisher& publisher,
                  const Authenticator& auth)
      : store_(store), importer_(store), publisher_(publisher), auth_(auth) {}

  grpc::Status CreatePlan(grpc::ServerContext* context,
                          const v1::CreatePlanRequest* request,
                          v1::CreatePlanResponse* response) override;
  grpc::Status GetPlan(grpc::ServerContext* context,
                       const v1::GetPlanRequest* request,
                       v1::GetPlanResponse* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context,
                         const v1::ListPlansRequest* request,
                         v1::ListPlansResponse* response) override;
  grpc::Status ListTasks(grpc::ServerContext* context,
                         const v1::ListTasksRequest* request,
                         v1::ListTasksResponse* response) override;
  grpc::Status GetTask(grpc::ServerContext* context,
                       const v1::GetTaskRequest* request,
                       v1::GetTaskResponse* response) override;
  grpc::Status ImportPlan(grpc::ServerContext* context,
                          const v1::ImportPlanRequest* request,
                          v1::ImportPlanResponse* response) override;
  grpc::Status ListUnits(grpc::ServerContext* context,
                         const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override;
  grpc::Status AddUnit(grpc::ServerContext* context,
                       const v1::AddUnitRequest* request,
                       v1::AddUnitResponse* response) override;
  grpc::Status AddAgency(grpc::ServerContext* context,
                         const v1::AddAgencyRequest* request,
                         v1::AddAgencyResponse* response) override;
  grpc::Status AddAgencyAlias(grpc::ServerContext* context,
                              const v1::AddAgencyAliasRequest* request,
                              v1::AddAgencyAliasResponse* response) override;
  grpc::Status ProposeTaskLinks(
      grpc::ServerContext* context, const v1::ProposeTaskLinksRequest* request,
      v1::ProposeTaskLinksResponse* response) override;
  grpc::Status SetTaskLinks(grpc::ServerContext* context,
                            const v1::SetTaskLinksRequest* request,
                            v1::SetTaskLinksResponse* response) override;
  grpc::Status CascadePlan(grpc::ServerContext* context,
                           const v1::CascadePlanRequest* request,
                           v1::CascadePlanResponse* response) override;
  grpc::Status RecordTrigger(grpc::ServerContext* context,
                             const v1::RecordTriggerRequest* request,
                             v1::RecordTriggerResponse* response) override;

 private:
  // PERMISSION_DENIED naming `field` unless `unit` is the caller's unit or
  // below it in the stored registry.
  absl::Status Within(const Credential& caller, const std::string& unit,
                      absl::string_view field);
  // Within() for the unit of a stored task or plan; an unknown one passes
  // (the call itself then answers NOT_FOUND).
  absl::Status TaskWithin(const Credential& caller, const std::string& task_id);
  absl::Status PlanWithin(const Credential& caller, const std::string& plan_id);

  PlanStore& store_;
  PlanImporter importer_;
  OutboxPublisher& publisher_;
  const Authenticator& auth_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_GRPC_H_
