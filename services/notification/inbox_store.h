#ifndef TIENDO_SERVICES_NOTIFICATION_INBOX_STORE_H_
#define TIENDO_SERVICES_NOTIFICATION_INBOX_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/paging.h"
#include "services/common/sqlite.h"
#include "services/notification/reminder_text.h"
#include "services/notification/subscription_store.h"
#include "services/notification/templates.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// The agencies' inboxes, and what is done (no more reminders for it).
//
// A TaskUpdated with occurrence_id speaks for that occurrence: while its
// latest state is done or done late, the reminders of that occurrence are
// dropped and those of the task's other occurrences (next month's report)
// still go out, whatever the report says of the task as a whole, since one
// period done does not finish a recurring obligation. A TaskUpdated without
// occurrence_id speaks for the whole task: while it says done, no reminder
// of the task is delivered, of any occurrence. A reminder point without an
// occurrence (a task without them) is dropped while the latest report of
// either kind says the task is done. Every state keeps the per-task version
// of the report that set it, so a redelivered or older event changes
// nothing, and a reopened occurrence or task is reminded again.
class InboxStore {
 public:
  // With `subscriptions`, every new inbox entry also gets its outgoing
  // deliveries, in the same transaction. Entries are written from
  // `templates` (the shipped ones when null); not owned.
  explicit InboxStore(Database& db, SubscriptionStore* subscriptions = nullptr,
                      const TemplateSet* templates = nullptr)
      : db_(db),
        subscriptions_(subscriptions),
        templates_(templates != nullptr ? *templates : TemplateSet::Default()) {
  }

  // Creates the notification database's tables, or brings those of an
  // older version up to date (NotificationSchema).
  absl::Status Init();

  // Inside the consumer's transaction. A deadline event puts one entry in
  // each recipient's inbox unless its occurrence (or its task) is known to
  // be done; the same reminder point reaching the same agency twice is
  // stored once. Returns how many entries were added.
  absl::StatusOr<int> AddReminder(const v1::EventEnvelope& envelope);
  // Inside the consumer's transaction: remembers whether a task or one of
  // its occurrences is done.
  absl::Status ApplyTaskUpdate(const v1::TaskUpdated& update);
  // Inside the consumer's transaction: the entries a progress event asks
  // for (a difficulty raised or resolved, a target at risk), each stored
  // once per report or warning and agency. Returns how many were added.
  absl::StatusOr<int> AddNotices(const v1::EventEnvelope& envelope);

  // The agency's entries after `after_id` by id, at most one page; sets
  // `next_page_token` when more follow.
  absl::StatusOr<std::vector<v1::Notification>> List(
      const std::string& agency, int64_t after_id,
      const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);

  // Marks the agency's entries `ids` read (ids of other agencies are
  // ignored); returns how many were not read before.
  absl::StatusOr<int> MarkRead(const std::string& agency,
                               const std::vector<int64_t>& ids);

 private:
  absl::StatusOr<bool> IsDone(const v1::DeadlineApproaching& event);
  absl::StatusOr<int> Insert(const std::vector<Delivery>& deliveries);

  Database& db_;
  SubscriptionStore* subscriptions_;
  const TemplateSet& templates_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_INBOX_STORE_H_
