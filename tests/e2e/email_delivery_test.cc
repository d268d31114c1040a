// End to end: a reminder reaches the inbox and a real SMTP server (Debian's
// python3-aiosmtpd, run by tests/integration/smtp_sink.py) exactly once, in
// Vietnamese with the due date written dd/mm/yyyy.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"
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
    mail_dir_ = absl::StrCat(::testing::TempDir(), "/tiendo-mail-", getpid());
    std::filesystem::remove_all(mail_dir_);
    std::filesystem::create_directories(mail_dir_);
    const int port = PickFreePort();
    ASSERT_TRUE(smtp_.Start(
        "/usr/bin/python3",
        {std::string(TIENDO_SOURCE_DIR) + "/tests/integration/smtp_sink.py",
         absl::StrCat(port), mail_dir_},
        mail_dir_ + ".out", mail_dir_ + ".err"));
    ASSERT_TRUE(WaitUntil(
        [&] {
          return absl::StrContains(ReadFile(mail_dir_ + ".out"), "ready");
        },
        absl::Seconds(30)))
        << ReadFile(mail_dir_ + ".err");
    stack_.SetExtraFlags("notification",
                         {"--delivery_poll_ms=100",
                          absl::StrCat("--smtp_url=smtp://127.0.0.1:", port)});
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

  void TearDown() override {
    smtp_.Stop();
    std::filesystem::remove_all(mail_dir_);
  }

  std::vector<nlohmann::json> Mails() {
    std::vector<nlohmann::json> mails;
    for (const auto& entry : std::filesystem::directory_iterator(mail_dir_)) {
      if (entry.path().extension() == ".json") {
        mails.push_back(nlohmann::json::parse(ReadFile(entry.path())));
      }
    }
    return mails;
  }

  int MailsAbout(const std::string& occurrence) {
    int n = 0;
    for (const nlohmann::json& mail : Mails()) {
      const std::string text =
          mail["parts"]["text/plain"]["content"].get<std::string>();
      if (absl::StrContains(text, occurrence)) ++n;
    }
    return n;
  }

  std::string mail_dir_;
  ChildProcess smtp_;
  Stack stack_;
};

TEST_F(EmailDeliveryTest, ReminderReachesTheInboxAndTheMailServerOnce) {
  v1::Subscription subscription;
  subscription.set_agency(kLead);
  subscription.set_id("mail");
  subscription.set_channel(v1::CHANNEL_EMAIL);
  subscription.set_address("congan@vinhthuy.example");
  subscription.add_kinds("reminder");
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
      << ReadFile(mail_dir_ + ".err");
  int in_inbox = 0;
  for (const v1::Notification& n : stack_.Inbox(kLead)) {
    if (n.occurrence_id() == may && n.kind() == "reminder") ++in_inbox;
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
