// Messages as people receive them: every kind of notification written from
// its template with the fields the event gave (none left blank), and what a
// day's digest lists.
#include "services/notification/notification_message.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/reminder_text.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo::notification {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::LocalDate Day(int y, int m, int d) {
  v1::LocalDate date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

// The only notification an event gives for `agency`.
v1::Notification For(const v1::EventEnvelope& envelope,
                     const std::string& agency) {
  for (const Delivery& d : ComposeDeliveries(envelope)) {
    if (d.notification.agency() == agency) return d.notification;
  }
  ADD_FAILURE() << "no notification for " << agency;
  return {};
}

v1::EventEnvelope Deadline(v1::DeadlineApproaching::Kind kind) {
  v1::EventEnvelope envelope;
  envelope.set_event_id("evt-1");
  v1::DeadlineApproaching& e = *envelope.mutable_deadline_approaching();
  e.set_kind(kind);
  e.set_task_id("vinh-thuy:1199-KH-UBND#IV.3");
  e.set_unit("vinh-thuy");
  e.set_section("IV");
  e.set_number("3");
  e.set_task_title("Đánh số nhà, gắn biển số nhà");
  *e.mutable_due_date() = Day(2026, 12, 31);
  e.add_lead_agencies("vinhthuy.kinhte");
  e.set_standing_agency("vinhthuy.congan");
  e.add_recipients("vinhthuy.kinhte");
  e.add_recipients("vinhthuy.congan");
  e.set_occurrence_id("vinh-thuy:1199-KH-UBND#IV.3@2026-12-31");
  e.set_occurrence_label("31/12/2026");
  e.set_reminder_key("vinh-thuy:1199-KH-UBND#IV.3@2026-12-31/3d");
  if (kind == v1::DeadlineApproaching::KIND_REMINDER) {
    e.set_days_before(3);
    e.set_days_left(3);
  } else {
    e.set_days_overdue(kind == v1::DeadlineApproaching::KIND_ESCALATED ? 7 : 1);
  }
  return envelope;
}

TEST(NotificationMessageTest, ReminderNamesLeadAndIds) {
  const v1::Notification n =
      For(Deadline(v1::DeadlineApproaching::KIND_REMINDER), "vinhthuy.kinhte");
  const RenderedMessage m = RenderNotification(n, "vi", TemplateSet::Default());
  EXPECT_EQ(m.subject,
            "Nhắc hạn: nhiệm vụ IV.3 (vinh-thuy) – hạn 31/12/2026, còn 3 ngày");
  EXPECT_THAT(m.text, HasSubstr("Đơn vị chủ trì: vinhthuy.kinhte."));
  EXPECT_THAT(m.text, HasSubstr("Mã nhiệm vụ: vinh-thuy:1199-KH-UBND#IV.3"));
  EXPECT_THAT(m.text,
              HasSubstr("Mã đợt: vinh-thuy:1199-KH-UBND#IV.3@2026-12-31"));
  EXPECT_THAT(m.html, HasSubstr("31/12/2026"));
}

TEST(NotificationMessageTest, OverdueNamesLeadAndStandingBody) {
  const v1::Notification n =
      For(Deadline(v1::DeadlineApproaching::KIND_OVERDUE), "vinhthuy.congan");
  const RenderedMessage m = RenderNotification(n, "en", TemplateSet::Default());
  EXPECT_EQ(m.subject,
            "Overdue: task IV.3 (vinh-thuy) – due 31/12/2026, 1 days overdue");
  EXPECT_THAT(m.text, HasSubstr("Lead agency: vinhthuy.kinhte. Standing "
                                "body: vinhthuy.congan."));
}

TEST(NotificationMessageTest, EscalatedUsesItsOwnTemplate) {
  v1::EventEnvelope envelope =
      Deadline(v1::DeadlineApproaching::KIND_ESCALATED);
  envelope.mutable_deadline_approaching()->set_upper_unit("quang-tri");
  envelope.mutable_deadline_approaching()->set_upper_standing_agency(
      "quangtri.congan");
  envelope.mutable_deadline_approaching()->add_recipients("quangtri.congan");
  const v1::Notification n = For(envelope, "quangtri.congan");
  EXPECT_EQ(TemplateKind(n), "escalated");
  const RenderedMessage m = RenderNotification(n, "vi", TemplateSet::Default());
  EXPECT_EQ(m.subject,
            "Quá hạn, báo cáo cấp trên: nhiệm vụ IV.3 (vinh-thuy) – hạn "
            "31/12/2026, quá 7 ngày");
  EXPECT_THAT(m.text, HasSubstr("Cơ quan Thường trực cấp trên "
                                "(quangtri.congan, quang-tri)"));
  // A plain overdue notice keeps the overdue template.
  EXPECT_EQ(TemplateKind(For(Deadline(v1::DeadlineApproaching::KIND_OVERDUE),
                             "vinhthuy.congan")),
            "overdue");
}

