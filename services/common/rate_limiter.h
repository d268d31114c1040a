#ifndef TIENDO_SERVICES_COMMON_RATE_LIMITER_H_
#define TIENDO_SERVICES_COMMON_RATE_LIMITER_H_

#include <cstddef>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace tiendo {

// A token bucket per key (an account): `per_second` sustained, up to
// `burst` at once. Buckets that are full again are forgotten when the map
// grows past a bound, so many one-off keys cannot grow it for ever.
class RateLimiter {
 public:
  RateLimiter(
      double per_second, double burst,
      std::function<absl::Time()> now = [] { return absl::Now(); });

  // Takes one token from `key`'s bucket; false when it is empty.
  bool Admit(const std::string& key);
  double per_second() const { return per_second_; }

 private:
  struct Bucket {
    double tokens;
    absl::Time last;
  };
  // Tokens of a bucket at `now`.
  double Refilled(const Bucket& bucket, absl::Time now) const;
  void ForgetFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const double per_second_;
  const double burst_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_RATE_LIMITER_H_
