// An outbox event the broker refuses for good goes to the dead letters with
// its reason instead of holding up the events behind it; a passing failure
// is still retried.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/dead_letters.h"
#include "services/common/metrics.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "services/common/topics.h"
#include "tests/support/metrics_scrape.h"

namespace tiendo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A broker that refuses for good every message with one of `refused_keys`
// (on `refused_on`, or on any topic), fails the next `transient_failures`
// batches whole, and takes everything else, in order.
class RefusingSink final : public EventSink {
 public:
  absl::StatusOr<PublishOutcome> Publish(
      const std::vector<OutboxMessage>& messages) override {
    if (transient_failures > 0) {
      --transient_failures;
      return absl::UnavailableError("broker away");
    }
    for (size_t i = 0; i < messages.size(); ++i) {
      if (refused_keys.contains(messages[i].key) &&
          (refused_on.empty() || refused_on == messages[i].topic)) {
        return PublishOutcome{
            .acknowledged = i,
            .refused = Refusal{.reason = refusal, .too_large = too_large}};
      }
      delivered.push_back(messages[i]);
    }
    return PublishOutcome{.acknowledged = messages.size(),
                          .refused = std::nullopt};
  }

  // "topic/key" of each delivered message, in order.
  std::vector<std::string> Delivered() const {
    std::vector<std::string> out;
    for (const OutboxMessage& m : delivered) {
      out.push_back(absl::StrCat(m.topic, "/", m.key));
    }
    return out;
  }
  // The last delivered message to `topic`; an empty message if none.
  OutboxMessage LastOn(const std::string& topic) const {
    for (auto it = delivered.rbegin(); it != delivered.rend(); ++it) {
      if (it->topic == topic) return *it;
    }
    return {};
  }

  std::set<std::string> refused_keys;
  std::string refused_on;  // only on this topic; on all when empty
  std::string refusal = "Broker: Invalid record";
  bool too_large = false;
  int transient_failures = 0;
  std::vector<OutboxMessage> delivered;
};

std::string Header(const OutboxMessage& m, const std::string& name) {
  for (const auto& [key, value] : m.headers) {
    if (key == name) return value;
  }
  return "";
}

double DeadLetteredCount(const std::string& topic) {
  return testing::ParseMetrics(Metrics::Default().Render())
      .Value(absl::StrCat("tiendo_outbox_dead_lettered_total{topic=\"", topic,
                          "\"}"));
}

class OutboxRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    outbox_ = std::make_unique<Outbox>(*db_, "progress", clock_);
    ASSERT_TRUE(outbox_->Init().ok());
  }

  // Appends a TaskUpdated event keyed `task` with a note of `note_bytes`;
  // returns its payload.
  std::string Append(const std::string& task, size_t note_bytes = 10) {
    v1::EventEnvelope envelope;
    envelope.mutable_task_updated()->set_task_id(task);
    envelope.mutable_task_updated()->set_note(std::string(note_bytes, 'x'));
    EXPECT_TRUE(db_->Transaction([&] {
                     return outbox_->Append(kTaskUpdatedTopic, task, envelope);
                   })
                    .ok());
    absl::StatusOr<std::vector<OutboxMessage>> all = outbox_->Peek(100);
    return all.ok() && !all->empty() ? all->back().payload : "";
  }

  SimulatedClock clock_{absl::FromUnixSeconds(1780000000), ""};
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
  RefusingSink sink_;
};

TEST_F(OutboxRefusalTest, RefusedEventIsDeadLetteredAndTheOnesBehindItGo) {
  const double counted_before = DeadLetteredCount(kTaskUpdatedTopic);
  Append("t1");
  const std::string refused = Append("t2");
  Append("t3");
  Append("t4");
  sink_.refused_keys = {"t2"};
  sink_.refused_on = kTaskUpdatedTopic;
  OutboxPublisher publisher(*outbox_, sink_, "outbox_refusal_test");
  ASSERT_TRUE(publisher.Drain().ok());

  const std::string task = kTaskUpdatedTopic;
  EXPECT_THAT(sink_.Delivered(),
              ElementsAre(task + "/t1", task + "/t3", task + "/t4",
                          std::string(kDeadLetterTopic) + "/t2"));
  EXPECT_EQ(*outbox_->PendingCount(), 0);
  EXPECT_EQ(DeadLetteredCount(kTaskUpdatedTopic), counted_before + 1);

  const OutboxMessage letter = sink_.LastOn(kDeadLetterTopic);
  EXPECT_EQ(letter.payload, refused);  // small enough to keep whole
  v1::EventEnvelope event;
  ASSERT_TRUE(event.ParseFromString(refused));
  const std::string reason = Header(letter, kDlqReasonHeader);
  EXPECT_THAT(reason, HasSubstr("Broker: Invalid record"));
  EXPECT_THAT(reason, HasSubstr(kTaskUpdatedTopic));
  EXPECT_THAT(reason, HasSubstr("tiendo.v1.TaskUpdated"));
  EXPECT_THAT(reason, HasSubstr(event.event_id()));
  EXPECT_EQ(Header(letter, kDlqTopicHeader), kTaskUpdatedTopic);
  EXPECT_EQ(Header(letter, kDlqProducerHeader), "progress");
  EXPECT_EQ(Header(letter, kDlqConsumerHeader), "");
}

