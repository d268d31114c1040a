#include "services/notification/reminder_text.h"

#include <initializer_list>
#include <string>
#include <utility>
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
    EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_OVERDUE);
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
    EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_REMINDER);
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

// A monthly report obligation: the May report is due by 11/06/2026.
v1::DeadlineApproaching MakeReportEvent(v1::DeadlineApproaching::Kind kind) {
  v1::DeadlineApproaching event = MakeEvent(kind);
  event.set_task_id("vinh-thuy:1199-KH-UBND#BC.1");
  event.set_section("BC");
  event.set_number("1");
  event.set_task_title("Báo cáo kết quả thực hiện Đề án 06");
  event.mutable_due_date()->set_month(6);
  event.mutable_due_date()->set_day(11);
  event.set_report(true);
  event.set_occurrence_id("vinh-thuy:1199-KH-UBND#BC.1@2026-05");
  event.set_occurrence_label("tháng 5/2026");
  event.set_reminder_key("vinh-thuy:1199-KH-UBND#BC.1@2026-05/3d");
  return event;
}

TEST(ReminderTextTest, ReportReminderNamesThePeriod) {
  EXPECT_EQ(
      ReminderText(MakeReportEvent(v1::DeadlineApproaching::KIND_REMINDER),
                   false),
      "NHẮC HẠN BÁO CÁO: Kỳ báo cáo tháng 5/2026 của nhiệm vụ BC.1 \"Báo cáo "
      "kết quả thực hiện Đề án 06\" (vinh-thuy): hạn 11/06/2026, còn 3 ngày. "
      "Đơn vị chủ trì: vinhthuy.congan.");
}

TEST(ReminderTextTest, ReportReminderOnTheCutOffDay) {
  v1::DeadlineApproaching event =
      MakeReportEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.set_days_before(1);
  event.set_days_left(0);
  const std::string text = ReminderText(event, false);
  EXPECT_THAT(text, HasSubstr("hạn 11/06/2026, đến hạn hôm nay."));
  EXPECT_THAT(text, Not(HasSubstr("còn")));
}

TEST(ReminderTextTest, ReportWithoutLabelStillSaysReport) {
  v1::DeadlineApproaching event =
      MakeReportEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.clear_occurrence_label();
  EXPECT_THAT(
      ReminderText(event, false),
      StartsWith("NHẮC HẠN BÁO CÁO: Báo cáo định kỳ của nhiệm vụ BC.1"));
}

TEST(ReminderTextTest, OverdueReport) {
  const std::string text = ReminderText(
      MakeReportEvent(v1::DeadlineApproaching::KIND_OVERDUE), false);
  EXPECT_EQ(text,
            "QUÁ HẠN BÁO CÁO: Kỳ báo cáo tháng 5/2026 của nhiệm vụ BC.1 \"Báo "
            "cáo kết quả thực hiện Đề án 06\" (vinh-thuy) đã quá hạn 2 ngày "
            "(hạn báo cáo 11/06/2026). Đơn vị chủ trì: vinhthuy.congan.");
}

TEST(ReminderTextTest, MilestoneOfSeveralIsNamed) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.mutable_due_date()->set_month(6);
  event.mutable_due_date()->set_day(30);
  event.set_occurrence_id("vinh-thuy:1199-KH-UBND#III.4@2026-Q2");
  event.set_occurrence_label("Quý II/2026");
  EXPECT_EQ(ReminderText(event, false),
            "NHẮC HẠN: Nhiệm vụ III.4 \"Hoàn thành cấp căn cước cho công dân\" "
            "(vinh-thuy), đợt Quý II/2026, phải hoàn thành trước hết ngày "
            "30/06/2026, còn 3 ngày. Đơn vị chủ trì: vinhthuy.congan.");

  event.set_kind(v1::DeadlineApproaching::KIND_OVERDUE);
  event.set_days_overdue(1);
  const std::string overdue = ReminderText(event, false);
  EXPECT_THAT(overdue, StartsWith("QUÁ HẠN: Nhiệm vụ III.4"));
  EXPECT_THAT(overdue, HasSubstr("(vinh-thuy), đợt Quý II/2026, đã quá hạn 1 "
                                 "ngày (hạn hoàn thành 30/06/2026)."));
}

