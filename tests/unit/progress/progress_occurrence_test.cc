// Reporting on the occurrences of a task: which one a report lands on, who
// may complete it, computed lateness, reopening, difficulties and
// measurements.
#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/progress/progress_rules.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_values.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::tiendo::testing::AddStagedTarget;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;
using ::tiendo::testing::Message;
using ::tiendo::testing::UncheckedDate;

constexpr char kWork[] = "vinh-thuy:1199-KH-UBND#IV.2";
constexpr char kReport[] = "vinh-thuy:1199-KH-UBND#BC.1";
constexpr char kLead[] = "vinhthuy.kinhte";
constexpr char kCoordinator[] = "vinhthuy.vhxh";
constexpr char kStanding[] = "vinhthuy.congan";
constexpr char kApril[] = "vinh-thuy:1199-KH-UBND#IV.2@2026-04-30";
constexpr char kJune[] = "vinh-thuy:1199-KH-UBND#IV.2@2026-06-30";
constexpr char kMay[] = "vinh-thuy:1199-KH-UBND#BC.1@2026-05";
constexpr char kJunePeriod[] = "vinh-thuy:1199-KH-UBND#BC.1@2026-06";

v1::Task BaseTask(const std::string& id) {
  v1::Task task;
  task.set_id(id);
  task.set_unit("vinh-thuy");
  task.add_lead_agencies(kLead);
  task.add_coordinating_agencies(kCoordinator);
  task.set_standing_agency(kStanding);
  task.set_version(3);
  return task;
}

// Two milestones (April and June) and a staged target k1.
v1::Task WorkTask() {
  v1::Task task = BaseTask(kWork);
  *task.mutable_due_date() = Date(2026, 6, 30);
  // Listed out of date order: the earliest is found by due date.
  v1::Occurrence* june = task.add_occurrences();
  june->set_id(kJune);
  june->set_key("2026-06-30");
  june->set_kind(v1::Occurrence::KIND_MILESTONE);
  *june->mutable_due() = Date(2026, 6, 30);
  v1::Occurrence* april = task.add_occurrences();
  april->set_id(kApril);
  april->set_key("2026-04-30");
  april->set_kind(v1::Occurrence::KIND_MILESTONE);
  *april->mutable_due() = Date(2026, 4, 30);
  AddStagedTarget(task,
                  "đối tượng bảo trợ xã hội nhận trợ cấp không dùng tiền mặt");
  return task;
}

// The monthly report "trước ngày 12": May due 11 June, June due 11 July.
v1::Task ReportTask() {
  v1::Task task = BaseTask(kReport);
  task.set_kind(v1::TASK_KIND_REPORT);
  v1::Occurrence* may = task.add_occurrences();
  may->set_id(kMay);
  may->set_key("2026-05");
  may->set_kind(v1::Occurrence::KIND_PERIOD);
  *may->mutable_due() = Date(2026, 6, 11);
  *may->mutable_period_start() = Date(2026, 5, 1);
  *may->mutable_period_end() = Date(2026, 5, 31);
  may->set_label("tháng 5/2026");
  v1::Occurrence* june = task.add_occurrences();
  june->set_id(kJunePeriod);
  june->set_key("2026-06");
  june->set_kind(v1::Occurrence::KIND_PERIOD);
  *june->mutable_due() = Date(2026, 7, 11);
  *june->mutable_period_start() = Date(2026, 6, 1);
  *june->mutable_period_end() = Date(2026, 6, 30);
  june->set_label("tháng 6/2026");
  return task;
}

// A report on `task`, on one of its occurrences when `occurrence` is given.
v1::ReportProgressRequest Request(const std::string& task,
                                  const std::string& agency,
                                  v1::TaskStatus status,
                                  const std::string& occurrence = "") {
  v1::ReportProgressRequest request;
  request.set_task_id(task);
  request.set_agency(agency);
  request.set_status(status);
  if (!occurrence.empty()) request.set_occurrence_id(occurrence);
  return request;
}

