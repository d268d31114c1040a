#include "services/plan/text/timeframe.h"

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/text/dates.h"

namespace tiendo::plantext {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int kPlanYear = 2026;

TimeframeContext PlanYear(int year) {
  TimeframeContext context;
  context.plan_year = year;
  return context;
}

std::vector<std::string> Dues(const v1::Schedule& schedule) {
  std::vector<std::string> dues;
  for (const v1::Milestone& milestone : schedule.milestones()) {
    dues.push_back(IsoDate(milestone.due()));
  }
  return dues;
}

std::vector<std::string> MilestoneTexts(const v1::Schedule& schedule) {
  std::vector<std::string> texts;
  for (const v1::Milestone& milestone : schedule.milestones()) {
    texts.push_back(milestone.text());
  }
  return texts;
}

std::vector<std::string> NotUnderstood(const v1::Schedule& schedule) {
  return {schedule.not_understood().begin(), schedule.not_understood().end()};
}

v1::Schedule MustParse(absl::string_view text, int plan_year = kPlanYear) {
  absl::StatusOr<v1::Schedule> schedule =
      ParseTimeframe(text, PlanYear(plan_year));
  EXPECT_TRUE(schedule.ok()) << text << ": " << schedule.status();
  return schedule.ok() ? *schedule : v1::Schedule();
}

// One timeframe text and everything the schedule must say about it; the
// plan year is 2026.
// Rows are written out one by one, alike in shape on purpose: each is a
// wording read literally.
struct Row {
  const char* name;
  const char* input;
  std::vector<std::string> milestones = {};
  bool ongoing = false;
  std::string start = "";
  std::string until = "";
  bool until_expected = false;
  v1::Period every = v1::PERIOD_UNSPECIFIED;
  int day = 0;
  bool triggered = false;
  int not_understood = 0;
};

void PrintTo(const Row& row, std::ostream* out) { *out << row.input; }

const Row kRows[] = {
    // Every timeframe of the Vĩnh Thủy appendix (column "Thời gian thực
    // hiện"), HTML removed and line breaks as spaces.
    {.name = "SeedIssueWithinMonthIsMonthEnd",
     .input = "Ban hành Kế hoạch trong tháng 5/2026",
     .milestones = {"2026-05-31"}},
    {.name = "SeedWithinYearIsYearEnd",
     .input = "Trong năm 2026",
     .milestones = {"2026-12-31"}},
    {.name = "SeedQuarterOfNextYearIsQuarterEnd",
     .input = "Quý I/2027",
     .milestones = {"2027-03-31"}},
    {.name = "SeedDoWithinYearIsYearEnd",
     .input = "Thực hiện trong năm 2026",
     .milestones = {"2026-12-31"}},
    {.name = "SeedOngoingFollowingMinistriesRoadmapIsOngoingAndTriggered",
     .input = "Thường xuyên, bám sát lộ trình triển khai của các bộ, ngành",
     .ongoing = true,
     .triggered = true},
    {.name = "SeedIntegrationOnRequestThenMaintainedUntilExpectedEnd",
     .input = "Hoàn thành tích hợp Hệ thống thông tin giải quyết TTHC tỉnh "
              "với Cổng DVC quốc gia theo thời hạn yêu cầu. Duy trì vận "
              "hành đến khi hệ thống của Trung ương triển khai ( dự kiến "
              "đến hết ngày 30/6/2026 )",
     .ongoing = true,
     .until = "2026-06-30",
     .until_expected = true,
     .triggered = true},
    {.name = "SeedRegularlyIsOngoing",
     .input = "Thường xuyên",
     .ongoing = true},
    {.name = "SeedHouseNumbersByDateAndSoftwareWhenInstructed",
     .input = "Hoàn thành đánh số nhà trước ngày 31/12/2026 Triển khai phần "
              "mềm định danh địa điểm ngay khi có chỉ đạo của Bộ Công an",
     .milestones = {"2026-12-31"},
     .triggered = true},
    {.name = "SeedCompleteBeforeDateIsDueThatDate",
     .input = "Hoàn thành trước 10/5/2026",
     .milestones = {"2026-05-10"}},
    {.name = "SeedRowBrokenAcrossPagesAloneIsNotUnderstood",
     .input = "Hoàn thành làm sạch dữ liệu đất đai,",
     .not_understood = 1},
    {.name = "SeedRowContinuationGivesTwoMilestones",
     .input = "đổi khớp với CSDLQG về dân cư trong tháng 4/2026. Đề xuất sử "
              "dụng dữ liệu để cắt giảm TTHC trong Quý II/2026.",
     .milestones = {"2026-04-30", "2026-06-30"}},
    {.name = "SeedRowJoinedAcrossPagesGivesTwoMilestones",
     .input = "Hoàn thành làm sạch dữ liệu đất đai, đổi khớp với CSDLQG về "
              "dân cư trong tháng 4/2026. Đề xuất sử dụng dữ liệu để cắt "
              "giảm TTHC trong Quý II/2026.",
     .milestones = {"2026-04-30", "2026-06-30"}},
    {.name = "SeedCompleteBeforeDayIsDueThatDay",
     .input = "Hoàn thành trước ngày 31/12/2026",
     .milestones = {"2026-12-31"}},
    {.name = "SeedDoRegularlyIsOngoing",
     .input = "Thực hiện thường xuyên",
     .ongoing = true},

    // Every timeframe of the Đồng Tháp plan ("+ Thời gian thực hiện:").
    {.name = "SeedRegularlyWithInstructionsInParenthesesIsOngoingAndTriggered",
     .input = "Thường xuyên (khi có chỉ đạo từ Chính phủ, các bộ, ngành "
              "Trung ương, UBND tỉnh).",
     .ongoing = true,
     .triggered = true},
    {.name = "SeedWhenArisingIsTriggered",
     .input = "Khi có phát sinh.",
     .triggered = true},
    {.name = "SeedRegularlyWithFullStopIsOngoing",
     .input = "Thường xuyên.",
     .ongoing = true},
    {.name = "SeedWithinYearWithFullStopIsYearEnd",
     .input = "Trong năm 2026.",
     .milestones = {"2026-12-31"}},
    {.name = "SeedRegularlyAndWhenMinistriesInstructIsOngoingAndTriggered",
     .input = "Thường xuyên và khi có chỉ đạo từ các bộ, ngành Trung ương.",
     .ongoing = true,
     .triggered = true},
    {.name = "SeedWhenCentralGuidanceIsTriggered",
     .input = "Khi có hướng dẫn của Trung ương.",
     .triggered = true},
    {.name = "SeedEveryQuarterIsQuarterlyRecurrence",
     .input = "Định kỳ hàng quý.",
     .every = v1::PERIOD_QUARTER},
    {.name = "SeedFromFirstQuarterIsOngoingFromQuarterStart",
     .input = "Từ Quý I năm 2026.",
     .ongoing = true,
     .start = "2026-01-01"},
    {.name = "SeedQuarterThenMaintainedIsMilestoneAndOngoing",
     .input = "Quí I/2026 và duy trì thường xuyên.",
     .milestones = {"2026-03-31"},
     .ongoing = true},
    {.name = "SeedWhenPoliceDepartmentNotifiesIsTriggered",
     .input = "Khi có thông báo của Cục Cảnh sát quản lý hành chính về trật "
              "tự xã hội - Bộ Công an.",
     .triggered = true},
    {.name = "SeedRegularlyAndAsMinistriesDirectIsOngoingAndTriggered",
     .input = "Thường xuyên và theo chỉ đạo của bộ, ngành Trung ương.",
     .ongoing = true,
     .triggered = true},
    {.name = "SeedWhenRequestedIsTriggered",
     .input = "Khi có yêu cầu.",
     .triggered = true},
    {.name = "SeedWhenMinistryNotifiesIsTriggered",
     .input = "Khi có thông báo của Bộ Công an.",
     .triggered = true},
    // Deadlines and cadences from the plans' bodies.
    {.name = "SeedSubPlansBeforeDateWithLeadingZero",
     .input = "trước ngày 10/02/2026",
     .milestones = {"2026-02-10"}},
    {.name = "SeedMonthlyReportBeforeTenthInParentheses",
     .input = "định kỳ hàng tháng (trước ngày 10)",
     .every = v1::PERIOD_MONTH,
     .day = 10},
    {.name = "SeedMonthlyReportBeforeEighteenth",
     .input = "trước ngày 18 hàng tháng",
     .every = v1::PERIOD_MONTH,
     .day = 18},
    {.name = "SeedCommuneReportBeforeTwelfthEveryMonth",
     .input = "Báo cáo định kỳ trước ngày 12 hằng tháng",
     .every = v1::PERIOD_MONTH,
     .day = 12},

    // Month ends.
    {.name = "WithinMonthSlashYear",
     .input = "trong tháng 5/2026",
     .milestones = {"2026-05-31"}},
    {.name = "MonthWordYear",
     .input = "tháng 7 năm 2026",
     .milestones = {"2026-07-31"}},
    {.name = "WithinMonthSlashYearThirtyOneDays",
     .input = "trong tháng 7/2026",
     .milestones = {"2026-07-31"}},
    {.name = "FebruaryOfLeapYearEndsOnTwentyNinth",
     .input = "Trong tháng 2/2028",
     .milestones = {"2028-02-29"}},
    {.name = "MonthWithLeadingZeroAndDash",
     .input = "tháng 06-2026",
     .milestones = {"2026-06-30"}},
    {.name = "MonthWithoutYearTakesPlanYear",
     .input = "trong tháng 9",
     .milestones = {"2026-09-30"}},
    // Year ends.
    {.name = "BareYear", .input = "năm 2026", .milestones = {"2026-12-31"}},
    {.name = "WithinLaterYear",
     .input = "trong năm 2027",
     .milestones = {"2027-12-31"}},
    {.name = "WithinTheYearTakesPlanYear",
     .input = "Trong năm",
     .milestones = {"2026-12-31"}},
    // Quarter ends, roman or arabic, "Quý" or "Quí".
    {.name = "QuiSpellingRomanTwo",
     .input = "Quí II/2026",
     .milestones = {"2026-06-30"}},
    {.name = "QuarterArabicTwo",
     .input = "Quý 2/2026",
     .milestones = {"2026-06-30"}},
    {.name = "QuarterRomanThreeWithYearWord",
     .input = "Quý III năm 2026",
     .milestones = {"2026-09-30"}},
    {.name = "WithinQuarterOneYearWord",
     .input = "trong Quý I năm 2026",
     .milestones = {"2026-03-31"}},
    {.name = "QuarterFourLowerCaseArabic",
     .input = "quý 4 năm 2026",
     .milestones = {"2026-12-31"}},
    {.name = "QuarterIVSlash",
     .input = "Quý IV/2026",
     .milestones = {"2026-12-31"}},
    {.name = "QuarterCommaYearWord",
     .input = "Quý I, năm 2027",
     .milestones = {"2027-03-31"}},
    {.name = "MonthCommaYearWord",
     .input = "tháng 8, năm 2026",
     .milestones = {"2026-08-31"}},
    {.name = "QuarterWithoutYearTakesPlanYear",
     .input = "Quý II",
     .milestones = {"2026-06-30"}},
    // Half years.
    {.name = "FirstSixMonthsEndsJune",
     .input = "6 tháng đầu năm 2026",
     .milestones = {"2026-06-30"}},
    {.name = "LastSixMonthsEndsDecember",
     .input = "6 tháng cuối năm 2026",
     .milestones = {"2026-12-31"}},
    // Dates, day first.
    {.name = "BeforeDateWithoutDayWord",
     .input = "trước 10/5/2026",
     .milestones = {"2026-05-10"}},
    {.name = "BeforeDayDate",
     .input = "trước ngày 31/12/2026",
     .milestones = {"2026-12-31"}},
    {.name = "AtLatestDayDate",
     .input = "chậm nhất ngày 15/3/2026",
     .milestones = {"2026-03-15"}},
    {.name = "AtLatestDayMonthTakesPlanYear",
     .input = "chậm nhất 15/3",
     .milestones = {"2026-03-15"}},
    {.name = "UntilEndOfDayAloneIsDeadline",
     .input = "đến hết ngày 30/6/2026",
     .milestones = {"2026-06-30"}},
    {.name = "DashSeparatedDate",
     .input = "hoàn thành ngày 5-6-2026",
     .milestones = {"2026-06-05"}},
    {.name = "DotSeparatedDate",
     .input = "1.7.2026",
     .milestones = {"2026-07-01"}},
    {.name = "DotSeparatedDateWithFullStop",
     .input = "Hoàn thành trước 1.7.2026.",
     .milestones = {"2026-07-01"}},
    {.name = "TwoDigitDayAndMonth",
     .input = "ngày 01/07/2026",
     .milestones = {"2026-07-01"}},
    {.name = "BeforeDayMonthWithoutYearTakesPlanYear",
     .input = "trước ngày 5/6",
     .milestones = {"2026-06-05"}},
    {.name = "DateInWords",
     .input = "ngày 10 tháng 5 năm 2026",
     .milestones = {"2026-05-10"}},
    {.name = "SpacesAroundSlashes",
     .input = "trước ngày 10 / 5 / 2026",
     .milestones = {"2026-05-10"}},
    // Leftover punctuation and spaces.
    {.name = "TrailingFullStop",
     .input = "Quý I/2027.",
     .milestones = {"2027-03-31"}},
    {.name = "LeadingAndTrailingSpacesAndSemicolon",
     .input = "   Quý I/2027 ;  ",
     .milestones = {"2027-03-31"}},
    {.name = "InParentheses",
     .input = "(Quý I/2027)",
     .milestones = {"2027-03-31"}},
    {.name = "NonBreakingSpaces",
     .input = "Quý\u00a0I/2027\u00a0",
     .milestones = {"2027-03-31"}},
    {.name = "TabsAndLineBreaks",
     .input = "\tTrong\n tháng\t5/2026\r\n",
     .milestones = {"2026-05-31"}},
    {.name = "UpperCase",
     .input = "TRONG QUÝ II/2026",
     .milestones = {"2026-06-30"}},
    // Several deadlines, in text order.
    {.name = "TwoMilestonesSplitAtSemicolon",
     .input = "Hoàn thành trong tháng 4/2026; Quý II/2026",
     .milestones = {"2026-04-30", "2026-06-30"}},
    {.name = "TwoMilestonesSplitAtAnd",
     .input = "Quý I/2026 và Quý II/2026",
     .milestones = {"2026-03-31", "2026-06-30"}},
    {.name = "TwoMilestonesSplitAtComma",
     .input = "tháng 6/2026, tháng 4/2026",
     .milestones = {"2026-06-30", "2026-04-30"}},
    {.name = "TwoMilestonesSplitAtLineBreak",
     .input = "trước ngày 15/3/2026\ntrước ngày 30/9/2026",
     .milestones = {"2026-03-15", "2026-09-30"}},
    {.name = "WorkDescriptionBeforeTimeIsNotFlagged",
     .input = "Hoàn thành tích hợp Hệ thống thông tin giải quyết TTHC tỉnh với "
              "Cổng DVC quốc gia trong tháng 6/2026",
     .milestones = {"2026-06-30"}},

    // Ongoing work.
    {.name = "MaintainRegularlyIsOngoing",
     .input = "duy trì thường xuyên",
     .ongoing = true},
    {.name = "ContinuouslyIsOngoing", .input = "liên tục", .ongoing = true},
    {.name = "RegularlyAndContinuouslyIsOngoing",
     .input = "Thường xuyên, liên tục",
     .ongoing = true},
    {.name = "FromMonthStartsOnFirstDay",
     .input = "từ tháng 3/2026",
     .ongoing = true,
     .start = "2026-03-01"},
    {.name = "FromDateStartsThatDay",
     .input = "từ ngày 1/3/2026",
     .ongoing = true,
     .start = "2026-03-01"},
    {.name = "FromYearStartsJanuaryFirst",
     .input = "Từ năm 2026",
     .ongoing = true,
     .start = "2026-01-01"},
    {.name = "MaintainUntilExpectedDateInParentheses",
     .input = "Duy trì vận hành đến khi hệ thống của Trung ương triển khai "
              "(dự kiến đến hết ngày 30/6/2026)",
     .ongoing = true,
     .until = "2026-06-30",
     .until_expected = true},
    {.name = "RegularlyUntilEndOfYearIsOngoingUntil",
     .input = "Thường xuyên đến hết năm 2026",
     .ongoing = true,
     .until = "2026-12-31"},
    {.name = "MaintainUntilEndOfYearIsOngoingUntil",
     .input = "Duy trì đến hết năm 2026",
     .ongoing = true,
     .until = "2026-12-31"},
    {.name = "YearAndFollowingYearsIsOngoingWithoutEnd",
     .input = "năm 2026 và các năm tiếp theo",
     .ongoing = true,
     .start = "2026-01-01"},
    {.name = "FromDateUntilDateIsOngoingBetween",
     .input = "Từ ngày 1/3/2026 đến hết ngày 30/6/2026",
     .ongoing = true,
     .start = "2026-03-01",
     .until = "2026-06-30"},
    {.name = "FromQuarterToQuarterIsOngoingBetween",
     .input = "từ Quý II/2026 đến Quý IV/2026",
     .ongoing = true,
     .start = "2026-04-01",
     .until = "2026-12-31"},
    {.name = "MaintainUntilUndatedEventIsOngoingAndFlagged",
     .input = "Duy trì đến khi hệ thống mới vận hành",
     .ongoing = true,
     .not_understood = 1},
    {.name = "DailyIsOngoing", .input = "hằng ngày", .ongoing = true},
    {.name = "RegularlyWithinYearIsOngoingUntilYearEnd",
     .input = "Thường xuyên trong năm 2026",
     .ongoing = true,
     .until = "2026-12-31"},
    {.name = "FromNowUntilEndOfYearIsOngoingUntil",
     .input = "Từ nay đến hết năm 2026",
     .ongoing = true,
     .until = "2026-12-31"},

    // Recurrences.
    {.name = "EveryQuarterHang",
     .input = "Định kỳ hàng quý",
     .every = v1::PERIOD_QUARTER},
    {.name = "EveryQuarterHang2",
     .input = "hằng quý",
     .every = v1::PERIOD_QUARTER},
    {.name = "EveryMonthHang2",
     .input = "hằng tháng",
     .every = v1::PERIOD_MONTH},
    {.name = "EveryMonthHang",
     .input = "hàng tháng",
     .every = v1::PERIOD_MONTH},
    {.name = "BeforeTwelfthEveryMonthHasDay",
     .input = "trước ngày 12 hằng tháng",
     .every = v1::PERIOD_MONTH,
     .day = 12},
    {.name = "EverySixMonths",
     .input = "định kỳ 6 tháng",
     .every = v1::PERIOD_HALF_YEAR},
    {.name = "OnceInSixMonths",
     .input = "6 tháng một lần",
     .every = v1::PERIOD_HALF_YEAR},
    {.name = "EveryYearHang2", .input = "hằng năm", .every = v1::PERIOD_YEAR},
    {.name = "EveryYearHang", .input = "hàng năm", .every = v1::PERIOD_YEAR},
    {.name = "EveryThreeMonthsIsQuarterly",
     .input = "định kỳ 3 tháng một lần",
     .every = v1::PERIOD_QUARTER},
    {.name = "DayInParenthesesBeforeTheRecurrence",
     .input = "(trước ngày 15) hằng quý",
     .every = v1::PERIOD_QUARTER,
     .day = 15},
    {.name = "MonthlyAndAdHocWhenRequested",
     .input = "Hằng tháng và đột xuất khi có yêu cầu",
     .every = v1::PERIOD_MONTH,
     .triggered = true},
    {.name = "PeriodicWithoutPeriodIsNotUnderstood",
     .input = "định kỳ",
     .not_understood = 1},
    {.name = "WeeklyIsNotUnderstood",
     .input = "Định kỳ hằng tuần",
     .not_understood = 1},
    {.name = "DayWithoutRecurrenceIsNotUnderstood",
     .input = "trước ngày 10",
     .not_understood = 1},

    // Triggered work.
    {.name = "AsSoonAsMinistryInstructs",
     .input = "ngay khi có chỉ đạo của Bộ Công an",
     .triggered = true},
    {.name = "WhenProvinceInstructs",
     .input = "khi có chỉ đạo của UBND tỉnh",
     .triggered = true},
    {.name = "ByRequiredDeadline",
     .input = "theo thời hạn yêu cầu",
     .triggered = true},
    {.name = "AsCentralMinistriesDirect",
     .input = "theo chỉ đạo của bộ, ngành Trung ương",
     .triggered = true},
    {.name = "FollowingRoadmap",
     .input = "bám sát lộ trình triển khai của các bộ, ngành",
     .triggered = true},
    {.name = "RightAfterGuidanceIsTriggered",
     .input = "Ngay sau khi có hướng dẫn của Bộ Công an",
     .triggered = true},
    {.name = "RegularlyWhenGovernmentInstructsInParentheses",
     .input = "Thường xuyên (khi có chỉ đạo từ Chính phủ, các bộ, ngành "
              "Trung ương, UBND tỉnh)",
     .ongoing = true,
     .triggered = true},
    {.name = "TriggerThenDeadlineAfterComma",
     .input = "Khi có yêu cầu, chậm nhất trong Quý III/2026",
     .milestones = {"2026-09-30"},
     .triggered = true},

    // Not understood: kept verbatim, no date invented.
    {.name = "AfterReviewResultsIsNotUnderstood",
     .input = "Sau khi có kết quả rà soát",
     .not_understood = 1},
    {.name = "DependingOnSituationIsNotUnderstood",
     .input = "tuỳ tình hình",
     .not_understood = 1},
    {.name = "QuarterFiveIsNotUnderstood",
     .input = "Quý V/2026",
     .not_understood = 1},
    {.name = "QuarterFiveArabicIsNotUnderstood",
     .input = "Quý 5/2026",
     .not_understood = 1},
    {.name = "MonthThirteenIsNotUnderstood",
     .input = "tháng 13/2026",
     .not_understood = 1},
    {.name = "EmptyTextIsEmptySchedule", .input = ""},
    {.name = "BlankTextIsEmptySchedule", .input = " \u00a0\n\t "},
    {.name = "WorkWithoutTimeIsNotUnderstood",
     .input = "Ban hành Kế hoạch",
     .not_understood = 1},
    {.name = "DeadlineAndUnreadableConditionFlagsOnlyTheCondition",
     .input = "Quý I/2026; sau khi có kết quả rà soát",
     .milestones = {"2026-03-31"},
     .not_understood = 1},
    {.name = "OngoingAndUnreadablePartFlagsThePart",
     .input = "Thường xuyên; tuỳ tình hình",
     .ongoing = true,
     .not_understood = 1},
    {.name = "ConditionalDeadlineIsNotTaken",
     .input = "Sau khi có kết quả rà soát, trong tháng 5/2026",
     .not_understood = 1},
    {.name = "DurationWithoutStartIsNotUnderstood",
     .input = "trong 6 tháng",
     .not_understood = 1},
    {.name = "BareMonthSlashYearIsNotUnderstood",
     .input = "5/2026",
     .not_understood = 1},
    {.name = "MonthWithTwoDigitYearIsNotUnderstood",
     .input = "tháng 5/26",
     .not_understood = 1},
    {.name = "QuarterWithTwoDigitYearIsNotUnderstood",
     .input = "Quý 2/26",
     .not_understood = 1},
    {.name = "YearOutOfRangeIsNotUnderstood",
     .input = "năm 0999",
     .not_understood = 1},
    {.name = "TwoUnreadableSentencesAreTwoEntries",
     .input = "Sau khi có kết quả rà soát. Tuỳ tình hình.",
     .not_understood = 2},
    {.name = "PunctuationOnlyIsNotUnderstood",
     .input = "...",
     .not_understood = 1},

    // Part of a period: the end of it is exact, an earlier part is only
    // exact as a start; never a date later than the text means.
    {.name = "EarlyInTheYearIsNotUnderstood",
     .input = "Đầu năm 2027",
     .not_understood = 1},
    {.name = "MidYearIsNotUnderstood",
     .input = "giữa năm 2026",
     .not_understood = 1},
    {.name = "EndOfYearIsYearEnd",
     .input = "Cuối năm 2026",
     .milestones = {"2026-12-31"}},
    {.name = "EndOfYearWithoutYearTakesPlanYear",
     .input = "Hoàn thành cuối năm",
     .milestones = {"2026-12-31"}},
    {.name = "EndOfThisYearTakesPlanYear",
     .input = "cuối năm nay",
     .milestones = {"2026-12-31"}},
    {.name = "EarlyInTheYearWithoutYearIsNotUnderstood",
     .input = "Đầu năm",
     .not_understood = 1},
    {.name = "EndOfSchoolYearIsNotUnderstood",
     .input = "cuối năm học",
     .not_understood = 1},
    {.name = "EarlyInTheMonthIsNotUnderstood",
     .input = "đầu tháng 8/2026",
     .not_understood = 1},
    {.name = "MidMonthIsNotUnderstood",
     .input = "giữa tháng 8/2026",
     .not_understood = 1},
    {.name = "FirstWeekOfMonthIsNotUnderstood",
     .input = "Tuần đầu tháng 8/2026",
     .not_understood = 1},
    {.name = "FirstTenDaysOfMonthIsNotUnderstood",
     .input = "thượng tuần tháng 8/2026",
     .not_understood = 1},
    {.name = "EndOfMonthIsMonthEnd",
     .input = "cuối tháng 8/2026",
     .milestones = {"2026-08-31"}},
    {.name = "LastWeekOfMonthIsMonthEnd",
     .input = "tuần cuối tháng 8 năm 2026",
     .milestones = {"2026-08-31"}},
    {.name = "EndOfMonthWithoutYearTakesPlanYear",
     .input = "trước cuối tháng 9",
     .milestones = {"2026-09-30"}},
    {.name = "EndOfMonthWithoutMonthIsNotUnderstood",
     .input = "cuối tháng",
     .not_understood = 1},
    {.name = "EarlyInTheQuarterIsNotUnderstood",
     .input = "đầu Quý III/2026",
     .not_understood = 1},
    {.name = "EndOfQuarterIsQuarterEnd",
     .input = "cuối Quý III/2026",
     .milestones = {"2026-09-30"}},
    {.name = "FromEarlyInTheYearStartsJanuaryFirst",
     .input = "Từ đầu năm 2027",
     .ongoing = true,
     .start = "2027-01-01"},
    {.name = "FromFirstWeekOfMonthStartsOnFirstDay",
     .input = "từ tuần đầu tháng 8/2026",
     .ongoing = true,
     .start = "2026-08-01"},
    {.name = "FromEndOfYearIsNotUnderstood",
     .input = "từ cuối năm 2026",
     .not_understood = 1},
    {.name = "RegularlyUntilEndOfYearQualifiedIsOngoingUntil",
     .input = "Thường xuyên đến cuối năm 2026",
     .ongoing = true,
     .until = "2026-12-31"},
    {.name = "UntilEarlyInTheYearIsNotUnderstood",
     .input = "Duy trì đến đầu năm 2027",
     .not_understood = 1},
    {.name = "EarlyInTheYearNextToDeadlineFlagsOnlyItself",
     .input = "Quý I/2026; đầu năm 2027",
     .milestones = {"2026-03-31"},
     .not_understood = 1},
    {.name = "InvestmentIsNotAQualifier",
     .input = "Đầu tư hệ thống trong tháng 5/2026",
     .milestones = {"2026-05-31"}},
    // Two-digit years.
    {.name = "DateWithTwoDigitYearIsNotUnderstood",
     .input = "Trước 15/08/26",
     .not_understood = 1},
    {.name = "DayDateWithTwoDigitYearIsNotUnderstood",
     .input = "trước ngày 15/8/26",
     .not_understood = 1},
    {.name = "DashedDayDateWithTwoDigitYearIsNotUnderstood",
     .input = "ngày 15-08-26",
     .not_understood = 1},
    {.name = "ImpossibleDayWithTwoDigitYearIsNotUnderstood",
     .input = "Trước 31/02/26",
     .not_understood = 1},
};

class TimeframeTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(TimeframeTableTest, ScheduleMeansWhatTheTextSays) {
  const Row& row = GetParam();
  absl::StatusOr<v1::Schedule> parsed =
      ParseTimeframe(row.input, PlanYear(kPlanYear));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::Schedule& schedule = *parsed;
  EXPECT_EQ(Dues(schedule), row.milestones);
  EXPECT_EQ(schedule.has_ongoing(), row.ongoing);
  EXPECT_EQ(IsoDate(schedule.ongoing().start()), row.start);
  EXPECT_EQ(IsoDate(schedule.ongoing().until()), row.until);
  EXPECT_EQ(schedule.ongoing().until_expected(), row.until_expected);
  EXPECT_EQ(schedule.recurrence().every(), row.every);
  EXPECT_EQ(schedule.recurrence().day(), row.day);
  EXPECT_EQ(schedule.triggered(), row.triggered);
  EXPECT_EQ(schedule.trigger().empty(), !row.triggered);
  EXPECT_EQ(schedule.not_understood_size(), row.not_understood)
      << absl::StrJoin(schedule.not_understood(), " | ");
}

INSTANTIATE_TEST_SUITE_P(Timeframes, TimeframeTableTest,
                         ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& param_info) {
                           return param_info.param.name;
                         });

