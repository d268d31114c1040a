#include "services/common/key_files.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace tiendo {

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": cannot read the key file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

EcKey ParseEcKey(absl::string_view pem, bool private_key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EcKey key(private_key
                ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)
                : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr),
            EVP_PKEY_free);
  if (key != nullptr && EVP_PKEY_base_id(key.get()) != EVP_PKEY_EC) {
    key.reset();
  }
  return key;
}

}  // namespace tiendo
