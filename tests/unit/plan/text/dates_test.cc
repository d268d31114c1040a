#include "services/plan/text/dates.h"

#include "gtest/gtest.h"

namespace tiendo::plantext {
namespace {

TEST(MakeDateTest, AcceptsRealDatesAndRefusesImpossibleOnes) {
  auto leap = MakeDate(2028, 2, 29, "29/2/2028");
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(IsoDate(*leap), "2028-02-29");
  auto impossible = MakeDate(2026, 2, 31, "31/2/2026");
  ASSERT_FALSE(impossible.ok());
  EXPECT_NE(impossible.status().message().find("31/2/2026"),
            absl::string_view::npos);
  EXPECT_FALSE(MakeDate(2026, 13, 1, "1/13/2026").ok());
  EXPECT_FALSE(MakeDate(2026, 4, 31, "31/4/2026").ok());
}

TEST(PeriodEndTest, MonthQuarterHalfYear) {
  EXPECT_EQ(IsoDate(MonthEnd(2026, 2)), "2026-02-28");
  EXPECT_EQ(IsoDate(MonthEnd(2028, 2)), "2028-02-29");
  EXPECT_EQ(IsoDate(QuarterEnd(2027, 1)), "2027-03-31");
  EXPECT_EQ(IsoDate(QuarterEnd(2026, 2)), "2026-06-30");
  EXPECT_EQ(IsoDate(QuarterStart(2026, 3)), "2026-07-01");
  EXPECT_EQ(IsoDate(HalfYearEnd(2026, 1)), "2026-06-30");
  EXPECT_EQ(IsoDate(YearEnd(2026)), "2026-12-31");
}

TEST(RomanTest, RomanAndArabic) {
  EXPECT_EQ(ParseRomanOrArabic("IV"), 4);
  EXPECT_EQ(ParseRomanOrArabic("ii"), 2);
  EXPECT_EQ(ParseRomanOrArabic("3"), 3);
  EXPECT_EQ(ParseRomanOrArabic("IIII"), std::nullopt);
  EXPECT_EQ(ParseRomanOrArabic("x1"), std::nullopt);
}

}  // namespace
}  // namespace tiendo::plantext
