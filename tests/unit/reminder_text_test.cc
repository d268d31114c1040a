#include "services/notification/reminder_text.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kEllipsis[] = "…";

v1::DeadlineApproaching MakeEvent(v1::DeadlineApproaching::Kind kind) {
  v1::DeadlineApproaching event;
  event.set_kind(kind);
  event.set_task_id("vinh-thuy:1199-KH-UBND#III.4");
  event.set_unit("vinh-thuy");
  event.set_section("III");
  event.set_number("4");
  event.set_task_title("Hoàn thành cấp căn cước cho công dân");
  event.mutable_due_date()->set_year(2026);
  event.mutable_due_date()->set_month(5);
  event.mutable_due_date()->set_day(10);
  event.add_lead_agencies("vinhthuy.congan");
  event.set_standing_agency("vinhthuy.congan");
  if (kind == v1::DeadlineApproaching::KIND_OVERDUE) {
    event.set_days_overdue(2);
    event.set_days_left(-2);
  } else {
    event.set_days_before(3);
    event.set_days_left(3);
  }
  return event;
}

// True when `s` is well-formed UTF-8 (no truncated or stray sequences).
bool IsValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    if (c < 0x80) {
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

TEST(ReminderTextTest, Reminder) {
  const std::string text =
      ReminderText(MakeEvent(v1::DeadlineApproaching::KIND_REMINDER), false);
  EXPECT_THAT(text, HasSubstr("NHẮC HẠN"));
  EXPECT_THAT(text, HasSubstr("III.4"));
  EXPECT_THAT(text, HasSubstr("Hoàn thành cấp căn cước cho công dân"));
  EXPECT_THAT(text, HasSubstr("10/05/2026"));
  EXPECT_THAT(text, HasSubstr("còn 3 ngày"));
  EXPECT_THAT(text, HasSubstr("vinhthuy.congan"));
  EXPECT_THAT(text, Not(HasSubstr("QUÁ HẠN")));
}

TEST(ReminderTextTest, ReminderOnTheDueDay) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.set_days_left(0);
  const std::string text = ReminderText(event, false);
  EXPECT_THAT(text, HasSubstr("đến hạn hôm nay"));
  EXPECT_THAT(text, Not(HasSubstr("còn 0 ngày")));
}

TEST(ReminderTextTest, Overdue) {
  const std::string text =
      ReminderText(MakeEvent(v1::DeadlineApproaching::KIND_OVERDUE), false);
  EXPECT_THAT(text, StartsWith("QUÁ HẠN"));
  EXPECT_THAT(text, HasSubstr("III.4"));
  EXPECT_THAT(text, HasSubstr("quá hạn 2 ngày"));
  EXPECT_THAT(text, HasSubstr("10/05/2026"));
  EXPECT_THAT(text, Not(HasSubstr("NHẮC HẠN")));
}

TEST(ReminderTextTest, EscalationIsMarked) {
  const v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_OVERDUE);
  const std::string plain = ReminderText(event, false);
  const std::string escalated = ReminderText(event, true);
  EXPECT_NE(plain, escalated);
  EXPECT_THAT(escalated, HasSubstr("Cơ quan Thường trực"));
  EXPECT_THAT(escalated, HasSubstr("quá hạn 2 ngày"));
  EXPECT_THAT(plain, Not(HasSubstr("Cơ quan Thường trực")));
}

TEST(ReminderTextTest, LongTitleShortened) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  std::string title;
  for (int i = 0; i < 40; ++i) title += "Triển khai ";
  event.set_task_title(title);
  const std::string text = ReminderText(event, false);
  EXPECT_THAT(text, HasSubstr(kEllipsis));
  EXPECT_THAT(text, Not(HasSubstr(title)));
  EXPECT_TRUE(IsValidUtf8(text));
}

v1::EventEnvelope Envelope(const v1::DeadlineApproaching& event) {
  v1::EventEnvelope envelope;
  envelope.set_event_id("evt-1");
  envelope.set_type("tiendo.v1.DeadlineApproaching");
  envelope.set_unit("vinh-thuy");
  envelope.mutable_occurred_at()->set_seconds(1780246800);
  *envelope.mutable_deadline_approaching() = event;
  return envelope;
}

