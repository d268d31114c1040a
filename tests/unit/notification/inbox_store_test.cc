#include "services/notification/inbox_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/sqlite.h"
#include "tests/support/test_database.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;
using ::tiendo::testing::InMemoryDatabase;

constexpr char kTask[] = "vinh-thuy:1199-KH-UBND#BC.1";
constexpr char kLead[] = "vinhthuy.congan";
constexpr char kOther[] = "vinhthuy.kinhte";

std::string Occurrence(const std::string& key) {
  return absl::StrCat(kTask, "@", key);
}

// The reminder 3 days before the cut-off of one monthly report.
v1::EventEnvelope Reminder(const std::string& key, int month) {
  v1::EventEnvelope envelope;
  envelope.set_event_id(absl::StrCat("deadline-", key));
  envelope.set_unit("vinh-thuy");
  v1::DeadlineApproaching& e = *envelope.mutable_deadline_approaching();
  e.set_kind(v1::DeadlineApproaching::KIND_REMINDER);
  e.set_task_id(kTask);
  e.set_unit("vinh-thuy");
  e.set_section("BC");
  e.set_number("1");
  e.set_task_title("Báo cáo kết quả thực hiện");
  e.mutable_due_date()->set_year(2026);
  e.mutable_due_date()->set_month(month + 1);
  e.mutable_due_date()->set_day(11);
  e.set_days_before(3);
  e.set_days_left(3);
  e.add_recipients(kLead);
  e.add_lead_agencies(kLead);
  e.set_standing_agency(kLead);
  e.set_reminder_key(absl::StrCat(Occurrence(key), "/3d"));
  e.set_occurrence_id(Occurrence(key));
  e.set_occurrence_label(absl::StrCat("tháng ", month, "/2026"));
  e.set_report(true);
  return envelope;
}

// A task-level reminder, for a task without occurrences.
v1::EventEnvelope TaskReminder() {
  v1::EventEnvelope envelope = Reminder("2026-05", 5);
  v1::DeadlineApproaching& e = *envelope.mutable_deadline_approaching();
  e.clear_occurrence_id();
  e.clear_occurrence_label();
  e.set_report(false);
  e.set_reminder_key(absl::StrCat(kTask, "/3d"));
  return envelope;
}

v1::TaskUpdated OccurrenceUpdate(const std::string& key, uint64_t version,
                                 v1::OccurrenceStatus status) {
  v1::TaskUpdated u;
  u.set_task_id(kTask);
  u.set_unit("vinh-thuy");
  u.set_version(version);
  // The task as a whole goes on: only the period is done.
  u.set_status(v1::TASK_STATUS_IN_PROGRESS);
  u.set_occurrence_id(Occurrence(key));
  u.set_occurrence_status(status);
  u.set_report_id(absl::StrCat("rep-", version));
  u.set_reporting_agency(kLead);
  u.add_lead_agencies(kLead);
  u.set_standing_agency(kLead);
  return u;
}

v1::TaskUpdated TaskUpdate(uint64_t version, v1::TaskStatus status) {
  v1::TaskUpdated u;
  u.set_task_id(kTask);
  u.set_unit("vinh-thuy");
  u.set_version(version);
  u.set_status(status);
  u.set_report_id(absl::StrCat("rep-", version));
  return u;
}

v1::EventEnvelope Wrap(const v1::TaskUpdated& update,
                       const std::string& event_id) {
  v1::EventEnvelope envelope;
  envelope.set_event_id(event_id);
  envelope.set_unit("vinh-thuy");
  *envelope.mutable_task_updated() = update;
  return envelope;
}

