// End to end: a token revoked at the plan service is refused by every
// service before it expires (they learn it from tiendo.account-changed.v1),
// still after a restart, while tokens signed after the revocation work.
#include <grpcpp/grpcpp.h>

#include <map>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/generic_call.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"
#include "tiendo/v1/account.grpc.pb.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

template <typename Call>
grpc::Status Ask(Call call) {
  grpc::ClientContext context;
  SetDeadline(context);
  return call(&context);
}

// A cheap read of each service: only whether the credential is accepted
// matters (an answer such as NOT_FOUND or INVALID_ARGUMENT means it was).
const std::map<std::string, std::string> kProbes = {
    {"plan", "/tiendo.v1.AccountService/WhoAmI"},
    {"progress", "/tiendo.v1.ProgressService/GetTaskState"},
    {"notification", "/tiendo.v1.NotificationService/ListNotifications"},
    {"aggregation", "/tiendo.v1.AggregationService/GetRollup"},
};

bool Refused(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED;
}

class RevocationTest : public ::testing::Test {
 protected:
  RevocationTest() : stack_("2026-05-20T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start()) << "logs in " << stack_.dir();
  }

  // The probe of `service` with `token`.
  grpc::Status Probe(const std::string& service, const std::string& token) {
    return CallMethod(
        grpc::CreateChannel(stack_.Address(service), TestCredentials(token)),
        kProbes.at(service), "");
  }

  std::unique_ptr<v1::AccountService::Stub> AccountsAsAdmin() {
    return v1::AccountService::NewStub(grpc::CreateChannel(
        stack_.Address("plan"), TestCredentials(TestToken(TestAdmin()))));
  }

  // Waits until `service` refuses `token` (the revocation travels over
  // Kafka), at most `timeout`.
  bool WaitRefused(const std::string& service, const std::string& token,
                   absl::Duration timeout = absl::Seconds(30)) {
    return WaitUntil([&] { return Refused(Probe(service, token)); }, timeout);
  }

  Stack stack_;
};

TEST_F(RevocationTest, RevokedTokensAreRefusedEverywhereAndStayRefused) {
  v1::CreateAccountRequest create;
  *create.mutable_account() = TestAccount(
      "tinh.congan.feed", "quang-tri", {v1::ROLE_ADMIN}, {"quangtri.congan"});
  create.mutable_account()->set_system(true);
  v1::CreateAccountResponse created;
  ASSERT_TRUE(Ask([&](grpc::ClientContext* c) {
                return AccountsAsAdmin()->CreateAccount(c, create, &created);
              }).ok());
  v1::Account account = created.account();
  const std::string before = TestToken(account);
  for (const auto& [service, unused_method] : kProbes) {
    EXPECT_FALSE(Refused(Probe(service, before))) << service;
  }

  v1::RevokeTokensRequest revoke;
  revoke.set_account(account.name());
  v1::RevokeTokensResponse revoked;
  ASSERT_TRUE(Ask([&](grpc::ClientContext* c) {
                return AccountsAsAdmin()->RevokeTokens(c, revoke, &revoked);
              }).ok());
  EXPECT_EQ(revoked.account().token_generation(), 1U);

  // At once where it was revoked; soon after everywhere else.
  const grpc::Status at_plan = Probe("plan", before);
  EXPECT_TRUE(Refused(at_plan));
  EXPECT_THAT(at_plan.error_message(), HasSubstr("revoked"));
  for (const auto& [service, unused_method] : kProbes) {
    EXPECT_TRUE(WaitRefused(service, before)) << service << " still accepts";
  }
  account.set_token_generation(1);
  const std::string after = TestToken(account);
  for (const auto& [service, unused_method] : kProbes) {
    EXPECT_FALSE(Refused(Probe(service, after))) << service;
  }

  // Kept in each service's store: a restart does not forget it.
  for (const std::string service : {"plan", "progress"}) {
    stack_.StopService(service);
    ASSERT_TRUE(stack_.StartService(service) && stack_.WaitServing(service))
        << "logs in " << stack_.dir();
    EXPECT_TRUE(Refused(Probe(service, before)))
        << service << " forgot the revocation";
    EXPECT_FALSE(Refused(Probe(service, after))) << service;
  }
}

TEST_F(RevocationTest, OnlyAnAdminRevokesAndTheAccountMustExist) {
  auto stub = v1::AccountService::NewStub(grpc::CreateChannel(
      stack_.Address("plan"),
      TestCredentials(
          TestToken(TestAccount("kehoach", "vinh-thuy", {v1::ROLE_PLANNER})))));
  v1::RevokeTokensRequest request;
  request.set_account("admin");
  v1::RevokeTokensResponse response;
  EXPECT_EQ(Ask([&](grpc::ClientContext* c) {
              return stub->RevokeTokens(c, request, &response);
            }).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  request.set_account("khong-co");
  const grpc::Status unknown = Ask([&](grpc::ClientContext* c) {
    return AccountsAsAdmin()->RevokeTokens(c, request, &response);
  });
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(unknown.error_message(), HasSubstr("khong-co"));
}

}  // namespace
}  // namespace tiendo::testing
