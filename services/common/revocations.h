#ifndef TIENDO_SERVICES_COMMON_REVOCATIONS_H_
#define TIENDO_SERVICES_COMMON_REVOCATIONS_H_

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "tiendo/v1/account.pb.h"

namespace tiendo {

// Which tokens are revoked before they expire: per account, the lowest
// token generation still valid (see Account.token_generation). The plan
// service raises it on RevokeTokens; the other services learn it from
// tiendo.account-changed.v1 (see RevocationFeed). Only ever raised, so
// events applied twice or out of order leave the same answer.
class Revocations {
 public:
  // Tokens of `account` below `generation` are revoked from now on.
  void Raise(const std::string& account, uint64_t generation);
  // Whether a token carrying `account` (its name and the generation it was
  // signed in) is revoked.
  bool Revoked(const v1::Account& account) const;
  // The lowest valid generation of `account` (0 when none was revoked).
  uint64_t ValidFrom(const std::string& account) const;

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, uint64_t> valid_from_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_REVOCATIONS_H_