// The outcome of `request`, the first report on `task`, made at `at`.
absl::StatusOr<ReportOutcome> FirstReport(
    const v1::Task& task, const v1::ReportProgressRequest& request,
    absl::Time at) {
  return ApplyReport(task, InitialState(task), request, at);
}

v1::Measurement Measure(const std::string& indicator, int64_t numerator,
                        int64_t denominator, v1::LocalDate as_of) {
  v1::Measurement m;
  m.set_indicator(indicator);
  m.set_numerator(numerator);
  m.set_denominator(denominator);
  *m.mutable_as_of() = as_of;
  return m;
}

const v1::OccurrenceState& Occ(const v1::TaskState& state,
                               const std::string& id) {
  for (const v1::OccurrenceState& o : state.occurrences()) {
    if (o.occurrence().id() == id) return o;
  }
  static const v1::OccurrenceState* none = new v1::OccurrenceState();
  ADD_FAILURE() << "no occurrence " << id;
  return *none;
}

TEST(OccurrenceStateTest, InitialStateListsOccurrencesNotStarted) {
  const v1::TaskState state = InitialState(WorkTask());
  ASSERT_EQ(state.occurrences_size(), 2);
  EXPECT_EQ(state.occurrences(0).occurrence().id(), kJune);
  EXPECT_EQ(state.occurrences(1).occurrence().id(), kApril);
  EXPECT_EQ(state.occurrences(1).status(), v1::OCCURRENCE_STATUS_NOT_STARTED);
  EXPECT_EQ(state.status(), v1::TASK_STATUS_NOT_STARTED);
}

TEST(OccurrenceStateTest, EmptyOccurrenceIdLandsOnEarliestOpenOne) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest progress =
      Request(kWork, kCoordinator, v1::TASK_STATUS_IN_PROGRESS);
  progress.set_percent(40);
  absl::StatusOr<ReportOutcome> first =
      FirstReport(task, progress, Local(2026, 4, 10, 9));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->occurrence_id, kApril);
  EXPECT_EQ(Occ(first->state, kApril).percent(), 40);
  EXPECT_EQ(Occ(first->state, kJune).percent(), 0);
  // The task summarises its occurrences: in progress, mean percent.
  EXPECT_EQ(first->state.status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(first->state.percent(), 20);

  absl::StatusOr<ReportOutcome> done = ApplyReport(
      task, first->state, Request(kWork, kLead, v1::TASK_STATUS_DONE),
      Local(2026, 4, 20, 9));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->occurrence_id, kApril);
  EXPECT_EQ(done->state.status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(done->state.percent(), 50);
  EXPECT_FALSE(done->state.has_completed_on());

  // April is done: the next report without an id is about June.
  absl::StatusOr<ReportOutcome> next =
      ApplyReport(task, done->state, progress, Local(2026, 5, 2, 9));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->occurrence_id, kJune);
  EXPECT_EQ(next->state.version(), 3u);
}

TEST(OccurrenceStateTest, UnknownOccurrenceRefusedNamingIt) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest request =
      Request(kWork, kLead, v1::TASK_STATUS_IN_PROGRESS,
              "vinh-thuy:1199-KH-UBND#IV.2@2026-05-31");
  absl::StatusOr<ReportOutcome> out =
      FirstReport(task, request, Local(2026, 4, 10, 9));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(out.status()), StartsWith("occurrence_id: '"));
  EXPECT_THAT(Message(out.status()), HasSubstr("@2026-05-31"));
  EXPECT_THAT(Message(out.status()), HasSubstr(kApril));
}

