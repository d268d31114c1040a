#ifndef TIENDO_SERVICES_PROGRESS_REPORT_LIMITS_H_
#define TIENDO_SERVICES_PROGRESS_REPORT_LIMITS_H_

#include <string>

#include "absl/status/status.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {

// The size limits (services/common/input_limits.h) on a progress report:
// ids, the note, the difficulty and reopen reason, each evidence item and
// measurement, and how many of them. INVALID_ARGUMENT naming the first
// field past its limit.
absl::Status CheckReportLimits(const v1::ReportProgressRequest& request);

// The same for one item of a measurement batch; `field` is "items[3]".
absl::Status CheckMeasurementItemLimits(const v1::MeasurementItem& item,
                                        const std::string& field);

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_REPORT_LIMITS_H_
