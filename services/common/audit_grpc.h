#ifndef TIENDO_SERVICES_COMMON_AUDIT_GRPC_H_
#define TIENDO_SERVICES_COMMON_AUDIT_GRPC_H_

#include "services/common/audit_log.h"
#include "services/common/authenticator.h"
#include "tiendo/v1/audit.grpc.pb.h"

namespace tiendo {

// AuditService of every service: its audit trail, to admins.
class AuditGrpcService final : public v1::AuditService::Service {
 public:
  AuditGrpcService(AuditLog& log, const Authenticator& auth)
      : log_(log), auth_(auth) {}

  grpc::Status ListAuditRecords(
      grpc::ServerContext* context, const v1::ListAuditRecordsRequest* request,
      v1::ListAuditRecordsResponse* response) override;

 private:
  AuditLog& log_;
  const Authenticator& auth_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_AUDIT_GRPC_H_
