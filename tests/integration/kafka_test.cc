// The Kafka adapters against the real embedded broker process: the
// idempotent producer, the consumer that keeps its offsets in SQLite, and
// gap detection when the broker restarts empty, and dead letters for records
// no handler can use.
#include "services/common/kafka.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

// Events go to keys task-0 ... task-6.
constexpr int kTasks = 7;

// Records applied events in its own table, in the consumer's transaction.
class RecordingHandler final : public EventHandler {
 public:
  explicit RecordingHandler(Database& db) : db_(db) {}

  absl::Status Apply(absl::string_view,
                     const v1::EventEnvelope& event) override {
    if (event.task_updated().task_id().empty()) {
      return absl::InvalidArgumentError("task_updated without task_id");
    }
    auto q = db_.Prepare("INSERT INTO applied(task, seq) VALUES(?, ?)");
    if (!q.ok()) return q.status();
    q->Bind(event.task_updated().task_id(),
            static_cast<int64_t>(event.sequence()));
    return q->Run();
  }
  void StreamGap(absl::string_view, int32_t, absl::string_view) override {
    gaps.fetch_add(1);
  }

  std::atomic<int> gaps{0};

 private:
  Database& db_;
};

class KafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = absl::StrCat(::testing::TempDir(), "/kafka-test-", getpid());
    std::system(absl::StrCat("rm -rf ", dir_, " && mkdir -p ", dir_).c_str());
    broker_ = std::make_unique<Broker>(dir_);
    ASSERT_TRUE(broker_->Start());
    auto producer_db = Database::Open(dir_ + "/producer.db");
    auto consumer_db = Database::Open(dir_ + "/consumer.db");
    ASSERT_TRUE(producer_db.ok() && consumer_db.ok());
    producer_db_ = *std::move(producer_db);
    consumer_db_ = *std::move(consumer_db);
    outbox_ = std::make_unique<Outbox>(*producer_db_, "test", clock_);
    ASSERT_TRUE(outbox_->Init().ok());
    ASSERT_TRUE(consumer_db_
                    ->Transaction([&] {
                      return consumer_db_->Exec(
                          "CREATE TABLE applied (task TEXT, seq INTEGER)");
                    })
                    .ok());
    auto sink = KafkaEventSink::Create(broker_->address(), "test-producer");
    ASSERT_TRUE(sink.ok()) << sink.status();
    sink_ = *std::move(sink);
    handler_ = std::make_unique<RecordingHandler>(*consumer_db_);
  }

  void TearDown() override { broker_->Stop(); }

  void Publish(int count) {
    ASSERT_TRUE(producer_db_
                    ->Transaction([&]() -> absl::Status {
                      for (int i = 0; i < count; ++i) {
                        v1::EventEnvelope e;
                        const std::string task =
                            absl::StrCat("task-", i % kTasks);
                        e.mutable_task_updated()->set_task_id(task);
                        if (absl::Status s =
                                outbox_->Append(kTaskUpdatedTopic, task, e);
                            !s.ok()) {
                          return s;
                        }
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    OutboxPublisher publisher(*outbox_, *sink_);
    ASSERT_TRUE(publisher.Drain().ok());
  }

  std::unique_ptr<KafkaEventConsumer> NewConsumer() {
    return std::make_unique<KafkaEventConsumer>(
        ConsumerOptions{.brokers = broker_->address(),
                        .group_id = "test-group",
                        .topics = {kTaskUpdatedTopic},
                        .session_timeout_ms = 3000},
        *consumer_db_, *handler_);
  }

  // The first column of the first row of `sql` on `db`, -1 on error.
  static int64_t QueryInt(Database& db, const std::string& sql,
                          int64_t parameter = 0) {
    int64_t n = -1;
    db.Read([&]() -> absl::Status {
        auto q = db.Prepare(sql);
        if (!q.ok()) return q.status();
        if (absl::StrContains(sql, "?")) q->Bind(parameter);
        auto row = q->Step();
        if (!row.ok()) return row.status();
        n = q->Int(0);
        return absl::OkStatus();
      }).IgnoreError();
    return n;
  }

  int64_t Applied() {
    return QueryInt(*consumer_db_, "SELECT COUNT(*) FROM applied");
  }

  // Applied events published after the one with sequence `seq`.
  int64_t AppliedAfter(int64_t seq) {
    return QueryInt(*consumer_db_, "SELECT COUNT(*) FROM applied WHERE seq > ?",
                    seq);
  }

  // The sequence of the newest event published.
  int64_t LastSequence() {
    return QueryInt(*producer_db_,
                    "SELECT COALESCE(MAX(last), 0) FROM event_sequence");
  }

  // Dead letters the consumer stored and the broker has not acknowledged.
  int64_t DeadLettersUnsent() {
    return QueryInt(*consumer_db_, "SELECT COUNT(*) FROM dead_letters");
  }

  // Per task, the sequences applied must increase: events of one key stay
  // in order.
  bool InOrderPerTask() {
    bool ordered = true;
    consumer_db_
        ->Read([&]() -> absl::Status {
          auto q = consumer_db_->Prepare(
              "SELECT task, seq FROM applied ORDER BY rowid");
          if (!q.ok()) return q.status();
          std::map<std::string, int64_t> last;
          for (;;) {
            auto row = q->Step();
            if (!row.ok()) return row.status();
            if (!*row) break;
            int64_t& prev = last[q->Text(0)];
            if (q->Int(1) <= prev) ordered = false;
            prev = q->Int(1);
          }
          return absl::OkStatus();
        })
        .IgnoreError();
    return ordered;
  }

  // Sends records as they are, bypassing the outbox's envelope stamping.
  void ProduceRaw(
      const std::vector<std::pair<std::string, std::string>>& key_and_values) {
    std::vector<OutboxMessage> messages;
    for (const auto& [key, value] : key_and_values) {
      OutboxMessage m;
      m.topic = kTaskUpdatedTopic;
      m.key = key;
      m.payload = value;
      messages.push_back(std::move(m));
    }
    auto sent = sink_->Publish(messages);
    ASSERT_TRUE(sent.ok()) << sent.status();
    ASSERT_EQ(sent->acknowledged, messages.size());
  }

  struct DeadLetterRecord {
    std::string key;
    std::string value;
    std::map<std::string, std::string> headers;
  };

  // Everything on the dead-letter topic, read from its start by a fresh
  // group once the consumer has no dead letter left unacknowledged: up to
  // the end of every partition, so a duplicate would be among them.
  std::vector<DeadLetterRecord> ReadDeadLetters() {
    EXPECT_TRUE(WaitUntil([&] { return DeadLettersUnsent() == 0; }));
    std::vector<DeadLetterRecord> records;
    std::unique_ptr<RdKafka::KafkaConsumer> reader = NewDeadLetterReader();
    if (!reader) return records;
    std::set<int32_t> at_end;
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (absl::Now() < deadline && !AllAtEnd(*reader, at_end)) {
      std::unique_ptr<RdKafka::Message> m(reader->consume(100));
      if (m->err() == RdKafka::ERR__PARTITION_EOF)
        at_end.insert(m->partition());
      if (m->err() != RdKafka::ERR_NO_ERROR) continue;
      at_end.erase(m->partition());
      records.push_back(ToDeadLetterRecord(*m));
    }
    EXPECT_TRUE(AllAtEnd(*reader, at_end)) << "dead-letter topic not read";
    reader->close();
    return records;
  }

  std::unique_ptr<RdKafka::KafkaConsumer> NewDeadLetterReader() {
    std::unique_ptr<RdKafka::Conf> conf(
        RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string err;
    conf->set("bootstrap.servers", broker_->address(), err);
    conf->set("group.id", absl::StrCat("dlq-reader-", ++readers_), err);
    conf->set("auto.offset.reset", "earliest", err);
    conf->set("enable.auto.commit", "false", err);
    conf->set("enable.partition.eof", "true", err);
    std::unique_ptr<RdKafka::KafkaConsumer> reader(
        RdKafka::KafkaConsumer::create(conf.get(), err));
    if (!reader) {
      ADD_FAILURE() << err;
      return nullptr;
    }
    reader->subscribe({kDeadLetterTopic});
    return reader;
  }

  // True once partitions are assigned and every one was read to its end.
  static bool AllAtEnd(RdKafka::KafkaConsumer& reader,
                       const std::set<int32_t>& at_end) {
    std::vector<RdKafka::TopicPartition*> assigned;
    reader.assignment(assigned);
    bool all = !assigned.empty();
    for (RdKafka::TopicPartition* p : assigned) {
      if (!at_end.contains(p->partition())) all = false;
    }
    RdKafka::TopicPartition::destroy(assigned);
    return all;
  }

  static DeadLetterRecord ToDeadLetterRecord(RdKafka::Message& m) {
    DeadLetterRecord r;
    if (m.key() != nullptr) r.key = *m.key();
    r.value.assign(static_cast<const char*>(m.payload()), m.len());
    if (RdKafka::Headers* headers = m.headers()) {
      for (const RdKafka::Headers::Header& h : headers->get_all()) {
        r.headers[h.key()] =
            std::string(static_cast<const char*>(h.value()), h.value_size());
      }
    }
    return r;
  }

  SimulatedClock clock_{absl::FromUnixSeconds(1780000000), ""};
  std::string dir_;
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<Database> producer_db_;
  std::unique_ptr<Database> consumer_db_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<KafkaEventSink> sink_;
  std::unique_ptr<RecordingHandler> handler_;
  int readers_ = 0;
};

TEST_F(KafkaTest, EveryEventAppliedOnceAcrossConsumerRestarts) {
  Publish(300);
  auto consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Applied() == 300; })) << Applied();
  consumer->Stop();

  // A new consumer resumes from the offsets stored with the applied events.
  Publish(50);
  consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Applied() == 350; })) << Applied();
  // One marker per key, so on every partition used: a marker applied means
  // everything before it on its partition, a redelivered event too, was.
  const int64_t last_before_markers = LastSequence();
  Publish(kTasks);
  ASSERT_TRUE(
      WaitUntil([&] { return AppliedAfter(last_before_markers) == kTasks; }));
  EXPECT_EQ(Applied(), 350 + kTasks);
  // The consumer counts a batch once its transaction has committed, a
  // moment after the rows are visible.
  ASSERT_TRUE(WaitUntil([&] { return consumer->applied() >= 50 + kTasks; }))
      << consumer->applied();
  EXPECT_EQ(consumer->applied(), 50 + kTasks);
  EXPECT_TRUE(InOrderPerTask());
  EXPECT_EQ(handler_->gaps.load(), 0);
}

