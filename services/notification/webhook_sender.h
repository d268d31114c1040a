#ifndef TIENDO_SERVICES_NOTIFICATION_WEBHOOK_SENDER_H_
#define TIENDO_SERVICES_NOTIFICATION_WEBHOOK_SENDER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/http_client.h"
#include "services/notification/delivery_sender.h"

namespace tiendo::notification {

// POSTs the notification as JSON to the subscription's URL, with
//   X-Tiendo-Timestamp: unix seconds of the attempt,
//   X-Tiendo-Signature: sha256=<hex HMAC-SHA256(secret, timestamp "." body)>,
//   X-Tiendo-Delivery:  the delivery key, percent-encoded (PercentEncode).
// Delivery is at least once (a crash between the answer and recording it
// sends again), so receivers dedupe on X-Tiendo-Delivery; the timestamp lets
// them refuse replays of old signed requests. Every header value is printable
// ASCII: keys hold UTF-8 ("→") and agency codes, which HTTP headers cannot
// carry as they are.
// `text` with every byte outside RFC 3986's unreserved characters
// (letters, digits, "-", ".", "_", "~") written as "%XX" (upper-case hex):
// "k→a" -> "k%E2%86%92a". Decoding it gives the key back byte for byte.
std::string PercentEncode(absl::string_view text);

class WebhookSender final : public DeliverySender {
 public:
  WebhookSender(HttpClient& http, const Clock& clock, absl::Duration timeout)
      : http_(http), clock_(clock), timeout_(timeout) {}

  AttemptResult Send(const DueDelivery& due) override;

 private:
  HttpClient& http_;
  const Clock& clock_;
  const absl::Duration timeout_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_WEBHOOK_SENDER_H_
