#include "services/plan/plan_grpc.h"

#include "services/common/access.h"
#include "services/common/paging.h"
#include "services/common/service_runtime.h"

namespace tiendo::plan {
namespace {

// Moves a StatusOr's value into the response (or the response's field that
// holds it), or returns its error.
template <typename T>
grpc::Status Answer(absl::StatusOr<T> result, T* field) {
  if (!result.ok()) return ToGrpc(result.status());
  *field = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status PlanGrpcService::CreatePlan(grpc::ServerContext* context,
                                         const v1::CreatePlanRequest* request,
                                         v1::CreatePlanResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<PlanDraft> draft = BuildPlan(*request);
  if (!draft.ok()) return ToGrpc(draft.status());
  if (absl::Status s = store_.CreatePlan(*draft); !s.ok()) return ToGrpc(s);
  publisher_.Wake();
  return Answer(store_.GetPlan(draft->plan.id()), response->mutable_plan());
}

grpc::Status PlanGrpcService::GetPlan(grpc::ServerContext* context,
                                      const v1::GetPlanRequest* request,
                                      v1::GetPlanResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(store_.GetPlan(request->plan_id()), response->mutable_plan());
}

grpc::Status PlanGrpcService::ListPlans(grpc::ServerContext* context,
                                        const v1::ListPlansRequest* request,
                                        v1::ListPlansResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::Plan>> plans = store_.ListPlans(
      request->unit(), *page, response->mutable_next_page_token());
  if (!plans.ok()) return ToGrpc(plans.status());
  for (v1::Plan& plan : *plans) *response->add_plans() = std::move(plan);
  return grpc::Status::OK;
}

grpc::Status PlanGrpcService::ListTasks(grpc::ServerContext* context,
                                        const v1::ListTasksRequest* request,
                                        v1::ListTasksResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::Task>> tasks =
      store_.ListTasks(request->plan_id(), request->unit(), *page,
                       response->mutable_next_page_token());
  if (!tasks.ok()) return ToGrpc(tasks.status());
  for (v1::Task& task : *tasks) *response->add_tasks() = std::move(task);
  return grpc::Status::OK;
}

grpc::Status PlanGrpcService::GetTask(grpc::ServerContext* context,
                                      const v1::GetTaskRequest* request,
                                      v1::GetTaskResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(store_.GetTask(request->task_id()), response);
}

grpc::Status PlanGrpcService::ImportPlan(grpc::ServerContext* context,
                                         const v1::ImportPlanRequest* request,
                                         v1::ImportPlanResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  grpc::Status status = Answer(importer_.Import(*request), response);
  publisher_.Wake();
  return status;
}

grpc::Status PlanGrpcService::ListUnits(grpc::ServerContext* context,
                                        const v1::ListUnitsRequest* request,
                                        v1::ListUnitsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(importer_.ListUnits(*request), response);
}

grpc::Status PlanGrpcService::AddUnit(grpc::ServerContext* context,
                                      const v1::AddUnitRequest* request,
                                      v1::AddUnitResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(importer_.AddUnit(*request), response->mutable_unit());
}

grpc::Status PlanGrpcService::AddAgency(grpc::ServerContext* context,
                                        const v1::AddAgencyRequest* request,
                                        v1::AddAgencyResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(importer_.AddAgency(*request), response->mutable_agency());
}

grpc::Status PlanGrpcService::AddAgencyAlias(
    grpc::ServerContext* context, const v1::AddAgencyAliasRequest* request,
    v1::AddAgencyAliasResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(importer_.AddAlias(*request), response->mutable_agency());
}

grpc::Status PlanGrpcService::ProposeTaskLinks(
    grpc::ServerContext* context, const v1::ProposeTaskLinksRequest* request,
    v1::ProposeTaskLinksResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  return Answer(importer_.ProposeLinks(*request), response);
}

grpc::Status PlanGrpcService::SetTaskLinks(
    grpc::ServerContext* context, const v1::SetTaskLinksRequest* request,
    v1::SetTaskLinksResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  grpc::Status status =
      Answer(importer_.SetLinks(*request), response->mutable_task());
  publisher_.Wake();
  return status;
}

grpc::Status PlanGrpcService::CascadePlan(grpc::ServerContext* context,
                                          const v1::CascadePlanRequest* request,
                                          v1::CascadePlanResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  grpc::Status status = Answer(importer_.Cascade(*request), response);
  publisher_.Wake();
  return status;
}

grpc::Status PlanGrpcService::RecordTrigger(
    grpc::ServerContext* context, const v1::RecordTriggerRequest* request,
    v1::RecordTriggerResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  grpc::Status status =
      Answer(store_.RecordTrigger(*request), response->mutable_task());
  publisher_.Wake();
  return status;
}

}  // namespace tiendo::plan
