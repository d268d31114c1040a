#include "services/plan/text/agency_registry.h"

#include <algorithm>
#include <cstddef>
#include <deque>
#include <exception>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/text_scan.h"

namespace tiendo::plantext {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Groups are reported through the agency lookups as stand-ins of this kind.
constexpr absl::string_view kGroupKind = "group";

// ---------------------------------------------------------------------------
// Words.

// A word as MatchKey sees it (folded; ASCII punctuation and spaces separate
// words), with where it came from and what separates it from the word
// before it.
struct Word {
  std::string key;
  // Byte range in FoldedText::folded.
  size_t begin = 0;
  size_t end = 0;
  // Only white space (line breaks included) since the previous word.
  bool spaced = true;
  // A list separator since the previous word: ',', ';', a line break or a
  // parenthesised remark.
  bool list_break = false;
};

struct WordList {
  FoldedText text;
  std::vector<Word> words;
};

bool IsSeparator(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x80 && !absl::ascii_isalnum(u);
}

// Splits `text` into the words of its MatchKey: the same folding and the
// same separators, so the words joined by single spaces are MatchKey(text)
// (remarks aside). With `drop_remarks`, words
// inside balanced parentheses are remarks ("Sở Y tế (đối tượng Bảo trợ xã
// hội)") and left out; an unbalanced parenthesis is plain punctuation, so
// nothing after it disappears unseen. Linear in the size of the text.
WordList SplitWords(absl::string_view text, bool drop_remarks) {
  WordList out;
  out.text = Fold(text);
  const std::string& folded = out.text.folded;
  const size_t size = folded.size();

  // The running sum of remark_delta is positive inside a balanced pair; a
  // difference array keeps deeply nested input linear.
  std::vector<int> remark_delta(size + 1, 0);
  std::vector<size_t> open;
  for (size_t i = 0; drop_remarks && i < size; ++i) {
    if (folded[i] == '(') {
      open.push_back(i);
    } else if (folded[i] == ')' && !open.empty()) {
      ++remark_delta[open.back()];
      --remark_delta[i + 1];
      open.pop_back();
    }
  }

  bool spaced = true;
  bool list_break = false;
  int remark_depth = 0;
  size_t i = 0;
  while (i < size) {
    remark_depth += remark_delta[i];
    const char c = folded[i];
    if (remark_depth > 0) {
      spaced = false;
      list_break = true;
      ++i;
      continue;
    }
    if (IsSeparator(c)) {
      if (c == ',' || c == ';' || c == '\n' || c == '\r') list_break = true;
      if (!IsSpaceByte(c)) spaced = false;
      ++i;
      continue;
    }
    // Words never contain '(' or ')', so a word is wholly in or out of a
    // remark.
    size_t j = i + 1;
    while (j < size && !IsSeparator(folded[j])) {
      remark_depth += remark_delta[j];
      ++j;
    }
    out.words.push_back(
        Word{folded.substr(i, j - i), i, j, spaced, list_break});
    spaced = true;
    list_break = false;
    i = j;
  }
  return out;
}

std::vector<std::string> NameWords(absl::string_view name) {
  std::vector<std::string> keys;
  for (Word& word : SplitWords(name, /*drop_remarks=*/true).words) {
    keys.push_back(std::move(word.key));
  }
  return keys;
}

// ---------------------------------------------------------------------------
// A trie over words: finds every known name starting at a word in time
// bounded by the longest name, whatever the text.
class WordTrie {
 public:
  // Maps `words` to `value`, replacing an earlier value.
  void Insert(const std::vector<std::string>& words, int value) {
    size_t node = 0;
    for (const std::string& word : words) {
      auto it = nodes_[node].next.find(word);
      if (it == nodes_[node].next.end()) {
        nodes_.emplace_back();
        it = nodes_[node].next.emplace(word, nodes_.size() - 1).first;
      }
      node = it->second;
    }
    nodes_[node].value = value;
  }

  // The value at exactly `words`, or -1.
  int Find(const std::vector<std::string>& words) const {
    size_t node = 0;
    for (const std::string& word : words) {
      const auto it = nodes_[node].next.find(word);
      if (it == nodes_[node].next.end()) return -1;
      node = it->second;
    }
    return nodes_[node].value;
  }

  // Calls visit(length, value) for every name that starts at words[begin],
  // shortest first.
  template <typename Visit>
  void Walk(const std::vector<Word>& words, size_t begin, Visit visit) const {
    size_t node = 0;
    for (size_t i = begin; i < words.size(); ++i) {
      const auto it = nodes_[node].next.find(words[i].key);
      if (it == nodes_[node].next.end()) return;
      node = it->second;
      if (nodes_[node].value >= 0) visit(i + 1 - begin, nodes_[node].value);
    }
  }