TEST(ReminderTextTest, LabelThatIsTheDueDateIsNotRepeated) {
  // A task with one milestone: its label is its due date, already written.
  const v1::DeadlineApproaching plain =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  v1::DeadlineApproaching labelled = plain;
  labelled.set_occurrence_id("vinh-thuy:1199-KH-UBND#III.4@2026-05-10");
  labelled.set_occurrence_label("10/05/2026");
  EXPECT_EQ(ReminderText(labelled, false), ReminderText(plain, false));
  EXPECT_THAT(ReminderText(labelled, false), Not(HasSubstr("đợt")));
}

TEST(ReminderTextTest, BlockedSaysSoAndIsEscalated) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.clear_lead_agencies();
  event.add_lead_agencies("vinhthuy.kinhte");
  event.set_blocked(true);
  const std::string plain = ReminderText(event, false);
  EXPECT_EQ(plain,
            "NHẮC HẠN - CÓ VƯỚNG MẮC: Nhiệm vụ III.4 \"Hoàn thành cấp căn cước "
            "cho công dân\" (vinh-thuy) phải hoàn thành trước hết ngày "
            "10/05/2026, còn 3 ngày. Nhiệm vụ đang có vướng mắc chưa được giải "
            "quyết và đã được báo cáo Cơ quan Thường trực (vinhthuy.congan). "
            "Đơn vị chủ trì: vinhthuy.kinhte.");
  EXPECT_EQ(ReminderText(event, true),
            "[Báo cáo Cơ quan Thường trực] " + plain);

  event.set_kind(v1::DeadlineApproaching::KIND_OVERDUE);
  event.set_days_overdue(4);
  EXPECT_THAT(ReminderText(event, false),
              StartsWith("QUÁ HẠN - CÓ VƯỚNG MẮC: Nhiệm vụ III.4"));
  EXPECT_THAT(ReminderText(event, false), HasSubstr("đã quá hạn 4 ngày"));
}

TEST(ComposeNotificationsTest, BlockedReminderEscalatesToStandingBody) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.clear_lead_agencies();
  event.add_lead_agencies("vinhthuy.kinhte");
  event.add_recipients("vinhthuy.kinhte");
  event.add_recipients("vinhthuy.congan");
  event.set_blocked(true);
  event.set_reminder_key("k");
  std::vector<Delivery> out = ComposeDeliveries(Envelope(event));
  ASSERT_EQ(out.size(), 2u);
  // Work held up by a difficulty is its own kind, for subscriptions.
  EXPECT_EQ(out[0].notification.kind(), v1::NOTIFICATION_KIND_BLOCKED);
  EXPECT_FALSE(out[0].notification.escalation());
  EXPECT_EQ(out[1].notification.agency(), "vinhthuy.congan");
  EXPECT_EQ(out[1].notification.kind(), v1::NOTIFICATION_KIND_BLOCKED);
  EXPECT_TRUE(out[1].notification.escalation());
  EXPECT_THAT(out[1].notification.message(),
              StartsWith("[Báo cáo Cơ quan Thường trực] NHẮC HẠN - CÓ VƯỚNG "
                         "MẮC: "));
  EXPECT_EQ(out[0].key, "k→vinhthuy.kinhte");
  EXPECT_EQ(out[1].key, "k→vinhthuy.congan");
}

