#include "services/common/dead_letters.h"

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/message_table.h"
#include "services/common/shared_schema.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo {

std::string WithoutPayload(absl::string_view value) {
  v1::EventEnvelope event;
  if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return "";
  }
  event.clear_payload();
  event.DiscardUnknownFields();
  return event.SerializeAsString();
}

DeadLetter RefusedEventLetter(const OutboxMessage& message,
                              const Refusal& refusal) {
  v1::EventEnvelope event;
  const std::string event_id = event.ParseFromString(message.payload)
                                   ? event.event_id()
                                   : "(not an envelope)";
  DeadLetter letter{
      .topic = message.topic,
      .partition = -1,
      .offset = -1,
      .key = message.key,
      .value = message.payload,
      .reason = absl::StrCat(
          "the broker refused this event for good: ", refusal.reason,
          "; topic ", message.topic, ", event ", message.type, " ", event_id)};
  // The dead-letter topic is on the same brokers: what they found too large
  // there they would find too large here.
  if (refusal.too_large ||
      letter.value.size() + letter.key->size() + letter.reason.size() >
          kMaxEventBytes) {
    const size_t dropped = letter.value.size();
    letter.value = WithoutPayload(message.payload);
    absl::StrAppend(&letter.reason, "; its ", dropped,
                    " bytes dropped, only the envelope's identifying fields "
                    "kept");
  }
  return letter;
}

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

const char* DeadLetters::OwnRows() const {
  return origin_ == DeadLetterOrigin::kOutbox ? "source_partition < 0"
                                              : "source_partition >= 0";
}

OutboxMessage DeadLetters::ToMessage(const Statement& row) const {
  OutboxMessage m;
  m.id = row.Int(0);
  m.topic = topic_;
  m.key = row.Text(4);
  m.payload = row.Text(5);
  m.headers = {{kDlqReasonHeader, row.Text(6)}, {kDlqTopicHeader, row.Text(1)}};
  if (origin_ == DeadLetterOrigin::kOutbox) {
    m.headers.emplace_back(kDlqProducerHeader, name_);
    return m;
  }
  m.headers.emplace_back(kDlqPartitionHeader, absl::StrCat(row.Int(2)));
  m.headers.emplace_back(kDlqOffsetHeader, absl::StrCat(row.Int(3)));
  m.headers.emplace_back(kDlqConsumerHeader, name_);
  return m;
}

absl::StatusOr<std::vector<OutboxMessage>> DeadLetters::Peek(int limit) {
  return PeekMessageRows(
      db_,
      absl::StrCat("SELECT id, source_topic, source_partition, source_offset, "
                   "key, value, reason FROM dead_letters WHERE ",
                   OwnRows(), " ORDER BY id LIMIT ?"),
      limit, [this](const Statement& q) { return ToMessage(q); });
}

absl::Status DeadLetters::Remove(const std::vector<OutboxMessage>& messages) {
  return DeleteMessageRows(db_, "dead_letters", messages);
}

absl::StatusOr<int64_t> DeadLetters::PendingCount() {
  return CountMessageRows(db_, "dead_letters", OwnRows());
}

absl::Status DeadLetters::SetAside(const OutboxMessage& message,
                                   const Refusal& refusal) {
  const std::string smaller = WithoutPayload(message.payload);
  if (smaller.size() >= message.payload.size()) {
    // Nothing left to drop: kept, it would hold up every dead letter behind
    // it forever; the log keeps its trace.
    std::string reason;
    for (const auto& [name, value] : message.headers) {
      if (name == kDlqReasonHeader) reason = value;
    }
    LogError("dead letter %d refused for good on %s (%s), dropped: %s",
             message.id, message.topic, refusal.reason, reason);
    return DeleteMessageRows(db_, "dead_letters", {message});
  }
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> update = db_.Prepare(
        "UPDATE dead_letters SET value = ?, reason = reason || ? WHERE id = ?");
    if (!update.ok()) return update.status();
    update->Bind(
        Statement::Blob{smaller},
        absl::StrCat(
            "; refused for good on ", message.topic, " too (", refusal.reason,
            "): its ", message.payload.size(), " bytes dropped",
            smaller.empty() ? ""
                            : ", only the envelope's identifying fields kept"),
        message.id);
    return update->Run();
  });
}

}  // namespace tiendo
