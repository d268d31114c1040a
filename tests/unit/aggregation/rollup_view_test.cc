// Roll-ups, KPIs, reporting rates, the emulation ranking and as-of views
// over one province built by hand
// (tests/unit/aggregation/aggregation_scenario.h): every expected number is
// worked out from the scenario's facts in the comments, not read back from the
// code.
#include "services/aggregation/rollup_view.h"

#include <google/protobuf/util/message_differencer.h>

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregation/execution_history.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/proto_convert.h"
#include "tests/support/fixtures.h"
#include "tests/unit/aggregation/aggregation_scenario.h"
#include "tiendo/v1/aggregation.pb.h"

// Inside the scenario's namespace: its tasks, units and events are named
// as the comments name them.
namespace tiendo::aggregation::scenario {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;

struct Want {
  int total = 0;
  int not_started = 0;
  int in_progress = 0;
  int done = 0;
  int done_late = 0;
  int on_time = 0;
  int overdue = 0;
  int blocked = 0;
  int open_difficulties = 0;
  int ongoing = 0;
  double percent = 0;
};

void ExpectCounts(const v1::StatusCounts& c, const Want& w,
                  const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(c.total(), w.total);
  EXPECT_EQ(c.not_started(), w.not_started);
  EXPECT_EQ(c.in_progress(), w.in_progress);
  EXPECT_EQ(c.done(), w.done);
  EXPECT_EQ(c.done_late(), w.done_late);
  EXPECT_EQ(c.on_time(), w.on_time);
  EXPECT_EQ(c.overdue(), w.overdue);
  EXPECT_EQ(c.blocked(), w.blocked);
  EXPECT_EQ(c.open_difficulties(), w.open_difficulties);
  EXPECT_EQ(c.ongoing(), w.ongoing);
  // Means like 250/3 are shown with one decimal.
  EXPECT_NEAR(c.percent_complete(), w.percent, 0.05);
}

void ExpectValue(const v1::KpiValue& v, v1::LocalDate as_of, int64_t numerator,
                 int64_t denominator, double percent, int units,
                 const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_TRUE(MessageDifferencer::Equals(v.as_of(), as_of))
      << v.as_of().ShortDebugString();
  EXPECT_EQ(v.numerator(), numerator);
  EXPECT_EQ(v.denominator(), denominator);
  EXPECT_NEAR(v.percent(), percent, 1e-9);
  EXPECT_EQ(v.units_measured(), units);
}

void ExpectStage(const v1::KpiStage& s, double target, v1::LocalDate due,
                 bool due_passed, bool met, double gap,
                 const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(s.target_percent(), target);
  EXPECT_TRUE(MessageDifferencer::Equals(s.due(), due));
  EXPECT_EQ(s.due_passed(), due_passed);
  EXPECT_EQ(s.met(), met);
  EXPECT_NEAR(s.gap(), gap, 1e-9);
}

void ExpectRate(const v1::ReportingRate& r, const std::string& unit,
                const std::string& period, int expected, int received,
                int on_time, double rate, double on_time_rate) {
  SCOPED_TRACE(absl::StrCat(unit, " ", period));
  EXPECT_EQ(r.unit(), unit);
  EXPECT_EQ(r.period(), period);
  EXPECT_EQ(r.expected(), expected);
  EXPECT_EQ(r.received(), received);
  EXPECT_EQ(r.received_on_time(), on_time);
  EXPECT_NEAR(r.reporting_rate(), rate, 1e-9);
  EXPECT_NEAR(r.on_time_rate(), on_time_rate, 1e-9);
}

class RollupViewTest : public ::testing::Test {
 protected:
  RollupViewTest() : units_(Units()) { ApplyTo(history_, Now()); }

  RollupView At(absl::Time at) const {
    return RollupView(history_, units_, at);
  }