// Seven days overdue, a commune's work also goes to the provincial police:
// they read it as an escalation, the commune's people as one more overdue
// notice that says where it went.
TEST(ComposeNotificationsTest, EscalatedToTheUnitAbove) {
  v1::DeadlineApproaching event =
      MakeEvent(v1::DeadlineApproaching::KIND_ESCALATED);
  event.clear_lead_agencies();
  event.add_lead_agencies("vinhthuy.kinhte");
  event.set_days_overdue(7);
  event.set_upper_unit("quang-tri");
  event.set_upper_standing_agency("quangtri.congan");
  event.set_reminder_key("III.4/escalated");
  for (const char* agency :
       {"vinhthuy.kinhte", "vinhthuy.congan", "quangtri.congan"}) {
    event.add_recipients(agency);
  }
  std::vector<Delivery> out = ComposeDeliveries(Envelope(event));
  ASSERT_EQ(out.size(), 3u);
  for (const Delivery& d : out) {
    EXPECT_EQ(d.notification.kind(), v1::NOTIFICATION_KIND_OVERDUE) << d.key;
    EXPECT_EQ(d.notification.days_overdue(), 7);
    EXPECT_THAT(d.notification.lead_agencies(),
                ::testing::ElementsAre("vinhthuy.kinhte"));
    EXPECT_EQ(d.notification.standing_agency(), "vinhthuy.congan");
    EXPECT_EQ(d.notification.template_fields().at("upper_standing"),
              "quangtri.congan");
    EXPECT_EQ(d.notification.template_fields().at("upper_unit"), "quang-tri");
    EXPECT_THAT(d.notification.message(),
                HasSubstr("đã quá hạn 7 ngày (hạn hoàn thành 10/05/2026). Đã "
                          "báo cáo Cơ quan Thường trực cấp trên "
                          "(quangtri.congan)."));
  }
  EXPECT_FALSE(out[0].notification.escalation());  // the lead
  EXPECT_TRUE(out[1].notification.escalation());   // the commune police
  EXPECT_TRUE(out[2].notification.escalation());   // the provincial police
  EXPECT_EQ(out[2].key, "III.4/escalated→quangtri.congan");
  EXPECT_THAT(out[2].notification.message(),
              StartsWith("[Báo cáo Cơ quan Thường trực] QUÁ HẠN: "));
}

TEST(ComposeNotificationsTest, ReminderCarriesItsOccurrence) {
  v1::DeadlineApproaching event =
      MakeReportEvent(v1::DeadlineApproaching::KIND_REMINDER);
  event.add_recipients("vinhthuy.congan");
  std::vector<Delivery> out = ComposeDeliveries(Envelope(event));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].key,
            "vinh-thuy:1199-KH-UBND#BC.1@2026-05/3d→vinhthuy.congan");
  const v1::Notification& n = out[0].notification;
  EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_REPORT_DUE);
  EXPECT_EQ(n.occurrence_id(), "vinh-thuy:1199-KH-UBND#BC.1@2026-05");
  EXPECT_EQ(n.occurrence_label(), "tháng 5/2026");
  EXPECT_EQ(n.due_date().month(), 6);
  EXPECT_EQ(n.due_date().day(), 11);
  EXPECT_THAT(n.message(), StartsWith("NHẮC HẠN BÁO CÁO: Kỳ báo cáo tháng "
                                      "5/2026"));
}

// A report on the May period of III.4 by its lead, raising a difficulty.
v1::EventEnvelope DifficultyEnvelope() {
  v1::EventEnvelope envelope;
  envelope.set_event_id("evt-7");
  envelope.set_unit("vinh-thuy");
  envelope.mutable_occurred_at()->set_seconds(1780246800);
  v1::TaskUpdated& u = *envelope.mutable_task_updated();
  u.set_task_id("vinh-thuy:1199-KH-UBND#III.4");
  u.set_unit("vinh-thuy");
  u.set_version(4);
  u.set_status(v1::TASK_STATUS_BLOCKED);
  u.set_reporting_agency("vinhthuy.kinhte");
  u.set_report_id("rep-7");
  u.add_lead_agencies("vinhthuy.kinhte");
  u.add_coordinating_agencies("vinhthuy.vhxh");
  u.set_standing_agency("vinhthuy.congan");
  u.set_occurrence_id("vinh-thuy:1199-KH-UBND#III.4@2026-05");
  u.set_occurrence_status(v1::OCCURRENCE_STATUS_BLOCKED);
  u.set_difficulty("Thiếu máy đọc căn cước tại Trung tâm Phục vụ hành chính");
  return envelope;
}

