#ifndef TIENDO_SERVICES_PROGRESS_TARGET_PROJECTION_H_
#define TIENDO_SERVICES_PROGRESS_TARGET_PROJECTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo::progress {

// Early warning on targets: the measurements of an indicator, projected
// forward by their trend, against each stage of the target (for example 90%
// by 31/03/2026, then 100% by 30/06/2026).

// One measured value: numerator / denominator as a percent, on a date.
struct TrendPoint {
  absl::CivilDay as_of;
  double percent = 0;
};

// How many of the latest distinct dates the trend is fitted through: enough
// to smooth one odd count, few enough to follow a change of pace.
inline constexpr int kTrendPoints = 6;

// A straight line through dated values, in percent per day.
struct Trend {
  absl::CivilDay origin;
  double intercept = 0;  // the value at origin
  double slope = 0;      // change per day
  double At(absl::CivilDay day) const;
};

// The least-squares line through the last kTrendPoints distinct dates of
// `points` (in any order; of several values for one date, the last given
// counts). Nullopt with fewer than two distinct dates.
std::optional<Trend> FitTrend(const std::vector<TrendPoint>& points);

// One stage of a target seen from the latest measurement.
struct StageOutlook {
  v1::Target target;
  absl::CivilDay due;
  // The trend's value at `due`, kept within 0..100.
  double projected_percent = 0;
  // target percent - projected percent; positive when short.
  double gap = 0;
  bool at_risk = false;
};

// An indicator of a task seen from its measurements.
struct TargetOutlook {
  std::string indicator_code;
  // The latest measured date and value.
  absl::CivilDay as_of;
  double current_percent = 0;
  // The stages due on `today` or later, earliest first. A stage due today
  // still counts: a deadline ends at the end of its day.
  std::vector<StageOutlook> stages;
};

// Projects the measurements of the indicator `indicator_code` (a target's
// IndicatorKey) of `task` to each of its stages still ahead on `today`. A
// stage is at risk when the projection falls below its percent. Nullopt
// with fewer than two distinct dates, or when no stage lies ahead.
std::optional<TargetOutlook> ProjectTarget(
    const v1::Task& task, absl::string_view indicator_code,
    const std::vector<TrendPoint>& points, absl::CivilDay today);

// What changed against the stages flagged at risk before (by due date).
struct RiskChanges {
  // Stages at risk now that were not: each is warned about once.
  std::vector<StageOutlook> newly_at_risk;
  // Flagged stages no longer at risk: the flag is cleared, so a later
  // decline warns again.
  std::vector<absl::CivilDay> recovered;
};
RiskChanges CompareRisks(const TargetOutlook& outlook,
                         const absl::btree_set<absl::CivilDay>& flagged);

// "<task>|<code>|<due>|<as_of>", dates as YYYY-MM-DD.
std::string WarningKey(absl::string_view task_id,
                       absl::string_view indicator_code, absl::CivilDay due,
                       absl::CivilDay as_of);

// The warning for a stage at risk: to the lead agencies and the standing
// body of the task's unit.
v1::TargetAtRisk MakeTargetAtRisk(const v1::Task& task,
                                  const TargetOutlook& outlook,
                                  const StageOutlook& stage);

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_TARGET_PROJECTION_H_
