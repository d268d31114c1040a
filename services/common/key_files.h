#ifndef TIENDO_SERVICES_COMMON_KEY_FILES_H_
#define TIENDO_SERVICES_COMMON_KEY_FILES_H_

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo {

// The keys tokens and events are signed with: PEM files of EC P-256 keys.

// A key file's whole text; FAILED_PRECONDITION naming the file when it
// cannot be read.
absl::StatusOr<std::string> ReadKeyFile(const std::string& path);

using EcKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// The EC key of a PEM text, read as a private or a public key; null when
// the text holds no such key or a key of another kind.
EcKey ParseEcKey(absl::string_view pem, bool private_key);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_KEY_FILES_H_