TEST(TimeframeTextTest, ScheduleTextIsInputTrimmedInNfc) {
  EXPECT_EQ(MustParse("  Quý I/2027 ;\u00a0\n").text(), "Quý I/2027 ;");
  // "Quý" written with a combining acute accent.
  const v1::Schedule decomposed = MustParse("Quy\u0301 I/2027");
  EXPECT_EQ(decomposed.text(), "Quý I/2027");
  EXPECT_THAT(Dues(decomposed), ElementsAre("2027-03-31"));
}

TEST(TimeframeTextTest, TwoMilestonesEachKeepTheirClauseAsWritten) {
  const v1::Schedule schedule = MustParse(
      "Hoàn thành làm sạch dữ liệu đất đai, đổi khớp với CSDLQG về dân cư "
      "trong tháng 4/2026. Đề xuất sử dụng dữ liệu để cắt giảm TTHC trong "
      "Quý II/2026.");
  EXPECT_THAT(MilestoneTexts(schedule),
              ElementsAre("Hoàn thành làm sạch dữ liệu đất đai, đổi khớp với "
                          "CSDLQG về dân cư trong tháng 4/2026",
                          "Đề xuất sử dụng dữ liệu để cắt giảm TTHC trong "
                          "Quý II/2026"));
  EXPECT_THAT(NotUnderstood(schedule), IsEmpty());
}

