#ifndef TIENDO_SERVICES_COMMON_TOKEN_H_
#define TIENDO_SERVICES_COMMON_TOKEN_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tiendo/v1/account.pb.h"

namespace tiendo {

// Signed tokens (JWT, ES256 through libjwt and OpenSSL) that carry an
// account: its name, unit, agencies and roles. The plan service signs with
// the private key; every service verifies with the public keys alone, so
// no call to another service is needed on the normal path. The header's
// `kid` names the key (a digest of the public key), so several keys can be
// trusted at once while one replaces another.

// The key id of a PEM public or private key: 16 hex digits of the SHA-256
// of its public key.
absl::StatusOr<std::string> KeyIdOf(absl::string_view pem);

class TokenSigner {
 public:
  // A PEM EC P-256 private key.
  static absl::StatusOr<TokenSigner> FromPem(std::string private_pem);
  static absl::StatusOr<TokenSigner> FromPemFile(const std::string& path);

  // A token for `account` issued at `now`, valid for `valid_for`.
  absl::StatusOr<std::string> Sign(const v1::Account& account, absl::Time now,
                                   absl::Duration valid_for) const;
  const std::string& key_id() const { return key_id_; }

 private:
  TokenSigner(std::string pem, std::string key_id)
      : pem_(std::move(pem)), key_id_(std::move(key_id)) {}
  std::string pem_;
  std::string key_id_;
};

class TokenVerifier {
 public:
  // PEM EC P-256 public keys, each trusted under its key id.
  static absl::StatusOr<TokenVerifier> FromPems(
      const std::vector<std::string>& public_pems);
  static absl::StatusOr<TokenVerifier> FromPemFiles(
      const std::vector<std::string>& paths);

  // The account a token carries, when its signature is by a trusted key and
  // `now` is within its validity; UNAUTHENTICATED saying why otherwise.
  // A token verified once is remembered until it expires (a bounded
  // number of them), so a session's calls after the first cost a lookup,
  // not a signature check.
  absl::StatusOr<v1::Account> Verify(absl::string_view token,
                                     absl::Time now) const;

 private:
  struct Verified {
    v1::Account account;
    absl::Time expires;
  };
  // Remembered tokens; behind a pointer so the verifier stays movable.
  struct Cache {
    absl::Mutex mu;
    absl::flat_hash_map<std::string, Verified> tokens ABSL_GUARDED_BY(mu);
  };

  // The signature and claims checked (the slow path).
  absl::StatusOr<Verified> VerifySigned(const std::string& token,
                                        absl::Time now) const;

  std::map<std::string, std::string> keys_;  // key id -> public PEM
  std::unique_ptr<Cache> cache_ = std::make_unique<Cache>();
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_TOKEN_H_
