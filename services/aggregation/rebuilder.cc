#include "services/aggregation/rebuilder.h"

#include "services/common/log.h"

namespace tiendo::aggregation {

absl::Status Rebuilder::Run(
    const std::function<absl::Status(const OwnerSnapshot&)>& apply,
    const std::function<void(const v1::RebuildProgress&)>& progress) {
  absl::MutexLock lock(&mu_);
  auto tell = [&](v1::RebuildProgress::Phase phase, int64_t done,
                  int64_t total) {
    if (!progress) return;
    v1::RebuildProgress p;
    p.set_phase(phase);
    p.set_done(done);
    p.set_total(total);
    progress(p);
  };
  if (consumer_.pause) consumer_.pause();
  tell(v1::RebuildProgress::PHASE_SNAPSHOTS, 0, 3);
  absl::StatusOr<OwnerSnapshot> snapshot = fetch_();
  absl::Status status = snapshot.status();
  if (status.ok()) {
    tell(v1::RebuildProgress::PHASE_SNAPSHOTS, 3, 3);
    LogInfo("applying snapshots: %d tasks, %d states, %d measurements",
            snapshot->tasks.size(), snapshot->states.size(),
            snapshot->measurements.size());
    status = apply(*snapshot);
  }
  if (consumer_.resume) consumer_.resume();
  if (status.ok()) changes_.Notify();
  return status;
}

absl::Status Rebuilder::Resync() {
  return Run(
      [this](const OwnerSnapshot& s) { return store_.Merge(s, clock_.Now()); },
      nullptr);
}

absl::Status Rebuilder::Rebuild(
    const std::function<void(const v1::RebuildProgress&)>& progress) {
  if (rebuilding_.exchange(true)) {
    return absl::ResourceExhaustedError(
        "Rebuild: another rebuild is running; ask again when it has "
        "finished");
  }
  absl::Status status =
      Run([&](const OwnerSnapshot& s) { return store_.Replace(s, progress); },
          progress);
  rebuilding_.store(false);
  return status;
}

}  // namespace tiendo::aggregation