TEST(OccurrenceStateTest, AllDoneMakesTheTaskDoneLateWhenOneWasLate) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest april =
      Request(kWork, kLead, v1::TASK_STATUS_DONE, kApril);
  // April done on 2 May: late.
  absl::StatusOr<ReportOutcome> a =
      FirstReport(task, april, Local(2026, 5, 2, 9));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->occurrence_status, v1::OCCURRENCE_STATUS_DONE_LATE);
  v1::ReportProgressRequest june = april;
  june.set_occurrence_id(kJune);
  absl::StatusOr<ReportOutcome> j =
      ApplyReport(task, a->state, june, Local(2026, 6, 20, 9));
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(j->occurrence_status, v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(j->state.status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(j->state.percent(), 100);
  EXPECT_EQ(j->state.completed_on().month(), 6);
  EXPECT_EQ(j->state.completed_on().day(), 20);
  EXPECT_TRUE(j->state.completed_late());
  // Stored states keep the reported status; lateness is computed.
  EXPECT_EQ(Occ(j->state, kApril).status(), v1::OCCURRENCE_STATUS_DONE);
}

TEST(PeriodReportTest, OnTimeUpToTheDueDay) {
  const v1::Task task = ReportTask();
  v1::ReportProgressRequest request;
  request.set_task_id(kReport);
  request.set_agency(kLead);
  request.set_period_report(true);
  // "Trước ngày 12": the May report is on time on 11 June, late on 12 June.
  absl::StatusOr<ReportOutcome> on_time =
      FirstReport(task, request, Local(2026, 6, 11, 23));
  ASSERT_TRUE(on_time.ok()) << on_time.status();
  EXPECT_EQ(on_time->occurrence_id, kMay);
  EXPECT_TRUE(on_time->on_time);
  EXPECT_EQ(on_time->occurrence_status, v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(Occ(on_time->state, kMay).completed_on().day(), 11);
  EXPECT_EQ(Occ(on_time->state, kMay).percent(), 100);
  EXPECT_EQ(Occ(on_time->state, kJunePeriod).status(),
            v1::OCCURRENCE_STATUS_NOT_STARTED);

  absl::StatusOr<ReportOutcome> late =
      FirstReport(task, request, Local(2026, 6, 12, 0));
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(late->occurrence_id, kMay);
  EXPECT_FALSE(late->on_time);
  EXPECT_EQ(late->occurrence_status, v1::OCCURRENCE_STATUS_DONE_LATE);
  EXPECT_EQ(Occ(late->state, kMay).completed_on().day(), 12);

  // The next periodic report is June's.
  absl::StatusOr<ReportOutcome> june =
      ApplyReport(task, on_time->state, request, Local(2026, 7, 3, 9));
  ASSERT_TRUE(june.ok()) << june.status();
  EXPECT_EQ(june->occurrence_id, kJunePeriod);
  EXPECT_TRUE(june->on_time);
  EXPECT_EQ(june->state.status(), v1::TASK_STATUS_DONE);
  EXPECT_FALSE(june->state.completed_late());
}

TEST(PeriodReportTest, OnlyTheLeadSubmitsIt) {
  const v1::Task task = ReportTask();
  v1::ReportProgressRequest request;
  request.set_task_id(kReport);
  request.set_agency(kCoordinator);
  request.set_period_report(true);
  absl::StatusOr<ReportOutcome> out =
      FirstReport(task, request, Local(2026, 6, 5, 9));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(out.status()), HasSubstr(kCoordinator));
  EXPECT_THAT(Message(out.status()), HasSubstr("periodic report"));
  EXPECT_THAT(Message(out.status()), HasSubstr(kLead));
}

TEST(PeriodReportTest, RefusedForMilestonesAndFuturePeriods) {
  const v1::Task work = WorkTask();
  v1::ReportProgressRequest on_milestone;
  on_milestone.set_task_id(kWork);
  on_milestone.set_agency(kLead);
  on_milestone.set_period_report(true);
  on_milestone.set_occurrence_id(kApril);
  absl::StatusOr<ReportOutcome> milestone = ApplyReport(
      work, InitialState(work), on_milestone, Local(2026, 4, 10, 9));
  EXPECT_EQ(milestone.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(milestone.status()),
              StartsWith("period_report: occurrence"));
  EXPECT_THAT(Message(milestone.status()), HasSubstr("a milestone"));

  const v1::Task report = ReportTask();
  v1::ReportProgressRequest early = on_milestone;
  early.set_task_id(kReport);
  early.set_occurrence_id(kJunePeriod);
  absl::StatusOr<ReportOutcome> future =
      ApplyReport(report, InitialState(report), early, Local(2026, 5, 20, 9));
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(future.status()), HasSubstr("starts on 01/06/2026"));

  // A periodic report must complete: in progress is a contradiction.
  v1::ReportProgressRequest typed = early;
  typed.set_occurrence_id(kMay);
  typed.set_status(v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_THAT(Message(ValidateRequest(typed)), StartsWith("status:"));
}

TEST(OccurrenceStateTest, CoordinatorMayNotMarkAnOccurrenceDone) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest request =
      Request(kWork, kCoordinator, v1::TASK_STATUS_DONE, kApril);
  absl::StatusOr<ReportOutcome> out =
      FirstReport(task, request, Local(2026, 4, 10, 9));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(out.status()),
              HasSubstr("agency 'vinhthuy.vhxh' coordinates task"));
  EXPECT_THAT(Message(out.status()), HasSubstr("only the lead"));
}

