#include "services/common/resyncer.h"

#include <algorithm>

#include "services/common/log.h"

namespace tiendo {

void Resyncer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Resyncer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Resyncer::Request() {
  absl::MutexLock lock(&mu_);
  requested_ = true;
}

int Resyncer::completed() const {
  absl::MutexLock lock(&mu_);
  return completed_;
}

void Resyncer::Run() {
  absl::Duration backoff = absl::Seconds(1);
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return requested_ || stop_;
      };
      mu_.Await(absl::Condition(&ready));
      if (stop_) return;
      requested_ = false;
    }
    LogInfo("resync of %s started", what_);
    absl::Status status = resync_();
    if (status.ok()) {
      LogInfo("resync of %s done", what_);
      absl::MutexLock lock(&mu_);
      ++completed_;
      backoff = absl::Seconds(1);
      continue;
    }
    LogWarning("resync of %s failed, retrying in %s: %s", what_,
               absl::FormatDuration(backoff), status.ToString());
    absl::MutexLock lock(&mu_);
    requested_ = true;
    auto stopping = [this]()
                        ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; };
    if (mu_.AwaitWithTimeout(absl::Condition(&stopping), backoff)) return;
    backoff = std::min(backoff * 2, absl::Seconds(30));
  }
}

}  // namespace tiendo
