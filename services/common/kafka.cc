#include "services/common/kafka.h"

#include <fstream>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/common/record_check.h"
#include "services/common/shared_schema.h"

namespace tiendo {
namespace {

std::vector<std::pair<std::string, std::string>>& ClientSettings() {
  static auto* settings = new std::vector<std::pair<std::string, std::string>>;
  return *settings;
}

absl::Status SetOne(RdKafka::Conf& conf, const std::string& name,
                    const std::string& value) {
  std::string err;
  if (conf.set(name, value, err) != RdKafka::Conf::CONF_OK) {
    // A secret's value is not repeated in the message.
    return absl::InvalidArgumentError(
        absl::StrCat("kafka config ", name, ": ", err));
  }
  return absl::OkStatus();
}

// The client's own settings, then the process's (SetKafkaClientSettings).
absl::Status SetAll(
    RdKafka::Conf& conf,
    std::initializer_list<std::pair<const char*, std::string>> values) {
  for (const auto& [name, value] : values) {
    if (absl::Status s = SetOne(conf, name, value); !s.ok()) return s;
  }
  for (const auto& [name, value] : ClientSettings()) {
    if (absl::Status s = SetOne(conf, name, value); !s.ok()) return s;
  }
  return absl::OkStatus();
}

// The value of a record header, "" when absent.
std::string HeaderValue(RdKafka::Message& message, const char* name) {
  RdKafka::Headers* headers = message.headers();
  if (headers == nullptr) return "";
  const RdKafka::Headers::Header header = headers->get_last(name);
  if (header.err() != RdKafka::ERR_NO_ERROR || header.value() == nullptr) {
    return "";
  }
  return std::string(static_cast<const char*>(header.value()),
                     header.value_size());
}

constexpr char kProducedHelp[] =
    "Events the broker acknowledged, by topic (dead letters on "
    "tiendo.dlq.v1).";
constexpr char kConsumedHelp[] =
    "Events consumed and applied, by topic (dead letters not included).";
constexpr char kDeadLettersHelp[] =
    "Records a consumer could not use and queued for the dead-letter topic, "
    "by the topic they were read from.";

// A broker (or this client) limit on message or batch size smaller than the
// message.
bool TooLarge(RdKafka::ErrorCode err) {
  return err == RdKafka::ERR_MSG_SIZE_TOO_LARGE ||
         err == RdKafka::ERR_RECORD_LIST_TOO_LARGE;
}

// Counts the first `acknowledged` messages, by topic.
void CountProduced(const std::vector<OutboxMessage>& messages,
                   size_t acknowledged) {
  std::map<std::string, int64_t> by_topic;
  for (size_t i = 0; i < acknowledged && i < messages.size(); ++i) {
    ++by_topic[messages[i].topic];
  }
  for (const auto& [topic, n] : by_topic) {
    Metrics::Default()
        .Counter("tiendo_events_produced_total", kProducedHelp,
                 {{"topic", topic}})
        .Increment(static_cast<double>(n));
  }
}

// Errors the broker gives whatever the number of tries: the message itself
// is at fault. Not among them, and so retried until someone acts:
// TOPIC_AUTHORIZATION_FAILED (a missing ACL refuses every event of the topic;
// dead-lettering them would empty the stream into the DLQ, while waiting
// shows in health as a stuck outbox and loses nothing once the ACL is
// granted) and unknown topics or partitions (not created yet).
bool RefusedForGood(RdKafka::ErrorCode err) {
  return TooLarge(err) || err == RdKafka::ERR_INVALID_RECORD;
}

}  // namespace

// Collects delivery reports; the message opaque is the index in the batch.
class KafkaEventSink::DeliveryReports final : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override {
    const auto index = reinterpret_cast<uintptr_t>(message.msg_opaque());
    if (index < results.size()) {
      results[index] = message.err();
      if (message.err() != RdKafka::ERR_NO_ERROR) last_error = message.errstr();
    }
  }
  std::vector<RdKafka::ErrorCode> results;
  std::string last_error;
};

void SetKafkaClientSettings(
    std::vector<std::pair<std::string, std::string>> settings) {
  ClientSettings() = std::move(settings);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
ReadKafkaClientSettings(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": cannot read the Kafka settings"));
  }
  std::vector<std::pair<std::string, std::string>> settings;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text.front() == '#') continue;
    const size_t equals = text.find('=');
    if (equals == absl::string_view::npos || equals == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": expected name=value"));
    }
    settings.emplace_back(
        std::string(absl::StripAsciiWhitespace(text.substr(0, equals))),
        std::string(absl::StripAsciiWhitespace(text.substr(equals + 1))));
  }
  return settings;
}