TEST_F(KafkaTest, EmptyBrokerAfterRestartIsReportedAsGap) {
  Publish(20);
  {
    auto consumer = NewConsumer();
    ASSERT_TRUE(consumer->Start().ok());
    ASSERT_TRUE(WaitUntil([&] { return Applied() == 20; }));
  }
  const int port = broker_->port();
  broker_->Stop();
  ASSERT_TRUE(broker_->Start(port));

  auto consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return handler_->gaps.load() > 0; }));
  // After the gap, the consumer reads the new broker from its start.
  Publish(5);
  ASSERT_TRUE(WaitUntil([&] { return Applied() == 25; })) << Applied();
}

// A record that is no EventEnvelope and an envelope the handler refuses each
// become one dead letter with the original bytes and the reason; the events
// around them are applied and the consumer carries on, and a restart neither
// repeats nor loses a dead letter.
TEST_F(KafkaTest, EmptyAndUnknownRecordsAreDeadLetteredNotSkipped) {
  v1::EventEnvelope newer_type;
  newer_type.set_event_id("later-1");
  newer_type.set_type("tiendo.v1.PlanAmended");
  newer_type.set_schema_version(1);
  Publish(1);
  ProduceRaw({{"task-0", ""}, {"task-0", newer_type.SerializeAsString()}});
  Publish(1);

  auto consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Applied() == 2; })) << Applied();
  ASSERT_TRUE(WaitUntil([&] { return consumer->dead_lettered() == 2; }));
  std::vector<std::string> reasons;
  for (const DeadLetterRecord& r : ReadDeadLetters()) {
    reasons.push_back(r.headers.at("dlq-reason"));
  }
  ASSERT_EQ(reasons.size(), 2u);
  std::sort(reasons.begin(), reasons.end());
  EXPECT_THAT(reasons[0], ::testing::HasSubstr("empty record"));
  EXPECT_THAT(reasons[1],
              ::testing::HasSubstr("'tiendo.v1.PlanAmended' carries no "
                                   "payload this consumer knows"));
}

