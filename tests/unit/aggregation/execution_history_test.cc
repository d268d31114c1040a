// The aggregator's history of every task: version guards, what was in
// effect at an instant before, between and after changes, and measurements
// (one per report, the latest date on or before a day among those recorded
// by an instant, a later correction of the same date).
#include "services/aggregation/execution_history.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregation/rollup_view.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/proto_convert.h"
#include "tests/support/fixtures.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::aggregation {
namespace {

using ::testing::ElementsAre;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;

constexpr char kTask[] = "vinh-thuy:1199-KH-UBND#V.1";
constexpr char kApril[] = "vinh-thuy:1199-KH-UBND#V.1@2026-04-30";
constexpr char kJune[] = "vinh-thuy:1199-KH-UBND#V.1@2026-06-30";

v1::Task Definition(uint64_t version, const std::string& title) {
  v1::Task task;
  task.set_id(kTask);
  task.set_unit("vinh-thuy");
  task.set_title(title);
  task.set_version(version);
  for (const auto& [id, due] : {std::pair{kApril, Date(2026, 4, 30)},
                                std::pair{kJune, Date(2026, 6, 30)}}) {
    v1::Occurrence* o = task.add_occurrences();
    o->set_id(id);
    *o->mutable_due() = due;
  }
  return task;
}

v1::TaskUpdated Update(uint64_t version, v1::TaskStatus status, int percent) {
  v1::TaskUpdated u;
  u.set_task_id(kTask);
  u.set_unit("vinh-thuy");
  u.set_version(version);
  u.set_status(status);
  u.set_percent(percent);
  u.set_report_id(absl::StrCat("r", version));
  return u;
}

// A report on the April occurrence with its stored state.
v1::TaskUpdated OnApril(uint64_t version, v1::OccurrenceStatus status,
                        int percent) {
  v1::TaskUpdated u = Update(version, v1::TASK_STATUS_IN_PROGRESS, percent / 2);
  u.set_occurrence_id(kApril);
  u.set_occurrence_status(status);
  v1::OccurrenceState* s = u.mutable_occurrence_state();
  s->mutable_occurrence()->set_id(kApril);
  s->set_status(status);
  s->set_percent(percent);
  return u;
}

v1::Measurement K1(int64_t numerator, int64_t denominator, v1::LocalDate as_of,
                   const std::string& unit = "") {
  v1::Measurement m;
  m.set_indicator("k1");
  m.set_numerator(numerator);
  m.set_denominator(denominator);
  *m.mutable_as_of() = as_of;
  m.set_unit(unit);
  return m;
}

TEST(ExecutionHistoryTest, DefinitionsApplyOnlyWhenNewer) {
  ExecutionHistory h;
  EXPECT_TRUE(h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10)));
  EXPECT_FALSE(h.ApplyDefinition(Definition(1, "again"), Local(2026, 1, 11)));
  EXPECT_TRUE(h.ApplyDefinition(Definition(3, "v3"), Local(2026, 2, 1)));
  EXPECT_FALSE(h.ApplyDefinition(Definition(2, "older"), Local(2026, 2, 2)));
  EXPECT_EQ(h.DefinitionVersion(kTask), 3u);
  EXPECT_EQ(h.Find(kTask)->definitions.size(), 2u);
  EXPECT_EQ(h.DefinitionVersion("unknown"), 0u);
  ASSERT_NE(h.TasksOfUnit("vinh-thuy"), nullptr);
  EXPECT_THAT(*h.TasksOfUnit("vinh-thuy"), ElementsAre(kTask));
  EXPECT_EQ(h.TasksOfUnit("xa-a"), nullptr);
  EXPECT_THAT(h.Units(), ElementsAre("vinh-thuy"));
}

