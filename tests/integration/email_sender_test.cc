// E-mail against a real SMTP server (aiosmtpd from Debian's packages) on
// loopback: what arrives is decoded by Python's MIME parser, not ours.
#include "services/notification/email_sender.h"

#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/common/clock.h"
#include "services/notification/templates.h"
#include "tests/support/process.h"
#include "tests/support/receivers.h"

namespace tiendo::notification {
namespace {

using ::tiendo::testing::ChildProcess;
using ::tiendo::testing::PickFreePort;
using ::tiendo::testing::ReadFile;
using ::tiendo::testing::SmtpSink;
using ::tiendo::testing::WaitUntil;

// Debian's interpreter: the one python3-aiosmtpd is installed for.
constexpr char kPython[] = "/usr/bin/python3";

class EmailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(smtp_.Start()) << smtp_.Log(); }

  std::string Url() const { return smtp_.url(); }
  std::string MailPath(int n, const char* ext) const {
    char name[16];
    snprintf(name, sizeof(name), "%04d.%s", n, ext);
    return smtp_.dir() + "/" + name;
  }
  int StoredMessages() const { return static_cast<int>(smtp_.Mails().size()); }

  SmtpSink smtp_{absl::StrCat(
      ::testing::TempDir(), "/email-test-", getpid(), "-",
      ::testing::UnitTest::GetInstance()->current_test_info()->name())};
};

TEST_F(EmailSenderTest, DeliversVietnameseMultipartMessage) {
  // 28/05/2026 07:30 local.
  SimulatedClock clock(
      absl::FromCivil(absl::CivilSecond(2026, 5, 28, 7, 30, 0), LocalZone()),
      "");
  TemplateFields fields = {
      {"agency", "Công an xã Vĩnh Thủy"},
      {"unit", "Xã Vĩnh Thủy"},
      {"section", "III"},
      {"number", "4"},
      {"title",
       "Thu nhận hồ sơ định danh điện tử mức độ 2 <ưu tiên> & cấp "
       "tài khoản"},
      {"occurrence", "tháng 5/2026"},
      {"due_date", "31/05/2026"},
      {"days_left", "3"},
      {"lead", "Công an xã"},
      {"task_id", "vinh-thuy-2026#III.4"},
      {"occurrence_id", "vinh-thuy-2026#III.4@2026-05"},
  };
  absl::StatusOr<RenderedMessage> rendered =
      TemplateSet::Default().Render("reminder", "vi", fields);
  ASSERT_TRUE(rendered.ok()) << rendered.status();

  EmailSender sender(Url(), "tiendo@vinhthuy.gov.vn", &clock);
  SendResult result = sender.Send(
      "congan.vinhthuy@example.vn", rendered->subject, rendered->text,
      rendered->html, "reminder:vinh-thuy-2026#III.4@2026-05:3→cong-an-xa");
  ASSERT_EQ(result.outcome, SendResult::Outcome::kDelivered) << result.error;
  EXPECT_EQ(result.smtp_code, 250);

  ASSERT_TRUE(
      WaitUntil([&] { return StoredMessages() == 1; }, absl::Seconds(10)));
  nlohmann::json got = nlohmann::json::parse(ReadFile(MailPath(1, "json")));
  const std::string raw = ReadFile(MailPath(1, "eml"));

  EXPECT_EQ(got["mail_from"], "tiendo@vinhthuy.gov.vn");
  EXPECT_EQ(got["rcpt_tos"], nlohmann::json({"congan.vinhthuy@example.vn"}));
  // The subject travels encoded and decodes to the Vietnamese text.
  EXPECT_TRUE(absl::StrContains(raw, "Subject: =?UTF-8?B?")) << raw;
  EXPECT_EQ(got["subject"].get<std::string>(),
            "Nhắc hạn: nhiệm vụ III.4 (Xã Vĩnh Thủy) – hạn 31/05/2026, còn 3 "
            "ngày");
  EXPECT_EQ(got["subject"].get<std::string>(), rendered->subject);
  EXPECT_EQ(got["date"], "Thu, 28 May 2026 07:30:00 +0700");
  EXPECT_EQ(got["message_id"].get<std::string>(),
            "<reminder=3Avinh-thuy-2026#III.4=40"
            "2026-05=3A3=E2=86=92cong-an-xa@tiendo>");
  EXPECT_EQ(got["content_type"], "multipart/alternative");

  const nlohmann::json& text = got["parts"]["text/plain"];
  ASSERT_TRUE(text.is_object()) << got.dump();
  EXPECT_EQ(text["charset"], "utf-8");
  const std::string text_content = text["content"].get<std::string>();
  EXPECT_TRUE(absl::StrContains(text_content,
                                "phải hoàn thành trước hết ngày 31/05/2026"))
      << text_content;
  EXPECT_TRUE(absl::StrContains(text_content, "Kính gửi Công an xã Vĩnh Thủy"));
  EXPECT_TRUE(absl::StrContains(text_content,
                                "\"Thu nhận hồ sơ định danh điện tử mức độ 2 "
                                "<ưu tiên> & cấp tài khoản\""));
  EXPECT_TRUE(
      absl::StrContains(text_content, "Mã đợt: vinh-thuy-2026#III.4@2026-05"));

  const nlohmann::json& html = got["parts"]["text/html"];
  ASSERT_TRUE(html.is_object()) << got.dump();
  EXPECT_EQ(html["charset"], "utf-8");
  const std::string html_content = html["content"].get<std::string>();
  EXPECT_TRUE(absl::StrContains(html_content, "31/05/2026"));
  EXPECT_TRUE(
      absl::StrContains(html_content, "&lt;ưu tiên&gt; &amp; cấp tài khoản"))
      << html_content;
  EXPECT_FALSE(absl::StrContains(html_content, "<ưu tiên>"));
}

