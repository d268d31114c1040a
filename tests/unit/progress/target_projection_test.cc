// Early warning on targets: the trend of measurements projected to the
// stages of a target.
#include "services/progress/target_projection.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::progress {
namespace {

using ::testing::ElementsAre;
using ::tiendo::testing::AddStagedTarget;
using ::tiendo::testing::Date;

// Cash-free social-protection payments: 90% by the end of Q1, 100% by the
// end of Q2 (two stages of k1), and an unrelated k2.
v1::Task StagedTask() {
  v1::Task task;
  task.set_id("vinh-thuy:1199-KH-UBND#V.1");
  task.set_unit("vinh-thuy");
  task.set_title("Chi trả không dùng tiền mặt");
  task.add_lead_agencies("vinhthuy.vhxh");
  task.set_standing_agency("vinhthuy.congan");
  AddStagedTarget(task, "đối tượng bảo trợ xã hội");
  v1::Target* other = task.add_targets();
  other->set_indicator("người có công");
  other->set_indicator_code("k2");
  other->set_percent(100);
  *other->mutable_due() = Date(2026, 6, 30);
  return task;
}

// 50% on 1 January, +5 points a month (every 30 days).
std::vector<TrendPoint> FallingBehind() {
  return {{absl::CivilDay(2026, 1, 1), 50},
          {absl::CivilDay(2026, 1, 31), 55},
          {absl::CivilDay(2026, 3, 2), 60}};
}

TEST(FitTrendTest, LeastSquaresLine) {
  std::optional<Trend> trend = FitTrend(FallingBehind());
  ASSERT_TRUE(trend.has_value());
  EXPECT_NEAR(trend->slope, 1.0 / 6.0, 1e-12);
  EXPECT_NEAR(trend->intercept, 50.0, 1e-9);
  EXPECT_NEAR(trend->At(absl::CivilDay(2026, 6, 30)), 80.0, 1e-9);
}

TEST(FitTrendTest, ScatteredPointsFitTheBestLine) {
  // x = 0, 10, 20, 30; y = 10, 14, 13, 19: slope 130/500, intercept 10.1.
  std::optional<Trend> trend = FitTrend({{absl::CivilDay(2026, 5, 1), 10},
                                         {absl::CivilDay(2026, 5, 11), 14},
                                         {absl::CivilDay(2026, 5, 21), 13},
                                         {absl::CivilDay(2026, 5, 31), 19}});
  ASSERT_TRUE(trend.has_value());
  EXPECT_NEAR(trend->slope, 0.26, 1e-12);
  EXPECT_NEAR(trend->intercept, 10.1, 1e-9);
}

TEST(FitTrendTest, NeedsTwoDistinctDates) {
  EXPECT_FALSE(FitTrend({}).has_value());
  EXPECT_FALSE(FitTrend({{absl::CivilDay(2026, 1, 1), 50}}).has_value());
  // Two values for one day are one point: the later given counts.
  EXPECT_FALSE(FitTrend({{absl::CivilDay(2026, 1, 1), 50},
                         {absl::CivilDay(2026, 1, 1), 70}})
                   .has_value());
}

TEST(FitTrendTest, OnlyTheLastSixDatesCount) {
  // Two old outliers, then six points on a flat 40%.
  std::vector<TrendPoint> points = {{absl::CivilDay(2025, 1, 1), 0},
                                    {absl::CivilDay(2025, 2, 1), 100}};
  for (int month = 1; month <= 6; ++month) {
    points.push_back({absl::CivilDay(2026, month, 1), 40});
  }
  std::optional<Trend> trend = FitTrend(points);
  ASSERT_TRUE(trend.has_value());
  EXPECT_NEAR(trend->slope, 0.0, 1e-12);
  EXPECT_NEAR(trend->At(absl::CivilDay(2026, 12, 31)), 40.0, 1e-9);
  EXPECT_EQ(trend->origin, absl::CivilDay(2026, 1, 1));
}

TEST(ProjectTargetTest, FallingBehindIsAtRisk) {
  std::optional<TargetOutlook> outlook = ProjectTarget(
      StagedTask(), "k1", FallingBehind(), absl::CivilDay(2026, 3, 5));
  ASSERT_TRUE(outlook.has_value());
  EXPECT_EQ(outlook->as_of, absl::CivilDay(2026, 3, 2));
  EXPECT_DOUBLE_EQ(outlook->current_percent, 60);
  ASSERT_EQ(outlook->stages.size(), 2u);
  // 31 March is day 89: 50 + 89/6.
  EXPECT_EQ(outlook->stages[0].due, absl::CivilDay(2026, 3, 31));
  EXPECT_NEAR(outlook->stages[0].projected_percent, 50 + 89.0 / 6.0, 1e-9);
  EXPECT_NEAR(outlook->stages[0].gap, 90 - (50 + 89.0 / 6.0), 1e-9);
  EXPECT_TRUE(outlook->stages[0].at_risk);
  // 30 June is day 180: 80%, 20 points short of 100%.
  EXPECT_EQ(outlook->stages[1].due, absl::CivilDay(2026, 6, 30));
  EXPECT_NEAR(outlook->stages[1].projected_percent, 80.0, 1e-9);
  EXPECT_NEAR(outlook->stages[1].gap, 20.0, 1e-9);
  EXPECT_TRUE(outlook->stages[1].at_risk);
}

TEST(ProjectTargetTest, OnTrackIsNotAtRisk) {
  // +10 points a month from 50%: 90% is passed in early May, 100% by June.
  const std::vector<TrendPoint> points = {{absl::CivilDay(2026, 1, 1), 50},
                                          {absl::CivilDay(2026, 1, 31), 60},
                                          {absl::CivilDay(2026, 3, 2), 70}};
  std::optional<TargetOutlook> outlook =
      ProjectTarget(StagedTask(), "k1", points, absl::CivilDay(2026, 4, 1));
  ASSERT_TRUE(outlook.has_value());
  // The Q1 stage is past: only 30 June is projected, kept at 100%.
  ASSERT_EQ(outlook->stages.size(), 1u);
  EXPECT_EQ(outlook->stages[0].due, absl::CivilDay(2026, 6, 30));
  EXPECT_DOUBLE_EQ(outlook->stages[0].projected_percent, 100);
  EXPECT_FALSE(outlook->stages[0].at_risk);
  EXPECT_DOUBLE_EQ(outlook->stages[0].gap, 0);
}

TEST(ProjectTargetTest, OnePointOrNoStageAheadGivesNothing) {
  EXPECT_FALSE(ProjectTarget(StagedTask(), "k1",
                             {{absl::CivilDay(2026, 1, 1), 10}},
                             absl::CivilDay(2026, 1, 2))
                   .has_value());
  EXPECT_FALSE(ProjectTarget(StagedTask(), "k1", FallingBehind(),
                             absl::CivilDay(2026, 7, 1))
                   .has_value());
  EXPECT_FALSE(ProjectTarget(StagedTask(), "k7", FallingBehind(),
                             absl::CivilDay(2026, 3, 5))
                   .has_value());
}

TEST(ProjectTargetTest, AStageDueTodayStillCounts) {
  std::optional<TargetOutlook> outlook = ProjectTarget(
      StagedTask(), "k1", FallingBehind(), absl::CivilDay(2026, 3, 31));
  ASSERT_TRUE(outlook.has_value());
  EXPECT_EQ(outlook->stages.size(), 2u);
}

TEST(CompareRisksTest, NewRisksAndRecoveries) {
  std::optional<TargetOutlook> outlook = ProjectTarget(
      StagedTask(), "k1", FallingBehind(), absl::CivilDay(2026, 3, 5));
  ASSERT_TRUE(outlook.has_value());
  // 31 March was already flagged: only 30 June is new.
  RiskChanges changes = CompareRisks(*outlook, {absl::CivilDay(2026, 3, 31)});
  ASSERT_EQ(changes.newly_at_risk.size(), 1u);
  EXPECT_EQ(changes.newly_at_risk[0].due, absl::CivilDay(2026, 6, 30));
  EXPECT_TRUE(changes.recovered.empty());

  outlook->stages[1].at_risk = false;
  changes = CompareRisks(
      *outlook, {absl::CivilDay(2026, 3, 31), absl::CivilDay(2026, 6, 30)});
  EXPECT_TRUE(changes.newly_at_risk.empty());
  EXPECT_THAT(changes.recovered, ElementsAre(absl::CivilDay(2026, 6, 30)));
}

TEST(TargetAtRiskTest, CarriesProjectionGapAndRecipients) {
  const v1::Task task = StagedTask();
  std::optional<TargetOutlook> outlook =
      ProjectTarget(task, "k1", FallingBehind(), absl::CivilDay(2026, 3, 5));
  ASSERT_TRUE(outlook.has_value());
  const v1::TargetAtRisk warning =
      MakeTargetAtRisk(task, *outlook, outlook->stages[1]);
  EXPECT_EQ(warning.task_id(), "vinh-thuy:1199-KH-UBND#V.1");
  EXPECT_EQ(warning.indicator_code(), "k1");
  EXPECT_EQ(warning.indicator(), "đối tượng bảo trợ xã hội");
  EXPECT_DOUBLE_EQ(warning.target_percent(), 100);
  EXPECT_NEAR(warning.projected_percent(), 80, 1e-9);
  EXPECT_NEAR(warning.gap(), 20, 1e-9);
  EXPECT_DOUBLE_EQ(warning.current_percent(), 60);
  EXPECT_EQ(warning.due().month(), 6);
  EXPECT_EQ(warning.as_of().day(), 2);
  EXPECT_THAT(warning.recipients(),
              ElementsAre("vinhthuy.vhxh", "vinhthuy.congan"));
  EXPECT_EQ(warning.standing_agency(), "vinhthuy.congan");
  EXPECT_EQ(warning.warning_key(),
            "vinh-thuy:1199-KH-UBND#V.1|k1|2026-06-30|2026-03-02");
  EXPECT_EQ(warning.task_title(), "Chi trả không dùng tiền mặt");
}

}  // namespace
}  // namespace tiendo::progress
