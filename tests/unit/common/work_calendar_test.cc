#include "services/common/work_calendar.h"

#include <initializer_list>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using Day = absl::CivilDay;

// A day and whether the calendar has it as a working day.
struct DayCase {
  Day day;
  bool working;
};

void ExpectWorkingDays(const WorkCalendar& calendar,
                       std::initializer_list<DayCase> cases) {
  for (const DayCase& c : cases) {
    EXPECT_EQ(calendar.IsWorkingDay(c.day), c.working) << c.day;
  }
}

TEST(WorkCalendarTest, WeekendsAreNotWorkingDays) {
  const WorkCalendar weekends_only;
  ExpectWorkingDays(weekends_only, {{Day(2026, 4, 24), true},    // Friday
                                    {Day(2026, 4, 25), false},   // Saturday
                                    {Day(2026, 4, 26), false},   // Sunday
                                    {Day(2026, 4, 27), true}});  // Monday
  EXPECT_EQ(weekends_only.WorkingDayOnOrBefore(Day(2026, 4, 26)),
            Day(2026, 4, 24));
  EXPECT_EQ(weekends_only.WorkingDayOnOrAfter(Day(2026, 4, 25)),
            Day(2026, 4, 27));
  EXPECT_EQ(weekends_only.WorkingDayOnOrBefore(Day(2026, 4, 22)),
            Day(2026, 4, 22));
}

TEST(WorkCalendarTest, ShippedHolidays2026) {
  const WorkCalendar& calendar = WorkCalendar::Default();
  EXPECT_THAT(calendar.Years(), ElementsAre(2026, 2027));
  // Tết Nguyên đán: Monday 16 to Friday 20 February.
  for (int d = 16; d <= 20; ++d) {
    EXPECT_TRUE(calendar.IsHoliday(Day(2026, 2, d))) << d;
  }
  ExpectWorkingDays(calendar, {{Day(2026, 1, 1), false},
                               {Day(2026, 1, 2), true},
                               {Day(2026, 2, 13), true},
                               {Day(2026, 2, 23), true},
                               // Giỗ Tổ on Sunday 26/4: Monday 27/4 off in
                               // lieu.
                               {Day(2026, 4, 27), false},
                               {Day(2026, 4, 30), false},
                               {Day(2026, 5, 1), false},
                               {Day(2026, 4, 29), true},
                               {Day(2026, 5, 4), true},
                               {Day(2026, 9, 1), false},
                               {Day(2026, 9, 2), false},
                               {Day(2026, 9, 3), true}});

  // From the Sunday before the 30/4 break back to Friday 24/4; from the
  // break forward to Monday 4/5.
  EXPECT_EQ(calendar.WorkingDayOnOrBefore(Day(2026, 5, 3)), Day(2026, 4, 29));
  EXPECT_EQ(calendar.WorkingDayOnOrBefore(Day(2026, 4, 27)), Day(2026, 4, 24));
  EXPECT_EQ(calendar.WorkingDayOnOrAfter(Day(2026, 4, 30)), Day(2026, 5, 4));
  EXPECT_EQ(calendar.WorkingDayOnOrBefore(Day(2026, 2, 22)), Day(2026, 2, 13));
  EXPECT_EQ(calendar.WorkingDayOnOrAfter(Day(2026, 2, 14)), Day(2026, 2, 23));
}

TEST(WorkCalendarTest, ShippedHolidays2027) {
  const WorkCalendar& calendar = WorkCalendar::Default();
  ExpectWorkingDays(calendar, {{Day(2027, 1, 1), false},
                               {Day(2027, 2, 8), false},
                               {Day(2027, 4, 16), false},
                               {Day(2027, 5, 3), false},
                               {Day(2027, 9, 2), false},
                               {Day(2027, 2, 12), true}});
}

TEST(WorkCalendarTest, MoreYearsMerge) {
  absl::StatusOr<WorkCalendar> calendar =
      WorkCalendar::FromJson(R"({"_comment": "test", "2026": ["2026-01-01"]})");
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  ASSERT_TRUE(
      calendar->MergeJson(R"({"2028": ["2028-01-03", "2028-02-14"]})").ok());
  EXPECT_THAT(calendar->Years(), ElementsAre(2026, 2028));
  EXPECT_EQ(calendar->holiday_count(), 3u);
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2028, 1, 3)));
  EXPECT_FALSE(calendar->IsWorkingDay(Day(2026, 1, 1)));
  // Merging the same day again changes nothing.
  ASSERT_TRUE(calendar->MergeJson(R"({"2026": ["2026-01-01"]})").ok());
  EXPECT_EQ(calendar->holiday_count(), 3u);
}

TEST(WorkCalendarTest, BadFilesAreRefusedAndAddNothing) {
  WorkCalendar calendar;
  auto refused = [&calendar](const char* json) {
    absl::Status s = calendar.MergeJson(json);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << json;
    return std::string(s.message());
  };
  EXPECT_THAT(refused("not json"), HasSubstr("not valid JSON"));
  EXPECT_THAT(refused(R"(["2026-01-01"])"), HasSubstr("expected an object"));
  EXPECT_THAT(refused(R"({"year": ["2026-01-01"]})"),
              HasSubstr("key 'year' is not a year"));
  EXPECT_THAT(refused(R"({"2026": "2026-01-01"})"),
              HasSubstr("holidays[\"2026\"]: expected a list"));
  EXPECT_EQ(refused(R"({"2026": ["2026-01-02", "2026-02-30"]})"),
            "holidays[\"2026\"][1]: '2026-02-30' is not a date YYYY-MM-DD");
  EXPECT_EQ(refused(R"({"2026": ["2027-01-01"]})"),
            "holidays[\"2026\"][0]: 2027-01-01 is not in the year 2026");
  EXPECT_EQ(refused(R"({"2026": ["2026-1-1"]})"),
            "holidays[\"2026\"][0]: '2026-1-1' is not a date YYYY-MM-DD");
  // 2026-01-02 came before the bad date in the same file: not added.
  EXPECT_EQ(calendar.holiday_count(), 0u);
}

}  // namespace
}  // namespace tiendo