 private:
  struct Node {
    absl::flat_hash_map<std::string, size_t> next;
    int value = -1;
  };
  std::vector<Node> nodes_ = std::vector<Node>(1);
};

// Words that may follow an agency name and only say which level it belongs
// to: "Phòng Kinh tế xã", "Sở Y tế tỉnh".
std::vector<std::vector<std::string>> LevelWords(absl::string_view level) {
  if (level == "commune") {
    return {{"xa"}, {"phuong"}, {"dac", "khu"}, {"thi", "tran"}};
  }
  if (level == "province") return {{"tinh"}, {"thanh", "pho"}};
  return {};
}

// Words that join two names of a list and are not names themselves.
bool IsConnector(absl::string_view key) {
  return key == "va" || key == "cung" || key == "voi" || key == "hoac";
}

// Whether words[at] starts what looks like the name of an agency, so that a
// " và " before it separates two unknown names ("Sở Du lịch và Sở Xây
// dựng") rather than belonging to one ("Sở Văn hóa, Thể thao và Du lịch").
bool StartsAgencyName(const std::vector<Word>& words, size_t at, size_t end) {
  static const auto* const kSingle = new absl::flat_hash_set<std::string>{
      "so",   "bo",     "phong", "cuc",  "vu",   "ban",   "ubnd", "hdnd",
      "cac",  "tram",   "hoi",   "vien", "doan", "to",    "uy",   "chi",
      "tong", "truong", "benh",  "nhnn", "bhxh", "ubmttq"};
  static const auto* const kPairs =
      new std::vector<std::pair<std::string, std::string>>{{"cong", "an"},
                                                           {"trung", "tam"},
                                                           {"van", "phong"},
                                                           {"ngan", "hang"},
                                                           {"bao", "hiem"}};
  if (at >= end) return false;
  if (kSingle->contains(words[at].key)) return true;
  if (at + 1 >= end) return false;
  for (const auto& [first, second] : *kPairs) {
    if (words[at].key == first && words[at + 1].key == second) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Validation, shared by FromJson and the additions.

bool IsValidCode(absl::string_view code) {
  if (code.empty()) return false;
  for (const char c : code) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '-' &&
        c != '.' && c != '_') {
      return false;
    }
  }
  return true;
}

absl::Status CheckCode(absl::string_view code, const std::string& path) {
  if (code.empty()) return absl::InvalidArgumentError(path + ": empty code");
  if (!IsValidCode(code)) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": invalid code '", code,
        "' (use lower-case ASCII letters, digits, '-', '.' and '_')"));
  }
  return absl::OkStatus();
}

absl::Status CheckName(absl::string_view name, const std::string& path) {
  if (name.empty()) return absl::InvalidArgumentError(path + ": empty name");
  if (NameWords(name).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": '", name, "' has no letters or digits"));
  }
  return absl::OkStatus();
}

// Every name of a unit's agencies and groups, by key, so that one key never
// stands for two of them.
class NameClaims {
 public:
  absl::Status Claim(absl::string_view name, const std::string& code,
                     const std::string& path) {
    std::string key;
    for (const std::string& word : NameWords(name)) {
      if (!key.empty()) key.push_back(' ');
      key += word;
    }
    const auto [it, inserted] = owner_.emplace(key, code);
    if (!inserted && it->second != code) {
      return absl::AlreadyExistsError(absl::StrCat(
          path, ": '", name, "' already names '", it->second, "'"));
    }
    return absl::OkStatus();
  }

 private:
  absl::flat_hash_map<std::string, std::string> owner_;
};

