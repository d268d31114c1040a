// The outbox as a queue: what it tells about its oldest event.
#include "services/common/outbox.h"

#include <atomic>
#include <memory>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/sqlite.h"
#include "services/common/topics.h"
#include "tests/support/process.h"

namespace tiendo {
namespace {

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    outbox_ = std::make_unique<Outbox>(*db_, "progress", clock_);
    ASSERT_TRUE(outbox_->Init().ok());
  }

  void Append(const std::string& task) {
    v1::EventEnvelope envelope;
    envelope.mutable_task_updated()->set_task_id(task);
    ASSERT_TRUE(db_->Transaction([&] {
                     return outbox_->Append(kTaskUpdatedTopic, task, envelope);
                   })
                    .ok());
  }

  SimulatedClock clock_{absl::FromUnixSeconds(1780000000), ""};
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, AgeCountsFromWhenTheEventWasWritten) {
  EXPECT_TRUE(outbox_->Peek(1)->empty());
  Append("vt#I.1");
  clock_.Advance(absl::Minutes(5));
  Append("vt#I.2");
  clock_.Advance(absl::Seconds(30));
  absl::StatusOr<std::vector<OutboxMessage>> both = outbox_->Peek(2);
  ASSERT_TRUE(both.ok());
  ASSERT_EQ(both->size(), 2u);
  EXPECT_EQ(outbox_->AgeOf(both->front()), absl::Seconds(330));
  EXPECT_EQ(outbox_->AgeOf(both->back()), absl::Seconds(30));

  both->resize(1);
  ASSERT_TRUE(outbox_->Remove(*both).ok());
  absl::StatusOr<std::vector<OutboxMessage>> oldest = outbox_->Peek(1);
  ASSERT_TRUE(oldest.ok());
  ASSERT_EQ(oldest->size(), 1u);
  EXPECT_EQ(outbox_->AgeOf(oldest->front()), absl::Seconds(30));
  EXPECT_EQ(*outbox_->PendingCount(), 1);

  OutboxMessage not_an_event = oldest->front();
  not_an_event.payload = "\xff\xff";
  EXPECT_EQ(outbox_->AgeOf(not_an_event), std::nullopt);
}

TEST_F(OutboxTest, EventLargerThanTheBrokerTakesIsRefusedAndNothingQueued) {
  v1::EventEnvelope envelope;
  envelope.mutable_task_updated()->set_task_id("vt#I.1");
  envelope.mutable_task_updated()->set_note(std::string(kMaxEventBytes, 'x'));
  const absl::Status refused = db_->Transaction(
      [&] { return outbox_->Append(kTaskUpdatedTopic, "vt#I.1", envelope); });
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()),
              ::testing::HasSubstr("TaskUpdated event"));
  EXPECT_EQ(*outbox_->PendingCount(), 0);
}

// A sink the test opens and closes: closed, it refuses every batch as an
// unreachable broker would.
class GateSink final : public EventSink {
 public:
  absl::StatusOr<PublishOutcome> Publish(
      const std::vector<OutboxMessage>& messages) override {
    if (!open_.load()) return absl::UnavailableError("broker away");
    return PublishOutcome{.acknowledged = messages.size(),
                          .refused = std::nullopt};
  }
  void Open() { open_.store(true); }

 private:
  std::atomic<bool> open_{false};
};

TEST_F(OutboxTest, PublisherIsStuckWhileTheBrokerTakesNothing) {
  GateSink sink;
  OutboxPublisher publisher(*outbox_, sink, "outbox_test");
  Append("vt#I.1");
  publisher.Start();
  // Waiting events and a broker that takes none: stuck, for longer and
  // longer.
  EXPECT_TRUE(testing::WaitUntil(
      [&] { return publisher.StuckFor() > absl::Milliseconds(300); }));
  EXPECT_EQ(*outbox_->PendingCount(), 1);

  sink.Open();
  publisher.Wake();
  EXPECT_TRUE(
      testing::WaitUntil([&] { return *outbox_->PendingCount() == 0; }));
  EXPECT_TRUE(testing::WaitUntil(
      [&] { return publisher.StuckFor() < absl::Milliseconds(300); }));
  publisher.Stop();
}

}  // namespace
}  // namespace tiendo