TEST(OccurrenceStateTest, WrongAgencyRefusedNamingTheAssignment) {
  const v1::Task task = WorkTask();
  absl::StatusOr<ReportOutcome> out = ApplyReport(
      task, InitialState(task),
      Request(kWork, "vinhthuy.tramyte", v1::TASK_STATUS_IN_PROGRESS),
      Local(2026, 4, 10, 9));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Message(out.status()),
            "agency 'vinhthuy.tramyte' is not assigned to task "
            "vinh-thuy:1199-KH-UBND#IV.2 (lead: vinhthuy.kinhte; "
            "coordinating: vinhthuy.vhxh)");
}

TEST(ComputedStatusTest, OverdueAndDoneLateFollowTheClock) {
  const v1::Task task = WorkTask();
  SimulatedClock clock(Local(2026, 4, 29, 8), "");
  v1::TaskState state = InitialState(task);
  v1::ReportProgressRequest progress =
      Request(kWork, kLead, v1::TASK_STATUS_IN_PROGRESS, kApril);
  progress.set_percent(70);
  absl::StatusOr<ReportOutcome> out =
      ApplyReport(task, state, progress, clock.Now());
  ASSERT_TRUE(out.ok()) << out.status();
  state = out->state;
  EXPECT_EQ(out->occurrence_status, v1::OCCURRENCE_STATUS_IN_PROGRESS);

  // Last evening of the due day: still in progress.
  clock.Set(Local(2026, 4, 30, 23));
  EXPECT_EQ(Occ(Present(task, state, clock.Now()), kApril).status(),
            v1::OCCURRENCE_STATUS_IN_PROGRESS);
  // Local midnight passes: overdue, without any report.
  clock.Advance(absl::Hours(1));
  const v1::TaskState overdue = Present(task, state, clock.Now());
  EXPECT_EQ(Occ(overdue, kApril).status(), v1::OCCURRENCE_STATUS_OVERDUE);
  EXPECT_EQ(Occ(overdue, kApril).percent(), 70);
  EXPECT_EQ(Occ(overdue, kJune).status(), v1::OCCURRENCE_STATUS_NOT_STARTED);

  // Done on 4 May, four days late: done late, then and ever after.
  clock.Advance(absl::Hours(24 * 3));
  progress.set_status(v1::TASK_STATUS_DONE);
  progress.clear_percent();
  out = ApplyReport(task, state, progress, clock.Now());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->occurrence_status, v1::OCCURRENCE_STATUS_DONE_LATE);
  state = out->state;
  clock.Set(Local(2027, 1, 1, 9));
  const v1::TaskState later = Present(task, state, clock.Now());
  EXPECT_EQ(Occ(later, kApril).status(), v1::OCCURRENCE_STATUS_DONE_LATE);
  EXPECT_EQ(Occ(later, kApril).completed_on().day(), 4);
  EXPECT_EQ(Occ(later, kApril).completed_on().month(), 5);
  EXPECT_EQ(Occ(later, kJune).status(), v1::OCCURRENCE_STATUS_OVERDUE);
}