TEST_F(KafkaTest, BadRecordsGoToDeadLetterTopicOnce) {
  const std::string garbage = "garbage\xff\x01 not protobuf";
  v1::EventEnvelope invalid;
  invalid.set_event_id("invalid-1");
  invalid.mutable_task_updated();  // no task id
  const std::string invalid_bytes = invalid.SerializeAsString();

  Publish(1);
  ProduceRaw({{"task-0", garbage}, {"task-0", invalid_bytes}});
  Publish(1);

  auto consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Applied() == 2; })) << Applied();
  ASSERT_TRUE(WaitUntil([&] { return consumer->dead_lettered() == 2; }));

  std::vector<DeadLetterRecord> letters = ReadDeadLetters();
  ASSERT_EQ(letters.size(), 2u);
  std::map<std::string, DeadLetterRecord> by_value;
  for (const DeadLetterRecord& r : letters) by_value[r.value] = r;
  ASSERT_EQ(by_value.count(garbage), 1u);
  ASSERT_EQ(by_value.count(invalid_bytes), 1u);
  for (const DeadLetterRecord& r : letters) {
    EXPECT_EQ(r.key, "task-0");
    EXPECT_EQ(r.headers.at("dlq-topic"), kTaskUpdatedTopic);
    EXPECT_EQ(r.headers.at("dlq-consumer"), "test-group");
    EXPECT_TRUE(r.headers.count("dlq-partition"));
    EXPECT_TRUE(r.headers.count("dlq-offset"));
  }
  EXPECT_NE(by_value[garbage].headers.at("dlq-reason").find("undecodable"),
            std::string::npos)
      << by_value[garbage].headers.at("dlq-reason");
  EXPECT_NE(by_value[invalid_bytes]
                .headers.at("dlq-reason")
                .find("task_updated without task_id"),
            std::string::npos)
      << by_value[invalid_bytes].headers.at("dlq-reason");
  EXPECT_NE(by_value[garbage].headers.at("dlq-offset"),
            by_value[invalid_bytes].headers.at("dlq-offset"));
  consumer->Stop();

  // After a restart the old bad records are not dead-lettered again, and a
  // new one is, once.
  ProduceRaw({{"task-3", "\xff\xff\xff"}});
  Publish(1);
  consumer = NewConsumer();
  ASSERT_TRUE(consumer->Start().ok());
  ASSERT_TRUE(WaitUntil([&] { return Applied() == 3; })) << Applied();
  ASSERT_TRUE(WaitUntil([&] { return consumer->dead_lettered() == 1; }));
  letters = ReadDeadLetters();
  EXPECT_EQ(letters.size(), 3u);
  int undecodable = 0;
  for (const DeadLetterRecord& r : letters) {
    if (r.headers.at("dlq-reason").find("undecodable") != std::string::npos) {
      ++undecodable;
    }
  }
  EXPECT_EQ(undecodable, 2);
  EXPECT_EQ(handler_->gaps.load(), 0);
}

}  // namespace
}  // namespace tiendo::testing
