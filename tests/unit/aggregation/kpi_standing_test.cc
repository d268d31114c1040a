// How the indicators and periodic reports of a monthly report stand: the
// running stage, the indicators met, a stage's verdict and the month's
// reporting rate.
#include "services/aggregation/kpi_standing.h"

#include <initializer_list>

#include "gtest/gtest.h"

namespace tiendo::aggregation {
namespace {

v1::KpiStage Stage(bool due_passed, bool met) {
  v1::KpiStage stage;
  stage.set_due_passed(due_passed);
  stage.set_met(met);
  return stage;
}

v1::IndicatorKpi Indicator(std::initializer_list<v1::KpiStage> stages) {
  v1::IndicatorKpi kpi;
  for (const v1::KpiStage& stage : stages) *kpi.add_stages() = stage;
  return kpi;
}

TEST(KpiStandingTest, RunningStageIsTheFirstNotYetDueElseTheLast) {
  const v1::IndicatorKpi none = Indicator({});
  EXPECT_EQ(RunningStage(none), nullptr);
  const v1::IndicatorKpi ahead =
      Indicator({Stage(true, true), Stage(false, false), Stage(false, true)});
  EXPECT_EQ(RunningStage(ahead), &ahead.stages(1));
  const v1::IndicatorKpi over =
      Indicator({Stage(true, true), Stage(true, false)});
  EXPECT_EQ(RunningStage(over), &over.stages(1));
}

TEST(KpiStandingTest, AnIndicatorIsMetWhenItsRunningStageIs) {
  v1::KpiReport kpis;
  // A later stage missed is not made up for by an earlier one reached.
  *kpis.add_indicators() = Indicator({Stage(true, true), Stage(true, false)});
  *kpis.add_indicators() = Indicator({Stage(true, false), Stage(false, true)});
  // Without stages: not judged.
  *kpis.add_indicators() = Indicator({});
  const IndicatorsMet count = CountIndicatorsMet(kpis);
  EXPECT_EQ(count.met, 1);
  EXPECT_EQ(count.judged, 2);
}

TEST(KpiStandingTest, VerdictOfAStage) {
  v1::KpiValue unmeasured;
  v1::KpiValue measured;
  measured.set_units_measured(3);
  EXPECT_EQ(VerdictOf(unmeasured, Stage(true, true)), StageVerdict::kNotJudged);
  EXPECT_EQ(VerdictOf(measured, Stage(true, true)), StageVerdict::kMet);
  EXPECT_EQ(VerdictOf(measured, Stage(true, false)), StageVerdict::kMissed);
  EXPECT_EQ(VerdictOf(measured, Stage(false, false)), StageVerdict::kBehind);
}

TEST(KpiStandingTest, RateOfMonthIsTheReportMonthsPeriod) {
  v1::MonthlyReport report;
  report.set_month("2026-06");
  EXPECT_EQ(RateOfMonth(report), nullptr);
  report.mutable_reporting()->add_by_period()->set_period("2026-05");
  v1::ReportingRate* june = report.mutable_reporting()->add_by_period();
  june->set_period("2026-06");
  EXPECT_EQ(RateOfMonth(report), june);
}

}  // namespace
}  // namespace tiendo::aggregation
