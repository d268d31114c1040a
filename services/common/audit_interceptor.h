#ifndef TIENDO_SERVICES_COMMON_AUDIT_INTERCEPTOR_H_
#define TIENDO_SERVICES_COMMON_AUDIT_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/common/audit_log.h"
#include "services/common/authenticator.h"

namespace tiendo {

// Records in the audit log every write RPC, every sign-in and every call
// refused for its credential, with who called (from the credential), from
// where, what it named and the outcome, so the handlers need not know.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewAuditInterceptorFactory(AuditLog& log, const Authenticator& auth);

// Whether `method` ("/tiendo.v1.PlanService/ImportPlan") changes anything
// (or signs in): those are audited whatever their outcome.
bool IsAuditedMethod(absl::string_view method);

// The ids a request names, "task_id=x; agency=y", from its own fields and
// those of the messages it holds (one level): ids, codes, units, agencies,
// accounts. Free text and passwords are never taken.
std::string AuditSubject(const google::protobuf::Message& request);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_AUDIT_INTERCEPTOR_H_
