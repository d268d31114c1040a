// End to end: the broker and the four services as processes, real Kafka
// protocol and gRPC on loopback, the Vĩnh Thủy plan, a simulated clock.
#include "tests/support/stack.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/enum_words.h"
#include "tests/support/process.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
std::string Task(const std::string& number) {
  return absl::StrCat(kPlan, "#", number);
}

absl::Time Local(const std::string& rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return t;
}

class StackTest : public ::testing::Test {
 protected:
  // Before every reminder point of task I.1 (due 31/05/2026), after the
  // deadline of III.4 (10/05/2026).
  StackTest() : stack_("2026-05-20T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
    grpc::ClientContext context;
    SetDeadline(context);
    v1::CreatePlanResponse created;
    grpc::Status s =
        stack_.Plan()->CreatePlan(&context, ExamplePlanRequest(), &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(created.plan().task_count(), 22);
    // Progress learns tasks from plan-changed; wait until it knows the last.
    ASSERT_TRUE(WaitUntil([&] { return stack_.TaskState(Task("VI.1")).ok(); }));
  }

  grpc::Status Report(const std::string& task, const std::string& agency,
                      v1::TaskStatus status, int percent,
                      const std::string& request_id,
                      v1::ReportProgressResponse* response = nullptr) {
    v1::ReportProgressRequest request;
    request.set_task_id(task);
    request.set_agency(agency);
    request.set_status(status);
    request.set_percent(percent);
    request.set_request_id(request_id);
    return stack_.Report(request, response);
  }

  v1::Rollup Rollup() {
    v1::GetRollupRequest request;
    request.set_unit("vinh-thuy");
    v1::GetRollupResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    EXPECT_TRUE(
        stack_.Aggregation()->GetRollup(&context, request, &response).ok());
    return response.rollup();
  }

  static int Count(const std::vector<v1::Notification>& inbox,
                   const std::string& task, const std::string& kind) {
    int n = 0;
    for (const v1::Notification& x : inbox) {
      if (x.task_id() == task && EnumWord(x.kind()) == kind) ++n;
    }
    return n;
  }

  Stack stack_;
};

TEST_F(StackTest, ReportsRollUpAndDeadlinesRemindExactlyOnce) {
  // The lead marks I.1 done before any of its reminder points.
  ASSERT_TRUE(
      Report(Task("I.1"), "vinhthuy.congan", v1::TASK_STATUS_DONE, 100, "r-1")
          .ok());
  v1::ReportProgressResponse first;
  ASSERT_TRUE(Report(Task("I.2"), "vinhthuy.kinhte",
                     v1::TASK_STATUS_IN_PROGRESS, 40, "r-2", &first)
                  .ok());

  // Trạm y tế is assigned nowhere in section III.1: refused, with the reason.
  grpc::Status refused = Report(Task("III.1"), "vinhthuy.tramyte",
                                v1::TASK_STATUS_IN_PROGRESS, 10, "r-3");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(refused.error_message(), HasSubstr("vinhthuy.tramyte"));
  EXPECT_THAT(refused.error_message(), HasSubstr("not assigned"));

  // A retried request id gets the first answer and records nothing new.
  v1::ReportProgressResponse retried;
  ASSERT_TRUE(Report(Task("I.2"), "vinhthuy.kinhte",
                     v1::TASK_STATUS_IN_PROGRESS, 40, "r-2", &retried)
                  .ok());
  EXPECT_EQ(retried.report().report_id(), first.report().report_id());
  EXPECT_EQ(retried.state().version(), 1u);
  ASSERT_TRUE(Report(Task("III.1"), "vinhthuy.congan",
                     v1::TASK_STATUS_IN_PROGRESS, 60, "r-4")
                  .ok());

  // The roll-up follows the stream: 3 accepted reports, not 4.
  ASSERT_TRUE(WaitUntil([&] { return Rollup().reports_applied() == 3; }))
      << Rollup().DebugString();
  v1::Rollup rollup = Rollup();
  EXPECT_EQ(rollup.totals().total(), 22);
  EXPECT_EQ(rollup.totals().done(), 1);
  EXPECT_EQ(rollup.totals().in_progress(), 2);
  EXPECT_EQ(rollup.totals().not_started(), 19);
  // III.4 was due 10/05/2026.
  EXPECT_EQ(rollup.totals().overdue(), 1);

  // The plan service hears that I.1 is done and cancels its reminders.
  ASSERT_TRUE(WaitUntil([&] { return stack_.PlanTask(Task("I.1")).done(); }));

  // Stream the roll-up while the clock moves to a week before 30/06/2026.
  grpc::ClientContext watch_context;
  v1::WatchRollupRequest watch_request;
  watch_request.set_unit("vinh-thuy");
  auto watch = stack_.Aggregation()->WatchRollup(&watch_context, watch_request);
  v1::WatchRollupResponse streamed;
  ASSERT_TRUE(watch->Read(&streamed));
  EXPECT_EQ(streamed.rollup().reports_applied(), 3u);

  ASSERT_TRUE(stack_.SetClock(Local("2026-06-24T08:00:00+07:00")));

  // II.3 (lead hcc, coordinator congan, due 30/06/2026) is reminded 7 days
  // before, to both.
  ASSERT_TRUE(WaitUntil([&] {
    return Count(stack_.Inbox("vinhthuy.hcc"), Task("II.3"), "reminder") == 1;
  }));
  ASSERT_TRUE(WaitUntil([&] {
    return Count(stack_.Inbox("vinhthuy.congan"), Task("II.3"), "reminder") ==
           1;
  }));
  for (const v1::Notification& n : stack_.Inbox("vinhthuy.hcc")) {
    if (n.task_id() != Task("II.3")) continue;
    EXPECT_EQ(n.days_before(), 7);
    EXPECT_THAT(n.message(), HasSubstr("30/06/2026"));
    EXPECT_THAT(n.message(), HasSubstr("còn 6 ngày"));
  }
  // The overdue III.4 reached its lead, the commune police, once.
  EXPECT_EQ(Count(stack_.Inbox("vinhthuy.congan"), Task("III.4"), "overdue"),
            1);

  // The watch saw the day change: I.1 done, III.4 still the only overdue.
  ASSERT_TRUE(watch->Read(&streamed));
  EXPECT_EQ(streamed.rollup().as_of().month(), 6);
  watch_context.TryCancel();
  watch->Finish().IgnoreError();

  // Past 30/06/2026: II.3 is overdue and escalates to the standing body.
  ASSERT_TRUE(stack_.SetClock(Local("2026-07-01T08:00:00+07:00")));
  ASSERT_TRUE(WaitUntil([&] {
    return Count(stack_.Inbox("vinhthuy.congan"), Task("II.3"), "overdue") == 1;
  }));
  bool escalated = false;
  for (const v1::Notification& n : stack_.Inbox("vinhthuy.congan")) {
    if (n.task_id() == Task("II.3") &&
        n.kind() == v1::NOTIFICATION_KIND_OVERDUE) {
      escalated = n.escalation();
      EXPECT_THAT(n.message(), HasSubstr("QUÁ HẠN"));
    }
  }
  EXPECT_TRUE(escalated);
  // II.3 and IV.2 (both due 30/06) join III.4.
  ASSERT_TRUE(WaitUntil([&] { return Rollup().totals().overdue() == 3; }));

  // I.1, done in time, was never reminded, and all its points were
  // cancelled (7, 3 and 1 days before, overdue, escalated to the
  // province); nothing was delivered twice.
  const v1::GetTaskResponse done_in_time = stack_.PlanTask(Task("I.1"));
  ASSERT_EQ(done_in_time.reminders_size(), 5);
  for (const v1::ReminderPoint& point : done_in_time.reminders()) {
    EXPECT_EQ(point.state(), v1::ReminderPoint::STATE_CANCELLED);
  }
  for (const char* agency :
       {"vinhthuy.congan", "vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.hcc",
        "vinhthuy.tramyte", "vinhthuy.mttq", "vinhthuy.tct06"}) {
    const std::vector<v1::Notification> inbox = stack_.Inbox(agency);
    EXPECT_EQ(Count(inbox, Task("I.1"), "reminder"), 0) << agency;
    EXPECT_EQ(Count(inbox, Task("I.1"), "overdue"), 0) << agency;
    for (const v1::Notification& n : inbox) {
      EXPECT_LE(Count(inbox, n.task_id(), EnumWord(n.kind())), 1)
          << agency << " got " << n.task_id() << " " << n.kind() << " twice";
    }
  }
}

TEST_F(StackTest, KillNineOfAnyServiceLosesAndDoublesNothing) {
  const std::vector<std::pair<std::string, std::string>> tasks = {
      {"I.2", "vinhthuy.kinhte"},
      {"I.3", "vinhthuy.congan"},
      {"II.1", "vinhthuy.hcc"},
      {"III.3", "vinhthuy.vhxh"},
      {"IV.3", "vinhthuy.kinhte"}};
  int accepted = 0;
  int request = 0;
  auto report_round = [&](int percent) {
    for (const auto& [number, agency] : tasks) {
      grpc::Status s = Report(Task(number), agency, v1::TASK_STATUS_IN_PROGRESS,
                              percent, absl::StrCat("kill-", ++request));
      ASSERT_TRUE(s.ok()) << s.error_message();
      ++accepted;
    }
  };

  for (const char* victim :
       {"progress", "aggregation", "plan", "notification"}) {
    SCOPED_TRACE(victim);
    report_round(10 + accepted);
    // Acknowledged reports are in progress's SQLite file and outbox: a crash
    // now must lose none of them.
    stack_.KillService(victim);
    ASSERT_TRUE(stack_.StartService(victim));
    ASSERT_TRUE(stack_.WaitServing(victim)) << stack_.Log(victim);
  }
  report_round(90);

  ASSERT_TRUE(WaitUntil([&] {
    return Rollup().reports_applied() == static_cast<uint64_t>(accepted);
  })) << "applied "
      << Rollup().reports_applied() << " of " << accepted;
  v1::Rollup rollup = Rollup();
  EXPECT_EQ(rollup.totals().in_progress(), static_cast<int>(tasks.size()));
  for (const auto& [number, agency] : tasks) {
    v1::TaskState state;
    ASSERT_TRUE(stack_.TaskState(Task(number), &state).ok());
    EXPECT_EQ(state.version(), 5u) << number;
    EXPECT_EQ(state.percent(), 90) << number;
  }
  // Nothing counted twice after redelivery to the restarted consumers: a
  // difficulty reported on each task is a marker behind everything earlier
  // on its partition; once all five show as blocked, a redelivered report
  // would have been counted.
  const int blocked_before = Rollup().totals().blocked();
  for (const auto& [number, agency] : tasks) {
    v1::ReportProgressRequest marker;
    marker.set_task_id(Task(number));
    marker.set_agency(agency);
    marker.set_difficulty("Thiếu kinh phí");
    marker.set_request_id(absl::StrCat("marker-", number));
    grpc::Status s = stack_.Report(marker);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ++accepted;
  }
  ASSERT_TRUE(WaitUntil([&] {
    return Rollup().totals().blocked() ==
           blocked_before + static_cast<int>(tasks.size());
  }));
  EXPECT_EQ(Rollup().reports_applied(), static_cast<uint64_t>(accepted));
}

TEST_F(StackTest, BrokerRestartedEmptyIsDetectedAndResynced) {
  ASSERT_TRUE(Report(Task("I.2"), "vinhthuy.kinhte",
                     v1::TASK_STATUS_IN_PROGRESS, 30, "b-1")
                  .ok());
  ASSERT_TRUE(WaitUntil([&] { return Rollup().reports_applied() == 1; }));

  // The embedded broker forgets everything when it restarts.
  const int port = stack_.broker().port();
  stack_.broker().Stop();
  ASSERT_TRUE(stack_.broker().Start(port));

  // Consumers notice their offsets are beyond the empty broker's and resync
  // from the owners; new reports flow again.
  ASSERT_TRUE(WaitUntil([&] {
    return absl::StrContains(
        stack_.Log("aggregation"),
        "resync of roll-up state from plan and progress done");
  }));
  ASSERT_TRUE(WaitUntil([&] {
    return Report(Task("I.3"), "vinhthuy.congan", v1::TASK_STATUS_IN_PROGRESS,
                  50, "b-2")
        .ok();
  }));
  ASSERT_TRUE(WaitUntil([&] { return Rollup().reports_applied() == 2; }))
      << Rollup().DebugString();
  EXPECT_EQ(Rollup().totals().in_progress(), 2);
}

}  // namespace
}  // namespace tiendo::testing
