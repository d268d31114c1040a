#include "services/common/outbox.h"

#include <algorithm>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/dead_letters.h"
#include "services/common/log.h"
#include "services/common/message_table.h"
#include "services/common/proto_convert.h"
#include "services/common/shared_schema.h"

namespace tiendo {

std::string NewEventId() {
  static absl::Mutex mu(absl::kConstInit);
  static absl::BitGen* gen = new absl::BitGen;
  absl::MutexLock lock(&mu);
  const uint64_t hi = absl::Uniform<uint64_t>(*gen);
  const uint64_t lo = absl::Uniform<uint64_t>(*gen);
  return absl::StrFormat(
      "%08x-%04x-4%03x-%04x-%012x", hi >> 32, (hi >> 16) & 0xffff, hi & 0x0fff,
      ((lo >> 48) & 0x3fff) | 0x8000, lo & 0xffffffffffffULL);
}

Outbox::Outbox(Database& db, std::string source, const Clock& clock)
    : db_(db),
      source_(std::move(source)),
      clock_(clock),
      dead_letters_(std::make_unique<DeadLetters>(db, source_, kDeadLetterTopic,
                                                  DeadLetterOrigin::kOutbox)) {}

Outbox::~Outbox() = default;

absl::Status Outbox::Init() {
  return db_.Transaction([&]() -> absl::Status {
    if (absl::Status s = db_.Exec(kOutboxTablesSql); !s.ok()) return s;
    // Not created here: a service's schema migrations recognise a database
    // made before versions were kept by its tables, and an Init() before
    // them must not make a new one look like a later version.
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
        "name = 'dead_letters'");
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    has_dead_letters_.store(*row);
    return absl::OkStatus();
  });
}

absl::Status Outbox::Append(absl::string_view topic, absl::string_view key,
                            v1::EventEnvelope envelope) {
  if (topic == kDeadLetterTopic) {
    return absl::InvalidArgumentError(
        "outbox: events do not go to the dead-letter topic");
  }
  absl::StatusOr<Statement> seq = db_.Prepare(
      "INSERT INTO event_sequence(source, last) VALUES(?, 1) "
      "ON CONFLICT(source) DO UPDATE SET last = last + 1 RETURNING last");
  if (!seq.ok()) return seq.status();
  seq->Bind(source_);
  absl::StatusOr<bool> row = seq->Step();
  if (!row.ok()) return row.status();
  envelope.set_sequence(static_cast<uint64_t>(seq->Int(0)));
  if (absl::Status s = seq->Run(); !s.ok()) return s;

  envelope.set_event_id(NewEventId());
  envelope.set_source(source_);
  envelope.set_schema_version(1);
  *envelope.mutable_occurred_at() = ToProto(clock_.Now());
  if (envelope.type().empty()) {
    switch (envelope.payload_case()) {
      case v1::EventEnvelope::kPlanChanged:
        envelope.set_type("tiendo.v1.PlanChanged");
        break;
      case v1::EventEnvelope::kTaskUpdated:
        envelope.set_type("tiendo.v1.TaskUpdated");
        break;
      case v1::EventEnvelope::kDeadlineApproaching:
        envelope.set_type("tiendo.v1.DeadlineApproaching");
        break;
      case v1::EventEnvelope::kTargetAtRisk:
        envelope.set_type("tiendo.v1.TargetAtRisk");
        break;
      default:
        return absl::InvalidArgumentError("outbox: envelope has no payload");
    }
  }
  const std::string payload = envelope.SerializeAsString();
  if (payload.size() > kMaxEventBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the ", envelope.type(), " event of this change would be ",
                     payload.size(), " bytes, more than the ", kMaxEventBytes,
                     " an event may have"));
  }
  absl::StatusOr<Statement> insert = db_.Prepare(
      "INSERT INTO outbox(topic, key, type, payload) VALUES(?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  insert->Bind(topic, key, envelope.type(), Statement::Blob{payload});
  return insert->Run();
}

