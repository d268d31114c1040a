#include "services/plan/occurrences.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::tiendo::testing::Date;
using ::tiendo::testing::UncheckedDate;

constexpr char kTask[] = "vinh-thuy:1199-KH-UBND#BC.1";

// "2026-06-11", so that a failing comparison shows the whole date.
std::string Str(const v1::LocalDate& date) {
  char buffer[16];
  snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year(), date.month(),
           date.day());
  return buffer;
}

v1::Task Recurring(v1::Period every, int day) {
  v1::Task task;
  task.set_id(kTask);
  task.set_kind(v1::TASK_KIND_REPORT);
  task.mutable_schedule()->mutable_recurrence()->set_every(every);
  task.mutable_schedule()->mutable_recurrence()->set_day(day);
  return task;
}

std::vector<std::string> Keys(const std::vector<v1::Occurrence>& occurrences) {
  std::vector<std::string> keys;
  for (const v1::Occurrence& o : occurrences) keys.push_back(o.key());
  return keys;
}

std::vector<std::string> Dues(const std::vector<v1::Occurrence>& occurrences) {
  std::vector<std::string> dues;
  for (const v1::Occurrence& o : occurrences) dues.push_back(Str(o.due()));
  return dues;
}

TEST(PlanStartTest, IssuedElseFirstOfYear) {
  EXPECT_EQ(PlanStart(Date(2026, 5, 25), 2026), absl::CivilDay(2026, 5, 25));
  EXPECT_EQ(PlanStart(v1::LocalDate(), 2026), absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(PlanStart(v1::LocalDate(), 0), std::nullopt);
  // An impossible issued date falls back to the year.
  EXPECT_EQ(PlanStart(UncheckedDate(2026, 2, 31), 2026),
            absl::CivilDay(2026, 1, 1));
}

TEST(ExpandOccurrencesTest, MonthlyBeforeThe12thFromMay2026) {
  const std::vector<v1::Occurrence> months = ExpandOccurrences(
      Recurring(v1::PERIOD_MONTH, 12), absl::CivilDay(2026, 5, 25));
  ASSERT_EQ(months.size(), 12u);
  EXPECT_THAT(Keys(months),
              ElementsAre("2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
                          "2026-10", "2026-11", "2026-12", "2027-01", "2027-02",
                          "2027-03", "2027-04"));
  // The report for month M is due by the 11th of M+1.
  EXPECT_THAT(
      Dues(months),
      ElementsAre("2026-06-11", "2026-07-11", "2026-08-11", "2026-09-11",
                  "2026-10-11", "2026-11-11", "2026-12-11", "2027-01-11",
                  "2027-02-11", "2027-03-11", "2027-04-11", "2027-05-11"));

  const v1::Occurrence& may = months[0];
  EXPECT_EQ(may.id(), "vinh-thuy:1199-KH-UBND#BC.1@2026-05");
  EXPECT_EQ(may.kind(), v1::Occurrence::KIND_PERIOD);
  EXPECT_EQ(may.label(), "tháng 5/2026");
  EXPECT_EQ(Str(may.period_start()), "2026-05-01");
  EXPECT_EQ(Str(may.period_end()), "2026-05-31");

  const v1::Occurrence& december = months[7];
  EXPECT_EQ(december.key(), "2026-12");
  EXPECT_EQ(Str(december.due()), "2027-01-11");
  EXPECT_EQ(december.label(), "tháng 12/2026");

  const v1::Occurrence& april = months[11];
  EXPECT_EQ(april.id(), "vinh-thuy:1199-KH-UBND#BC.1@2027-04");
  EXPECT_EQ(Str(april.due()), "2027-05-11");
  EXPECT_EQ(Str(april.period_end()), "2027-04-30");
  EXPECT_EQ(april.label(), "tháng 4/2027");
}

TEST(ExpandOccurrencesTest, MonthlyWithoutDayIsDueAtMonthEnd) {
  const std::vector<v1::Occurrence> months = ExpandOccurrences(
      Recurring(v1::PERIOD_MONTH, 0), absl::CivilDay(2026, 1, 1));
  ASSERT_EQ(months.size(), 12u);
  EXPECT_EQ(Str(months[0].due()), "2026-01-31");
  EXPECT_EQ(Str(months[1].due()), "2026-02-28");
  EXPECT_EQ(Str(months[11].due()), "2026-12-31");
  EXPECT_EQ(months[11].key(), "2026-12");
}

TEST(ExpandOccurrencesTest, DayPastTheMonthEndStaysInTheMonth) {
  // "trước ngày 31": the January 2027 report cannot be due on 30 February.
  const std::vector<v1::Occurrence> months = ExpandOccurrences(
      Recurring(v1::PERIOD_MONTH, 31), absl::CivilDay(2026, 12, 3));
  ASSERT_EQ(months.size(), 12u);
  EXPECT_EQ(months[0].key(), "2026-12");
  EXPECT_EQ(Str(months[0].due()), "2027-01-30");
  EXPECT_EQ(months[1].key(), "2027-01");
  EXPECT_EQ(Str(months[1].due()), "2027-02-28");
}

TEST(ExpandOccurrencesTest, QuartersFromThePlansQuarter) {
  const std::vector<v1::Occurrence> quarters = ExpandOccurrences(
      Recurring(v1::PERIOD_QUARTER, 10), absl::CivilDay(2026, 5, 25));
  EXPECT_THAT(Keys(quarters),
              ElementsAre("2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"));
  EXPECT_THAT(Dues(quarters), ElementsAre("2026-07-09", "2026-10-09",
                                          "2027-01-09", "2027-04-09"));
  ASSERT_EQ(quarters.size(), 4u);
  EXPECT_EQ(quarters[0].label(), "Quý II/2026");
  EXPECT_EQ(quarters[2].label(), "Quý IV/2026");
  EXPECT_EQ(quarters[3].label(), "Quý I/2027");
  EXPECT_EQ(Str(quarters[0].period_start()), "2026-04-01");
  EXPECT_EQ(Str(quarters[0].period_end()), "2026-06-30");
}

TEST(ExpandOccurrencesTest, QuartersWithoutDayFromTheYear) {
  const std::vector<v1::Occurrence> quarters = ExpandOccurrences(
      Recurring(v1::PERIOD_QUARTER, 0), PlanStart(v1::LocalDate(), 2026));
  EXPECT_THAT(Keys(quarters),
              ElementsAre("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"));
  EXPECT_THAT(Dues(quarters), ElementsAre("2026-03-31", "2026-06-30",
                                          "2026-09-30", "2026-12-31"));
}

TEST(ExpandOccurrencesTest, HalfYearsAndYears) {
  const std::vector<v1::Occurrence> halves = ExpandOccurrences(
      Recurring(v1::PERIOD_HALF_YEAR, 0), absl::CivilDay(2026, 8, 1));
  ASSERT_EQ(halves.size(), 2u);
  EXPECT_EQ(halves[0].key(), "2026-H2");
  EXPECT_EQ(halves[0].label(), "6 tháng cuối năm 2026");
  EXPECT_EQ(Str(halves[0].due()), "2026-12-31");
  EXPECT_EQ(halves[1].key(), "2027-H1");
  EXPECT_EQ(halves[1].label(), "6 tháng đầu năm 2027");
  EXPECT_EQ(Str(halves[1].period_start()), "2027-01-01");
  EXPECT_EQ(Str(halves[1].due()), "2027-06-30");

  const std::vector<v1::Occurrence> years = ExpandOccurrences(
      Recurring(v1::PERIOD_YEAR, 15), absl::CivilDay(2026, 5, 25));
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[0].key(), "2026");
  EXPECT_EQ(years[0].label(), "năm 2026");
  EXPECT_EQ(Str(years[0].due()), "2027-01-14");
  EXPECT_EQ(Str(years[0].period_end()), "2026-12-31");
}