TEST(ComputedStatusTest, DoneOnTimeStaysDone) {
  v1::OccurrenceState o;
  *o.mutable_occurrence()->mutable_due() = Date(2026, 4, 30);
  o.set_status(v1::OCCURRENCE_STATUS_DONE);
  *o.mutable_completed_on() = Date(2026, 4, 30);
  EXPECT_EQ(OccurrenceStatusOn(o, absl::CivilDay(2026, 12, 1)),
            v1::OCCURRENCE_STATUS_DONE);
  // Blocked past the due date stays blocked: the difficulty is the news.
  o.set_status(v1::OCCURRENCE_STATUS_BLOCKED);
  o.clear_completed_on();
  o.set_open_difficulty("Thiếu kinh phí");
  EXPECT_EQ(OccurrenceStatusOn(o, absl::CivilDay(2026, 5, 1)),
            v1::OCCURRENCE_STATUS_BLOCKED);
  o.set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
  o.clear_open_difficulty();
  EXPECT_EQ(OccurrenceStatusOn(o, absl::CivilDay(2026, 5, 1)),
            v1::OCCURRENCE_STATUS_OVERDUE);
  // Without a due date nothing is ever late or overdue.
  o.mutable_occurrence()->clear_due();
  o.set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
  EXPECT_EQ(OccurrenceStatusOn(o, absl::CivilDay(2030, 1, 1)),
            v1::OCCURRENCE_STATUS_IN_PROGRESS);
}

TEST(ReopenTest, NeedsAReasonAndIsRecorded) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest done =
      Request(kWork, kLead, v1::TASK_STATUS_DONE, kApril);
  absl::StatusOr<ReportOutcome> d =
      FirstReport(task, done, Local(2026, 4, 20, 9));
  ASSERT_TRUE(d.ok()) << d.status();

  v1::ReportProgressRequest reopen =
      Request(kWork, kLead, v1::TASK_STATUS_IN_PROGRESS, kApril);
  reopen.set_percent(80);
  absl::StatusOr<ReportOutcome> refused =
      ApplyReport(task, d->state, reopen, Local(2026, 4, 25, 9));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(refused.status()),
            "reopen_reason: required to reopen occurrence "
            "'vinh-thuy:1199-KH-UBND#IV.2@2026-04-30', done on 20/04/2026 "
            "(reported in_progress after done)");

  // A coordinator may not reopen, reason or not.
  v1::ReportProgressRequest by_coordinator = reopen;
  by_coordinator.set_agency(kCoordinator);
  by_coordinator.set_reopen_reason("Số liệu chưa khớp");
  EXPECT_EQ(ApplyReport(task, d->state, by_coordinator, Local(2026, 4, 25, 9))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  reopen.set_reopen_reason("Số liệu đất đai chưa khớp với CSDLQG về dân cư");
  absl::StatusOr<ReportOutcome> reopened =
      ApplyReport(task, d->state, reopen, Local(2026, 4, 25, 9));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  const v1::OccurrenceState& april = Occ(reopened->state, kApril);
  EXPECT_EQ(april.status(), v1::OCCURRENCE_STATUS_IN_PROGRESS);
  EXPECT_EQ(april.percent(), 80);
  EXPECT_FALSE(april.has_completed_on());
  EXPECT_EQ(april.reopen_reason(),
            "Số liệu đất đai chưa khớp với CSDLQG về dân cư");
  EXPECT_EQ(reopened->reopen_reason, april.reopen_reason());
  // A difficulty on a done occurrence reopens it too.
  v1::ReportProgressRequest difficulty;
  difficulty.set_task_id(kWork);
  difficulty.set_agency(kLead);
  difficulty.set_occurrence_id(kApril);
  difficulty.set_difficulty("Thiếu máy quét");
  EXPECT_THAT(
      Message(ApplyReport(task, d->state, difficulty, Local(2026, 4, 25, 9))
                  .status()),
      StartsWith("reopen_reason:"));
}

