#ifndef TIENDO_SERVICES_COMMON_ACCESS_H_
#define TIENDO_SERVICES_COMMON_ACCESS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/credential.h"

namespace tiendo {

// The rules of who may do what, from the credential alone (never from a
// request field). Each refusal is PERMISSION_DENIED naming what is missing.

// The credential has `role` (see Credential::Has).
absl::Status RequireRole(const Credential& credential, v1::Role role);

// The agency a caller acts for in a request whose field `field` asks for
// `requested`: that agency when the credential acts for it; the
// credential's only agency when the field is empty.
absl::StatusOr<std::string> AgencyFor(const Credential& credential,
                                      absl::string_view requested,
                                      absl::string_view field);

// An agency named in field `field` is one the credential acts for; an empty
// one passes (the handler refuses it as missing).
absl::Status RequireAgency(const Credential& credential,
                           absl::string_view agency, absl::string_view field);

// The parent unit's code of a unit ("" at the top or when unknown).
using ParentOf = std::function<std::string(const std::string& unit)>;

// `unit` is the credential's unit or below it. Admins and the services
// reach every unit.
absl::Status RequireWithin(const Credential& credential,
                           const std::string& unit, const ParentOf& parent_of,
                           absl::string_view field);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_ACCESS_H_
