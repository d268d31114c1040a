#include "services/progress/progress_rules.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_values.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::tiendo::testing::Local;
using ::tiendo::testing::Message;

constexpr char kTaskId[] = "vinh-thuy:1199-KH-UBND#I.1";
constexpr char kLead[] = "vinhthuy.congan";
constexpr char kCoordinator[] = "vinhthuy.kinhte";

v1::Task MakeTask() {
  v1::Task task;
  task.set_id(kTaskId);
  task.set_unit("vinh-thuy");
  task.add_lead_agencies(kLead);
  task.add_coordinating_agencies(kCoordinator);
  task.add_coordinating_agencies("vinhthuy.vhxh");
  task.mutable_due_date()->set_year(2026);
  task.mutable_due_date()->set_month(5);
  task.mutable_due_date()->set_day(31);
  task.set_standing_agency(kLead);
  task.set_version(1);
  return task;
}

v1::ReportProgressRequest Request(const std::string& agency,
                                  v1::TaskStatus status) {
  v1::ReportProgressRequest request;
  request.set_task_id(kTaskId);
  request.set_agency(agency);
  request.set_status(status);
  return request;
}

// The task's state after `request`, its first report, made at `at`.
absl::StatusOr<v1::TaskState> FirstState(
    const v1::ReportProgressRequest& request,
    absl::Time at = Local(2026, 5, 20)) {
  const v1::Task task = MakeTask();
  return NextState(task, InitialState(task), request, at);
}

TEST(InitialStateTest, NotStartedWithAssignment) {
  v1::TaskState state = InitialState(MakeTask());
  EXPECT_EQ(state.task_id(), kTaskId);
  EXPECT_EQ(state.unit(), "vinh-thuy");
  EXPECT_EQ(state.status(), v1::TASK_STATUS_NOT_STARTED);
  EXPECT_EQ(state.percent(), 0);
  EXPECT_EQ(state.version(), 0u);
  EXPECT_EQ(state.due_date().day(), 31);
  EXPECT_THAT(state.lead_agencies(), ElementsAre(kLead));
  EXPECT_THAT(state.coordinating_agencies(),
              ElementsAre(kCoordinator, "vinhthuy.vhxh"));
  EXPECT_FALSE(state.has_completed_on());
}

TEST(InitialStateTest, OngoingTaskHasNoDueDate) {
  v1::Task task = MakeTask();
  task.clear_due_date();
  EXPECT_FALSE(InitialState(task).has_due_date());
}

TEST(NextStateTest, LeadMarksDoneOnTime) {
  const v1::Task task = MakeTask();
  const absl::Time now = Local(2026, 5, 20, 10);
  absl::StatusOr<v1::TaskState> next = NextState(
      task, InitialState(task), Request(kLead, v1::TASK_STATUS_DONE), now);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(next->percent(), 100);
  EXPECT_EQ(next->completed_on().year(), 2026);
  EXPECT_EQ(next->completed_on().month(), 5);
  EXPECT_EQ(next->completed_on().day(), 20);
  EXPECT_FALSE(next->completed_late());
  EXPECT_EQ(next->version(), 1u);
  EXPECT_EQ(next->updated_at().seconds(), absl::ToUnixSeconds(now));
}

TEST(NextStateTest, DoneLateOnlyAfterTheLocalDueDay) {
  const v1::ReportProgressRequest done = Request(kLead, v1::TASK_STATUS_DONE);

  // Late evening of the due day, local time: still on time (it is already
  // 2026-05-31T16:30Z, but that does not matter).
  absl::StatusOr<v1::TaskState> on_due_day =
      FirstState(done, Local(2026, 5, 31, 23, 30));
  ASSERT_TRUE(on_due_day.ok()) << on_due_day.status();
  EXPECT_EQ(on_due_day->completed_on().day(), 31);
  EXPECT_FALSE(on_due_day->completed_late());

  // Ten minutes past local midnight: late, although UTC is still 05-31.
  absl::StatusOr<v1::TaskState> next_day =
      FirstState(done, Local(2026, 6, 1, 0, 10));
  ASSERT_TRUE(next_day.ok()) << next_day.status();
  EXPECT_EQ(next_day->completed_on().month(), 6);
  EXPECT_EQ(next_day->completed_on().day(), 1);
  EXPECT_TRUE(next_day->completed_late());
}

TEST(NextStateTest, TaskWithoutDueDateIsNeverLate) {
  v1::Task task = MakeTask();
  task.clear_due_date();
  absl::StatusOr<v1::TaskState> next =
      NextState(task, InitialState(task), Request(kLead, v1::TASK_STATUS_DONE),
                Local(2030, 1, 1));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_FALSE(next->completed_late());
}

TEST(NextStateTest, DoneWithPercent100Accepted) {
  v1::ReportProgressRequest request = Request(kLead, v1::TASK_STATUS_DONE);
  request.set_percent(100);
  EXPECT_TRUE(FirstState(request).ok());
}

