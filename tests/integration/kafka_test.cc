// The Kafka adapters against the real embedded broker process: the
// idempotent producer, the consumer that keeps its offsets in SQLite, and
// gap detection when the broker restarts empty.
#include "services/common/kafka.h"

#include <unistd.h>

#include <atomic>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

// Records applied events in its own table, in the consumer's transaction.
class RecordingHandler final : public EventHandler {
 public:
  explicit RecordingHandler(Database& db) : db_(db) {}

  absl::Status Apply(absl::string_view,
                     const v1::EventEnvelope& event) override {
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
                        const std::string task = absl::StrCat("task-", i % 7);
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

  int64_t Applied() {
    int64_t n = -1;
    consumer_db_
        ->Read([&]() -> absl::Status {
          auto q = consumer_db_->Prepare("SELECT COUNT(*) FROM applied");
          if (!q.ok()) return q.status();
          auto row = q->Step();
          if (!row.ok()) return row.status();
          n = q->Int(0);
          return absl::OkStatus();
        })
        .IgnoreError();
    return n;
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

  SimulatedClock clock_{absl::FromUnixSeconds(1780000000), ""};
  std::string dir_;
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<Database> producer_db_;
  std::unique_ptr<Database> consumer_db_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<KafkaEventSink> sink_;
  std::unique_ptr<RecordingHandler> handler_;
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
  ASSERT_TRUE(WaitUntil([&] { return consumer->applied() == 50; }));
  absl::SleepFor(absl::Milliseconds(500));
  EXPECT_EQ(Applied(), 350);
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

}  // namespace
}  // namespace tiendo::testing