TEST(ExecutionHistoryTest, DefinitionAtBeforeBetweenAndAfter) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  h.ApplyDefinition(Definition(2, "v2"), Local(2026, 3, 1));
  // v3 carries an instant before v2's: it cannot take effect before the
  // definition it replaces, so it counts from 1/3 too.
  h.ApplyDefinition(Definition(3, "v3"), Local(2026, 2, 1));
  const ExecutionHistory::Task& t = *h.Find(kTask);
  EXPECT_EQ(ExecutionHistory::DefinitionAt(t, Local(2026, 1, 9)), nullptr);
  EXPECT_EQ(ExecutionHistory::DefinitionAt(t, Local(2026, 1, 10))->title(),
            "v1");
  EXPECT_EQ(ExecutionHistory::DefinitionAt(t, Local(2026, 2, 15))->title(),
            "v1");
  // At 1/3 both v2 and v3 are in; the later one counts.
  EXPECT_EQ(ExecutionHistory::DefinitionAt(t, Local(2026, 3, 1))->title(),
            "v3");
  EXPECT_EQ(ExecutionHistory::DefinitionAt(t, Local(2027, 1, 1))->title(),
            "v3");
}

TEST(ExecutionHistoryTest, UpdatesAreGuardedByVersion) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  using A = ExecutionHistory::Applied;
  EXPECT_EQ(h.ApplyUpdate(Update(1, v1::TASK_STATUS_IN_PROGRESS, 10),
                          Local(2026, 4, 1)),
            A::kApplied);
  // Redelivered: the same version again.
  EXPECT_EQ(
      h.ApplyUpdate(Update(1, v1::TASK_STATUS_DONE, 100), Local(2026, 4, 2)),
      A::kStale);
  // Version 2 was missed.
  EXPECT_EQ(h.ApplyUpdate(Update(3, v1::TASK_STATUS_IN_PROGRESS, 30),
                          Local(2026, 4, 3)),
            A::kAfterGap);
  // The missed one, arriving late, is older than what is known.
  EXPECT_EQ(h.ApplyUpdate(Update(2, v1::TASK_STATUS_IN_PROGRESS, 20),
                          Local(2026, 4, 4)),
            A::kStale);
  EXPECT_EQ(h.ApplyUpdate(Update(4, v1::TASK_STATUS_IN_PROGRESS, 40),
                          Local(2026, 4, 5)),
            A::kApplied);
  EXPECT_EQ(h.StateVersion(kTask), 4u);
  EXPECT_EQ(h.StateVersion("unknown"), 0u);
  // Only versions 1, 3 and 4 left a level.
  std::vector<int> percents;
  for (const ExecutionHistory::TaskLevel& l : h.Find(kTask)->levels) {
    percents.push_back(l.percent);
  }
  EXPECT_THAT(percents, ElementsAre(10, 30, 40));
}

TEST(ExecutionHistoryTest, LevelAtBeforeBetweenAndAfter) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  h.ApplyUpdate(Update(1, v1::TASK_STATUS_IN_PROGRESS, 10), Local(2026, 4, 1));
  v1::TaskUpdated done = Update(2, v1::TASK_STATUS_DONE, 90);
  *done.mutable_completed_on() = Date(2026, 5, 2);
  done.set_completed_late(true);
  h.ApplyUpdate(done, Local(2026, 5, 2, 10));
  // Stamped before the previous report: kept after it.
  h.ApplyUpdate(Update(3, v1::TASK_STATUS_BLOCKED, 50), Local(2026, 5, 1));

  const ExecutionHistory::Task& t = *h.Find(kTask);
  EXPECT_EQ(ExecutionHistory::LevelAt(t, Local(2026, 3, 31)), nullptr);
  const ExecutionHistory::TaskLevel* first =
      ExecutionHistory::LevelAt(t, Local(2026, 4, 1));
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->version, 1u);
  EXPECT_EQ(first->status, v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(first->percent, 10);
  EXPECT_FALSE(first->completed_on.has_value());

  // Just before 2/5 10:00 the first level still holds.
  EXPECT_EQ(ExecutionHistory::LevelAt(t, Local(2026, 5, 2, 9, 59, 59))->version,
            1u);
  // At 2/5 10:00 the third report (stamped 1/5) takes effect with the
  // second: the later one counts. Done counts 100 whatever the percent.
  const ExecutionHistory::Task& tracked = *h.Find(kTask);
  ASSERT_EQ(tracked.levels.size(), 3u);
  EXPECT_EQ(tracked.levels[1].percent, 100);
  EXPECT_EQ(tracked.levels[1].completed_on, absl::CivilDay(2026, 5, 2));
  EXPECT_TRUE(tracked.levels[1].completed_late);
  EXPECT_EQ(tracked.levels[2].at, Local(2026, 5, 2, 10));
  const ExecutionHistory::TaskLevel* last =
      ExecutionHistory::LevelAt(t, Local(2026, 12, 1));
  EXPECT_EQ(last->version, 3u);
  EXPECT_EQ(last->status, v1::TASK_STATUS_BLOCKED);
}