// Checks a whole set of units. Error codes follow the additions' contract
// (AlreadyExists for a taken code or name, NotFound for a missing
// reference, InvalidArgument otherwise); FromJson turns them all into
// InvalidArgument. Messages name the entry: "units[2].agencies[0].code".
// Checks a name and its aliases and claims them for `code` in one unit.
absl::Status CheckAndClaimNames(const std::string& name,
                                const std::vector<std::string>& aliases,
                                const std::string& code, const std::string& at,
                                NameClaims& claims) {
  if (absl::Status s = CheckName(name, at + ".name"); !s.ok()) return s;
  if (absl::Status s = claims.Claim(name, code, at + ".name"); !s.ok()) {
    return s;
  }
  for (size_t a = 0; a < aliases.size(); ++a) {
    const std::string alias_path = absl::StrCat(at, ".aliases[", a, "]");
    if (absl::Status s = CheckName(aliases[a], alias_path); !s.ok()) return s;
    if (absl::Status s = claims.Claim(aliases[a], code, alias_path); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

// The checks of a registry's units: first every code (so that references
// can be resolved), then parents, standing agencies, names and members.
class UnitsChecker {
 public:
  explicit UnitsChecker(const std::vector<RegistryUnit>& units)
      : units_(units) {}

  absl::Status Check() {
    for (size_t u = 0; u < units_.size(); ++u) {
      if (absl::Status s = CheckCodes(u); !s.ok()) return s;
    }
    for (size_t u = 0; u < units_.size(); ++u) {
      if (absl::Status s = CheckReferences(u); !s.ok()) return s;
      if (absl::Status s = CheckNames(u); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  static std::string PathOf(size_t u) { return absl::StrCat("units[", u, "]"); }

  // The unit's code, name and aliases, and its agency and group codes.
  absl::Status CheckCodes(size_t u) {
    const RegistryUnit& unit = units_[u];
    const std::string path = PathOf(u);
    if (absl::Status s = CheckCode(unit.code, path + ".code"); !s.ok()) {
      return s;
    }
    if (!unit_index_.emplace(unit.code, u).second) {
      return absl::AlreadyExistsError(
          absl::StrCat(path, ".code: duplicate unit code '", unit.code, "'"));
    }
    if (absl::Status s = CheckName(unit.name, path + ".name"); !s.ok()) {
      return s;
    }
    for (size_t a = 0; a < unit.aliases.size(); ++a) {
      if (absl::Status s = CheckName(unit.aliases[a],
                                     absl::StrCat(path, ".aliases[", a, "]"));
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = CheckAgencyCodes(unit, path); !s.ok()) return s;
    return CheckGroupCodes(unit, path);
  }

  absl::Status CheckAgencyCodes(const RegistryUnit& unit,
                                const std::string& path) {
    for (size_t j = 0; j < unit.agencies.size(); ++j) {
      const RegistryAgency& agency = unit.agencies[j];
      const std::string at = absl::StrCat(path, ".agencies[", j, "]");
      if (absl::Status s = CheckCode(agency.code, at + ".code"); !s.ok()) {
        return s;
      }
      if (!is_agency_.emplace(agency.code, true).second) {
        return absl::AlreadyExistsError(
            absl::StrCat(at, ".code: duplicate code '", agency.code, "'"));
      }
      agency_unit_[agency.code] = unit.code;
      if (agency.kind == kGroupKind) {
        return absl::InvalidArgumentError(
            absl::StrCat(at, ".kind: '", kGroupKind, "' is reserved"));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckGroupCodes(const RegistryUnit& unit,
                               const std::string& path) {
    for (size_t k = 0; k < unit.groups.size(); ++k) {
      const RegistryGroup& group = unit.groups[k];
      const std::string at = absl::StrCat(path, ".groups[", k, "]");
      if (absl::Status s = CheckCode(group.code, at + ".code"); !s.ok()) {
        return s;
      }
      if (!is_agency_.emplace(group.code, false).second) {
        return absl::AlreadyExistsError(
            absl::StrCat(at, ".code: duplicate code '", group.code, "'"));
      }
    }
    return absl::OkStatus();
  }

  // The parent exists and leads up to a root; the standing agency is one
  // of the unit's own.
  absl::Status CheckReferences(size_t u) const {
    const RegistryUnit& unit = units_[u];
    const std::string path = PathOf(u);
    if (!unit.parent.empty()) {
      if (!unit_index_.contains(unit.parent)) {
        return absl::NotFoundError(
            absl::StrCat(path, ".parent: unknown unit '", unit.parent, "'"));
      }
      // A chain longer than the number of units goes round in a circle.
      size_t steps = 0;
      for (std::string up = unit.parent; !up.empty();
           up = units_[unit_index_.at(up)].parent) {
        if (up == unit.code || ++steps > units_.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat(path, ".parent: '", unit.parent, "' leads back to '",
                           unit.code, "'"));
        }
      }
    }
    if (!unit.standing_agency.empty()) {
      const auto it = agency_unit_.find(unit.standing_agency);
      if (it == agency_unit_.end() || it->second != unit.code) {
        return absl::NotFoundError(
            absl::StrCat(path, ".standing_agency: '", unit.standing_agency,
                         "' is not an agency of unit '", unit.code, "'"));
      }
    }
    return absl::OkStatus();
  }

  // The names of the unit's agencies and groups, unique in the unit, and
  // the groups' members.
  absl::Status CheckNames(size_t u) const {
    const RegistryUnit& unit = units_[u];
    const std::string path = PathOf(u);
    NameClaims claims;
    for (size_t j = 0; j < unit.agencies.size(); ++j) {
      const RegistryAgency& agency = unit.agencies[j];
      if (absl::Status s = CheckAndClaimNames(
              agency.name, agency.aliases, agency.code,
              absl::StrCat(path, ".agencies[", j, "]"), claims);
          !s.ok()) {
        return s;
      }
    }
    for (size_t k = 0; k < unit.groups.size(); ++k) {
      const RegistryGroup& group = unit.groups[k];
      const std::string at = absl::StrCat(path, ".groups[", k, "]");
      if (absl::Status s = CheckAndClaimNames(group.name, group.aliases,
                                              group.code, at, claims);
          !s.ok()) {
        return s;
      }
      if (absl::Status s = CheckMembers(group, at); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckMembers(const RegistryGroup& group,
                            const std::string& at) const {
    for (size_t m = 0; m < group.members.size(); ++m) {
      const auto it = is_agency_.find(group.members[m]);
      if (it == is_agency_.end() || !it->second) {
        return absl::NotFoundError(absl::StrCat(
            at, ".members[", m, "]: unknown agency '", group.members[m], "'"));
      }
    }
    return absl::OkStatus();
  }

  const std::vector<RegistryUnit>& units_;
  absl::flat_hash_map<std::string, size_t> unit_index_;
  // Agency and group codes share one namespace; the value says which.
  absl::flat_hash_map<std::string, bool> is_agency_;
  absl::flat_hash_map<std::string, std::string> agency_unit_;
};

absl::Status CheckUnits(const std::vector<RegistryUnit>& units) {
  return UnitsChecker(units).Check();
}

// Names are kept in NFC with valid UTF-8, so keys, output and ToJson never
// meet broken text.
void NormalizeStrings(std::vector<std::string>& strings) {
  for (std::string& s : strings) s = ToNfc(s);
}

void Normalize(RegistryUnit& unit) {
  unit.name = ToNfc(unit.name);
  NormalizeStrings(unit.aliases);
  unit.level = ToNfc(unit.level);
  for (RegistryAgency& agency : unit.agencies) {
    agency.name = ToNfc(agency.name);
    NormalizeStrings(agency.aliases);
    agency.kind = ToNfc(agency.kind);
    agency.unit = unit.code;
  }
  for (RegistryGroup& group : unit.groups) {
    group.name = ToNfc(group.name);
    NormalizeStrings(group.aliases);
    NormalizeStrings(group.member_kinds);
    NormalizeStrings(group.child_unit_kinds);
  }
}

// ---------------------------------------------------------------------------
// JSON reading: every value is checked, and unknown keys are errors so a
// misspelt "alias" does not vanish.

absl::Status CheckKeys(const Json& object, const std::string& path,
                       std::initializer_list<absl::string_view> allowed) {
  if (!object.is_object()) {
    return absl::InvalidArgumentError(path + ": expected an object");
  }
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": unknown key '", key, "'"));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadString(const Json& object, const char* key,
                        const std::string& path, bool required,
                        std::string& out) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".", key, ": missing"));
    }
    return absl::OkStatus();
  }
  if (!it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".", key, ": expected a string"));
  }
  out = it->get<std::string>();
  return absl::OkStatus();
}

absl::Status ReadStrings(const Json& object, const char* key,
                         const std::string& path,
                         std::vector<std::string>& out) {
  const auto it = object.find(key);
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ".", key, ": expected an array of strings"));
  }
  for (size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".", key, "[", i, "]: expected a string"));
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status ReadAgency(const Json& object, const std::string& path,
                        RegistryAgency& agency) {
  if (absl::Status s =
          CheckKeys(object, path, {"code", "name", "aliases", "kind"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "code", path, true, agency.code);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "name", path, true, agency.name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadStrings(object, "aliases", path, agency.aliases);
      !s.ok()) {
    return s;
  }
  return ReadString(object, "kind", path, false, agency.kind);
}

absl::Status ReadGroup(const Json& object, const std::string& path,
                       RegistryGroup& group) {
  if (absl::Status s = CheckKeys(object, path,
                                 {"code", "name", "aliases", "members",
                                  "member_kinds", "child_unit_kinds"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "code", path, true, group.code);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "name", path, true, group.name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadStrings(object, "aliases", path, group.aliases);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadStrings(object, "members", path, group.members);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ReadStrings(object, "member_kinds", path, group.member_kinds);
      !s.ok()) {
    return s;
  }
  return ReadStrings(object, "child_unit_kinds", path, group.child_unit_kinds);
}

absl::Status ReadUnit(const Json& object, const std::string& path,
                      RegistryUnit& unit) {
  if (absl::Status s = CheckKeys(object, path,
                                 {"code", "name", "aliases", "level", "parent",
                                  "standing_agency", "agencies", "groups"});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "code", path, true, unit.code);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "name", path, true, unit.name);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadStrings(object, "aliases", path, unit.aliases);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "level", path, false, unit.level);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "parent", path, false, unit.parent);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadString(object, "standing_agency", path, false,
                                  unit.standing_agency);
      !s.ok()) {
    return s;
  }
  for (const char* key : {"agencies", "groups"}) {
    const auto it = object.find(key);
    if (it != object.end() && !it->is_array()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ".", key, ": expected an array"));
    }
  }
  if (const auto it = object.find("agencies"); it != object.end()) {
    for (size_t j = 0; j < it->size(); ++j) {
      RegistryAgency agency;
      if (absl::Status s = ReadAgency(
              (*it)[j], absl::StrCat(path, ".agencies[", j, "]"), agency);
          !s.ok()) {
        return s;
      }
      unit.agencies.push_back(std::move(agency));
    }
  }
  if (const auto it = object.find("groups"); it != object.end()) {
    for (size_t k = 0; k < it->size(); ++k) {
      RegistryGroup group;
      if (absl::Status s = ReadGroup(
              (*it)[k], absl::StrCat(path, ".groups[", k, "]"), group);
          !s.ok()) {
        return s;
      }
      unit.groups.push_back(std::move(group));
    }
  }
  return absl::OkStatus();
}

