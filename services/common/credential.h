#ifndef TIENDO_SERVICES_COMMON_CREDENTIAL_H_
#define TIENDO_SERVICES_COMMON_CREDENTIAL_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "tiendo/v1/account.pb.h"

namespace tiendo {

// Who is calling, as a verified token or a service certificate says.
struct Credential {
  v1::Account account;
  // A tiendo service known by its certificate (resync reads only).
  bool service = false;

  // Whether the credential carries `role`. An admin has every role; a
  // standing body and a planner also view.
  bool Has(v1::Role role) const;
  // Whether it acts for the agency (an admin acts for all).
  bool ActsFor(absl::string_view agency) const;
  // "account vinhthuy.kinhte.lan" or "the tiendo services".
  std::string Describe() const;
};

// The word a token and the README use for a role: "reporter", "planner",
// "viewer", "standing_body", "admin".
std::string RoleWord(v1::Role role);
std::optional<v1::Role> RoleFromWord(absl::string_view word);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_CREDENTIAL_H_
