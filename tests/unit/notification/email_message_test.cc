#include "services/notification/email_message.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"

namespace tiendo::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

EmailContent Reminder() {
  return {.from = "tiendo@vinhthuy.gov.vn",
          .to = "congan.vinhthuy@example.vn",
          .subject =
              "Nhắc hạn: nhiệm vụ III.4 (Xã Vĩnh Thủy) – hạn "
              "31/05/2026, còn 3 ngày, kèm một tiêu đề dài để gấp dòng",
          .text = "Kính gửi Công an xã Vĩnh Thủy,\n\nMã đợt: III.4@2026-05",
          .html = "<p>Kính gửi Công an xã Vĩnh Thủy,</p>",
          .message_id = "reminder:vt#III.4@2026-05:3→cong-an-xa",
          .date = absl::FromCivil(absl::CivilSecond(2026, 5, 28, 7, 30, 0),
                                  LocalZone())};
}

// The header lines: everything before the first empty line.
std::vector<std::string> HeaderLines(const std::string& message) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(message, "\r\n")) {
    if (line.empty()) break;
    lines.emplace_back(line);
  }
  return lines;
}

TEST(EmailMessageTest, EveryHeaderLineIsPrintableAsciiAndShort) {
  const std::vector<std::string> headers =
      HeaderLines(BuildEmailMessage(Reminder()));
  ASSERT_GT(headers.size(), 5u);
  for (const std::string& line : headers) {
    EXPECT_LE(line.size(), 78u) << line;
    for (char c : line) {
      EXPECT_TRUE(c == '\t' || (c >= 0x20 && c <= 0x7e)) << line;
    }
  }
}

TEST(EmailMessageTest, MultipartAlternativeWithDateAndMessageId) {
  const std::string message = BuildEmailMessage(Reminder());
  EXPECT_THAT(message, HasSubstr("Date: Thu, 28 May 2026 07:30:00 +0700\r\n"));
  EXPECT_THAT(message, HasSubstr("<reminder=3Avt#III.4=402026-05=3A3=E2=86=92"
                                 "cong-an-xa@tiendo>"));
  EXPECT_THAT(message, HasSubstr("multipart/alternative"));
  EXPECT_THAT(message, HasSubstr("text/plain; charset=utf-8"));
  EXPECT_THAT(message, HasSubstr("text/html; charset=utf-8"));
  EXPECT_THAT(message, HasSubstr("Subject: =?"));
  EXPECT_THAT(message, Not(HasSubstr("Nhắc hạn")));  // all encoded
}

TEST(EmailMessageTest, TextOnlyWithoutHtml) {
  EmailContent content = Reminder();
  content.html.clear();
  const std::string message = BuildEmailMessage(content);
  EXPECT_THAT(message, Not(HasSubstr("multipart")));
  EXPECT_THAT(message, HasSubstr("text/plain; charset=utf-8"));
}

TEST(EmailMessageTest, SubjectCannotAddHeaders) {
  EmailContent content = Reminder();
  content.subject = "Xã\r\nBcc: x@y.vn";
  const std::string message = BuildEmailMessage(content);
  for (const std::string& line : HeaderLines(message)) {
    EXPECT_FALSE(absl::StartsWith(line, "Bcc:")) << line;
  }
}

TEST(EmailMessageTest, MessageIdEscapesWhatCannotBeInIt) {
  EXPECT_EQ(FormatMessageId("id-1@tiendo.local"), "<id-1@tiendo.local>");
  EXPECT_EQ(FormatMessageId("a b"), "<a=20b@tiendo>");
  EXPECT_EQ(FormatMessageId(""), "<message@tiendo>");
}

}  // namespace
}  // namespace tiendo::notification
