#include "services/notification/deadline_consumer.h"

#include "services/common/log.h"
#include "services/common/outbox.h"

namespace tiendo::notification {

absl::Status DeadlineConsumer::Apply(absl::string_view,
                                     const v1::EventEnvelope& event) {
  if (event.has_deadline_approaching()) {
    return store_.AddReminder(event).status();
  }
  if (event.has_task_updated()) {
    if (absl::Status s = store_.ApplyTaskUpdate(event.task_updated());
        !s.ok()) {
      return s;
    }
    return store_.AddNotices(event).status();
  }
  if (event.has_target_at_risk()) return store_.AddNotices(event).status();
  return absl::OkStatus();
}

void DeadlineConsumer::StreamGap(absl::string_view topic, int32_t partition,
                                 absl::string_view reason) {
  if (topic == kTaskUpdatedTopic) {
    resyncer_.Request();
    return;
  }
  // Reminders are announced once by the plan service and not kept by it, so
  // a lost deadline event cannot be fetched again; make the loss visible.
  LogError("deadline events lost on %s[%d]: %s", topic, partition, reason);
}

}  // namespace tiendo::notification