absl::StatusOr<std::unique_ptr<KafkaEventSink>> KafkaEventSink::Create(
    const std::string& brokers, const std::string& client_id,
    const EventSigner* signer) {
  std::unique_ptr<KafkaEventSink> sink(new KafkaEventSink);
  sink->signer_ = signer;
  sink->reports_ = std::make_unique<DeliveryReports>();
  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  absl::Status status = SetAll(*conf, {{"bootstrap.servers", brokers},
                                       {"client.id", client_id},
                                       {"enable.idempotence", "true"},
                                       {"acks", "all"},
                                       {"linger.ms", "5"},
                                       {"message.timeout.ms", "10000"}});
  if (!status.ok()) return status;
  std::string err;
  if (conf->set("dr_cb", sink->reports_.get(), err) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(err);
  }
  sink->producer_.reset(RdKafka::Producer::create(conf.get(), err));
  if (!sink->producer_) {
    return absl::UnavailableError(absl::StrCat("kafka producer: ", err));
  }
  return sink;
}

KafkaEventSink::~KafkaEventSink() {
  if (producer_) producer_->flush(5000);
}

RdKafka::Headers* KafkaEventSink::HeadersOf(const OutboxMessage& m) const {
  RdKafka::Headers* headers = RdKafka::Headers::create();
  if (!m.type.empty()) headers->add("type", m.type);
  for (const auto& [name, value] : m.headers) headers->add(name, value);
  if (signer_ != nullptr) {
    absl::StatusOr<std::string> signature = signer_->Sign(m.payload);
    if (signature.ok()) {
      headers->add(kSignerHeader, signer_->name());
      headers->add(kSignatureHeader, signature->data(), signature->size());
    }
  }
  return headers;
}

std::string KafkaEventSink::ProduceAll(
    const std::vector<OutboxMessage>& messages) {
  reports_->results.assign(messages.size(), RdKafka::ERR__IN_PROGRESS);
  reports_->last_error.clear();
  std::string produce_error;
  for (size_t i = 0; i < messages.size() && produce_error.empty(); ++i) {
    const OutboxMessage& m = messages[i];
    for (;;) {
      RdKafka::Headers* headers = HeadersOf(m);
      const RdKafka::ErrorCode err = producer_->produce(
          m.topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
          const_cast<char*>(m.payload.data()), m.payload.size(), m.key.data(),
          m.key.size(), 0, headers,
          // The per-message opaque is a tag handed back in the delivery
          // report: it carries the index, never dereferenced.
          // NOLINTNEXTLINE(performance-no-int-to-ptr)
          reinterpret_cast<void*>(uintptr_t{i}));
      if (err == RdKafka::ERR_NO_ERROR) break;
      delete headers;  // not taken over by a failed produce
      if (err == RdKafka::ERR__QUEUE_FULL) {
        producer_->poll(50);
        continue;
      }
      // Refused before it left (too large for this client, ...): its
      // result like a broker's. What was queued before still counts once
      // acknowledged.
      reports_->results[i] = err;
      produce_error = RdKafka::err2str(err);
      break;
    }
  }
  producer_->flush(15000);
  return produce_error;
}

absl::StatusOr<PublishOutcome> KafkaEventSink::Publish(
    const std::vector<OutboxMessage>& messages) {
  const std::string produce_error = ProduceAll(messages);
  PublishOutcome outcome;
  const std::vector<RdKafka::ErrorCode>& results = reports_->results;
  while (outcome.acknowledged < results.size() &&
         results[outcome.acknowledged] == RdKafka::ERR_NO_ERROR) {
    ++outcome.acknowledged;
  }
  CountProduced(messages, outcome.acknowledged);
  if (outcome.acknowledged == messages.size()) return outcome;
  const RdKafka::ErrorCode first_error = results[outcome.acknowledged];
  if (RefusedForGood(first_error)) {
    if (messages.size() == 1) {
      outcome.refused = Refusal{.reason = RdKafka::err2str(first_error),
                                .too_large = TooLarge(first_error)};
      return outcome;
    }
    // The broker refuses a whole produce request (several messages) for
    // one of them, or for their sum: only the message sent alone tells.
    absl::StatusOr<PublishOutcome> alone =
        Publish({messages[outcome.acknowledged]});
    if (alone.ok()) {
      outcome.acknowledged += alone->acknowledged;
      outcome.refused = alone->refused;
    }
    if (alone.ok() || outcome.acknowledged > 0) return outcome;
    return alone.status();
  }
  if (outcome.acknowledged > 0) return outcome;
  std::string why = produce_error;
  if (why.empty()) why = reports_->last_error;
  if (why.empty()) why = "no acknowledgement in time";
  return absl::UnavailableError(absl::StrCat("kafka delivery failed: ", why));
}

