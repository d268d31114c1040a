// End to end: reminders leave the notification service through webhooks.
// The broker and the four services run as processes on a simulated clock;
// the Vĩnh Thủy plan is imported as written; a small HTTP server on
// loopback plays the receiver (an SMS or Zalo gateway), answering with the
// status the test chooses per delivery, and checks every signature.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_convert.h"
#include "services/notification/webhook_sender.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"
#include "tests/support/receivers.h"
#include "tests/support/stack.h"
#include "tests/support/vinh_thuy_stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;
using ::tiendo::notification::PercentEncode;

constexpr char kSecret[] = "khóa-bí-mật";

class WebhookDeliveryTest : public VinhThuyStackTest {
 protected:
  void SubscribeGateway() {
    v1::Subscription s;
    s.set_agency(kLead);
    s.set_id("zalo-gw");
    s.set_channel(v1::CHANNEL_WEBHOOK);
    s.set_address(hook_.url());
    s.set_secret(kSecret);
    s.add_kinds(v1::NOTIFICATION_KIND_REMINDER);
    s.add_kinds(v1::NOTIFICATION_KIND_REPORT_DUE);
    Subscribe(s);
  }

  std::vector<v1::Delivery> Deliveries() { return stack_.Deliveries(kLead); }

  // Moves only the notification service's clock, so retries come due
  // without the plan service announcing more reminders.
  void AdvanceNotificationClock(absl::Duration by) {
    v1::AdvanceTimeRequest request;
    request.mutable_by()->set_seconds(absl::ToInt64Seconds(by));
    v1::AdvanceTimeResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    ASSERT_TRUE(stack_.ClockOf("notification")
                    ->AdvanceTime(&context, request, &response)
                    .ok());
  }

  // Advances the notification clock a minute at a time until `done`.
  bool DriveUntil(const std::function<bool()>& done, int minutes = 30) {
    for (int i = 0; i < minutes; ++i) {
      if (WaitUntil(done, absl::Seconds(2))) return true;
      AdvanceNotificationClock(absl::Minutes(1));
    }
    return WaitUntil(done, absl::Seconds(5));
  }

  // Whether a delivery about `occurrence` exists.
  bool HasDeliveryAbout(const std::string& occurrence) {
    for (const v1::Delivery& d : Deliveries()) {
      if (absl::StrContains(d.delivery_key(), occurrence)) return true;
    }
    return false;
  }

  bool AllIn(v1::Delivery::State state, size_t at_least = 1) {
    const std::vector<v1::Delivery> list = Deliveries();
    if (list.size() < at_least) return false;
    for (const v1::Delivery& d : list) {
      if (d.state() != state) return false;
    }
    return true;
  }

  // The first reminder of the May report (BC.1, due 11/06/2026); other
  // reminders of the lead come with it.
  void MoveToFirstReportReminder() {
    ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 8)));
    ASSERT_TRUE(WaitUntil([&] { return HasDeliveryAbout(kMay); }));
  }

  // Every delivery key the receiver saw got exactly one 2xx answer.
  void ExpectEachAcceptedOnce() {
    std::map<std::string, int> accepted;
    for (const ReceivedRequest& r : hook_.requests()) {
      int& n = accepted[r.headers.at("x-tiendo-delivery")];
      if (r.answered >= 200 && r.answered < 300) ++n;
    }
    for (const auto& [key, n] : accepted) EXPECT_EQ(n, 1) << key;
  }
};