void PutStrings(OrderedJson& object, const char* key,
                const std::vector<std::string>& values) {
  if (!values.empty()) object[key] = values;
}

void PutString(OrderedJson& object, const char* key, const std::string& value) {
  if (!value.empty()) object[key] = value;
}

// A unit as the lookups need it.
struct UnitEntry {
  size_t parent = kNone;
  int depth = 0;
  std::vector<std::vector<std::string>> level_words;
  // Names of the unit's agencies and groups; values index `targets`.
  WordTrie names;
  std::vector<const RegistryAgency*> targets;
};

}  // namespace

struct AgencyRegistry::Index {
  std::vector<UnitEntry> units;  // parallel to units_
  absl::flat_hash_map<std::string, size_t> unit_by_code;
  // Agencies and the stand-ins of groups, by code.
  absl::flat_hash_map<std::string, const RegistryAgency*> by_code;
  std::deque<RegistryAgency> group_stand_ins;
  // Group code -> member agency codes, in order, without duplicates.
  absl::flat_hash_map<std::string, std::vector<std::string>> group_members;
  // Unit names and aliases; values index `unit_name_owners`.
  WordTrie unit_names;
  std::vector<std::vector<size_t>> unit_name_owners;

  // The unit and its ancestors, nearest first; empty for an unknown unit.
  std::vector<size_t> Chain(absl::string_view unit_code) const {
    std::vector<size_t> chain;
    const auto it = unit_by_code.find(unit_code);
    if (it == unit_by_code.end()) return chain;
    for (size_t u = it->second; u != kNone && chain.size() <= units.size();
         u = units[u].parent) {
      chain.push_back(u);
    }
    return chain;
  }