TEST(ExecutionHistoryTest, TaskStatusFollowsTheOccurrenceWhenUnset) {
  ExecutionHistory h;
  v1::TaskUpdated u = OnApril(1, v1::OCCURRENCE_STATUS_DONE, 100);
  u.set_status(v1::TASK_STATUS_UNSPECIFIED);
  h.ApplyUpdate(u, Local(2026, 4, 1));
  // One occurrence done does not finish a task that has two.
  EXPECT_EQ(h.Find(kTask)->levels.back().status, v1::TASK_STATUS_IN_PROGRESS);
  v1::TaskUpdated b = OnApril(2, v1::OCCURRENCE_STATUS_BLOCKED, 10);
  b.set_status(v1::TASK_STATUS_UNSPECIFIED);
  h.ApplyUpdate(b, Local(2026, 4, 2));
  EXPECT_EQ(h.Find(kTask)->levels.back().status, v1::TASK_STATUS_BLOCKED);
}

TEST(ExecutionHistoryTest, OccurrenceAtBeforeBetweenAndAfter) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  h.ApplyUpdate(OnApril(1, v1::OCCURRENCE_STATUS_IN_PROGRESS, 40),
                Local(2026, 4, 10));
  v1::TaskUpdated blocked = OnApril(2, v1::OCCURRENCE_STATUS_BLOCKED, 40);
  blocked.mutable_occurrence_state()->set_open_difficulty("Thiếu máy");
  blocked.mutable_occurrence_state()->set_difficulty_raised_by("vinhthuy.tp");
  *blocked.mutable_occurrence_state()->mutable_difficulty_raised_on() =
      Date(2026, 4, 20);
  h.ApplyUpdate(blocked, Local(2026, 4, 20, 8));
  v1::TaskUpdated done = OnApril(3, v1::OCCURRENCE_STATUS_DONE, 100);
  *done.mutable_occurrence_state()->mutable_completed_on() = Date(2026, 5, 3);
  h.ApplyUpdate(done, Local(2026, 5, 3, 16));

  const ExecutionHistory::Task& t = *h.Find(kTask);
  EXPECT_EQ(ExecutionHistory::OccurrenceAt(t, kApril, Local(2026, 4, 9)),
            nullptr);
  // The June occurrence was never reported on.
  EXPECT_EQ(ExecutionHistory::OccurrenceAt(t, kJune, Local(2026, 12, 1)),
            nullptr);

  const ExecutionHistory::OccurrenceLevel* between =
      ExecutionHistory::OccurrenceAt(t, kApril, Local(2026, 4, 25));
  ASSERT_NE(between, nullptr);
  EXPECT_EQ(between->status, v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(between->difficulty, "Thiếu máy");
  EXPECT_EQ(between->difficulty_raised_by, "vinhthuy.tp");
  EXPECT_EQ(between->difficulty_raised_on, absl::CivilDay(2026, 4, 20));
  EXPECT_EQ(
      ExecutionHistory::OccurrenceAt(t, kApril, Local(2026, 4, 20, 7))->status,
      v1::OCCURRENCE_STATUS_IN_PROGRESS);

  const ExecutionHistory::OccurrenceLevel* after =
      ExecutionHistory::OccurrenceAt(t, kApril, Local(2026, 5, 3, 16));
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->status, v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(after->percent, 100);
  EXPECT_EQ(after->completed_on, absl::CivilDay(2026, 5, 3));
  EXPECT_EQ(after->difficulty, "");
}

