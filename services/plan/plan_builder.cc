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
  if (request.standing_agency().empty()) {
    return Invalid("standing_agency", "required (the unit's police)");
  }
  if (!agencies.contains(request.standing_agency())) {
    return Invalid("standing_agency",
                   absl::StrCat("unknown agency '", request.standing_agency(),
                                "' (not listed in agencies)"));
  }
  if (request.sections_size() == 0) {
    return Invalid("sections", "a plan needs at least one section");
  }
  if (absl::Status s = CheckLeadDays(request.reminder_policy().work_lead_days(),
                                     "reminder_policy.work_lead_days");
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckLeadDays(request.reminder_policy().report_lead_days(),
                        "reminder_policy.report_lead_days");
      !s.ok()) {
    return s;
  }
  // Negative is allowed: it says "never escalate".
  if (request.reminder_policy().escalation_days() > 366) {
    return Invalid("reminder_policy.escalation_days",
                   absl::StrCat(request.reminder_policy().escalation_days(),
                                " is more than 366 days"));
  }

  PlanDraft draft;
  v1::Plan& plan = draft.plan;
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
      if (!IsLabel(spec.number())) {
        return Invalid(tfield + ".number", "required, e.g. \"1\"");
      }
      if (!numbers.insert(spec.number()).second) {
        return Invalid(tfield + ".number",
                       absl::StrCat("duplicate number '", spec.number(),
                                    "' in section ", section.code()));
      }
      if (spec.title().empty()) return Invalid(tfield + ".title", "required");
      // An imported task whose lead the registry did not know is kept,
      // flagged for review, rather than refused or guessed.
      if (spec.lead_agencies_size() == 0 && !NeedsReview(spec, "lead")) {
        return Invalid(tfield + ".lead_agencies", "at least one is required");
      }
      if (absl::Status st = CheckAgencies(spec.lead_agencies(), agencies,
                                          tfield + ".lead_agencies");
          !st.ok()) {
        return st;
      }
      if (absl::Status st =
              CheckAgencies(spec.coordinating_agencies(), agencies,
                            tfield + ".coordinating_agencies");
          !st.ok()) {
        return st;
      }
      if (IsSet(spec.due_date())) {
        if (auto day = FromProto(spec.due_date(), tfield + ".due_date");
            !day.ok()) {
          return day.status();
        }
      }
      v1::Task& task = draft.tasks.emplace_back();
      task.set_id(TaskId(plan.id(), section.code(), spec.number()));
      task.set_plan_id(plan.id());
      task.set_unit(request.unit());
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
      task.set_standing_agency(request.standing_agency());
      task.set_version(1);
      if (spec.has_schedule()) *task.mutable_schedule() = spec.schedule();
      *task.mutable_targets() = spec.targets();
      *task.mutable_documents() = spec.documents();
      *task.mutable_needs_review() = spec.needs_review();
      *task.mutable_implements() = spec.implements();
      task.set_implements_confirmed(spec.implements_confirmed());
      task.set_kind(spec.kind() == v1::TASK_KIND_UNSPECIFIED
                        ? v1::TASK_KIND_WORK
                        : spec.kind());
      task.set_subsection_title(spec.subsection_title());
      *task.mutable_unknown_agencies() = spec.unknown_agencies();
      AssignIndicatorCodes(task);
      for (v1::Occurrence& o : ExpandOccurrences(task, start)) {
        *task.add_occurrences() = std::move(o);
      }
    }
  }
  if (draft.tasks.empty()) return Invalid("sections", "the plan has no tasks");
  plan.set_task_count(static_cast<int32_t>(draft.tasks.size()));
  return draft;
}

}  // namespace tiendo::plan