// With the names the plan service sends, messages address people by them;
// the codes stay in the ids.
TEST(NotificationMessageTest, NamesAsThePlanWritesThem) {
  v1::EventEnvelope envelope =
      Deadline(v1::DeadlineApproaching::KIND_ESCALATED);
  v1::DeadlineApproaching& e = *envelope.mutable_deadline_approaching();
  e.set_upper_unit("quang-tri");
  e.set_upper_standing_agency("quangtri.congan");
  e.add_recipients("quangtri.congan");
  e.set_unit_name("Xã Vĩnh Thủy");
  (*e.mutable_agency_names())["vinhthuy.kinhte"] = "Phòng Kinh tế";
  (*e.mutable_agency_names())["vinhthuy.congan"] = "Công an xã";
  (*e.mutable_agency_names())["quangtri.congan"] = "Công an tỉnh Quảng Trị";
  const RenderedMessage m = RenderNotification(For(envelope, "quangtri.congan"),
                                               "vi", TemplateSet::Default());
  EXPECT_EQ(m.subject,
            "Quá hạn, báo cáo cấp trên: nhiệm vụ IV.3 (Xã Vĩnh Thủy) – hạn "
            "31/12/2026, quá 7 ngày");
  EXPECT_THAT(m.text, HasSubstr("Kính gửi Công an tỉnh Quảng Trị,"));
  EXPECT_THAT(m.text, HasSubstr("Cơ quan Thường trực cấp trên (Công an tỉnh "
                                "Quảng Trị, quang-tri)"));
  EXPECT_THAT(m.text, HasSubstr("Đơn vị chủ trì: Phòng Kinh tế. Cơ quan "
                                "Thường trực: Công an xã."));
  EXPECT_THAT(m.text, HasSubstr("Mã nhiệm vụ: vinh-thuy:1199-KH-UBND#IV.3"));
}

TEST(NotificationMessageTest, AtRiskCarriesItsFigures) {
  v1::EventEnvelope envelope;
  v1::TargetAtRisk& w = *envelope.mutable_target_at_risk();
  w.set_task_id("vinh-thuy:1199-KH-UBND#III.1");
  w.set_unit("vinh-thuy");
  w.set_indicator_code("k2");
  w.set_indicator("công dân có tài khoản định danh điện tử");
  w.set_target_percent(81);
  *w.mutable_due() = Day(2026, 12, 31);
  w.set_current_percent(52);
  w.set_projected_percent(62.04);
  w.set_gap(18.96);
  *w.mutable_as_of() = Day(2026, 7, 31);
  w.add_lead_agencies("vinhthuy.congan");
  w.set_standing_agency("vinhthuy.congan");
  w.set_warning_key("k2/1");
  const RenderedMessage m = RenderNotification(For(envelope, "vinhthuy.congan"),
                                               "vi", TemplateSet::Default());
  EXPECT_EQ(m.subject,
            "Cảnh báo chỉ tiêu: công dân có tài khoản định danh điện tử "
            "(vinh-thuy) dự báo đạt 62%, mục tiêu 81%");
  EXPECT_THAT(m.text, HasSubstr("hiện đạt 52% (số liệu đến ngày 31/07/2026), "
                                "dự báo đạt 62% vào 31/12/2026, thấp hơn mục "
                                "tiêu 81% (thiếu 19 điểm %)"));
}

TEST(NotificationMessageTest, DifficultyQuotesTheReport) {
  v1::EventEnvelope envelope;
  v1::TaskUpdated& u = *envelope.mutable_task_updated();
  u.set_task_id("vinh-thuy:1199-KH-UBND#IV.3");
  u.set_unit("vinh-thuy");
  u.set_version(3);
  u.set_reporting_agency("vinhthuy.kinhte");
  u.set_difficulty("Thiếu kinh phí đo đạc");
  u.add_lead_agencies("vinhthuy.kinhte");
  u.set_standing_agency("vinhthuy.congan");
  u.set_occurrence_id("vinh-thuy:1199-KH-UBND#IV.3@2026-12-31");
  const RenderedMessage m = RenderNotification(For(envelope, "vinhthuy.congan"),
                                               "vi", TemplateSet::Default());
  EXPECT_THAT(m.text, HasSubstr("vinhthuy.kinhte báo cáo vướng mắc"));
  EXPECT_THAT(m.text, HasSubstr("\"Thiếu kinh phí đo đạc\""));
  EXPECT_THAT(m.text, HasSubstr("(vinhthuy.congan)"));
}

// A kind without a template still says what the inbox says.
TEST(NotificationMessageTest, KindWithoutTemplateFallsBackToInboxText) {
  v1::Notification n;
  n.set_kind(v1::NOTIFICATION_KIND_UNSPECIFIED);
  n.set_section("IV");
  n.set_number("3");
  n.set_message("THÔNG BÁO: Nhiệm vụ IV.3");
  const RenderedMessage m = RenderNotification(n, "vi", TemplateSet::Default());
  EXPECT_EQ(m.text, "THÔNG BÁO: Nhiệm vụ IV.3");
  EXPECT_THAT(m.subject, HasSubstr("IV.3"));
}

