#ifndef TIENDO_SERVICES_NOTIFICATION_EMAIL_DELIVERY_SENDER_H_
#define TIENDO_SERVICES_NOTIFICATION_EMAIL_DELIVERY_SENDER_H_

#include "services/notification/delivery_sender.h"
#include "services/notification/email_sender.h"
#include "services/notification/templates.h"

namespace tiendo::notification {

// Sends a delivery as an e-mail: the notification rendered with the
// template of its kind in the subscription's language (Vietnamese by
// default), plain text and HTML, to the subscription's address. The
// delivery key is the Message-ID, so a retried message is recognisable.
class EmailDeliverySender final : public DeliverySender {
 public:
  EmailDeliverySender(const EmailSender& email, const TemplateSet& templates)
      : email_(email), templates_(templates) {}

  AttemptResult Send(const DueDelivery& due) override;

 private:
  const EmailSender& email_;
  const TemplateSet& templates_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_EMAIL_DELIVERY_SENDER_H_
