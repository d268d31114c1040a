#include "services/common/rate_limiter.h"

#include <algorithm>
#include <utility>

namespace tiendo {
namespace {

// More keys than this and the full buckets are dropped.
constexpr size_t kMaxBuckets = 10000;

}  // namespace

RateLimiter::RateLimiter(double per_second, double burst,
                         std::function<absl::Time()> now)
    : per_second_(per_second),
      burst_(std::max(1.0, burst)),
      now_(std::move(now)) {}

double RateLimiter::Refilled(const Bucket& bucket, absl::Time now) const {
  const double elapsed = absl::ToDoubleSeconds(now - bucket.last);
  return std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * per_second_);
}

bool RateLimiter::Admit(const std::string& key) {
  const absl::Time now = now_();
  absl::MutexLock lock(&mu_);
  auto [it, added] = buckets_.try_emplace(key, Bucket{burst_, now});
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now);
  bucket.last = now;
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  if (added && buckets_.size() > kMaxBuckets) ForgetFullBuckets(now);
  return true;
}

void RateLimiter::ForgetFullBuckets(absl::Time now) {
  absl::erase_if(buckets_, [&](const auto& entry) {
    return Refilled(entry.second, now) >= burst_;
  });
}

}  // namespace tiendo
