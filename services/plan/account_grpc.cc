#include "services/plan/account_grpc.h"

#include "services/common/access.h"
#include "services/common/input_limits.h"
#include "services/common/paging.h"
#include "services/common/proto_convert.h"
#include "services/common/service_runtime.h"
#include "services/plan/account_rules.h"
#include "services/plan/password.h"

namespace tiendo::plan {
namespace {

// One answer for an unknown account and a wrong password, so a caller
// cannot tell which names exist.
grpc::Status SignInRefused() {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "credential: account or password is wrong");
}

}  // namespace

grpc::Status AccountGrpcService::Login(grpc::ServerContext*,
                                       const v1::LoginRequest* request,
                                       v1::LoginResponse* response) {
  if (absl::Status s =
          CheckLength("account", request->account(), limits::kIdBytes);
      !s.ok()) {
    return ToGrpc(s);
  }
  if (absl::Status s = CheckLength("password", request->password(), 1024);
      !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<StoredAccount> stored = store_.Find(request->account());
  if (!stored.ok() || stored->password_hash.empty() ||
      !PasswordMatches(stored->password_hash, request->password())) {
    return SignInRefused();
  }
  const absl::Time now = now_();
  absl::StatusOr<std::string> token =
      signer_.Sign(stored->account, now, kSignInValidFor);
  if (!token.ok()) return ToGrpc(token.status());
  response->set_token(*std::move(token));
  *response->mutable_expires_at() = ToProto(now + kSignInValidFor);
  *response->mutable_account() = stored->account;
  return grpc::Status::OK;
}

grpc::Status AccountGrpcService::CreateAccount(
    grpc::ServerContext* context, const v1::CreateAccountRequest* request,
    v1::CreateAccountResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = CheckNewAccount(*request); !s.ok()) return ToGrpc(s);
  StoredAccount stored{.account = request->account(), .password_hash = ""};
  *stored.account.mutable_created_at() = ToProto(now_());
  if (!request->account().system()) {
    absl::StatusOr<std::string> hash = HashPassword(request->password());
    if (!hash.ok()) return ToGrpc(hash.status());
    stored.password_hash = *std::move(hash);
  }
  if (absl::Status s = store_.Create(stored); !s.ok()) return ToGrpc(s);
  *response->mutable_account() = stored.account;
  return grpc::Status::OK;
}

grpc::Status AccountGrpcService::IssueToken(
    grpc::ServerContext* context, const v1::IssueTokenRequest* request,
    v1::IssueTokenResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<absl::Duration> valid_for =
      TokenValidity(request->valid_for(), request->has_valid_for());
  if (!valid_for.ok()) return ToGrpc(valid_for.status());
  if (absl::Status s =
          CheckLength("account", request->account(), limits::kIdBytes);
      !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<StoredAccount> stored = store_.Find(request->account());
  if (!stored.ok()) return ToGrpc(stored.status());
  const absl::Time now = now_();
  absl::StatusOr<std::string> token =
      signer_.Sign(stored->account, now, *valid_for);
  if (!token.ok()) return ToGrpc(token.status());
  response->set_token(*std::move(token));
  *response->mutable_expires_at() = ToProto(now + *valid_for);
  return grpc::Status::OK;
}

grpc::Status AccountGrpcService::RevokeTokens(
    grpc::ServerContext* context, const v1::RevokeTokensRequest* request,
    v1::RevokeTokensResponse* response) {
  absl::StatusOr<Credential> caller =
      auth_.RequireWrite(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s =
          CheckLength("account", request->account(), limits::kIdBytes);
      !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<v1::Account> account = store_.RevokeTokens(request->account());
  if (!account.ok()) return ToGrpc(account.status());
  revocations_.Raise(account->name(), account->token_generation());
  publisher_.Wake();
  *response->mutable_account() = *std::move(account);
  return grpc::Status::OK;
}

grpc::Status AccountGrpcService::ListAccounts(
    grpc::ServerContext* context, const v1::ListAccountsRequest* request,
    v1::ListAccountsResponse* response) {
  // The services read the accounts to resync revocations.
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (!caller->service) {
    if (absl::Status s = RequireRole(*caller, v1::ROLE_ADMIN); !s.ok()) {
      return ToGrpc(s);
    }
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::Account>> accounts =
      store_.List(*page, response->mutable_next_page_token());
  if (!accounts.ok()) return ToGrpc(accounts.status());
  for (v1::Account& account : *accounts) {
    *response->add_accounts() = std::move(account);
  }
  return grpc::Status::OK;
}

grpc::Status AccountGrpcService::WhoAmI(grpc::ServerContext* context,
                                        const v1::WhoAmIRequest*,
                                        v1::WhoAmIResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  *response->mutable_account() = caller->account;
  response->set_service(caller->service);
  return grpc::Status::OK;
}

}  // namespace tiendo::plan