TEST_F(WebhookDeliveryTest, ReminderReachesTheWebhookOnceSignedInVietnamese) {
  SubscribeGateway();
  MoveToFirstReportReminder();
  ASSERT_TRUE(DriveUntil([&] { return AllIn(v1::Delivery::STATE_SENT); }));
  const std::vector<ReceivedRequest> received = hook_.requests();
  ASSERT_FALSE(received.empty());
  bool report = false;
  for (const ReceivedRequest& r : received) {
    const std::string ts = r.headers.at("x-tiendo-timestamp");
    EXPECT_EQ(r.headers.at("x-tiendo-signature"),
              "sha256=" + HmacSha256ForTest(kSecret, ts + "." + r.body));
    EXPECT_THAT(r.headers.at("content-type"), HasSubstr("application/json"));
    if (absl::StrContains(r.body, "#BC.1@2026-05")) {
      report = true;
      EXPECT_THAT(r.body, HasSubstr("\"due_date\":\"11/06/2026\""));
      EXPECT_THAT(r.body, HasSubstr("NHẮC HẠN"));
      EXPECT_THAT(r.body, HasSubstr("11/06/2026"));
      EXPECT_THAT(r.body, HasSubstr("\"agency\":\"vinhthuy.congan\""));
    }
  }
  EXPECT_TRUE(report) << "no webhook for the May report";
  // Time goes on; nothing is sent again. The June report's reminder a
  // month later is the marker: once it was sent, the worker has passed
  // over the earlier deliveries with the later clock.
  AdvanceNotificationClock(absl::Hours(2));
  ASSERT_TRUE(stack_.SetClock(Local(2026, 7, 10, 8)));
  ASSERT_TRUE(WaitUntil([&] {
    return HasDeliveryAbout("#BC.1@2026-06") && AllIn(v1::Delivery::STATE_SENT);
  }));
  EXPECT_EQ(hook_.requests().size(), Deliveries().size());
  ExpectEachAcceptedOnce();
  for (const v1::Delivery& d : Deliveries()) {
    EXPECT_EQ(d.attempts(), 1) << d.delivery_key();
    EXPECT_EQ(d.subscription_id(), "zalo-gw");
    EXPECT_TRUE(absl::EndsWith(d.delivery_key(), "→zalo-gw"));
  }
}

TEST_F(WebhookDeliveryTest, ReceiverFailingThreeTimesGetsOneDelivery) {
  hook_.SetResponder([](const ReceivedRequest&, int previous) {
    return previous < 3 ? 503 : 200;
  });
  SubscribeGateway();
  MoveToFirstReportReminder();
  ASSERT_TRUE(DriveUntil([&] { return AllIn(v1::Delivery::STATE_SENT); }));
  ExpectEachAcceptedOnce();
  std::map<std::string, int> attempts;
  for (const ReceivedRequest& r : hook_.requests()) {
    ++attempts[r.headers.at("x-tiendo-delivery")];
  }
  for (const v1::Delivery& d : Deliveries()) {
    EXPECT_EQ(d.attempts(), 4) << d.delivery_key();
    EXPECT_EQ(attempts[PercentEncode(d.delivery_key())], 4) << d.delivery_key();
  }
}

TEST_F(WebhookDeliveryTest, RefusalIsDeadWithTheErrorAndNotRetried) {
  hook_.SetResponder([](const ReceivedRequest&, int) { return 400; });
  SubscribeGateway();
  MoveToFirstReportReminder();
  ASSERT_TRUE(DriveUntil([&] { return AllIn(v1::Delivery::STATE_DEAD); }));
  // Time goes on: nothing is retried (reminders announced meanwhile get
  // their own single attempt).
  for (int i = 0; i < 3; ++i) AdvanceNotificationClock(absl::Minutes(15));
  ASSERT_TRUE(WaitUntil([&] { return AllIn(v1::Delivery::STATE_DEAD); }));
  std::map<std::string, int> requests;
  for (const ReceivedRequest& r : hook_.requests()) {
    ++requests[r.headers.at("x-tiendo-delivery")];
  }
  const std::vector<v1::Delivery> all = Deliveries();
  EXPECT_EQ(requests.size(), all.size());
  for (const v1::Delivery& d : all) {
    EXPECT_EQ(d.attempts(), 1) << d.delivery_key();
    EXPECT_EQ(requests[PercentEncode(d.delivery_key())], 1) << d.delivery_key();
    // The receiver's words ("refused by test") are not kept.
    EXPECT_EQ(d.last_error(), "HTTP 400");
  }
  v1::ListDeliveriesRequest request;
  request.set_agency(kLead);
  request.set_state(v1::Delivery::STATE_DEAD);
  v1::ListDeliveriesResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  ASSERT_TRUE(
      stack_.Notification()->ListDeliveries(&context, request, &response).ok());
  EXPECT_EQ(static_cast<size_t>(response.deliveries_size()), all.size());
}

