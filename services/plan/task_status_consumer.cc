#include "services/plan/task_status_consumer.h"

namespace tiendo::plan {

absl::Status TaskStatusConsumer::Apply(absl::string_view,
                                       const v1::EventEnvelope& event) {
  if (!event.has_task_updated()) return absl::OkStatus();
  const v1::TaskUpdated& update = event.task_updated();
  if (update.task_id().empty()) {
    return absl::InvalidArgumentError("task_updated.task_id: empty");
  }
  return store_.ApplyTaskStatus(update, clock_.Now());
}

void TaskStatusConsumer::StreamGap(absl::string_view, int32_t,
                                   absl::string_view) {
  resyncer_.Request();
}

}  // namespace tiendo::plan
