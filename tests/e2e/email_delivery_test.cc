// End to end: a reminder reaches the inbox and a real SMTP server (Debian's
// python3-aiosmtpd, run by tools/sinks/smtp_sink.py) exactly once, in
// Vietnamese with the due date written dd/mm/yyyy.
#include <grpcpp/grpcpp.h>

#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"
#include "tests/support/receivers.h"
#include "tests/support/stack.h"
#include "tests/support/vinh_thuy_stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

class EmailDeliveryTest : public VinhThuyStackTest {
 protected:
  int MailsAboutMay() { return static_cast<int>(MailsAbout(kMay).size()); }
};

TEST_F(EmailDeliveryTest, ReminderReachesTheInboxAndTheMailServerOnce) {
  v1::Subscription subscription;
  subscription.set_agency(kLead);
  subscription.set_id("mail");
  subscription.set_channel(v1::CHANNEL_EMAIL);
  subscription.set_address("congan@vinhthuy.example");
  subscription.add_kinds(v1::NOTIFICATION_KIND_REPORT_DUE);
  Subscribe(subscription);
  // The May report (BC.1) is due 11/06/2026; its reminder comes that day.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 8)));
  ASSERT_TRUE(
      WaitUntil([&] { return MailsAboutMay() == 1; }, absl::Seconds(30)))
      << smtp_.Log();
  EXPECT_EQ(InInbox(kMay, "report_due"), 1);

  nlohmann::json mail;
  for (const nlohmann::json& m : MailsAbout(kMay)) mail = m;
  EXPECT_THAT(mail["subject"].get<std::string>(), HasSubstr("Nhắc hạn"));
  EXPECT_THAT(mail["subject"].get<std::string>(), HasSubstr("11/06/2026"));
  EXPECT_THAT(mail["rcpt_tos"][0].get<std::string>(),
              "congan@vinhthuy.example");
  EXPECT_THAT(mail["parts"]["text/html"]["content"].get<std::string>(),
              HasSubstr("11/06/2026"));

  // Later ticks send nothing again: the overdue notice (not subscribed to
  // by mail) is the marker behind any repeat of the reminder.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 12)));
  SettleWithMayOverdueAt(Local(2026, 6, 12, 8));
  EXPECT_EQ(MailsAboutMay(), 1);
  EXPECT_EQ(InInbox(kMay, "report_due"), 1);
}

}  // namespace
}  // namespace tiendo::testing