TEST_F(WebhookDeliveryTest, LocalTargetsOutsideTheAllowListAreRefused) {
  // The stack allows 127.0.0.1 only: the same receiver by ::1, or a private
  // address, is refused and nothing is stored.
  v1::Subscription s;
  s.set_agency(kLead);
  s.set_id("zalo-gw");
  s.set_channel(v1::CHANNEL_WEBHOOK);
  for (const std::string& url :
       {absl::StrReplaceAll(hook_.url(), {{"127.0.0.1", "[::1]"}}),
        std::string("https://10.1.2.3/hook")}) {
    s.set_address(url);
    const grpc::Status status = stack_.Subscribe(s);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << url;
    EXPECT_THAT(status.error_message(), HasSubstr("address: ")) << url;
  }
  v1::ListSubscriptionsRequest request;
  request.set_agency(kLead);
  v1::ListSubscriptionsResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  ASSERT_TRUE(stack_.Notification()
                  ->ListSubscriptions(&context, request, &response)
                  .ok());
  EXPECT_EQ(response.subscriptions_size(), 0);
}

TEST_F(WebhookDeliveryTest, RestartSendsNothingTwiceAndLosesNothing) {
  // The receiver is down (503) when the first reminders come.
  std::atomic<bool> up{false};
  hook_.SetResponder(
      [&](const ReceivedRequest&, int) { return up ? 200 : 503; });
  SubscribeGateway();
  // The scanner may have announced reminders of the import before the
  // subscription existed: those are in the inbox only. Everything after
  // the newest entry now must be delivered.
  int64_t before_subscription = 0;
  for (const v1::Notification& n : stack_.Inbox(kLead)) {
    before_subscription = std::max(before_subscription, n.id());
  }
  MoveToFirstReportReminder();
  ASSERT_TRUE(WaitUntil([&] { return AllIn(v1::Delivery::STATE_FAILED); }));
  const size_t before = Deliveries().size();

  stack_.KillService("notification");
  // While the service is down, the June report's reminder is announced.
  for (const char* name : {"progress", "aggregation", "plan"}) {
    v1::SetTimeRequest request;
    *request.mutable_time() = ToProto(Local(2026, 7, 10, 8));
    v1::SetTimeResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    ASSERT_TRUE(
        stack_.ClockOf(name)->SetTime(&context, request, &response).ok());
  }
  up = true;
  ASSERT_TRUE(stack_.StartService("notification"));
  ASSERT_TRUE(stack_.WaitServing("notification"));
  ASSERT_TRUE(stack_.SetClock(Local(2026, 7, 10, 8)));

  ASSERT_TRUE(WaitUntil([&] { return HasDeliveryAbout("#BC.1@2026-06"); }))
      << "the reminder announced during the restart was lost";
  ASSERT_TRUE(DriveUntil([&] { return AllIn(v1::Delivery::STATE_SENT); }));
  EXPECT_GT(Deliveries().size(), before);
  ExpectEachAcceptedOnce();
  // Every inbox reminder of the lead has its one delivery.
  std::map<std::string, int> per_notification;
  for (const v1::Delivery& d : Deliveries()) {
    ++per_notification[absl::StrCat(d.notification_id())];
  }
  int checked = 0;
  for (const v1::Notification& n : stack_.Inbox(kLead)) {
    if (n.kind() != v1::NOTIFICATION_KIND_REMINDER &&
        n.kind() != v1::NOTIFICATION_KIND_REPORT_DUE) {
      continue;
    }
    if (n.id() <= before_subscription) continue;
    EXPECT_EQ(per_notification[absl::StrCat(n.id())], 1) << n.message();
    ++checked;
  }
  EXPECT_GT(checked, 1);
}

}  // namespace
}  // namespace tiendo::testing
