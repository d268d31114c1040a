#include "services/common/event_signature.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/topics.h"
#include "tests/unit/common/test_keys.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

// The test key pair, standing for the progress service's.
constexpr const char* kPrivate = testing::kTestPrivateKey;
constexpr const char* kPublic = testing::kTestPublicKey;

TEST(EventSignatureTest, OnlyTheTopicsOwnerSignatureIsAccepted) {
  auto progress = EventSigner::FromPem("progress", kPrivate);
  auto impostor = EventSigner::FromPem("plan", kPrivate);
  ASSERT_TRUE(progress.ok() && impostor.ok());
  auto verifier =
      EventVerifier::FromPems({{"progress", kPublic}, {"plan", kPublic}},
                              {{kTaskUpdatedTopic, "progress"}});
  ASSERT_TRUE(verifier.ok()) << verifier.status();
  const std::string value = "an envelope's bytes";
  absl::StatusOr<std::string> signature = (*progress)->Sign(value);
  ASSERT_TRUE(signature.ok());

  EXPECT_EQ(
      (*verifier)->Rejection(kTaskUpdatedTopic, "progress", *signature, value),
      "");
  EXPECT_THAT((*verifier)->Rejection(kTaskUpdatedTopic, "", "", value),
              HasSubstr("not signed"));
  EXPECT_THAT((*verifier)->Rejection(kTaskUpdatedTopic, "plan",
                                     *(*impostor)->Sign(value), value),
              HasSubstr("signed by plan, not by progress"));
  EXPECT_THAT((*verifier)->Rejection(kTaskUpdatedTopic, "progress", *signature,
                                     "other bytes"),
              HasSubstr("does not verify"));
  // A topic with no owner listed (the dead letters) needs none.
  EXPECT_EQ((*verifier)->Rejection(kDeadLetterTopic, "", "", value), "");
}

TEST(EventSignatureTest, AnOwnerWithoutAKeyIsAnError) {
  EXPECT_THAT(EventVerifier::FromPems({}, TopicOwners()).status().message(),
              HasSubstr("no event key for"));
  EXPECT_THAT(
      EventVerifier::FromFlag({"plan"}, TopicOwners()).status().message(),
      HasSubstr("expected SIGNER=FILE"));
}

}  // namespace
}  // namespace tiendo