  struct Match {
    size_t length = 0;  // words taken, level word included
    const RegistryAgency* target = nullptr;
  };

  // The longest name of the chain's units that starts at words[at], so that
  // "Tổ Công tác Đề án 06 tỉnh" in a commune plan is the province's working
  // group even though the commune's own is also called "Tổ Công tác Đề án 06".
  // On equal length the nearer unit wins: "Công an cấp xã" in a commune plan is
  // the commune's police, not the province's group of all of them. A level
  // word right after the name that fits the owner's level ("Phòng Kinh tế
  // xã", "Sở Y tế tỉnh") is taken too, but only when nothing but white space
  // separates it.
  Match LongestAt(const std::vector<size_t>& chain,
                  const std::vector<Word>& words, size_t at) const {
    Match best;
    size_t owner = kNone;
    for (const size_t u : chain) {
      units[u].names.Walk(words, at, [&](size_t length, int value) {
        if (length > best.length) {
          best.length = length;
          best.target = units[u].targets[static_cast<size_t>(value)];
          owner = u;
        }
      });
    }
    if (best.target == nullptr) return best;
    const size_t next = at + best.length;
    for (const std::vector<std::string>& level : units[owner].level_words) {
      if (next + level.size() > words.size()) continue;
      bool matches = true;
      for (size_t k = 0; k < level.size() && matches; ++k) {
        matches = words[next + k].key == level[k] && words[next + k].spaced;
      }
      if (matches) {
        best.length += level.size();
        break;
      }
    }
    return best;
  }

  // Fills the index from the registry's units (checked or not).
  void Build(const std::vector<RegistryUnit>& registry_units) {
    units.resize(registry_units.size());
    for (size_t u = 0; u < registry_units.size(); ++u) {
      unit_by_code.emplace(registry_units[u].code, u);
    }
    for (size_t u = 0; u < registry_units.size(); ++u) {
      AddCodes(registry_units[u], units[u]);
    }
    for (size_t u = 0; u < registry_units.size(); ++u) {
      units[u].depth = DepthOf(u);
      AddAgencyNames(registry_units[u], units[u]);
      AddUnitNames(registry_units[u], u);
    }
    for (size_t u = 0; u < registry_units.size(); ++u) {
      for (const RegistryGroup& group : registry_units[u].groups) {
        group_members.emplace(group.code, MembersOf(group, registry_units, u));
      }
    }
  }

 private:
  // The unit's parent and level, its agencies by code and a stand-in
  // agency for each of its groups.
  void AddCodes(const RegistryUnit& unit, UnitEntry& entry) {
    const auto parent = unit_by_code.find(unit.parent);
    entry.parent = parent == unit_by_code.end() ? kNone : parent->second;
    entry.level_words = LevelWords(unit.level);
    for (const RegistryAgency& agency : unit.agencies) {
      by_code.emplace(agency.code, &agency);
    }
    for (const RegistryGroup& group : unit.groups) {
      RegistryAgency& stand_in = group_stand_ins.emplace_back();
      stand_in.code = group.code;
      stand_in.name = group.name;
      stand_in.aliases = group.aliases;
      stand_in.kind = std::string(kGroupKind);
      stand_in.unit = unit.code;
      by_code.emplace(group.code, &stand_in);
    }
  }

