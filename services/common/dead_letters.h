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

// A record a consumer could not use.
struct DeadLetter {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::string value;
  std::string reason;
};

// Records a consumer gave up on, kept in the consumer's own database until
// the broker acknowledged them on the dead-letter topic. They are added in
// the transaction that stores the offset past the record, so a record is
// dead-lettered exactly when it is skipped, once, across restarts.
class DeadLetters final : public MessageStore {
 public:
  // `consumer` names the consuming service in the dlq-consumer header.
  DeadLetters(Database& db, std::string consumer,
              std::string topic = kDeadLetterTopic)
      : db_(db), consumer_(std::move(consumer)), topic_(std::move(topic)) {}

  // Creates the table if missing. Call once at start-up.
  absl::Status Init();
  // Inside db.Transaction().
  absl::Status Add(const DeadLetter& letter);

  absl::StatusOr<std::vector<OutboxMessage>> Peek(int limit) override;
  absl::Status Remove(const std::vector<OutboxMessage>& messages) override;
  absl::StatusOr<int64_t> PendingCount() override;

 private:
  Database& db_;
  const std::string consumer_;
  const std::string topic_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_DEAD_LETTERS_H_
