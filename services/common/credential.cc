#include "services/common/credential.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace tiendo {
namespace {

constexpr struct {
  v1::Role role;
  const char* word;
} kRoleWords[] = {
    {v1::ROLE_REPORTER, "reporter"}, {v1::ROLE_PLANNER, "planner"},
    {v1::ROLE_VIEWER, "viewer"},     {v1::ROLE_STANDING_BODY, "standing_body"},
    {v1::ROLE_ADMIN, "admin"},
};

bool Listed(const v1::Account& account, v1::Role role) {
  return std::find(account.roles().begin(), account.roles().end(), role) !=
         account.roles().end();
}

}  // namespace

bool Credential::Has(v1::Role role) const {
  if (Listed(account, v1::ROLE_ADMIN) || Listed(account, role)) return true;
  if (role == v1::ROLE_VIEWER) {
    return Listed(account, v1::ROLE_STANDING_BODY) ||
           Listed(account, v1::ROLE_PLANNER);
  }
  return false;
}

bool Credential::ActsFor(absl::string_view agency) const {
  if (Listed(account, v1::ROLE_ADMIN)) return true;
  return std::find(account.agencies().begin(), account.agencies().end(),
                   agency) != account.agencies().end();
}

std::string Credential::Describe() const {
  if (service) return "the tiendo services";
  return absl::StrCat("account ", account.name());
}

std::string RoleWord(v1::Role role) {
  for (const auto& entry : kRoleWords) {
    if (entry.role == role) return entry.word;
  }
  return "unspecified";
}

std::optional<v1::Role> RoleFromWord(absl::string_view word) {
  for (const auto& entry : kRoleWords) {
    if (entry.word == word) return entry.role;
  }
  return std::nullopt;
}

}  // namespace tiendo