KafkaEventConsumer::KafkaEventConsumer(ConsumerOptions options, Database& db,
                                       EventHandler& handler)
    : options_(std::move(options)), db_(db), handler_(handler) {}

KafkaEventConsumer::~KafkaEventConsumer() { Stop(); }

absl::Status KafkaEventConsumer::Start() {
  absl::Status status =
      db_.Transaction([&] { return db_.Exec(kConsumerOffsetsTableSql); });
  if (!status.ok()) return status;
  dead_letters_ = std::make_unique<DeadLetters>(db_, options_.group_id,
                                                options_.dead_letter_topic);
  if (status = dead_letters_->Init(); !status.ok()) return status;
  absl::StatusOr<std::unique_ptr<KafkaEventSink>> sink = KafkaEventSink::Create(
      options_.brokers, absl::StrCat(options_.group_id, "-dlq"),
      options_.signer);
  if (!sink.ok()) return sink.status();
  dead_letter_sink_ = *std::move(sink);
  // Also sends what a previous run queued but could not publish.
  dead_letter_publisher_ = std::make_unique<OutboxPublisher>(
      *dead_letters_, *dead_letter_sink_, "dead_letters");
  dead_letter_publisher_->Start();

  std::unique_ptr<RdKafka::Conf> conf(
      RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  status = SetAll(
      *conf, {{"bootstrap.servers", options_.brokers},
              {"group.id", options_.group_id},
              {"client.id", options_.group_id},
              {"enable.auto.commit", "false"},
              {"enable.auto.offset.store", "false"},
              // Never reset silently: an out-of-range position means events
              // were lost, which the handler must hear about (see StreamGap).
              {"auto.offset.reset", "error"},
              {"session.timeout.ms", absl::StrCat(options_.session_timeout_ms)},
              {"heartbeat.interval.ms",
               absl::StrCat(std::max(100, options_.session_timeout_ms / 4))},
              {"topic.metadata.refresh.interval.ms", "5000"}});
  if (!status.ok()) return status;
  std::string err;
  if (conf->set("rebalance_cb", static_cast<RdKafka::RebalanceCb*>(this),
                err) != RdKafka::Conf::CONF_OK) {
    return absl::InternalError(err);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), err));
  if (!consumer_) {
    return absl::UnavailableError(absl::StrCat("kafka consumer: ", err));
  }
  if (RdKafka::ErrorCode e = consumer_->subscribe(options_.topics);
      e != RdKafka::ERR_NO_ERROR) {
    return absl::UnavailableError(
        absl::StrCat("kafka subscribe: ", RdKafka::err2str(e)));
  }
  // The counters exist from the start, at 0, so a scrape shows them.
  for (const std::string& topic : options_.topics) {
    Metrics::Default().Counter("tiendo_events_consumed_total", kConsumedHelp,
                               {{"topic", topic}});
  }
  thread_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

