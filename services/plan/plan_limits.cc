#include "services/plan/plan_limits.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/input_limits.h"

namespace tiendo::plan {
namespace {

// A check of one text item of a list against `max_bytes`.
auto TextOf(size_t max_bytes) {
  return [max_bytes](const std::string& value, const std::string& field) {
    return CheckLength(field, value, max_bytes);
  };
}

absl::Status CheckTask(const v1::TaskSpec& task, const std::string& field) {
  const std::string prefix = absl::StrCat(field, ".");
  if (absl::Status s =
          CheckLengths(prefix, {{"number", task.number()}}, limits::kIdBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckLengths(prefix,
                       {{"title", task.title()},
                        {"expected_result", task.expected_result()},
                        {"timeframe", task.timeframe()},
                        {"subsection_title", task.subsection_title()}},
                       limits::kNoteBytes);
      !s.ok()) {
    return s;
  }
  for (const auto& [name, list] :
       {std::pair{"lead_agencies", &task.lead_agencies()},
        std::pair{"coordinating_agencies", &task.coordinating_agencies()}}) {
    if (absl::Status s =
            CheckEach(absl::StrCat(prefix, name), *list,
                      limits::kAgenciesPerTask, TextOf(limits::kIdBytes));
        !s.ok()) {
      return s;
    }
  }
  return CheckEach(absl::StrCat(prefix, "directing_documents"),
                   task.directing_documents(), limits::kAgenciesPerTask,
                   TextOf(limits::kNoteBytes));
}

}  // namespace

absl::Status CheckPlanLimits(const v1::CreatePlanRequest& plan) {
  if (absl::Status s =
          CheckLengths("",
                       {{"unit", plan.unit()},
                        {"number", plan.number()},
                        {"implements", plan.implements()},
                        {"standing_agency", plan.standing_agency()}},
                       limits::kIdBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLengths(
          "", {{"title", plan.title()}, {"unit_name", plan.unit_name()}},
          limits::kNoteBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCount("sections", plan.sections_size(),
                                  limits::kSectionsPerPlan);
      !s.ok()) {
    return s;
  }
  int tasks = 0;
  for (const v1::SectionSpec& section : plan.sections()) {
    tasks += section.tasks_size();
  }
  if (absl::Status s =
          CheckCount("tasks (all sections)", tasks, limits::kTasksPerPlan);
      !s.ok()) {
    return s;
  }
  for (int i = 0; i < plan.sections_size(); ++i) {
    const v1::SectionSpec& section = plan.sections(i);
    const std::string field = absl::StrCat("sections[", i, "]");
    if (absl::Status s =
            CheckLengths(absl::StrCat(field, "."), {{"title", section.title()}},
                         limits::kNoteBytes);
        !s.ok()) {
      return s;
    }
    for (int j = 0; j < section.tasks_size(); ++j) {
      if (absl::Status s = CheckTask(section.tasks(j),
                                     absl::StrCat(field, ".tasks[", j, "]"));
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace tiendo::plan
