// The watch stream registry without the network: its caps, in all and per
// account, and when it asks streams to refresh.
#include "services/common/watch_streams.h"

#include <memory>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

// Counts the refreshes it is asked for.
class CountingStream : public WatchStream {
 public:
  void Refresh() override {
    absl::MutexLock lock(&mu_);
    ++refreshes_;
  }
  // Waits until it was refreshed at least `n` times (false after 10 s).
  bool WaitForRefreshes(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return refreshes_ >= n;
    };
    return mu_.AwaitWithTimeout(absl::Condition(&reached), absl::Seconds(10));
  }
  int refreshes() const {
    absl::MutexLock lock(&mu_);
    return refreshes_;
  }

 private:
  mutable absl::Mutex mu_;
  int refreshes_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(WatchStreamsTest, RefusesPastTheCapPerAccountNamingIt) {
  ChangeNotifier changes;
  WatchStreams streams({.total = 100, .per_account = 2}, changes);
  CountingStream a, b, c, d;
  ASSERT_TRUE(streams.Add(&a, "lan").ok());
  ASSERT_TRUE(streams.Add(&b, "lan").ok());
  const absl::Status refused = streams.Add(&c, "lan");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("account lan has 2 open"));
  EXPECT_THAT(refused.message(),
              HasSubstr("--max_watch_streams_per_account=2"));
  // Another account still gets one.
  EXPECT_TRUE(streams.Add(&d, "hoa").ok());
  EXPECT_EQ(streams.open(), 3);
  // A stream that ends frees its account's place.
  streams.Remove(&a);
  EXPECT_TRUE(streams.Add(&c, "lan").ok());
}

TEST(WatchStreamsTest, RefusesPastTheTotalCapNamingIt) {
  ChangeNotifier changes;
  WatchStreams streams({.total = 2, .per_account = 20}, changes);
  CountingStream a, b, c;
  ASSERT_TRUE(streams.Add(&a, "lan").ok());
  ASSERT_TRUE(streams.Add(&b, "hoa").ok());
  const absl::Status refused = streams.Add(&c, "minh");
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(refused.message(), HasSubstr("2 open in all"));
  EXPECT_THAT(refused.message(), HasSubstr("--max_watch_streams=2"));
  streams.Remove(&b);
  EXPECT_TRUE(streams.Add(&c, "minh").ok());
}

TEST(WatchStreamsTest, ServicePeersCountAsOneAccount) {
  Credential peer;
  peer.service = true;
  peer.account.set_name("anything");
  Credential person;
  person.account.set_name("vinhthuy.kinhte.lan");
  EXPECT_EQ(WatchAccount(peer), "the services");
  EXPECT_EQ(WatchAccount(person), "vinhthuy.kinhte.lan");

  ChangeNotifier changes;
  WatchStreams streams({.total = 100, .per_account = 1}, changes);
  CountingStream a, b;
  ASSERT_TRUE(streams.Add(&a, WatchAccount(peer)).ok());
  const absl::Status refused = streams.Add(&b, WatchAccount(peer));
  EXPECT_THAT(refused.message(), HasSubstr("the services has 1 open"));
}

TEST(WatchStreamsTest, RefreshesEveryStreamWhenTheStateChanges) {
  ChangeNotifier changes;
  // A period far longer than the test: only the change can cause a pass.
  WatchStreams streams({}, changes, absl::Hours(1));
  CountingStream a, b, removed;
  ASSERT_TRUE(streams.Add(&a, "lan").ok());
  ASSERT_TRUE(streams.Add(&b, "hoa").ok());
  ASSERT_TRUE(streams.Add(&removed, "hoa").ok());
  streams.Remove(&removed);
  streams.Start();
  changes.Notify();
  EXPECT_TRUE(a.WaitForRefreshes(1));
  EXPECT_TRUE(b.WaitForRefreshes(1));
  changes.Notify();
  EXPECT_TRUE(a.WaitForRefreshes(2));
  streams.Stop();
  EXPECT_EQ(removed.refreshes(), 0);
  EXPECT_EQ(streams.passes(), a.refreshes());
}

TEST(WatchStreamsTest, RefreshesAtLeastEveryPeriodWithoutChanges) {
  ChangeNotifier changes;
  WatchStreams streams({}, changes, absl::Milliseconds(20));
  CountingStream a;
  ASSERT_TRUE(streams.Add(&a, "lan").ok());
  streams.Start();
  // Nothing changes, yet the passes keep coming (the day may roll over).
  EXPECT_TRUE(a.WaitForRefreshes(3));
  EXPECT_EQ(changes.generation(), 0u);
}

// Blocks in Refresh until released.
class BlockingStream : public WatchStream {
 public:
  void Refresh() override {
    entered.Notify();
    release.WaitForNotification();
    absl::MutexLock lock(&mu_);
    done_ = true;
  }
  bool done() const {
    absl::MutexLock lock(&mu_);
    return done_;
  }
  absl::Notification entered;
  absl::Notification release;

 private:
  mutable absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(WatchStreamsTest, RemoveWaitsForARefreshRunningOnTheStream) {
  ChangeNotifier changes;
  WatchStreams streams({}, changes, absl::Hours(1));
  auto stream = std::make_unique<BlockingStream>();
  ASSERT_TRUE(streams.Add(stream.get(), "lan").ok());
  std::thread pass([&] { streams.RefreshAll(); });
  stream->entered.WaitForNotification();
  bool refresh_over_when_removed = false;
  std::thread remover([&] {
    streams.Remove(stream.get());
    // Once Remove returns the stream may be deleted: no refresh runs.
    refresh_over_when_removed = stream->done();
  });
  stream->release.Notify();
  remover.join();
  pass.join();
  EXPECT_TRUE(refresh_over_when_removed);
  EXPECT_EQ(streams.open(), 0);
}

}  // namespace
}  // namespace tiendo
