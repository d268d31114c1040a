#ifndef TIENDO_SERVICES_PLAN_TASK_STATUS_CONSUMER_H_
#define TIENDO_SERVICES_PLAN_TASK_STATUS_CONSUMER_H_

#include "services/common/clock.h"
#include "services/common/kafka.h"
#include "services/common/resyncer.h"
#include "services/plan/plan_store.h"

namespace tiendo::plan {

// Learns from task-updated which occurrences are done, reopened or blocked,
// so the scanner stops reminding what is done and escalates what is
// blocked.
class TaskStatusConsumer final : public EventHandler {
 public:
  TaskStatusConsumer(PlanStore& store, const Clock& clock, Resyncer& resyncer)
      : store_(store), clock_(clock), resyncer_(resyncer) {}

  absl::Status Apply(absl::string_view topic,
                     const v1::EventEnvelope& event) override;
  void StreamGap(absl::string_view topic, int32_t partition,
                 absl::string_view reason) override;

 private:
  PlanStore& store_;
  const Clock& clock_;
  Resyncer& resyncer_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_TASK_STATUS_CONSUMER_H_
