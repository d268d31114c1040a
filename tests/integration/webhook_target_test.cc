// Webhook targets against real sockets: SetSubscription refuses a loopback
// URL without --webhook_allow_hosts and stores nothing; the HTTP client
// refuses, when it connects, an address the policy forbids, also when a name
// only resolves to it then; an allowed receiver is reached.
#include "services/notification/webhook_target.h"

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/change_notifier.h"
#include "services/common/host_resolver.h"
#include "services/common/http_client.h"
#include "services/common/sqlite.h"
#include "services/notification/inbox_store.h"
#include "services/notification/notification_grpc.h"
#include "services/notification/subscription_store.h"
#include "tests/support/receivers.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;
using ::tiendo::notification::InboxStore;
using ::tiendo::notification::NotificationGrpcService;
using ::tiendo::notification::SubscriptionStore;
using ::tiendo::notification::WebhookTargetCheck;

HttpResult PostTo(const AddressPolicy& policy, const std::string& url) {
  CurlHttpClient http(&policy);
  return http.Post(url, {}, "{}", absl::Seconds(10));
}

TEST(WebhookTargetTest, ClientRefusesALoopbackReceiverWhenItConnects) {
  WebhookReceiver hook;
  const HttpResult result = PostTo(AddressPolicy(), hook.url());
  EXPECT_TRUE(result.refused);
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.transport_error,
            "webhook target 127.0.0.1 is a loopback address");
  EXPECT_TRUE(hook.requests().empty());
}

TEST(WebhookTargetTest, ClientRefusesANameThatResolvesToLoopbackOnConnect) {
  // The name passes any check of its spelling; only its address tells.
  WebhookReceiver hook;
  const std::string url =
      absl::StrReplaceAll(hook.url(), {{"127.0.0.1", "localhost"}});
  const HttpResult result = PostTo(AddressPolicy(), url);
  EXPECT_TRUE(result.refused);
  EXPECT_THAT(result.transport_error, HasSubstr("is a loopback address"));
  EXPECT_TRUE(hook.requests().empty());
}

TEST(WebhookTargetTest, ClientReachesAnAllowedReceiver) {
  WebhookReceiver hook;
  const HttpResult result =
      PostTo(AddressPolicy::FromList("127.0.0.1"), hook.url());
  EXPECT_FALSE(result.refused) << result.transport_error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(hook.requests().size(), 1u);
}

TEST(WebhookTargetTest, SetSubscriptionRefusesLoopbackAndStoresNothing) {
  WebhookReceiver hook;
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok()) << db.status();
  SubscriptionStore subscriptions(**db);
  ASSERT_TRUE(subscriptions.Init().ok());
  InboxStore inbox(**db, &subscriptions);
  ASSERT_TRUE(inbox.Init().ok());
  ChangeNotifier changes;
  const AddressPolicy policy;  // no --webhook_allow_hosts
  SystemHostResolver resolver;
  const WebhookTargetCheck targets(policy, resolver);
  const std::unique_ptr<Authenticator> auth = TestAuthenticator();
  NotificationGrpcService service(inbox, subscriptions, changes, targets,
                                  *auth);
  // In process, with a reporter's token of the agency.
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  const std::unique_ptr<v1::NotificationService::Stub> stub =
      v1::NotificationService::NewStub(
          server->InProcessChannel(grpc::ChannelArguments()));
  const std::string token = TestToken(TestAccount(
      "kinhte", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.kinhte"}));
  auto set = [&](const v1::SetSubscriptionRequest& r) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    v1::SetSubscriptionResponse response;
    return stub->SetSubscription(&context, r, &response);
  };

  v1::SetSubscriptionRequest request;
  v1::Subscription& s = *request.mutable_subscription();
  s.set_agency("vinhthuy.kinhte");
  s.set_id("zalo");
  s.set_channel(v1::CHANNEL_WEBHOOK);
  s.set_address(hook.url());
  const grpc::Status status = set(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("address: "));
  EXPECT_THAT(status.error_message(), HasSubstr("use https"));

  s.set_address(absl::StrReplaceAll(hook.url(), {{"http:", "https:"}}));
  EXPECT_THAT(set(request).error_message(),
              HasSubstr("webhook target 127.0.0.1 is a loopback address"));
  absl::StatusOr<std::vector<v1::Subscription>> stored =
      subscriptions.List("vinhthuy.kinhte");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE(stored->empty());
}

}  // namespace
}  // namespace tiendo::testing