TEST(OccurrenceDifficultyTest, BlocksUntilResolved) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest raise;
  raise.set_task_id(kWork);
  raise.set_agency(kCoordinator);
  raise.set_difficulty("Chưa có hướng dẫn kết nối dữ liệu");
  absl::StatusOr<ReportOutcome> blocked =
      FirstReport(task, raise, Local(2026, 4, 10, 9));
  ASSERT_TRUE(blocked.ok()) << blocked.status();
  EXPECT_EQ(blocked->occurrence_id, kApril);
  EXPECT_EQ(blocked->occurrence_status, v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(blocked->difficulty, "Chưa có hướng dẫn kết nối dữ liệu");
  EXPECT_EQ(Occ(blocked->state, kApril).open_difficulty(),
            "Chưa có hướng dẫn kết nối dữ liệu");
  EXPECT_EQ(blocked->state.status(), v1::TASK_STATUS_BLOCKED);

  // Progress without resolving leaves it blocked.
  v1::ReportProgressRequest progress =
      Request(kWork, kLead, v1::TASK_STATUS_IN_PROGRESS);
  progress.set_percent(50);
  absl::StatusOr<ReportOutcome> still =
      ApplyReport(task, blocked->state, progress, Local(2026, 4, 12, 9));
  ASSERT_TRUE(still.ok()) << still.status();
  EXPECT_EQ(still->occurrence_status, v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(Occ(still->state, kApril).percent(), 50);
  EXPECT_FALSE(still->difficulty_resolved);

  progress.set_resolve_difficulty(true);
  absl::StatusOr<ReportOutcome> resolved =
      ApplyReport(task, still->state, progress, Local(2026, 4, 15, 9));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_TRUE(resolved->difficulty_resolved);
  EXPECT_EQ(resolved->occurrence_status, v1::OCCURRENCE_STATUS_IN_PROGRESS);
  EXPECT_EQ(Occ(resolved->state, kApril).open_difficulty(), "");
  EXPECT_EQ(resolved->state.status(), v1::TASK_STATUS_IN_PROGRESS);

  // Nothing left to resolve.
  absl::StatusOr<ReportOutcome> again =
      ApplyReport(task, resolved->state, progress, Local(2026, 4, 16, 9));
  EXPECT_THAT(Message(again.status()), StartsWith("resolve_difficulty:"));

  // One report may resolve a difficulty and raise the next.
  absl::StatusOr<ReportOutcome> raised =
      ApplyReport(task, resolved->state, raise, Local(2026, 4, 17, 9));
  ASSERT_TRUE(raised.ok()) << raised.status();
  v1::ReportProgressRequest next = raise;
  next.set_difficulty("Máy chủ quá tải");
  next.set_resolve_difficulty(true);
  absl::StatusOr<ReportOutcome> replaced =
      ApplyReport(task, raised->state, next, Local(2026, 4, 18, 9));
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_TRUE(replaced->difficulty_resolved);
  EXPECT_EQ(replaced->difficulty, "Máy chủ quá tải");
  EXPECT_EQ(replaced->occurrence_status, v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(Occ(replaced->state, kApril).open_difficulty(), "Máy chủ quá tải");
}

TEST(OccurrenceDifficultyTest, TheEventEscalatesToTheStandingBody) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest raise =
      Request(kWork, kLead, v1::TASK_STATUS_BLOCKED);
  raise.set_note("Thiếu kinh phí");
  absl::StatusOr<ReportOutcome> out =
      FirstReport(task, raise, Local(2026, 4, 10, 9));
  ASSERT_TRUE(out.ok()) << out.status();
  v1::ProgressReport report;
  report.set_agency(kLead);
  report.set_report_id("r1");
  const v1::TaskUpdated updated = MakeTaskUpdated(task, *out, report);
  EXPECT_EQ(updated.difficulty(), "Thiếu kinh phí");
  EXPECT_EQ(updated.standing_agency(), kStanding);
  EXPECT_EQ(updated.occurrence_id(), kApril);
  EXPECT_EQ(updated.occurrence_status(), v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(updated.status(), v1::TASK_STATUS_BLOCKED);
  EXPECT_THAT(updated.coordinating_agencies(), ElementsAre(kCoordinator));
  EXPECT_THAT(updated.lead_agencies(), ElementsAre(kLead));
  EXPECT_EQ(updated.version(), 1u);
}

TEST(MeasurementTest, RefusalsNameTheField) {
  const v1::Task task = WorkTask();
  const absl::CivilDay today(2026, 4, 10);
  auto error = [&](const v1::Measurement& m) {
    return ValidateMeasurement(task, m, today, "measurements[0]");
  };
  EXPECT_EQ(Message(error(Measure("k1", 120, 100, Date(2026, 4, 1)))),
            "measurements[0].numerator: 120 is above the denominator 100");
  EXPECT_EQ(Message(error(Measure("k1", 0, 0, Date(2026, 4, 1)))),
            "measurements[0].denominator: must be above 0, not 0");
  EXPECT_EQ(Message(error(Measure("k1", -5, 100, Date(2026, 4, 1)))),
            "measurements[0].numerator: -5 is below 0");
  EXPECT_EQ(Message(error(Measure("k9", 5, 100, Date(2026, 4, 1)))),
            "measurements[0].indicator: 'k9' is not a target of task "
            "vinh-thuy:1199-KH-UBND#IV.2 (its targets: k1)");
  EXPECT_EQ(Message(error(Measure("k1", 5, 100, Date(2026, 4, 11)))),
            "measurements[0].as_of: 2026-04-11 is after today (2026-04-10)");
  EXPECT_EQ(Message(error(Measure("k1", 5, 100, UncheckedDate(2026, 2, 30)))),
            "measurements[0].as_of: 2026-02-30 is not a date");
  EXPECT_EQ(error(Measure("k1", 5, 100, UncheckedDate(2026, 2, 30))).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(error(Measure("k1", 100, 100, Date(2026, 4, 10))).ok());
  // The indicator as written is accepted too.
  EXPECT_TRUE(
      error(Measure(task.targets(0).indicator(), 1, 2, Date(2026, 4, 10)))
          .ok());
  // A task without targets has nothing to measure.
  EXPECT_THAT(Message(ValidateMeasurement(ReportTask(),
                                          Measure("k1", 1, 2, Date(2026, 4, 1)),
                                          today, "items[3].measurement")),
              StartsWith("items[3].measurement.indicator: task"));
}

TEST(MeasurementTest, ReportRefusedByItsMeasurement) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest request =
      Request(kWork, kCoordinator, v1::TASK_STATUS_IN_PROGRESS);
  *request.add_measurements() = Measure("k1", 10, 100, Date(2026, 4, 1));
  *request.add_measurements() = Measure("k1", 120, 100, Date(2026, 4, 2));
  absl::StatusOr<ReportOutcome> out =
      FirstReport(task, request, Local(2026, 4, 10, 9));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(out.status()),
            "measurements[1].numerator: 120 is above the denominator 100");
}

TEST(MeasurementTest, LatestPerIndicatorByDateThenReport) {
  const v1::Task task = WorkTask();
  v1::ReportProgressRequest request;
  request.set_task_id(kWork);
  request.set_agency(kCoordinator);
  // The indicator as written is kept under its code, for the task's unit.
  *request.add_measurements() =
      Measure(task.targets(0).indicator(), 300, 1000, Date(2026, 4, 5));
  absl::StatusOr<ReportOutcome> first =
      FirstReport(task, request, Local(2026, 4, 10, 9));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->state.latest_measurements_size(), 1);
  EXPECT_EQ(first->state.latest_measurements(0).indicator(), "k1");
  EXPECT_EQ(first->state.latest_measurements(0).unit(), "vinh-thuy");
  // A measurement-only report changes no status.
  EXPECT_EQ(first->state.status(), v1::TASK_STATUS_NOT_STARTED);
  EXPECT_EQ(first->state.version(), 1u);

  // An older count sent later does not replace the newer one.
  request.clear_measurements();
  *request.add_measurements() = Measure("k1", 250, 1000, Date(2026, 4, 1));
  absl::StatusOr<ReportOutcome> older =
      ApplyReport(task, first->state, request, Local(2026, 4, 11, 9));
  ASSERT_TRUE(older.ok()) << older.status();
  EXPECT_EQ(older->state.latest_measurements(0).numerator(), 300);

  // A correction for the same date does.
  request.clear_measurements();
  *request.add_measurements() = Measure("k1", 310, 1000, Date(2026, 4, 5));
  absl::StatusOr<ReportOutcome> corrected =
      ApplyReport(task, older->state, request, Local(2026, 4, 12, 9));
  ASSERT_TRUE(corrected.ok()) << corrected.status();
  ASSERT_EQ(corrected->state.latest_measurements_size(), 1);
  EXPECT_EQ(corrected->state.latest_measurements(0).numerator(), 310);
  EXPECT_EQ(corrected->state.version(), 3u);

  v1::ProgressReport report;
  const v1::TaskUpdated updated = MakeTaskUpdated(task, *corrected, report);
  EXPECT_EQ(updated.measurement().numerator(), 310);
  EXPECT_EQ(updated.measurement().indicator(), "k1");
  EXPECT_EQ(updated.version(), 3u);
}

