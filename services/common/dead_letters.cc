#include "services/common/dead_letters.h"

#include "absl/strings/str_cat.h"
#include "services/common/message_table.h"
#include "services/common/shared_schema.h"

namespace tiendo {

absl::Status DeadLetters::Init() {
  return db_.Transaction([&] { return db_.Exec(kDeadLettersTableSql); });
}

absl::Status DeadLetters::Add(const DeadLetter& letter) {
  absl::StatusOr<Statement> insert = db_.Prepare(
      "INSERT INTO dead_letters(source_topic, source_partition, "
      "source_offset, key, value, reason) VALUES(?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  if (letter.key.has_value()) {
    insert->Bind(letter.topic, letter.partition, letter.offset,
                 Statement::Blob{*letter.key}, Statement::Blob{letter.value},
                 letter.reason);
  } else {
    insert->Bind(letter.topic, letter.partition, letter.offset, std::nullopt,
                 Statement::Blob{letter.value}, letter.reason);
  }
  return insert->Run();
}

absl::StatusOr<std::vector<OutboxMessage>> DeadLetters::Peek(int limit) {
  return PeekMessageRows(
      db_,
      "SELECT id, source_topic, source_partition, source_offset, key, "
      "value, reason FROM dead_letters ORDER BY id LIMIT ?",
      limit, [this](const Statement& q) {
        OutboxMessage m;
        m.id = q.Int(0);
        m.topic = topic_;
        m.key = q.Text(4);
        m.payload = q.Text(5);
        m.headers = {{kDlqReasonHeader, q.Text(6)},
                     {kDlqTopicHeader, q.Text(1)},
                     {kDlqPartitionHeader, absl::StrCat(q.Int(2))},
                     {kDlqOffsetHeader, absl::StrCat(q.Int(3))},
                     {kDlqConsumerHeader, consumer_}};
        return m;
      });
}

absl::Status DeadLetters::Remove(const std::vector<OutboxMessage>& messages) {
  return DeleteMessageRows(db_, "dead_letters", messages);
}

absl::StatusOr<int64_t> DeadLetters::PendingCount() {
  return CountMessageRows(db_, "dead_letters");
}

}  // namespace tiendo
