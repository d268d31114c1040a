#include "services/plan/reminder_schedule.h"

#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_values.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::tiendo::testing::Local;
using ::tiendo::testing::Utc;

const absl::CivilDay kDue(2026, 5, 31);
const char kTaskId[] = "vinh-thuy:1199-KH-UBND#I.1";

v1::Task MakeTask() {
  v1::Task task;
  task.set_id(kTaskId);
  task.set_unit("vinh-thuy");
  task.set_section("I");
  task.set_number("1");
  task.set_title("Ban hành Kế hoạch");
  task.add_lead_agencies("vinhthuy.kinhte");
  task.add_lead_agencies("vinhthuy.vhxh");
  // vhxh leads and is listed as coordinator too: it must appear once.
  task.add_coordinating_agencies("vinhthuy.vhxh");
  task.add_coordinating_agencies("vinhthuy.hcc");
  task.mutable_due_date()->set_year(2026);
  task.mutable_due_date()->set_month(5);
  task.mutable_due_date()->set_day(31);
  task.set_standing_agency("vinhthuy.congan");
  return task;
}

ReminderPoint Reminder(int days_before) {
  return {Local(2026, 5, 31) - absl::Hours(24 * days_before), days_before,
          false};
}

ReminderPoint Overdue() { return {Local(2026, 6, 1), 0, true}; }

// Seven whole days after the overdue day: 1/6 + 7 = 8/6.
ReminderPoint Escalated() { return {Local(2026, 6, 8), -7, true}; }

TEST(ReminderPointsTest, LocalMidnightsAndOverdue) {
  std::vector<ReminderPoint> points = ReminderPoints(kDue, {7, 3, 1});
  ASSERT_EQ(points.size(), 4u);

  EXPECT_EQ(points[0].fire_at, Local(2026, 5, 24));
  EXPECT_EQ(points[0].fire_at, Utc("2026-05-23T17:00:00Z"));
  EXPECT_EQ(points[0].days_before, 7);
  EXPECT_FALSE(points[0].overdue);

  EXPECT_EQ(points[1].fire_at, Local(2026, 5, 28));
  EXPECT_EQ(points[1].days_before, 3);
  EXPECT_FALSE(points[1].overdue);

  EXPECT_EQ(points[2].fire_at, Local(2026, 5, 30));
  EXPECT_EQ(points[2].days_before, 1);
  EXPECT_FALSE(points[2].overdue);

  EXPECT_EQ(points[3].fire_at, Local(2026, 6, 1));
  EXPECT_EQ(points[3].fire_at, Utc("2026-05-31T17:00:00Z"));
  EXPECT_EQ(points[3].days_before, 0);
  EXPECT_TRUE(points[3].overdue);
}

TEST(ReminderPointsTest, SortedWhateverTheOrderOfLeadDays) {
  std::vector<ReminderPoint> points = ReminderPoints(kDue, {1, 7, 3});
  ASSERT_EQ(points.size(), 4u);
  EXPECT_EQ(points[0].days_before, 7);
  EXPECT_EQ(points[1].days_before, 3);
  EXPECT_EQ(points[2].days_before, 1);
  EXPECT_TRUE(points[3].overdue);
  for (size_t i = 1; i < points.size(); ++i) {
    EXPECT_LT(points[i - 1].fire_at, points[i].fire_at);
  }
}

TEST(ReminderPointsTest, DuplicateAndNonPositiveLeadDaysDropped) {
  std::vector<ReminderPoint> points = ReminderPoints(kDue, {3, 0, 3, -2});
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].days_before, 3);
  EXPECT_EQ(points[0].fire_at, Local(2026, 5, 28));
  EXPECT_FALSE(points[0].overdue);
  EXPECT_TRUE(points[1].overdue);
}

TEST(ReminderPointsTest, NoLeadDaysLeavesOnlyOverdue) {
  std::vector<ReminderPoint> points = ReminderPoints(kDue, {});
  ASSERT_EQ(points.size(), 1u);
  EXPECT_TRUE(points[0].overdue);
  EXPECT_EQ(points[0].fire_at, Local(2026, 6, 1));
}