TEST(TaskLevelTest, WithoutOccurrencesOccurrenceIdAndPeriodReportRefused) {
  v1::Task task = BaseTask("vinh-thuy:1199-KH-UBND#III.1");
  v1::ReportProgressRequest request =
      Request(task.id(), kLead, v1::TASK_STATUS_IN_PROGRESS);
  request.set_occurrence_id("x@1");
  EXPECT_THAT(
      Message(FirstReport(task, request, Local(2026, 4, 10, 9)).status()),
      StartsWith("occurrence_id: task"));
  request.clear_occurrence_id();
  request.set_status(v1::TASK_STATUS_UNSPECIFIED);
  request.set_period_report(true);
  EXPECT_THAT(
      Message(FirstReport(task, request, Local(2026, 4, 10, 9)).status()),
      StartsWith("period_report: task"));
}

TEST(TaskLevelTest, DifficultyBlocksTheTask) {
  v1::Task task = BaseTask("vinh-thuy:1199-KH-UBND#III.1");
  v1::ReportProgressRequest request;
  request.set_task_id(task.id());
  request.set_agency(kCoordinator);
  request.set_difficulty("Thiếu nhân lực");
  absl::StatusOr<ReportOutcome> out =
      FirstReport(task, request, Local(2026, 4, 10, 9));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->occurrence_id, "");
  EXPECT_EQ(out->state.status(), v1::TASK_STATUS_BLOCKED);
  EXPECT_EQ(out->difficulty, "Thiếu nhân lực");

  v1::ReportProgressRequest resolve;
  resolve.set_task_id(task.id());
  resolve.set_agency(kLead);
  resolve.set_resolve_difficulty(true);
  absl::StatusOr<ReportOutcome> resolved =
      ApplyReport(task, out->state, resolve, Local(2026, 4, 11, 9));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->state.status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_TRUE(resolved->difficulty_resolved);
}

