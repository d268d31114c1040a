#include "services/aggregation/event_consumer.h"

#include "services/common/log.h"
#include "services/common/proto_convert.h"

namespace tiendo::aggregation {

absl::Status RollupEventConsumer::Apply(absl::string_view,
                                        const v1::EventEnvelope& event) {
  const absl::Time at = FromProto(event.occurred_at());
  if (event.has_plan_changed()) {
    if (event.plan_changed().task().id().empty()) {
      return absl::InvalidArgumentError("plan_changed.task.id: empty");
    }
    const v1::PlanChanged& changed = event.plan_changed();
    if (absl::Status s = store_.StageUnits(
            {changed.unit_path().begin(), changed.unit_path().end()});
        !s.ok()) {
      return s;
    }
    return store_.StageDefinition(changed.task(), at);
  }
  if (event.has_task_updated()) {
    const v1::TaskUpdated& update = event.task_updated();
    if (update.task_id().empty()) {
      return absl::InvalidArgumentError("task_updated.task_id: empty");
    }
    if (update.version() == 0) {
      return absl::InvalidArgumentError("task_updated.version: 0");
    }
    bool gap = false;
    const absl::Time reported =
        update.has_reported_at() ? FromProto(update.reported_at()) : at;
    if (absl::Status s = store_.StageUpdate(update, reported, gap); !s.ok()) {
      return s;
    }
    if (gap) {
      LogWarning("task %s: version %d after a gap; resyncing", update.task_id(),
                 update.version());
      gap_in_batch_ = true;
    }
    return absl::OkStatus();
  }
  // Target warnings share the task-updated topic; the KPIs come from the
  // measurements themselves.
  return absl::OkStatus();
}

void RollupEventConsumer::Committed() {
  store_.Commit();
  changes_.Notify();
  if (gap_in_batch_) resyncer_.Request();
  gap_in_batch_ = false;
}

void RollupEventConsumer::RolledBack() {
  store_.Discard();
  gap_in_batch_ = false;
}

void RollupEventConsumer::StreamGap(absl::string_view, int32_t,
                                    absl::string_view) {
  resyncer_.Request();
}

}  // namespace tiendo::aggregation
