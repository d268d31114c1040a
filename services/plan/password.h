#ifndef TIENDO_SERVICES_PLAN_PASSWORD_H_
#define TIENDO_SERVICES_PLAN_PASSWORD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::plan {

// Passwords are kept only as libsodium's argon2id hashes (memory-hard, with
// salt and parameters inside the stored string).
absl::StatusOr<std::string> HashPassword(absl::string_view password);
// Whether `password` matches the stored hash (in constant time).
bool PasswordMatches(const std::string& stored_hash,
                     absl::string_view password);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PASSWORD_H_
