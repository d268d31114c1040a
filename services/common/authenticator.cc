#include "services/common/authenticator.h"

#include <grpcpp/security/auth_context.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/access.h"

namespace tiendo {

bool Authenticator::IsServicePeer(
    const grpc::ServerContextBase& context) const {
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (service_peer_name_.empty() || auth == nullptr ||
      !auth->IsPeerAuthenticated()) {
    return false;
  }
  for (const grpc::string_ref& name :
       auth->FindPropertyValues("x509_common_name")) {
    if (std::string(name.data(), name.size()) == service_peer_name_) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<Credential> Authenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    if (IsServicePeer(context)) {
      Credential service;
      service.service = true;
      service.account.set_name("tiendo-services");
      service.account.add_roles(v1::ROLE_VIEWER);
      return service;
    }
    return absl::UnauthenticatedError(
        "credential: none (sign in with tiendoctl login; send "
        "\"authorization: Bearer <token>\")");
  }
  const absl::string_view value(header->second.data(), header->second.size());
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kBearer)) {
    return absl::UnauthenticatedError(
        "credential: authorization is not \"Bearer <token>\"");
  }
  absl::StatusOr<v1::Account> account =
      verifier_.Verify(value.substr(kBearer.size()), now_());
  if (!account.ok()) return account.status();
  if (revocations_.Revoked(*account)) {
    return absl::UnauthenticatedError(
        "credential: token revoked (sign in again)");
  }
  Credential credential;
  credential.account = *std::move(account);
  return credential;
}

absl::StatusOr<Credential> Authenticator::Require(
    const grpc::ServerContextBase& context, v1::Role role) const {
  absl::StatusOr<Credential> credential = Authenticate(context);
  if (!credential.ok()) return credential;
  if (absl::Status s = RequireRole(*credential, role); !s.ok()) return s;
  return credential;
}

absl::StatusOr<Credential> Authenticator::AuthenticateWrite(
    const grpc::ServerContextBase& context) const {
  return Admitted(Authenticate(context));
}

absl::StatusOr<Credential> Authenticator::RequireWrite(
    const grpc::ServerContextBase& context, v1::Role role) const {
  return Admitted(Require(context, role));
}

absl::StatusOr<Credential> Authenticator::Admitted(
    absl::StatusOr<Credential> credential) const {
  if (!credential.ok() || writes_ == nullptr) return credential;
  if (!writes_->Admit(credential->account.name())) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "rate: ", credential->Describe(), " writes more than ",
        writes_->per_second(), " times a second; try again shortly"));
  }
  return credential;
}

void Authenticator::LimitWrites(double per_second, double burst) {
  writes_ = per_second > 0 ? std::make_unique<RateLimiter>(per_second, burst)
                           : nullptr;
}

}  // namespace tiendo
