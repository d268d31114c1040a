#ifndef TIENDO_SERVICES_COMMON_AUTHENTICATOR_H_
#define TIENDO_SERVICES_COMMON_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "services/common/credential.h"
#include "services/common/rate_limiter.h"
#include "services/common/revocations.h"
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

  // UNAUTHENTICATED without a valid credential, or with a revoked token.
  absl::StatusOr<Credential> Authenticate(
      const grpc::ServerContextBase& context) const;
  // Authenticate, then PERMISSION_DENIED unless the caller has `role`.
  absl::StatusOr<Credential> Require(const grpc::ServerContextBase& context,
                                     v1::Role role) const;

  // Authenticate() and Require() for a call that changes state: then
  // RESOURCE_EXHAUSTED while the account writes faster than LimitWrites
  // allows.
  absl::StatusOr<Credential> AuthenticateWrite(
      const grpc::ServerContextBase& context) const;
  absl::StatusOr<Credential> RequireWrite(
      const grpc::ServerContextBase& context, v1::Role role) const;
  // At most `per_second` writes per account sustained, `burst` at once;
  // unlimited until called (and with per_second <= 0).
  void LimitWrites(double per_second, double burst);

  // The revoked tokens this authenticator refuses; the plan service and the
  // revocation feed raise them.
  Revocations& revocations() { return revocations_; }

 private:
  bool IsServicePeer(const grpc::ServerContextBase& context) const;
  // The credential, or RESOURCE_EXHAUSTED when its account is over its
  // write rate.
  absl::StatusOr<Credential> Admitted(
      absl::StatusOr<Credential> credential) const;

  TokenVerifier verifier_;
  std::string service_peer_name_;
  std::function<absl::Time()> now_;
  Revocations revocations_;
  // Mutable state behind a pointer: admitting a write changes its bucket.
  std::unique_ptr<RateLimiter> writes_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_AUTHENTICATOR_H_
