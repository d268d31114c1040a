#ifndef TIENDO_SERVICES_COMMON_CONSUMER_LAG_H_
#define TIENDO_SERVICES_COMMON_CONSUMER_LAG_H_

#include <librdkafka/rdkafkacpp.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "services/common/metrics.h"

namespace tiendo {

// How far a consumer is behind the broker, per assigned partition: the
// partition's high watermark minus the next offset the consumer will
// apply, as the gauge tiendo_consumer_lag{topic, partition}. The high
// watermark is the one the consumer last heard in a fetch response, so
// sampling costs no request to the broker. Used from the consumer's
// thread only.
class ConsumerLag {
 public:
  explicit ConsumerLag(Metrics& metrics) : metrics_(metrics) {}

  // The partition is read from `next_offset` on; a logical offset (the
  // beginning) leaves its position unknown until a record is applied.
  void Assigned(const std::string& topic, int32_t partition,
                int64_t next_offset);
  void Revoked();
  // Records up to next_offset - 1 were applied and committed.
  void Applied(const std::string& topic, int32_t partition,
               int64_t next_offset);
  // Sets the gauges, at most once per `every`.
  void Sample(RdKafka::KafkaConsumer& consumer,
              absl::Duration every = absl::Seconds(1));

 private:
  // Next offset per (topic, partition); -1 while unknown.
  std::map<std::pair<std::string, int32_t>, int64_t> positions_;
  Metrics& metrics_;
  absl::Time last_sample_ = absl::InfinitePast();
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_CONSUMER_LAG_H_