void KafkaEventConsumer::Stop() {
  if (stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  if (consumer_) consumer_->close();
  // Dead letters not yet acknowledged stay queued for the next start.
  if (dead_letter_publisher_) dead_letter_publisher_->Stop();
}

std::optional<int64_t> KafkaEventConsumer::StoredOffset(
    const std::string& topic, int32_t partition) {
  std::optional<int64_t> offset;
  db_.Read([&]() -> absl::Status {
       absl::StatusOr<Statement> q = db_.Prepare(
           "SELECT next_offset FROM consumer_offsets WHERE topic = ? AND "
           "partition = ?");
       if (!q.ok()) return q.status();
       q->Bind(topic, partition);
       absl::StatusOr<bool> row = q->Step();
       if (!row.ok()) return row.status();
       if (*row) offset = q->Int(0);
       return absl::OkStatus();
     })
      .IgnoreError();
  return offset;
}

void KafkaEventConsumer::rebalance_cb(
    RdKafka::KafkaConsumer* consumer, RdKafka::ErrorCode err,
    std::vector<RdKafka::TopicPartition*>& partitions) {
  if (err != RdKafka::ERR__ASSIGN_PARTITIONS) {
    lag_.Revoked();
    consumer->unassign();
    return;
  }
  for (RdKafka::TopicPartition* tp : partitions) {
    std::optional<int64_t> stored = StoredOffset(tp->topic(), tp->partition());
    if (!stored) {
      tp->set_offset(RdKafka::Topic::OFFSET_BEGINNING);
      continue;
    }
    int64_t low = 0, high = 0;
    RdKafka::ErrorCode werr = consumer->query_watermark_offsets(
        tp->topic(), tp->partition(), &low, &high, 5000);
    if (werr != RdKafka::ERR_NO_ERROR) {
      // Resume where we were; an out-of-range position is caught later.
      tp->set_offset(*stored);
      continue;
    }
    if (*stored > high || *stored < low) {
      const std::string reason = absl::StrFormat(
          "stored offset %d is outside the broker's range [%d, %d]: %s",
          *stored, low, high,
          *stored > high ? "the broker lost events (restarted empty?)"
                         : "events were deleted before this consumer read "
                           "them");
      LogWarning("consumer %s: %s[%d]: %s", options_.group_id, tp->topic(),
                 tp->partition(), reason);
      handler_.StreamGap(tp->topic(), tp->partition(), reason);
      tp->set_offset(low);
      continue;
    }
    tp->set_offset(*stored);
  }
  for (const RdKafka::TopicPartition* tp : partitions) {
    lag_.Assigned(tp->topic(), tp->partition(), tp->offset());
  }
  consumer->assign(partitions);
  ready_.store(true);
  LogInfo("consumer %s: %d partitions assigned", options_.group_id,
          static_cast<int>(partitions.size()));
}

void KafkaEventConsumer::ResetToEarliest(const std::string& topic,
                                         int32_t partition,
                                         absl::string_view reason) {
  handler_.StreamGap(topic, partition, reason);
  int64_t low = 0, high = 0;
  if (consumer_->query_watermark_offsets(topic, partition, &low, &high, 5000) !=
      RdKafka::ERR_NO_ERROR) {
    low = 0;
  }
  std::unique_ptr<RdKafka::TopicPartition> tp(
      RdKafka::TopicPartition::create(topic, partition, low));
  consumer_->seek(*tp, 5000);
  lag_.Assigned(topic, partition, low);
}

absl::Status KafkaEventConsumer::ApplyBatch(
    const std::vector<std::unique_ptr<RdKafka::Message>>& batch,
    std::map<std::string, int64_t>& dead) {
  dead.clear();
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> store = db_.Prepare(
        "INSERT INTO consumer_offsets(topic, partition, next_offset) "
        "VALUES(?, ?, ?) ON CONFLICT(topic, partition) DO UPDATE SET "
        "next_offset = excluded.next_offset");
    if (!store.ok()) return store.status();
    for (const auto& message : batch) {
      v1::EventEnvelope event;
      std::string reason =
          RecordRejection(message->payload(), message->len(), event);
      if (reason.empty() && options_.verifier != nullptr) {
        reason = options_.verifier->Rejection(
            message->topic_name(), HeaderValue(*message, kSignerHeader),
            HeaderValue(*message, kSignatureHeader),
            absl::string_view(static_cast<const char*>(message->payload()),
                              message->len()));
      }
      if (reason.empty()) {
        if (absl::Status s = handler_.Apply(message->topic_name(), event);
            !s.ok()) {
          if (!absl::IsInvalidArgument(s)) return s;
          reason = absl::StrCat("invalid event ", event.event_id(), ": ",
                                s.message());
        }
      }
      if (!reason.empty()) {
        LogWarning("consumer %s: %s[%d]@%d dead-lettered: %s",
                   options_.group_id, message->topic_name(),
                   message->partition(), message->offset(), reason);
        DeadLetter letter{
            .topic = message->topic_name(),
            .partition = message->partition(),
            .offset = message->offset(),
            .key = std::nullopt,
            .value = std::string(static_cast<const char*>(message->payload()),
                                 message->len()),
            .reason = std::move(reason)};
        if (message->key_pointer() != nullptr) {
          letter.key.emplace(static_cast<const char*>(message->key_pointer()),
                             message->key_len());
        }
        if (absl::Status s = dead_letters_->Add(letter); !s.ok()) return s;
        ++dead[letter.topic];
      }
      store->Reset();
      store->Bind(message->topic_name(), message->partition(),
                  message->offset() + 1);
      if (absl::Status s = store->Run(); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

void KafkaEventConsumer::Pause() {
  absl::MutexLock lock(&pause_mu_);
  paused_ = true;
  // Without a running loop there is no batch to wait for.
  if (!thread_.joinable() || stop_.load()) return;
  pause_mu_.AwaitWithTimeout(absl::Condition(&parked_), absl::Seconds(60));
}

void KafkaEventConsumer::Resume() {
  absl::MutexLock lock(&pause_mu_);
  paused_ = false;
}

void KafkaEventConsumer::Committed(
    const std::vector<std::unique_ptr<RdKafka::Message>>& batch,
    const std::map<std::string, int64_t>& dead) {
  std::map<std::string, int64_t> consumed;
  for (const auto& m : batch) {
    ++consumed[m->topic_name()];
    lag_.Applied(m->topic_name(), m->partition(), m->offset() + 1);
  }
  int64_t dead_total = 0;
  for (const auto& [topic, n] : dead) {
    consumed[topic] -= n;
    dead_total += n;
    Metrics::Default()
        .Counter("tiendo_dead_letters_total", kDeadLettersHelp,
                 {{"topic", topic}})
        .Increment(static_cast<double>(n));
  }
  for (const auto& [topic, n] : consumed) {
    Metrics::Default()
        .Counter("tiendo_events_consumed_total", kConsumedHelp,
                 {{"topic", topic}})
        .Increment(static_cast<double>(n));
  }
  applied_.fetch_add(static_cast<int64_t>(batch.size()) - dead_total);
  if (dead_total > 0) {
    dead_lettered_.fetch_add(dead_total);
    dead_letter_publisher_->Wake();
  }
  handler_.Committed();
}

void KafkaEventConsumer::Run() {
  std::vector<std::unique_ptr<RdKafka::Message>> batch;
  while (!stop_.load()) {
    {
      absl::MutexLock lock(&pause_mu_);
      parked_ = true;
      auto resumed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(pause_mu_) {
        return !paused_ || stop_.load();
      };
      while (!resumed()) {
        pause_mu_.AwaitWithTimeout(absl::Condition(&resumed),
                                   absl::Milliseconds(200));
      }
      parked_ = false;
    }
    if (stop_.load()) break;
    batch.clear();
    while (static_cast<int>(batch.size()) < options_.max_batch) {
      std::unique_ptr<RdKafka::Message> message(
          consumer_->consume(batch.empty() ? 100 : 0));
      if (message->err() == RdKafka::ERR_NO_ERROR) {
        batch.push_back(std::move(message));
        continue;
      }
      if (message->err() == RdKafka::ERR__AUTO_OFFSET_RESET) {
        ResetToEarliest(
            message->topic_name(), message->partition(),
            absl::StrCat("fetch position out of range: ", message->errstr()));
      } else if (message->err() != RdKafka::ERR__TIMED_OUT &&
                 message->err() != RdKafka::ERR__PARTITION_EOF) {
        LogWarning("consumer %s: %s", options_.group_id, message->errstr());
      }
      break;
    }
    lag_.Sample(*consumer_);
    if (batch.empty()) continue;
    std::map<std::string, int64_t> dead;
    absl::Status status = ApplyBatch(batch, dead);
    if (status.ok()) {
      Committed(batch, dead);
      continue;
    }
    // Nothing of the batch was kept: read it again from its first offsets.
    handler_.RolledBack();
    LogError("consumer %s: batch rolled back, retrying: %s", options_.group_id,
             status.ToString());
    absl::flat_hash_map<std::pair<std::string, int32_t>, int64_t> first;
    for (const auto& m : batch) {
      first.try_emplace({m->topic_name(), m->partition()}, m->offset());
    }
    for (const auto& [tp, offset] : first) {
      std::unique_ptr<RdKafka::TopicPartition> part(
          RdKafka::TopicPartition::create(tp.first, tp.second, offset));
      consumer_->seek(*part, 5000);
    }
    absl::SleepFor(absl::Seconds(1));
  }
}

}  // namespace tiendo