TEST(DifficultyTest, Text) {
  const v1::TaskUpdated update = DifficultyEnvelope().task_updated();
  EXPECT_EQ(DifficultyText(update, false),
            "VƯỚNG MẮC: Nhiệm vụ III.4 (vinh-thuy), đợt tháng 5/2026: "
            "vinhthuy.kinhte báo cáo vướng mắc \"Thiếu máy đọc căn cước tại "
            "Trung tâm Phục vụ hành chính\". Nhiệm vụ được đánh dấu có vướng "
            "mắc và báo cáo Cơ quan Thường trực (vinhthuy.congan) để tháo gỡ. "
            "Đơn vị chủ trì: vinhthuy.kinhte.");
  EXPECT_THAT(DifficultyText(update, true),
              StartsWith("[Báo cáo Cơ quan Thường trực] VƯỚNG MẮC: "));
}

TEST(DifficultyTest, ToLeadAndStandingBodyKeyedByReport) {
  std::vector<Delivery> out = ComposeDeliveries(DifficultyEnvelope());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key, "difficulty:rep-7→vinhthuy.kinhte");
  EXPECT_EQ(out[1].key, "difficulty:rep-7→vinhthuy.congan");
  EXPECT_EQ(out[0].notification.agency(), "vinhthuy.kinhte");
  EXPECT_EQ(out[1].notification.agency(), "vinhthuy.congan");
  EXPECT_FALSE(out[0].notification.escalation());
  EXPECT_TRUE(out[1].notification.escalation());
  for (const Delivery& d : out) {
    const v1::Notification& n = d.notification;
    EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_DIFFICULTY);
    EXPECT_EQ(n.task_id(), "vinh-thuy:1199-KH-UBND#III.4");
    EXPECT_EQ(n.unit(), "vinh-thuy");
    EXPECT_EQ(n.occurrence_id(), "vinh-thuy:1199-KH-UBND#III.4@2026-05");
    EXPECT_EQ(n.occurrence_label(), "tháng 5/2026");
    EXPECT_EQ(n.source_event_id(), "evt-7");
    EXPECT_EQ(n.created_at().seconds(), 1780246800);
    EXPECT_THAT(n.message(), HasSubstr("Thiếu máy đọc căn cước"));
  }
  // The coordinator is not told.
  EXPECT_EQ(ComposeNotifications(DifficultyEnvelope()).size(), 2u);
}

TEST(DifficultyTest, StandingBodyThatLeadsGetsOneEntry) {
  v1::EventEnvelope envelope = DifficultyEnvelope();
  envelope.mutable_task_updated()->add_lead_agencies("vinhthuy.congan");
  std::vector<Delivery> out = ComposeDeliveries(envelope);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].notification.agency(), "vinhthuy.kinhte");
  EXPECT_EQ(out[1].notification.agency(), "vinhthuy.congan");
  EXPECT_FALSE(out[1].notification.escalation());
}

TEST(DifficultyTest, ReportWithoutIdKeyedByTaskVersion) {
  v1::EventEnvelope envelope = DifficultyEnvelope();
  envelope.mutable_task_updated()->clear_report_id();
  std::vector<Delivery> out = ComposeDeliveries(envelope);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key,
            "difficulty:vinh-thuy:1199-KH-UBND#III.4#v4→vinhthuy.kinhte");
}

