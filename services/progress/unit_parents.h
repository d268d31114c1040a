#ifndef TIENDO_SERVICES_PROGRESS_UNIT_PARENTS_H_
#define TIENDO_SERVICES_PROGRESS_UNIT_PARENTS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::progress {

// Which unit is above which, as the plan service's registry has it: learnt
// from the unit path of every PlanChanged (and from the registry on a
// resync), for the scope of queries (a caller reads its unit and below).
class UnitParents {
 public:
  explicit UnitParents(Database& db) : db_(db) {}

  // Inside a transaction: remembers each unit's parent.
  absl::Status Upsert(
      const google::protobuf::RepeatedPtrField<v1::UnitRef>& units);
  // The parent's code; "" at the top or for a unit not known.
  std::string ParentOf(const std::string& code);
  // Whether no unit is known (a database of an earlier version).
  absl::StatusOr<bool> Empty();

 private:
  Database& db_;
};

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_UNIT_PARENTS_H_
