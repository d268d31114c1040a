#include "services/plan/plan_import.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/enum_words.h"
#include "services/common/input_limits.h"
#include "services/common/paging.h"
#include "services/plan/cascade.h"
#include "services/plan/plan_builder.h"
#include "services/plan/text/plan_text_parser.h"

namespace tiendo::plan {
namespace {

using plantext::AgencyRegistry;
using plantext::RegistryAgency;
using plantext::RegistryGroup;
using plantext::RegistryUnit;

v1::RegistryAgency AgencyProto(const RegistryAgency& agency) {
  v1::RegistryAgency out;
  out.set_code(agency.code);
  out.set_name(agency.name);
  out.set_unit(agency.unit);
  out.set_kind(agency.kind);
  for (const std::string& alias : agency.aliases) out.add_aliases(alias);
  return out;
}

v1::RegistryUnit UnitProto(const AgencyRegistry& registry,
                           const RegistryUnit& unit) {
  v1::RegistryUnit out;
  out.set_code(unit.code);
  out.set_name(unit.name);
  out.set_level(EnumFromWord<v1::UnitLevel>(unit.level)
                    .value_or(v1::UNIT_LEVEL_UNSPECIFIED));
  out.set_parent(unit.parent);
  out.set_standing_agency(unit.standing_agency);
  for (const std::string& alias : unit.aliases) out.add_aliases(alias);
  for (const RegistryAgency& agency : unit.agencies) {
    *out.add_agencies() = AgencyProto(agency);
  }
  for (const RegistryGroup& group : unit.groups) {
    v1::RegistryAgency* proto = out.add_agencies();
    proto->set_code(group.code);
    proto->set_name(group.name);
    proto->set_unit(unit.code);
    proto->set_group(true);
    for (const std::string& alias : group.aliases) proto->add_aliases(alias);
    for (const std::string& member :
         registry.Resolve(unit.code, group.name).codes) {
      proto->add_members(member);
    }
  }
  return out;
}

bool IsAncestor(const AgencyRegistry& registry, const std::string& ancestor,
                const std::string& unit) {
  const RegistryUnit* current = registry.Unit(unit);
  for (int depth = 0; current != nullptr && depth < 16; ++depth) {
    if (current->parent == ancestor) return true;
    current = registry.Unit(current->parent);
  }
  return false;
}

}  // namespace

absl::StatusOr<v1::Plan> PlanImporter::FindImplementedPlan(
    const std::string& unit, const std::string& number) {
  if (number.empty()) return absl::NotFoundError("no plan number");
  absl::StatusOr<AgencyRegistry> registry = store_.LoadRegistry();
  if (!registry.ok()) return registry.status();
  absl::StatusOr<std::vector<v1::Plan>> plans = store_.ListPlans("");
  if (!plans.ok()) return plans.status();
  for (v1::Plan& plan : *plans) {
    // A plan without a number is named by its id.
    const bool named = plan.number() == number || plan.id() == number;
    if (named && IsAncestor(*registry, plan.unit(), unit)) {
      return std::move(plan);
    }
  }
  return absl::NotFoundError(
      absl::StrCat("no stored plan ", number, " of a unit above ", unit));
}

absl::StatusOr<v1::ImportPlanResponse> PlanImporter::Import(
    const v1::ImportPlanRequest& request, const UnitScope& scope) {
  if (request.text().empty()) {
    return absl::InvalidArgumentError("text: required (the plan document)");
  }
  if (absl::Status s =
          CheckLength("text", request.text(), limits::kPlanDocumentBytes);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<AgencyRegistry> registry = store_.LoadRegistry();
  if (!registry.ok()) return registry.status();
  plantext::ParseOptions options;
  options.format = plantext::PlanFormatFromProto(request.format());
  options.unit = request.unit();
  options.number = request.number();
  options.year = request.year();
  absl::StatusOr<plantext::ParsedPlan> parsed =
      plantext::ParsePlanText(request.text(), *registry, options);
  if (!parsed.ok()) return parsed.status();
  if (request.has_reminder_policy()) {
    *parsed->request.mutable_reminder_policy() = request.reminder_policy();
  }
  absl::StatusOr<PlanDraft> draft = BuildPlan(parsed->request);
  if (!draft.ok()) return draft.status();

  // Tasks of a plan implementing a stored plan get the best proposal,
  // unconfirmed, for a person to confirm or change.
  absl::StatusOr<v1::Plan> implemented =
      FindImplementedPlan(draft->plan.unit(), draft->plan.implements());
  if (implemented.ok()) {
    absl::StatusOr<std::vector<v1::Task>> higher =
        store_.ListTasks(implemented->id(), "");
    if (!higher.ok()) return higher.status();
    const std::vector<v1::TaskLinkProposal> proposals =
        plan::ProposeLinks(draft->tasks, *higher, 1);
    for (size_t i = 0; i < draft->tasks.size(); ++i) {
      v1::Task& task = draft->tasks[i];
      if (proposals[i].candidates().empty()) continue;
      task.add_implements(proposals[i].candidates(0).task_id());
      task.set_implements_confirmed(false);
      task.add_needs_review("implements");
    }
  }

  // A dry run answers what the import would do, refusal included.
  if (scope) {
    if (absl::Status s = scope(draft->plan.unit()); !s.ok()) return s;
  }
  v1::ImportPlanResponse response;
  response.set_dry_run(request.dry_run());
  response.set_format(plantext::PlanFormatToProto(parsed->format));
  if (!request.dry_run()) {
    if (absl::Status s = store_.CreatePlan(*draft); !s.ok()) return s;
    absl::StatusOr<v1::Plan> stored = store_.GetPlan(draft->plan.id());
    if (!stored.ok()) return stored.status();
    *response.mutable_plan() = *std::move(stored);
  } else {
    *response.mutable_plan() = draft->plan;
  }
  for (v1::Task& task : draft->tasks) *response.add_tasks() = std::move(task);
  return response;
}

absl::StatusOr<v1::ProposeTaskLinksResponse> PlanImporter::ProposeLinks(
    const v1::ProposeTaskLinksRequest& request) {
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.plan_id());
  if (!plan.ok()) return plan.status();
  absl::StatusOr<v1::Plan> implemented =
      request.implemented_plan_id().empty()
          ? FindImplementedPlan(plan->unit(), plan->implements())
          : store_.GetPlan(request.implemented_plan_id());
  if (!implemented.ok()) {
    return absl::NotFoundError(
        absl::StrCat("implemented_plan_id: ", implemented.status().message()));
  }
  absl::StatusOr<std::vector<v1::Task>> tasks =
      store_.ListTasks(plan->id(), "");
  if (!tasks.ok()) return tasks.status();
  absl::StatusOr<std::vector<v1::Task>> higher =
      store_.ListTasks(implemented->id(), "");
  if (!higher.ok()) return higher.status();
  v1::ProposeTaskLinksResponse response;
  response.set_implemented_plan_id(implemented->id());
  for (v1::TaskLinkProposal& proposal : plan::ProposeLinks(*tasks, *higher)) {
    *response.add_proposals() = std::move(proposal);
  }
  return response;
}

absl::StatusOr<v1::Task> PlanImporter::SetLinks(
    const v1::SetTaskLinksRequest& request) {
  std::vector<std::string> links(request.implements().begin(),
                                 request.implements().end());
  return store_.SetTaskLinks(request.task_id(), links, /*confirmed=*/true);
}

absl::StatusOr<v1::CascadePlanResponse> PlanImporter::Cascade(
    const v1::CascadePlanRequest& request, const UnitScope& scope) {
  absl::StatusOr<v1::Plan> plan = store_.GetPlan(request.plan_id());
  if (!plan.ok()) return plan.status();
  absl::StatusOr<AgencyRegistry> registry = store_.LoadRegistry();
  if (!registry.ok()) return registry.status();
  absl::StatusOr<std::vector<v1::Task>> tasks =
      store_.ListTasks(plan->id(), "");
  if (!tasks.ok()) return tasks.status();
  std::vector<std::string> units(request.units().begin(),
                                 request.units().end());
  if (units.empty()) {
    for (const RegistryUnit* child : registry->Children(plan->unit())) {
      if (child->level == "commune") units.push_back(child->code);
    }
  }
  if (units.empty()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "units: the registry has no commune under %s; add them first",
        plan->unit()));
  }
  // Build every plan first, so that a bad unit changes nothing.
  std::vector<PlanDraft> drafts;
  for (const std::string& unit : units) {
    if (scope) {
      if (absl::Status s = scope(unit); !s.ok()) return s;
    }
    absl::StatusOr<v1::CreatePlanRequest> cascaded =
        CascadeToCommune(*plan, *tasks, *registry, unit);
    if (!cascaded.ok()) return cascaded.status();
    absl::StatusOr<PlanDraft> draft = BuildPlan(*cascaded);
    if (!draft.ok()) return draft.status();
    drafts.push_back(*std::move(draft));
  }
  v1::CascadePlanResponse response;
  for (const PlanDraft& draft : drafts) {
    if (!request.dry_run()) {
      absl::Status created = store_.CreatePlan(draft);
      if (absl::IsAlreadyExists(created)) {
        response.add_skipped_units(draft.plan.unit());
        continue;
      }
      if (!created.ok()) return created;
    }
    v1::Plan out = draft.plan;
    if (!request.dry_run()) {
      absl::StatusOr<v1::Plan> stored = store_.GetPlan(draft.plan.id());
      if (stored.ok()) out = *std::move(stored);
    }
    *response.add_plans() = std::move(out);
  }
  return response;
}

