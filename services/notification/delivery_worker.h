#ifndef TIENDO_SERVICES_NOTIFICATION_DELIVERY_WORKER_H_
#define TIENDO_SERVICES_NOTIFICATION_DELIVERY_WORKER_H_

#include <atomic>
#include <functional>
#include <map>
#include <thread>

#include "absl/time/time.h"
#include "services/common/change_notifier.h"
#include "services/common/clock.h"
#include "services/notification/delivery_policy.h"
#include "services/notification/delivery_sender.h"
#include "services/notification/subscription_store.h"
#include "services/notification/templates.h"

namespace tiendo::notification {

// Sends due deliveries through the sender of their channel and records what
// came of each attempt.
//
// Each attempt is sent outside any transaction and its result recorded in a
// transaction of its own. A crash between the two leaves the delivery due,
// so it is sent again after a restart: delivery is at least once, and the
// delivery key sent along lets the receiver drop the repeat.
class DeliveryWorker {
 public:
  struct Options {
    BackoffPolicy backoff;
    // How often due deliveries are looked for when nothing wakes the worker
    // (a retry or the end of quiet hours comes due as the clock moves).
    absl::Duration poll = absl::Seconds(1);
    // Uniform in [0, 1); replaceable so tests get fixed delays.
    std::function<double()> jitter;
    // Days digests go out on.
    std::function<bool(absl::CivilDay)> is_working_day = IsWeekday;
    // Hears every delivery whose attempt (or end) was recorded, with its
    // new state: sent, failed (to be retried) or dead (for metrics).
    std::function<void(const v1::Delivery&)> recorded;
  };

  // `changes` is notified whenever the consumer committed new entries.
  DeliveryWorker(SubscriptionStore& store, const Clock& clock,
                 const ChangeNotifier& changes,
                 std::map<v1::Channel, DeliverySender*> senders,
                 Options options);
  ~DeliveryWorker() { Stop(); }

  void Start();
  void Stop();

  // Makes the digests whose time has come, then attempts every delivery
  // due now, once; returns how many deliveries were handled. The thread
  // calls it in a loop; tests call it directly.
  absl::StatusOr<int> RunOnce();

 private:
  void Handle(DueDelivery& due, absl::Time now);

  SubscriptionStore& store_;
  const Clock& clock_;
  const ChangeNotifier& changes_;
  std::map<v1::Channel, DeliverySender*> senders_;
  Options options_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_DELIVERY_WORKER_H_
