#include "services/notification/delivery_worker.h"

#include "absl/random/random.h"
#include "services/common/log.h"
#include "services/common/proto_convert.h"

namespace tiendo::notification {
namespace {

// Deliveries handled per look at the table; more are picked up at once.
constexpr int kBatch = 50;

}  // namespace

DeliveryWorker::DeliveryWorker(SubscriptionStore& store, const Clock& clock,
                               const ChangeNotifier& changes,
                               std::map<v1::Channel, DeliverySender*> senders,
                               Options options)
    : store_(store),
      clock_(clock),
      changes_(changes),
      senders_(std::move(senders)),
      options_(std::move(options)) {
  if (!options_.jitter) {
    options_.jitter = [gen = std::make_shared<absl::BitGen>()] {
      return absl::Uniform(*gen, 0.0, 1.0);
    };
  }
}

void DeliveryWorker::Start() {
  stopping_ = false;
  thread_ = std::thread([this] {
    uint64_t seen = changes_.generation();
    while (!stopping_) {
      absl::StatusOr<int> handled = RunOnce();
      if (!handled.ok()) {
        LogError("deliveries: %s", handled.status().ToString());
      } else if (*handled >= kBatch) {
        continue;
      }
      seen = changes_.WaitForChange(seen, options_.poll);
    }
  });
}

void DeliveryWorker::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> DeliveryWorker::RunOnce() {
  if (absl::StatusOr<int> digests =
          store_.ComposeDueDigests(clock_.Now(), options_.is_working_day);
      !digests.ok()) {
    // Deliveries already due still go out.
    LogError("digests: %s", digests.status().ToString());
  }
  absl::StatusOr<std::vector<DueDelivery>> due =
      store_.Due(clock_.Now(), kBatch);
  if (!due.ok()) return due.status();
  for (DueDelivery& d : *due) {
    if (stopping_) break;
    Handle(d, clock_.Now());
  }
  return static_cast<int>(due->size());
}

void DeliveryWorker::Handle(DueDelivery& due, absl::Time now) {
  v1::Delivery& d = due.delivery;
  // Held and waiting deliveries keep their state: not an outcome.
  bool has_outcome = true;
  if (!due.subscription_exists) {
    d.set_state(v1::Delivery::STATE_DEAD);
    d.set_last_error("subscription deleted");
  } else if (std::optional<absl::Time> end =
                 QuietHoursEnd(now, due.subscription.quiet_from(),
                               due.subscription.quiet_until())) {
    // Held, not attempted: the attempt count stays.
    *d.mutable_next_attempt_at() = ToProto(*end);
    has_outcome = false;
  } else if (auto it = senders_.find(d.channel());
             it == senders_.end() || it->second == nullptr) {
    // Kept pending until a sender is configured (and the service restarted);
    // looked at again after the longest backoff.
    d.set_last_error(d.channel() == v1::CHANNEL_EMAIL
                         ? "no SMTP server configured"
                         : "no sender for this channel");
    *d.mutable_next_attempt_at() = ToProto(now + options_.backoff.cap);
    has_outcome = false;
  } else {
    const AttemptResult result = it->second->Send(due);
    const absl::Time after = clock_.Now();
    d.set_attempts(d.attempts() + 1);
    switch (result.outcome) {
      case Outcome::kSent:
        d.set_state(v1::Delivery::STATE_SENT);
        d.clear_last_error();
        *d.mutable_sent_at() = ToProto(after);
        break;
      case Outcome::kPermanent:
        d.set_state(v1::Delivery::STATE_DEAD);
        d.set_last_error(result.error);
        break;
      case Outcome::kRetry:
        d.set_last_error(result.error);
        if (d.attempts() >= options_.backoff.max_attempts) {
          d.set_state(v1::Delivery::STATE_DEAD);
        } else {
          d.set_state(v1::Delivery::STATE_FAILED);
          *d.mutable_next_attempt_at() =
              ToProto(after + BackoffDelay(options_.backoff, d.attempts(),
                                           options_.jitter()));
        }
        break;
    }
    if (d.state() != v1::Delivery::STATE_SENT) {
      LogInfo("delivery %s attempt %d: %s", d.delivery_key(), d.attempts(),
              result.error);
    }
  }
  if (absl::Status s = store_.Update(d); !s.ok()) {
    LogError("delivery %s: cannot record the attempt: %s", d.delivery_key(),
             s.ToString());
  } else if (has_outcome && options_.recorded) {
    options_.recorded(d);
  }
}

}  // namespace tiendo::notification
