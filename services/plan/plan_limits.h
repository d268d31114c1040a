#ifndef TIENDO_SERVICES_PLAN_PLAN_LIMITS_H_
#define TIENDO_SERVICES_PLAN_PLAN_LIMITS_H_

#include "absl/status/status.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {

// The size limits (services/common/input_limits.h) on a plan, checked
// before anything of it is stored: its ids and texts, the number of its
// sections and tasks, and of the agencies a task names. INVALID_ARGUMENT
// naming the first field past its limit, as
// "sections[2].tasks[7].title: 5000 bytes, more than the 4000 allowed".
absl::Status CheckPlanLimits(const v1::CreatePlanRequest& plan);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_LIMITS_H_
