#ifndef TIENDO_SERVICES_COMMON_KAFKA_H_
#define TIENDO_SERVICES_COMMON_KAFKA_H_

#include <librdkafka/rdkafkacpp.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/common/consumer_lag.h"
#include "services/common/dead_letters.h"
#include "services/common/event_signature.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo {

// Publishes outbox messages to Kafka with an idempotent producer (acks=all),
// keyed by task id so events of one task stay in order. Counts what the
// broker acknowledged in tiendo_events_produced_total{topic}.
// Client settings every producer and consumer of the process gets, after
// its own (security.protocol, sasl.*, ssl.*: see README, "Running against
// a real Kafka cluster"). Set once, before any client is made.
void SetKafkaClientSettings(
    std::vector<std::pair<std::string, std::string>> settings);
// Reads `name=value` lines (blank lines and # comments skipped) of a
// librdkafka properties file; an error names the line.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ReadKafkaClientSettings(const std::string& path);

class KafkaEventSink final : public EventSink {
 public:
  // With a signer, each record carries the signature of its value (see
  // event_signature.h); the sink does not own it.
  static absl::StatusOr<std::unique_ptr<KafkaEventSink>> Create(
      const std::string& brokers, const std::string& client_id,
      const EventSigner* signer = nullptr);
  ~KafkaEventSink() override;

  // A message refused with a size error or INVALID_RECORD (after being sent
  // alone, when others went with it) is refused for good.
  absl::StatusOr<PublishOutcome> Publish(
      const std::vector<OutboxMessage>& messages) override;

 private:
  class DeliveryReports;
  KafkaEventSink() = default;
  // The record headers of `m` (type, its own, the signature); the caller
  // owns them until produce() takes them.
  RdKafka::Headers* HeadersOf(const OutboxMessage& m) const;
  // Queues the messages in order and waits for their delivery reports
  // (reports_->results); returns the error that stopped queuing, if any.
  std::string ProduceAll(const std::vector<OutboxMessage>& messages);

  std::unique_ptr<DeliveryReports> reports_;
  std::unique_ptr<RdKafka::Producer> producer_;
  const EventSigner* signer_ = nullptr;
};

// What a consuming service does with the events it reads.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  // Applies one event inside the consumer's SQLite transaction, the same one
  // that stores the partition offsets. InvalidArgument means the event
  // itself is unusable (missing ids, ...): it goes to the dead-letter topic
  // with the status as reason, and the consumer carries on. Any other error
  // rolls the batch back and it is read again.
  virtual absl::Status Apply(absl::string_view topic,
                             const v1::EventEnvelope& event) = 0;
  // After a batch committed (wake watchers, etc.).
  virtual void Committed() {}
  // After a batch was rolled back: forget what Apply() prepared for it.
  virtual void RolledBack() {}
  // The stream cannot be trusted for this partition: the broker no longer
  // has events this consumer has not seen (it fell behind retention) or has
  // fewer events than this consumer already read (the broker restarted
  // empty). The handler rebuilds what it needs from the owning service.
  virtual void StreamGap(absl::string_view topic, int32_t partition,
                         absl::string_view reason) = 0;
};

struct ConsumerOptions {
  std::string brokers;
  std::string group_id;
  std::vector<std::string> topics;
  int session_timeout_ms = 6000;
  int max_batch = 500;
  // Where records no handler can use go (see DeadLetters).
  std::string dead_letter_topic = kDeadLetterTopic;
  // Records of a topic with an owner must carry its valid signature, or
  // they are dead-lettered; null: no check (the adapter's own tests).
  const EventVerifier* verifier = nullptr;
  // Signs the dead letters this consumer publishes.
  const EventSigner* signer = nullptr;
};

// A consumer-group member that keeps its position in the service's own
// database: each batch of events and the next offsets are committed in one
// transaction, and on assignment it seeks to the stored offsets. That gives
// each event exactly one effect across crashes without a dedupe table.
// Records that are not an EventEnvelope, or that the handler refuses as
// invalid, are queued as dead letters in the same transaction and published
// to the dead-letter topic by their own idempotent producer.
// Metrics (Metrics::Default()): tiendo_events_consumed_total{topic},
// tiendo_dead_letters_total{topic}, tiendo_consumer_lag{topic, partition}.
class KafkaEventConsumer final : public RdKafka::RebalanceCb {
 public:
  KafkaEventConsumer(ConsumerOptions options, Database& db,
                     EventHandler& handler);
  ~KafkaEventConsumer() override;

  absl::Status Start();
  void Stop();
  // True once partitions were assigned at least once.
  bool Ready() const { return ready_.load(); }
  // Events applied since start (tests and metrics).
  int64_t applied() const { return applied_.load(); }
  // Records dead-lettered since start (tests and metrics).
  int64_t dead_lettered() const { return dead_lettered_.load(); }

  // Holds the consumer between two batches until Resume(), and returns
  // once no batch is in flight: for a rebuild of the state the batches feed,
  // which must not interleave with them. Events keep arriving in Kafka and
  // are read after Resume(). A pause longer than max.poll.interval.ms (5
  // minutes) costs a rebalance, not events.
  void Pause();
  void Resume();

  void rebalance_cb(RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
                    std::vector<RdKafka::TopicPartition*>& partitions) override;

 private:
  void Run();
  // Fills `dead` with how many records of the batch were dead-lettered, by
  // topic.
  absl::Status ApplyBatch(
      const std::vector<std::unique_ptr<RdKafka::Message>>& batch,
      std::map<std::string, int64_t>& dead);
  // After a batch committed: counters, positions, the dead-letter publisher.
  void Committed(const std::vector<std::unique_ptr<RdKafka::Message>>& batch,
                 const std::map<std::string, int64_t>& dead);
  std::optional<int64_t> StoredOffset(const std::string& topic,
                                      int32_t partition);
  void ResetToEarliest(const std::string& topic, int32_t partition,
                       absl::string_view reason);

  const ConsumerOptions options_;
  Database& db_;
  EventHandler& handler_;
  std::unique_ptr<DeadLetters> dead_letters_;
  std::unique_ptr<KafkaEventSink> dead_letter_sink_;
  std::unique_ptr<OutboxPublisher> dead_letter_publisher_;
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> ready_{false};
  std::atomic<int64_t> applied_{0};
  std::atomic<int64_t> dead_lettered_{0};
  ConsumerLag lag_{Metrics::Default()};
  absl::Mutex pause_mu_;
  bool paused_ ABSL_GUARDED_BY(pause_mu_) = false;
  // The run loop waits at the top of a batch.
  bool parked_ ABSL_GUARDED_BY(pause_mu_) = false;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_KAFKA_H_