v1::Notification Queued(v1::NotificationKind kind, const std::string& number,
                        v1::LocalDate due) {
  v1::Notification n;
  n.set_agency("vinhthuy.congan");
  n.set_kind(kind);
  n.set_task_id("vt#I." + number);
  n.set_unit("vinh-thuy");
  n.set_section("I");
  n.set_number(number);
  n.set_occurrence_id("vt#I." + number + "@x");
  *n.mutable_due_date() = due;
  return n;
}

TEST(PlanDigestTest, ListsOnePerOccurrenceAndKeepsWhatIsOverdue) {
  // Tuesday 2 June 2026.
  const absl::CivilDay day(2026, 6, 2);
  std::vector<QueuedItem> queued = {
      {1, Queued(v1::NOTIFICATION_KIND_REMINDER, "1", Day(2026, 6, 5))},
      // Its due date passed while it waited: overdue now, kept.
      {2, Queued(v1::NOTIFICATION_KIND_REPORT_DUE, "2", Day(2026, 6, 1))},
      {3, Queued(v1::NOTIFICATION_KIND_REMINDER, "3", Day(2026, 5, 28))},
      // The same occurrence as 3, which is overdue by now too: one line.
      {4, Queued(v1::NOTIFICATION_KIND_OVERDUE, "3", Day(2026, 5, 28))},
  };
  const DigestPlan plan = PlanDigest("vinhthuy.congan", day, queued);
  EXPECT_EQ(plan.digest.kind(), v1::NOTIFICATION_KIND_DIGEST);
  EXPECT_EQ(plan.digest.agency(), "vinhthuy.congan");
  EXPECT_EQ(plan.digest.digest_day().day(), 2);
  ASSERT_EQ(plan.digest.items_size(), 3);
  EXPECT_EQ(plan.digest.items(0).number(), "3");
  EXPECT_EQ(plan.digest.items(0).kind(), v1::NOTIFICATION_KIND_OVERDUE);
  EXPECT_EQ(plan.digest.items(0).days_overdue(), 5);
  EXPECT_EQ(plan.digest.items(1).number(), "2");
  EXPECT_EQ(plan.digest.items(1).kind(), v1::NOTIFICATION_KIND_OVERDUE);
  EXPECT_EQ(plan.digest.items(1).days_overdue(), 1);
  EXPECT_EQ(plan.digest.items(2).number(), "1");
  EXPECT_EQ(plan.digest.items(2).kind(), v1::NOTIFICATION_KIND_REMINDER);
  EXPECT_EQ(plan.digest.items(2).days_left(), 3);
  std::vector<int64_t> kept;
  for (const QueuedItem& item : plan.keep) {
    kept.push_back(item.id);
    EXPECT_EQ(item.notification.kind(), v1::NOTIFICATION_KIND_OVERDUE);
  }
  EXPECT_THAT(kept, ElementsAre(3, 2));

  const RenderedMessage m =
      RenderNotification(plan.digest, "vi", TemplateSet::Default());
  EXPECT_EQ(m.subject,
            "Tổng hợp nhắc việc ngày 02/06/2026: 2 quá hạn, 1 sắp đến hạn");
  EXPECT_THAT(m.text, HasSubstr("1. Quá hạn: nhiệm vụ I.3 (vinh-thuy) – hạn "
                                "28/05/2026, quá 5 ngày"));
  EXPECT_THAT(m.text, HasSubstr("1. Nhắc hạn: nhiệm vụ I.1 (vinh-thuy) – hạn "
                                "05/06/2026, còn 3 ngày"));
}

TEST(PlanDigestTest, NothingQueuedListsNothing) {
  const DigestPlan plan = PlanDigest("a", absl::CivilDay(2026, 6, 2), {});
  EXPECT_EQ(plan.digest.items_size(), 0);
  EXPECT_TRUE(plan.keep.empty());
}

TEST(PlanDigestTest, OnlyDeadlineKindsAreCollected) {
  for (v1::NotificationKind kind :
       {v1::NOTIFICATION_KIND_REMINDER, v1::NOTIFICATION_KIND_REPORT_DUE,
        v1::NOTIFICATION_KIND_BLOCKED, v1::NOTIFICATION_KIND_OVERDUE}) {
    EXPECT_TRUE(IsDigestKind(kind)) << kind;
  }
  for (v1::NotificationKind kind :
       {v1::NOTIFICATION_KIND_DIFFICULTY,
        v1::NOTIFICATION_KIND_DIFFICULTY_RESOLVED,
        v1::NOTIFICATION_KIND_AT_RISK, v1::NOTIFICATION_KIND_DIGEST}) {
    EXPECT_FALSE(IsDigestKind(kind)) << kind;
  }
  EXPECT_EQ(DigestItemKey(
                Queued(v1::NOTIFICATION_KIND_REMINDER, "1", Day(2026, 6, 5))),
            "vt#I.1@x");
}

}  // namespace
}  // namespace tiendo::notification
