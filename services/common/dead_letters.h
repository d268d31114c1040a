#ifndef TIENDO_SERVICES_COMMON_DEAD_LETTERS_H_
#define TIENDO_SERVICES_COMMON_DEAD_LETTERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"

namespace tiendo {

// Header names on a dead letter; its value is the original record's bytes
// and its key the original key.
inline constexpr char kDlqReasonHeader[] = "dlq-reason";
inline constexpr char kDlqTopicHeader[] = "dlq-topic";
inline constexpr char kDlqPartitionHeader[] = "dlq-partition";
inline constexpr char kDlqOffsetHeader[] = "dlq-offset";
inline constexpr char kDlqConsumerHeader[] = "dlq-consumer";
// Instead of partition, offset and consumer on an outbox event the broker
// refused for good (it never was on a topic): the service whose outbox it
// left.
inline constexpr char kDlqProducerHeader[] = "dlq-producer";

// Who gave up on the records of a DeadLetters store; both share the
// dead_letters table, each publishing only its own rows.
enum class DeadLetterOrigin {
  kConsumer,  // records a consumer read and could not use
  kOutbox,    // outbox events the broker refused for good: partition and
              // offset -1
};

// A record a consumer could not use, or an outbox event the broker refused.
struct DeadLetter {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::string value;
  std::string reason;
};

// The dead letter of an outbox event the broker refused for good: its key
// and bytes, with a reason naming the broker's error, the topic, the event's
// type and id. An event refused for its size, or one whose dead letter would
// be over kMaxEventBytes, keeps only the envelope's identifying fields
// (WithoutPayload), and the reason says so: the dead letter must itself be
// publishable.
DeadLetter RefusedEventLetter(const OutboxMessage& message,
                              const Refusal& refusal);

// `value` as an EventEnvelope without its payload (ids, type, source,
// sequence, time, unit kept); empty when it is not an envelope.
std::string WithoutPayload(absl::string_view value);

// Dead letters kept in the service's own database until the broker
// acknowledged them on the dead-letter topic. A consumer adds them in the
// transaction that stores the offset past the record, so a record is
// dead-lettered exactly when it is skipped, once, across restarts; the
// outbox adds them in the transaction that deletes the refused event.
class DeadLetters final : public MessageStore {
 public:
  // `name` names the consuming service in the dlq-consumer header, or the
  // producing one in dlq-producer.
  DeadLetters(Database& db, std::string name,
              std::string topic = kDeadLetterTopic,
              DeadLetterOrigin origin = DeadLetterOrigin::kConsumer)
      : db_(db),
        name_(std::move(name)),
        topic_(std::move(topic)),
        origin_(origin) {}

  // Creates the table if missing. Call once at start-up.
  absl::Status Init();
  // Inside db.Transaction().
  absl::Status Add(const DeadLetter& letter);

  absl::StatusOr<std::vector<OutboxMessage>> Peek(int limit) override;
  absl::Status Remove(const std::vector<OutboxMessage>& messages) override;
  absl::StatusOr<int64_t> PendingCount() override;
  // A dead letter the dead-letter topic refused for good is sent again
  // without its value (WithoutPayload), the reason saying so; one that has
  // nothing left to drop is deleted and logged.
  absl::Status SetAside(const OutboxMessage& message,
                        const Refusal& refusal) override;

 private:
  // The SQL condition selecting this origin's rows.
  const char* OwnRows() const;
  OutboxMessage ToMessage(const Statement& row) const;

  Database& db_;
  const std::string name_;
  const std::string topic_;
  const DeadLetterOrigin origin_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_DEAD_LETTERS_H_