TEST(LatestPointTest, PicksLatest) {
  std::vector<ReminderPoint> due = {Reminder(3), Overdue(), Reminder(7),
                                    Reminder(1)};
  EXPECT_EQ(LatestPoint(due), 1u);
  std::vector<ReminderPoint> reminders = {Reminder(7), Reminder(1),
                                          Reminder(3)};
  EXPECT_EQ(LatestPoint(reminders), 1u);
  EXPECT_EQ(LatestPoint({Reminder(7)}), 0u);
}

TEST(LatestPointTest, EscalationSupersedesOverdue) {
  EXPECT_EQ(LatestPoint({Reminder(1), Escalated(), Overdue()}), 1u);
  // Met on one day (an escalation moved past a long holiday): the
  // escalation wins whichever comes first.
  const ReminderPoint same_day{Local(2026, 6, 1), -1, true};
  EXPECT_EQ(LatestPoint({Overdue(), same_day}), 1u);
  EXPECT_EQ(LatestPoint({same_day, Overdue()}), 0u);
}

TEST(ReminderKeyTest, EscalationKeyAndTheOthersUnchanged) {
  EXPECT_EQ(ReminderKey(kTaskId, kDue, Escalated()),
            "vinh-thuy:1199-KH-UBND#I.1@2026-05-31/escalated");
  // The delay is not part of the key.
  EXPECT_EQ(ReminderKey(kTaskId, kDue, {Local(2026, 6, 4), -3, true}),
            "vinh-thuy:1199-KH-UBND#I.1@2026-05-31/escalated");
  EXPECT_EQ(ReminderKey(kTaskId, kDue, Overdue()),
            "vinh-thuy:1199-KH-UBND#I.1@2026-05-31/overdue");
  EXPECT_EQ(ReminderKey(kTaskId, kDue, Reminder(7)),
            "vinh-thuy:1199-KH-UBND#I.1@2026-05-31/7d");
  EXPECT_EQ(ReminderKey("vinh-thuy:1199-KH-UBND#BC.1@2026-05", Escalated()),
            "vinh-thuy:1199-KH-UBND#BC.1@2026-05/escalated");
}

TEST(ReminderKeyTest, StableAndDistinctPerPoint) {
  std::vector<ReminderPoint> points = ReminderPoints(kDue, {7, 3, 1});
  std::set<std::string> keys;
  for (const ReminderPoint& p : points) {
    const std::string key = ReminderKey(kTaskId, kDue, p);
    EXPECT_EQ(key, ReminderKey(kTaskId, kDue, p));
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), points.size());
  // Recomputing the schedule gives the same keys.
  std::vector<ReminderPoint> again = ReminderPoints(kDue, {7, 3, 1});
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(ReminderKey(kTaskId, kDue, again[i]),
              ReminderKey(kTaskId, kDue, points[i]));
  }
  // Another task or another due date gives other keys.
  EXPECT_NE(ReminderKey(kTaskId, kDue, points[0]),
            ReminderKey("vinh-thuy:1199-KH-UBND#I.2", kDue, points[0]));
  EXPECT_NE(ReminderKey(kTaskId, kDue, points[0]),
            ReminderKey(kTaskId, absl::CivilDay(2026, 6, 30), points[0]));
}