  ExecutionHistory history_;
  UnitTree units_;
};

// State on 15/07 of each task (status, percent, overdue with today 15/07):
//   P1  in progress 70, its 30/06 occurrence not done: overdue
//   P2  2026-05 in, 2026-06 (due 11/07) not: in progress (100+0)/2 = 50,
//       overdue
//   P3  measured only, never started: not started 0, ongoing
//   VT1 both milestones done on time (28/04, 29/06): done on time 100
//   VT2 both reports on time (10/06, 10/07): done on time 100
//   VT3 in progress 50, ongoing
//   A1  30/04 done 03/05 (late), 30/06 at 60: in progress (100+60)/2 = 80,
//       overdue
//   A2  2026-05 in late, 2026-06 missing: in progress 50, overdue
//   B1  30/04 blocked at 30 with a difficulty, 30/06 not started:
//       blocked (30+0)/2 = 15, overdue (both dates passed), 1 difficulty
//   B2  2026-05 on 11/06 (due 11/06, on time), 2026-06 on 13/07 (late):
//       done late 100
//   B3  nothing reported, due 01/07: not started 0, overdue
TEST_F(RollupViewTest, ProvinceTotalsAndSubtreeTotals) {
  const v1::Rollup r = At(Now()).Rollup(kProvince);
  EXPECT_EQ(r.unit(), kProvince);
  EXPECT_EQ(r.unit_name(), "Quảng Trị");
  EXPECT_TRUE(MessageDifferencer::Equals(r.as_of(), Date(2026, 7, 15)));
  EXPECT_EQ(FromProto(r.at()), Now());
  // Own tasks P1, P2, P3: in progress P1 and P2, not started P3; overdue
  // P1 and P2; ongoing P3; percent (70 + 50 + 0) / 3 = 40.
  ExpectCounts(r.totals(),
               {.total = 3,
                .not_started = 1,
                .in_progress = 2,
                .overdue = 2,
                .ongoing = 1,
                .percent = 40},
               "totals");
  // All 11 tasks: done VT1, VT2, B2 (B2 late, so on time 2); blocked B1;
  // in progress P1, P2, VT3, A1, A2; not started P3, B3 (3+1+5+2 = 11).
  // Overdue P1, P2, A1, A2, B1, B3 = 6; ongoing P3, VT3; one difficulty.
  // Percent (70+50+0+100+100+50+80+50+15+100+0) / 11 = 615 / 11 = 55.9.
  ExpectCounts(r.subtree_totals(),
               {.total = 11,
                .not_started = 2,
                .in_progress = 5,
                .done = 3,
                .done_late = 1,
                .on_time = 2,
                .overdue = 6,
                .blocked = 1,
                .open_difficulties = 1,
                .ongoing = 2,
                .percent = 615.0 / 11},
               "subtree");
  // Reports applied to the province's own tasks: P1 two, P2 one, P3 one.
  EXPECT_EQ(r.reports_applied(), 4u);
}

TEST_F(RollupViewTest, ProvinceByChildUnit) {
  const v1::Rollup r = At(Now()).Rollup(kProvince);
  ASSERT_EQ(r.by_child_unit_size(), 3);
  EXPECT_EQ(r.by_child_unit(0).unit(), kVinhThuy);
  EXPECT_EQ(r.by_child_unit(0).name(), "Vĩnh Thủy");
  // VT1, VT2 done on time, VT3 in progress and ongoing: (100+100+50)/3.
  ExpectCounts(r.by_child_unit(0).counts(),
               {.total = 3,
                .in_progress = 1,
                .done = 2,
                .on_time = 2,
                .ongoing = 1,
                .percent = 250.0 / 3},
               "vinh-thuy");
  EXPECT_EQ(r.by_child_unit(1).unit(), kXaA);
  EXPECT_EQ(r.by_child_unit(1).name(), "Xã A");
  // A1, A2 in progress and overdue: (80+50)/2 = 65.
  ExpectCounts(r.by_child_unit(1).counts(),
               {.total = 2, .in_progress = 2, .overdue = 2, .percent = 65},
               "xa-a");
  EXPECT_EQ(r.by_child_unit(2).unit(), kXaB);
  // B1 blocked and overdue, B2 done late, B3 not started and overdue:
  // (15+100+0)/3.
  ExpectCounts(r.by_child_unit(2).counts(),
               {.total = 3,
                .not_started = 1,
                .done = 1,
                .done_late = 1,
                .overdue = 2,
                .blocked = 1,
                .open_difficulties = 1,
                .percent = 115.0 / 3},
               "xa-b");

  // The country: its one province with everything below it, and Đồng
  // Tháp with nothing.
  const v1::Rollup vn = At(Now()).Rollup("vn");
  ExpectCounts(vn.totals(), {}, "vn own");
  ASSERT_EQ(vn.by_child_unit_size(), 2);
  EXPECT_EQ(vn.by_child_unit(0).unit(), "dong-thap");
  ExpectCounts(vn.by_child_unit(0).counts(), {}, "dong-thap");
  EXPECT_EQ(vn.by_child_unit(1).unit(), kProvince);
  EXPECT_TRUE(MessageDifferencer::Equals(vn.by_child_unit(1).counts(),
                                         vn.subtree_totals()));
  EXPECT_EQ(vn.subtree_totals().total(), 11);
}

TEST_F(RollupViewTest, ProvinceBySectionInPlanOrder) {
  const v1::Rollup r = At(Now()).Rollup(kProvince);
  // II (P1), III (P3), then the report obligations BC (P2).
  ASSERT_EQ(r.by_section_size(), 3);
  EXPECT_EQ(r.by_section(0).section(), "II");
  EXPECT_EQ(r.by_section(0).title(), "Nhiệm vụ cụ thể");
  ExpectCounts(r.by_section(0).counts(),
               {.total = 1, .in_progress = 1, .overdue = 1, .percent = 70},
               "II");
  EXPECT_EQ(r.by_section(1).section(), "III");
  ExpectCounts(r.by_section(1).counts(),
               {.total = 1, .not_started = 1, .ongoing = 1, .percent = 0},
               "III");
  EXPECT_EQ(r.by_section(2).section(), "BC");
  EXPECT_EQ(r.by_section(2).title(), "Chế độ báo cáo");
  ExpectCounts(r.by_section(2).counts(),
               {.total = 1, .in_progress = 1, .overdue = 1, .percent = 50},
               "BC");
}

TEST_F(RollupViewTest, ProvinceByLeadAgencyCountsATaskForEachLead) {
  const v1::Rollup r = At(Now()).Rollup(kProvince);
  ASSERT_EQ(r.by_lead_agency_size(), 2);
  // quangtri.congan leads P1 (70, overdue) and P3 (0, ongoing): 35.
  EXPECT_EQ(r.by_lead_agency(0).agency(), "quangtri.congan");
  ExpectCounts(r.by_lead_agency(0).counts(),
               {.total = 2,
                .not_started = 1,
                .in_progress = 1,
                .overdue = 1,
                .ongoing = 1,
                .percent = 35},
               "congan");
  // quangtri.vpubnd leads P1 too, and P2 (50, overdue): 60.
  EXPECT_EQ(r.by_lead_agency(1).agency(), "quangtri.vpubnd");
  ExpectCounts(r.by_lead_agency(1).counts(),
               {.total = 2, .in_progress = 2, .overdue = 2, .percent = 60},
               "vpubnd");
}

TEST_F(RollupViewTest, ProvinceByImplementedTask) {
  const v1::Rollup r = At(Now()).Rollup(kProvince);
  // Only P1 is implemented below (VT1, A1, B1); the communes' reports do
  // not implement P2.
  ASSERT_EQ(r.by_implemented_task_size(), 1);
  const v1::ImplementedTaskRollup& p1 = r.by_implemented_task(0);
  EXPECT_EQ(p1.task_id(), kP1);
  EXPECT_EQ(p1.section(), "II");
  EXPECT_EQ(p1.number(), "1");
  EXPECT_EQ(p1.title(), "Cấp tài khoản định danh điện tử cho công dân");
  EXPECT_EQ(p1.units(), 3);
  // VT1 done on time (100), A1 in progress overdue (80), B1 blocked
  // overdue with a difficulty (15): (100+80+15)/3 = 65.
  ExpectCounts(p1.counts(),
               {.total = 3,
                .in_progress = 1,
                .done = 1,
                .on_time = 1,
                .overdue = 2,
                .blocked = 1,
                .open_difficulties = 1,
                .percent = 65},
               "P1");
}

TEST_F(RollupViewTest, CommuneRollup) {
  const v1::Rollup r = At(Now()).Rollup(kVinhThuy);
  EXPECT_EQ(r.unit_name(), "Vĩnh Thủy");
  const Want vt{.total = 3,
                .in_progress = 1,
                .done = 2,
                .on_time = 2,
                .ongoing = 1,
                .percent = 250.0 / 3};
  ExpectCounts(r.totals(), vt, "totals");
  ExpectCounts(r.subtree_totals(), vt, "subtree");
  EXPECT_THAT(r.by_child_unit(), IsEmpty());
  EXPECT_THAT(r.by_implemented_task(), IsEmpty());
  // VT1 four reports, VT2 two, VT3 one.
  EXPECT_EQ(r.reports_applied(), 7u);
  // Sections I (VT1), III (VT3), BC (VT2).
  ASSERT_EQ(r.by_section_size(), 3);
  EXPECT_EQ(r.by_section(0).section(), "I");
  EXPECT_EQ(r.by_section(1).section(), "III");
  EXPECT_EQ(r.by_section(2).section(), "BC");
  ASSERT_EQ(r.by_lead_agency_size(), 2);
  EXPECT_EQ(r.by_lead_agency(0).agency(), "vinhthuy.congan");
  EXPECT_EQ(r.by_lead_agency(0).counts().total(), 2);
  EXPECT_EQ(r.by_lead_agency(1).agency(), "vinhthuy.vhxh");
  EXPECT_EQ(r.by_lead_agency(1).counts().ongoing(), 1);
}

TEST_F(RollupViewTest, OverdueIsJudgedAgainstTheViewsDate) {
  // A1's 30/06 milestone (at 60% since 30/06 20:00) is due that day: not
  // overdue until the day is over. A2's June report is due 11/07.
  EXPECT_EQ(At(Local(2026, 6, 30, 23, 59, 59)).Rollup(kXaA).totals().overdue(),
            0);
  EXPECT_EQ(At(Local(2026, 7, 1)).Rollup(kXaA).totals().overdue(), 1);
  EXPECT_EQ(At(Local(2026, 7, 11, 23, 59, 59)).Rollup(kXaA).totals().overdue(),
            1);
  EXPECT_EQ(At(Local(2026, 7, 12)).Rollup(kXaA).totals().overdue(), 2);
  // B3, never reported on, is due 01/07; B1 is overdue since 01/05.
  EXPECT_EQ(At(Local(2026, 7, 1, 12)).Rollup(kXaB).totals().overdue(), 1);
  EXPECT_EQ(At(Local(2026, 7, 2)).Rollup(kXaB).totals().overdue(), 2);
  EXPECT_EQ(At(Local(2026, 4, 30, 12)).Rollup(kXaB).totals().overdue(), 0);
  EXPECT_EQ(At(Local(2026, 5, 1)).Rollup(kXaB).totals().overdue(), 1);
}

TEST_F(RollupViewTest, ProvinceKpisSumTheCommunes) {
  const v1::KpiReport report = At(Now()).Kpis(kProvince);
  EXPECT_EQ(report.unit(), kProvince);
  EXPECT_TRUE(MessageDifferencer::Equals(report.as_of(), Date(2026, 7, 15)));
  // k1 of P1 (the communes' copies roll up to it) and k2 of P3.
  ASSERT_EQ(report.indicators_size(), 2);
  const v1::IndicatorKpi& k1 = report.indicators(0);
  EXPECT_EQ(k1.indicator_id(), "quang-tri:KH-2026#II.1/k1");
  EXPECT_EQ(k1.task_id(), kP1);
  EXPECT_EQ(k1.code(), "k1");
  EXPECT_EQ(k1.indicator(), kK1Text);
  // On 15/07 the latest per commune: vinh-thuy 950/1000 (30/06), xa-a
  // 910/1000 (30/06, the correction of 880), xa-b 430/500 (10/07). The
  // province's own 9999/10000 is covered by its communes and not added:
  // (950+910+430) / (1000+1000+500) = 2290/2500 = 91.6%.
  ExpectValue(k1.value(), Date(2026, 7, 15), 2290, 2500, 91.6, 3, "k1 now");
  ASSERT_EQ(k1.stages_size(), 2);
  // 90% by 31/03: passed and met, 1.6 above; 100% by 30/06: passed, not
  // met, 8.4 short.
  ExpectStage(k1.stages(0), 90, Date(2026, 3, 31), true, true, 90 - 91.6,
              "stage 1");
  ExpectStage(k1.stages(1), 100, Date(2026, 6, 30), true, false, 100 - 91.6,
              "stage 2");
  // Month ends from the first measurement (31/05):
  //   31/05: vinh-thuy 800/1000, xa-a 700/1000 = 1500/2000 = 75%
  //   30/06: 950/1000 + 910/1000 (xa-b not yet) = 1860/2000 = 93%
  //   15/07 (today): 2290/2500 = 91.6%
  ASSERT_EQ(k1.monthly_size(), 3);
  ExpectValue(k1.monthly(0), Date(2026, 5, 31), 1500, 2000, 75, 2, "May");
  ExpectValue(k1.monthly(1), Date(2026, 6, 30), 1860, 2000, 93, 2, "June");
  ExpectValue(k1.monthly(2), Date(2026, 7, 15), 2290, 2500, 91.6, 3, "July");
  ASSERT_EQ(k1.by_child_unit_size(), 3);
  EXPECT_EQ(k1.by_child_unit(0).unit(), kVinhThuy);
  EXPECT_EQ(k1.by_child_unit(0).name(), "Vĩnh Thủy");
  ExpectValue(k1.by_child_unit(0).value(), Date(2026, 7, 15), 950, 1000, 95, 1,
              "vinh-thuy");
  EXPECT_EQ(k1.by_child_unit(1).unit(), kXaA);
  ExpectValue(k1.by_child_unit(1).value(), Date(2026, 7, 15), 910, 1000, 91, 1,
              "xa-a");
  EXPECT_EQ(k1.by_child_unit(2).unit(), kXaB);
  ExpectValue(k1.by_child_unit(2).value(), Date(2026, 7, 15), 430, 500, 86, 1,
              "xa-b");

  // k2 was measured only at the province (30/60 on 10/07): with nothing
  // below, its own measurement is the value. 50% by 31/12 is met, not due.
  const v1::IndicatorKpi& k2 = report.indicators(1);
  EXPECT_EQ(k2.indicator_id(), "quang-tri:KH-2026#III.1/k2");
  EXPECT_EQ(k2.indicator(), kK2Text);
  ExpectValue(k2.value(), Date(2026, 7, 15), 30, 60, 50, 1, "k2");
  ASSERT_EQ(k2.stages_size(), 1);
  ExpectStage(k2.stages(0), 50, Date(2026, 12, 31), false, true, 0, "k2");
  EXPECT_EQ(k2.stages(0).direction(), v1::TARGET_DIRECTION_AT_LEAST);
  ASSERT_EQ(k2.monthly_size(), 1);
  ExpectValue(k2.monthly(0), Date(2026, 7, 15), 30, 60, 50, 1, "k2 July");
  EXPECT_THAT(k2.by_child_unit(), IsEmpty());
}

TEST_F(RollupViewTest, KpisAtEveryLevel) {
  // The country sums the same communes: 2290/2500, and shows the province.
  const v1::KpiReport vn = At(Now()).Kpis("vn");
  ASSERT_EQ(vn.indicators_size(), 2);
  ExpectValue(vn.indicators(0).value(), Date(2026, 7, 15), 2290, 2500, 91.6, 3,
              "vn k1");
  ASSERT_EQ(vn.indicators(0).by_child_unit_size(), 1);
  EXPECT_EQ(vn.indicators(0).by_child_unit(0).unit(), kProvince);
  ExpectValue(vn.indicators(0).by_child_unit(0).value(), Date(2026, 7, 15),
              2290, 2500, 91.6, 3, "vn → quang-tri");

  // A commune sees the provincial indicator with its own value: xa-a
  // 70% on 31/05, 91% on 30/06 (the correction) and today.
  const v1::KpiReport a = At(Now()).Kpis(kXaA);
  ASSERT_EQ(a.indicators_size(), 1);
  const v1::IndicatorKpi& k1 = a.indicators(0);
  EXPECT_EQ(k1.indicator_id(), "quang-tri:KH-2026#II.1/k1");
  ExpectValue(k1.value(), Date(2026, 7, 15), 910, 1000, 91, 1, "xa-a");
  ASSERT_EQ(k1.stages_size(), 2);
  ExpectStage(k1.stages(0), 90, Date(2026, 3, 31), true, true, -1, "xa-a 1");
  ExpectStage(k1.stages(1), 100, Date(2026, 6, 30), true, false, 9, "xa-a 2");
  ASSERT_EQ(k1.monthly_size(), 3);
  ExpectValue(k1.monthly(0), Date(2026, 5, 31), 700, 1000, 70, 1, "May");
  ExpectValue(k1.monthly(1), Date(2026, 6, 30), 910, 1000, 91, 1, "June");
  ExpectValue(k1.monthly(2), Date(2026, 7, 15), 910, 1000, 91, 1, "July");

  // Đồng Tháp has neither tasks nor measurements.
  EXPECT_THAT(At(Now()).Kpis("dong-thap").indicators(), IsEmpty());
}

TEST_F(RollupViewTest, KpisAsTheyWereBeforeACorrection) {
  // On 03/07 xa-a's 30/06 figure was still 880 (910 came on 05/07), and
  // P3 had no target nor measurement yet.
  const v1::KpiReport report = At(Local(2026, 7, 3, 12)).Kpis(kProvince);
  ASSERT_EQ(report.indicators_size(), 1);
  const v1::IndicatorKpi& k1 = report.indicators(0);
  // vinh-thuy 950/1000 (recorded 01/07) + xa-a 880/1000 = 1830/2000.
  ExpectValue(k1.value(), Date(2026, 7, 3), 1830, 2000, 91.5, 2, "now");
  ASSERT_EQ(k1.monthly_size(), 3);
  ExpectValue(k1.monthly(1), Date(2026, 6, 30), 1830, 2000, 91.5, 2, "June");
  // And on 30/06 at 23:59:59 vinh-thuy's 950 was not in: 800 + 880.
  const v1::KpiReport june = At(Local(2026, 6, 30, 23, 59, 59)).Kpis(kProvince);
  ASSERT_EQ(june.indicators_size(), 1);
  ExpectValue(june.indicators(0).value(), Date(2026, 6, 30), 1680, 2000, 84, 2,
              "30/06");
  // 84% is below 90% (due passed: 6 short) and 100% (due today, not
  // passed: 16 short).
  ExpectStage(june.indicators(0).stages(0), 90, Date(2026, 3, 31), true, false,
              6, "30/06 stage 1");
  ExpectStage(june.indicators(0).stages(1), 100, Date(2026, 6, 30), false,
              false, 16, "30/06 stage 2");
}

// Periodic reports (due 11/06 for 2026-05, 11/07 for 2026-06):
//   quang-tri P2: 05 on 11/06 on time; 06 missing
//   vinh-thuy VT2: 05 on 10/06, 06 on 10/07, both on time
//   xa-a A2: 05 on 14/06, 3 days late; 06 missing
//   xa-b B2: 05 on 11/06 on time; 06 on 13/07, 2 days late
TEST_F(RollupViewTest, ReportingRatesForEveryPeriod) {
  const v1::ReportingRates rates = At(Now()).ReportingRates(kProvince, "");
  EXPECT_EQ(rates.unit(), kProvince);
  ASSERT_EQ(rates.by_period_size(), 2);
  // 2026-05: 4 expected, 4 in, 3 on time: 100%, 75%.
  ExpectRate(rates.by_period(0), kProvince, "2026-05", 4, 4, 3, 100, 75);
  EXPECT_EQ(rates.by_period(0).name(), "Quảng Trị");
  // 2026-06: 4 expected, 2 in (vinh-thuy, xa-b), 1 on time: 50%, 25%.
  ExpectRate(rates.by_period(1), kProvince, "2026-06", 4, 2, 1, 50, 25);
  // Per unit over both periods, the province for its own reports.
  ASSERT_EQ(rates.by_unit_size(), 4);
  ExpectRate(rates.by_unit(0), kProvince, "", 2, 1, 1, 50, 50);
  ExpectRate(rates.by_unit(1), kVinhThuy, "", 2, 2, 2, 100, 100);
  EXPECT_EQ(rates.by_unit(1).name(), "Vĩnh Thủy");
  ExpectRate(rates.by_unit(2), kXaA, "", 2, 1, 0, 50, 0);
  ExpectRate(rates.by_unit(3), kXaB, "", 2, 2, 1, 100, 50);

  ASSERT_EQ(rates.late_or_missing_size(), 4);
  const v1::LateReport& a05 = rates.late_or_missing(0);
  EXPECT_EQ(a05.unit(), kXaA);
  EXPECT_EQ(a05.task_id(), kA2);
  EXPECT_EQ(a05.occurrence_id(), Occ(kA2, "2026-05"));
  EXPECT_EQ(a05.period(), "2026-05");
  EXPECT_EQ(a05.label(), "tháng 5/2026");
  EXPECT_TRUE(MessageDifferencer::Equals(a05.due(), Date(2026, 6, 11)));
  EXPECT_TRUE(a05.received());
  EXPECT_TRUE(MessageDifferencer::Equals(a05.received_on(), Date(2026, 6, 14)));
  EXPECT_EQ(a05.days_late(), 3);  // 14/06 - 11/06
  // 2026-06 in unit order: quang-tri and xa-a missing 15/07 - 11/07 = 4
  // days, xa-b in 13/07 - 11/07 = 2 days late.
  EXPECT_EQ(rates.late_or_missing(1).unit(), kProvince);
  EXPECT_FALSE(rates.late_or_missing(1).received());
  EXPECT_FALSE(rates.late_or_missing(1).has_received_on());
  EXPECT_EQ(rates.late_or_missing(1).days_late(), 4);
  EXPECT_EQ(rates.late_or_missing(2).unit(), kXaA);
  EXPECT_FALSE(rates.late_or_missing(2).received());
  EXPECT_EQ(rates.late_or_missing(2).days_late(), 4);
  EXPECT_EQ(rates.late_or_missing(3).unit(), kXaB);
  EXPECT_TRUE(rates.late_or_missing(3).received());
  EXPECT_TRUE(MessageDifferencer::Equals(rates.late_or_missing(3).received_on(),
                                         Date(2026, 7, 13)));
  EXPECT_EQ(rates.late_or_missing(3).days_late(), 2);
}

TEST_F(RollupViewTest, ReportingRatesForOnePeriod) {
  const v1::ReportingRates rates =
      At(Now()).ReportingRates(kProvince, "2026-06");
  ASSERT_EQ(rates.by_period_size(), 1);
  ExpectRate(rates.by_period(0), kProvince, "2026-06", 4, 2, 1, 50, 25);
  ASSERT_EQ(rates.by_unit_size(), 4);
  ExpectRate(rates.by_unit(0), kProvince, "2026-06", 1, 0, 0, 0, 0);
  ExpectRate(rates.by_unit(1), kVinhThuy, "2026-06", 1, 1, 1, 100, 100);
  ExpectRate(rates.by_unit(2), kXaA, "2026-06", 1, 0, 0, 0, 0);
  ExpectRate(rates.by_unit(3), kXaB, "2026-06", 1, 1, 0, 100, 0);
  ASSERT_EQ(rates.late_or_missing_size(), 3);
  for (const v1::LateReport& r : rates.late_or_missing()) {
    EXPECT_EQ(r.period(), "2026-06");
  }

  // A commune alone: xa-b's own row, its one late report.
  const v1::ReportingRates b = At(Now()).ReportingRates(kXaB, "");
  ASSERT_EQ(b.by_unit_size(), 1);
  ExpectRate(b.by_unit(0), kXaB, "", 2, 2, 1, 100, 50);
  ASSERT_EQ(b.late_or_missing_size(), 1);
  EXPECT_EQ(b.late_or_missing(0).occurrence_id(), Occ(kB2, "2026-06"));
}

TEST_F(RollupViewTest, ReportingRatesCountOnlyReportsDueOrIn) {
  // On 12/06: the May reports of vinh-thuy (10/06), quang-tri and xa-b
  // (11/06) are in; xa-a's is one day overdue. June's are not due yet.
  const v1::ReportingRates rates =
      At(Local(2026, 6, 12, 12)).ReportingRates(kProvince, "");
  ASSERT_EQ(rates.by_period_size(), 1);
  ExpectRate(rates.by_period(0), kProvince, "2026-05", 4, 3, 3, 75, 75);
  ASSERT_EQ(rates.late_or_missing_size(), 1);
  EXPECT_EQ(rates.late_or_missing(0).unit(), kXaA);
  EXPECT_FALSE(rates.late_or_missing(0).received());
  EXPECT_EQ(rates.late_or_missing(0).days_late(), 1);  // 12/06 - 11/06

  // On 10/06 only vinh-thuy's is in, ahead of the due date: it is counted,
  // the others not yet.
  const v1::ReportingRates early =
      At(Local(2026, 6, 10, 12)).ReportingRates(kProvince, "");
  ASSERT_EQ(early.by_period_size(), 1);
  ExpectRate(early.by_period(0), kProvince, "2026-05", 1, 1, 1, 100, 100);
  EXPECT_THAT(early.late_or_missing(), IsEmpty());
}

// A ranked unit's place, score and the counts its score comes from.
struct Ranked {
  std::string unit;
  int32_t rank = 0;
  double score = 0;
  int32_t occurrences_due = 0;
  int32_t reports_expected = 0;
  int32_t reports_on_time = 0;
};

void ExpectRanked(const v1::RankedUnit& r, const Ranked& want) {
  EXPECT_EQ(r.unit(), want.unit);
  EXPECT_EQ(r.rank(), want.rank) << want.unit;
  EXPECT_NEAR(r.score(), want.score, 1e-9) << want.unit;
  EXPECT_EQ(r.occurrences_due(), want.occurrences_due) << want.unit;
  EXPECT_EQ(r.reports_expected(), want.reports_expected) << want.unit;
  EXPECT_EQ(r.reports_on_time(), want.reports_on_time) << want.unit;
}

// Ranking components on 15/07 (work occurrences due or done, reports due
// or in, k1 against the last stage, 100%, since both are due):
//   vinh-thuy: work 2/2 on time = 100; reports 2/2 = 100; 950/1000 = 95%,
//              min(1, 95/100) = 95
//   xa-a:      work 0/2 (30/04 late, 30/06 overdue) = 0; reports 0/2 = 0;
//              91
//   xa-b:      work 0/3 (B1 both, B3) = 0; reports 1/2 = 50; 86
TEST_F(RollupViewTest, RankingFollowsTheDocumentedFormula) {
  const v1::Ranking ranking =
      At(Now()).Ranking(kProvince, DefaultRankingWeights());
  EXPECT_EQ(ranking.unit(), kProvince);
  EXPECT_EQ(ranking.weights().completion(), 0.4);
  EXPECT_EQ(ranking.weights().reporting(), 0.3);
  EXPECT_EQ(ranking.weights().targets(), 0.3);
  EXPECT_THAT(ranking.formula(), HasSubstr("0.4 × completion"));
  ASSERT_EQ(ranking.units_size(), 3);

  // (0.4×100 + 0.3×100 + 0.3×95) / 1 = 40 + 30 + 28.5 = 98.5
  const v1::RankedUnit& vt = ranking.units(0);
  ExpectRanked(vt, {.unit = kVinhThuy,
                    .rank = 1,
                    .score = 98.5,
                    .occurrences_due = 2,
                    .reports_expected = 2,
                    .reports_on_time = 2});
  EXPECT_EQ(vt.name(), "Vĩnh Thủy");
  EXPECT_NEAR(vt.completion(), 100, 1e-9);
  EXPECT_NEAR(vt.reporting(), 100, 1e-9);
  EXPECT_NEAR(vt.targets(), 95, 1e-9);
  EXPECT_EQ(vt.done_on_time(), 2);
  EXPECT_EQ(vt.indicators(), 1);

  // (0.4×0 + 0.3×50 + 0.3×86) / 1 = 15 + 25.8 = 40.8
  const v1::RankedUnit& b = ranking.units(1);
  ExpectRanked(b, {.unit = kXaB,
                   .rank = 2,
                   .score = 40.8,
                   .occurrences_due = 3,
                   .reports_expected = 2,
                   .reports_on_time = 1});
  ASSERT_TRUE(b.has_completion());
  EXPECT_EQ(b.completion(), 0);
  EXPECT_NEAR(b.reporting(), 50, 1e-9);
  EXPECT_NEAR(b.targets(), 86, 1e-9);
  EXPECT_EQ(b.done_on_time(), 0);

  // (0 + 0 + 0.3×91) / 1 = 27.3
  ExpectRanked(ranking.units(2), {.unit = kXaA,
                                  .rank = 3,
                                  .score = 27.3,
                                  .occurrences_due = 2,
                                  .reports_expected = 2,
                                  .reports_on_time = 0});
}

TEST_F(RollupViewTest, RankingWithOtherWeights) {
  v1::RankingWeights w;
  w.set_completion(1);
  w.set_reporting(1);
  w.set_targets(2);
  const v1::Ranking ranking = At(Now()).Ranking(kProvince, w);
  EXPECT_THAT(ranking.formula(), HasSubstr("2 × targets"));
  ASSERT_EQ(ranking.units_size(), 3);
  // vinh-thuy (100 + 100 + 2×95) / 4 = 97.5
  EXPECT_EQ(ranking.units(0).unit(), kVinhThuy);
  EXPECT_NEAR(ranking.units(0).score(), 97.5, 1e-9);
  // xa-b (0 + 50 + 2×86) / 4 = 55.5
  EXPECT_EQ(ranking.units(1).unit(), kXaB);
  EXPECT_NEAR(ranking.units(1).score(), 55.5, 1e-9);
  // xa-a (0 + 0 + 2×91) / 4 = 45.5
  EXPECT_EQ(ranking.units(2).unit(), kXaA);
  EXPECT_NEAR(ranking.units(2).score(), 45.5, 1e-9);
}

TEST_F(RollupViewTest, RankingLeavesOutWhatCannotBeJudgedAndSharesRanks) {
  // On 10/05 only the 30/04 milestones are due: vinh-thuy's done on time,
  // xa-a's done late, xa-b's blocked. No report is due or in and nothing
  // is measured, so the score is completion alone (0.4×c / 0.4 = c).
  const v1::Ranking ranking =
      At(Local(2026, 5, 10)).Ranking(kProvince, DefaultRankingWeights());
  ASSERT_EQ(ranking.units_size(), 3);
  EXPECT_EQ(ranking.units(0).unit(), kVinhThuy);
  EXPECT_EQ(ranking.units(0).rank(), 1);
  EXPECT_NEAR(ranking.units(0).score(), 100, 1e-9);
  EXPECT_EQ(ranking.units(0).occurrences_due(), 1);
  EXPECT_FALSE(ranking.units(0).has_reporting());
  EXPECT_FALSE(ranking.units(0).has_targets());
  EXPECT_EQ(ranking.units(0).indicators(), 0);
  // xa-a and xa-b both 0: they share rank 2 (1, 2, 2), by code.
  EXPECT_EQ(ranking.units(1).unit(), kXaA);
  EXPECT_EQ(ranking.units(1).rank(), 2);
  EXPECT_EQ(ranking.units(1).score(), 0);
  ASSERT_TRUE(ranking.units(1).has_completion());
  EXPECT_EQ(ranking.units(2).unit(), kXaB);
  EXPECT_EQ(ranking.units(2).rank(), 2);

  // Before anything is due, nothing is judged: everyone 0, rank 1.
  const v1::Ranking before =
      At(Local(2026, 4, 1)).Ranking(kProvince, DefaultRankingWeights());
  ASSERT_EQ(before.units_size(), 3);
  for (const v1::RankedUnit& u : before.units()) {
    EXPECT_EQ(u.rank(), 1) << u.unit();
    EXPECT_FALSE(u.has_completion()) << u.unit();
  }
}

TEST_F(RollupViewTest, OverdueByAgencyLongestFirst) {
  const std::vector<v1::AgencyOverdue> overdue =
      At(Now()).OverdueByAgency(kProvince);
  ASSERT_EQ(overdue.size(), 5u);
  auto items = [&](size_t i) {
    std::vector<std::string> out;
    for (const v1::OverdueItem& item : overdue[i].items()) {
      out.push_back(absl::StrCat(
          item.occurrence_id().empty() ? item.task_id() : item.occurrence_id(),
          " ", item.days_overdue()));
    }
    return out;
  };
  // Days overdue on 15/07: due 30/06 → 15, 11/07 → 4, 01/07 → 14, and
  // 30/04 → 31 (May) + 30 (June) + 15 = 76.
  EXPECT_EQ(overdue[0].agency(), "quangtri.congan");
  EXPECT_THAT(items(0), ElementsAre(Occ(kP1, "2026-06-30") + " 15"));
  EXPECT_EQ(overdue[1].agency(), "quangtri.vpubnd");
  EXPECT_THAT(items(1), ElementsAre(Occ(kP1, "2026-06-30") + " 15",
                                    Occ(kP2, "2026-06") + " 4"));
  EXPECT_EQ(overdue[2].agency(), "xaa.congan");
  EXPECT_THAT(items(2), ElementsAre(Occ(kA1, "2026-06-30") + " 15",
                                    Occ(kA2, "2026-06") + " 4"));
  EXPECT_EQ(overdue[3].agency(), "xab.congan");
  EXPECT_THAT(items(3), ElementsAre(Occ(kB1, "2026-04-30") + " 76",
                                    Occ(kB1, "2026-06-30") + " 15"));
  EXPECT_EQ(overdue[4].agency(), "xab.vpubnd");
  EXPECT_THAT(items(4), ElementsAre(std::string(kB3) + " 14"));
  const v1::OverdueItem& b3 = overdue[4].items(0);
  EXPECT_EQ(b3.unit(), kXaB);
  EXPECT_EQ(b3.section(), "III");
  EXPECT_EQ(b3.number(), "2");
  EXPECT_TRUE(MessageDifferencer::Equals(b3.due(), Date(2026, 7, 1)));
  EXPECT_THAT(b3.lead_agencies(), ElementsAre("xab.vpubnd"));
}

TEST(RollupViewOverdueTest, WorkWithoutALeadIsStillListed) {
  // A task whose lead the plan did not name, due 30/06, not done on 15/07.
  v1::Task task = BaseTask("vinh-thuy:KH-2026#IV.1", kVinhThuy, "IV",
                           "Nhiệm vụ khác", "1", "Rà soát dữ liệu", {});
  *task.mutable_due_date() = Date(2026, 6, 30);
  ExecutionHistory history;
  history.ApplyDefinition(task, Defined());
  const UnitTree units = Units();
  const std::vector<v1::AgencyOverdue> overdue =
      RollupView(history, units, Now()).OverdueByAgency(kProvince);
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].agency(), "");
  ASSERT_EQ(overdue[0].items_size(), 1);
  EXPECT_EQ(overdue[0].items(0).task_id(), "vinh-thuy:KH-2026#IV.1");
  EXPECT_EQ(overdue[0].items(0).days_overdue(), 15);  // 30/06 → 15/07
  EXPECT_THAT(overdue[0].items(0).lead_agencies(), IsEmpty());
}