TEST(ExpandOccurrencesTest, NoPlanStartNoPeriods) {
  EXPECT_TRUE(
      ExpandOccurrences(Recurring(v1::PERIOD_MONTH, 12), std::nullopt).empty());
}

TEST(ExpandOccurrencesTest, Milestones) {
  v1::Task task;
  task.set_id("vinh-thuy:1199-KH-UBND#IV.2");
  *task.mutable_schedule()->add_milestones()->mutable_due() = Date(2026, 4, 30);
  *task.mutable_schedule()->add_milestones()->mutable_due() = Date(2026, 6, 30);
  // The same day written twice is tracked once.
  *task.mutable_schedule()->add_milestones()->mutable_due() = Date(2026, 6, 30);
  *task.mutable_due_date() = Date(2026, 6, 30);
  const std::vector<v1::Occurrence> occurrences =
      ExpandOccurrences(task, absl::CivilDay(2026, 5, 25));
  ASSERT_EQ(occurrences.size(), 2u);
  EXPECT_EQ(occurrences[0].id(), "vinh-thuy:1199-KH-UBND#IV.2@2026-04-30");
  EXPECT_EQ(occurrences[0].key(), "2026-04-30");
  EXPECT_EQ(occurrences[0].kind(), v1::Occurrence::KIND_MILESTONE);
  EXPECT_EQ(occurrences[0].label(), "30/04/2026");
  EXPECT_EQ(Str(occurrences[0].due()), "2026-04-30");
  EXPECT_FALSE(occurrences[0].has_period_start());
  EXPECT_EQ(occurrences[1].id(), "vinh-thuy:1199-KH-UBND#IV.2@2026-06-30");
  EXPECT_EQ(occurrences[1].label(), "30/06/2026");
}

