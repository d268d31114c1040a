#ifndef TIENDO_SERVICES_PLAN_CASCADE_H_
#define TIENDO_SERVICES_PLAN_CASCADE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/plan/text/agency_registry.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {

// How alike two tasks are, 0..1: the Dice coefficient of their title and
// result words and word pairs (accents, case and punctuation ignored), with
// a 0.15 bonus when they sit in sections with the same code.
double TaskSimilarity(const v1::Task& lower, const v1::Task& higher);

// For every task of a plan, the tasks of the plan it implements that it
// most likely carries out: up to `limit` candidates scoring at least
// `min_score`, best first. Report tasks are matched only to report tasks.
std::vector<v1::TaskLinkProposal> ProposeLinks(
    const std::vector<v1::Task>& tasks, const std::vector<v1::Task>& higher,
    int limit = 3, double min_score = 0.2);

// A starting plan for one commune from its province's plan: every task
// that names the commune (through "UBND cấp xã" or by code), led in the
// commune by its People's Committee (flagged for review, so the commune
// assigns its own office), linked to the provincial task, with the
// provincial schedule, targets and documents.
absl::StatusOr<v1::CreatePlanRequest> CascadeToCommune(
    const v1::Plan& plan, const std::vector<v1::Task>& tasks,
    const plantext::AgencyRegistry& registry, const std::string& commune);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_CASCADE_H_
