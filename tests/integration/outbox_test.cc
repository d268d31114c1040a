// The outbox on a real SQLite file: events exist exactly when the state
// change that caused them committed, and leave only once acknowledged.
#include "services/common/outbox.h"

#include <unistd.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/sqlite.h"
#include "tests/support/fixtures.h"

namespace tiendo {
namespace {

using ::tiendo::testing::CountRows;
using ::tiendo::testing::StoreEnv;

// Acknowledges at most `accept` messages per call, or fails.
class FakeSink final : public EventSink {
 public:
  absl::StatusOr<PublishOutcome> Publish(
      const std::vector<OutboxMessage>& messages) override {
    if (fail_next > 0) {
      --fail_next;
      return absl::UnavailableError("broker away");
    }
    const size_t n = std::min(messages.size(), accept);
    for (size_t i = 0; i < n; ++i) {
      v1::EventEnvelope e;
      EXPECT_TRUE(e.ParseFromString(messages[i].payload));
      received.push_back(e);
    }
    return PublishOutcome{.acknowledged = n, .refused = std::nullopt};
  }
  int fail_next = 0;
  size_t accept = 1000;
  std::vector<v1::EventEnvelope> received;
};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = absl::StrCat(
        ::testing::TempDir(), "/outbox-", getpid(), "-",
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), ".db");
    std::remove(path_.c_str());
    absl::Status opened = env_.Open("progress", path_);
    ASSERT_TRUE(opened.ok()) << opened;
    ASSERT_TRUE(env_.db()
                    .Transaction([&] {
                      return env_.db().Exec(
                          "CREATE TABLE state (k TEXT PRIMARY KEY, v TEXT)");
                    })
                    .ok());
  }

  // A state change and its event in one transaction; fails on demand after
  // both were written.
  absl::Status Change(const std::string& key, bool fail) {
    return env_.db().Transaction([&]() -> absl::Status {
      auto q = env_.db().Prepare("INSERT OR REPLACE INTO state VALUES(?, 'x')");
      if (!q.ok()) return q.status();
      q->Bind(key);
      if (absl::Status s = q->Run(); !s.ok()) return s;
      v1::EventEnvelope e;
      e.mutable_task_updated()->set_task_id(key);
      if (absl::Status s = env_.outbox().Append(kTaskUpdatedTopic, key, e);
          !s.ok())
        return s;
      return fail ? absl::AbortedError("caller gave up") : absl::OkStatus();
    });
  }

  int64_t Rows(const char* table) { return CountRows(env_.db(), table); }

  StoreEnv env_{absl::FromUnixSeconds(1780000000)};
  std::string path_;
};

TEST_F(OutboxTest, RolledBackChangeLeavesNoEvent) {
  ASSERT_TRUE(Change("a", false).ok());
  EXPECT_FALSE(Change("b", true).ok());
  EXPECT_EQ(Rows("state"), 1);
  EXPECT_EQ(Rows("outbox"), 1);
}

TEST_F(OutboxTest, EnvelopesAreStampedWithIncreasingSequence) {
  for (const char* key : {"a", "b", "c"}) ASSERT_TRUE(Change(key, false).ok());
  auto pending = env_.outbox().Peek(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 3u);
  std::vector<std::string> ids;
  for (size_t i = 0; i < pending->size(); ++i) {
    v1::EventEnvelope e;
    ASSERT_TRUE(e.ParseFromString((*pending)[i].payload));
    EXPECT_EQ(e.sequence(), i + 1);
    EXPECT_EQ(e.source(), "progress");
    EXPECT_EQ(e.type(), "tiendo.v1.TaskUpdated");
    EXPECT_EQ(e.schema_version(), 1u);
    EXPECT_EQ(e.occurred_at().seconds(), 1780000000);
    EXPECT_EQ((*pending)[i].key, e.task_updated().task_id());
    ids.push_back(e.event_id());
  }
  EXPECT_NE(ids[0], ids[1]);
}

TEST_F(OutboxTest, SequenceSurvivesReopeningTheDatabase) {
  ASSERT_TRUE(Change("a", false).ok());
  ASSERT_TRUE(env_.Open("progress", path_).ok());
  ASSERT_TRUE(Change("b", false).ok());
  auto pending = env_.outbox().Peek(10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  v1::EventEnvelope second;
  ASSERT_TRUE(second.ParseFromString((*pending)[1].payload));
  EXPECT_EQ(second.sequence(), 2u);
}

TEST_F(OutboxTest, PublisherRemovesOnlyWhatWasAcknowledgedInOrder) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Change(absl::StrCat("t", i), false).ok());
  }
  FakeSink sink;
  sink.fail_next = 1;
  sink.accept = 2;
  OutboxPublisher publisher(env_.outbox(), sink);
  EXPECT_FALSE(publisher.Drain().ok());  // the broker is away
  EXPECT_EQ(Rows("outbox"), 5);
  ASSERT_TRUE(publisher.Drain().ok());  // 2 + 2 + 1
  EXPECT_EQ(Rows("outbox"), 0);
  ASSERT_EQ(sink.received.size(), 5u);
  for (size_t i = 0; i < sink.received.size(); ++i) {
    EXPECT_EQ(sink.received[i].task_updated().task_id(), absl::StrCat("t", i));
  }
}

}  // namespace
}  // namespace tiendo
