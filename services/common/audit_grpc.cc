#include "services/common/audit_grpc.h"

#include "services/common/service_runtime.h"

namespace tiendo {

grpc::Status AuditGrpcService::ListAuditRecords(
    grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
    v1::ListAuditRecordsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<std::vector<v1::AuditRecord>> records =
      log_.List(*request, response->mutable_next_page_token());
  if (!records.ok()) return ToGrpc(records.status());
  for (v1::AuditRecord& record : *records) {
    *response->add_records() = std::move(record);
  }
  return grpc::Status::OK;
}

}  // namespace tiendo