TEST(DifficultyTest, ResolvedTellsTheStandingBody) {
  v1::EventEnvelope envelope = DifficultyEnvelope();
  v1::TaskUpdated& u = *envelope.mutable_task_updated();
  u.clear_difficulty();
  u.set_difficulty_resolved(true);
  u.set_report_id("rep-8");
  u.set_status(v1::TASK_STATUS_IN_PROGRESS);
  u.set_note("Đã bổ sung 02 máy đọc");
  std::vector<Delivery> out = ComposeDeliveries(envelope);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].key, "difficulty-resolved:rep-8→vinhthuy.congan");
  EXPECT_EQ(out[0].notification.agency(), "vinhthuy.congan");
  EXPECT_EQ(out[0].notification.kind(),
            v1::NOTIFICATION_KIND_DIFFICULTY_RESOLVED);
  EXPECT_FALSE(out[0].notification.escalation());
  EXPECT_EQ(out[0].notification.message(),
            "ĐÃ GỠ VƯỚNG MẮC: Nhiệm vụ III.4 (vinh-thuy), đợt tháng 5/2026: "
            "vinhthuy.kinhte báo cáo vướng mắc đã được giải quyết. Ghi chú: "
            "\"Đã bổ sung 02 máy đọc\". Đơn vị chủ trì: vinhthuy.kinhte.");
}

TEST(DifficultyTest, ResolvedAndRaisedInOneReport) {
  v1::EventEnvelope envelope = DifficultyEnvelope();
  envelope.mutable_task_updated()->set_difficulty_resolved(true);
  std::vector<Delivery> out = ComposeDeliveries(envelope);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].notification.kind(),
            v1::NOTIFICATION_KIND_DIFFICULTY_RESOLVED);
  EXPECT_EQ(out[1].notification.kind(), v1::NOTIFICATION_KIND_DIFFICULTY);
  EXPECT_EQ(out[2].notification.kind(), v1::NOTIFICATION_KIND_DIFFICULTY);
  EXPECT_NE(out[0].key, out[2].key);  // both reach the standing body
}

TEST(DifficultyTest, PlainProgressAsksForNothing) {
  v1::EventEnvelope envelope = DifficultyEnvelope();
  envelope.mutable_task_updated()->clear_difficulty();
  envelope.mutable_task_updated()->set_status(v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_THAT(ComposeDeliveries(envelope), IsEmpty());
}

v1::EventEnvelope AtRiskEnvelope() {
  v1::EventEnvelope envelope;
  envelope.set_event_id("evt-9");
  envelope.set_unit("vinh-thuy");
  envelope.mutable_occurred_at()->set_seconds(1785000000);
  v1::TargetAtRisk& w = *envelope.mutable_target_at_risk();
  w.set_task_id("vinh-thuy:1199-KH-UBND#III.1");
  w.set_unit("vinh-thuy");
  w.set_indicator_code("k2");
  w.set_indicator("công dân từ đủ 14 tuổi có tài khoản định danh điện tử");
  w.set_target_percent(81);
  w.mutable_due()->set_year(2026);
  w.mutable_due()->set_month(12);
  w.mutable_due()->set_day(31);
  w.set_current_percent(52);
  w.set_projected_percent(62.04);
  w.set_gap(18.96);
  w.mutable_as_of()->set_year(2026);
  w.mutable_as_of()->set_month(7);
  w.mutable_as_of()->set_day(31);
  w.add_recipients("vinhthuy.vhxh");
  w.add_recipients("vinhthuy.congan");
  w.add_lead_agencies("vinhthuy.vhxh");
  w.set_standing_agency("vinhthuy.congan");
  w.set_task_title("Phát triển tài khoản định danh điện tử");
  w.set_warning_key("vinh-thuy:1199-KH-UBND#III.1/k2/2026-12-31/1");
  return envelope;
}

TEST(AtRiskTest, Text) {
  EXPECT_EQ(AtRiskText(AtRiskEnvelope().target_at_risk(), false),
            "CẢNH BÁO CHỈ TIÊU: Nhiệm vụ III.1 \"Phát triển tài khoản định "
            "danh điện tử\" (vinh-thuy): chỉ tiêu \"công dân từ đủ 14 tuổi có "
            "tài khoản định danh điện tử\" hiện đạt 52% (số liệu đến ngày "
            "31/07/2026), dự báo đạt 62% vào 31/12/2026, thấp hơn mục tiêu 81% "
            "(thiếu 19 điểm %). Đơn vị chủ trì: vinhthuy.vhxh.");
}

TEST(AtRiskTest, GapComputedWhenMissing) {
  v1::TargetAtRisk w = AtRiskEnvelope().target_at_risk();
  w.clear_gap();
  w.set_target_percent(90);
  w.set_projected_percent(72.5);
  const std::string text = AtRiskText(w, false);
  EXPECT_THAT(text, HasSubstr("dự báo đạt 72,5% vào 31/12/2026, thấp hơn mục "
                              "tiêu 90% (thiếu 17,5 điểm %)."));
}

TEST(AtRiskTest, OnePerRecipientKeyedByWarning) {
  std::vector<Delivery> out = ComposeDeliveries(AtRiskEnvelope());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key,
            "at_risk:vinh-thuy:1199-KH-UBND#III.1/k2/2026-12-31/1→vinhthuy."
            "vhxh");
  EXPECT_EQ(out[1].key,
            "at_risk:vinh-thuy:1199-KH-UBND#III.1/k2/2026-12-31/1→vinhthuy."
            "congan");
  EXPECT_EQ(out[0].notification.agency(), "vinhthuy.vhxh");
  EXPECT_EQ(out[1].notification.agency(), "vinhthuy.congan");
  EXPECT_FALSE(out[0].notification.escalation());
  EXPECT_TRUE(out[1].notification.escalation());
  EXPECT_THAT(out[1].notification.message(),
              StartsWith("[Báo cáo Cơ quan Thường trực] CẢNH BÁO CHỈ TIÊU: "));
  for (const Delivery& d : out) {
    EXPECT_EQ(d.notification.kind(), v1::NOTIFICATION_KIND_AT_RISK);
    EXPECT_EQ(d.notification.task_id(), "vinh-thuy:1199-KH-UBND#III.1");
    EXPECT_EQ(d.notification.task_title(),
              "Phát triển tài khoản định danh điện tử");
    EXPECT_EQ(d.notification.due_date().month(), 12);
    EXPECT_EQ(d.notification.source_event_id(), "evt-9");
  }
}

