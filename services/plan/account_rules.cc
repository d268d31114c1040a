#include "services/plan/account_rules.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/input_limits.h"
#include "services/common/proto_convert.h"

namespace tiendo::plan {
namespace {

constexpr size_t kMaxNameBytes = 64;
constexpr size_t kMinPasswordBytes = 12;
constexpr size_t kMaxPasswordBytes = 1024;
constexpr int kMaxAgencies = 50;

bool NameCharacter(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '.' ||
         c == '_' || c == '-';
}

absl::Status CheckName(const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("account.name: 1 to ", kMaxNameBytes, " bytes"));
  }
  for (char c : name) {
    if (!NameCharacter(c)) {
      return absl::InvalidArgumentError(
          "account.name: only a-z, 0-9, '.', '_' and '-'");
    }
  }
  return absl::OkStatus();
}

absl::Status CheckRoles(const v1::Account& account) {
  if (account.roles().empty()) {
    return absl::InvalidArgumentError("account.roles: at least one");
  }
  for (int role : account.roles()) {
    if (role == v1::ROLE_UNSPECIFIED || !v1::Role_IsValid(role)) {
      return absl::InvalidArgumentError(
          absl::StrCat("account.roles: ", role, " is not a role"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPassword(const v1::CreateAccountRequest& request) {
  const size_t size = request.password().size();
  if (request.account().system()) {
    if (size != 0) {
      return absl::InvalidArgumentError(
          "password: a system signs in with issued tokens, not a password");
    }
    return absl::OkStatus();
  }
  if (size < kMinPasswordBytes || size > kMaxPasswordBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "password: ", kMinPasswordBytes, " to ", kMaxPasswordBytes, " bytes"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckNewAccount(const v1::CreateAccountRequest& request) {
  const v1::Account& account = request.account();
  if (absl::Status s = CheckName(account.name()); !s.ok()) return s;
  if (absl::Status s = CheckLength("account.display_name",
                                   account.display_name(), limits::kNoteBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckLength("account.unit", account.unit(), limits::kIdBytes);
      !s.ok()) {
    return s;
  }
  if (account.unit().empty()) {
    return absl::InvalidArgumentError("account.unit: required");
  }
  if (absl::Status s =
          CheckEach("account.agencies", account.agencies(), kMaxAgencies,
                    [](const std::string& agency, const std::string& field) {
                      return CheckLength(field, agency, limits::kIdBytes);
                    });
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckRoles(account); !s.ok()) return s;
  return CheckPassword(request);
}

absl::StatusOr<absl::Duration> TokenValidity(
    const google::protobuf::Duration& requested, bool is_set) {
  if (!is_set) return kSignInValidFor;
  const absl::Duration valid_for = FromProto(requested);
  if (valid_for <= absl::ZeroDuration() || valid_for > kMaxTokenValidFor) {
    return absl::InvalidArgumentError(
        "valid_for: more than 0 and at most 365 days");
  }
  return valid_for;
}

}  // namespace tiendo::plan
