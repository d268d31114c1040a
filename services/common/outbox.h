#ifndef TIENDO_SERVICES_COMMON_OUTBOX_H_
#define TIENDO_SERVICES_COMMON_OUTBOX_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "services/common/clock.h"
#include "services/common/metrics.h"
#include "services/common/sqlite.h"
#include "services/common/topics.h"  // the topics outbox rows go to
#include "tiendo/v1/events.pb.h"

namespace tiendo {

// An event waiting in the outbox to be published.
struct OutboxMessage {
  int64_t id = 0;
  std::string topic;
  std::string key;
  std::string payload;  // serialized EventEnvelope (raw bytes for a dead
                        // letter)
  std::string type;     // envelope type, sent as a header for tools; none
                        // when empty
  // Further record headers, name and value, in order.
  std::vector<std::pair<std::string, std::string>> headers;
};

// Why the broker will never take a message, however often it is sent.
struct Refusal {
  std::string reason;  // the broker's error
  // Refused for its size: a dead letter carrying the same bytes would be
  // refused too.
  bool too_large = false;
};

// What the broker did with a batch of messages.
struct PublishOutcome {
  // How many messages, from the front, the broker acknowledged.
  size_t acknowledged = 0;
  // Set when the message right after those was refused for good; unset,
  // the rest failed for a passing reason (or was not tried). Either way the
  // messages behind it were not acknowledged and are sent again.
  std::optional<Refusal> refused;
};

// Where the publisher sends events: Kafka in production and in integration
// tests, a fake in unit tests.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Sends messages in order. An error means nothing was acknowledged and
  // everything is worth sending again.
  virtual absl::StatusOr<PublishOutcome> Publish(
      const std::vector<OutboxMessage>& messages) = 0;
};

// Messages kept in SQLite until the broker acknowledged them, in the order
// they must be sent: what OutboxPublisher sends from.
class MessageStore {
 public:
  virtual ~MessageStore() = default;
  // Oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<OutboxMessage>> Peek(int limit) = 0;
  // Deletes the given messages (after the broker acknowledged them).
  virtual absl::Status Remove(const std::vector<OutboxMessage>& messages) = 0;
  virtual absl::StatusOr<int64_t> PendingCount() = 0;
  // Takes `message` (one Peek gave), which the broker refused for good, out
  // of the way of the messages behind it, in one transaction: into the dead
  // letters with `refusal` and what identifies the message as reason, or,
  // for a message that is a dead letter already, with less of it.
  virtual absl::Status SetAside(const OutboxMessage& message,
                                const Refusal& refusal) = 0;
  // How long `message` (one Peek gave) has waited, when the store knows
  // when it was written; nullopt when it does not.
  virtual std::optional<absl::Duration> AgeOf(
      const OutboxMessage& /*message*/) {
    return std::nullopt;
  }
};

// The largest serialized event the outbox accepts: below librdkafka's
// default message.max.bytes (1,000,000) and a Kafka broker's default
// (1 MiB), with room for the key and headers. A bigger event could never be
// sent and would hold up every event behind it, so the change making it is
// refused instead.
inline constexpr size_t kMaxEventBytes = 900000;

class DeadLetters;

// The events a state change causes, written in the same SQLite transaction
// as the change itself, so that neither exists without the other. An event
// the broker refuses for good is moved to the dead letters of this source
// (see DeadLetters, origin kOutbox), which the outbox then sends to the
// dead-letter topic behind its events: Peek gives the waiting events first,
// then, with the room left, the waiting dead letters (their topic is
// kDeadLetterTopic, which no event has).
class Outbox final : public MessageStore {
 public:
  Outbox(Database& db, std::string source, const Clock& clock);
  ~Outbox() override;

  // Creates the outbox tables if missing (the dead letters' at the first
  // event set aside, unless the service's schema has it). Call once at
  // start-up.
  absl::Status Init();

  // Inside db.Transaction(): stamps the envelope (event id, source,
  // per-source sequence, occurred-at, schema version) and queues it.
  absl::Status Append(absl::string_view topic, absl::string_view key,
                      v1::EventEnvelope envelope);

  absl::StatusOr<std::vector<OutboxMessage>> Peek(int limit) override;
  absl::Status Remove(const std::vector<OutboxMessage>& messages) override;
  absl::StatusOr<int64_t> PendingCount() override;
  // An event: deleted and added to the dead letters in one transaction.
  absl::Status SetAside(const OutboxMessage& message,
                        const Refusal& refusal) override;
  // Since the event was appended (its occurred_at, on the clock).
  std::optional<absl::Duration> AgeOf(const OutboxMessage& message) override;

 private:
  static bool IsDeadLetter(const OutboxMessage& message) {
    return message.topic == kDeadLetterTopic;
  }

  Database& db_;
  const std::string source_;
  const Clock& clock_;
  std::unique_ptr<DeadLetters> dead_letters_;
  // Whether the dead_letters table exists: without it there are none.
  std::atomic<bool> has_dead_letters_{false};
};

// Sends the outbox (or any MessageStore) to the sink in order, oldest first,
// and deletes what was acknowledged. A message the broker refused for good is
// set aside (MessageStore::SetAside), logged and counted in
// tiendo_outbox_dead_lettered_total{topic}, and the messages behind it go on.
// Woken after each write; also polls, so nothing is stranded if a wake-up is
// missed or the broker was away. Samples the store's depth and the age of its
// oldest message into Metrics::Default() (labelled with `queue`) after each
// send and every second.
class OutboxPublisher {
 public:
  OutboxPublisher(MessageStore& outbox, EventSink& sink,
                  const std::string& queue = "outbox");
  ~OutboxPublisher() { Stop(); }

  void Start();
  void Stop();
  void Wake();
  // Publishes until the outbox is empty or the sink fails; for tests and
  // shutdown.
  absl::Status Drain();
  // How long the outbox has had messages waiting without the broker taking
  // any; a moment (its poll interval) while it is empty or moving. Health
  // turns NOT_SERVING past a
  // limit, since the service then accepts writes whose events go nowhere.
  absl::Duration StuckFor() const;

 private:
  void Run();
  absl::StatusOr<size_t> PublishBatch();
  // Sets the depth and oldest-age gauges (on the publisher's thread).
  void SampleDepth();
  // Sets aside the message the broker refused for good.
  absl::Status SetAside(const OutboxMessage& message, const Refusal& refusal);

  const std::string queue_;
  MessageStore& outbox_;
  EventSink& sink_;
  MetricGauge depth_;
  MetricGauge oldest_age_;
  // The oldest message's id and when the publisher first saw it pending:
  // its age is counted from then, so messages a previous run left behind
  // count from this start.
  int64_t oldest_id_ = 0;
  absl::Time oldest_seen_;
  absl::Time last_sample_ = absl::InfinitePast();
  // When the outbox was last seen empty or a batch was acknowledged.
  std::atomic<int64_t> last_moved_us_{absl::ToUnixMicros(absl::Now())};
  absl::Mutex mu_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// A random 128-bit id in UUID text form.
std::string NewEventId();

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_OUTBOX_H_
