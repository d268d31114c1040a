#ifndef TIENDO_SERVICES_AGGREGATION_REBUILDER_H_
#define TIENDO_SERVICES_AGGREGATION_REBUILDER_H_

#include <atomic>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/aggregation/aggregation_store.h"
#include "services/common/change_notifier.h"
#include "services/common/clock.h"

namespace tiendo::aggregation {

// Brings the store back in line with the owning services.
//
// The consumer is held between batches while the owners' snapshots are
// fetched and applied: everything the consumer applied before is in the
// snapshots (an owner's state is never behind the events it sent), and
// every event after is still in Kafka after the consumer's stored offsets,
// where the version guards drop what the snapshot already had. So nothing
// is lost or counted twice, however the two overlap.
class Rebuilder {
 public:
  using FetchSnapshot = std::function<absl::StatusOr<OwnerSnapshot>()>;
  struct Consumer {
    std::function<void()> pause;
    std::function<void()> resume;
  };

  Rebuilder(AggregationStore& store, FetchSnapshot fetch, Consumer consumer,
            ChangeNotifier& changes, const Clock& clock)
      : store_(store),
        fetch_(std::move(fetch)),
        consumer_(std::move(consumer)),
        changes_(changes),
        clock_(clock) {}

  // After a gap in the stream: adds what the snapshots have and the store
  // lacks, keeping the history.
  absl::Status Resync();
  // From scratch: the history is replaced by the snapshots. One at a time:
  // while one runs, another is refused (RESOURCE_EXHAUSTED) rather than
  // queued, since each holds a copy of every owner's snapshot.
  absl::Status Rebuild(
      const std::function<void(const v1::RebuildProgress&)>& progress);

 private:
  absl::Status Run(
      const std::function<absl::Status(const OwnerSnapshot&)>& apply,
      const std::function<void(const v1::RebuildProgress&)>& progress);

  AggregationStore& store_;
  const FetchSnapshot fetch_;
  const Consumer consumer_;
  ChangeNotifier& changes_;
  const Clock& clock_;
  absl::Mutex mu_;  // one at a time
  std::atomic<bool> rebuilding_{false};
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_REBUILDER_H_
