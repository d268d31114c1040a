#ifndef TIENDO_SERVICES_PLAN_PLAN_BUILDER_H_
#define TIENDO_SERVICES_PLAN_PLAN_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {

// A validated plan and its tasks, ready to store.
struct PlanDraft {
  v1::Plan plan;
  std::vector<v1::Task> tasks;
};

// "vinh-thuy" + "1199/KH-UBND" -> "vinh-thuy:1199-KH-UBND".
std::string PlanId(const std::string& unit, const std::string& number);
// The id a request's plan gets: from its number, or "<unit>:KH-<year>" when
// the document leaves the number blank.
std::string PlanId(const v1::CreatePlanRequest& request);
// "<plan id>#<section>.<number>".
std::string TaskId(const std::string& plan_id, const std::string& section,
                   const std::string& number);

// Validates a CreatePlanRequest and turns it into a plan with task ids.
// Every task gets its occurrences (ExpandOccurrences, from the plan's
// issued date or year) and its targets their indicator codes. Errors are
// InvalidArgument and name the offending field, e.g.
// "sections[2].tasks[0].lead_agencies[0]: unknown agency 'x'".
absl::StatusOr<PlanDraft> BuildPlan(const v1::CreatePlanRequest& request);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_BUILDER_H_
