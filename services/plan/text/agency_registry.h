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
// commune plan can name "Công an tỉnh"; another province's agencies and a
// unit's descendants are never searched by name (a province reaches its
// communes only through groups such as "UBND cấp xã").
//
// Within one unit a name key stands for one agency or group (checked on
// load and on every addition); the same key in a unit and an ancestor is
// allowed, and the unit's own wins.
//
// Pointers returned by the lookups stay valid until the registry changes
// (an Add* call or an assignment).
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
  // order; a parent must exist. Codes are lower-case ASCII ("vinh-thuy",
  // "vinhthuy.congan"); agency and group codes share one namespace. The
  // standing agency is an agency of its unit; group members are agency
  // codes. Unknown keys are errors. Names are stored in NFC.
  static absl::StatusOr<AgencyRegistry> FromJson(absl::string_view json);
  // The same format; FromJson(ToJson()) gives an equal registry.
  std::string ToJson() const;

  const RegistryUnit* Unit(absl::string_view code) const;
  std::vector<const RegistryUnit*> Units() const;
  std::vector<const RegistryUnit*> Children(absl::string_view unit_code) const;
  // The unit whose name or an alias appears in `text` (a plan's header) as
  // whole MatchKey words, preferring a deeper unit (a commune over its
  // province over the country), then a longer name, then the earlier
  // occurrence; nullptr when none. Give it the header, not the whole plan:
  // a body may mention other places ("phường Mỹ Phong" in an address).
  const RegistryUnit* FindUnitIn(absl::string_view text) const;

  // The agency with this code. A group's code gives a stand-in with the
  // group's code, name and aliases and kind "group" (a kind agencies may not
  // use).
  const RegistryAgency* Agency(absl::string_view code) const;
  // The agency or group (as its stand-in, see Agency) the whole `name`
  // stands for, in the unit or its ancestors; nullptr when none.
  // Parenthesised remarks are ignored and a trailing level word is allowed
  // as in Resolve.
  const RegistryAgency* FindAgency(absl::string_view unit_code,
                                   absl::string_view name) const;

  // Splits an agency list as written ("Công an xã, Phòng Văn hóa - Xã hội
  // xã", "Sở Khoa học và Công nghệ, Sở Tài chính và các cơ quan, đơn vị có
  // liên quan", "Sở Y tế (đối tượng Bảo trợ xã hội), Sở Nội vụ (...)") and
  // resolves each part. Separators are ",", ";", " và " and line breaks, but
  // a known name that contains them ("Các sở, ban, ngành tỉnh", "Sở Khoa học
  // và Công nghệ") is matched whole, longest first. Parenthesised remarks
  // are ignored for matching.
  //
  // How:
  //  1. The phrase is cut into MatchKey words (NFC, folded, punctuation and
  //     spaces separate words). Words inside balanced parentheses are
  //     dropped; an unbalanced parenthesis is plain punctuation. Each word
  //     notes whether a list separator (",", ";", a line break, a dropped
  //     remark) or only white space came before it.
  //  2. From left to right, the longest known name (name or alias of an
  //     agency or group) of the unit or any ancestor that starts at the
  //     current word is taken, over word boundaries and punctuation alike,
  //     so "các sở, ban, ngành tỉnh có liên quan" is one group and "Ngân
  //     hàng Nhà nước Việt Nam chi nhánh khu vực 13" is the branch, not the
  //     national bank. On equal length the nearer unit wins. A level word
  //     of the owner's level directly after it ("xã", "phường" for a
  //     commune, "tỉnh" for a province), separated only by white space, is
  //     taken with it: "Phòng Kinh tế xã", "Sở Y tế tỉnh".
  //  3. Words no name starts at pile up until the next name; they are cut
  //     into unknown names at list separators and at a " và " followed by
  //     what starts an agency's name ("Sở", "Bộ", "Phòng", "UBND", "Công
  //     an", ...). Joining words ("và", "cùng", "với", "hoặc") at either end
  //     of an unknown name are dropped, and a piece made only of them ("và"
  //     between two known names) is no name at all. Each unknown name is
  //     kept as written (NFC), once.
  //  4. An agency adds its code; a group adds its code to `groups` and its
  //     members to `codes`. A group that has no members (say "UBND cấp xã"
  //     of a province with no commune registered) adds its own code to
  //     `codes` instead, so that a task never silently loses an assignee.
  //     Codes appear in the order written, each once.
  // Linear in the length of the phrase times the longest name (in words);
  // any bytes are accepted (invalid UTF-8 becomes U+FFFD). An unknown unit
  // knows no names: everything comes back unknown.
  AgencyResolution Resolve(absl::string_view unit_code,
                           absl::string_view phrase) const;

  // Additions, checked like FromJson; a failed addition changes nothing.
  // AlreadyExists for a taken code (or a name that already stands for
  // another agency or group of the unit), NotFound for a missing unit,
  // parent, member or agency, InvalidArgument for an empty or malformed
  // code or name. An added agency's `unit` is set to its unit. Groups
  // defined by kind take in added agencies and communes at once.
  absl::Status AddUnit(RegistryUnit unit);
  absl::Status AddAgency(absl::string_view unit_code, RegistryAgency agency);
  // Adds an alias to an agency or a group, by code. Adding an alias it
  // already has is a no-op.
  absl::Status AddAlias(absl::string_view code, absl::string_view alias);

 private:
  // Lookup tables built from units_: codes, per-unit name tries, group
  // members, unit names. Rebuilt whole after every change.
  struct Index;
  void Reindex();

  std::vector<RegistryUnit> units_;
  std::unique_ptr<Index> index_;
};

// The registry shipped with tiendo (services/plan/data/registry.json,
// compiled in by services/plan/text/CMakeLists.txt): the units and agencies
// of the seeds' plans.
const std::string& DefaultRegistryJson();

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_AGENCY_REGISTRY_H_