TEST(ExpandOccurrencesTest, MilestoneAndRecurrenceTogether) {
  v1::Task task = Recurring(v1::PERIOD_QUARTER, 0);
  *task.mutable_schedule()->add_milestones()->mutable_due() = Date(2026, 3, 31);
  const std::vector<v1::Occurrence> occurrences =
      ExpandOccurrences(task, absl::CivilDay(2026, 1, 1));
  // The milestone and the Q1 period share a day but not a key.
  EXPECT_THAT(Keys(occurrences), ElementsAre("2026-03-31", "2026-Q1", "2026-Q2",
                                             "2026-Q3", "2026-Q4"));
}

TEST(ExpandOccurrencesTest, DueDateWithoutScheduleIsOneMilestone) {
  // Plans created in the structured form carry only due_date.
  v1::Task task;
  task.set_id("vinh-thuy:1199-KH-UBND#I.1");
  *task.mutable_due_date() = Date(2026, 5, 31);
  task.set_timeframe("Ban hành Kế hoạch trong tháng 5/2026");
  const std::vector<v1::Occurrence> occurrences =
      ExpandOccurrences(task, absl::CivilDay(2026, 5, 25));
  ASSERT_EQ(occurrences.size(), 1u);
  EXPECT_EQ(occurrences[0].id(), "vinh-thuy:1199-KH-UBND#I.1@2026-05-31");
  EXPECT_EQ(occurrences[0].kind(), v1::Occurrence::KIND_MILESTONE);
  EXPECT_EQ(Str(occurrences[0].due()), "2026-05-31");
  EXPECT_EQ(occurrences[0].label(), "31/05/2026");
}

TEST(ExpandOccurrencesTest, OngoingAndTriggeredWorkGetNone) {
  v1::Task ongoing;
  ongoing.set_id("t#1");
  *ongoing.mutable_schedule()->mutable_ongoing()->mutable_until() =
      Date(2026, 6, 30);
  // The expected end is the task's last date, not a deadline to remind.
  *ongoing.mutable_due_date() = Date(2026, 6, 30);
  EXPECT_TRUE(ExpandOccurrences(ongoing, absl::CivilDay(2026, 1, 1)).empty());

  v1::Task triggered;
  triggered.set_id("t#2");
  triggered.mutable_schedule()->set_triggered(true);
  triggered.mutable_schedule()->set_trigger("Khi có chỉ đạo của Bộ Công an");
  EXPECT_TRUE(ExpandOccurrences(triggered, absl::CivilDay(2026, 1, 1)).empty());

  v1::Task undated;
  undated.set_id("t#3");
  EXPECT_TRUE(ExpandOccurrences(undated, absl::CivilDay(2026, 1, 1)).empty());
}

TEST(ExpandOccurrencesTest, RecordedTriggersAreKept) {
  v1::Task task;
  task.set_id("t#1");
  task.mutable_schedule()->set_triggered(true);
  v1::Occurrence* recorded = task.add_occurrences();
  recorded->set_id("t#1@trigger-1");
  recorded->set_key("trigger-1");
  recorded->set_kind(v1::Occurrence::KIND_TRIGGERED);
  const std::vector<v1::Occurrence> occurrences =
      ExpandOccurrences(task, absl::CivilDay(2026, 1, 1));
  EXPECT_THAT(Keys(occurrences), ElementsAre("trigger-1"));
}

TEST(AssignIndicatorCodesTest, StagesOfOneIndicatorShareTheCode) {
  v1::Task task;
  auto add = [&task](const std::string& indicator, double percent) {
    v1::Target* target = task.add_targets();
    target->set_indicator(indicator);
    target->set_percent(percent);
  };
  add("đối tượng bảo trợ xã hội nhận trợ cấp không dùng tiền mặt", 90);
  add("công dân từ đủ 14 tuổi có tài khoản định danh điện tử", 81);
  // The second stage, spelled with other tone marks and case.
  add("Đối tượng bảo trợ xã hội nhận trợ cấp không dùng tiền mặt", 100);
  add("hộ gia đình", 50);
  AssignIndicatorCodes(task);
  ASSERT_EQ(task.targets_size(), 4);
  EXPECT_EQ(task.targets(0).indicator_code(), "k1");
  EXPECT_EQ(task.targets(1).indicator_code(), "k2");
  EXPECT_EQ(task.targets(2).indicator_code(), "k1");
  EXPECT_EQ(task.targets(3).indicator_code(), "k3");
}

