// An outbox event a Kafka broker refuses for good (here: "message too
// large", as a broker with a smaller message.max.bytes answers) lands on the
// dead-letter topic with its reason, and the event appended after it is
// delivered. The broker is librdkafka's mock cluster, the one the
// devbroker runs, made in the test so that it can be told to refuse.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/dead_letters.h"
#include "services/common/kafka.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "services/common/topics.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

constexpr int16_t kProduceRequest = 0;  // the Kafka protocol's ApiKey

struct Record {
  std::string key;
  std::string value;
  std::map<std::string, std::string> headers;
};

// Two brokers: plan-changed is led by broker 1, which the tests tell to
// refuse produce requests; task-updated and the dead-letter topic by
// broker 2, which takes everything.
class OutboxRefusalKafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char err[512];
    handle_ =
        rd_kafka_new(RD_KAFKA_PRODUCER, rd_kafka_conf_new(), err, sizeof err);
    ASSERT_NE(handle_, nullptr) << err;
    cluster_ = rd_kafka_mock_cluster_new(handle_, 2);
    ASSERT_NE(cluster_, nullptr);
    for (const auto& [topic, leader] :
         std::vector<std::pair<const char*, int32_t>>{{kPlanChangedTopic, 1},
                                                      {kTaskUpdatedTopic, 2},
                                                      {kDeadLetterTopic, 2}}) {
      ASSERT_EQ(rd_kafka_mock_topic_create(cluster_, topic, 1, 1),
                RD_KAFKA_RESP_ERR_NO_ERROR);
      ASSERT_EQ(rd_kafka_mock_partition_set_leader(cluster_, topic, 0, leader),
                RD_KAFKA_RESP_ERR_NO_ERROR);
    }
    brokers_ = rd_kafka_mock_cluster_bootstraps(cluster_);
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    outbox_ = std::make_unique<Outbox>(*db_, "plan", clock_);
    ASSERT_TRUE(outbox_->Init().ok());
    absl::StatusOr<std::unique_ptr<KafkaEventSink>> sink =
        KafkaEventSink::Create(brokers_, "refusal-test");
    ASSERT_TRUE(sink.ok()) << sink.status();
    sink_ = *std::move(sink);
  }

  void TearDown() override {
    sink_.reset();
    if (cluster_ != nullptr) rd_kafka_mock_cluster_destroy(cluster_);
    if (handle_ != nullptr) rd_kafka_destroy(handle_);
  }

  // Appends one event of `key` to `topic`; returns its envelope as queued.
  v1::EventEnvelope Append(const char* topic, const std::string& key) {
    v1::EventEnvelope event;
    if (std::string(topic) == kPlanChangedTopic) {
      event.mutable_plan_changed()->mutable_task()->set_id(key);
    } else {
      event.mutable_task_updated()->set_task_id(key);
    }
    EXPECT_TRUE(
        db_->Transaction([&] { return outbox_->Append(topic, key, event); })
            .ok());
    absl::StatusOr<std::vector<OutboxMessage>> all = outbox_->Peek(100);
    EXPECT_TRUE(all.ok() && !all->empty());
    v1::EventEnvelope queued;
    if (all.ok() && !all->empty()) queued.ParseFromString(all->back().payload);
    return queued;
  }

  // Produce errors broker 1 still has to give.
  size_t ErrorsLeft() {
    size_t count = 0;
    rd_kafka_mock_broker_error_stack_cnt(cluster_, 1, kProduceRequest, &count);
    return count;
  }

  // Every record of the topic's only partition, read from its start to its
  // end.
  std::vector<Record> ReadAll(const std::string& topic) {
    std::unique_ptr<RdKafka::Conf> conf(
        RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string err;
    conf->set("bootstrap.servers", brokers_, err);
    conf->set("group.id", "refusal-test-reader", err);
    conf->set("enable.auto.commit", "false", err);
    conf->set("enable.partition.eof", "true", err);
    conf->set("fetch.wait.max.ms", "10", err);
    std::unique_ptr<RdKafka::KafkaConsumer> reader(
        RdKafka::KafkaConsumer::create(conf.get(), err));
    std::vector<Record> records;
    if (!reader) {
      ADD_FAILURE() << err;
      return records;
    }
    std::unique_ptr<RdKafka::TopicPartition> start(
        RdKafka::TopicPartition::create(topic, 0,
                                        RdKafka::Topic::OFFSET_BEGINNING));
    reader->assign({start.get()});
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    bool at_end = false;
    while (!at_end && absl::Now() < deadline) {
      std::unique_ptr<RdKafka::Message> m(reader->consume(100));
      at_end = m->err() == RdKafka::ERR__PARTITION_EOF;
      if (m->err() != RdKafka::ERR_NO_ERROR) continue;
      Record r;
      if (m->key() != nullptr) r.key = *m->key();
      r.value.assign(static_cast<const char*>(m->payload()), m->len());
      if (RdKafka::Headers* headers = m->headers()) {
        for (const RdKafka::Headers::Header& h : headers->get_all()) {
          r.headers[h.key()] =
              std::string(static_cast<const char*>(h.value()), h.value_size());
        }
      }
      records.push_back(std::move(r));
    }
    EXPECT_TRUE(at_end) << topic << " not read to its end";
    reader->close();
    return records;
  }

  rd_kafka_t* handle_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string brokers_;
  SimulatedClock clock_{absl::FromUnixSeconds(1780000000), ""};
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
  std::unique_ptr<KafkaEventSink> sink_;
};

