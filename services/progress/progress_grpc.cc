#include "services/progress/progress_grpc.h"

#include "absl/strings/str_cat.h"
#include "services/common/access.h"
#include "services/common/paging.h"
#include "services/common/service_runtime.h"

namespace tiendo::progress {

grpc::Status ProgressGrpcService::ReportProgress(
    grpc::ServerContext* context, const v1::ReportProgressRequest* request,
    v1::ReportProgressResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_REPORTER);
  if (!caller.ok()) return ToGrpc(caller.status());
  // The agency is the credential's, never only the request's word.
  absl::StatusOr<std::string> agency =
      AgencyFor(*caller, request->agency(), "agency");
  if (!agency.ok()) return ToGrpc(agency.status());
  v1::ReportProgressRequest scoped = *request;
  scoped.set_agency(*std::move(agency));
  scoped.set_reported_by(caller->account.name());
  absl::StatusOr<v1::ReportProgressResponse> result =
      store_.Report(scoped, clock_.Now());
  if (!result.ok()) return ToGrpc(result.status());
  publisher_.Wake();
  *response = *std::move(result);
  return grpc::Status::OK;
}

grpc::Status ProgressGrpcService::GetTaskState(
    grpc::ServerContext* context, const v1::GetTaskStateRequest* request,
    v1::GetTaskStateResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = scope_.Task(*caller, request->task_id()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<v1::TaskState> state =
      store_.GetTaskState(request->task_id(), clock_.Now());
  if (!state.ok()) return ToGrpc(state.status());
  *response->mutable_state() = *std::move(state);
  return grpc::Status::OK;
}

grpc::Status ProgressGrpcService::ListReports(
    grpc::ServerContext* context, const v1::ListReportsRequest* request,
    v1::ListReportsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = scope_.Task(*caller, request->task_id()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::ProgressReport>> reports = store_.ListReports(
      request->task_id(), *page, response->mutable_next_page_token());
  if (!reports.ok()) return ToGrpc(reports.status());
  for (v1::ProgressReport& r : *reports)
    *response->add_reports() = std::move(r);
  return grpc::Status::OK;
}

grpc::Status ProgressGrpcService::ListTaskStates(
    grpc::ServerContext* context, const v1::ListTaskStatesRequest* request,
    v1::ListTaskStatesResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = scope_.Unit(*caller, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::TaskState>> states = store_.ListTaskStates(
      request->unit(), clock_.Now(), request->as_reported(), *page,
      response->mutable_next_page_token());
  if (!states.ok()) return ToGrpc(states.status());
  for (v1::TaskState& s : *states) *response->add_states() = std::move(s);
  return grpc::Status::OK;
}

grpc::Status ProgressGrpcService::ListMeasurements(
    grpc::ServerContext* context, const v1::ListMeasurementsRequest* request,
    v1::ListMeasurementsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = scope_.Unit(*caller, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::RecordedMeasurement>> measurements =
      store_.ListMeasurements(request->unit(), *page,
                              response->mutable_next_page_token());
  if (!measurements.ok()) return ToGrpc(measurements.status());
  for (v1::RecordedMeasurement& m : *measurements) {
    *response->add_measurements() = std::move(m);
  }
  return grpc::Status::OK;
}

grpc::Status ProgressGrpcService::ReportMeasurements(
    grpc::ServerContext* context, const v1::ReportMeasurementsRequest* request,
    v1::ReportMeasurementsResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_REPORTER);
  if (!caller.ok()) return ToGrpc(caller.status());
  v1::ReportMeasurementsRequest scoped = *request;
  for (int i = 0; i < scoped.items_size(); ++i) {
    v1::MeasurementItem& item = *scoped.mutable_items(i);
    absl::StatusOr<std::string> agency = AgencyFor(
        *caller, item.agency(), absl::StrCat("items[", i, "].agency"));
    if (!agency.ok()) return ToGrpc(agency.status());
    item.set_agency(*std::move(agency));
  }
  absl::StatusOr<v1::ReportMeasurementsResponse> result =
      store_.ReportMeasurements(scoped, clock_.Now());
  if (!result.ok()) return ToGrpc(result.status());
  if (result->accepted() > 0) publisher_.Wake();
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace tiendo::progress
