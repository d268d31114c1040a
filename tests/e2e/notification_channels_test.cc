// End to end: one reminder through every channel an agency subscribes to:
// the inbox, a webhook receiver (signature checked here) and a real SMTP
// server, once each, in Vietnamese with dd/mm/yyyy dates; quiet hours hold
// e-mail and webhooks (not the inbox) until morning; a daily digest lists
// the reminders at its time on working days and repeats what is overdue
// until it is done. The broker and the four services run as processes on
// a simulated clock with the Vĩnh Thủy plan imported as written.
#include <grpcpp/grpcpp.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

constexpr char kSecret[] = "khóa-của-cổng-Zalo";

class NotificationChannelsTest : public VinhThuyStackTest {
 protected:
  v1::Subscription Webhook() {
    v1::Subscription s;
    s.set_agency(kLead);
    s.set_id("zalo");
    s.set_channel(v1::CHANNEL_WEBHOOK);
    s.set_address(hook_.url());
    s.set_secret(kSecret);
    return s;
  }

  v1::Subscription Email() {
    v1::Subscription s;
    s.set_agency(kLead);
    s.set_id("mail");
    s.set_channel(v1::CHANNEL_EMAIL);
    s.set_address("congan@vinhthuy.example");
    return s;
  }

  int InInbox(const std::string& kind) {
    return VinhThuyStackTest::InInbox(kMay, kind);
  }
  std::vector<ReceivedRequest> HooksAboutMay() { return HooksAbout(kMay); }
  std::vector<nlohmann::json> MailsAboutMay() { return MailsAbout(kMay); }

  // Webhook requests about the May report of `kind`.
  int HooksAboutMay(const std::string& kind) {
    int n = 0;
    for (const ReceivedRequest& r : HooksAboutMay()) {
      if (nlohmann::json::parse(r.body)["kind"] == kind) ++n;
    }
    return n;
  }

  // Proves the delivery worker ran after the clocks were last set: the lead
  // raises a difficulty on the `month` report of BC.1 (a month not used
  // before: each marker is a new report), and a receiver
  // subscribed to difficulties only, without quiet hours or digest, gets
  // it at once.
  void WaitForWorkerPass(int month) {
    const std::string occurrence =
        absl::StrCat(kPlan, "#BC.1@2026-", month < 10 ? "0" : "", month);
    v1::ReportProgressRequest report;
    report.set_task_id(absl::StrCat(kPlan, "#BC.1"));
    report.set_agency(kLead);
    report.set_occurrence_id(occurrence);
    report.set_difficulty("Thiếu máy quét căn cước");
    report.set_request_id(absl::StrCat("marker-", month));
    grpc::Status s = stack_.Report(report);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_TRUE(WaitUntil([&] {
      for (const ReceivedRequest& r : marker_.requests()) {
        if (absl::StrContains(r.body, occurrence)) return true;
      }
      return false;
    }));
  }

  // What the webhook received as digests (difficulties, the markers, go
  // out at once).
  std::vector<ReceivedRequest> Digests() {
    std::vector<ReceivedRequest> out;
    for (const ReceivedRequest& r : hook_.requests()) {
      if (nlohmann::json::parse(r.body)["kind"] == "digest") out.push_back(r);
    }
    return out;
  }

  void SubscribeMarker() {
    v1::Subscription s;
    s.set_agency(kLead);
    s.set_id("marker");
    s.set_channel(v1::CHANNEL_WEBHOOK);
    s.set_address(marker_.url());
    s.add_kinds(v1::NOTIFICATION_KIND_DIFFICULTY);
    Subscribe(s);
  }

  WebhookReceiver marker_;
};