TEST(ExecutionHistoryTest, OccurrenceStateFromOlderProducers) {
  // Without occurrence_state: the difficulty follows the report, who raised
  // it is the reporting agency, on the local day of the report.
  ExecutionHistory h;
  v1::TaskUpdated raised = Update(1, v1::TASK_STATUS_BLOCKED, 20);
  raised.set_occurrence_id(kApril);
  raised.set_occurrence_status(v1::OCCURRENCE_STATUS_BLOCKED);
  raised.set_difficulty("Chưa có kinh phí");
  raised.set_reporting_agency("vinhthuy.vhxh");
  // 23:30 UTC on 19/4 is 06:30 on 20/4 in Vietnam.
  const absl::Time at = absl::FromCivil(absl::CivilSecond(2026, 4, 19, 23, 30),
                                        absl::UTCTimeZone());
  h.ApplyUpdate(raised, at);
  const ExecutionHistory::OccurrenceLevel* o =
      ExecutionHistory::OccurrenceAt(*h.Find(kTask), kApril, at);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->status, v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(o->difficulty, "Chưa có kinh phí");
  EXPECT_EQ(o->difficulty_raised_by, "vinhthuy.vhxh");
  EXPECT_EQ(o->difficulty_raised_on, absl::CivilDay(2026, 4, 20));

  // Computed statuses are taken back to what was reported: overdue with an
  // open difficulty is blocked.
  v1::TaskUpdated later = Update(2, v1::TASK_STATUS_BLOCKED, 20);
  later.set_occurrence_id(kApril);
  later.set_occurrence_status(v1::OCCURRENCE_STATUS_OVERDUE);
  later.set_note("vẫn chờ");
  h.ApplyUpdate(later, Local(2026, 5, 5));
  o = ExecutionHistory::OccurrenceAt(*h.Find(kTask), kApril, Local(2026, 5, 5));
  EXPECT_EQ(o->status, v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(o->difficulty, "Chưa có kinh phí");

  // Resolved, and done late (computed): done on the day of the report, no
  // difficulty and nobody who raised one.
  v1::TaskUpdated done = Update(3, v1::TASK_STATUS_IN_PROGRESS, 50);
  done.set_occurrence_id(kApril);
  done.set_occurrence_status(v1::OCCURRENCE_STATUS_DONE_LATE);
  done.set_difficulty_resolved(true);
  h.ApplyUpdate(done, Local(2026, 5, 6, 9));
  o = ExecutionHistory::OccurrenceAt(*h.Find(kTask), kApril,
                                     Local(2026, 5, 6, 9));
  EXPECT_EQ(o->status, v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(o->completed_on, absl::CivilDay(2026, 5, 6));
  EXPECT_EQ(o->difficulty, "");
  EXPECT_EQ(o->difficulty_raised_by, "");
  EXPECT_FALSE(o->difficulty_raised_on.has_value());
}

TEST(ExecutionHistoryTest, ReportedOccurrenceStatusUndoesTheClock) {
  v1::OccurrenceState s;
  s.set_status(v1::OCCURRENCE_STATUS_DONE_LATE);
  EXPECT_EQ(ReportedOccurrenceStatus(s), v1::OCCURRENCE_STATUS_DONE);
  s.set_status(v1::OCCURRENCE_STATUS_OVERDUE);
  EXPECT_EQ(ReportedOccurrenceStatus(s), v1::OCCURRENCE_STATUS_NOT_STARTED);
  s.set_percent(30);
  EXPECT_EQ(ReportedOccurrenceStatus(s), v1::OCCURRENCE_STATUS_IN_PROGRESS);
  s.set_open_difficulty("x");
  EXPECT_EQ(ReportedOccurrenceStatus(s), v1::OCCURRENCE_STATUS_BLOCKED);
  s.set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
  EXPECT_EQ(ReportedOccurrenceStatus(s), v1::OCCURRENCE_STATUS_IN_PROGRESS);
}

TEST(ExecutionHistoryTest, SnapshotStateAppliesWhenNewerAndKeepsHistory) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  h.ApplyUpdate(OnApril(1, v1::OCCURRENCE_STATUS_IN_PROGRESS, 40),
                Local(2026, 4, 10));

  v1::TaskState state;
  state.set_task_id(kTask);
  state.set_unit("vinh-thuy");
  state.set_version(3);
  state.set_status(v1::TASK_STATUS_IN_PROGRESS);
  state.set_percent(35);
  // April as the history already has it; June moved.
  v1::OccurrenceState* april = state.add_occurrences();
  april->mutable_occurrence()->set_id(kApril);
  april->set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
  april->set_percent(40);
  v1::OccurrenceState* june = state.add_occurrences();
  june->mutable_occurrence()->set_id(kJune);
  june->set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
  june->set_percent(30);
  EXPECT_TRUE(h.ApplyState(state, Local(2026, 6, 1)));
  EXPECT_EQ(h.StateVersion(kTask), 3u);
  const ExecutionHistory::Task& t = *h.Find(kTask);
  // April keeps its one level from 10/4; June starts at the snapshot.
  EXPECT_EQ(t.occurrences.at(kApril).size(), 1u);
  EXPECT_EQ(
      ExecutionHistory::OccurrenceAt(t, kApril, Local(2026, 5, 1))->percent,
      40);
  EXPECT_EQ(ExecutionHistory::OccurrenceAt(t, kJune, Local(2026, 5, 31)),
            nullptr);
  EXPECT_EQ(
      ExecutionHistory::OccurrenceAt(t, kJune, Local(2026, 6, 1))->percent, 30);
  EXPECT_EQ(ExecutionHistory::LevelAt(t, Local(2026, 6, 1))->percent, 35);

  // Not newer: nothing changes.
  state.set_version(2);
  state.set_percent(99);
  EXPECT_FALSE(h.ApplyState(state, Local(2026, 7, 1)));
  EXPECT_EQ(ExecutionHistory::LevelAt(t, Local(2026, 7, 1))->percent, 35);
}

TEST(ExecutionHistoryTest, SnapshotOccurrencesNeverReportedLeaveNothing) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  v1::TaskState state;
  state.set_task_id(kTask);
  state.set_version(1);
  state.set_status(v1::TASK_STATUS_NOT_STARTED);
  state.add_occurrences()->mutable_occurrence()->set_id(kApril);
  state.mutable_occurrences(0)->set_status(v1::OCCURRENCE_STATUS_OVERDUE);
  ASSERT_TRUE(h.ApplyState(state, Local(2026, 5, 5)));
  // Overdue as computed, nothing reported: the same as knowing nothing.
  EXPECT_EQ(ExecutionHistory::OccurrenceAt(*h.Find(kTask), kApril,
                                           Local(2026, 12, 1)),
            nullptr);
}

