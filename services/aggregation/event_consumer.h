#ifndef TIENDO_SERVICES_AGGREGATION_EVENT_CONSUMER_H_
#define TIENDO_SERVICES_AGGREGATION_EVENT_CONSUMER_H_

#include "services/aggregation/aggregation_store.h"
#include "services/common/change_notifier.h"
#include "services/common/kafka.h"
#include "services/common/resyncer.h"

namespace tiendo::aggregation {

// Feeds plan-changed and task-updated into the store, each at its
// producer's instant; a gap (lost partition data, or a task's versions
// skipped) asks for a resync from the owners.
class RollupEventConsumer final : public EventHandler {
 public:
  RollupEventConsumer(AggregationStore& store, ChangeNotifier& changes,
                      Resyncer& resyncer)
      : store_(store), changes_(changes), resyncer_(resyncer) {}

  absl::Status Apply(absl::string_view topic,
                     const v1::EventEnvelope& event) override;
  void Committed() override;
  void RolledBack() override;
  void StreamGap(absl::string_view topic, int32_t partition,
                 absl::string_view reason) override;

 private:
  AggregationStore& store_;
  ChangeNotifier& changes_;
  Resyncer& resyncer_;
  // Set by Apply, read after the batch committed (one consumer thread).
  bool gap_in_batch_ = false;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_EVENT_CONSUMER_H_
