#include "services/common/consumer_lag.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tiendo {

void ConsumerLag::Assigned(const std::string& topic, int32_t partition,
                           int64_t next_offset) {
  positions_[{topic, partition}] = next_offset >= 0 ? next_offset : -1;
}

void ConsumerLag::Revoked() { positions_.clear(); }

void ConsumerLag::Applied(const std::string& topic, int32_t partition,
                          int64_t next_offset) {
  positions_[{topic, partition}] = next_offset;
}

void ConsumerLag::Sample(RdKafka::KafkaConsumer& consumer,
                         absl::Duration every) {
  const absl::Time now = absl::Now();
  if (now - last_sample_ < every) return;
  last_sample_ = now;
  for (const auto& [tp, position] : positions_) {
    int64_t low = -1, high = -1;
    if (consumer.get_watermark_offsets(tp.first, tp.second, &low, &high) !=
            RdKafka::ERR_NO_ERROR ||
        high < 0) {
      continue;  // not fetched yet
    }
    // Started from the beginning and applied nothing: behind by all the
    // partition holds.
    const int64_t next = position >= 0 ? position : low;
    if (next < 0) continue;
    metrics_
        .Gauge("tiendo_consumer_lag",
               "Records on the broker the consumer has not applied yet (high "
               "watermark minus its position), by topic and partition.",
               {{"topic", tp.first}, {"partition", absl::StrCat(tp.second)}})
        .Set(static_cast<double>(std::max<int64_t>(0, high - next)));
  }
}

}  // namespace tiendo