  // The chain is at most as long as the number of units (checked on load),
  // the bound only guards a registry that was never checked.
  int DepthOf(size_t u) const {
    int depth = 0;
    for (size_t up = units[u].parent;
         up != kNone && depth <= static_cast<int>(units.size());
         up = units[up].parent) {
      ++depth;
    }
    return depth;
  }

  // The names and aliases of the unit's agencies and groups.
  void AddAgencyNames(const RegistryUnit& unit, UnitEntry& entry) const {
    const auto add_name = [&entry](absl::string_view name,
                                   const RegistryAgency* target) {
      const std::vector<std::string> words = NameWords(name);
      if (words.empty()) return;
      entry.names.Insert(words, static_cast<int>(entry.targets.size()));
      entry.targets.push_back(target);
    };
    for (const RegistryAgency& agency : unit.agencies) {
      add_name(agency.name, &agency);
      for (const std::string& alias : agency.aliases) add_name(alias, &agency);
    }
    for (const RegistryGroup& group : unit.groups) {
      const RegistryAgency* stand_in = by_code.at(group.code);
      add_name(group.name, stand_in);
      for (const std::string& alias : group.aliases) add_name(alias, stand_in);
    }
  }

  // The unit's name and aliases. Two units may share a name (communes of
  // different provinces).
  void AddUnitNames(const RegistryUnit& unit, size_t u) {
    std::vector<const std::string*> names_of_unit = {&unit.name};
    for (const std::string& alias : unit.aliases) {
      names_of_unit.push_back(&alias);
    }
    for (const std::string* name : names_of_unit) {
      const std::vector<std::string> words = NameWords(*name);
      if (words.empty()) continue;
      int slot = unit_names.Find(words);
      if (slot < 0) {
        slot = static_cast<int>(unit_name_owners.size());
        unit_name_owners.emplace_back();
        unit_names.Insert(words, slot);
      }
      std::vector<size_t>& owners = unit_name_owners[static_cast<size_t>(slot)];
      if (std::find(owners.begin(), owners.end(), u) == owners.end()) {
        owners.push_back(u);
      }
    }
  }

  // Group members: the listed codes, then the unit's agencies of the listed
  // kinds, then the agencies of the listed kinds of every child unit, each
  // in registry order.
  std::vector<std::string> MembersOf(
      const RegistryGroup& group,
      const std::vector<RegistryUnit>& registry_units, size_t u) const {
    std::vector<std::string> members;
    absl::flat_hash_set<std::string> seen;
    const auto add = [&](const std::string& code) {
      if (seen.insert(code).second) members.push_back(code);
    };
    const auto has_kind = [](const std::vector<std::string>& kinds,
                             const std::string& kind) {
      return !kind.empty() &&
             std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
    };
    for (const std::string& code : group.members) {
      const auto it = by_code.find(code);
      if (it != by_code.end() && it->second->kind != kGroupKind) add(code);
    }
    for (const RegistryAgency& agency : registry_units[u].agencies) {
      if (has_kind(group.member_kinds, agency.kind)) add(agency.code);
    }
    if (group.child_unit_kinds.empty()) return members;
    for (size_t c = 0; c < registry_units.size(); ++c) {
      if (units[c].parent != u) continue;
      for (const RegistryAgency& agency : registry_units[c].agencies) {
        if (has_kind(group.child_unit_kinds, agency.kind)) add(agency.code);
      }
    }
    return members;
  }
};

AgencyRegistry::AgencyRegistry() { Reindex(); }
AgencyRegistry::~AgencyRegistry() = default;
AgencyRegistry::AgencyRegistry(AgencyRegistry&&) noexcept = default;
AgencyRegistry& AgencyRegistry::operator=(AgencyRegistry&&) noexcept = default;

AgencyRegistry::AgencyRegistry(const AgencyRegistry& other)
    : units_(other.units_) {
  Reindex();
}

AgencyRegistry& AgencyRegistry::operator=(const AgencyRegistry& other) {
  if (this != &other) {
    units_ = other.units_;
    Reindex();
  }
  return *this;
}

void AgencyRegistry::Reindex() {
  auto index = std::make_unique<Index>();
  index->Build(units_);
  index_ = std::move(index);
}

absl::StatusOr<AgencyRegistry> AgencyRegistry::FromJson(
    absl::string_view json) {
  Json root;
  try {
    root = Json::parse(json.begin(), json.end());
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("registry JSON: ", e.what()));
  }
  if (absl::Status s = CheckKeys(root, "registry", {"units"}); !s.ok()) {
    return s;
  }
  const auto units = root.find("units");
  if (units == root.end() || !units->is_array()) {
    return absl::InvalidArgumentError("units: expected an array");
  }
  AgencyRegistry registry;
  for (size_t u = 0; u < units->size(); ++u) {
    RegistryUnit unit;
    if (absl::Status s =
            ReadUnit((*units)[u], absl::StrCat("units[", u, "]"), unit);
        !s.ok()) {
      return s;
    }
    Normalize(unit);
    registry.units_.push_back(std::move(unit));
  }
  if (absl::Status s = CheckUnits(registry.units_); !s.ok()) {
    return absl::InvalidArgumentError(s.message());
  }
  registry.Reindex();
  return registry;
}

