#include "services/progress/read_scope.h"

#include "absl/strings/str_cat.h"
#include "services/common/access.h"

namespace tiendo::progress {
namespace {

bool ReadsEverything(const Credential& caller) {
  return caller.service || caller.Has(v1::ROLE_ADMIN);
}

bool NamesAgencyOf(const v1::Task& task, const Credential& caller) {
  for (const std::string& agency : task.lead_agencies()) {
    if (caller.ActsFor(agency)) return true;
  }
  for (const std::string& agency : task.coordinating_agencies()) {
    if (caller.ActsFor(agency)) return true;
  }
  return false;
}

}  // namespace

absl::Status ReadScope::Unit(const Credential& caller,
                             const std::string& unit) const {
  if (ReadsEverything(caller)) return absl::OkStatus();
  if (unit.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "unit: required: ", caller.Describe(), " reads only its unit (",
        caller.account.unit(), ") and the units below"));
  }
  return RequireWithin(
      caller, unit,
      [this](const std::string& code) { return units_.ParentOf(code); },
      "unit");
}

absl::Status ReadScope::Task(const Credential& caller,
                             const std::string& task_id) const {
  if (ReadsEverything(caller)) return absl::OkStatus();
  absl::StatusOr<std::optional<v1::Task>> task = store_.FindTask(task_id);
  if (!task.ok()) return task.status();
  if (!task->has_value()) return absl::OkStatus();
  if (NamesAgencyOf(**task, caller)) return absl::OkStatus();
  return RequireWithin(
      caller, (*task)->unit(),
      [this](const std::string& code) { return units_.ParentOf(code); },
      "task_id");
}

}  // namespace tiendo::progress
