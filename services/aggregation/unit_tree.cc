#include "services/aggregation/unit_tree.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"

namespace tiendo::aggregation {

absl::StatusOr<UnitTree> UnitTree::FromJson(absl::string_view json) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json.begin(), json.end());
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("units: ", e.what()));
  }
  if (!root.is_object() || !root.contains("units") ||
      !root["units"].is_array()) {
    return absl::InvalidArgumentError("units: expected {\"units\": [...]}");
  }
  UnitTree tree;
  const nlohmann::json& units = root["units"];
  // Codes in the order of the entries, so that errors found after reading
  // them all still name the entry ("units[3]").
  std::vector<std::string> order;
  for (size_t i = 0; i < units.size(); ++i) {
    const std::string where = absl::StrCat("units[", i, "]");
    const nlohmann::json& u = units[i];
    auto text = [&](const char* key) -> std::string {
      return u.is_object() && u.contains(key) && u[key].is_string()
                 ? u[key].get<std::string>()
                 : std::string();
    };
    Unit unit{.code = text("code"),
              .name = text("name"),
              .level = text("level"),
              .parent = text("parent"),
              .children = {}};
    if (unit.code.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ".code: required"));
    }
    if (tree.units_.contains(unit.code)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ".code: duplicate code '", unit.code, "'"));
    }
    order.push_back(unit.code);
    tree.units_.emplace(unit.code, std::move(unit));
  }
  for (size_t i = 0; i < order.size(); ++i) {
    Unit& unit = tree.units_.at(order[i]);
    if (unit.parent.empty()) continue;
    auto parent = tree.units_.find(unit.parent);
    if (parent == tree.units_.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "units[", i, "].parent: unknown unit '", unit.parent, "'"));
    }
    parent->second.children.push_back(unit.code);
  }
  // A unit above itself would make Subtree() endless and every roll-up
  // count its tasks again at each turn.
  for (size_t i = 0; i < order.size(); ++i) {
    std::string current = tree.units_.at(order[i]).parent;
    for (size_t steps = 0; !current.empty() && steps < order.size(); ++steps) {
      if (current == order[i]) {
        return absl::InvalidArgumentError(
            absl::StrCat("units[", i, "].parent: unit '", order[i],
                         "' would be below itself"));
      }
      current = tree.units_.at(current).parent;
    }
  }
  for (auto& [code, unit] : tree.units_) {
    std::sort(unit.children.begin(), unit.children.end());
  }
  return tree;
}

const UnitTree& UnitTree::Default() {
  static const UnitTree* const kDefault = [] {
    absl::StatusOr<UnitTree> tree = FromJson(DefaultRegistryJson());
    if (!tree.ok()) {
      // The unit tests load the shipped registry; this cannot happen in a
      // tested build.
      LogError("compiled-in units do not load: %s", tree.status().ToString());
      return new UnitTree();
    }
    return new UnitTree(*std::move(tree));
  }();
  return *kDefault;
}

const UnitTree::Unit* UnitTree::Find(absl::string_view code) const {
  auto it = units_.find(code);
  return it == units_.end() ? nullptr : &it->second;
}

void UnitTree::AddIfMissing(const std::string& code) {
  if (code.empty() || units_.contains(code)) return;
  units_.emplace(code, Unit{.code = code,
                            .name = code,
                            .level = "",
                            .parent = "",
                            .children = {}});
}

void UnitTree::Learn(const std::string& code, const std::string& name,
                     const std::string& level, const std::string& parent) {
  if (code.empty() || parent == code) return;
  AddIfMissing(code);
  if (!parent.empty()) AddIfMissing(parent);
  Unit& unit = units_.at(code);
  if (!name.empty()) unit.name = name;
  if (!level.empty()) unit.level = level;
  if (unit.parent == parent) return;
  // Moving a unit under one of its own descendants would make a cycle.
  if (!parent.empty() && IsWithin(parent, code)) return;
  if (!unit.parent.empty()) {
    std::vector<std::string>& siblings = units_.at(unit.parent).children;
    siblings.erase(std::remove(siblings.begin(), siblings.end(), code),
                   siblings.end());
  }
  unit.parent = parent;
  if (!parent.empty()) {
    std::vector<std::string>& children = units_.at(parent).children;
    children.insert(std::upper_bound(children.begin(), children.end(), code),
                    code);
  }
}

std::vector<std::string> UnitTree::Subtree(const std::string& code) const {
  std::vector<std::string> out;
  if (Find(code) == nullptr) return out;
  out.push_back(code);
  for (size_t i = 0; i < out.size(); ++i) {
    const Unit* unit = Find(out[i]);
    for (const std::string& child : unit->children) out.push_back(child);
  }
  return out;
}

bool UnitTree::IsWithin(absl::string_view code,
                        absl::string_view ancestor) const {
  // Units are at most a few levels deep; the bound guards a cycle in
  // hand-edited data.
  std::string current(code);
  for (int depth = 0; depth < 16 && !current.empty(); ++depth) {
    if (current == ancestor) return true;
    const Unit* unit = Find(current);
    if (unit == nullptr) return false;
    current = unit->parent;
  }
  return false;
}

std::vector<const UnitTree::Unit*> UnitTree::Units() const {
  std::vector<const Unit*> out;
  out.reserve(units_.size());
  for (const auto& [code, unit] : units_) out.push_back(&unit);
  return out;
}

}  // namespace tiendo::aggregation
