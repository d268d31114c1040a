// Reminder points per occurrence: lead times per kind of task and per
// plan, moved off weekends and public holidays; what progress news means
// for them; the event of an occurrence.
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/work_calendar.h"
#include "services/plan/reminder_schedule.h"
#include "services/plan/text/agency_registry.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_registry.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/plan.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tiendo::testing::Local;
using ::tiendo::testing::ShippedRegistry;

using Day = absl::CivilDay;

// A point as "2026-04-24/7d", "2026-05-04/overdue" or
// "2026-05-11/escalated-7" (the delay), its local day and lead, so a
// failure shows the whole schedule.
std::string Show(const ReminderPoint& point) {
  const absl::CivilSecond local =
      absl::ToCivilSecond(point.fire_at, absl::FixedTimeZone(7 * 60 * 60));
  std::string day = absl::FormatCivilTime(absl::CivilDay(local));
  if (local.hour() != 0 || local.minute() != 0) day += "+not-midnight";
  if (point.escalation()) {
    return day + "/escalated" + std::to_string(point.days_before);
  }
  return day + (point.overdue ? std::string("/overdue")
                              : "/" + std::to_string(point.days_before) + "d");
}

std::vector<std::string> Show(const std::vector<ReminderPoint>& points) {
  std::vector<std::string> out;
  for (const ReminderPoint& p : points) out.push_back(Show(p));
  return out;
}

std::vector<std::string> Work(Day due, std::vector<int> lead = {7, 3, 1}) {
  return Show(ReminderPoints(
      due, lead, {.report = false, .calendar = &WorkCalendar::Default()}));
}

std::vector<std::string> Report(Day due, std::vector<int> lead = {3, 1}) {
  return Show(ReminderPoints(
      due, lead, {.report = true, .calendar = &WorkCalendar::Default()}));
}

// Work with the escalation point `escalation_days` after the due date.
std::vector<std::string> Escalating(Day due, int escalation_days,
                                    std::vector<int> lead = {7, 3, 1}) {
  return Show(ReminderPoints(due, lead,
                             {.report = false,
                              .calendar = &WorkCalendar::Default(),
                              .escalation_days = escalation_days}));
}

