#ifndef TIENDO_SERVICES_AGGREGATION_KPI_STANDING_H_
#define TIENDO_SERVICES_AGGREGATION_KPI_STANDING_H_

// How the indicators and the periodic reports of a monthly report stand:
// the rules the report states in words, kept apart from how it is written
// out.

#include "tiendo/v1/aggregation.pb.h"

namespace tiendo::aggregation {

// The stage now running: the first whose due date has not passed, else the
// last. nullptr for an indicator without stages.
const v1::KpiStage* RunningStage(const v1::IndicatorKpi& kpi);

// How many indicators with stages there are (judged) and how many of them
// are met. An indicator is met when its running stage is: a later stage
// missed is not made up for by an earlier one reached.
struct IndicatorsMet {
  int met = 0;
  int judged = 0;
};
IndicatorsMet CountIndicatorsMet(const v1::KpiReport& kpis);

// One stage of an indicator against its measured value.
enum class StageVerdict {
  kNotJudged,  // no unit has measured the indicator yet
  kMet,        // the target is reached
  kMissed,     // the due date passed without reaching it
  kBehind,     // not reached yet, the due date still ahead
};
StageVerdict VerdictOf(const v1::KpiValue& value, const v1::KpiStage& stage);

// The reporting rate of the report's own month; nullptr when no periodic
// report of the month is due yet.
const v1::ReportingRate* RateOfMonth(const v1::MonthlyReport& report);

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_KPI_STANDING_H_
