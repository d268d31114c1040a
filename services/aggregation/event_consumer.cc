#include "services/aggregation/event_consumer.h"

namespace tiendo::aggregation {

absl::Status RollupEventConsumer::Apply(absl::string_view,
                                        const v1::EventEnvelope& event) {
  if (event.has_plan_changed()) {
    if (event.plan_changed().task().id().empty()) {
      return absl::InvalidArgumentError("plan_changed.task.id: empty");
    }
    return store_.StageDefinition(event.plan_changed().task());
  }
  if (event.has_task_updated()) {
    if (event.task_updated().task_id().empty()) {
      return absl::InvalidArgumentError("task_updated.task_id: empty");
    }
    return store_.StageUpdate(event.task_updated());
  }
  // Target warnings share the task-updated topic; the roll-up has no place
  // for them yet, and they change no task's state.
  return absl::OkStatus();
}

void RollupEventConsumer::Committed() {
  store_.Commit();
  changes_.Notify();
}

void RollupEventConsumer::StreamGap(absl::string_view, int32_t,
                                    absl::string_view) {
  resyncer_.Request();
}

}  // namespace tiendo::aggregation