TEST(ExecutionHistoryTest, MeasurementsAreKeptOncePerReport) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  EXPECT_TRUE(h.ApplyMeasurement(kTask, K1(50, 100, Date(2026, 5, 31)), "r1",
                                 Local(2026, 6, 1)));
  // The same report's measurement again (a redelivery).
  EXPECT_FALSE(h.ApplyMeasurement(kTask, K1(50, 100, Date(2026, 5, 31)), "r1",
                                  Local(2026, 6, 2)));
  // The same report naming the task's unit is the same measurement.
  EXPECT_FALSE(h.ApplyMeasurement(kTask,
                                  K1(50, 100, Date(2026, 5, 31), "vinh-thuy"),
                                  "r1", Local(2026, 6, 2)));
  // Another report of the same date, the same report for another date or
  // another unit: each is its own measurement.
  EXPECT_TRUE(h.ApplyMeasurement(kTask, K1(55, 100, Date(2026, 5, 31)), "r2",
                                 Local(2026, 6, 3)));
  EXPECT_TRUE(h.ApplyMeasurement(kTask, K1(60, 100, Date(2026, 6, 1)), "r1",
                                 Local(2026, 6, 3)));
  EXPECT_TRUE(h.ApplyMeasurement(kTask, K1(7, 10, Date(2026, 5, 31), "xa-a"),
                                 "r1", Local(2026, 6, 3)));
  // Without a date or an indicator there is nothing to keep.
  v1::Measurement undated = K1(1, 2, Date(2026, 5, 31));
  undated.clear_as_of();
  EXPECT_FALSE(h.ApplyMeasurement(kTask, undated, "r9", Local(2026, 6, 3)));
  v1::Measurement unnamed = K1(1, 2, Date(2026, 5, 31));
  unnamed.clear_indicator();
  EXPECT_FALSE(h.ApplyMeasurement(kTask, unnamed, "r9", Local(2026, 6, 3)));

  const ExecutionHistory::MeasurementSeries& series =
      h.Find(kTask)->measurements;
  ASSERT_TRUE(series.contains("k1"));
  // Unit left empty: the task's unit.
  EXPECT_EQ(series.at("k1").at("vinh-thuy").size(), 3u);
  EXPECT_EQ(series.at("k1").at("xa-a").size(), 1u);
}