TEST(TimeframeTextTest,
     DatedWorkAndTriggeredWorkAreSeparatedWithoutPunctuation) {
  const v1::Schedule schedule = MustParse(
      "Hoàn thành đánh số nhà trước ngày 31/12/2026 Triển khai phần mềm định "
      "danh địa điểm ngay khi có chỉ đạo của Bộ Công an");
  EXPECT_THAT(MilestoneTexts(schedule),
              ElementsAre("Hoàn thành đánh số nhà trước ngày 31/12/2026"));
  EXPECT_EQ(schedule.trigger(),
            "Triển khai phần mềm định danh địa điểm ngay khi có chỉ đạo của "
            "Bộ Công an");
}

TEST(TimeframeTextTest, TriggerInParenthesesKeepsItsCommasAndLosesParentheses) {
  const v1::Schedule schedule = MustParse(
      "Thường xuyên (khi có chỉ đạo từ Chính phủ, các bộ, ngành Trung ương, "
      "UBND tỉnh).");
  EXPECT_EQ(schedule.trigger(),
            "khi có chỉ đạo từ Chính phủ, các bộ, ngành Trung ương, UBND tỉnh");
}

TEST(TimeframeTextTest, TriggerAfterCommaRunsToTheEndOfTheSentence) {
  EXPECT_EQ(
      MustParse("Thường xuyên, bám sát lộ trình triển khai của các bộ, ngành")
          .trigger(),
      "bám sát lộ trình triển khai của các bộ, ngành");
  EXPECT_EQ(MustParse("Thường xuyên và theo chỉ đạo của bộ, ngành Trung ương.")
                .trigger(),
            "theo chỉ đạo của bộ, ngành Trung ương");
  EXPECT_EQ(MustParse("Khi có phát sinh.").trigger(), "Khi có phát sinh");
}

