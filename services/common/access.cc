#include "services/common/access.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tiendo {

absl::Status RequireRole(const Credential& credential, v1::Role role) {
  if (credential.Has(role)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "role: ", credential.Describe(), " lacks the ", RoleWord(role), " role"));
}

absl::StatusOr<std::string> AgencyFor(const Credential& credential,
                                      absl::string_view requested,
                                      absl::string_view field) {
  if (requested.empty()) {
    if (credential.account.agencies_size() == 1) {
      return credential.account.agencies(0);
    }
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": required (", credential.Describe(), " acts for ",
                     credential.account.agencies_size(), " agencies)"));
  }
  if (credential.ActsFor(requested)) return std::string(requested);
  return absl::PermissionDeniedError(absl::StrCat(
      field, ": ", credential.Describe(), " does not act for ", requested,
      credential.account.agencies().empty()
          ? std::string()
          : absl::StrCat(" (only for ",
                         absl::StrJoin(credential.account.agencies(), ", "),
                         ")")));
}

absl::Status RequireAgency(const Credential& credential,
                           absl::string_view agency, absl::string_view field) {
  if (agency.empty()) return absl::OkStatus();
  return AgencyFor(credential, agency, field).status();
}

absl::Status RequireWithin(const Credential& credential,
                           const std::string& unit, const ParentOf& parent_of,
                           absl::string_view field) {
  if (credential.service || credential.Has(v1::ROLE_ADMIN)) {
    return absl::OkStatus();
  }
  const std::string& own = credential.account.unit();
  // Bounded, so a cycle in the data cannot hold the call.
  std::string at = unit;
  for (int depth = 0; depth < 16 && !at.empty(); ++depth) {
    if (at == own) return absl::OkStatus();
    at = parent_of(at);
  }
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": ", unit, " is outside the unit of ",
                   credential.Describe(), " (", own, ")"));
}

}  // namespace tiendo
