#include "services/progress/target_projection.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/proto_convert.h"
#include "services/progress/progress_rules.h"

namespace tiendo::progress {

double Trend::At(absl::CivilDay day) const {
  return intercept + slope * static_cast<double>(day - origin);
}

std::optional<Trend> FitTrend(const std::vector<TrendPoint>& points) {
  absl::btree_map<absl::CivilDay, double> by_day;
  for (const TrendPoint& p : points) by_day[p.as_of] = p.percent;
  if (by_day.size() < 2) return std::nullopt;
  while (by_day.size() > static_cast<size_t>(kTrendPoints)) {
    by_day.erase(by_day.begin());
  }
  Trend trend;
  trend.origin = by_day.begin()->first;
  // Days from the first point keep the sums small and exact.
  const double n = static_cast<double>(by_day.size());
  double sum_x = 0;
  double sum_y = 0;
  for (const auto& [day, value] : by_day) {
    sum_x += static_cast<double>(day - trend.origin);
    sum_y += value;
  }
  const double mean_x = sum_x / n;
  const double mean_y = sum_y / n;
  double sxx = 0;
  double sxy = 0;
  for (const auto& [day, value] : by_day) {
    const double dx = static_cast<double>(day - trend.origin) - mean_x;
    sxx += dx * dx;
    sxy += dx * (value - mean_y);
  }
  // Two distinct dates make sxx positive.
  trend.slope = sxy / sxx;
  trend.intercept = mean_y - trend.slope * mean_x;
  return trend;
}

std::optional<TargetOutlook> ProjectTarget(
    const v1::Task& task, absl::string_view indicator_code,
    const std::vector<TrendPoint>& points, absl::CivilDay today) {
  std::optional<Trend> trend = FitTrend(points);
  if (!trend) return std::nullopt;
  TargetOutlook outlook;
  outlook.indicator_code = std::string(indicator_code);
  // The latest date, and the last value given for it (measurements are
  // dated after 1970, the default).
  for (const TrendPoint& p : points) {
    if (p.as_of >= outlook.as_of) {
      outlook.as_of = p.as_of;
      outlook.current_percent = p.percent;
    }
  }
  for (const v1::Target& target : task.targets()) {
    if (IndicatorKey(target) != indicator_code || !IsSet(target.due())) {
      continue;
    }
    absl::StatusOr<absl::CivilDay> due = FromProto(target.due(), "due");
    if (!due.ok() || *due < today) continue;
    StageOutlook& stage = outlook.stages.emplace_back();
    stage.target = target;
    stage.due = *due;
    stage.projected_percent = std::clamp(trend->At(*due), 0.0, 100.0);
    stage.gap = target.percent() - stage.projected_percent;
    stage.at_risk = stage.projected_percent < target.percent();
  }
  if (outlook.stages.empty()) return std::nullopt;
  std::sort(outlook.stages.begin(), outlook.stages.end(),
            [](const StageOutlook& a, const StageOutlook& b) {
              return a.due < b.due;
            });
  return outlook;
}

RiskChanges CompareRisks(const TargetOutlook& outlook,
                         const absl::btree_set<absl::CivilDay>& flagged) {
  RiskChanges changes;
  for (const StageOutlook& stage : outlook.stages) {
    const bool was = flagged.contains(stage.due);
    if (stage.at_risk && !was) changes.newly_at_risk.push_back(stage);
    if (!stage.at_risk && was) changes.recovered.push_back(stage.due);
  }
  return changes;
}

std::string WarningKey(absl::string_view task_id,
                       absl::string_view indicator_code, absl::CivilDay due,
                       absl::CivilDay as_of) {
  return absl::StrCat(task_id, "|", indicator_code, "|", FormatDay(due), "|",
                      FormatDay(as_of));
}

v1::TargetAtRisk MakeTargetAtRisk(const v1::Task& task,
                                  const TargetOutlook& outlook,
                                  const StageOutlook& stage) {
  v1::TargetAtRisk warning;
  warning.set_task_id(task.id());
  warning.set_unit(task.unit());
  warning.set_indicator_code(outlook.indicator_code);
  warning.set_indicator(stage.target.indicator());
  warning.set_target_percent(stage.target.percent());
  *warning.mutable_due() = ToProto(stage.due);
  warning.set_current_percent(outlook.current_percent);
  warning.set_projected_percent(stage.projected_percent);
  warning.set_gap(stage.gap);
  *warning.mutable_as_of() = ToProto(outlook.as_of);
  for (const std::string& lead : task.lead_agencies()) {
    warning.add_recipients(lead);
  }
  if (!task.standing_agency().empty() &&
      std::find(task.lead_agencies().begin(), task.lead_agencies().end(),
                task.standing_agency()) == task.lead_agencies().end()) {
    warning.add_recipients(task.standing_agency());
  }
  *warning.mutable_lead_agencies() = task.lead_agencies();
  warning.set_standing_agency(task.standing_agency());
  warning.set_task_title(task.title());
  warning.set_warning_key(
      WarningKey(task.id(), outlook.indicator_code, stage.due, outlook.as_of));
  return warning;
}

}  // namespace tiendo::progress
