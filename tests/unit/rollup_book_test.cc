#include "services/aggregation/rollup_book.h"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tiendo/v1/aggregation.pb.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo::aggregation {
namespace {

constexpr char kUnit[] = "vinh-thuy";
const absl::CivilDay kToday(2026, 6, 1);

v1::Task Task(const std::string& number,
              std::initializer_list<std::string> leads, int due_month = 0,
              int due_day = 0, const std::string& unit = kUnit) {
  v1::Task task;
  task.set_id(unit + ":1199-KH-UBND#I." + number);
  task.set_unit(unit);
  task.set_section("I");
  task.set_number(number);
  for (const std::string& lead : leads) task.add_lead_agencies(lead);
  if (due_month != 0) {
    task.mutable_due_date()->set_year(2026);
    task.mutable_due_date()->set_month(due_month);
    task.mutable_due_date()->set_day(due_day);
  }
  task.set_version(1);
  return task;
}

v1::TaskUpdated Update(const v1::Task& task, uint64_t version,
                       v1::TaskStatus status, int percent,
                       bool completed_late = false) {
  v1::TaskUpdated update;
  update.set_task_id(task.id());
  update.set_unit(task.unit());
  update.set_version(version);
  update.set_status(status);
  update.set_percent(percent);
  update.set_completed_late(completed_late);
  return update;
}

const v1::StatusCounts* ForAgency(const v1::Rollup& rollup,
                                  const std::string& agency) {
  for (const v1::AgencyRollup& a : rollup.by_lead_agency()) {
    if (a.agency() == agency) return &a.counts();
  }
  return nullptr;
}

TEST(RollupBookTest, EmptyBook) {
  RollupBook book;
  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  EXPECT_EQ(rollup.unit(), kUnit);
  EXPECT_EQ(rollup.as_of().year(), 2026);
  EXPECT_EQ(rollup.as_of().month(), 6);
  EXPECT_EQ(rollup.as_of().day(), 1);
  EXPECT_EQ(rollup.totals().total(), 0);
  EXPECT_EQ(rollup.totals().percent_complete(), 0);
  EXPECT_EQ(rollup.by_lead_agency_size(), 0);
  EXPECT_EQ(rollup.reports_applied(), 0u);
}

TEST(RollupBookTest, CountsPerStatusAndLeadAgency) {
  RollupBook book;
  const v1::Task t1 = Task("1", {"congan"}, 12, 31);
  const v1::Task t2 = Task("2", {"kinhte"}, 12, 31);
  const v1::Task t3 = Task("3", {"congan", "vhxh"}, 12, 31);
  const v1::Task t4 = Task("4", {"vhxh"});
  const v1::Task t5 = Task("5", {"kinhte"}, 12, 31);
  for (const v1::Task& t : {t1, t2, t3, t4, t5}) {
    EXPECT_TRUE(book.ApplyDefinition(t));
  }
  EXPECT_TRUE(book.ApplyUpdate(Update(t1, 1, v1::TASK_STATUS_DONE, 100)));
  EXPECT_TRUE(book.ApplyUpdate(Update(t2, 1, v1::TASK_STATUS_IN_PROGRESS, 40)));
  EXPECT_TRUE(book.ApplyUpdate(Update(t3, 1, v1::TASK_STATUS_BLOCKED, 20)));
  // t4, t5: no reports, not started.

  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  const v1::StatusCounts& totals = rollup.totals();
  EXPECT_EQ(totals.total(), 5);
  EXPECT_EQ(totals.done(), 1);
  EXPECT_EQ(totals.in_progress(), 1);
  EXPECT_EQ(totals.blocked(), 1);
  EXPECT_EQ(totals.not_started(), 2);
  EXPECT_EQ(totals.done_late(), 0);
  EXPECT_EQ(totals.overdue(), 0);
  EXPECT_DOUBLE_EQ(totals.percent_complete(), (100 + 40 + 20 + 0 + 0) / 5.0);

  ASSERT_EQ(rollup.by_lead_agency_size(), 3);
  // Ordered by agency code.
  EXPECT_EQ(rollup.by_lead_agency(0).agency(), "congan");
  EXPECT_EQ(rollup.by_lead_agency(1).agency(), "kinhte");
  EXPECT_EQ(rollup.by_lead_agency(2).agency(), "vhxh");

  const v1::StatusCounts* congan = ForAgency(rollup, "congan");
  ASSERT_NE(congan, nullptr);
  EXPECT_EQ(congan->total(), 2);  // t1 and t3
  EXPECT_EQ(congan->done(), 1);
  EXPECT_EQ(congan->blocked(), 1);
  EXPECT_DOUBLE_EQ(congan->percent_complete(), 60.0);

  const v1::StatusCounts* vhxh = ForAgency(rollup, "vhxh");
  ASSERT_NE(vhxh, nullptr);
  EXPECT_EQ(vhxh->total(), 2);  // t3 (second lead) and t4
  EXPECT_EQ(vhxh->blocked(), 1);
  EXPECT_EQ(vhxh->not_started(), 1);
  EXPECT_DOUBLE_EQ(vhxh->percent_complete(), 10.0);

  const v1::StatusCounts* kinhte = ForAgency(rollup, "kinhte");
  ASSERT_NE(kinhte, nullptr);
  EXPECT_EQ(kinhte->total(), 2);
  EXPECT_EQ(kinhte->in_progress(), 1);
  EXPECT_EQ(kinhte->not_started(), 1);
  EXPECT_DOUBLE_EQ(kinhte->percent_complete(), 20.0);

  EXPECT_EQ(rollup.reports_applied(), 3u);
}

TEST(RollupBookTest, DoneCountsAsHundredPercent) {
  RollupBook book;
  const v1::Task t = Task("1", {"congan"}, 12, 31);
  book.ApplyDefinition(t);
  // A done update carrying a stale percent still counts as 100.
  book.ApplyUpdate(Update(t, 1, v1::TASK_STATUS_DONE, 70));
  EXPECT_DOUBLE_EQ(book.Rollup(kUnit, kToday).totals().percent_complete(),
                   100.0);
}

TEST(RollupBookTest, OverdueOnlyAfterTheDueDay) {
  RollupBook book;
  const v1::Task due_may31 = Task("1", {"congan"}, 5, 31);
  const v1::Task due_jun1 = Task("2", {"congan"}, 6, 1);
  const v1::Task done_may20 = Task("3", {"congan"}, 5, 20);
  const v1::Task ongoing = Task("4", {"congan"});
  for (const v1::Task& t : {due_may31, due_jun1, done_may20, ongoing}) {
    book.ApplyDefinition(t);
  }
  book.ApplyUpdate(Update(due_may31, 1, v1::TASK_STATUS_IN_PROGRESS, 50));
  book.ApplyUpdate(Update(done_may20, 1, v1::TASK_STATUS_DONE, 100, true));

  // On 2026-06-01: the task due 05-31 is overdue, the one due today is not,
  // the done one is done late (not overdue), the ongoing one has no date.
  v1::Rollup rollup = book.Rollup(kUnit, absl::CivilDay(2026, 6, 1));
  EXPECT_EQ(rollup.totals().overdue(), 1);
  EXPECT_EQ(rollup.totals().done(), 1);
  EXPECT_EQ(rollup.totals().done_late(), 1);
  EXPECT_EQ(ForAgency(rollup, "congan")->overdue(), 1);
  EXPECT_EQ(ForAgency(rollup, "congan")->done_late(), 1);

  // On the due day itself nothing of it is overdue yet.
  EXPECT_EQ(book.Rollup(kUnit, absl::CivilDay(2026, 5, 31)).totals().overdue(),
            0);
  // The next day both open dated tasks are.
  EXPECT_EQ(book.Rollup(kUnit, absl::CivilDay(2026, 6, 2)).totals().overdue(),
            2);
}

TEST(RollupBookTest, OlderOrEqualUpdateIgnored) {
  RollupBook book;
  const v1::Task t = Task("1", {"congan"}, 12, 31);
  book.ApplyDefinition(t);
  ASSERT_TRUE(book.ApplyUpdate(Update(t, 2, v1::TASK_STATUS_IN_PROGRESS, 60)));

  EXPECT_FALSE(book.ApplyUpdate(Update(t, 2, v1::TASK_STATUS_DONE, 100)));
  EXPECT_FALSE(book.ApplyUpdate(Update(t, 1, v1::TASK_STATUS_BLOCKED, 10)));

  const TrackedTask* tracked = book.Find(t.id());
  ASSERT_NE(tracked, nullptr);
  ASSERT_TRUE(tracked->state.has_value());
  EXPECT_EQ(tracked->state->version(), 2u);
  EXPECT_EQ(tracked->state->status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(tracked->state->percent(), 60);

  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  EXPECT_EQ(rollup.totals().in_progress(), 1);
  EXPECT_EQ(rollup.totals().done(), 0);
  EXPECT_DOUBLE_EQ(rollup.totals().percent_complete(), 60.0);
  EXPECT_EQ(rollup.reports_applied(), 2u);

  EXPECT_TRUE(book.ApplyUpdate(Update(t, 3, v1::TASK_STATUS_DONE, 100)));
  EXPECT_EQ(book.Rollup(kUnit, kToday).totals().done(), 1);
}

TEST(RollupBookTest, OlderDefinitionIgnored) {
  RollupBook book;
  v1::Task v2 = Task("1", {"kinhte"}, 12, 31);
  v2.set_version(2);
  ASSERT_TRUE(book.ApplyDefinition(v2));
  v1::Task v1_def = Task("1", {"congan"}, 12, 31);
  EXPECT_FALSE(book.ApplyDefinition(v1_def));
  const TrackedTask* tracked = book.Find(v2.id());
  ASSERT_NE(tracked, nullptr);
  ASSERT_TRUE(tracked->definition.has_value());
  EXPECT_EQ(tracked->definition->lead_agencies(0), "kinhte");
}

TEST(RollupBookTest, UpdateBeforeDefinitionCountedOnceDefined) {
  RollupBook book;
  const v1::Task t = Task("1", {"congan"}, 12, 31);
  EXPECT_TRUE(book.ApplyUpdate(Update(t, 1, v1::TASK_STATUS_IN_PROGRESS, 30)));

  v1::Rollup before = book.Rollup(kUnit, kToday);
  EXPECT_EQ(before.totals().total(), 0);
  EXPECT_EQ(before.reports_applied(), 0u);
  EXPECT_EQ(before.by_lead_agency_size(), 0);

  EXPECT_TRUE(book.ApplyDefinition(t));
  v1::Rollup after = book.Rollup(kUnit, kToday);
  EXPECT_EQ(after.totals().total(), 1);
  EXPECT_EQ(after.totals().in_progress(), 1);
  EXPECT_DOUBLE_EQ(after.totals().percent_complete(), 30.0);
  EXPECT_EQ(after.reports_applied(), 1u);
  EXPECT_EQ(book.size(), 1u);
}

TEST(RollupBookTest, OtherUnitsNotCounted) {
  RollupBook book;
  const v1::Task ours = Task("1", {"congan"}, 12, 31);
  const v1::Task theirs = Task("1", {"congan"}, 5, 1, "dong-thap");
  book.ApplyDefinition(ours);
  book.ApplyDefinition(theirs);
  book.ApplyUpdate(Update(theirs, 4, v1::TASK_STATUS_DONE, 100));

  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  EXPECT_EQ(rollup.totals().total(), 1);
  EXPECT_EQ(rollup.totals().not_started(), 1);
  EXPECT_EQ(rollup.totals().done(), 0);
  EXPECT_EQ(rollup.reports_applied(), 0u);

  v1::Rollup other = book.Rollup("dong-thap", kToday);
  EXPECT_EQ(other.totals().total(), 1);
  EXPECT_EQ(other.totals().done(), 1);
  EXPECT_EQ(other.reports_applied(), 4u);
}

TEST(RollupBookTest, ReportsAppliedIsSumOfVersions) {
  RollupBook book;
  const v1::Task a = Task("1", {"congan"}, 12, 31);
  const v1::Task b = Task("2", {"kinhte"}, 12, 31);
  const v1::Task c = Task("3", {"vhxh"}, 12, 31);
  for (const v1::Task& t : {a, b, c}) book.ApplyDefinition(t);
  book.ApplyUpdate(Update(a, 3, v1::TASK_STATUS_IN_PROGRESS, 50));
  book.ApplyUpdate(Update(b, 5, v1::TASK_STATUS_IN_PROGRESS, 50));
  EXPECT_EQ(book.Rollup(kUnit, kToday).reports_applied(), 8u);
}

// A report about one occurrence of the task: the task-level fields say how
// the task stands, the occurrence fields how that occurrence does.
v1::TaskUpdated OccurrenceUpdate(const v1::Task& task, uint64_t version,
                                 v1::TaskStatus status, int percent,
                                 const std::string& key,
                                 v1::OccurrenceStatus occurrence_status) {
  v1::TaskUpdated update = Update(task, version, status, percent);
  update.set_occurrence_id(task.id() + "@" + key);
  update.set_occurrence_status(occurrence_status);
  update.set_standing_agency("congan");
  return update;
}

TEST(RollupBookTest, OccurrenceReportCountsTheTaskByItsTaskLevelStatus) {
  RollupBook book;
  const v1::Task report = Task("1", {"congan"}, 12, 31);
  const v1::Task milestones = Task("2", {"kinhte"}, 12, 31);
  book.ApplyDefinition(report);
  book.ApplyDefinition(milestones);
  // The May report is done, the obligation goes on (task in progress).
  ASSERT_TRUE(book.ApplyUpdate(
      OccurrenceUpdate(report, 1, v1::TASK_STATUS_IN_PROGRESS, 10, "2026-05",
                       v1::OCCURRENCE_STATUS_DONE)));
  // The last milestone is done late, and with it the task.
  v1::TaskUpdated last =
      OccurrenceUpdate(milestones, 2, v1::TASK_STATUS_DONE, 100, "2026-05-31",
                       v1::OCCURRENCE_STATUS_DONE_LATE);
  last.set_completed_late(true);
  ASSERT_TRUE(book.ApplyUpdate(last));

  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  EXPECT_EQ(rollup.totals().total(), 2);
  EXPECT_EQ(rollup.totals().in_progress(), 1);
  EXPECT_EQ(rollup.totals().done(), 1);
  EXPECT_EQ(rollup.totals().done_late(), 1);
  EXPECT_EQ(rollup.totals().not_started(), 0);
  EXPECT_DOUBLE_EQ(rollup.totals().percent_complete(), (10 + 100) / 2.0);
  EXPECT_EQ(ForAgency(rollup, "congan")->in_progress(), 1);
  EXPECT_EQ(ForAgency(rollup, "kinhte")->done(), 1);
  EXPECT_EQ(rollup.reports_applied(), 3u);
}

TEST(RollupBookTest, OccurrenceReportsShareTheTaskVersion) {
  RollupBook book;
  const v1::Task t = Task("1", {"congan"}, 12, 31);
  book.ApplyDefinition(t);
  ASSERT_TRUE(book.ApplyUpdate(
      OccurrenceUpdate(t, 2, v1::TASK_STATUS_BLOCKED, 30, "2026-06",
                       v1::OCCURRENCE_STATUS_BLOCKED)));
  // An older report on another occurrence, redelivered, changes nothing.
  EXPECT_FALSE(book.ApplyUpdate(
      OccurrenceUpdate(t, 1, v1::TASK_STATUS_IN_PROGRESS, 20, "2026-05",
                       v1::OCCURRENCE_STATUS_DONE)));
  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  EXPECT_EQ(rollup.totals().blocked(), 1);
  EXPECT_EQ(rollup.totals().in_progress(), 0);
  EXPECT_DOUBLE_EQ(rollup.totals().percent_complete(), 30.0);
  EXPECT_EQ(rollup.reports_applied(), 2u);
}

TEST(RollupBookTest, MissingTaskStatusFollowsTheOccurrence) {
  RollupBook book;
  const v1::Task a = Task("1", {"congan"}, 12, 31);
  const v1::Task b = Task("2", {"congan"}, 12, 31);
  const v1::Task c = Task("3", {"congan"}, 12, 31);
  for (const v1::Task& t : {a, b, c}) book.ApplyDefinition(t);
  book.ApplyUpdate(OccurrenceUpdate(a, 1, v1::TASK_STATUS_UNSPECIFIED, 40,
                                    "2026-05", v1::OCCURRENCE_STATUS_DONE));
  book.ApplyUpdate(OccurrenceUpdate(b, 1, v1::TASK_STATUS_UNSPECIFIED, 0,
                                    "2026-05", v1::OCCURRENCE_STATUS_BLOCKED));
  book.ApplyUpdate(OccurrenceUpdate(c, 1, v1::TASK_STATUS_UNSPECIFIED, 0,
                                    "2026-05",
                                    v1::OCCURRENCE_STATUS_NOT_STARTED));
  v1::Rollup rollup = book.Rollup(kUnit, kToday);
  // One period done does not finish a task with several.
  EXPECT_EQ(rollup.totals().done(), 0);
  EXPECT_EQ(rollup.totals().in_progress(), 1);
  EXPECT_EQ(rollup.totals().blocked(), 1);
  EXPECT_EQ(rollup.totals().not_started(), 1);
  EXPECT_DOUBLE_EQ(rollup.totals().percent_complete(), 40.0 / 3);
}

TEST(TaskLevelStatusTest, TaskLevelFieldWinsElseFromOccurrence) {
  v1::TaskUpdated u;
  u.set_status(v1::TASK_STATUS_DONE);
  u.set_occurrence_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
  EXPECT_EQ(TaskLevelStatus(u), v1::TASK_STATUS_DONE);
  u.set_status(v1::TASK_STATUS_IN_PROGRESS);
  u.set_occurrence_status(v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(TaskLevelStatus(u), v1::TASK_STATUS_IN_PROGRESS);

  u.clear_status();
  const std::vector<std::pair<v1::OccurrenceStatus, v1::TaskStatus>> cases = {
      {v1::OCCURRENCE_STATUS_UNSPECIFIED, v1::TASK_STATUS_UNSPECIFIED},
      {v1::OCCURRENCE_STATUS_NOT_STARTED, v1::TASK_STATUS_NOT_STARTED},
      {v1::OCCURRENCE_STATUS_IN_PROGRESS, v1::TASK_STATUS_IN_PROGRESS},
      {v1::OCCURRENCE_STATUS_DONE, v1::TASK_STATUS_IN_PROGRESS},
      {v1::OCCURRENCE_STATUS_DONE_LATE, v1::TASK_STATUS_IN_PROGRESS},
      {v1::OCCURRENCE_STATUS_OVERDUE, v1::TASK_STATUS_IN_PROGRESS},
      {v1::OCCURRENCE_STATUS_BLOCKED, v1::TASK_STATUS_BLOCKED},
  };
  for (const auto& [occurrence, task] : cases) {
    u.set_occurrence_status(occurrence);
    EXPECT_EQ(TaskLevelStatus(u), task) << occurrence;
  }
}

}  // namespace
}  // namespace tiendo::aggregation