TEST(TimeframeTextTest, TriggersOfTwoSentencesAreBothKept) {
  const v1::Schedule schedule =
      MustParse("Khi có yêu cầu. Theo chỉ đạo của UBND tỉnh.");
  EXPECT_TRUE(schedule.triggered());
  EXPECT_EQ(schedule.trigger(), "Khi có yêu cầu; Theo chỉ đạo của UBND tỉnh");
}

TEST(TimeframeTextTest, MilestoneAndOngoingPartsHaveTheirOwnText) {
  const v1::Schedule schedule =
      MustParse("Quí I/2026 và duy trì thường xuyên.");
  EXPECT_THAT(MilestoneTexts(schedule), ElementsAre("Quí I/2026"));
}

TEST(TimeframeTextTest, NotUnderstoodIsVerbatimAndTrimmed) {
  EXPECT_THAT(NotUnderstood(MustParse("  Sau khi có kết quả rà soát.  ")),
              ElementsAre("Sau khi có kết quả rà soát"));
  EXPECT_THAT(NotUnderstood(MustParse("Quý V/2026")),
              ElementsAre("Quý V/2026"));
  EXPECT_THAT(NotUnderstood(MustParse("Thường xuyên; Tuỳ tình hình.")),
              ElementsAre("Tuỳ tình hình"));
  EXPECT_THAT(
      NotUnderstood(MustParse("Quý I/2026; sau khi có kết quả rà soát")),
      ElementsAre("sau khi có kết quả rà soát"));
  EXPECT_THAT(NotUnderstood(MustParse("Hoàn thành làm sạch dữ liệu đất đai,")),
              ElementsAre("Hoàn thành làm sạch dữ liệu đất đai"));
}