v1::Task TriggeredTask() {
  v1::Task task;
  task.set_id("vinh-thuy:1199-KH-UBND#III.2");
  task.set_timeframe("Khi có chỉ đạo của Bộ Công an");
  task.mutable_schedule()->set_triggered(true);
  return task;
}

v1::RecordTriggerRequest Trigger(const std::string& text) {
  v1::RecordTriggerRequest request;
  request.set_task_id("vinh-thuy:1199-KH-UBND#III.2");
  request.set_trigger(text);
  *request.mutable_happened_on() = Date(2026, 7, 3);
  *request.mutable_due() = Date(2026, 7, 20);
  return request;
}

TEST(TriggeredOccurrenceTest, Recorded) {
  v1::Task task = TriggeredTask();
  absl::StatusOr<v1::Occurrence> first =
      TriggeredOccurrence(task, Trigger("  Bộ Công an có chỉ đạo  "));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->id(), "vinh-thuy:1199-KH-UBND#III.2@trigger-1");
  EXPECT_EQ(first->key(), "trigger-1");
  EXPECT_EQ(first->kind(), v1::Occurrence::KIND_TRIGGERED);
  EXPECT_EQ(first->label(), "theo Bộ Công an có chỉ đạo");
  EXPECT_EQ(first->trigger(), "Bộ Công an có chỉ đạo");
  EXPECT_EQ(Str(first->due()), "2026-07-20");
  EXPECT_EQ(Str(first->period_start()), "2026-07-03");

  *task.add_occurrences() = *first;
  absl::StatusOr<v1::Occurrence> second =
      TriggeredOccurrence(task, Trigger("Công văn của Công an tỉnh"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->key(), "trigger-2");
}

TEST(TriggeredOccurrenceTest, LongTriggerGivesAShortLabel) {
  const std::string text =
      "Bộ Công an có văn bản chỉ đạo triển khai phần mềm quản lý cư trú "
      "phiên bản mới trên toàn quốc ngày 3/7/2026";
  absl::StatusOr<v1::Occurrence> o =
      TriggeredOccurrence(TriggeredTask(), Trigger(text));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->label(),
            "theo Bộ Công an có văn bản chỉ đạo triển khai phần mềm quản "
            "lý cư…");
  EXPECT_EQ(o->trigger(), text);
}

TEST(TriggeredOccurrenceTest, RefusalsNameTheField) {
  v1::Task dated = TriggeredTask();
  dated.mutable_schedule()->set_triggered(false);
  dated.set_timeframe("Hoàn thành trước 10/5/2026");
  absl::StatusOr<v1::Occurrence> o =
      TriggeredOccurrence(dated, Trigger("Bộ Công an có chỉ đạo"));
  EXPECT_EQ(o.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(o.status().message()), StartsWith("task_id: "));
  EXPECT_THAT(std::string(o.status().message()),
              HasSubstr("Hoàn thành trước 10/5/2026"));

  o = TriggeredOccurrence(TriggeredTask(), Trigger("   "));
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(o.status().message()),
              StartsWith("trigger: required"));

  v1::RecordTriggerRequest request = Trigger("Bộ Công an có chỉ đạo");
  request.clear_happened_on();
  o = TriggeredOccurrence(TriggeredTask(), request);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(o.status().message()),
              StartsWith("happened_on: required"));

  request = Trigger("Bộ Công an có chỉ đạo");
  request.clear_due();
  o = TriggeredOccurrence(TriggeredTask(), request);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(o.status().message()), StartsWith("due: required"));

  request = Trigger("Bộ Công an có chỉ đạo");
  *request.mutable_due() = Date(2026, 7, 2);
  o = TriggeredOccurrence(TriggeredTask(), request);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(o.status().message(),
            "due: 2026-07-02 is before happened_on 2026-07-03");

  // Due on the day it happened is allowed.
  *request.mutable_due() = Date(2026, 7, 3);
  EXPECT_TRUE(TriggeredOccurrence(TriggeredTask(), request).ok());

  *request.mutable_due() = UncheckedDate(2026, 2, 31);
  o = TriggeredOccurrence(TriggeredTask(), request);
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(o.status().message()), StartsWith("due"));
}

}  // namespace
}  // namespace tiendo::plan