v1::EventEnvelope AtRisk(const std::string& warning_key,
                         const std::string& event_id) {
  v1::EventEnvelope envelope;
  envelope.set_event_id(event_id);
  envelope.set_unit("vinh-thuy");
  v1::TargetAtRisk& w = *envelope.mutable_target_at_risk();
  w.set_task_id("vinh-thuy:1199-KH-UBND#III.1");
  w.set_unit("vinh-thuy");
  w.set_indicator("công dân có tài khoản định danh điện tử");
  w.set_target_percent(81);
  w.set_projected_percent(62);
  w.set_gap(19);
  w.set_current_percent(52);
  w.mutable_due()->set_year(2026);
  w.mutable_due()->set_month(12);
  w.mutable_due()->set_day(31);
  w.add_recipients(kOther);
  w.add_recipients(kLead);
  w.add_lead_agencies(kOther);
  w.set_standing_agency(kLead);
  w.set_warning_key(warning_key);
  return envelope;
}

class InboxStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = InMemoryDatabase();
    ASSERT_NE(db_, nullptr);
    store_ = std::make_unique<InboxStore>(*db_);
    ASSERT_TRUE(store_->Init().ok());
  }

  // Each call is one consumer transaction, as in the service.
  int AddReminder(const v1::EventEnvelope& envelope) {
    int added = -1;
    absl::Status s = db_->Transaction([&]() -> absl::Status {
      absl::StatusOr<int> n = store_->AddReminder(envelope);
      if (!n.ok()) return n.status();
      added = *n;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return added;
  }

  absl::StatusOr<int> TryAddNotices(const v1::EventEnvelope& envelope) {
    int added = -1;
    absl::Status s = db_->Transaction([&]() -> absl::Status {
      absl::StatusOr<int> n = store_->AddNotices(envelope);
      if (!n.ok()) return n.status();
      added = *n;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return added;
  }

  // -1 (and a failure) when the store refused.
  int AddNotices(const v1::EventEnvelope& envelope) {
    absl::StatusOr<int> n = TryAddNotices(envelope);
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }

  void Apply(const v1::TaskUpdated& update) {
    absl::Status s =
        db_->Transaction([&] { return store_->ApplyTaskUpdate(update); });
    ASSERT_TRUE(s.ok()) << s;
  }

  std::vector<v1::Notification> Inbox(const std::string& agency) {
    absl::StatusOr<std::vector<v1::Notification>> list =
        store_->List(agency, 0);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? *list : std::vector<v1::Notification>{};
  }

  std::unique_ptr<Database> db_;
  std::unique_ptr<InboxStore> store_;
};

TEST_F(InboxStoreTest, ReminderStoredOncePerPointAndAgency) {
  EXPECT_EQ(AddReminder(Reminder("2026-05", 5)), 1);
  EXPECT_EQ(AddReminder(Reminder("2026-05", 5)), 0);
  std::vector<v1::Notification> inbox = Inbox(kLead);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].id(), 1);
  EXPECT_EQ(inbox[0].occurrence_id(), Occurrence("2026-05"));
  EXPECT_EQ(inbox[0].occurrence_label(), "tháng 5/2026");
}

TEST_F(InboxStoreTest, DoneOccurrenceDropsOnlyItsOwnReminders) {
  Apply(OccurrenceUpdate("2026-05", 1, v1::OCCURRENCE_STATUS_DONE));
  Apply(OccurrenceUpdate("2026-06", 2, v1::OCCURRENCE_STATUS_DONE_LATE));

  EXPECT_EQ(AddReminder(Reminder("2026-05", 5)), 0);
  EXPECT_EQ(AddReminder(Reminder("2026-06", 6)), 0);
  EXPECT_EQ(AddReminder(Reminder("2026-07", 7)), 1);
  std::vector<v1::Notification> inbox = Inbox(kLead);
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].occurrence_id(), Occurrence("2026-07"));

  // The task as a whole was not declared done: a task-level point of it is
  // still delivered.
  EXPECT_EQ(AddReminder(TaskReminder()), 1);
}

