// End to end: an account writing faster than --write_rate_per_account is
// refused with RESOURCE_EXHAUSTED, while other accounts and reads go on.
#include <grpcpp/grpcpp.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/stack.h"
#include "tiendo/v1/notification.grpc.pb.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

class WriteRateTest : public ::testing::Test {
 protected:
  WriteRateTest() : stack_("2026-05-20T08:00:00+07:00") {
    // Three at once, then one per 100 s: the test never waits for a refill.
    stack_.SetExtraFlags("notification", {"--write_rate_per_account=0.01",
                                          "--write_burst_per_account=3"});
  }

  void SetUp() override {
    ASSERT_TRUE(stack_.Start()) << "logs in " << stack_.dir();
  }

  grpc::Status MarkRead(const v1::Account& as) {
    auto stub = v1::NotificationService::NewStub(grpc::CreateChannel(
        stack_.Address("notification"), TestCredentials(TestToken(as))));
    v1::MarkReadRequest request;
    request.set_agency(as.agencies(0));
    request.add_ids(1);
    v1::MarkReadResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    return stub->MarkRead(&context, request, &response);
  }

  Stack stack_;
};

TEST_F(WriteRateTest, AnAccountOverItsRateIsRefusedOthersAreNot) {
  const v1::Account kinhte = TestAccount(
      "kinhte", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.kinhte"});
  const v1::Account congan = TestAccount(
      "congan", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.congan"});
  for (int i = 0; i < 3; ++i) {
    const grpc::Status s = MarkRead(kinhte);
    EXPECT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  const grpc::Status refused = MarkRead(kinhte);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(), HasSubstr("rate:"));
  EXPECT_THAT(refused.error_message(), HasSubstr("kinhte"));

  EXPECT_TRUE(MarkRead(congan).ok());
  // Reads are not writes.
  auto stub = v1::NotificationService::NewStub(grpc::CreateChannel(
      stack_.Address("notification"), TestCredentials(TestToken(kinhte))));
  v1::ListNotificationsRequest list;
  list.set_agency("vinhthuy.kinhte");
  v1::ListNotificationsResponse listed;
  grpc::ClientContext context;
  SetDeadline(context);
  EXPECT_TRUE(stub->ListNotifications(&context, list, &listed).ok());
}

}  // namespace
}  // namespace tiendo::testing
