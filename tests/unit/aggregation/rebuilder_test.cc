// Rebuilds are refused while one runs, not queued.
#include "services/aggregation/rebuilder.h"

#include <functional>
#include <memory>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"
#include "services/common/sqlite.h"

namespace tiendo::aggregation {
namespace {

TEST(RebuilderTest, SecondRebuildWhileOneRunsIsRefused) {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
  ASSERT_TRUE(db.ok()) << db.status();
  AggregationStore store(**db, UnitTree::Default());
  ASSERT_TRUE(store.Init().ok());
  ChangeNotifier changes;
  const std::function<void(const v1::RebuildProgress&)> quiet =
      [](const v1::RebuildProgress&) {};
  SimulatedClock clock(absl::FromUnixSeconds(1780000000), "");
  absl::Notification fetching;
  absl::Notification release;
  Rebuilder rebuilder(
      store,
      [&]() -> absl::StatusOr<OwnerSnapshot> {
        if (!fetching.HasBeenNotified()) fetching.Notify();
        release.WaitForNotification();
        return OwnerSnapshot{};
      },
      {}, changes, clock);

  absl::Status first;
  std::thread running([&] { first = rebuilder.Rebuild(quiet); });
  fetching.WaitForNotification();
  const absl::Status second = rebuilder.Rebuild(quiet);
  EXPECT_EQ(second.code(), absl::StatusCode::kResourceExhausted) << second;
  release.Notify();
  running.join();
  EXPECT_TRUE(first.ok()) << first;

  // Once it has finished, the next one runs.
  EXPECT_TRUE(rebuilder.Rebuild(quiet).ok());
}

}  // namespace
}  // namespace tiendo::aggregation