TEST_F(InboxStoreTest, OccurrenceInProgressOrBlockedStillReminded) {
  Apply(OccurrenceUpdate("2026-05", 1, v1::OCCURRENCE_STATUS_IN_PROGRESS));
  Apply(OccurrenceUpdate("2026-06", 2, v1::OCCURRENCE_STATUS_BLOCKED));
  EXPECT_EQ(AddReminder(Reminder("2026-05", 5)), 1);
  EXPECT_EQ(AddReminder(Reminder("2026-06", 6)), 1);
}

TEST_F(InboxStoreTest, ReopenedOccurrenceRemindedAgainOlderReportIgnored) {
  Apply(OccurrenceUpdate("2026-05", 3, v1::OCCURRENCE_STATUS_DONE));
  v1::TaskUpdated reopened =
      OccurrenceUpdate("2026-05", 4, v1::OCCURRENCE_STATUS_IN_PROGRESS);
  reopened.set_reopen_reason("Số liệu chưa đầy đủ");
  Apply(reopened);
  // Redelivered older reports change nothing.
  Apply(OccurrenceUpdate("2026-05", 3, v1::OCCURRENCE_STATUS_DONE));
  Apply(OccurrenceUpdate("2026-05", 4, v1::OCCURRENCE_STATUS_DONE));
  EXPECT_EQ(AddReminder(Reminder("2026-05", 5)), 1);

  Apply(OccurrenceUpdate("2026-05", 5, v1::OCCURRENCE_STATUS_DONE));
  v1::EventEnvelope overdue = Reminder("2026-05", 5);
  overdue.mutable_deadline_approaching()->set_kind(
      v1::DeadlineApproaching::KIND_OVERDUE);
  overdue.mutable_deadline_approaching()->set_reminder_key(
      Occurrence("2026-05") + "/overdue");
  EXPECT_EQ(AddReminder(overdue), 0);
}

TEST_F(InboxStoreTest, TaskLevelDoneDropsEveryReminderOfTheTask) {
  Apply(TaskUpdate(1, v1::TASK_STATUS_DONE));
  EXPECT_EQ(AddReminder(TaskReminder()), 0);
  EXPECT_EQ(AddReminder(Reminder("2026-07", 7)), 0);
  // Reopened at task level: reminded again.
  Apply(TaskUpdate(2, v1::TASK_STATUS_IN_PROGRESS));
  EXPECT_EQ(AddReminder(TaskReminder()), 1);
  EXPECT_EQ(AddReminder(Reminder("2026-07", 7)), 1);
}

TEST_F(InboxStoreTest, OccurrenceReportWithDoneTaskStatusStaysPerOccurrence) {
  // Even if the task-level status of an occurrence report said done, only
  // the reported occurrence is settled.
  v1::TaskUpdated update =
      OccurrenceUpdate("2026-05", 1, v1::OCCURRENCE_STATUS_DONE);
  update.set_status(v1::TASK_STATUS_DONE);
  Apply(update);
  EXPECT_EQ(AddReminder(Reminder("2026-05", 5)), 0);
  EXPECT_EQ(AddReminder(Reminder("2026-06", 6)), 1);
  // A point without an occurrence belongs to the task as a whole, which
  // the report said is done.
  EXPECT_EQ(AddReminder(TaskReminder()), 0);
  // Reopened by the next report on another occurrence.
  Apply(OccurrenceUpdate("2026-06", 2, v1::OCCURRENCE_STATUS_IN_PROGRESS));
  EXPECT_EQ(AddReminder(TaskReminder()), 1);
}

