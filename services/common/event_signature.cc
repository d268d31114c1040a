#include "services/common/event_signature.h"

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "services/common/key_files.h"
#include "services/common/topics.h"

namespace tiendo {
namespace {

struct DigestContext {
  DigestContext() : context(EVP_MD_CTX_new()) {}
  ~DigestContext() { EVP_MD_CTX_free(context); }
  DigestContext(const DigestContext&) = delete;
  DigestContext& operator=(const DigestContext&) = delete;
  EVP_MD_CTX* context;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventSigner>> EventSigner::FromPem(
    std::string name, absl::string_view pem) {
  EVP_PKEY* key = ParseEcKey(pem, /*private_key=*/true).release();
  if (key == nullptr) {
    return absl::InvalidArgumentError("event signing key: not an EC key");
  }
  return std::unique_ptr<EventSigner>(new EventSigner(std::move(name), key));
}

absl::StatusOr<std::unique_ptr<EventSigner>> EventSigner::FromPemFile(
    std::string name, const std::string& path) {
  absl::StatusOr<std::string> pem = ReadKeyFile(path);
  if (!pem.ok()) return pem.status();
  return FromPem(std::move(name), *pem);
}

EventSigner::~EventSigner() { EVP_PKEY_free(static_cast<EVP_PKEY*>(key_)); }

absl::StatusOr<std::string> EventSigner::Sign(absl::string_view value) const {
  DigestContext digest;
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(value.data());
  if (EVP_DigestSignInit(digest.context, nullptr, EVP_sha256(), nullptr,
                         static_cast<EVP_PKEY*>(key_)) != 1 ||
      EVP_DigestSign(digest.context, nullptr, &length, data, value.size()) !=
          1) {
    return absl::InternalError("event signature: cannot sign");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(digest.context,
                     reinterpret_cast<unsigned char*>(signature.data()),
                     &length, data, value.size()) != 1) {
    return absl::InternalError("event signature: cannot sign");
  }
  signature.resize(length);
  return signature;
}

absl::StatusOr<std::unique_ptr<EventVerifier>> EventVerifier::FromPems(
    const std::map<std::string, std::string>& keys,
    const std::map<std::string, std::string>& owners) {
  std::unique_ptr<EventVerifier> verifier(new EventVerifier);
  for (const auto& [signer, pem] : keys) {
    EVP_PKEY* key = ParseEcKey(pem, /*private_key=*/false).release();
    if (key == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("event key of ", signer, ": not an EC public key"));
    }
    verifier->keys_[signer] = key;
  }
  for (const auto& [topic, owner] : owners) {
    if (!verifier->keys_.contains(owner)) {
      return absl::InvalidArgumentError(
          absl::StrCat("no event key for ", owner, ", the owner of ", topic));
    }
    verifier->owners_.emplace(topic, owner);
  }
  return verifier;
}

absl::StatusOr<std::unique_ptr<EventVerifier>> EventVerifier::FromFlag(
    const std::vector<std::string>& entries,
    const std::map<std::string, std::string>& owners) {
  std::map<std::string, std::string> keys;
  for (const std::string& entry : entries) {
    const size_t equals = entry.find('=');
    if (equals == std::string::npos || equals == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(entry, ": expected SIGNER=FILE, e.g. plan=plan.pem"));
    }
    absl::StatusOr<std::string> pem = ReadKeyFile(entry.substr(equals + 1));
    if (!pem.ok()) return pem.status();
    keys[entry.substr(0, equals)] = *std::move(pem);
  }
  return FromPems(keys, owners);
}

EventVerifier::~EventVerifier() {
  for (auto& [signer, key] : keys_) EVP_PKEY_free(static_cast<EVP_PKEY*>(key));
}

std::string EventVerifier::Rejection(absl::string_view topic,
                                     absl::string_view signer,
                                     absl::string_view signature,
                                     absl::string_view value) const {
  auto owner = owners_.find(topic);
  if (owner == owners_.end()) return "";
  if (signer.empty() || signature.empty()) {
    return absl::StrCat("not signed: ", topic, " carries only what the ",
                        owner->second, " service signs");
  }
  if (signer != owner->second) {
    return absl::StrCat("signed by ", signer, ", not by ", owner->second,
                        ", the owner of ", topic);
  }
  DigestContext digest;
  const bool valid =
      EVP_DigestVerifyInit(digest.context, nullptr, EVP_sha256(), nullptr,
                           static_cast<EVP_PKEY*>(keys_.at(owner->second))) ==
          1 &&
      EVP_DigestVerify(digest.context,
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(value.data()),
                       value.size()) == 1;
  if (!valid) {
    return absl::StrCat("signature of ", signer, " does not verify");
  }
  return "";
}

std::map<std::string, std::string> TopicOwners() {
  return {{kPlanChangedTopic, "plan"},
          {kDeadlineApproachingTopic, "plan"},
          {kAccountChangedTopic, "plan"},
          {kTaskUpdatedTopic, "progress"}};
}

}  // namespace tiendo
