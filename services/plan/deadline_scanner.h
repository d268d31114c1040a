#ifndef TIENDO_SERVICES_PLAN_DEADLINE_SCANNER_H_
#define TIENDO_SERVICES_PLAN_DEADLINE_SCANNER_H_

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/plan/plan_store.h"

namespace tiendo::plan {

// Announces reminder points as the clock reaches them. Each point is sent
// once: marking it sent and queueing its event happen in one transaction.
class DeadlineScanner {
 public:
  // `announced`, when given, hears how many points each scan announced
  // (for metrics).
  DeadlineScanner(PlanStore& store, const Clock& clock,
                  OutboxPublisher& publisher, absl::Duration interval,
                  std::function<void(int)> announced = nullptr)
      : store_(store),
        clock_(clock),
        publisher_(publisher),
        interval_(interval),
        announced_(std::move(announced)) {}
  ~DeadlineScanner() { Stop(); }

  void Start();
  void Stop();
  // Scans now, on the caller's thread; returns how many were announced.
  int ScanNow();

 private:
  PlanStore& store_;
  const Clock& clock_;
  OutboxPublisher& publisher_;
  const absl::Duration interval_;
  const std::function<void(int)> announced_;
  absl::Mutex scan_mu_;  // one scan at a time
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_DEADLINE_SCANNER_H_
