#ifndef TIENDO_SERVICES_NOTIFICATION_SUBSCRIPTION_STORE_H_
#define TIENDO_SERVICES_NOTIFICATION_SUBSCRIPTION_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/paging.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// A delivery due for an attempt, with what it needs to be sent.
struct DueDelivery {
  v1::Delivery delivery;
  v1::Subscription subscription;
  v1::Notification notification;
  bool subscription_exists = false;
};

// The agencies' subscriptions and the deliveries they cause, in the
// notification service's database, next to the inboxes.
class SubscriptionStore {
 public:
  explicit SubscriptionStore(Database& db) : db_(db) {}

  // Creates the notification database's tables, or brings those of an
  // older version up to date (NotificationSchema).
  absl::Status Init();

  // Creates or replaces a subscription (agency, id) after validating it.
  absl::StatusOr<v1::Subscription> Set(const v1::Subscription& subscription);
  // One page of the agency's subscriptions by id; sets `next_page_token`
  // when more follow.
  absl::StatusOr<std::vector<v1::Subscription>> List(
      const std::string& agency, const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);
  // NOT_FOUND when the agency has no such subscription.
  absl::Status Delete(const std::string& agency, const std::string& id);

  // Inside the transaction that stored the inbox entry `notification` (with
  // its id) under `inbox_key`: one delivery per subscription of the agency
  // on an outgoing channel (webhook, e-mail) that wants its kind, keyed
  // "<inbox_key>→<subscription id>", so the same entry never yields two
  // deliveries to one subscription. A digest subscription queues deadline
  // notifications for its next digest instead. Returns how many deliveries
  // were added.
  absl::StatusOr<int> AddDeliveries(const std::string& inbox_key,
                                    const v1::Notification& notification);

  // Deliveries of the agency, oldest first; `state` unspecified for all.
  // One page; sets `next_page_token` when more follow.
  absl::StatusOr<std::vector<v1::Delivery>> ListDeliveries(
      const std::string& agency, v1::Delivery::State state,
      const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);

  // Pending or failed deliveries whose next attempt is at or before `now`,
  // earliest first.
  absl::StatusOr<std::vector<DueDelivery>> Due(absl::Time now, int limit);

  // Records an attempt's result (or a postponement) as its own transaction.
  absl::Status Update(const v1::Delivery& delivery);

  // Inside the consumer's transaction: the occurrence (or, with an empty
  // occurrence_id, the whole task) is done, so no digest lists it again.
  absl::Status DropFromDigests(const std::string& task_id,
                               const std::string& occurrence_id);

  // For every digest subscription whose digest time has come (digest_at on
  // a working day, or later that day; a digest missed on an earlier day is
  // folded into today's): one delivery of kind "digest" listing what was queued
  // for it and what is still overdue (PlanDigest), keyed
  // "digest:<day>→<agency>→<subscription>" so a day's digest is made once;
  // no delivery when there is nothing to list. Each subscription in its own
  // transaction, which also schedules its next digest; a subscription seen
  // for the first time is only scheduled. Returns how many were made.
  absl::StatusOr<int> ComposeDueDigests(
      absl::Time now,
      const std::function<bool(absl::CivilDay)>& is_working_day);

 private:
  absl::StatusOr<bool> ComposeDigest(
      const v1::Subscription& subscription, absl::Time now,
      const std::function<bool(absl::CivilDay)>& is_working_day);
  // Inside a transaction: the subscription's digest schedule (and with
  // `items` what it queued) is forgotten.
  absl::Status ForgetDigests(const std::string& agency, const std::string& id,
                             bool items);

  Database& db_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_SUBSCRIPTION_STORE_H_