std::string AgencyRegistry::ToJson() const {
  OrderedJson units = OrderedJson::array();
  for (const RegistryUnit& unit : units_) {
    OrderedJson u = OrderedJson::object();
    u["code"] = unit.code;
    u["name"] = unit.name;
    PutStrings(u, "aliases", unit.aliases);
    PutString(u, "level", unit.level);
    PutString(u, "parent", unit.parent);
    PutString(u, "standing_agency", unit.standing_agency);
    OrderedJson agencies = OrderedJson::array();
    for (const RegistryAgency& agency : unit.agencies) {
      OrderedJson a = OrderedJson::object();
      a["code"] = agency.code;
      a["name"] = agency.name;
      PutStrings(a, "aliases", agency.aliases);
      PutString(a, "kind", agency.kind);
      agencies.push_back(std::move(a));
    }
    u["agencies"] = std::move(agencies);
    if (!unit.groups.empty()) {
      OrderedJson groups = OrderedJson::array();
      for (const RegistryGroup& group : unit.groups) {
        OrderedJson g = OrderedJson::object();
        g["code"] = group.code;
        g["name"] = group.name;
        PutStrings(g, "aliases", group.aliases);
        PutStrings(g, "members", group.members);
        PutStrings(g, "member_kinds", group.member_kinds);
        PutStrings(g, "child_unit_kinds", group.child_unit_kinds);
        groups.push_back(std::move(g));
      }
      u["groups"] = std::move(groups);
    }
    units.push_back(std::move(u));
  }
  OrderedJson root = OrderedJson::object();
  root["units"] = std::move(units);
  // Strings are valid UTF-8 (normalised on the way in); `replace` only
  // guards against a registry filled some other way.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

const RegistryUnit* AgencyRegistry::Unit(absl::string_view code) const {
  if (index_ == nullptr) return nullptr;
  const auto it = index_->unit_by_code.find(code);
  return it == index_->unit_by_code.end() ? nullptr : &units_[it->second];
}

std::vector<const RegistryUnit*> AgencyRegistry::Units() const {
  std::vector<const RegistryUnit*> units;
  for (const RegistryUnit& unit : units_) units.push_back(&unit);
  return units;
}

std::vector<const RegistryUnit*> AgencyRegistry::Children(
    absl::string_view unit_code) const {
  std::vector<const RegistryUnit*> children;
  for (const RegistryUnit& unit : units_) {
    if (!unit.parent.empty() && unit.parent == unit_code) {
      children.push_back(&unit);
    }
  }
  return children;
}

const RegistryUnit* AgencyRegistry::FindUnitIn(absl::string_view text) const {
  if (index_ == nullptr) return nullptr;
  // A heading may well be all in parentheses: "(Kèm theo Kế hoạch ... của
  // UBND xã Vĩnh Thụy)".
  const WordList list = SplitWords(text, /*drop_remarks=*/false);
  const std::vector<Word>& words = list.words;
  // Deeper unit, then longer name, then earlier in the text, then earlier
  // in the registry.
  std::tuple<int, size_t, size_t, size_t> best;
  const RegistryUnit* found = nullptr;
  for (size_t at = 0; at < words.size(); ++at) {
    index_->unit_names.Walk(words, at, [&](size_t length, int value) {
      const size_t span = words[at + length - 1].end - words[at].begin;
      for (const size_t u :
           index_->unit_name_owners[static_cast<size_t>(value)]) {
        const auto score = std::make_tuple(index_->units[u].depth, span,
                                           kNone - at, kNone - u);
        if (found == nullptr || score > best) {
          best = score;
          found = &units_[u];
        }
      }
    });
  }
  return found;
}

const RegistryAgency* AgencyRegistry::Agency(absl::string_view code) const {
  if (index_ == nullptr) return nullptr;
  const auto it = index_->by_code.find(code);
  return it == index_->by_code.end() ? nullptr : it->second;
}

const RegistryAgency* AgencyRegistry::FindAgency(absl::string_view unit_code,
                                                 absl::string_view name) const {
  if (index_ == nullptr) return nullptr;
  const WordList list = SplitWords(name, /*drop_remarks=*/true);
  if (list.words.empty()) return nullptr;
  const Index::Match match =
      index_->LongestAt(index_->Chain(unit_code), list.words, 0);
  return match.length == list.words.size() ? match.target : nullptr;
}

AgencyResolution AgencyRegistry::Resolve(absl::string_view unit_code,
                                         absl::string_view phrase) const {
  AgencyResolution out;
  const WordList list = SplitWords(phrase, /*drop_remarks=*/true);
  const std::vector<Word>& words = list.words;
  const std::vector<size_t> chain =
      index_ == nullptr ? std::vector<size_t>() : index_->Chain(unit_code);

  absl::flat_hash_set<std::string> seen_codes;
  absl::flat_hash_set<std::string> seen_groups;
  absl::flat_hash_set<std::string> seen_unknown;
  const auto add_code = [&](const std::string& code) {
    if (seen_codes.insert(code).second) out.codes.push_back(code);
  };

  // One unknown name: words[begin, end) without joining words at either
  // end, as written.
  const auto add_unknown = [&](size_t begin, size_t end) {
    while (begin < end && IsConnector(words[begin].key)) ++begin;
    while (end > begin && IsConnector(words[end - 1].key)) --end;
    if (begin == end) return;
    std::string name(
        list.text.Original(words[begin].begin, words[end - 1].end));
    if (seen_unknown.insert(name).second) {
      out.unknown.push_back(std::move(name));
    }
  };
  // Words no name covers, cut at list separators and at a " và " that
  // starts another agency's name.
  const auto add_unknown_run = [&](size_t begin, size_t end) {
    size_t piece = begin;
    for (size_t k = begin; k < end; ++k) {
      if (words[k].list_break && k > piece) {
        add_unknown(piece, k);
        piece = k;
      } else if (words[k].key == "va" && k + 1 < end &&
                 !words[k + 1].list_break &&
                 StartsAgencyName(words, k + 1, end)) {
        add_unknown(piece, k);
        piece = k + 1;
      }
    }
    add_unknown(piece, end);
  };

  size_t run_begin = 0;
  size_t at = 0;
  while (at < words.size()) {
    const Index::Match match =
        chain.empty() ? Index::Match() : index_->LongestAt(chain, words, at);
    if (match.target == nullptr) {
      ++at;
      continue;
    }
    add_unknown_run(run_begin, at);
    const RegistryAgency& target = *match.target;
    if (target.kind == kGroupKind) {
      if (seen_groups.insert(target.code).second) {
        out.groups.push_back(target.code);
      }
      const std::vector<std::string>& members =
          index_->group_members.at(target.code);
      // A group without members (no commune registered yet) still says
      // someone is assigned: its own code stands in rather than nothing.
      if (members.empty()) add_code(target.code);
      for (const std::string& code : members) add_code(code);
    } else {
      add_code(target.code);
    }
    at += match.length;
    run_begin = at;
  }
  add_unknown_run(run_begin, words.size());
  return out;
}

absl::Status AgencyRegistry::AddUnit(RegistryUnit unit) {
  Normalize(unit);
  std::vector<RegistryUnit> units = units_;
  units.push_back(std::move(unit));
  if (absl::Status s = CheckUnits(units); !s.ok()) return s;
  units_ = std::move(units);
  Reindex();
  return absl::OkStatus();
}

absl::Status AgencyRegistry::AddAgency(absl::string_view unit_code,
                                       RegistryAgency agency) {
  std::vector<RegistryUnit> units = units_;
  const auto unit =
      std::find_if(units.begin(), units.end(),
                   [&](const RegistryUnit& u) { return u.code == unit_code; });
  if (unit == units.end()) {
    return absl::NotFoundError(absl::StrCat("unknown unit '", unit_code, "'"));
  }
  agency.name = ToNfc(agency.name);
  NormalizeStrings(agency.aliases);
  agency.kind = ToNfc(agency.kind);
  agency.unit = unit->code;
  unit->agencies.push_back(std::move(agency));
  if (absl::Status s = CheckUnits(units); !s.ok()) return s;
  units_ = std::move(units);
  Reindex();
  return absl::OkStatus();
}

absl::Status AgencyRegistry::AddAlias(absl::string_view code,
                                      absl::string_view alias) {
  std::vector<RegistryUnit> units = units_;
  std::vector<std::string>* aliases = nullptr;
  for (RegistryUnit& unit : units) {
    for (RegistryAgency& agency : unit.agencies) {
      if (agency.code == code) aliases = &agency.aliases;
    }
    for (RegistryGroup& group : unit.groups) {
      if (group.code == code) aliases = &group.aliases;
    }
  }
  if (aliases == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unknown agency or group '", code, "'"));
  }
  const std::string normal = ToNfc(alias);
  if (absl::Status s = CheckName(normal, absl::StrCat(code, ".aliases"));
      !s.ok()) {
    return s;
  }
  if (std::find(aliases->begin(), aliases->end(), normal) != aliases->end()) {
    return absl::OkStatus();
  }
  aliases->push_back(normal);
  if (absl::Status s = CheckUnits(units); !s.ok()) return s;
  units_ = std::move(units);
  Reindex();
  return absl::OkStatus();
}

}  // namespace tiendo::plantext
