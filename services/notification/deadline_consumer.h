#ifndef TIENDO_SERVICES_NOTIFICATION_DEADLINE_CONSUMER_H_
#define TIENDO_SERVICES_NOTIFICATION_DEADLINE_CONSUMER_H_

#include "services/common/change_notifier.h"
#include "services/common/kafka.h"
#include "services/common/resyncer.h"
#include "services/notification/inbox_store.h"

namespace tiendo::notification {

// Turns deadline-approaching events into inbox entries, and follows
// task-updated so a task or occurrence that is done gets no further
// reminders; difficulties and targets at risk (on the task-updated topic)
// become inbox entries too.
class DeadlineConsumer final : public EventHandler {
 public:
  DeadlineConsumer(InboxStore& store, ChangeNotifier& changes,
                   Resyncer& resyncer)
      : store_(store), changes_(changes), resyncer_(resyncer) {}

  absl::Status Apply(absl::string_view topic,
                     const v1::EventEnvelope& event) override;
  void Committed() override { changes_.Notify(); }
  void StreamGap(absl::string_view topic, int32_t partition,
                 absl::string_view reason) override;

 private:
  InboxStore& store_;
  ChangeNotifier& changes_;
  Resyncer& resyncer_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_DEADLINE_CONSUMER_H_
