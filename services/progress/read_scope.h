#ifndef TIENDO_SERVICES_PROGRESS_READ_SCOPE_H_
#define TIENDO_SERVICES_PROGRESS_READ_SCOPE_H_

#include <string>

#include "absl/status/status.h"
#include "services/common/credential.h"
#include "services/progress/progress_store.h"
#include "services/progress/unit_parents.h"

namespace tiendo::progress {

// What a caller may read of the progress service: the states and
// measurements of its unit and the units below, and a task's state and
// reports when the task is of such a unit or names one of the caller's
// agencies (lead or coordinating). Admins and the services read all.
// Refusals are PERMISSION_DENIED naming the field.
class ReadScope {
 public:
  ReadScope(ProgressStore& store, UnitParents& units)
      : store_(store), units_(units) {}

  // For a query of `unit` ("" asks for every unit).
  absl::Status Unit(const Credential& caller, const std::string& unit) const;
  // For a task's state or reports; an unknown task passes (the call then
  // answers NOT_FOUND or nothing).
  absl::Status Task(const Credential& caller, const std::string& task_id) const;

 private:
  ProgressStore& store_;
  UnitParents& units_;
};

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_READ_SCOPE_H_
