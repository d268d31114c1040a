#include "services/common/rate_limiter.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

class RateLimiterTest : public ::testing::Test {
 protected:
  absl::Time now_ = absl::FromUnixSeconds(1780000000);
  RateLimiter limiter_{2, 3, [this] { return now_; }};
};

TEST_F(RateLimiterTest, AdmitsABurstThenTheSustainedRate) {
  EXPECT_TRUE(limiter_.Admit("lan"));
  EXPECT_TRUE(limiter_.Admit("lan"));
  EXPECT_TRUE(limiter_.Admit("lan"));
  EXPECT_FALSE(limiter_.Admit("lan"));
  now_ += absl::Milliseconds(500);  // one more at 2 a second
  EXPECT_TRUE(limiter_.Admit("lan"));
  EXPECT_FALSE(limiter_.Admit("lan"));
}

TEST_F(RateLimiterTest, EachKeyHasItsOwnBucket) {
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter_.Admit("lan"));
  EXPECT_FALSE(limiter_.Admit("lan"));
  EXPECT_TRUE(limiter_.Admit("hung"));
}

TEST_F(RateLimiterTest, ABucketRefillsOnlyUpToTheBurst) {
  EXPECT_TRUE(limiter_.Admit("lan"));
  now_ += absl::Hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter_.Admit("lan"));
  EXPECT_FALSE(limiter_.Admit("lan"));
}

TEST_F(RateLimiterTest, ManyKeysDoNotForgetAnEmptyBucket) {
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter_.Admit("lan"));
  // Past the bound of remembered keys: full buckets are dropped, the empty
  // one is kept.
  now_ += absl::Milliseconds(1);
  for (int i = 0; i < 10001; ++i) limiter_.Admit(absl::StrCat("k", i));
  EXPECT_FALSE(limiter_.Admit("lan"));
}

}  // namespace
}  // namespace tiendo