TEST_F(NotificationChannelsTest, ReminderReachesInboxWebhookAndMailOnceEach) {
  Subscribe(Webhook());
  Subscribe(Email());
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 8)));
  ASSERT_TRUE(WaitUntil(
      [&] {
        return InInbox("report_due") == 1 && HooksAboutMay().size() == 1 &&
               MailsAboutMay().size() == 1;
      },
      absl::Seconds(30)))
      << "inbox " << InInbox("report_due") << ", webhook "
      << HooksAboutMay().size() << ", mail " << MailsAboutMay().size() << "; "
      << smtp_.Log();

  const ReceivedRequest hook = HooksAboutMay()[0];
  EXPECT_TRUE(SignatureValid(hook, kSecret)) << hook.body;
  const nlohmann::json body = nlohmann::json::parse(hook.body);
  EXPECT_EQ(body["kind"], "report_due");
  EXPECT_EQ(body["due_date"], "11/06/2026");
  EXPECT_EQ(body["occurrence"], "tháng 5/2026");
  EXPECT_EQ(body["lead_agencies"][0], kLead);
  EXPECT_THAT(body["message"].get<std::string>(),
              HasSubstr("NHẮC HẠN BÁO CÁO: Kỳ báo cáo tháng 5/2026"));

  const nlohmann::json mail = MailsAboutMay()[0];
  EXPECT_EQ(mail["rcpt_tos"][0], "congan@vinhthuy.example");
  EXPECT_EQ(mail["subject"],
            "Nhắc hạn báo cáo: kỳ tháng 5/2026 của nhiệm vụ BC.1 (Vĩnh Thủy) "
            "– hạn 11/06/2026");
  const std::string text =
      mail["parts"]["text/plain"]["content"].get<std::string>();
  EXPECT_THAT(text, HasSubstr("hạn báo cáo 11/06/2026, còn 0 ngày"));
  // People's names as the plan writes them; the codes stay in the ids.
  EXPECT_THAT(text, HasSubstr("Kính gửi Công an xã,"));
  EXPECT_THAT(text, HasSubstr("Đơn vị chủ trì: Công an xã."));
  EXPECT_THAT(text, HasSubstr("Mã nhiệm vụ: vinh-thuy:1199-KH-UBND#BC.1"));
  EXPECT_THAT(mail["parts"]["text/html"]["content"].get<std::string>(),
              HasSubstr("11/06/2026"));

  // Time goes on and the same reminder point is never sent again: once the
  // next point (overdue) went out everywhere, a repeat would have too.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 12)));
  SettleWithMayOverdueAt(Local(2026, 6, 12, 8));
  EXPECT_EQ(InInbox("report_due"), 1);
  EXPECT_EQ(HooksAboutMay("report_due"), 1);
  EXPECT_EQ(HooksAboutMay().size(), 2u)
      << "the reminder and the overdue notice";
  EXPECT_EQ(MailsAboutMay().size(), 2u)
      << "the reminder and the overdue notice";
}

TEST_F(NotificationChannelsTest, QuietHoursHoldMailAndWebhookNotTheInbox) {
  v1::Subscription hook = Webhook();
  hook.set_quiet_from("22:00");
  hook.set_quiet_until("06:30");
  Subscribe(hook);
  v1::Subscription mail = Email();
  mail.set_quiet_from("22:00");
  mail.set_quiet_until("06:30");
  Subscribe(mail);
  SubscribeMarker();

  // The reminder point is reached at midnight: the inbox has it at once.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 0, 5)));
  ASSERT_TRUE(WaitUntil([&] { return InInbox("report_due") == 1; }));
  // The outgoing ones wait, without an attempt, until 06:30.
  ASSERT_TRUE(WaitUntil([&] {
    int held = 0;
    for (const v1::Delivery& d : stack_.Deliveries(kLead)) {
      if (!absl::StrContains(d.delivery_key(), kMay)) continue;
      if (d.state() == v1::Delivery::STATE_PENDING && d.attempts() == 0 &&
          d.next_attempt_at().seconds() ==
              absl::ToUnixSeconds(Local(2026, 6, 11, 6, 30))) {
        ++held;
      }
    }
    return held == 2;
  }));
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 6, 29)));
  WaitForWorkerPass(7);
  EXPECT_TRUE(HooksAboutMay().empty());
  EXPECT_TRUE(MailsAboutMay().empty());

  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 6, 30)));
  ASSERT_TRUE(WaitUntil(
      [&] {
        return HooksAboutMay().size() == 1 && MailsAboutMay().size() == 1;
      },
      absl::Seconds(30)));
  // Held, then sent once: the overdue notice next morning is the marker.
  SettleWithMayOverdueAt(Local(2026, 6, 12, 8));
  EXPECT_EQ(HooksAboutMay("report_due"), 1);
  EXPECT_EQ(HooksAboutMay().size(), 2u)
      << "the reminder and the overdue notice";
  EXPECT_EQ(MailsAboutMay().size(), 2u)
      << "the reminder and the overdue notice";
}

