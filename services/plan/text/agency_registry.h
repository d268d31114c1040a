#ifndef TIENDO_SERVICES_PLAN_TEXT_AGENCY_REGISTRY_H_
#define TIENDO_SERVICES_PLAN_TEXT_AGENCY_REGISTRY_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::plantext {

// An agency (cơ quan, đơn vị) of a unit, with a stable code.
struct RegistryAgency {
  std::string code;  // "vinhthuy.congan"
  std::string name;  // "Công an xã"
  // Other ways plans write it ("Công an cấp xã").
  std::vector<std::string> aliases;
  // Free-form kind used by groups: "police", "committee", "office",
  // "department", "center", "mass_org", "bank", "insurance", "military",
  // "ministry", "working_group", ...
  std::string kind;
  // The unit it belongs to; filled on load.
  std::string unit;
};

// A phrase that stands for several agencies ("Các sở, ban, ngành tỉnh",
// "UBND cấp xã"). Members are the union of: `members` (codes),
// agencies of the same unit whose kind is in `member_kinds`, and agencies of
// every child unit whose kind is in `child_unit_kinds` (the committee of
// every commune of a province).
struct RegistryGroup {
  std::string code;
  std::string name;
  std::vector<std::string> aliases;
  std::vector<std::string> members;
  std::vector<std::string> member_kinds;
  std::vector<std::string> child_unit_kinds;
};

// A unit of government: the country, a province, a commune.
struct RegistryUnit {
  std::string code;                  // "vinh-thuy"
  std::string name;                  // "Vĩnh Thủy"
  std::vector<std::string> aliases;  // "Vĩnh Thụy"
  std::string level;                 // "country", "province", "commune"
  std::string parent;                // "quang-tri"; empty for the country
  // Code of the standing body (Công an xã / Công an tỉnh).
  std::string standing_agency;
  std::vector<RegistryAgency> agencies;
  std::vector<RegistryGroup> groups;
};

// What an agency list as written in a plan cell resolves to.
struct AgencyResolution {
  // Agency codes in the order written, groups expanded, no duplicates.
  std::vector<std::string> codes;
  // Names the registry does not know, as written (trimmed, NFC).
  std::vector<std::string> unknown;
  // Codes of the groups that were expanded.
  std::vector<std::string> groups;
};

// Units, their agencies and group phrases. Name matching uses MatchKey
// (fold.h): case, spacing, punctuation, NFC/NFD and tone placement do not
// matter. A name is looked up in the unit, then in its ancestors, so a
// commune plan can name "Công an tỉnh".
class AgencyRegistry {
 public:
  AgencyRegistry();
  ~AgencyRegistry();
  AgencyRegistry(AgencyRegistry&&) noexcept;
  AgencyRegistry& operator=(AgencyRegistry&&) noexcept;
  AgencyRegistry(const AgencyRegistry&);
  AgencyRegistry& operator=(const AgencyRegistry&);

  // {"units": [{"code", "name", "aliases", "level", "parent",
  //   "standing_agency", "agencies": [{"code", "name", "aliases", "kind"}],
  //   "groups": [{"code", "name", "aliases", "members", "member_kinds",
  //   "child_unit_kinds"}]}]}. Errors are InvalidArgument naming the entry
  // ("units[2].agencies[0].code: duplicate code 'x'"). Units may come in any
  // order; a parent must exist.
  static absl::StatusOr<AgencyRegistry> FromJson(absl::string_view json);
  // The same format; FromJson(ToJson()) gives an equal registry.
  std::string ToJson() const;

  const RegistryUnit* Unit(absl::string_view code) const;
  std::vector<const RegistryUnit*> Units() const;
  std::vector<const RegistryUnit*> Children(absl::string_view unit_code) const;
  // The unit whose name or an alias appears in `text` (a plan's header),
  // preferring a commune over a province and a longer name over a shorter.
  const RegistryUnit* FindUnitIn(absl::string_view text) const;

  const RegistryAgency* Agency(absl::string_view code) const;
  // The agency or group the whole `name` stands for, in the unit or its
  // ancestors; nullptr when none.
  const RegistryAgency* FindAgency(absl::string_view unit_code,
                                   absl::string_view name) const;

  // Splits an agency list as written ("Công an xã, Phòng Văn hóa - Xã hội
  // xã", "Sở Khoa học và Công nghệ, Sở Tài chính và các cơ quan, đơn vị có
  // liên quan", "Sở Y tế (đối tượng Bảo trợ xã hội), Sở Nội vụ (...)") and
  // resolves each part. Separators are ",", ";", " và " and line breaks, but
  // a known name that contains them ("Các sở, ban, ngành tỉnh", "Sở Khoa học
  // và Công nghệ") is matched whole, longest first. Parenthesised remarks
  // are ignored for matching.
  AgencyResolution Resolve(absl::string_view unit_code,
                           absl::string_view phrase) const;

  // Additions. AlreadyExists for a taken code, NotFound for a missing unit
  // or agency, InvalidArgument for an empty code or name.
  absl::Status AddUnit(RegistryUnit unit);
  absl::Status AddAgency(absl::string_view unit_code, RegistryAgency agency);
  // Adds an alias to an agency or a group, by code.
  absl::Status AddAlias(absl::string_view code, absl::string_view alias);

 private:
  struct Index;
  void Reindex();

  std::vector<RegistryUnit> units_;
  std::unique_ptr<Index> index_;
};

// The registry shipped with tiendo (services/plan/data/registry.json,
// compiled in): the units and agencies of the seeds' plans.
const std::string& DefaultRegistryJson();

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_AGENCY_REGISTRY_H_