TEST(AtRiskTest, WithoutRecipientsGoesToLeadAndStandingBody) {
  v1::EventEnvelope envelope = AtRiskEnvelope();
  envelope.mutable_target_at_risk()->clear_recipients();
  std::vector<v1::Notification> out = ComposeNotifications(envelope);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].agency(), "vinhthuy.vhxh");
  EXPECT_EQ(out[1].agency(), "vinhthuy.congan");
}

TEST(OccurrenceLabelTest, FromKeysAndIds) {
  // Each key or occurrence id, and the label people read for it.
  for (const auto& [key, label] :
       std::initializer_list<std::pair<const char*, const char*>>{
           {"2026-05", "tháng 5/2026"},
           {"2026-12", "tháng 12/2026"},
           {"2026-Q2", "Quý II/2026"},
           {"2027-Q4", "Quý IV/2027"},
           {"2026-H1", "6 tháng đầu năm 2026"},
           {"2026-H2", "6 tháng cuối năm 2026"},
           {"2026", "năm 2026"},
           {"2026-05-31", "31/05/2026"},
           {"vinh-thuy:1199-KH-UBND#BC.1@2026-05", "tháng 5/2026"},
           {"vinh-thuy:1199-KH-UBND#II.3@trigger-1", "trigger-1"},
           {"2026-13", "2026-13"},
           {"2026-Q5", "2026-Q5"},
           {"2026-02-31", "2026-02-31"},
       }) {
    EXPECT_EQ(OccurrenceLabel(key), label) << key;
  }
}

TEST(FormatPercentViTest, OneDecimalWithComma) {
  EXPECT_EQ(FormatPercentVi(81), "81");
  EXPECT_EQ(FormatPercentVi(62.04), "62");
  EXPECT_EQ(FormatPercentVi(72.5), "72,5");
  EXPECT_EQ(FormatPercentVi(17.46), "17,5");
  EXPECT_EQ(FormatPercentVi(0), "0");
  EXPECT_EQ(FormatPercentVi(-0.01), "0");
  EXPECT_EQ(FormatPercentVi(100), "100");
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
