#ifndef TIENDO_SERVICES_NOTIFICATION_DELIVERY_SENDER_H_
#define TIENDO_SERVICES_NOTIFICATION_DELIVERY_SENDER_H_

#include <string>

#include "services/notification/delivery_policy.h"
#include "services/notification/subscription_store.h"

namespace tiendo::notification {

// What one attempt came to.
struct AttemptResult {
  Outcome outcome = Outcome::kRetry;
  // Why it failed; empty when sent.
  std::string error;
};

// Sends a delivery over one channel (webhook, e-mail). Called outside any
// database transaction; may block up to its own timeout.
class DeliverySender {
 public:
  virtual ~DeliverySender() = default;
  virtual AttemptResult Send(const DueDelivery& due) = 0;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_DELIVERY_SENDER_H_
