#ifndef TIENDO_SERVICES_PLAN_ACCOUNT_RULES_H_
#define TIENDO_SERVICES_PLAN_ACCOUNT_RULES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tiendo/v1/account.pb.h"

namespace tiendo::plan {

// How long a token from Login is valid, and the most IssueToken gives.
inline constexpr absl::Duration kSignInValidFor = absl::Hours(8);
inline constexpr absl::Duration kMaxTokenValidFor = absl::Hours(24 * 365);

// A new account is well formed: a name of lower-case letters, digits, '.',
// '_' or '-' (at most 64), a unit, at least one known role, agencies as
// codes, and a password of 12 to 1024 bytes for a person (none for a
// system). INVALID_ARGUMENT names the field.
absl::Status CheckNewAccount(const v1::CreateAccountRequest& request);

// The validity IssueToken gives for `requested` (unset: 8 hours).
absl::StatusOr<absl::Duration> TokenValidity(
    const google::protobuf::Duration& requested, bool is_set);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_ACCOUNT_RULES_H_