absl::StatusOr<std::vector<OutboxMessage>> Outbox::Peek(int limit) {
  absl::StatusOr<std::vector<OutboxMessage>> messages = PeekMessageRows(
      db_,
      "SELECT id, topic, key, type, payload FROM outbox ORDER BY id LIMIT ?",
      limit, [](const Statement& q) {
        return OutboxMessage{q.Int(0),  q.Text(1), q.Text(2),
                             q.Text(4), q.Text(3), {}};
      });
  if (!messages.ok() || static_cast<int>(messages->size()) >= limit ||
      !has_dead_letters_.load()) {
    return messages;
  }
  // Behind the events, so a dead-letter topic that cannot take them for a
  // while holds up no event.
  absl::StatusOr<std::vector<OutboxMessage>> letters =
      dead_letters_->Peek(limit - static_cast<int>(messages->size()));
  if (!letters.ok()) return letters.status();
  for (OutboxMessage& letter : *letters) messages->push_back(std::move(letter));
  return messages;
}

absl::Status Outbox::Remove(const std::vector<OutboxMessage>& messages) {
  std::vector<OutboxMessage> events, letters;
  for (const OutboxMessage& m : messages) {
    (IsDeadLetter(m) ? letters : events).push_back(m);
  }
  if (absl::Status s = DeleteMessageRows(db_, "outbox", events); !s.ok()) {
    return s;
  }
  return dead_letters_->Remove(letters);
}

absl::StatusOr<int64_t> Outbox::PendingCount() {
  absl::StatusOr<int64_t> events = CountMessageRows(db_, "outbox");
  if (!events.ok() || !has_dead_letters_.load()) return events;
  absl::StatusOr<int64_t> letters = dead_letters_->PendingCount();
  if (!letters.ok()) return letters;
  return *events + *letters;
}

absl::Status Outbox::SetAside(const OutboxMessage& message,
                              const Refusal& refusal) {
  if (IsDeadLetter(message)) return dead_letters_->SetAside(message, refusal);
  absl::Status moved = db_.Transaction([&]() -> absl::Status {
    if (absl::Status s = db_.Exec(kDeadLettersTableSql); !s.ok()) return s;
    if (absl::Status s =
            dead_letters_->Add(RefusedEventLetter(message, refusal));
        !s.ok()) {
      return s;
    }
    return DeleteMessageRowsInTransaction(db_, "outbox", {message});
  });
  if (moved.ok()) has_dead_letters_.store(true);
  return moved;
}

std::optional<absl::Duration> Outbox::AgeOf(const OutboxMessage& message) {
  v1::EventEnvelope event;
  if (!event.ParseFromString(message.payload) || !event.has_occurred_at()) {
    return std::nullopt;
  }
  return std::max(absl::ZeroDuration(),
                  clock_.Now() - FromProto(event.occurred_at()));
}

OutboxPublisher::OutboxPublisher(MessageStore& outbox, EventSink& sink,
                                 const std::string& queue)
    : queue_(queue),
      outbox_(outbox),
      sink_(sink),
      depth_(Metrics::Default().Gauge(
          "tiendo_outbox_depth",
          "Messages written but not yet acknowledged by the broker, by queue "
          "(outbox: the service's events; dead_letters: records its consumer "
          "gave up on).",
          {{"queue", queue}})),
      oldest_age_(Metrics::Default().Gauge(
          "tiendo_outbox_oldest_age_seconds",
          "How long the oldest unacknowledged message has been waiting, by "
          "queue (0 when empty; for the outbox since its event occurred, "
          "for dead letters since this process first saw it).",
          {{"queue", queue}})) {}

