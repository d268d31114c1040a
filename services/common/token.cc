#include "services/common/token.h"

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/common/credential.h"
#include "services/common/key_files.h"

namespace tiendo {
namespace {

// Tokens longer than this are refused before parsing.
constexpr size_t kMaxTokenBytes = 8192;
// Verified tokens remembered at most; past it the memory starts afresh.
constexpr size_t kMaxRememberedTokens = 4096;

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

nlohmann::json RoleWords(const v1::Account& account) {
  nlohmann::json array = nlohmann::json::array();
  for (int role : account.roles()) {
    array.push_back(RoleWord(static_cast<v1::Role>(role)));
  }
  return array;
}

absl::Status AddClaims(jwt_t* jwt, const v1::Account& account, absl::Time now,
                       absl::Duration valid_for) {
  nlohmann::json claims = {
      {"sub", account.name()},
      {"name", account.display_name()},
      {"unit", account.unit()},
      {"agencies", std::vector<std::string>(account.agencies().begin(),
                                            account.agencies().end())},
      {"roles", RoleWords(account)},
      {"sys", account.system()},
      {"gen", account.token_generation()},
      {"iat", absl::ToUnixSeconds(now)},
      {"exp", absl::ToUnixSeconds(now + valid_for)},
  };
  if (jwt_add_grants_json(jwt, claims.dump().c_str()) != 0) {
    return absl::InternalError("token: cannot add the claims");
  }
  return absl::OkStatus();
}

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("credential: ", why));
}

// The account of verified claims.
absl::StatusOr<v1::Account> AccountOf(jwt_t* jwt) {
  char* text = jwt_get_grants_json(jwt, nullptr);
  if (text == nullptr) return Unauthenticated("token without claims");
  const nlohmann::json claims = nlohmann::json::parse(text, nullptr, false);
  free(text);  // NOLINT(cppcoreguidelines-no-malloc): libjwt allocates with
               // malloc
  if (!claims.is_object() || !claims.contains("sub") ||
      !claims["sub"].is_string()) {
    return Unauthenticated("token without an account");
  }
  v1::Account account;
  account.set_name(claims["sub"].get<std::string>());
  account.set_display_name(claims.value("name", std::string()));
  account.set_unit(claims.value("unit", std::string()));
  account.set_system(claims.value("sys", false));
  // Tokens signed before generations existed carry none: generation 0.
  if (auto gen = claims.find("gen");
      gen != claims.end() && gen->is_number_unsigned()) {
    account.set_token_generation(gen->get<uint64_t>());
  }
  for (const auto& agency : claims.value("agencies", nlohmann::json::array())) {
    if (agency.is_string()) account.add_agencies(agency.get<std::string>());
  }
  for (const auto& word : claims.value("roles", nlohmann::json::array())) {
    if (!word.is_string()) continue;
    if (auto role = RoleFromWord(word.get<std::string>())) {
      account.add_roles(*role);
    }
  }
  return account;
}

}  // namespace

absl::StatusOr<std::string> KeyIdOf(absl::string_view pem) {
  const EcKey key =
      ParseEcKey(pem, pem.find("PRIVATE KEY") != absl::string_view::npos);
  if (key == nullptr) {
    return absl::InvalidArgumentError("not a PEM EC key");
  }
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key.get(), &der);
  if (length <= 0) return absl::InvalidArgumentError("not a PEM EC key");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(length), digest);
  OPENSSL_free(der);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), 8));
}

absl::StatusOr<TokenSigner> TokenSigner::FromPem(std::string private_pem) {
  if (private_pem.find("PRIVATE KEY") == std::string::npos) {
    return absl::InvalidArgumentError("token signing key: not a private key");
  }
  absl::StatusOr<std::string> key_id = KeyIdOf(private_pem);
  if (!key_id.ok()) return key_id.status();
  return TokenSigner(std::move(private_pem), *std::move(key_id));
}

absl::StatusOr<TokenSigner> TokenSigner::FromPemFile(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadKeyFile(path);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<TokenSigner> signer = FromPem(*std::move(pem));
  if (!signer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", signer.status().message()));
  }
  return signer;
}