TEST_F(InboxStoreTest, DifficultyOncePerReportAndAgency) {
  v1::TaskUpdated update =
      OccurrenceUpdate("2026-05", 2, v1::OCCURRENCE_STATUS_BLOCKED);
  update.set_status(v1::TASK_STATUS_BLOCKED);
  update.clear_lead_agencies();
  update.add_lead_agencies(kOther);
  update.set_reporting_agency(kOther);
  update.set_difficulty("Chưa có kinh phí");

  EXPECT_EQ(AddNotices(Wrap(update, "evt-1")), 2);
  // The same report delivered again, even under another event id.
  EXPECT_EQ(AddNotices(Wrap(update, "evt-1b")), 0);

  std::vector<v1::Notification> standing = Inbox(kLead);
  ASSERT_EQ(standing.size(), 1u);
  EXPECT_EQ(standing[0].kind(), v1::NOTIFICATION_KIND_DIFFICULTY);
  EXPECT_TRUE(standing[0].escalation());
  EXPECT_EQ(standing[0].source_event_id(), "evt-1");
  EXPECT_THAT(standing[0].message(), HasSubstr("VƯỚNG MẮC: "));
  EXPECT_THAT(standing[0].message(), HasSubstr("\"Chưa có kinh phí\""));
  ASSERT_EQ(Inbox(kOther).size(), 1u);
  EXPECT_FALSE(Inbox(kOther)[0].escalation());

  // Another report raising a difficulty is another entry.
  update.set_version(3);
  update.set_report_id("rep-3");
  EXPECT_EQ(AddNotices(Wrap(update, "evt-2")), 2);
  EXPECT_EQ(Inbox(kLead).size(), 2u);

  // Resolved: the standing body hears of it, once.
  update.clear_difficulty();
  update.set_difficulty_resolved(true);
  update.set_version(4);
  update.set_report_id("rep-4");
  EXPECT_EQ(AddNotices(Wrap(update, "evt-3")), 1);
  EXPECT_EQ(AddNotices(Wrap(update, "evt-3")), 0);
  std::vector<v1::Notification> after = Inbox(kLead);
  ASSERT_EQ(after.size(), 3u);
  EXPECT_EQ(after[2].kind(), v1::NOTIFICATION_KIND_DIFFICULTY_RESOLVED);
  EXPECT_THAT(after[2].message(), StartsWith("ĐÃ GỠ VƯỚNG MẮC: "));
  EXPECT_EQ(Inbox(kOther).size(), 2u);
}

TEST_F(InboxStoreTest, ProgressWithoutDifficultyAddsNothing) {
  EXPECT_EQ(
      AddNotices(Wrap(
          OccurrenceUpdate("2026-05", 1, v1::OCCURRENCE_STATUS_DONE), "e")),
      0);
  EXPECT_THAT(Inbox(kLead), IsEmpty());
}

TEST_F(InboxStoreTest, AtRiskOncePerWarningAndAgency) {
  EXPECT_EQ(AddNotices(AtRisk("w-1", "evt-1")), 2);
  EXPECT_EQ(AddNotices(AtRisk("w-1", "evt-1-again")), 0);

  std::vector<v1::Notification> lead = Inbox(kOther);
  ASSERT_EQ(lead.size(), 1u);
  EXPECT_EQ(lead[0].kind(), v1::NOTIFICATION_KIND_AT_RISK);
  EXPECT_EQ(lead[0].task_id(), "vinh-thuy:1199-KH-UBND#III.1");
  EXPECT_THAT(lead[0].message(),
              HasSubstr("dự báo đạt 62% vào 31/12/2026, thấp hơn mục tiêu 81% "
                        "(thiếu 19 điểm %)"));
  ASSERT_EQ(Inbox(kLead).size(), 1u);
  EXPECT_TRUE(Inbox(kLead)[0].escalation());

  // At risk again after recovering: a new warning key, a new entry.
  EXPECT_EQ(AddNotices(AtRisk("w-2", "evt-2")), 2);
  EXPECT_EQ(Inbox(kOther).size(), 2u);
}

TEST_F(InboxStoreTest, AtRiskWithoutKeyRefusedAndNothingStored) {
  absl::StatusOr<int> n = TryAddNotices(AtRisk("", "evt-1"));
  EXPECT_TRUE(absl::IsInvalidArgument(n.status())) << n.status();
  EXPECT_THAT(Inbox(kOther), IsEmpty());
  EXPECT_THAT(Inbox(kLead), IsEmpty());
}

}  // namespace
}  // namespace tiendo::notification