TEST(ExecutionHistoryTest, MeasurementAtPicksTheLatestDateRecordedByThen) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  // Recorded out of order: 30/6 on 30/6 evening, 31/5 on 1/6, a
  // correction of 30/6 on 5/7, and 15/5 typed in late on 10/7.
  h.ApplyMeasurement(kTask, K1(880, 1000, Date(2026, 6, 30)), "r3",
                     Local(2026, 6, 30, 20));
  h.ApplyMeasurement(kTask, K1(700, 1000, Date(2026, 5, 31)), "r2",
                     Local(2026, 6, 1, 10));
  h.ApplyMeasurement(kTask, K1(910, 1000, Date(2026, 6, 30)), "r4",
                     Local(2026, 7, 5, 9));
  h.ApplyMeasurement(kTask, K1(650, 1000, Date(2026, 5, 15)), "r5",
                     Local(2026, 7, 10, 9));
  const std::vector<ExecutionHistory::Measurement>& s =
      h.Find(kTask)->measurements.at("k1").at("vinh-thuy");
  auto at = [&](absl::CivilDay day, absl::Time t) -> int64_t {
    const ExecutionHistory::Measurement* m =
        ExecutionHistory::MeasurementAt(s, day, t);
    return m == nullptr ? -1 : m->numerator;
  };
  const absl::Time now = Local(2026, 7, 15);
  // Nothing dated on or before 14/5.
  EXPECT_EQ(at(absl::CivilDay(2026, 5, 14), now), -1);
  // 15/5 exists only from 10/7.
  EXPECT_EQ(at(absl::CivilDay(2026, 5, 20), now), 650);
  EXPECT_EQ(at(absl::CivilDay(2026, 5, 20), Local(2026, 7, 9)), -1);
  // On 15/6 the latest date is 31/5.
  EXPECT_EQ(at(absl::CivilDay(2026, 6, 15), now), 700);
  // 30/6: the first recording until the correction came in.
  EXPECT_EQ(at(absl::CivilDay(2026, 6, 30), Local(2026, 6, 30, 19)), 700);
  EXPECT_EQ(at(absl::CivilDay(2026, 6, 30), Local(2026, 6, 30, 20)), 880);
  EXPECT_EQ(at(absl::CivilDay(2026, 6, 30), Local(2026, 7, 4)), 880);
  EXPECT_EQ(at(absl::CivilDay(2026, 6, 30), Local(2026, 7, 5, 9)), 910);
  EXPECT_EQ(at(absl::CivilDay(2026, 12, 31), now), 910);
  // Before anything was recorded.
  EXPECT_EQ(at(absl::CivilDay(2026, 12, 31), Local(2026, 6, 1, 9)), -1);
}

TEST(ExecutionHistoryTest, ClearForgetsEverything) {
  ExecutionHistory h;
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  h.ApplyUpdate(Update(1, v1::TASK_STATUS_IN_PROGRESS, 10), Local(2026, 4, 1));
  h.ApplyMeasurement(kTask, K1(1, 2, Date(2026, 3, 1)), "r1",
                     Local(2026, 4, 1));
  h.Clear();
  EXPECT_EQ(h.Find(kTask), nullptr);
  EXPECT_EQ(h.TasksOfUnit("vinh-thuy"), nullptr);
  // The measurement's key is forgotten too: it can be applied again.
  h.ApplyDefinition(Definition(1, "v1"), Local(2026, 1, 10));
  EXPECT_TRUE(h.ApplyMeasurement(kTask, K1(1, 2, Date(2026, 3, 1)), "r1",
                                 Local(2026, 4, 1)));
}