absl::StatusOr<std::string> TokenSigner::Sign(const v1::Account& account,
                                              absl::Time now,
                                              absl::Duration valid_for) const {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return absl::InternalError("token: out of memory");
  JwtPtr jwt(raw);
  if (absl::Status s = AddClaims(jwt.get(), account, now, valid_for); !s.ok()) {
    return s;
  }
  if (jwt_add_header(jwt.get(), "kid", key_id_.c_str()) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_ES256,
                  reinterpret_cast<const unsigned char*>(pem_.data()),
                  static_cast<int>(pem_.size())) != 0) {
    return absl::InternalError("token: cannot set the signing key");
  }
  char* text = jwt_encode_str(jwt.get());
  if (text == nullptr) return absl::InternalError("token: cannot sign");
  std::string token(text);
  free(text);  // NOLINT(cppcoreguidelines-no-malloc): libjwt allocates with
               // malloc
  return token;
}

absl::StatusOr<TokenVerifier> TokenVerifier::FromPems(
    const std::vector<std::string>& public_pems) {
  TokenVerifier verifier;
  for (const std::string& pem : public_pems) {
    if (pem.find("PRIVATE KEY") != std::string::npos) {
      return absl::InvalidArgumentError(
          "token key: a private key where the public one belongs");
    }
    absl::StatusOr<std::string> key_id = KeyIdOf(pem);
    if (!key_id.ok()) return key_id.status();
    verifier.keys_[*key_id] = pem;
  }
  if (verifier.keys_.empty()) {
    return absl::InvalidArgumentError("token keys: none given");
  }
  return verifier;
}

absl::StatusOr<TokenVerifier> TokenVerifier::FromPemFiles(
    const std::vector<std::string>& paths) {
  std::vector<std::string> pems;
  for (const std::string& path : paths) {
    absl::StatusOr<std::string> pem = ReadKeyFile(path);
    if (!pem.ok()) return pem.status();
    pems.push_back(*std::move(pem));
  }
  return FromPems(pems);
}

absl::StatusOr<v1::Account> TokenVerifier::Verify(absl::string_view token,
                                                  absl::Time now) const {
  if (token.empty()) return Unauthenticated("no token");
  if (token.size() > kMaxTokenBytes) return Unauthenticated("token too long");
  const std::string text(token);
  {
    absl::MutexLock lock(&cache_->mu);
    auto known = cache_->tokens.find(text);
    if (known != cache_->tokens.end()) {
      if (now >= known->second.expires) return Unauthenticated("token expired");
      return known->second.account;
    }
  }
  absl::StatusOr<Verified> verified = VerifySigned(text, now);
  if (!verified.ok()) return verified.status();
  absl::MutexLock lock(&cache_->mu);
  if (cache_->tokens.size() >= kMaxRememberedTokens) cache_->tokens.clear();
  cache_->tokens.emplace(text, *verified);
  return verified->account;
}

absl::StatusOr<TokenVerifier::Verified> TokenVerifier::VerifySigned(
    const std::string& text, absl::Time now) const {
  // The header first, unverified, only to pick the key.
  jwt_t* raw = nullptr;
  if (jwt_decode(&raw, text.c_str(), nullptr, 0) != 0) {
    return Unauthenticated("not a token");
  }
  JwtPtr unverified(raw);
  const char* kid = jwt_get_header(unverified.get(), "kid");
  auto key = keys_.find(kid != nullptr ? kid : "");
  if (key == keys_.end()) {
    return Unauthenticated("token signed by an unknown key");
  }
  raw = nullptr;
  if (jwt_decode(&raw, text.c_str(),
                 reinterpret_cast<const unsigned char*>(key->second.data()),
                 static_cast<int>(key->second.size())) != 0) {
    return Unauthenticated("token signature does not verify");
  }
  JwtPtr jwt(raw);
  // libjwt verifies with whatever algorithm the token names; only ES256 is
  // ours (an HS256 token "signed" with the public key must not pass).
  if (jwt_get_alg(jwt.get()) != JWT_ALG_ES256) {
    return Unauthenticated("token not signed with ES256");
  }
  const long expires = jwt_get_grant_int(jwt.get(), "exp");
  const long issued = jwt_get_grant_int(jwt.get(), "iat");
  const long now_s = absl::ToUnixSeconds(now);
  if (expires <= 0 || now_s >= expires) {
    return Unauthenticated("token expired");
  }
  // A minute of leeway for clocks a little apart.
  if (issued > now_s + 60) {
    return Unauthenticated("token issued in the future");
  }
  absl::StatusOr<v1::Account> account = AccountOf(jwt.get());
  if (!account.ok()) return account.status();
  return Verified{.account = *std::move(account),
                  .expires = absl::FromUnixSeconds(expires)};
}

}  // namespace tiendo