TEST_F(OutboxRefusalTest, EventRefusedForItsSizeKeepsOnlyItsIdentity) {
  const std::string refused = Append("t1", 200000);
  Append("t2");
  sink_.refused_keys = {"t1"};
  sink_.refused_on = kTaskUpdatedTopic;
  sink_.refusal = "Broker: Message size too large";
  sink_.too_large = true;
  OutboxPublisher publisher(*outbox_, sink_, "outbox_refusal_test");
  ASSERT_TRUE(publisher.Drain().ok());
  EXPECT_EQ(*outbox_->PendingCount(), 0);

  const OutboxMessage letter = sink_.LastOn(kDeadLetterTopic);
  EXPECT_EQ(letter.key, "t1");
  v1::EventEnvelope original, kept;
  ASSERT_TRUE(original.ParseFromString(refused));
  ASSERT_TRUE(kept.ParseFromString(letter.payload));
  EXPECT_EQ(kept.event_id(), original.event_id());
  EXPECT_EQ(kept.sequence(), original.sequence());
  EXPECT_EQ(kept.source(), "progress");
  EXPECT_EQ(kept.type(), "tiendo.v1.TaskUpdated");
  EXPECT_FALSE(kept.has_task_updated());
  EXPECT_LT(letter.payload.size(), 200u);
  EXPECT_THAT(
      Header(letter, kDlqReasonHeader),
      HasSubstr(absl::StrCat("its ", refused.size(), " bytes dropped")));
}

TEST_F(OutboxRefusalTest, DeadLetterRefusedOnItsTopicGoesWithoutItsValue) {
  Append("t1");
  Append("t2");
  sink_.refused_keys = {"t1"};
  OutboxPublisher publisher(*outbox_, sink_, "outbox_refusal_test");
  // The event, then its dead letter, is refused; the dead letter's value is
  // dropped and, refused again, the dead letter itself.
  ASSERT_TRUE(publisher.Drain().ok());
  EXPECT_EQ(*outbox_->PendingCount(), 0);
  EXPECT_THAT(sink_.Delivered(),
              ElementsAre(std::string(kTaskUpdatedTopic) + "/t2"));
}

TEST_F(OutboxRefusalTest, PassingFailuresAreRetriedNotDeadLettered) {
  Append("t1");
  Append("t2");
  sink_.transient_failures = 3;
  OutboxPublisher publisher(*outbox_, sink_, "outbox_refusal_test");
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(publisher.Drain().ok());
  EXPECT_EQ(*outbox_->PendingCount(), 2);
  ASSERT_TRUE(publisher.Drain().ok());
  const std::string task = kTaskUpdatedTopic;
  EXPECT_THAT(sink_.Delivered(), ElementsAre(task + "/t1", task + "/t2"));
  EXPECT_EQ(*outbox_->PendingCount(), 0);
}

TEST_F(OutboxRefusalTest, ConsumerDeadLettersLeaveTheOutboxOnesAlone) {
  Append("t1");
  const std::string refused = Append("t2");
  OutboxMessage event = outbox_->Peek(2)->back();
  ASSERT_TRUE(
      outbox_->SetAside(event, Refusal{.reason = "Broker: Invalid"}).ok());
  DeadLetters consumer_letters(*db_, "notification");
  ASSERT_TRUE(db_->Transaction([&] {
                   return consumer_letters.Add(
                       DeadLetter{.topic = kTaskUpdatedTopic,
                                  .partition = 2,
                                  .offset = 7,
                                  .key = std::nullopt,
                                  .value = "garbage",
                                  .reason = "undecodable"});
                 })
                  .ok());

  absl::StatusOr<std::vector<OutboxMessage>> mine = consumer_letters.Peek(10);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().payload, "garbage");
  EXPECT_EQ(*consumer_letters.PendingCount(), 1);

  // The outbox: its event first, then its own dead letter only.
  absl::StatusOr<std::vector<OutboxMessage>> outbox = outbox_->Peek(10);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ((*outbox)[0].topic, kTaskUpdatedTopic);
  EXPECT_EQ((*outbox)[1].topic, kDeadLetterTopic);
  EXPECT_EQ((*outbox)[1].payload, refused);
  EXPECT_EQ(*outbox_->PendingCount(), 2);
}

TEST_F(OutboxRefusalTest, EventsCannotBeAppendedToTheDeadLetterTopic) {
  v1::EventEnvelope envelope;
  envelope.mutable_task_updated()->set_task_id("t1");
  const absl::Status refused = db_->Transaction(
      [&] { return outbox_->Append(kDeadLetterTopic, "t1", envelope); });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tiendo