absl::StatusOr<v1::ListUnitsResponse> PlanImporter::ListUnits(
    const v1::ListUnitsRequest& request) {
  absl::StatusOr<AgencyRegistry> registry = store_.LoadRegistry();
  if (!registry.ok()) return registry.status();
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request.page_size(), request.page_token());
  if (!page.ok()) return page.status();
  std::vector<v1::RegistryUnit> units;
  for (const RegistryUnit* unit : registry->Units()) {
    if (!request.unit().empty() && unit->code != request.unit()) continue;
    units.push_back(UnitProto(*registry, *unit));
  }
  if (!request.unit().empty() && units.empty()) {
    return absl::NotFoundError(
        absl::StrCat("unit: '", request.unit(), "' is not in the registry"));
  }
  // The registry's order is its tree, with no key to resume after: paged
  // by position (a short list that changes rarely).
  v1::ListUnitsResponse response;
  absl::StatusOr<std::vector<v1::RegistryUnit>> slice = SliceByPosition(
      std::move(units), *page, response.mutable_next_page_token());
  if (!slice.ok()) return slice.status();
  for (v1::RegistryUnit& unit : *slice) *response.add_units() = std::move(unit);
  return response;
}

absl::StatusOr<v1::RegistryUnit> PlanImporter::AddUnit(
    const v1::AddUnitRequest& request) {
  RegistryUnit unit;
  unit.code = request.code();
  unit.name = request.name();
  unit.level = EnumWord(request.level());
  unit.parent = request.parent();
  unit.aliases.assign(request.aliases().begin(), request.aliases().end());
  if (!request.standing_agency_code().empty()) {
    unit.standing_agency = request.standing_agency_code();
    RegistryAgency police;
    police.code = request.standing_agency_code();
    police.name = request.standing_agency_name().empty()
                      ? std::string("Công an xã")
                      : request.standing_agency_name();
    police.kind = "police";
    unit.agencies.push_back(std::move(police));
  }
  std::optional<v1::RegistryUnit> out;
  absl::Status status =
      store_.UpdateRegistry([&](AgencyRegistry& registry) -> absl::Status {
        if (absl::Status s = registry.AddUnit(unit); !s.ok()) return s;
        out = UnitProto(registry, *registry.Unit(unit.code));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return *std::move(out);
}

absl::StatusOr<v1::RegistryAgency> PlanImporter::AddAgency(
    const v1::AddAgencyRequest& request) {
  RegistryAgency agency;
  agency.code = request.code();
  agency.name = request.name();
  agency.kind = request.kind();
  agency.aliases.assign(request.aliases().begin(), request.aliases().end());
  std::optional<v1::RegistryAgency> out;
  absl::Status status =
      store_.UpdateRegistry([&](AgencyRegistry& registry) -> absl::Status {
        if (absl::Status s = registry.AddAgency(request.unit(), agency);
            !s.ok()) {
          return s;
        }
        out = AgencyProto(*registry.Agency(agency.code));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return *std::move(out);
}

absl::StatusOr<v1::RegistryAgency> PlanImporter::AddAlias(
    const v1::AddAgencyAliasRequest& request) {
  std::optional<v1::RegistryAgency> out;
  absl::Status status =
      store_.UpdateRegistry([&](AgencyRegistry& registry) -> absl::Status {
        if (absl::Status s = registry.AddAlias(request.code(), request.alias());
            !s.ok()) {
          return s;
        }
        const RegistryAgency* agency = registry.Agency(request.code());
        if (agency != nullptr) {
          out = AgencyProto(*agency);
        } else {
          v1::RegistryAgency group;
          group.set_code(request.code());
          group.set_group(true);
          out = group;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return *std::move(out);
}

}  // namespace tiendo::plan