void OutboxPublisher::SampleDepth() {
  last_sample_ = absl::Now();
  absl::StatusOr<int64_t> pending = outbox_.PendingCount();
  absl::StatusOr<std::vector<OutboxMessage>> oldest = outbox_.Peek(1);
  if (!pending.ok() || !oldest.ok()) return;  // sampled again soon
  depth_.Set(static_cast<double>(*pending));
  if (oldest->empty()) {
    oldest_age_.Set(0);
    return;
  }
  if (std::optional<absl::Duration> age = outbox_.AgeOf(oldest->front())) {
    oldest_age_.Set(absl::ToDoubleSeconds(*age));
    return;
  }
  // A store that does not know when its messages were written: counted
  // from when this publisher first saw the oldest one.
  if (oldest->front().id != oldest_id_) {
    oldest_id_ = oldest->front().id;
    oldest_seen_ = last_sample_;
  }
  oldest_age_.Set(absl::ToDoubleSeconds(last_sample_ - oldest_seen_));
}

void OutboxPublisher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void OutboxPublisher::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void OutboxPublisher::Wake() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
}

absl::Duration OutboxPublisher::StuckFor() const {
  return absl::Now() - absl::FromUnixMicros(last_moved_us_.load());
}

absl::Status OutboxPublisher::SetAside(const OutboxMessage& message,
                                       const Refusal& refusal) {
  if (absl::Status s = outbox_.SetAside(message, refusal); !s.ok()) return s;
  LogWarning("%s: message %d to %s (%s) refused for good, set aside: %s",
             queue_, message.id, message.topic, message.type, refusal.reason);
  Metrics::Default()
      .Counter("tiendo_outbox_dead_lettered_total",
               "Messages the broker refused for good and the publisher set "
               "aside so that those behind them could go, by the topic that "
               "refused them (an event: moved to the dead letters; a dead "
               "letter on tiendo.dlq.v1: sent again without its value, or "
               "dropped).",
               {{"topic", message.topic}})
      .Increment();
  return absl::OkStatus();
}

absl::StatusOr<size_t> OutboxPublisher::PublishBatch() {
  absl::StatusOr<std::vector<OutboxMessage>> batch = outbox_.Peek(500);
  if (!batch.ok()) return batch.status();
  if (batch->empty()) {
    last_moved_us_.store(absl::ToUnixMicros(absl::Now()));
    return 0;
  }
  absl::StatusOr<PublishOutcome> outcome = sink_.Publish(*batch);
  if (!outcome.ok()) return outcome.status();
  const size_t acknowledged = outcome->acknowledged;
  std::optional<OutboxMessage> refused;
  if (outcome->refused.has_value() && acknowledged < batch->size()) {
    refused = (*batch)[acknowledged];
  }
  batch->resize(acknowledged);
  if (absl::Status s = outbox_.Remove(*batch); !s.ok()) return s;
  if (refused.has_value()) {
    if (absl::Status s = SetAside(*refused, *outcome->refused); !s.ok()) {
      return s;
    }
  }
  const size_t moved = acknowledged + (refused.has_value() ? 1 : 0);
  if (moved > 0) last_moved_us_.store(absl::ToUnixMicros(absl::Now()));
  return moved;
}

absl::Status OutboxPublisher::Drain() {
  for (;;) {
    absl::StatusOr<size_t> sent = PublishBatch();
    if (!sent.ok()) return sent.status();
    if (*sent == 0) {
      absl::StatusOr<int64_t> pending = outbox_.PendingCount();
      if (!pending.ok()) return pending.status();
      if (*pending == 0) return absl::OkStatus();
      return absl::UnavailableError("outbox: broker acknowledged nothing");
    }
  }
}

void OutboxPublisher::Run() {
  absl::Duration backoff = absl::Milliseconds(100);
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return wake_ || stop_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&woken), absl::Milliseconds(200));
      if (stop_) return;
      wake_ = false;
    }
    bool moved = false;
    for (;;) {
      absl::StatusOr<size_t> sent = PublishBatch();
      if (!sent.ok()) {
        LogWarning("outbox: publish failed, will retry: %s",
                   sent.status().ToString());
        absl::SleepFor(backoff);
        backoff = std::min(backoff * 2, absl::Seconds(5));
        break;
      }
      backoff = absl::Milliseconds(100);
      if (*sent == 0) break;
      moved = true;
    }
    if (moved || absl::Now() - last_sample_ >= absl::Seconds(1)) {
      SampleDepth();
    }
  }
}

}  // namespace tiendo
