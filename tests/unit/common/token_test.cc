#include "services/common/token.h"

#include <jwt.h>

#include <cstdlib>
#include <cstring>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/access.h"
#include "tests/unit/common/test_keys.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPrivate = testing::kTestPrivateKey;
constexpr const char* kPublic = testing::kTestPublicKey;

const absl::Time kNow = absl::FromUnixSeconds(1780000000);

v1::Account Reporter() {
  v1::Account account;
  account.set_name("vinhthuy.kinhte.lan");
  account.set_unit("vinh-thuy");
  account.add_agencies("vinhthuy.kinhte");
  account.add_roles(v1::ROLE_REPORTER);
  return account;
}

TokenVerifier Verifier() {
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::FromPems({kPublic});
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return *std::move(verifier);
}

std::string Sign(absl::Time at, absl::Duration valid_for) {
  absl::StatusOr<TokenSigner> signer = TokenSigner::FromPem(kPrivate);
  EXPECT_TRUE(signer.ok()) << signer.status();
  absl::StatusOr<std::string> token = signer->Sign(Reporter(), at, valid_for);
  EXPECT_TRUE(token.ok()) << token.status();
  return *token;
}

TEST(TokenTest, CarriesTheAccountWhileValid) {
  absl::StatusOr<v1::Account> account =
      Verifier().Verify(Sign(kNow, absl::Hours(8)), kNow + absl::Hours(1));
  ASSERT_TRUE(account.ok()) << account.status();
  EXPECT_EQ(account->name(), "vinhthuy.kinhte.lan");
  EXPECT_EQ(account->unit(), "vinh-thuy");
  EXPECT_THAT(account->agencies(), ::testing::ElementsAre("vinhthuy.kinhte"));
  EXPECT_THAT(account->roles(), ::testing::ElementsAre(v1::ROLE_REPORTER));
}

TEST(TokenTest, ExpiredTamperedAndForeignTokensAreRefused) {
  const std::string token = Sign(kNow, absl::Hours(8));
  EXPECT_THAT(
      Verifier().Verify(token, kNow + absl::Hours(9)).status().message(),
      HasSubstr("expired"));
  std::string tampered = token;
  tampered[tampered.find('.') + 5] ^= 1;  // a byte of the claims
  EXPECT_EQ(Verifier().Verify(tampered, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Verifier().Verify("", kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Verifier().Verify("a.b.c", kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(TokenTest, ARememberedTokenStillExpires) {
  const TokenVerifier verifier = Verifier();
  const std::string token = Sign(kNow, absl::Hours(8));
  EXPECT_TRUE(verifier.Verify(token, kNow).ok());
  EXPECT_TRUE(verifier.Verify(token, kNow + absl::Hours(7)).ok());
  EXPECT_THAT(verifier.Verify(token, kNow + absl::Hours(8)).status().message(),
              HasSubstr("expired"));
}

TEST(TokenTest, AnHmacTokenKeyedWithThePublicKeyIsRefused) {
  // The classic confusion: HS256 "signed" with the verifier's public key.
  jwt_t* jwt = nullptr;
  ASSERT_EQ(jwt_new(&jwt), 0);
  jwt_add_grant(jwt, "sub", "attacker");
  jwt_add_grant_int(jwt, "exp", absl::ToUnixSeconds(kNow) + 3600);
  absl::StatusOr<std::string> kid = KeyIdOf(kPublic);
  ASSERT_TRUE(kid.ok());
  jwt_add_header(jwt, "kid", kid->c_str());
  jwt_set_alg(jwt, JWT_ALG_HS256,
              reinterpret_cast<const unsigned char*>(kPublic),
              static_cast<int>(std::strlen(kPublic)));
  char* text = jwt_encode_str(jwt);
  const std::string forged = text != nullptr ? text : "";
  free(text);  // NOLINT(cppcoreguidelines-no-malloc): libjwt's allocation
  jwt_free(jwt);
  EXPECT_EQ(Verifier().Verify(forged, kNow).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(AccessTest, AgencyAndUnitComeFromTheCredential) {
  Credential reporter{.account = Reporter(), .service = false};
  EXPECT_EQ(*AgencyFor(reporter, "", "agency"), "vinhthuy.kinhte");
  EXPECT_THAT(
      AgencyFor(reporter, "vinhthuy.congan", "agency").status().message(),
      HasSubstr("does not act for vinhthuy.congan"));
  EXPECT_EQ(RequireRole(reporter, v1::ROLE_VIEWER).code(),
            absl::StatusCode::kPermissionDenied);
  const ParentOf parent = [](const std::string& unit) {
    return unit == "vinh-thuy" ? std::string("quang-tri") : std::string("vn");
  };
  EXPECT_TRUE(RequireWithin(reporter, "vinh-thuy", parent, "unit").ok());
  EXPECT_EQ(RequireWithin(reporter, "quang-tri", parent, "unit").code(),
            absl::StatusCode::kPermissionDenied);
  Credential admin;
  admin.account.add_roles(v1::ROLE_ADMIN);
  EXPECT_TRUE(RequireWithin(admin, "quang-tri", parent, "unit").ok());
  EXPECT_TRUE(admin.Has(v1::ROLE_REPORTER));
  EXPECT_TRUE(admin.ActsFor("vinhthuy.congan"));
}

}  // namespace
}  // namespace tiendo
