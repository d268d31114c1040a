#include "services/plan/password.h"

#include <sodium.h>

namespace tiendo::plan {
namespace {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

absl::StatusOr<std::string> HashPassword(absl::string_view password) {
  if (!SodiumReady()) return absl::InternalError("libsodium did not start");
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError("password: out of memory hashing it");
  }
  return std::string(hash);
}

bool PasswordMatches(const std::string& stored_hash,
                     absl::string_view password) {
  return SodiumReady() &&
         crypto_pwhash_str_verify(stored_hash.c_str(), password.data(),
                                  password.size()) == 0;
}

}  // namespace tiendo::plan
