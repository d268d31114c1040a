#ifndef TIENDO_SERVICES_PLAN_PLAN_IMPORT_H_
#define TIENDO_SERVICES_PLAN_PLAN_IMPORT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "services/plan/plan_store.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {

// Plan import, the agency registry and cascading: reads text with the
// stored registry, builds plans and links, and stores them through
// PlanStore. No network; the gRPC handlers only call it.
class PlanImporter {
 public:
  // Whether the caller may change the plans of `unit`: PERMISSION_DENIED
  // naming it otherwise. Empty: every unit (tools and tests).
  using UnitScope = std::function<absl::Status(const std::string& unit)>;

  explicit PlanImporter(PlanStore& store) : store_(store) {}

  // Parses, validates and (unless dry_run) creates the plan. When the plan
  // it implements is stored, each task gets the best proposed link,
  // unconfirmed and flagged for review. A plan of a unit outside `scope`
  // is refused, in a dry run too.
  absl::StatusOr<v1::ImportPlanResponse> Import(
      const v1::ImportPlanRequest& request, const UnitScope& scope = {});

  absl::StatusOr<v1::ProposeTaskLinksResponse> ProposeLinks(
      const v1::ProposeTaskLinksRequest& request);
  absl::StatusOr<v1::Task> SetLinks(const v1::SetTaskLinksRequest& request);
  // Every unit cascaded to must be within `scope`.
  absl::StatusOr<v1::CascadePlanResponse> Cascade(
      const v1::CascadePlanRequest& request, const UnitScope& scope = {});

  absl::StatusOr<v1::ListUnitsResponse> ListUnits(
      const v1::ListUnitsRequest& request);
  absl::StatusOr<v1::RegistryUnit> AddUnit(const v1::AddUnitRequest& request);
  absl::StatusOr<v1::RegistryAgency> AddAgency(
      const v1::AddAgencyRequest& request);
  absl::StatusOr<v1::RegistryAgency> AddAlias(
      const v1::AddAgencyAliasRequest& request);

 private:
  // The stored plan that `number` names (its number, or its id when it has
  // none) and whose unit is an ancestor of `unit`; NotFound if none.
  absl::StatusOr<v1::Plan> FindImplementedPlan(const std::string& unit,
                                               const std::string& number);

  PlanStore& store_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_IMPORT_H_