TEST(TimeframeTextTest, EmptyTextHasEmptyScheduleForTheCallerToFlag) {
  const v1::Schedule schedule = MustParse("");
  EXPECT_EQ(schedule.text(), "");
  EXPECT_EQ(schedule.milestones_size(), 0);
  EXPECT_FALSE(schedule.has_ongoing());
  EXPECT_FALSE(schedule.has_recurrence());
  EXPECT_FALSE(schedule.triggered());
  EXPECT_THAT(NotUnderstood(schedule), IsEmpty());
}

TEST(TimeframeDateTest, ImpossibleDatesAreInvalidArgumentNamingTheDate) {
  struct Case {
    const char* input;
    const char* named;
  };
  for (const Case& c : {Case{"31/2/2026", "31/2/2026"}, Case{"30/2", "30/2"},
                        Case{"trước ngày 32/1/2026", "32/1/2026"},
                        Case{"Hoàn thành trước ngày 31/4/2026", "31/4/2026"},
                        Case{"ngày 29/2/2027", "29/2/2027"},
                        Case{"ngày 1/13/2026", "1/13/2026"},
                        Case{"ngày 31 tháng 6 năm 2026", "31 tháng 6 năm 2026"},
                        Case{"Thường xuyên; chậm nhất 0/5/2026", "0/5/2026"},
                        Case{"Trước 31/02/2026", "'31/02/2026'"},
                        Case{"trước ngày 30 / 2", "'30 / 2'"}}) {
    absl::StatusOr<v1::Schedule> parsed =
        ParseTimeframe(c.input, PlanYear(kPlanYear));
    ASSERT_FALSE(parsed.ok()) << c.input;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << c.input;
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.named))
        << c.input;
  }
}

