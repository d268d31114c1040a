// The rules deliveries follow: backoff and jitter bounds, quiet hours, the
// webhook signature, what an HTTP result means, subscription validation.
#include "services/notification/delivery_policy.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"

namespace tiendo::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Optional;
using ::tiendo::testing::Local;

HttpResult Answer(int status) {
  HttpResult r;
  r.status = status;
  return r;
}

HttpResult NoAnswer(std::string error, bool timed_out = false) {
  HttpResult r;
  r.transport_error = std::move(error);
  r.timed_out = timed_out;
  return r;
}

TEST(BackoffDelayTest, DoublesFromTheBaseWithinJitterBoundsUpToTheCap) {
  const BackoffPolicy policy;  // 2 s, x2, 10 min
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), absl::Seconds(1));
  EXPECT_EQ(BackoffDelay(policy, 1, 1.0), absl::Seconds(2));
  EXPECT_EQ(BackoffDelay(policy, 2, 1.0), absl::Seconds(4));
  EXPECT_EQ(BackoffDelay(policy, 4, 1.0), absl::Seconds(16));
  for (int attempts = 1; attempts <= 40; ++attempts) {
    const absl::Duration full =
        std::min(absl::Seconds(2) * (1LL << std::min(attempts - 1, 30)),
                 absl::Minutes(10));
    for (double jitter : {0.0, 0.25, 0.5, 0.999}) {
      const absl::Duration d = BackoffDelay(policy, attempts, jitter);
      EXPECT_GE(d, full / 2) << attempts << " " << jitter;
      EXPECT_LE(d, full) << attempts << " " << jitter;
    }
  }
  EXPECT_EQ(BackoffDelay(policy, 1000, 1.0), absl::Minutes(10));
}

TEST(ClassifyTest, SuccessRefusalAndRetry) {
  EXPECT_EQ(Classify(Answer(200)), Outcome::kSent);
  EXPECT_EQ(Classify(Answer(204)), Outcome::kSent);
  EXPECT_EQ(Classify(Answer(400)), Outcome::kPermanent);
  EXPECT_EQ(Classify(Answer(404)), Outcome::kPermanent);
  EXPECT_EQ(Classify(Answer(301)), Outcome::kPermanent);
  EXPECT_EQ(Classify(Answer(429)), Outcome::kRetry);
  EXPECT_EQ(Classify(Answer(500)), Outcome::kRetry);
  EXPECT_EQ(Classify(Answer(503)), Outcome::kRetry);
  EXPECT_EQ(Classify(NoAnswer("Connection refused")), Outcome::kRetry);
  EXPECT_EQ(Classify(NoAnswer("Operation timed out", true)), Outcome::kRetry);
  // Only the status: the target's reply is not passed on.
  EXPECT_EQ(DescribeFailure(Answer(400)), "HTTP 400");
  EXPECT_EQ(DescribeFailure(Answer(503)), "HTTP 503");
  EXPECT_THAT(DescribeFailure(NoAnswer("x", true)), HasSubstr("timeout"));
  HttpResult refused = NoAnswer("webhook target 10.0.0.1 is a private address");
  refused.refused = true;
  EXPECT_EQ(Classify(refused), Outcome::kPermanent);
  EXPECT_EQ(DescribeFailure(refused),
            "refused: webhook target 10.0.0.1 is a private address");
}

TEST(QuietHoursTest, HoldsUntilTheyEndAcrossMidnight) {
  // 22:00..06:30 local.
  EXPECT_THAT(QuietHoursEnd(Local(2026, 6, 10, 23, 15), "22:00", "06:30"),
              Optional(Local(2026, 6, 11, 6, 30)));
  EXPECT_THAT(QuietHoursEnd(Local(2026, 6, 11, 2, 0), "22:00", "06:30"),
              Optional(Local(2026, 6, 11, 6, 30)));
  EXPECT_THAT(QuietHoursEnd(Local(2026, 6, 10, 22, 0), "22:00", "06:30"),
              Optional(Local(2026, 6, 11, 6, 30)));
  EXPECT_EQ(QuietHoursEnd(Local(2026, 6, 11, 6, 30), "22:00", "06:30"),
            std::nullopt);
  EXPECT_EQ(QuietHoursEnd(Local(2026, 6, 11, 12, 0), "22:00", "06:30"),
            std::nullopt);
  // Within one day.
  EXPECT_THAT(QuietHoursEnd(Local(2026, 6, 11, 12, 10), "12:00", "13:30"),
              Optional(Local(2026, 6, 11, 13, 30)));
  EXPECT_EQ(QuietHoursEnd(Local(2026, 6, 11, 13, 30), "12:00", "13:30"),
            std::nullopt);
  EXPECT_EQ(QuietHoursEnd(Local(2026, 6, 11, 23, 0), "", ""), std::nullopt);
}

