#ifndef TIENDO_SERVICES_PLAN_ACCOUNT_GRPC_H_
#define TIENDO_SERVICES_PLAN_ACCOUNT_GRPC_H_

#include <functional>

#include "services/common/authenticator.h"
#include "services/common/token.h"
#include "services/plan/account_store.h"
#include "tiendo/v1/account.grpc.pb.h"

namespace tiendo::plan {

// AccountService: signs in people, issues tokens, keeps accounts. Tokens are
// dated by real time (`now`), never by a simulated clock.
class AccountGrpcService final : public v1::AccountService::Service {
 public:
  // A revocation takes effect here at once (`revocations`, which the
  // authenticator consults) and in the other services through the outbox
  // `publisher` sends.
  AccountGrpcService(AccountStore& store, const TokenSigner& signer,
                     const Authenticator& auth, Revocations& revocations,
                     OutboxPublisher& publisher,
                     std::function<absl::Time()> now)
      : store_(store),
        signer_(signer),
        auth_(auth),
        revocations_(revocations),
        publisher_(publisher),
        now_(std::move(now)) {}

  grpc::Status Login(grpc::ServerContext* context,
                     const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status CreateAccount(grpc::ServerContext* context,
                             const v1::CreateAccountRequest* request,
                             v1::CreateAccountResponse* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context,
                          const v1::IssueTokenRequest* request,
                          v1::IssueTokenResponse* response) override;
  grpc::Status RevokeTokens(grpc::ServerContext* context,
                            const v1::RevokeTokensRequest* request,
                            v1::RevokeTokensResponse* response) override;
  grpc::Status ListAccounts(grpc::ServerContext* context,
                            const v1::ListAccountsRequest* request,
                            v1::ListAccountsResponse* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context,
                      const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;

 private:
  AccountStore& store_;
  const TokenSigner& signer_;
  const Authenticator& auth_;
  Revocations& revocations_;
  OutboxPublisher& publisher_;
  std::function<absl::Time()> now_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_ACCOUNT_GRPC_H_
