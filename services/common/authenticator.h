#ifndef TIENDO_SERVICES_COMMON_AUTHENTICATOR_H_
#define TIENDO_SERVICES_COMMON_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "services/common/credential.h"
#include "services/common/token.h"

namespace tiendo {

// Who calls a service: the bearer token of the call's "authorization"
// metadata, verified locally, or a tiendo service known by the certificate
// it presented (for resync reads). Tokens are judged by real time, never by
// a simulated clock.
class Authenticator {
 public:
  Authenticator(
      TokenVerifier verifier, std::string service_peer_name,
      std::function<absl::Time()> now = [] { return absl::Now(); })
      : verifier_(std::move(verifier)),
        service_peer_name_(std::move(service_peer_name)),
        now_(std::move(now)) {}

  // UNAUTHENTICATED without a valid credential.
  absl::StatusOr<Credential> Authenticate(
      const grpc::ServerContextBase& context) const;
  // Authenticate, then PERMISSION_DENIED unless the caller has `role`.
  absl::StatusOr<Credential> Require(const grpc::ServerContextBase& context,
                                     v1::Role role) const;

 private:
  bool IsServicePeer(const grpc::ServerContextBase& context) const;

  TokenVerifier verifier_;
  std::string service_peer_name_;
  std::function<absl::Time()> now_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_AUTHENTICATOR_H_