TEST_F(EmailSenderTest, LongSubjectIsFoldedAndStillDecodes) {
  EmailSender sender(Url(), "tiendo@example.vn");
  const std::string subject =
      "Quá hạn: nhiệm vụ II.12 (Tỉnh Đồng Tháp) – Triển khai các tiện ích "
      "của ứng dụng định danh điện tử VNeID trên địa bàn toàn tỉnh, quá 15 "
      "ngày";
  SendResult result = sender.Send("vanphong@example.vn", subject, "Nội dung",
                                  "<p>Nội dung</p>", "id-1@tiendo.local");
  ASSERT_TRUE(result.delivered()) << result.error;
  ASSERT_TRUE(
      WaitUntil([&] { return StoredMessages() == 1; }, absl::Seconds(10)));
  nlohmann::json got = nlohmann::json::parse(ReadFile(MailPath(1, "json")));
  EXPECT_EQ(got["subject"].get<std::string>(), subject);
  EXPECT_EQ(got["message_id"], "<id-1@tiendo.local>");
  // Every line of the message within SMTP's limit, and the header folded.
  const std::string raw = ReadFile(MailPath(1, "eml"));
  for (absl::string_view line : absl::StrSplit(raw, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
  }
  EXPECT_TRUE(absl::StrContains(raw, "?=\r\n =?UTF-8?B?"));
}

TEST_F(EmailSenderTest, ClassifiesFailures) {
  EmailSender sender(Url(), "tiendo@example.vn");
  SendResult rejected =
      sender.Send("reject-me@example.vn", "Chủ đề", "a", "<p>a</p>", "m1");
  EXPECT_EQ(rejected.outcome, SendResult::Outcome::kPermanent)
      << rejected.error;
  EXPECT_EQ(rejected.smtp_code, 550);
  EXPECT_FALSE(rejected.error.empty());

  SendResult busy =
      sender.Send("busy@example.vn", "Chủ đề", "a", "<p>a</p>", "m2");
  EXPECT_EQ(busy.outcome, SendResult::Outcome::kRetry) << busy.error;
  EXPECT_EQ(busy.smtp_code, 451);

  SendResult bad_address =
      sender.Send("a@b.vn\r\nBcc: x@y.vn", "s", "a", "<p>a</p>", "m3");
  EXPECT_EQ(bad_address.outcome, SendResult::Outcome::kPermanent);
  EXPECT_EQ(StoredMessages(), 0);

  // Nothing listens on a fresh port: refused, so worth retrying later.
  EmailSender nowhere(absl::StrCat("smtp://127.0.0.1:", PickFreePort()),
                      "tiendo@example.vn");
  SendResult refused = nowhere.Send("a@example.vn", "s", "a", "<p>a</p>", "m4");
  EXPECT_EQ(refused.outcome, SendResult::Outcome::kRetry) << refused.error;
  EXPECT_EQ(refused.smtp_code, 0);
}

TEST_F(EmailSenderTest, ServerThatNeverAnswersTimesOutAsRetry) {
  // A listening socket nobody accepts from: the greeting never comes.
  ChildProcess silent;
  const int port = PickFreePort();
  ASSERT_TRUE(silent.Start(kPython,
                           {"-c", absl::StrCat("import socket,time\n"
                                               "s=socket.socket()\n"
                                               "s.bind(('127.0.0.1',",
                                               port,
                                               "))\n"
                                               "s.listen(1)\n"
                                               "print('ready',flush=True)\n"
                                               "time.sleep(60)\n")},
                           smtp_.dir() + "/silent.out",
                           smtp_.dir() + "/silent.err"));
  ASSERT_TRUE(WaitUntil(
      [&] {
        return absl::StrContains(ReadFile(smtp_.dir() + "/silent.out"),
                                 "ready");
      },
      absl::Seconds(30)));
  EmailSender::Options options;
  options.timeout = absl::Seconds(1);
  EmailSender sender(absl::StrCat("smtp://127.0.0.1:", port),
                     "tiendo@example.vn", nullptr, options);
  SendResult result = sender.Send("a@example.vn", "s", "a", "<p>a</p>", "m");
  EXPECT_EQ(result.outcome, SendResult::Outcome::kRetry) << result.error;
  EXPECT_TRUE(absl::StrContains(result.error, "imeout")) << result.error;
  silent.Kill();
}

}  // namespace
}  // namespace tiendo::notification
