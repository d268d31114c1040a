#include "services/plan/deadline_scanner.h"

#include "services/common/log.h"

namespace tiendo::plan {

void DeadlineScanner::Start() {
  thread_ = std::thread([this] {
    for (;;) {
      ScanNow();
      absl::MutexLock lock(&mu_);
      auto stopping = [this]()
                          ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), interval_)) return;
    }
  });
}

void DeadlineScanner::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

int DeadlineScanner::ScanNow() {
  absl::MutexLock lock(&scan_mu_);
  absl::StatusOr<int> sent = store_.AnnounceDueReminders(clock_.Now());
  if (!sent.ok()) {
    LogError("deadline scan failed: %s", sent.status().ToString());
    return 0;
  }
  if (*sent > 0) {
    LogInfo("deadline scan: %d reminder(s) announced", *sent);
    publisher_.Wake();
    if (announced_) announced_(*sent);
  }
  return *sent;
}

}  // namespace tiendo::plan
