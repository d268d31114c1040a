#ifndef TIENDO_SERVICES_AGGREGATION_EVENT_CONSUMER_H_
#define TIENDO_SERVICES_AGGREGATION_EVENT_CONSUMER_H_

#include "services/aggregation/rollup_store.h"
#include "services/common/change_notifier.h"
#include "services/common/kafka.h"
#include "services/common/resyncer.h"

namespace tiendo::aggregation {

// Feeds plan-changed and task-updated into the roll-up store.
class RollupEventConsumer final : public EventHandler {
 public:
  RollupEventConsumer(RollupStore& store, ChangeNotifier& changes,
                      Resyncer& resyncer)
      : store_(store), changes_(changes), resyncer_(resyncer) {}

  absl::Status Apply(absl::string_view topic,
                     const v1::EventEnvelope& event) override;
  void Committed() override;
  void RolledBack() override { store_.Discard(); }
  void StreamGap(absl::string_view topic, int32_t partition,
                 absl::string_view reason) override;

 private:
  RollupStore& store_;
  ChangeNotifier& changes_;
  Resyncer& resyncer_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_EVENT_CONSUMER_H_