TEST(ComposeNotificationsTest, OnePerRecipientEscalatingToStandingBody) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_OVERDUE);
  event.clear_lead_agencies();
  event.add_lead_agencies("vinhthuy.kinhte");
  event.add_recipients("vinhthuy.kinhte");
  event.add_recipients("vinhthuy.vhxh");
  event.add_recipients("vinhthuy.congan");

  std::vector<v1::Notification> out = ComposeNotifications(Envelope(event));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].agency(), "vinhthuy.kinhte");
  EXPECT_EQ(out[1].agency(), "vinhthuy.vhxh");
  EXPECT_EQ(out[2].agency(), "vinhthuy.congan");
  EXPECT_FALSE(out[0].escalation());
  EXPECT_FALSE(out[1].escalation());
  EXPECT_TRUE(out[2].escalation());
  for (const v1::Notification& n : out) {
    EXPECT_EQ(n.kind(), "overdue");
    EXPECT_EQ(n.task_id(), "vinh-thuy:1199-KH-UBND#III.4");
    EXPECT_EQ(n.unit(), "vinh-thuy");
    EXPECT_EQ(n.section(), "III");
    EXPECT_EQ(n.number(), "4");
    EXPECT_EQ(n.days_overdue(), 2);
    EXPECT_EQ(n.due_date().day(), 10);
    EXPECT_EQ(n.source_event_id(), "evt-1");
    EXPECT_EQ(n.created_at().seconds(), 1780246800);
    EXPECT_EQ(n.id(), 0);
    EXPECT_THAT(n.message(), HasSubstr("quá hạn 2 ngày"));
  }
  EXPECT_EQ(out[2].message(), ReminderText(event, true));
  EXPECT_EQ(out[0].message(), ReminderText(event, false));
}

TEST(ComposeNotificationsTest, NoEscalationWhenStandingBodyLeads) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_OVERDUE);  // congan leads
  event.add_recipients("vinhthuy.congan");
  event.add_recipients("vinhthuy.vhxh");
  std::vector<v1::Notification> out = ComposeNotifications(Envelope(event));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FALSE(out[0].escalation());
  EXPECT_FALSE(out[1].escalation());
}

TEST(ComposeNotificationsTest, RemindersNeverEscalate) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.clear_lead_agencies();
  event.add_lead_agencies("vinhthuy.kinhte");
  event.add_recipients("vinhthuy.kinhte");
  event.add_recipients("vinhthuy.congan");  // standing body, as coordinator
  std::vector<v1::Notification> out = ComposeNotifications(Envelope(event));
  ASSERT_EQ(out.size(), 2u);
  for (const v1::Notification& n : out) {
    EXPECT_EQ(n.kind(), "reminder");
    EXPECT_FALSE(n.escalation());
    EXPECT_EQ(n.days_before(), 3);
    EXPECT_THAT(n.message(), HasSubstr("còn 3 ngày"));
  }
}

TEST(ComposeNotificationsTest, OtherEventsGiveNothing) {
  v1::EventEnvelope envelope;
  envelope.mutable_task_updated()->set_task_id("x");
  EXPECT_THAT(ComposeNotifications(envelope), IsEmpty());
}

TEST(ShortenTest, ShortTextUnchanged) {
  const std::string text = "Công an xã";
  EXPECT_EQ(Shorten(text, text.size()), text);
  EXPECT_EQ(Shorten(text, 100), text);
}

TEST(ShortenTest, CutsVietnameseOnCharacterBoundary) {
  // "ệ" is 3 bytes, "à" and "ư" are 2: cut at 2 falls inside "à".
  const std::string text = "Rà soát, cập nhật, điều chỉnh dữ liệu dân cư";
  EXPECT_EQ(Shorten(text, 2), std::string("R") + kEllipsis);
  EXPECT_EQ(Shorten(text, 3), std::string("Rà") + kEllipsis);

  for (size_t max = 0; max < text.size(); ++max) {
    const std::string out = Shorten(text, max);
    ASSERT_THAT(out, EndsWith(kEllipsis)) << max;
    const std::string kept =
        out.substr(0, out.size() - std::string(kEllipsis).size());
    EXPECT_TRUE(IsValidUtf8(out)) << max;
    EXPECT_TRUE(IsValidUtf8(kept)) << max;
    EXPECT_LE(kept.size(), max);
    EXPECT_GE(kept.size() + 3, max) << "cut more than one character";
    EXPECT_EQ(text.compare(0, kept.size(), kept), 0) << max;
  }
}

}  // namespace
}  // namespace tiendo::notification