TEST_F(RollupViewTest, OpenDifficulties) {
  const std::vector<v1::OpenDifficulty> open =
      At(Now()).OpenDifficulties(kProvince);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].task_id(), kB1);
  EXPECT_EQ(open[0].unit(), kXaB);
  EXPECT_EQ(open[0].title(), kB1Title);
  EXPECT_EQ(open[0].occurrence_id(), Occ(kB1, "2026-04-30"));
  EXPECT_EQ(open[0].occurrence_label(), "30/04/2026");
  EXPECT_EQ(open[0].difficulty(), kDifficulty);
  EXPECT_EQ(open[0].raised_by(), "xab.congan");
  EXPECT_TRUE(
      MessageDifferencer::Equals(open[0].raised_on(), Date(2026, 4, 20)));
  // 20/04 → 15/07: 10 + 31 + 30 + 15 = 86 days.
  EXPECT_EQ(open[0].days_open(), 86);
  // Before it was raised there was none.
  EXPECT_THAT(At(Local(2026, 4, 20, 9)).OpenDifficulties(kProvince), IsEmpty());
  EXPECT_THAT(At(Now()).OpenDifficulties(kVinhThuy), IsEmpty());
}

TEST_F(RollupViewTest, UnknownUnits) {
  const RollupView view = At(Now());
  EXPECT_TRUE(view.Knows(kXaA));
  EXPECT_TRUE(view.Knows("dong-thap"));
  EXPECT_FALSE(view.Knows("nowhere"));
  const v1::Rollup r = view.Rollup("nowhere");
  EXPECT_EQ(r.unit_name(), "nowhere");
  ExpectCounts(r.subtree_totals(), {}, "nowhere");
}

