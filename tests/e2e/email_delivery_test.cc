// End to end: a reminder reaches the inbox and a real SMTP server (Debian's
// python3-aiosmtpd, run by tools/sinks/smtp_sink.py) exactly once, in
// Vietnamese with the due date written dd/mm/yyyy.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

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

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
constexpr char kLead[] = "vinhthuy.congan";

class EmailDeliveryTest : public ::testing::Test {
 protected:
  EmailDeliveryTest() : stack_("2026-05-26T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(smtp_.Start()) << smtp_.Log();
    stack_.SetExtraFlags("notification", {"--delivery_poll_ms=100",
                                          "--smtp_url=" + smtp_.url()});
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
    v1::ImportPlanRequest request;
    request.set_text(ReadFile(
        absl::StrCat(TIENDO_SOURCE_DIR, "/examples/plans/vinh-thuy-1199.txt")));
    v1::ImportPlanResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s = stack_.Plan()->ImportPlan(&context, request, &response);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_TRUE(WaitUntil(
        [&] { return stack_.TaskState(absl::StrCat(kPlan, "#BC.1")).ok(); }));
  }

  std::vector<nlohmann::json> Mails() { return smtp_.Mails(); }

  int MailsAbout(const std::string& occurrence) {
    int n = 0;
    for (const nlohmann::json& mail : Mails()) {
      const std::string text =
          mail["parts"]["text/plain"]["content"].get<std::string>();
      if (absl::StrContains(text, occurrence)) ++n;
    }
    return n;
  }

  SmtpSink smtp_{absl::StrCat(::testing::TempDir(), "/tiendo-mail-", getpid())};
  Stack stack_;
};

TEST_F(EmailDeliveryTest, ReminderReachesTheInboxAndTheMailServerOnce) {
  v1::Subscription subscription;
  subscription.set_agency(kLead);
  subscription.set_id("mail");
  subscription.set_channel(v1::CHANNEL_EMAIL);
  subscription.set_address("congan@vinhthuy.example");
  subscription.add_kinds("report_due");
  {
    v1::Subscription stored;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Notification()->SetSubscription(&context, subscription, &stored);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // The May report (BC.1) is due 11/06/2026; its reminder comes that day.
  const std::string may = absl::StrCat(kPlan, "#BC.1@2026-05");
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 8)));
  ASSERT_TRUE(
      WaitUntil([&] { return MailsAbout(may) == 1; }, absl::Seconds(30)))
      << smtp_.Log();
  int in_inbox = 0;
  for (const v1::Notification& n : stack_.Inbox(kLead)) {
    if (n.occurrence_id() == may && n.kind() == "report_due") ++in_inbox;
  }
  EXPECT_EQ(in_inbox, 1);

  nlohmann::json mail;
  for (const nlohmann::json& m : Mails()) {
    if (absl::StrContains(
            m["parts"]["text/plain"]["content"].get<std::string>(), may)) {
      mail = m;
    }
  }
  EXPECT_THAT(mail["subject"].get<std::string>(), HasSubstr("Nhắc hạn"));
  EXPECT_THAT(mail["subject"].get<std::string>(), HasSubstr("11/06/2026"));
  EXPECT_THAT(mail["rcpt_tos"][0].get<std::string>(),
              "congan@vinhthuy.example");
  EXPECT_THAT(mail["parts"]["text/html"]["content"].get<std::string>(),
              HasSubstr("11/06/2026"));

  // Later ticks send nothing again.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 12)));
  absl::SleepFor(absl::Seconds(2));
  EXPECT_EQ(MailsAbout(may), 1);
}

}  // namespace
}  // namespace tiendo::testing