TEST(NextStateTest, CoordinatorReportsInProgress) {
  v1::ReportProgressRequest request =
      Request(kCoordinator, v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(40);
  absl::StatusOr<v1::TaskState> next = FirstState(request);
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(next->percent(), 40);
  EXPECT_FALSE(next->has_completed_on());
}

// The request is refused by CheckReporter, with `why` and the lead named
// in the message, and by NextState alike.
void ExpectRefused(const v1::ReportProgressRequest& request,
                   const std::string& why) {
  const v1::Task task = MakeTask();
  absl::Status check = CheckReporter(task, request);
  EXPECT_EQ(check.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Message(check), HasSubstr(why));
  EXPECT_THAT(Message(check), HasSubstr(kLead));

  EXPECT_EQ(FirstState(request).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(NextStateTest, CoordinatorMayNotMarkDone) {
  ExpectRefused(Request(kCoordinator, v1::TASK_STATUS_DONE), "only the lead");
}

TEST(NextStateTest, UnassignedAgencyRefused) {
  ExpectRefused(Request("vinhthuy.tramyte", v1::TASK_STATUS_IN_PROGRESS),
                "vinhthuy.tramyte");
}

TEST(CheckReporterTest, LeadAndCoordinatorAllowed) {
  const v1::Task task = MakeTask();
  EXPECT_TRUE(CheckReporter(task, Request(kLead, v1::TASK_STATUS_DONE)).ok());
  EXPECT_TRUE(
      CheckReporter(task, Request(kLead, v1::TASK_STATUS_IN_PROGRESS)).ok());
  EXPECT_TRUE(
      CheckReporter(task, Request(kCoordinator, v1::TASK_STATUS_BLOCKED)).ok());
}

void ExpectInvalid(const v1::ReportProgressRequest& request,
                   const std::string& field) {
  absl::Status status = ValidateRequest(request);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
  EXPECT_THAT(Message(status), StartsWith(field + ":"));
  // NextState refuses it as well.
  EXPECT_EQ(FirstState(request).status().code(),
            absl::StatusCode::kInvalidArgument)
      << field;
}

TEST(ValidateRequestTest, ValidRequestPasses) {
  v1::ReportProgressRequest request =
      Request(kLead, v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(0);
  EXPECT_TRUE(ValidateRequest(request).ok());
  request.set_percent(100);
  EXPECT_TRUE(ValidateRequest(request).ok());
}

TEST(ValidateRequestTest, MissingTaskId) {
  v1::ReportProgressRequest request = Request(kLead, v1::TASK_STATUS_DONE);
  request.clear_task_id();
  ExpectInvalid(request, "task_id");
}

TEST(ValidateRequestTest, MissingAgency) {
  ExpectInvalid(Request("", v1::TASK_STATUS_IN_PROGRESS), "agency");
}

TEST(ValidateRequestTest, UnspecifiedStatus) {
  ExpectInvalid(Request(kLead, v1::TASK_STATUS_UNSPECIFIED), "status");
}

TEST(ValidateRequestTest, PercentOutOfRange) {
  v1::ReportProgressRequest request =
      Request(kLead, v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(101);
  ExpectInvalid(request, "percent");
  request.set_percent(-1);
  ExpectInvalid(request, "percent");
}

TEST(ValidateRequestTest, DoneWithPercentBelow100) {
  v1::ReportProgressRequest request = Request(kLead, v1::TASK_STATUS_DONE);
  request.set_percent(80);
  ExpectInvalid(request, "percent");
}

TEST(ValidateRequestTest, BlockedNeedsNote) {
  v1::ReportProgressRequest request = Request(kLead, v1::TASK_STATUS_BLOCKED);
  ExpectInvalid(request, "note");
  request.set_note("Thiếu kinh phí");
  EXPECT_TRUE(ValidateRequest(request).ok());
}

TEST(NextStateTest, VersionIncrementsAndPercentKept) {
  const v1::Task task = MakeTask();
  v1::ReportProgressRequest first =
      Request(kCoordinator, v1::TASK_STATUS_IN_PROGRESS);
  first.set_percent(30);
  absl::StatusOr<v1::TaskState> s1 = FirstState(first);
  ASSERT_TRUE(s1.ok()) << s1.status();
  EXPECT_EQ(s1->version(), 1u);
  EXPECT_EQ(s1->percent(), 30);

  // No percent given: the previous one stays.
  v1::ReportProgressRequest second = Request(kLead, v1::TASK_STATUS_BLOCKED);
  second.set_note("Chờ hướng dẫn");
  absl::StatusOr<v1::TaskState> s2 =
      NextState(task, *s1, second, Local(2026, 5, 21));
  ASSERT_TRUE(s2.ok()) << s2.status();
  EXPECT_EQ(s2->version(), 2u);
  EXPECT_EQ(s2->status(), v1::TASK_STATUS_BLOCKED);
  EXPECT_EQ(s2->percent(), 30);

  absl::StatusOr<v1::TaskState> s3 =
      NextState(task, *s2, Request(kLead, v1::TASK_STATUS_IN_PROGRESS),
                Local(2026, 5, 22));
  ASSERT_TRUE(s3.ok()) << s3.status();
  EXPECT_EQ(s3->version(), 3u);
  EXPECT_EQ(s3->percent(), 30);
}

TEST(NextStateTest, ReopeningDoneTaskClearsCompletion) {
  const v1::Task task = MakeTask();
  absl::StatusOr<v1::TaskState> done =
      FirstState(Request(kLead, v1::TASK_STATUS_DONE), Local(2026, 6, 2));
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_TRUE(done->has_completed_on());
  ASSERT_TRUE(done->completed_late());

  v1::ReportProgressRequest reopen =
      Request(kLead, v1::TASK_STATUS_IN_PROGRESS);
  reopen.set_percent(90);
  absl::StatusOr<v1::TaskState> reopened =
      NextState(task, *done, reopen, Local(2026, 6, 3));
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(reopened->percent(), 90);
  EXPECT_FALSE(reopened->has_completed_on());
  EXPECT_FALSE(reopened->completed_late());
  EXPECT_EQ(reopened->version(), 2u);
}

}  // namespace
}  // namespace tiendo::progress
