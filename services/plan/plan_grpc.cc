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

absl::Status PlanGrpcService::Within(const Credential& caller,
                                     const std::string& unit,
                                     absl::string_view field) {
  if (caller.Has(v1::ROLE_ADMIN)) return absl::OkStatus();
  absl::StatusOr<plantext::AgencyRegistry> registry = store_.LoadRegistry();
  if (!registry.ok()) return registry.status();
  return RequireWithin(
      caller, unit,
      [&](const std::string& code) {
        const plantext::RegistryUnit* found = registry->Unit(code);
        return found == nullptr ? std::string() : found->parent;
      },
      field);
}

absl::Status PlanGrpcService::TaskWithin(const Credential& caller,
                                         const std::string& task_id) {
  absl::StatusOr<v1::GetTaskResponse> task = store_.GetTask(task_id);
  if (!task.ok()) return absl::OkStatus();
  return Within(caller, task->task().unit(), "task_id");
}

absl::Status PlanGrpcService::PlanWithin(const Credential& caller,
                                         const std::string& plan_id) {
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(plan_id);
  if (!plan.ok()) return absl::OkStatus();
  return Within(caller, plan->unit(), "plan_id");
}

grpc::Status PlanGrpcService::CreatePlan(grpc::ServerContext* context,
                                         const v1::CreatePlanRequest* request,
                                         v1::CreatePlanResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<PlanDraft> draft = BuildPlan(*request);
  if (!draft.ok()) return ToGrpc(draft.status());
  if (absl::Status s = Within(*caller, draft->plan.unit(), "unit"); !s.ok()) {
    return ToGrpc(s);
  }
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
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  grpc::Status status =
      Answer(importer_.Import(*request,
                              [&](const std::string& unit) {
                                return Within(*caller, unit, "unit");
                              }),
             response);
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
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  // A unit at the top of the registry is a root: admins add those.
  absl::Status allowed = request->parent().empty()
                             ? RequireRole(*caller, v1::ROLE_ADMIN)
                             : Within(*caller, request->parent(), "parent");
  if (!allowed.ok()) return ToGrpc(allowed);
  return Answer(importer_.AddUnit(*request), response->mutable_unit());
}

grpc::Status PlanGrpcService::AddAgency(grpc::ServerContext* context,
                                        const v1::AddAgencyRequest* request,
                                        v1::AddAgencyResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = Within(*caller, request->unit(), "unit"); !s.ok()) {
    return ToGrpc(s);
  }
  return Answer(importer_.AddAgency(*request), response->mutable_agency());
}

grpc::Status PlanGrpcService::AddAgencyAlias(
    grpc::ServerContext* context, const v1::AddAgencyAliasRequest* request,
    v1::AddAgencyAliasResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::StatusOr<plantext::AgencyRegistry> registry = store_.LoadRegistry();
      registry.ok()) {
    if (const plantext::RegistryAgency* agency =
            registry->Agency(request->code())) {
      if (absl::Status s = Within(*caller, agency->unit, "code"); !s.ok()) {
        return ToGrpc(s);
      }
    }
  }
  return Answer(importer_.AddAlias(*request), response->mutable_agency());
}

grpc::Status PlanGrpcService::ProposeTaskLinks(
    grpc::ServerContext* context, const v1::ProposeTaskLinksRequest* request,
    v1::ProposeTaskLinksResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = PlanWithin(*caller, request->plan_id()); !s.ok()) {
    return ToGrpc(s);
  }
  return Answer(importer_.ProposeLinks(*request), response);
}

grpc::Status PlanGrpcService::SetTaskLinks(
    grpc::ServerContext* context, const v1::SetTaskLinksRequest* request,
    v1::SetTaskLinksResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = TaskWithin(*caller, request->task_id()); !s.ok()) {
    return ToGrpc(s);
  }
  grpc::Status status =
      Answer(importer_.SetLinks(*request), response->mutable_task());
  publisher_.Wake();
  return status;
}

grpc::Status PlanGrpcService::CascadePlan(grpc::ServerContext* context,
                                          const v1::CascadePlanRequest* request,
                                          v1::CascadePlanResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  grpc::Status status =
      Answer(importer_.Cascade(*request,
                               [&](const std::string& unit) {
                                 return Within(*caller, unit, "units");
                               }),
             response);
  publisher_.Wake();
  return status;
}

grpc::Status PlanGrpcService::RecordTrigger(
    grpc::ServerContext* context, const v1::RecordTriggerRequest* request,
    v1::RecordTriggerResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_PLANNER);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = TaskWithin(*caller, request->task_id()); !s.ok()) {
    return ToGrpc(s);
  }
  grpc::Status status =
      Answer(store_.RecordTrigger(*request), response->mutable_task());
  publisher_.Wake();
  return status;
}

}  // namespace tiendo::plan
