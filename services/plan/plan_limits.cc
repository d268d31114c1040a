#include "services/plan/plan_limits.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/input_limits.h"

namespace tiendo::plan {
namespace {

// Each of a repeated text field, and how many there are.
absl::Status CheckList(
    const std::string& field,
    const google::protobuf::RepeatedPtrField<std::string>& values,
    int max_items, size_t max_bytes) {
  if (absl::Status s = CheckCount(field, values.size(), max_items); !s.ok()) {
    return s;
  }
  for (int i = 0; i < values.size(); ++i) {
    if (absl::Status s =
            CheckLength(absl::StrCat(field, "[", i, "]"), values[i], max_bytes);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
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
    if (absl::Status s = CheckList(absl::StrCat(prefix, name), *list,
                                   limits::kAgenciesPerTask, limits::kIdBytes);
        !s.ok()) {
      return s;
    }
  }
  return CheckList(absl::StrCat(prefix, "directing_documents"),
                   task.directing_documents(), limits::kAgenciesPerTask,
                   limits::kNoteBytes);
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