// What the digests the webhook received said of the May report, by day:
// "11/06/2026 report_due 0" (kind, then days left or overdue).
std::vector<std::string> MayInDigests(
    const std::vector<ReceivedRequest>& requests) {
  std::vector<std::string> out;
  for (const ReceivedRequest& r : requests) {
    const nlohmann::json body = nlohmann::json::parse(r.body);
    if (body["kind"] != "digest") continue;
    std::string line = body["digest_day"].get<std::string>() + " -";
    for (const nlohmann::json& item : body["items"]) {
      if (item["occurrence_id"] != VinhThuyStackTest::kMay) continue;
      const bool overdue = item["kind"] == "overdue";
      line = absl::StrCat(
          body["digest_day"].get<std::string>(), " ",
          item["kind"].get<std::string>(), " ",
          (overdue ? item["days_overdue"] : item["days_left"]).get<int>());
    }
    out.push_back(line);
  }
  return out;
}

TEST_F(NotificationChannelsTest, DigestAtItsTimeOnWorkingDaysOverdueRepeats) {
  v1::Subscription digest = Webhook();
  digest.set_digest_at("07:30");
  Subscribe(digest);
  SubscribeMarker();

  // Thursday 00:05: the reminder is in the inbox and queued, not sent.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 0, 5)));
  ASSERT_TRUE(WaitUntil([&] { return InInbox("report_due") == 1; }));
  WaitForWorkerPass(7);
  EXPECT_TRUE(Digests().empty());
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 7, 29)));
  WaitForWorkerPass(8);
  EXPECT_TRUE(Digests().empty());

  // 07:30: one digest, signed, listing it with the others of the day.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 11, 7, 30)));
  ASSERT_TRUE(
      WaitUntil([&] { return Digests().size() == 1; }, absl::Seconds(30)));
  EXPECT_TRUE(SignatureValid(Digests()[0], kSecret));

  // Friday: the report is overdue; the notice reaches the inbox once and
  // the digest at 07:30.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 12, 0, 5)));
  ASSERT_TRUE(WaitUntil([&] { return InInbox("overdue") == 1; }));
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 12, 7, 30)));
  ASSERT_TRUE(
      WaitUntil([&] { return Digests().size() == 2; }, absl::Seconds(30)));
  // No digest at the weekend; Monday's repeats it, four days overdue.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 13, 7, 30)));
  WaitForWorkerPass(9);
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 14, 7, 30)));
  WaitForWorkerPass(10);
  EXPECT_EQ(Digests().size(), 2u);
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 15, 7, 30)));
  ASSERT_TRUE(
      WaitUntil([&] { return Digests().size() == 3; }, absl::Seconds(30)));

  // The report comes in on Monday: Tuesday's digest, if any, leaves it out.
  v1::ReportProgressRequest report;
  report.set_task_id(absl::StrCat(kPlan, "#BC.1"));
  report.set_agency(kLead);
  report.set_occurrence_id(kMay);
  report.set_status(v1::TASK_STATUS_DONE);
  report.set_period_report(true);
  report.set_request_id("may-report");
  grpc::Status s = stack_.Report(report);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(WaitUntil([&] {
    v1::TaskState state;
    if (!stack_.TaskState(absl::StrCat(kPlan, "#BC.1"), &state).ok()) {
      return false;
    }
    return state.occurrences(0).status() == v1::OCCURRENCE_STATUS_DONE_LATE;
  }));
  // A difficulty on a later report of BC.1 follows the May report on the
  // same partition: once it is delivered, the notification service knows
  // May is done.
  WaitForWorkerPass(11);
  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 16, 7, 30)));
  WaitForWorkerPass(12);

  EXPECT_EQ(InInbox("overdue"), 1) << "overdue repeats in digests, not inbox";
  std::vector<std::string> days = MayInDigests(hook_.requests());
  ASSERT_GE(days.size(), 3u);
  EXPECT_EQ(days[0], "11/06/2026 report_due 0");
  EXPECT_EQ(days[1], "12/06/2026 overdue 1");
  EXPECT_EQ(days[2], "15/06/2026 overdue 4");
  for (size_t i = 3; i < days.size(); ++i) {
    EXPECT_EQ(days[i], "16/06/2026 -") << "listed after it was done";
  }
  for (const ReceivedRequest& r : hook_.requests()) {
    EXPECT_TRUE(SignatureValid(r, kSecret));
  }
}

}  // namespace
}  // namespace tiendo::testing
