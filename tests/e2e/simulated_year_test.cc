// End to end: a simulated year of the Vĩnh Thủy plan, imported as written,
// with the broker and the four services as processes on a simulated clock.
// The monthly report obligation yields twelve occurrences, each reminded
// before the 12th and marked on time or late; a dated milestone is reminded
// at its lead times off weekends and escalated when overdue; a target whose
// measurements fall behind raises a warning before its deadline.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/enum_words.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
constexpr char kLead[] = "vinhthuy.congan";

std::string Task(const std::string& number) {
  return absl::StrCat(kPlan, "#", number);
}

class SimulatedYearTest : public ::testing::Test {
 protected:
  // The day after the plan was signed (25/5/2026).
  SimulatedYearTest() : stack_("2026-05-26T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
    grpc::Status s =
        stack_.ImportExamplePlan("vinh-thuy-1199.txt", Task("BC.1"));
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  int Count(const std::string& agency, const std::string& occurrence,
            const std::string& kind) {
    int n = 0;
    for (const v1::Notification& x : stack_.Inbox(agency)) {
      if (x.occurrence_id() == occurrence && EnumWord(x.kind()) == kind) ++n;
    }
    return n;
  }

  // The states of the occurrence's reminder points as the plan service
  // keeps them, escalation points only or all the others.
  std::vector<v1::ReminderPoint::State> PointStates(
      const std::string& task, const std::string& occurrence, bool escalation) {
    std::vector<v1::ReminderPoint::State> states;
    const v1::GetTaskResponse view = stack_.PlanTask(task);
    for (const v1::ReminderPoint& point : view.reminders()) {
      if (point.occurrence_id() == occurrence &&
          point.escalation() == escalation) {
        states.push_back(point.state());
      }
    }
    return states;
  }

  Stack stack_;
};

TEST_F(SimulatedYearTest, MonthlyReportsAreRemindedAndMarkedOnTimeOrLate) {
  const v1::GetTaskResponse report = stack_.PlanTask(Task("BC.1"));
  ASSERT_EQ(report.task().occurrences_size(), 12);
  EXPECT_EQ(report.task().occurrences(0).key(), "2026-05");
  EXPECT_EQ(report.task().occurrences(0).due().day(), 11);
  EXPECT_EQ(report.task().occurrences(0).due().month(), 6);
  EXPECT_EQ(report.task().occurrences(11).key(), "2027-04");
  EXPECT_EQ(report.task().occurrences(11).due().month(), 5);

  // Month by month: the clock reaches the day before the cut-off (the 11th,
  // or the working day before it), the reminder arrives, the commune police
  // reports; the August report comes in late, on the 14th of September.
  for (int i = 0; i < 12; ++i) {
    const v1::Occurrence& occurrence = report.task().occurrences(i);
    const v1::LocalDate due = occurrence.due();
    const bool late = occurrence.key() == "2026-08";
    ASSERT_TRUE(stack_.SetClock(Local(due.year(), due.month(), due.day(), 8)))
        << occurrence.key();
    ASSERT_TRUE(WaitUntil([&] {
      return Count(kLead, occurrence.id(), "report_due") >= 1;
    })) << "no reminder for "
        << occurrence.id();
    if (late) {
      ASSERT_TRUE(stack_.SetClock(Local(due.year(), due.month(), 14, 8)));
      ASSERT_TRUE(WaitUntil([&] {
        return Count(kLead, occurrence.id(), "overdue") == 1;
      })) << "no overdue notice for "
          << occurrence.id();
    }
    v1::ReportProgressRequest submit;
    submit.set_task_id(Task("BC.1"));
    submit.set_agency(kLead);
    submit.set_occurrence_id(occurrence.id());
    submit.set_status(v1::TASK_STATUS_DONE);
    submit.set_period_report(true);
    submit.set_note(absl::StrCat("Báo cáo ", occurrence.label()));
    submit.set_request_id(absl::StrCat("report-", occurrence.key()));
    v1::ReportProgressResponse response;
    grpc::Status s = stack_.Report(submit, &response);
    ASSERT_TRUE(s.ok()) << occurrence.key() << ": " << s.error_message();
  }

  v1::TaskState state;
  ASSERT_TRUE(stack_.TaskState(Task("BC.1"), &state).ok());
  ASSERT_EQ(state.occurrences_size(), 12);
  int on_time = 0, late = 0;
  for (const v1::OccurrenceState& o : state.occurrences()) {
    if (o.status() == v1::OCCURRENCE_STATUS_DONE) ++on_time;
    if (o.status() == v1::OCCURRENCE_STATUS_DONE_LATE) {
      ++late;
      EXPECT_EQ(o.occurrence().key(), "2026-08");
    }
  }
  EXPECT_EQ(on_time, 11);
  EXPECT_EQ(late, 1);
  // Every period was reminded exactly once per point, never twice.
  for (const v1::Occurrence& occurrence : report.task().occurrences()) {
    EXPECT_LE(Count(kLead, occurrence.id(), "report_due"), 2)
        << occurrence.id();
  }
}

TEST_F(SimulatedYearTest,
       MilestonesAreRemindedOffWeekendsAndEscalatedWhenLate) {
  // IV.2: "trong tháng 4/2026" (already past) and "trong Quý II/2026"
  // (30/06/2026, a Tuesday). Its 3-day point falls on Saturday 27/06 and
  // moves to Friday 26/06.
  const v1::GetTaskResponse view = stack_.PlanTask(Task("IV.2"));
  const std::string q2 = Task("IV.2") + "@2026-06-30";
  std::vector<absl::CivilDay> days;
  for (const v1::ReminderPoint& point : view.reminders()) {
    if (point.occurrence_id() != q2 || point.overdue()) continue;
    const absl::Time at = absl::FromUnixSeconds(point.fire_at().seconds());
    absl::TimeZone zone;
    absl::LoadTimeZone("Asia/Ho_Chi_Minh", &zone);
    days.push_back(absl::ToCivilDay(at, zone));
  }
  EXPECT_THAT(days,
              ::testing::UnorderedElementsAre(absl::CivilDay(2026, 6, 23),
                                              absl::CivilDay(2026, 6, 26),
                                              absl::CivilDay(2026, 6, 29)));

  ASSERT_TRUE(stack_.SetClock(Local(2026, 6, 26, 8)));
  ASSERT_TRUE(
      WaitUntil([&] { return Count("vinhthuy.kinhte", q2, "reminder") >= 1; }));
  // Nobody reports; on 2/7 it is overdue and the standing body hears of it.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 7, 2, 8)));
  ASSERT_TRUE(WaitUntil([&] { return Count(kLead, q2, "overdue") == 1; }));
  v1::TaskState state;
  ASSERT_TRUE(stack_.TaskState(Task("IV.2"), &state).ok());
  bool overdue = false;
  for (const v1::OccurrenceState& o : state.occurrences()) {
    if (o.occurrence().id() == q2) {
      overdue = o.status() == v1::OCCURRENCE_STATUS_OVERDUE;
    }
  }
  EXPECT_TRUE(overdue);

  // A week after it became overdue (7 days after 1/7, on 8/7) the commune's
  // overdue work also reaches the provincial police, once.
  // The plan service scans before SetClock answers: the escalation point
  // still pending then means it was not announced.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 7, 7, 23)));
  EXPECT_THAT(PointStates(Task("IV.2"), q2, /*escalation=*/true),
              ::testing::ElementsAre(v1::ReminderPoint::STATE_PENDING));
  EXPECT_EQ(Count("quangtri.congan", q2, "overdue"), 0);
  ASSERT_TRUE(stack_.SetClock(Local(2026, 7, 8, 8)));
  ASSERT_TRUE(
      WaitUntil([&] { return Count("quangtri.congan", q2, "overdue") == 1; }));
  for (const v1::Notification& n : stack_.Inbox("quangtri.congan")) {
    if (n.occurrence_id() != q2) continue;
    EXPECT_TRUE(n.escalation());
    EXPECT_EQ(n.days_overdue(), 8);
    EXPECT_EQ(n.template_fields().at("upper_standing"),
              "Công an tỉnh Quảng Trị");
    EXPECT_THAT(
        n.message(),
        ::testing::HasSubstr(
            "Đã báo cáo Cơ quan Thường trực cấp trên (quangtri.congan)"));
  }
  // The commune police hears that it went up; nobody hears it twice.
  ASSERT_TRUE(WaitUntil([&] { return Count(kLead, q2, "overdue") == 2; }));
  // Later scans have nothing of it left to announce: every point of the
  // occurrence was sent (or superseded), none is pending.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 7, 20, 8)));
  for (bool escalation : {false, true}) {
    EXPECT_THAT(
        PointStates(Task("IV.2"), q2, escalation),
        ::testing::Not(::testing::Contains(v1::ReminderPoint::STATE_PENDING)));
  }
  EXPECT_THAT(PointStates(Task("IV.2"), q2, /*escalation=*/true),
              ::testing::ElementsAre(v1::ReminderPoint::STATE_SENT));
  EXPECT_EQ(Count("quangtri.congan", q2, "overdue"), 1);
  EXPECT_EQ(Count(kLead, q2, "overdue"), 2);
}

TEST_F(SimulatedYearTest, FallingBehindTargetWarnsBeforeItsDeadline) {
  // III.1: at least 81% of citizens aged 14+ with an e-ID account (k2) by
  // the end of 2026. June 50%, July 52%: the trend gives about 62%.
  ASSERT_TRUE(stack_.SetClock(Local(2026, 8, 3, 8)));
  int n = 0;
  for (const auto& [month, numerator] :
       std::vector<std::pair<int, int>>{{6, 500}, {7, 520}}) {
    v1::ReportProgressRequest request;
    request.set_task_id(Task("III.1"));
    request.set_agency(kLead);
    request.set_status(v1::TASK_STATUS_IN_PROGRESS);
    request.set_request_id(absl::StrCat("kpi-", ++n));
    v1::Measurement* m = request.add_measurements();
    m->set_indicator("k2");
    m->set_numerator(numerator);
    m->set_denominator(1000);
    *m->mutable_as_of() = Date(2026, month, month == 6 ? 30 : 31);
    grpc::Status s = stack_.Report(request);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_TRUE(WaitUntil([&] {
    for (const v1::Notification& x : stack_.Inbox(kLead)) {
      if (x.kind() == v1::NOTIFICATION_KIND_AT_RISK &&
          x.task_id() == Task("III.1"))
        return true;
    }
    return false;
  }));

  // Refusals: an agency not assigned, numerator above denominator, an
  // unknown indicator, a date in the future; a retried id returns the
  // first answer.
  v1::ReportProgressRequest bad;
  bad.set_task_id(Task("III.1"));
  bad.set_agency("vinhthuy.tramyte");
  bad.set_status(v1::TASK_STATUS_IN_PROGRESS);
  bad.set_request_id("bad-1");
  EXPECT_EQ(stack_.Report(bad).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  bad.set_agency(kLead);
  v1::Measurement* m = bad.add_measurements();
  m->set_indicator("k2");
  m->set_numerator(1200);
  m->set_denominator(1000);
  *m->mutable_as_of() = Date(2026, 7, 31);
  grpc::Status s = stack_.Report(bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("numerator"));
  m->set_numerator(10);
  m->set_indicator("k9");
  s = stack_.Report(bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("indicator"));
  m->set_indicator("k2");
  *m->mutable_as_of() = Date(2026, 9, 30);
  s = stack_.Report(bad);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("as_of"));
}

}  // namespace
}  // namespace tiendo::testing
