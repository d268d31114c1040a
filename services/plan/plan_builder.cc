#include "services/plan/plan_builder.h"

#include <optional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "services/common/proto_convert.h"
#include "services/plan/occurrences.h"
#include "services/plan/plan_limits.h"

namespace tiendo::plan {
namespace {

absl::Status Invalid(const std::string& field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

bool IsCode(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
      return false;
    }
  }
  return true;
}

// Section codes and task numbers as plans write them: "II", "2.b", "3.1",
// "đ". They become part of task ids, so no spaces, '#' or '/'.
bool IsLabel(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (absl::ascii_isspace(c) || c == '#' || c == '/') return false;
  }
  return true;
}

bool NeedsReview(const v1::TaskSpec& spec, absl::string_view field) {
  for (const std::string& f : spec.needs_review()) {
    if (f == field) return true;
  }
  return false;
}

absl::Status CheckAgencies(
    const google::protobuf::RepeatedPtrField<std::string>& codes,
    const absl::flat_hash_set<std::string>& known, const std::string& field) {
  for (int i = 0; i < codes.size(); ++i) {
    if (!known.contains(codes[i])) {
      return Invalid(absl::StrFormat("%s[%d]", field, i),
                     absl::StrCat("unknown agency '", codes[i],
                                  "' (not listed in agencies)"));
    }
  }
  return absl::OkStatus();
}

// Lead times are days before a deadline: a year at most, 0 meaning none.
absl::Status CheckLeadDays(const google::protobuf::RepeatedField<int32_t>& days,
                           const std::string& field) {
  for (int i = 0; i < days.size(); ++i) {
    if (days[i] < 0 || days[i] > 366) {
      return Invalid(
          absl::StrFormat("%s[%d]", field, i),
          absl::StrCat(days[i], " is not a number of days from 0 to 366"));
    }
  }
  return absl::OkStatus();
}

// The agency codes of the plan; an error for a code that is missing,
// malformed or listed twice.
absl::StatusOr<absl::flat_hash_set<std::string>> CollectAgencies(
    const v1::CreatePlanRequest& request) {
  absl::flat_hash_set<std::string> agencies;
  for (int i = 0; i < request.agencies_size(); ++i) {
    const v1::Agency& agency = request.agencies(i);
    const std::string field = absl::StrFormat("agencies[%d].code", i);
    if (!IsCode(agency.code())) {
      return Invalid(field, "required; letters, digits, '-', '_' or '.' only");
    }
    if (!agencies.insert(agency.code()).second) {
      return Invalid(field,
                     absl::StrCat("duplicate code '", agency.code(), "'"));
    }
  }
  return agencies;
}

// The unit, the number or year, and the issue date.
absl::Status CheckIdentity(const v1::CreatePlanRequest& request) {
  if (!IsCode(request.unit())) {
    return Invalid("unit", "required; letters, digits, '-', '_' or '.' only");
  }
  if (request.number().empty() && request.year() == 0) {
    return Invalid("number",
                   "required (or the plan's year when the document "
                   "leaves the number blank)");
  }
  if (IsSet(request.issued())) {
    if (auto day = FromProto(request.issued(), "issued"); !day.ok()) {
      return day.status();
    }
  }
  return absl::OkStatus();
}

absl::Status CheckStandingAgency(
    const v1::CreatePlanRequest& request,
    const absl::flat_hash_set<std::string>& agencies) {
  if (request.standing_agency().empty()) {
    return Invalid("standing_agency", "required (the unit's police)");
  }
  if (!agencies.contains(request.standing_agency())) {
    return Invalid("standing_agency",
                   absl::StrCat("unknown agency '", request.standing_agency(),
                                "' (not listed in agencies)"));
  }
  return absl::OkStatus();
}

absl::Status CheckReminderPolicy(const v1::ReminderPolicy& policy) {
  if (absl::Status s = CheckLeadDays(policy.work_lead_days(),
                                     "reminder_policy.work_lead_days");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLeadDays(policy.report_lead_days(),
                                     "reminder_policy.report_lead_days");
      !s.ok()) {
    return s;
  }
  // Negative is allowed: it says "never escalate".
  if (policy.escalation_days() > 366) {
    return Invalid(
        "reminder_policy.escalation_days",
        absl::StrCat(policy.escalation_days(), " is more than 366 days"));
  }
  return absl::OkStatus();
}

