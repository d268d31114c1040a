#ifndef TIENDO_SERVICES_PROGRESS_TASK_DEFINITION_CONSUMER_H_
#define TIENDO_SERVICES_PROGRESS_TASK_DEFINITION_CONSUMER_H_

#include "services/common/kafka.h"
#include "services/common/resyncer.h"
#include "services/progress/progress_store.h"
#include "services/progress/unit_parents.h"

namespace tiendo::progress {

// Keeps the local replica of task definitions (who leads, who coordinates,
// due dates) from plan-changed, so reports are checked without calling plan.
class TaskDefinitionConsumer final : public EventHandler {
 public:
  TaskDefinitionConsumer(ProgressStore& store, UnitParents& units,
                         Resyncer& resyncer)
      : store_(store), units_(units), resyncer_(resyncer) {}

  absl::Status Apply(absl::string_view topic,
                     const v1::EventEnvelope& event) override;
  void StreamGap(absl::string_view topic, int32_t partition,
                 absl::string_view reason) override;

 private:
  ProgressStore& store_;
  UnitParents& units_;
  Resyncer& resyncer_;
};

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_TASK_DEFINITION_CONSUMER_H_