TEST(TimeframeDateTest, LeapDayOfLeapYearIsAccepted) {
  EXPECT_THAT(Dues(MustParse("ngày 29/2/2028")), ElementsAre("2028-02-29"));
}

TEST(TimeframeDateTest, DateWithoutYearAndNoPlanYearIsNotUnderstood) {
  const v1::Schedule schedule = MustParse("chậm nhất 15/3", /*plan_year=*/0);
  EXPECT_EQ(schedule.milestones_size(), 0);
  EXPECT_THAT(NotUnderstood(schedule), ElementsAre("chậm nhất 15/3"));
  EXPECT_EQ(MustParse("Quý II", /*plan_year=*/0).milestones_size(), 0);
}

TEST(TimeframeDateTest, PlanYearFillsOnlyMissingYears) {
  EXPECT_THAT(Dues(MustParse("trước ngày 5/6", 2027)),
              ElementsAre("2027-06-05"));
  EXPECT_THAT(Dues(MustParse("trước ngày 5/6/2026", 2027)),
              ElementsAre("2026-06-05"));
}

TEST(TimeframeDateTest, NumbersThatAreNotDatesAreNotTakenForDates) {
  // A ratio with a dash, a decision number and a longer number.
  EXPECT_EQ(MustParse("Thường xuyên, 2-3 đợt").milestones_size(), 0);
  EXPECT_EQ(
      MustParse("Thường xuyên theo Quyết định số 06/QĐ-TTg").milestones_size(),
      0);
  EXPECT_EQ(MustParse("trước ngày 10/5/20266").milestones_size(), 0);
  EXPECT_EQ(MustParse("Thường xuyên, 6 tháng 2 lần").milestones_size(), 0);
}