// Everything about the plan but its sections; returns its agency codes.
absl::StatusOr<absl::flat_hash_set<std::string>> CheckPlanHeader(
    const v1::CreatePlanRequest& request) {
  if (absl::Status s = CheckIdentity(request); !s.ok()) return s;
  absl::StatusOr<absl::flat_hash_set<std::string>> agencies =
      CollectAgencies(request);
  if (!agencies.ok()) return agencies.status();
  if (absl::Status s = CheckStandingAgency(request, *agencies); !s.ok()) {
    return s;
  }
  if (request.sections_size() == 0) {
    return Invalid("sections", "a plan needs at least one section");
  }
  if (absl::Status s = CheckReminderPolicy(request.reminder_policy());
      !s.ok()) {
    return s;
  }
  return agencies;
}

v1::Plan PlanOf(const v1::CreatePlanRequest& request) {
  v1::Plan plan;
  plan.set_id(PlanId(request));
  plan.set_unit(request.unit());
  plan.set_unit_name(request.unit_name());
  plan.set_number(request.number());
  *plan.mutable_issued() = request.issued();
  plan.set_title(request.title());
  plan.set_implements(request.implements());
  plan.set_standing_agency(request.standing_agency());
  *plan.mutable_agencies() = request.agencies();
  *plan.mutable_implements_document() = request.implements_document();
  if (!request.has_implements_document()) plan.clear_implements_document();
  plan.set_year(request.year());
  *plan.mutable_needs_review() = request.needs_review();
  if (request.has_reminder_policy()) {
    *plan.mutable_reminder_policy() = request.reminder_policy();
  }
  return plan;
}

// One task of a section: its number unique in the section, a title, known
// agencies, a valid due date. `numbers` collects the section's numbers.
absl::Status CheckTaskSpec(const v1::TaskSpec& spec, const std::string& field,
                           const v1::SectionSpec& section,
                           const absl::flat_hash_set<std::string>& agencies,
                           absl::flat_hash_set<std::string>& numbers) {
  if (!IsLabel(spec.number())) {
    return Invalid(field + ".number", "required, e.g. \"1\"");
  }
  if (!numbers.insert(spec.number()).second) {
    return Invalid(field + ".number",
                   absl::StrCat("duplicate number '", spec.number(),
                                "' in section ", section.code()));
  }
  if (spec.title().empty()) return Invalid(field + ".title", "required");
  // An imported task whose lead the registry did not know is kept, flagged
  // for review, rather than refused or guessed.
  if (spec.lead_agencies_size() == 0 && !NeedsReview(spec, "lead")) {
    return Invalid(field + ".lead_agencies", "at least one is required");
  }
  if (absl::Status st = CheckAgencies(spec.lead_agencies(), agencies,
                                      field + ".lead_agencies");
      !st.ok()) {
    return st;
  }
  if (absl::Status st = CheckAgencies(spec.coordinating_agencies(), agencies,
                                      field + ".coordinating_agencies");
      !st.ok()) {
    return st;
  }
  if (IsSet(spec.due_date())) {
    if (auto day = FromProto(spec.due_date(), field + ".due_date"); !day.ok()) {
      return day.status();
    }
  }
  return absl::OkStatus();
}

