#include "services/progress/task_definition_consumer.h"

namespace tiendo::progress {

absl::Status TaskDefinitionConsumer::Apply(absl::string_view,
                                           const v1::EventEnvelope& event) {
  if (!event.has_plan_changed()) return absl::OkStatus();
  const v1::Task& task = event.plan_changed().task();
  if (task.id().empty()) {
    return absl::InvalidArgumentError("plan_changed.task.id: empty");
  }
  if (absl::Status s = units_.Upsert(event.plan_changed().unit_path());
      !s.ok()) {
    return s;
  }
  return store_.UpsertTask(task);
}

void TaskDefinitionConsumer::StreamGap(absl::string_view, int32_t,
                                       absl::string_view) {
  resyncer_.Request();
}

}  // namespace tiendo::progress