TEST_F(OutboxRefusalKafkaTest, RefusedEventGoesToTheDeadLettersAndTheNextOn) {
  const v1::EventEnvelope refused = Append(kPlanChangedTopic, "task-1");
  const v1::EventEnvelope behind = Append(kTaskUpdatedTopic, "task-2");
  // Refused twice: with the event behind it, then alone (only alone is a
  // refusal sure to be the event's own).
  ASSERT_EQ(
      rd_kafka_mock_broker_push_request_error_rtts(
          cluster_, 1, kProduceRequest, 2, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE,
          0, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, 0),
      RD_KAFKA_RESP_ERR_NO_ERROR);

  OutboxPublisher publisher(*outbox_, *sink_, "refusal_test");
  ASSERT_TRUE(publisher.Drain().ok());
  EXPECT_EQ(*outbox_->PendingCount(), 0);
  EXPECT_EQ(ErrorsLeft(), 0u);

  bool delivered = false;
  for (const Record& r : ReadAll(kTaskUpdatedTopic)) {
    v1::EventEnvelope event;
    ASSERT_TRUE(event.ParseFromString(r.value));
    if (event.event_id() == behind.event_id()) delivered = true;
  }
  EXPECT_TRUE(delivered) << "the event behind the refused one";
  EXPECT_TRUE(ReadAll(kPlanChangedTopic).empty());

  const std::vector<Record> letters = ReadAll(kDeadLetterTopic);
  ASSERT_EQ(letters.size(), 1u);
  const Record& letter = letters.front();
  EXPECT_EQ(letter.key, "task-1");
  const std::string reason = letter.headers.at(kDlqReasonHeader);
  EXPECT_THAT(reason, HasSubstr("Broker: Message size too large"));
  EXPECT_THAT(reason, HasSubstr(kPlanChangedTopic));
  EXPECT_THAT(reason, HasSubstr("tiendo.v1.PlanChanged"));
  EXPECT_THAT(reason, HasSubstr(refused.event_id()));
  EXPECT_THAT(reason, HasSubstr("bytes dropped"));
  EXPECT_EQ(letter.headers.at(kDlqTopicHeader), kPlanChangedTopic);
  EXPECT_EQ(letter.headers.at(kDlqProducerHeader), "plan");
  // Refused for its size: the envelope's identifying fields only.
  v1::EventEnvelope kept;
  ASSERT_TRUE(kept.ParseFromString(letter.value));
  EXPECT_EQ(kept.event_id(), refused.event_id());
  EXPECT_EQ(kept.sequence(), refused.sequence());
  EXPECT_FALSE(kept.has_plan_changed());
}

TEST_F(OutboxRefusalKafkaTest, BrokerAwayIsRetriedNotDeadLettered) {
  Append(kPlanChangedTopic, "task-1");
  // A passing failure: the produce request is refused once.
  ASSERT_EQ(rd_kafka_mock_broker_push_request_error_rtts(
                cluster_, 1, kProduceRequest, 1,
                RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, 0),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  OutboxPublisher publisher(*outbox_, *sink_, "refusal_test");
  ASSERT_TRUE(publisher.Drain().ok());  // librdkafka retried it
  EXPECT_EQ(ErrorsLeft(), 0u);
  EXPECT_EQ(*outbox_->PendingCount(), 0);
  EXPECT_EQ(ReadAll(kPlanChangedTopic).size(), 1u);
  EXPECT_TRUE(ReadAll(kDeadLetterTopic).empty());
}

}  // namespace
}  // namespace tiendo
