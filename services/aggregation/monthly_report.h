#ifndef TIENDO_SERVICES_AGGREGATION_MONTHLY_REPORT_H_
#define TIENDO_SERVICES_AGGREGATION_MONTHLY_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/aggregation/rollup_view.h"
#include "tiendo/v1/aggregation.pb.h"

namespace tiendo::aggregation {

// The monthly consolidated report the standing body submits (the
// provincial police before the 18th): headline numbers, the KPI table
// against targets, the units that reported late or not at all, overdue
// tasks by lead agency, the difficulties not resolved.

// "2026-06"; InvalidArgument naming the field otherwise.
absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text);

// The end of the month as an instant (the last second of its last local
// day), or `now` for a month not over yet: what tasks and indicators are
// reported as of.
absl::Time MonthDataTime(absl::CivilMonth month, absl::Time now);

// The report of `unit` for `month`: `at_month_end` is a view at
// MonthDataTime, `now` a view at the time of writing (the month's periodic
// reports are due the month after, so they are judged now).
v1::MonthlyReport BuildMonthlyReport(const RollupView& at_month_end,
                                     const RollupView& now,
                                     const std::string& unit,
                                     absl::CivilMonth month);

// The report for people (Markdown, HTML, with Vietnamese headings), for
// spreadsheets (CSV, one row per item) or for systems (JSON). Returns the
// text and sets `content_type`.
std::string RenderMonthlyReport(const v1::MonthlyReport& report,
                                v1::ReportFormat format,
                                std::string* content_type);

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_MONTHLY_REPORT_H_
