#ifndef TIENDO_SERVICES_PROGRESS_PROGRESS_RULES_H_
#define TIENDO_SERVICES_PROGRESS_PROGRESS_RULES_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {

// The state of a task nobody has reported on yet.
v1::TaskState InitialState(const v1::Task& task);

// Checks the fields of a request that need no stored state. InvalidArgument
// naming the field.
absl::Status ValidateRequest(const v1::ReportProgressRequest& request);

// Who may report: the lead and coordinating agencies of the task; only a
// lead may mark it done. PermissionDenied saying why, otherwise OK.
absl::Status CheckReporter(const v1::Task& task,
                           const v1::ReportProgressRequest& request);

// The task's state after an accepted report made at `now`.
absl::StatusOr<v1::TaskState> NextState(
    const v1::Task& task, const v1::TaskState& current,
    const v1::ReportProgressRequest& request, absl::Time now);

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_PROGRESS_RULES_H_
