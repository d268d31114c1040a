#include "services/notification/email_delivery_sender.h"

#include "services/notification/notification_message.h"

namespace tiendo::notification {

AttemptResult EmailDeliverySender::Send(const DueDelivery& due) {
  const v1::Notification& n = due.notification;
  const RenderedMessage message =
      RenderNotification(n, due.subscription.language(), templates_);
  const SendResult result =
      email_.Send(due.subscription.address(), message.subject, message.text,
                  message.html, due.delivery.delivery_key());
  AttemptResult attempt;
  switch (result.outcome) {
    case SendResult::Outcome::kDelivered:
      attempt.outcome = Outcome::kSent;
      break;
    case SendResult::Outcome::kRetry:
      attempt.outcome = Outcome::kRetry;
      attempt.error = result.error;
      break;
    case SendResult::Outcome::kPermanent:
      attempt.outcome = Outcome::kPermanent;
      attempt.error = result.error;
      break;
  }
  return attempt;
}

}  // namespace tiendo::notification