TEST(SignatureTest, HmacSha256KnownVectorAndWebhookForm) {
  // RFC 4231, test case 2.
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(WebhookSignature("Jefe", "what do ya want for nothing", "?"),
            "sha256=" + HmacSha256Hex("Jefe", "what do ya want for nothing.?"));
}

TEST(WebhookBodyTest, CarriesTheNotificationWithTheVietnameseDate) {
  v1::Notification n;
  n.set_id(7);
  n.set_agency("vinhthuy.congan");
  n.set_kind(v1::NOTIFICATION_KIND_REMINDER);
  n.set_task_id("vinh-thuy:1199-KH-UBND#III.4");
  n.set_section("III");
  n.set_number("4");
  n.set_task_title("Thu nhận hồ sơ");
  *n.mutable_due_date() = testing::Date(2026, 5, 10);
  n.set_days_before(3);
  n.set_days_left(2);  // the 3-day point, reached a day late
  n.add_lead_agencies("vinhthuy.congan");
  n.set_standing_agency("vinhthuy.congan");
  (*n.mutable_template_fields())["upper_standing"] = "quangtri.congan";
  n.set_message("NHẮC HẠN: hạn 10/05/2026");
  const std::string json = WebhookBody(n, "k→sub");
  google::protobuf::Struct parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok())
      << json;
  const auto& f = parsed.fields();
  EXPECT_EQ(f.at("due_date").string_value(), "10/05/2026");
  EXPECT_EQ(f.at("days_left").number_value(), 2);
  EXPECT_EQ(f.at("days_before").number_value(), 3);
  EXPECT_EQ(f.at("lead_agencies").list_value().values(0).string_value(),
            "vinhthuy.congan");
  EXPECT_EQ(f.at("standing_agency").string_value(), "vinhthuy.congan");
  EXPECT_EQ(f.at("fields")
                .struct_value()
                .fields()
                .at("upper_standing")
                .string_value(),
            "quangtri.congan");
  EXPECT_EQ(f.at("title").string_value(), "Thu nhận hồ sơ");
  EXPECT_EQ(f.at("delivery_key").string_value(), "k→sub");
  EXPECT_EQ(f.at("notification_id").number_value(), 7);
  EXPECT_EQ(f.at("message").string_value(), "NHẮC HẠN: hạn 10/05/2026");
}

TEST(ValidateSubscriptionTest, NamesTheField) {
  v1::Subscription s;
  s.set_agency("vinhthuy.congan");
  s.set_id("hook");
  s.set_channel(v1::CHANNEL_WEBHOOK);
  s.set_address("https://example.org/hook");
  EXPECT_TRUE(ValidateSubscription(s).ok());
  s.set_address("ftp://example.org");
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("address"));
  s.set_channel(v1::CHANNEL_EMAIL);
  s.set_address("congan@vinhthuy.gov.vn");
  EXPECT_TRUE(ValidateSubscription(s).ok());
  s.set_address("not an address");
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("address"));
  s.set_address("a@b.vn");
  s.set_quiet_from("22:00");
  s.set_quiet_until("6:30");
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("quiet_until"));
  s.set_quiet_until("06:30");
  EXPECT_TRUE(ValidateSubscription(s).ok());
  s.set_quiet_from("24:00");
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("quiet_from"));
  s.set_quiet_from("22:00");
  s.set_digest_at("7h30");
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("digest_at"));
  s.set_digest_at("07:30");
  s.add_kinds(v1::NOTIFICATION_KIND_UNSPECIFIED);
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("kinds"));
  s.clear_kinds();
  s.set_channel(v1::CHANNEL_UNSPECIFIED);
  EXPECT_THAT(ValidateSubscription(s).message(), HasSubstr("channel"));
}

}  // namespace
}  // namespace tiendo::notification