// The history applied up to `at` only: what a live view saw then.
class AsOfTest : public ::testing::TestWithParam<absl::Time> {};

TEST_P(AsOfTest, AnEarlierInstantGivesWhatTheLiveViewGaveThen) {
  const absl::Time at = GetParam();
  const UnitTree units = Units();
  ExecutionHistory full;
  ApplyTo(full, Now());
  ExecutionHistory then;
  ApplyTo(then, at);
  const RollupView past(full, units, at);
  const RollupView live(then, units, at);
  for (const std::string unit :
       {"vn", "quang-tri", "vinh-thuy", "xa-a", "xa-b", "dong-thap"}) {
    SCOPED_TRACE(unit);
    EXPECT_TRUE(
        MessageDifferencer::Equals(past.Rollup(unit), live.Rollup(unit)));
    const v1::KpiReport kpis = past.Kpis(unit);
    EXPECT_TRUE(MessageDifferencer::Equals(kpis, live.Kpis(unit)))
        << kpis.DebugString() << "\nlive:\n"
        << live.Kpis(unit).DebugString();
    for (const std::string period : {"", "2026-05", "2026-06"}) {
      EXPECT_TRUE(MessageDifferencer::Equals(past.ReportingRates(unit, period),
                                             live.ReportingRates(unit, period)))
          << period;
    }
    EXPECT_TRUE(MessageDifferencer::Equals(
        past.Ranking(unit, DefaultRankingWeights()),
        live.Ranking(unit, DefaultRankingWeights())));
    const std::vector<v1::AgencyOverdue> overdue = past.OverdueByAgency(unit);
    const std::vector<v1::AgencyOverdue> live_overdue =
        live.OverdueByAgency(unit);
    ASSERT_EQ(overdue.size(), live_overdue.size());
    for (size_t i = 0; i < overdue.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(overdue[i], live_overdue[i]));
    }
    const std::vector<v1::OpenDifficulty> open = past.OpenDifficulties(unit);
    const std::vector<v1::OpenDifficulty> live_open =
        live.OpenDifficulties(unit);
    ASSERT_EQ(open.size(), live_open.size());
    for (size_t i = 0; i < open.size(); ++i) {
      EXPECT_TRUE(MessageDifferencer::Equals(open[i], live_open[i]));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    RollupView, AsOfTest,
    ::testing::Values(Local(2026, 1, 1), Local(2026, 4, 20, 10),
                      Local(2026, 5, 10), Local(2026, 6, 12, 12),
                      Local(2026, 6, 30, 23, 59, 59), Local(2026, 7, 3, 12),
                      Local(2026, 7, 8, 9), Local(2026, 7, 10, 10, 30)));

}  // namespace
}  // namespace tiendo::aggregation::scenario
