#ifndef TIENDO_SERVICES_PLAN_TEXT_PLAN_TEXT_PARSER_H_
#define TIENDO_SERVICES_PLAN_TEXT_PLAN_TEXT_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/plan/text/agency_registry.h"
#include "services/plan/text/plan_document.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plantext {

struct ParseOptions {
  PlanFormat format = PlanFormat::kAuto;
  // The issuing unit's code; empty to find it in the plan's header.
  std::string unit;
  // The plan number, for a document that leaves it blank.
  std::string number;
  // The plan's year, for a document whose header names none.
  int year = 0;
};

// A plan read from text: the request that creates it, and what was read.
struct ParsedPlan {
  v1::CreatePlanRequest request;
  PlanFormat format = PlanFormat::kAuto;
};

// Reads a plan as users write it (the seven-column table, CSV/TSV, or the
// prose form) into a CreatePlanRequest: header (number, date, unit, the plan
// it implements), sections, tasks with agencies resolved to codes,
// schedules, targets and documents, and the reporting obligations of the
// plan's body as recurring report tasks. What is not understood is kept as
// written and listed in needs_review; nothing is guessed.
//
// Errors are InvalidArgument with "line N: ..." (the document is not a plan,
// the table's columns are wrong, a date cannot exist); then nothing is
// returned at all.
absl::StatusOr<ParsedPlan> ParsePlanText(absl::string_view text,
                                         const AgencyRegistry& registry,
                                         const ParseOptions& options);

// The JSON of `tiendoctl plan parse --json`: {"plan": {...}, "tasks":
// [...]}, field names as documented in README.md.
std::string ParsedPlanJson(const v1::CreatePlanRequest& request,
                           PlanFormat format);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_PLAN_TEXT_PARSER_H_