TEST(DefinitionTest, NewOccurrencesJoinAndATaskDoneBeforeStaysDone) {
  v1::Task task = WorkTask();
  v1::Task plain = task;
  plain.clear_occurrences();
  absl::StatusOr<v1::TaskState> done = NextState(
      plain, InitialState(plain), Request(kWork, kLead, v1::TASK_STATUS_DONE),
      Local(2026, 4, 20, 9));
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_EQ(done->occurrences_size(), 0);
  const v1::TaskState with = WithDefinition(task, *done);
  ASSERT_EQ(with.occurrences_size(), 2);
  EXPECT_EQ(Occ(with, kApril).status(), v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(Occ(with, kApril).completed_on().day(), 20);

  // An occurrence added later (a recorded trigger) starts not started.
  v1::Occurrence* trigger = task.add_occurrences();
  trigger->set_id(std::string(kWork) + "@trigger-1");
  trigger->set_kind(v1::Occurrence::KIND_TRIGGERED);
  const v1::TaskState extended = WithDefinition(task, with);
  ASSERT_EQ(extended.occurrences_size(), 3);
  EXPECT_EQ(extended.occurrences(2).status(),
            v1::OCCURRENCE_STATUS_NOT_STARTED);
  EXPECT_EQ(extended.occurrences(0).status(), v1::OCCURRENCE_STATUS_DONE);
}

}  // namespace
}  // namespace tiendo::progress