// Ongoing work ("thường xuyên") has no occurrences: a difficulty raised on
// it is the task's, from the event as from the progress service's
// snapshot, counted and listed until a report resolves it.
TEST(TaskDifficultyTest, OngoingWorkKeepsItsDifficultyUntilResolved) {
  v1::Task task;
  task.set_id("vinh-thuy:1199-KH-UBND#III.2");
  task.set_unit("vinh-thuy");
  task.set_section("III");
  task.set_number("2");
  task.set_title("Duy trì thu nhận hồ sơ");
  task.add_lead_agencies("vinhthuy.congan");
  task.set_version(1);
  v1::TaskUpdated raised;
  raised.set_task_id(task.id());
  raised.set_unit("vinh-thuy");
  raised.set_version(1);
  raised.set_status(v1::TASK_STATUS_BLOCKED);
  raised.set_reporting_agency("vinhthuy.congan");
  raised.set_difficulty("Máy cấp căn cước hỏng");
  *raised.mutable_reported_at() = ToProto(Local(2026, 6, 3, 9));
  v1::TaskUpdated note = raised;  // another report, the difficulty open
  note.set_version(2);
  note.clear_difficulty();
  *note.mutable_reported_at() = ToProto(Local(2026, 6, 10, 9));
  v1::TaskUpdated resolved = note;
  resolved.set_version(3);
  resolved.set_status(v1::TASK_STATUS_IN_PROGRESS);
  resolved.set_difficulty_resolved(true);
  *resolved.mutable_reported_at() = ToProto(Local(2026, 6, 20, 9));

  ExecutionHistory history;
  history.ApplyDefinition(task, Local(2026, 5, 25));
  for (const v1::TaskUpdated* u : {&raised, &note, &resolved}) {
    history.ApplyUpdate(*u, FromProto(u->reported_at()));
  }
  // The same task rebuilt from the progress service's state of 15/06.
  v1::TaskState state;
  state.set_task_id(task.id());
  state.set_unit("vinh-thuy");
  state.set_version(2);
  state.set_status(v1::TASK_STATUS_BLOCKED);
  state.set_open_difficulty("Máy cấp căn cước hỏng");
  state.set_difficulty_raised_by("vinhthuy.congan");
  *state.mutable_difficulty_raised_on() = Date(2026, 6, 3);
  *state.mutable_updated_at() = ToProto(Local(2026, 6, 10, 9));
  ExecutionHistory rebuilt;
  rebuilt.ApplyDefinition(task, Local(2026, 5, 25));
  rebuilt.ApplyState(state, Local(2026, 6, 10, 9));

  const UnitTree& units = UnitTree::Default();
  for (const ExecutionHistory* h : {&history, &rebuilt}) {
    RollupView view(*h, units, Local(2026, 6, 15, 9));
    const std::vector<v1::OpenDifficulty> open =
        view.OpenDifficulties("vinh-thuy");
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].task_id(), task.id());
    EXPECT_EQ(open[0].difficulty(), "Máy cấp căn cước hỏng");
    EXPECT_EQ(open[0].raised_by(), "vinhthuy.congan");
    EXPECT_EQ(open[0].days_open(), 12);  // 3/6 to 15/6
    const v1::Rollup rollup = view.Rollup("vinh-thuy");
    EXPECT_EQ(rollup.totals().open_difficulties(), 1);
    EXPECT_EQ(rollup.totals().blocked(), 1);
  }
  // Resolved on 20/06.
  RollupView later(history, units, Local(2026, 6, 21, 9));
  EXPECT_TRUE(later.OpenDifficulties("vinh-thuy").empty());
  EXPECT_EQ(later.Rollup("vinh-thuy").totals().open_difficulties(), 0);
}

}  // namespace
}  // namespace tiendo::aggregation
