#ifndef TIENDO_SERVICES_AGGREGATION_UNIT_TREE_H_
#define TIENDO_SERVICES_AGGREGATION_UNIT_TREE_H_

#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::aggregation {

// The administrative units roll-ups follow: commune → province → country.
//
// Loaded as data: the agency registry's units (code, name, level, parent;
// other keys are ignored), so the aggregator knows the same units the plan
// service does. A unit an event names that the data does not is kept as a
// unit of its own, directly under nothing, so its tasks are still counted.
class UnitTree {
 public:
  struct Unit {
    std::string code;
    std::string name;
    std::string level;
    std::string parent;
    std::vector<std::string> children;  // sorted
  };

  // {"units": [{"code", "name", "level", "parent", ...}, ...]}; a parent
  // must be listed. Errors name the entry ("units[3].parent: unknown unit
  // 'x'").
  static absl::StatusOr<UnitTree> FromJson(absl::string_view json);

  // The agency registry shipped with the plan service, compiled in.
  static const UnitTree& Default();

  const Unit* Find(absl::string_view code) const;
  // Adds a unit with no parent if the code is unknown.
  void AddIfMissing(const std::string& code);
  // What an event says of a unit (from the plan service's registry): added,
  // or its name, level and parent brought up to date. A parent not known
  // yet is added as a unit of its own until it is learnt.
  void Learn(const std::string& code, const std::string& name,
             const std::string& level, const std::string& parent);
  // The unit and every unit below it, the unit first.
  std::vector<std::string> Subtree(const std::string& code) const;
  // Whether `code` is `ancestor` or lies below it.
  bool IsWithin(absl::string_view code, absl::string_view ancestor) const;
  // The units in code order.
  std::vector<const Unit*> Units() const;

 private:
  absl::btree_map<std::string, Unit> units_;
};

// services/plan/data/registry.json as shipped (compiled in).
const std::string& DefaultRegistryJson();

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_UNIT_TREE_H_