TEST(BuildDeadlineEventTest, ReminderRecipientsAndDaysLeft) {
  v1::DeadlineApproaching event =
      BuildDeadlineEvent(MakeTask(), Reminder(7), Local(2026, 5, 26, 8));
  EXPECT_EQ(event.kind(), v1::DeadlineApproaching::KIND_REMINDER);
  EXPECT_THAT(event.recipients(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.hcc"));
  EXPECT_THAT(event.lead_agencies(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh"));
  EXPECT_EQ(event.standing_agency(), "vinhthuy.congan");
  EXPECT_EQ(event.days_before(), 7);
  EXPECT_EQ(event.days_left(), 5);
  EXPECT_EQ(event.days_overdue(), 0);
  EXPECT_EQ(event.task_id(), kTaskId);
  EXPECT_EQ(event.unit(), "vinh-thuy");
  EXPECT_EQ(event.section(), "I");
  EXPECT_EQ(event.number(), "1");
  EXPECT_EQ(event.task_title(), "Ban hành Kế hoạch");
  EXPECT_EQ(event.due_date().day(), 31);
  EXPECT_EQ(event.reminder_key(), ReminderKey(kTaskId, kDue, Reminder(7)));
}

TEST(BuildDeadlineEventTest, OverdueAddsStandingAgency) {
  v1::DeadlineApproaching event =
      BuildDeadlineEvent(MakeTask(), Overdue(), Local(2026, 6, 3, 9));
  EXPECT_EQ(event.kind(), v1::DeadlineApproaching::KIND_OVERDUE);
  EXPECT_THAT(event.recipients(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.hcc",
                          "vinhthuy.congan"));
  EXPECT_EQ(event.days_overdue(), 3);
  EXPECT_EQ(event.days_left(), -3);
  EXPECT_EQ(event.reminder_key(), ReminderKey(kTaskId, kDue, Overdue()));
  EXPECT_EQ(event.upper_unit(), "");
  EXPECT_EQ(event.upper_standing_agency(), "");
}

TEST(BuildDeadlineEventTest, EscalatedAfterTheOverdueNotice) {
  v1::Occurrence occurrence;
  occurrence.set_id("vinh-thuy:1199-KH-UBND#I.1@2026-05-31");
  *occurrence.mutable_due() = MakeTask().due_date();
  occurrence.set_label("31/05/2026");
  const v1::DeadlineApproaching event = BuildDeadlineEvent(
      MakeTask(), occurrence, Escalated(), /*blocked=*/false,
      Local(2026, 6, 8, 0, 0, 1),
      {.upper = {.unit = "quang-tri", .standing_agency = "quangtri.congan"},
       .overdue_announced = true});
  EXPECT_EQ(event.kind(), v1::DeadlineApproaching::KIND_ESCALATED);
  // The leads (vhxh also coordinates, kept as a lead), the commune police,
  // the provincial police; the coordinator hcc heard of the overdue point.
  EXPECT_THAT(event.recipients(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.congan",
                          "quangtri.congan"));
  EXPECT_THAT(event.lead_agencies(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh"));
  EXPECT_EQ(event.standing_agency(), "vinhthuy.congan");
  EXPECT_EQ(event.upper_unit(), "quang-tri");
  EXPECT_EQ(event.upper_standing_agency(), "quangtri.congan");
  EXPECT_EQ(event.days_overdue(), 8);
  EXPECT_EQ(event.days_left(), -8);
  EXPECT_EQ(event.days_before(), 0);
  EXPECT_EQ(event.occurrence_label(), "31/05/2026");
  EXPECT_EQ(event.reminder_key(),
            "vinh-thuy:1199-KH-UBND#I.1@2026-05-31/escalated");
}

TEST(BuildDeadlineEventTest, StandingAgencyThatLeadsIsListedOnce) {
  v1::Task task = MakeTask();
  task.clear_lead_agencies();
  task.add_lead_agencies("vinhthuy.congan");
  v1::DeadlineApproaching event =
      BuildDeadlineEvent(task, Overdue(), Local(2026, 6, 1, 0));
  EXPECT_THAT(event.recipients(),
              ElementsAre("vinhthuy.congan", "vinhthuy.vhxh", "vinhthuy.hcc"));
  EXPECT_EQ(event.days_overdue(), 1);
}

TEST(BuildDeadlineEventTest, DaysLeftChangesAtLocalMidnight) {
  const v1::Task task = MakeTask();
  EXPECT_EQ(
      BuildDeadlineEvent(task, Reminder(7), Local(2026, 5, 27, 23, 59, 59))
          .days_left(),
      4);
  EXPECT_EQ(BuildDeadlineEvent(task, Reminder(3), Local(2026, 5, 28, 0, 0, 0))
                .days_left(),
            3);
  // 2026-05-27T17:00:00Z is already 2026-05-28 in Viet Nam.
  EXPECT_EQ(BuildDeadlineEvent(task, Reminder(3), Utc("2026-05-27T17:00:00Z"))
                .days_left(),
            3);
}

}  // namespace
}  // namespace tiendo::plan