// Each expected schedule is spelled out whole, though alike in shape: a
// failure then shows the day that moved.
TEST(WorkingDayPointsTest, OrdinaryWeekIsUnchanged) {
  // Due Tuesday 30/06/2026: 23/6 is a Tuesday, 27/6 a Saturday (moves to
  // Friday 26/6), 29/6 a Monday.
  EXPECT_THAT(Work(Day(2026, 6, 30)),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue"));
}

TEST(WorkingDayPointsTest, SundayMovesToFriday) {
  // Due Sunday 3/5/2026: the 7-day point is Sunday 26/4 (Giỗ Tổ), moved to
  // Friday 24/4. The 3-day point (30/4) and the 1-day point (Saturday 2/5,
  // then 1/5 and 30/4) all fall in the 30/4-1/5 break and meet on
  // Wednesday 29/4, announced once. The deadline passed on Sunday: the
  // overdue notice goes out on Monday 4/5.
  EXPECT_THAT(
      Work(Day(2026, 5, 3)),
      ElementsAre("2026-04-24/7d", "2026-04-29/1d", "2026-05-04/overdue"));
  // Without a calendar, nothing moves.
  EXPECT_THAT(Show(ReminderPoints(Day(2026, 5, 3), {7, 3, 1})),
              ElementsAre("2026-04-26/7d", "2026-04-30/3d", "2026-05-02/1d",
                          "2026-05-04/overdue"));
}

TEST(WorkingDayPointsTest, AroundThirtiethOfApril) {
  // Due Monday 4/5/2026: 7 days before is Monday 27/4, the day off in
  // lieu of Giỗ Tổ, so Friday 24/4.
  EXPECT_THAT(
      Work(Day(2026, 5, 4)),
      ElementsAre("2026-04-24/7d", "2026-04-29/1d", "2026-05-05/overdue"));
  // Due Wednesday 29/4: the day after is the break; overdue on Monday 4/5.
  EXPECT_THAT(Work(Day(2026, 4, 29)),
              ElementsAre("2026-04-22/7d", "2026-04-24/3d", "2026-04-28/1d",
                          "2026-05-04/overdue"));
}

TEST(WorkingDayPointsTest, AroundTet) {
  // Due Monday 23/2/2026, the first day back after Tết (14-22/2): every
  // reminder falls in the break and all move to Friday 13/2.
  EXPECT_THAT(Work(Day(2026, 2, 23)),
              ElementsAre("2026-02-13/1d", "2026-02-24/overdue"));
  // Due on a Tết day: overdue the first working day after the break.
  EXPECT_THAT(
      Work(Day(2026, 2, 18)),
      ElementsAre("2026-02-11/7d", "2026-02-13/1d", "2026-02-23/overdue"));
}

TEST(WorkingDayPointsTest, OverdueOnFridayDeadlineMovesToMonday) {
  EXPECT_THAT(Work(Day(2026, 5, 29)),
              ElementsAre("2026-05-22/7d", "2026-05-26/3d", "2026-05-28/1d",
                          "2026-06-01/overdue"));
}

TEST(WorkingDayPointsTest, ReportsCountFromTheCutOffDay) {
  // The May report is due 11/6/2026 (Thursday), cut off on the 12th: 3
  // days before the cut-off is 9/6, 1 day before is the due day.
  EXPECT_THAT(
      Report(Day(2026, 6, 11)),
      ElementsAre("2026-06-09/3d", "2026-06-11/1d", "2026-06-12/overdue"));
  // The September report is due Sunday 11/10/2026: 9/10 is a Friday, and
  // the 1-day point (Sunday) moves there too.
  EXPECT_THAT(Report(Day(2026, 10, 11)),
              ElementsAre("2026-10-09/1d", "2026-10-12/overdue"));
  // The July report is due Tuesday 11/8: 9/8 is a Sunday, moved to 7/8.
  EXPECT_THAT(
      Report(Day(2026, 8, 11)),
      ElementsAre("2026-08-07/3d", "2026-08-11/1d", "2026-08-12/overdue"));
  // The January 2027 report, due 11/2/2027, falls in the Tết 2027 break:
  // reminded on Thursday 4/2, overdue on Friday 12/2.
  EXPECT_THAT(Report(Day(2027, 2, 11)),
              ElementsAre("2027-02-04/1d", "2027-02-12/overdue"));
}

TEST(EscalationPointTest, AWeekAfterTheDueDay) {
  // Due Tuesday 30/6/2026: overdue Wednesday 1/7; seven whole days later,
  // Wednesday 8/7.
  EXPECT_THAT(Escalating(Day(2026, 6, 30), 7),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue", "2026-07-08/escalated-7"));
  // 0 (and less) asks for none.
  EXPECT_THAT(Escalating(Day(2026, 6, 30), 0),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue"));
  EXPECT_EQ(Escalating(Day(2026, 6, 30), -3), Escalating(Day(2026, 6, 30), 0));
  // Without a calendar: due Friday 29/5, 29/5 + 1 + 7 = Saturday 6/6.
  const std::vector<ReminderPoint> plain =
      ReminderPoints(Day(2026, 5, 29), {}, {.escalation_days = 7});
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_EQ(plain[1].fire_at, Local(2026, 6, 6));
  EXPECT_EQ(plain[1].days_before, -7);
  EXPECT_TRUE(plain[1].overdue);
  EXPECT_TRUE(plain[1].escalation());
  EXPECT_FALSE(plain[0].escalation());
}

TEST(EscalationPointTest, MovesToTheNextWorkingDay) {
  // Due Friday 29/5/2026: overdue Monday 1/6; the escalation day, Saturday
  // 6/6, moves to Monday 8/6.
  EXPECT_THAT(Escalating(Day(2026, 5, 29), 7),
              ElementsAre("2026-05-22/7d", "2026-05-26/3d", "2026-05-28/1d",
                          "2026-06-01/overdue", "2026-06-08/escalated-7"));
  // Due Friday 24/4: overdue past the weekend and Monday 27/4 (Giỗ Tổ in
  // lieu), Tuesday 28/4; the escalation day, Saturday 2/5 after the
  // 30/4-1/5 break, moves to Monday 4/5.
  EXPECT_THAT(Escalating(Day(2026, 4, 24), 7),
              ElementsAre("2026-04-17/7d", "2026-04-21/3d", "2026-04-23/1d",
                          "2026-04-28/overdue", "2026-05-04/escalated-7"));
  // A report escalates from its due date like work: the May report, due
  // Thursday 11/6, cut off 12/6, escalates Friday 19/6.
  EXPECT_THAT(Show(ReminderPoints(Day(2026, 6, 11), {3, 1},
                                  {.report = true,
                                   .calendar = &WorkCalendar::Default(),
                                   .escalation_days = 7})),
              ElementsAre("2026-06-09/3d", "2026-06-11/1d",
                          "2026-06-12/overdue", "2026-06-19/escalated-7"));
}

TEST(EscalationPointTest, MeetingTheOverduePointAfterTetReplacesIt) {
  // Due Friday 13/2/2026, the eve of the Tết break (14-22/2): the overdue
  // day 14/2 and the escalation day 15/2 (a one-day delay) both move to
  // Monday 23/2. One point for that day, the escalation.
  EXPECT_THAT(Escalating(Day(2026, 2, 13), 1),
              ElementsAre("2026-02-06/7d", "2026-02-10/3d", "2026-02-12/1d",
                          "2026-02-23/escalated-1"));
  // Up to nine days (23/2) the two meet; with ten (24/2) they part.
  EXPECT_THAT(Escalating(Day(2026, 2, 13), 9, {}),
              ElementsAre("2026-02-23/escalated-9"));
  EXPECT_THAT(Escalating(Day(2026, 2, 13), 10, {}),
              ElementsAre("2026-02-23/overdue", "2026-02-24/escalated-10"));
}

TEST(EscalationPointTest, DelayPerPlanAndService) {
  const ReminderRules rules;  // service default: 7 days
  v1::ReminderPolicy policy;
  EXPECT_EQ(rules.EscalationDays(policy), 7);
  policy.set_escalation_days(3);
  EXPECT_EQ(rules.EscalationDays(policy), 3);
  policy.set_escalation_days(-1);
  EXPECT_EQ(rules.EscalationDays(policy), 0);

  // --escalation_days=0: none unless the plan asks.
  const ReminderRules quiet(LeadTimes{.escalation_days = 0});
  EXPECT_EQ(quiet.EscalationDays({}), 0);
  policy.set_escalation_days(10);
  EXPECT_EQ(quiet.EscalationDays(policy), 10);

  // Only for a unit with a standing body above it. A plan's three days:
  // 30/6 + 1 + 3 = Saturday 4/7, moved to Monday 6/7.
  const Day due(2026, 6, 30);
  policy.set_escalation_days(3);
  EXPECT_THAT(Show(rules.Points(due, v1::TASK_KIND_WORK, policy,
                                /*escalates=*/true)),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue", "2026-07-06/escalated-3"));
  EXPECT_THAT(Show(rules.Points(due, v1::TASK_KIND_WORK, policy,
                                /*escalates=*/false)),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue"));
  EXPECT_EQ(Show(rules.Points(due, v1::TASK_KIND_WORK, {}, true)).back(),
            "2026-07-08/escalated-7");
  // Negative: never, whatever the service says.
  policy.set_escalation_days(-1);
  EXPECT_THAT(Show(rules.Points(due, v1::TASK_KIND_WORK, policy, true)),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue"));
  EXPECT_THAT(Show(quiet.Points(due, v1::TASK_KIND_WORK, {}, true)),
              ElementsAre("2026-06-23/7d", "2026-06-26/3d", "2026-06-29/1d",
                          "2026-07-01/overdue"));
}

TEST(EscalationPointTest, UpperStandingBodyFromTheRegistry) {
  // A copy: units are added to it below.
  plantext::AgencyRegistry registry = ShippedRegistry();
  std::optional<UpperStandingBody> upper =
      FindUpperStandingBody(registry, "vinh-thuy");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(upper->unit, "quang-tri");
  EXPECT_EQ(upper->standing_agency, "quangtri.congan");
  upper = FindUpperStandingBody(registry, "my-phong");
  ASSERT_TRUE(upper.has_value());
  EXPECT_EQ(upper->unit, "dong-thap");
  EXPECT_EQ(upper->standing_agency, "dongthap.congan");
  // A province's parent, the country, has no standing body.
  EXPECT_FALSE(FindUpperStandingBody(registry, "quang-tri").has_value());
  EXPECT_FALSE(FindUpperStandingBody(registry, "vn").has_value());
  EXPECT_FALSE(FindUpperStandingBody(registry, "xa-khong-co").has_value());
  // A commune whose province has no standing body registered.
  plantext::RegistryUnit province;
  province.code = "tinh-moi";
  province.name = "Tỉnh Mới";
  province.level = "province";
  province.parent = "vn";
  ASSERT_TRUE(registry.AddUnit(province).ok());
  plantext::RegistryUnit commune;
  commune.code = "xa-moi";
  commune.name = "Xã Mới";
  commune.level = "commune";
  commune.parent = "tinh-moi";
  ASSERT_TRUE(registry.AddUnit(commune).ok());
  EXPECT_FALSE(FindUpperStandingBody(registry, "xa-moi").has_value());
}

TEST(ReminderRulesTest, LeadTimesPerKindAndPlan) {
  const ReminderRules rules;  // service defaults
  const v1::ReminderPolicy none;
  EXPECT_THAT(rules.LeadDays(v1::TASK_KIND_WORK, none), ElementsAre(7, 3, 1));
  EXPECT_THAT(rules.LeadDays(v1::TASK_KIND_UNSPECIFIED, none),
              ElementsAre(7, 3, 1));
  EXPECT_THAT(rules.LeadDays(v1::TASK_KIND_REPORT, none), ElementsAre(3, 1));

  v1::ReminderPolicy plan;
  plan.add_work_lead_days(10);
  plan.add_work_lead_days(2);
  EXPECT_THAT(rules.LeadDays(v1::TASK_KIND_WORK, plan), ElementsAre(10, 2));
  // The plan says nothing of reports: the default stays.
  EXPECT_THAT(rules.LeadDays(v1::TASK_KIND_REPORT, plan), ElementsAre(3, 1));
  plan.add_report_lead_days(5);
  EXPECT_THAT(rules.LeadDays(v1::TASK_KIND_REPORT, plan), ElementsAre(5));

  EXPECT_THAT(
      Show(rules.Points(Day(2026, 6, 30), v1::TASK_KIND_WORK, plan)),
      ElementsAre("2026-06-19/10d", "2026-06-26/2d", "2026-07-01/overdue"));
  // 5 days before the cut-off 12/6 is Sunday 7/6: Friday 5/6.
  EXPECT_THAT(Show(rules.Points(Day(2026, 6, 11), v1::TASK_KIND_REPORT, plan)),
              ElementsAre("2026-06-05/5d", "2026-06-12/overdue"));

  // A zero alone: no reminder before the deadline, only the overdue notice.
  v1::ReminderPolicy quiet;
  quiet.add_work_lead_days(0);
  EXPECT_THAT(Show(rules.Points(Day(2026, 6, 30), v1::TASK_KIND_WORK, quiet)),
              ElementsAre("2026-07-01/overdue"));
}

TEST(ReminderRulesTest, ServiceDefaultsFromFlags) {
  absl::StatusOr<std::vector<int>> work = ParseLeadDays("14, 7", "--x");
  ASSERT_TRUE(work.ok()) << work.status();
  const ReminderRules rules(LeadTimes{.work = *work, .report = {2}},
                            WorkCalendar());
  EXPECT_THAT(
      Show(rules.Points(Day(2026, 5, 3), v1::TASK_KIND_WORK, {})),
      ElementsAre("2026-04-17/14d", "2026-04-24/7d", "2026-05-04/overdue"));
  // Weekends only: 30/4 is a working day for this calendar.
  EXPECT_THAT(Show(rules.Points(Day(2026, 5, 1), v1::TASK_KIND_REPORT, {})),
              ElementsAre("2026-04-30/2d", "2026-05-04/overdue"));
}

TEST(ReminderRulesTest, ParseLeadDaysRefusesNonsense) {
  EXPECT_THAT(*ParseLeadDays("7,3,1", "--reminder_lead_days"),
              ElementsAre(7, 3, 1));
  EXPECT_TRUE(ParseLeadDays("", "--report_lead_days")->empty());
  absl::StatusOr<std::vector<int>> bad =
      ParseLeadDays("3,x", "--report_lead_days");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "--report_lead_days: 'x' is not a number of days from 1 to 366");
  EXPECT_FALSE(ParseLeadDays("0", "--f").ok());
  EXPECT_FALSE(ParseLeadDays("-3", "--f").ok());
  EXPECT_FALSE(ParseLeadDays("400", "--f").ok());
}

v1::Task ReportTask() {
  v1::Task task;
  task.set_id("vinh-thuy:1199-KH-UBND#BC.1");
  task.set_unit("vinh-thuy");
  task.set_section("BC");
  task.set_number("1");
  task.set_title("Báo cáo định kỳ trước ngày 12 hằng tháng");
  task.set_kind(v1::TASK_KIND_REPORT);
  task.add_lead_agencies("vinhthuy.congan");
  task.add_coordinating_agencies("vinhthuy.kinhte");
  task.set_standing_agency("vinhthuy.congan2");
  return task;
}

v1::Occurrence May() {
  v1::Occurrence o;
  o.set_id("vinh-thuy:1199-KH-UBND#BC.1@2026-05");
  o.set_key("2026-05");
  o.set_kind(v1::Occurrence::KIND_PERIOD);
  o.mutable_due()->set_year(2026);
  o.mutable_due()->set_month(6);
  o.mutable_due()->set_day(11);
  o.set_label("tháng 5/2026");
  return o;
}

TEST(OccurrenceEventTest, NamesTheOccurrence) {
  const v1::DeadlineApproaching event =
      BuildDeadlineEvent(ReportTask(), May(), {Local(2026, 6, 9), 3, false},
                         false, Local(2026, 6, 9, 8));
  EXPECT_EQ(event.kind(), v1::DeadlineApproaching::KIND_REMINDER);
  EXPECT_EQ(event.occurrence_id(), "vinh-thuy:1199-KH-UBND#BC.1@2026-05");
  EXPECT_EQ(event.occurrence_label(), "tháng 5/2026");
  EXPECT_EQ(event.due_date().month(), 6);
  EXPECT_EQ(event.due_date().day(), 11);
  EXPECT_EQ(event.days_before(), 3);
  EXPECT_EQ(event.days_left(), 2);
  EXPECT_TRUE(event.report());
  EXPECT_FALSE(event.blocked());
  EXPECT_EQ(event.reminder_key(), "vinh-thuy:1199-KH-UBND#BC.1@2026-05/3d");
  EXPECT_THAT(event.recipients(),
              ElementsAre("vinhthuy.congan", "vinhthuy.kinhte"));
}

TEST(OccurrenceEventTest, BlockedGoesToTheStandingBodyBeforeTheDeadline) {
  const v1::DeadlineApproaching event =
      BuildDeadlineEvent(ReportTask(), May(), {Local(2026, 6, 11), 1, false},
                         true, Local(2026, 6, 11, 8));
  EXPECT_TRUE(event.blocked());
  EXPECT_EQ(event.kind(), v1::DeadlineApproaching::KIND_REMINDER);
  EXPECT_THAT(
      event.recipients(),
      ElementsAre("vinhthuy.congan", "vinhthuy.kinhte", "vinhthuy.congan2"));
  EXPECT_EQ(event.reminder_key(), "vinh-thuy:1199-KH-UBND#BC.1@2026-05/1d");

  const v1::DeadlineApproaching overdue =
      BuildDeadlineEvent(ReportTask(), May(), {Local(2026, 6, 12), 0, true},
                         false, Local(2026, 6, 15, 8));
  EXPECT_EQ(overdue.kind(), v1::DeadlineApproaching::KIND_OVERDUE);
  EXPECT_EQ(overdue.days_overdue(), 4);
  EXPECT_EQ(overdue.reminder_key(),
            "vinh-thuy:1199-KH-UBND#BC.1@2026-05/overdue");
  EXPECT_THAT(
      overdue.recipients(),
      ElementsAre("vinhthuy.congan", "vinhthuy.kinhte", "vinhthuy.congan2"));
}

TEST(OccurrenceEventTest, EscalationReachesTheStandingBodyAbove) {
  // The May report, due 11/6, escalates on 19/6 (a seven-day delay).
  const ReminderPoint escalation{Local(2026, 6, 19), -7, true};
  const Escalation above{
      .upper = {.unit = "quang-tri", .standing_agency = "quangtri.congan"}};
  v1::DeadlineApproaching event = BuildDeadlineEvent(
      ReportTask(), May(), escalation, false, Local(2026, 6, 19, 8), above);
  EXPECT_EQ(event.kind(), v1::DeadlineApproaching::KIND_ESCALATED);
  EXPECT_EQ(event.days_overdue(), 8);
  EXPECT_EQ(event.days_left(), -8);
  EXPECT_EQ(event.days_before(), 0);
  EXPECT_EQ(event.upper_unit(), "quang-tri");
  EXPECT_EQ(event.upper_standing_agency(), "quangtri.congan");
  EXPECT_EQ(event.standing_agency(), "vinhthuy.congan2");
  EXPECT_EQ(event.reminder_key(),
            "vinh-thuy:1199-KH-UBND#BC.1@2026-05/escalated");
  // The overdue notice was never sent (superseded): the coordinator hears
  // of it now.
  EXPECT_THAT(event.recipients(),
              ElementsAre("vinhthuy.congan", "vinhthuy.kinhte",
                          "vinhthuy.congan2", "quangtri.congan"));

  // It was: only those answerable.
  Escalation heard = above;
  heard.overdue_announced = true;
  event = BuildDeadlineEvent(ReportTask(), May(), escalation, false,
                             Local(2026, 6, 20, 8), heard);
  EXPECT_EQ(event.days_overdue(), 9);
  EXPECT_THAT(
      event.recipients(),
      ElementsAre("vinhthuy.congan", "vinhthuy.congan2", "quangtri.congan"));

  // The overdue point says nothing of the unit above.
  const v1::DeadlineApproaching overdue =
      BuildDeadlineEvent(ReportTask(), May(), {Local(2026, 6, 12), 0, true},
                         false, Local(2026, 6, 12, 8), above);
  EXPECT_EQ(overdue.kind(), v1::DeadlineApproaching::KIND_OVERDUE);
  EXPECT_EQ(overdue.upper_unit(), "");
  EXPECT_EQ(overdue.upper_standing_agency(), "");
  EXPECT_THAT(
      overdue.recipients(),
      ElementsAre("vinhthuy.congan", "vinhthuy.kinhte", "vinhthuy.congan2"));
}

TEST(ReminderChangeTest, OccurrenceLevel) {
  v1::TaskUpdated update;
  update.set_task_id("t");
  update.set_occurrence_id("t@2026-05");
  update.set_status(v1::TASK_STATUS_IN_PROGRESS);
  update.set_occurrence_status(v1::OCCURRENCE_STATUS_DONE_LATE);
  ReminderChange change = ReminderChangeFor(update);
  EXPECT_EQ(change.task_done, false);
  EXPECT_EQ(change.all_blocked, std::nullopt);
  ASSERT_EQ(change.occurrences.size(), 1u);
  EXPECT_EQ(change.occurrences[0].id, "t@2026-05");
  EXPECT_EQ(change.occurrences[0].done, true);
  EXPECT_EQ(change.occurrences[0].blocked, false);

  update.set_occurrence_status(v1::OCCURRENCE_STATUS_BLOCKED);
  change = ReminderChangeFor(update);
  EXPECT_EQ(change.occurrences[0].done, false);
  EXPECT_EQ(change.occurrences[0].blocked, true);

  // A difficulty raised with another status still blocks; resolved, it
  // unblocks.
  update.set_occurrence_status(v1::OCCURRENCE_STATUS_OVERDUE);
  update.set_difficulty("Thiếu kinh phí");
  EXPECT_EQ(ReminderChangeFor(update).occurrences[0].blocked, true);
  update.set_difficulty_resolved(true);
  EXPECT_EQ(ReminderChangeFor(update).occurrences[0].blocked, false);

  // A measurement alone says nothing of completion.
  v1::TaskUpdated measurement;
  measurement.set_task_id("t");
  measurement.set_occurrence_id("t@2026-05");
  change = ReminderChangeFor(measurement);
  EXPECT_EQ(change.task_done, std::nullopt);
  EXPECT_EQ(change.occurrences[0].done, std::nullopt);
  EXPECT_EQ(change.occurrences[0].blocked, std::nullopt);
}

TEST(ReminderChangeTest, TaskLevelConcernsEveryOccurrence) {
  v1::TaskUpdated update;
  update.set_task_id("t");
  update.set_status(v1::TASK_STATUS_DONE);
  ReminderChange change = ReminderChangeFor(update);
  EXPECT_EQ(change.task_done, true);
  EXPECT_EQ(change.all_blocked, false);
  EXPECT_TRUE(change.occurrences.empty());

  update.set_status(v1::TASK_STATUS_BLOCKED);
  change = ReminderChangeFor(update);
  EXPECT_EQ(change.task_done, false);
  EXPECT_EQ(change.all_blocked, true);
}

TEST(ReminderChangeTest, FromASnapshot) {
  v1::TaskState state;
  state.set_task_id("t");
  state.set_status(v1::TASK_STATUS_IN_PROGRESS);
  v1::OccurrenceState* may = state.add_occurrences();
  may->mutable_occurrence()->set_id("t@2026-05");
  may->set_status(v1::OCCURRENCE_STATUS_DONE);
  v1::OccurrenceState* june = state.add_occurrences();
  june->mutable_occurrence()->set_id("t@2026-06");
  june->set_status(v1::OCCURRENCE_STATUS_OVERDUE);
  june->set_open_difficulty("Chưa có số liệu");
  const ReminderChange change = ReminderChangeFor(state);
  EXPECT_EQ(change.task_done, false);
  ASSERT_EQ(change.occurrences.size(), 2u);
  EXPECT_EQ(change.occurrences[0].done, true);
  EXPECT_EQ(change.occurrences[0].blocked, false);
  EXPECT_EQ(change.occurrences[1].done, false);
  EXPECT_EQ(change.occurrences[1].blocked, true);
}

}  // namespace
}  // namespace tiendo::plan
