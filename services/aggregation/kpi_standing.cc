#include "services/aggregation/kpi_standing.h"

namespace tiendo::aggregation {

const v1::KpiStage* RunningStage(const v1::IndicatorKpi& kpi) {
  if (kpi.stages().empty()) return nullptr;
  for (const v1::KpiStage& stage : kpi.stages()) {
    if (!stage.due_passed()) return &stage;
  }
  return &kpi.stages(kpi.stages_size() - 1);
}

IndicatorsMet CountIndicatorsMet(const v1::KpiReport& kpis) {
  IndicatorsMet count;
  for (const v1::IndicatorKpi& kpi : kpis.indicators()) {
    const v1::KpiStage* running = RunningStage(kpi);
    if (running == nullptr) continue;
    ++count.judged;
    if (running->met()) ++count.met;
  }
  return count;
}

StageVerdict VerdictOf(const v1::KpiValue& value, const v1::KpiStage& stage) {
  if (value.units_measured() == 0) return StageVerdict::kNotJudged;
  if (stage.met()) return StageVerdict::kMet;
  return stage.due_passed() ? StageVerdict::kMissed : StageVerdict::kBehind;
}

const v1::ReportingRate* RateOfMonth(const v1::MonthlyReport& report) {
  const v1::ReportingRate* rate = nullptr;
  // The last entry for the month, as the periods are listed in order.
  for (const v1::ReportingRate& r : report.reporting().by_period()) {
    if (r.period() == report.month()) rate = &r;
  }
  return rate;
}

}  // namespace tiendo::aggregation
