#ifndef TIENDO_SERVICES_NOTIFICATION_INBOX_STORE_H_
#define TIENDO_SERVICES_NOTIFICATION_INBOX_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// The agencies' inboxes, and which tasks are done (no more reminders).
class InboxStore {
 public:
  explicit InboxStore(Database& db) : db_(db) {}

  absl::Status Init();

  // Inside the consumer's transaction. A deadline event puts one entry in
  // each recipient's inbox unless the task is known to be done; the same
  // reminder point reaching the same agency twice is stored once. Returns
  // how many entries were added.
  absl::StatusOr<int> AddReminder(const v1::EventEnvelope& envelope);
  // Inside the consumer's transaction: remembers whether a task is done.
  absl::Status ApplyTaskUpdate(const v1::TaskUpdated& update);

  absl::StatusOr<std::vector<v1::Notification>> List(const std::string& agency,
                                                     int64_t after_id);

 private:
  Database& db_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_INBOX_STORE_H_