TEST(TimeframeLastDateTest, LatestMilestoneElseOngoingEndElseUnset) {
  EXPECT_EQ(IsoDate(LastDate(
                MustParse("tháng 6/2026, tháng 4/2026; đến hết năm 2025"))),
            "2026-06-30");
  EXPECT_EQ(IsoDate(LastDate(MustParse("Duy trì vận hành (dự kiến đến hết "
                                       "ngày 30/6/2026)"))),
            "2026-06-30");
  EXPECT_EQ(IsoDate(LastDate(MustParse("Quí I/2026 và duy trì thường xuyên"))),
            "2026-03-31");
  EXPECT_EQ(LastDate(MustParse("Thường xuyên")).year(), 0);
  EXPECT_EQ(LastDate(MustParse("Khi có yêu cầu")).year(), 0);
  EXPECT_EQ(LastDate(v1::Schedule()).year(), 0);
}

TEST(TimeframeRobustnessTest, RandomTextNeverCrashes) {
  const std::vector<std::string> pieces = {
      "Quý",   "Quí",   " I",     "V",       "/",       "2026", "năm",
      " ",     "tháng", "ngày",   "13",      "31",      "2",    ".",
      ",",     ";",     "(",      ")",       "khi",     "có",   "và",
      "từ",    "đến",   "hết",    "dự kiến", "định kỳ", "hằng", "thường xuyên",
      "trước", "\n",    "\u00a0", "6",       "đầu",     "-",    "\xff",
      "\xc3",  "0",     "99999",  "sau"};
  std::mt19937 random(20260525);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int length = static_cast<int>(random() % 40);
    for (int j = 0; j < length; ++j) text += pieces[random() % pieces.size()];
    absl::StatusOr<v1::Schedule> parsed =
        ParseTimeframe(text, PlanYear(kPlanYear));
    if (parsed.ok()) {
      for (const v1::Milestone& milestone : parsed->milestones()) {
        EXPECT_NE(milestone.due().year(), 0) << text;
      }
    } else {
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
          << text;
    }
  }
}

TEST(TimeframeRobustnessTest, LongInputsTakeLinearTime) {
  const std::vector<std::string> units = {
      "Quý I/2026, ", "1/1/2026 ",     "khi ",  "((((",
      "))))",         "thường xuyên ", "a ",    "       ",
      "đến hết ",     "định kỳ ",      "2",     "/",
      "Triển khai ",  "và ",           "ngày 1"};
  for (const std::string& unit : units) {
    std::string text;
    while (text.size() < 200000) text += unit;
    const auto started = std::chrono::steady_clock::now();
    absl::StatusOr<v1::Schedule> parsed =
        ParseTimeframe(text, PlanYear(kPlanYear));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, std::chrono::seconds(5)) << unit;
    if (parsed.ok()) {
      size_t texts = 0;
      for (const v1::Milestone& milestone : parsed->milestones()) {
        texts += milestone.text().size();
      }
      // Each part of the text goes to at most one milestone.
      EXPECT_LE(texts, text.size()) << unit;
    }
  }
}

}  // namespace
}  // namespace tiendo::plantext