// The task a checked spec describes, at version 1 with its occurrences
// from the plan's start.
v1::Task TaskOf(const v1::Plan& plan, const v1::SectionSpec& section,
                const v1::TaskSpec& spec,
                const std::optional<absl::CivilDay>& start) {
  v1::Task task;
  task.set_id(TaskId(plan.id(), section.code(), spec.number()));
  task.set_plan_id(plan.id());
  task.set_unit(plan.unit());
  task.set_section(section.code());
  task.set_section_title(section.title());
  task.set_number(spec.number());
  task.set_title(spec.title());
  *task.mutable_lead_agencies() = spec.lead_agencies();
  *task.mutable_coordinating_agencies() = spec.coordinating_agencies();
  *task.mutable_directing_documents() = spec.directing_documents();
  task.set_expected_result(spec.expected_result());
  if (IsSet(spec.due_date())) *task.mutable_due_date() = spec.due_date();
  task.set_timeframe(spec.timeframe());
  task.set_standing_agency(plan.standing_agency());
  task.set_version(1);
  if (spec.has_schedule()) *task.mutable_schedule() = spec.schedule();
  *task.mutable_targets() = spec.targets();
  *task.mutable_documents() = spec.documents();
  *task.mutable_needs_review() = spec.needs_review();
  *task.mutable_implements() = spec.implements();
  task.set_implements_confirmed(spec.implements_confirmed());
  task.set_kind(spec.kind() == v1::TASK_KIND_UNSPECIFIED ? v1::TASK_KIND_WORK
                                                         : spec.kind());
  task.set_subsection_title(spec.subsection_title());
  *task.mutable_unknown_agencies() = spec.unknown_agencies();
  AssignIndicatorCodes(task);
  for (v1::Occurrence& o : ExpandOccurrences(task, start)) {
    *task.add_occurrences() = std::move(o);
  }
  return task;
}

// Checks the sections and their tasks in order and adds the tasks to the
// draft; the first fault found is the answer.
absl::Status AddSections(const v1::CreatePlanRequest& request,
                         const absl::flat_hash_set<std::string>& agencies,
                         PlanDraft& draft) {
  const std::optional<absl::CivilDay> start =
      PlanStart(request.issued(), request.year());
  absl::flat_hash_set<std::string> sections;
  for (int s = 0; s < request.sections_size(); ++s) {
    const v1::SectionSpec& section = request.sections(s);
    const std::string sfield = absl::StrFormat("sections[%d]", s);
    if (!IsLabel(section.code())) {
      return Invalid(sfield + ".code", "required, e.g. \"I\"");
    }
    if (!sections.insert(section.code()).second) {
      return Invalid(sfield + ".code",
                     absl::StrCat("duplicate section '", section.code(), "'"));
    }
    absl::flat_hash_set<std::string> numbers;
    for (int t = 0; t < section.tasks_size(); ++t) {
      const v1::TaskSpec& spec = section.tasks(t);
      const std::string tfield = absl::StrFormat("%s.tasks[%d]", sfield, t);
      if (absl::Status st =
              CheckTaskSpec(spec, tfield, section, agencies, numbers);
          !st.ok()) {
        return st;
      }
      draft.tasks.push_back(TaskOf(draft.plan, section, spec, start));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string PlanId(const std::string& unit, const std::string& number) {
  return absl::StrCat(unit, ":", absl::StrReplaceAll(number, {{"/", "-"}}));
}

std::string PlanId(const v1::CreatePlanRequest& request) {
  if (!request.number().empty()) {
    return PlanId(request.unit(), request.number());
  }
  // A plan whose document leaves the number blank is known by its year.
  return absl::StrCat(request.unit(), ":KH-", request.year());
}

std::string TaskId(const std::string& plan_id, const std::string& section,
                   const std::string& number) {
  return absl::StrCat(plan_id, "#", section, ".", number);
}

absl::StatusOr<PlanDraft> BuildPlan(const v1::CreatePlanRequest& request) {
  if (absl::Status s = CheckPlanLimits(request); !s.ok()) return s;
  absl::StatusOr<absl::flat_hash_set<std::string>> agencies =
      CheckPlanHeader(request);
  if (!agencies.ok()) return agencies.status();
  PlanDraft draft;
  draft.plan = PlanOf(request);
  if (absl::Status s = AddSections(request, *agencies, draft); !s.ok()) {
    return s;
  }
  if (draft.tasks.empty()) return Invalid("sections", "the plan has no tasks");
  draft.plan.set_task_count(static_cast<int32_t>(draft.tasks.size()));
  return draft;
}

}  // namespace tiendo::plan
