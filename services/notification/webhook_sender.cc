#include "services/notification/webhook_sender.h"

#include "absl/strings/str_cat.h"

namespace tiendo::notification {

AttemptResult WebhookSender::Send(const DueDelivery& due) {
  const std::string body =
      WebhookBody(due.notification, due.delivery.delivery_key());
  const std::string timestamp = absl::StrCat(absl::ToUnixSeconds(clock_.Now()));
  const HttpHeaders headers = {
      {"Content-Type", "application/json; charset=utf-8"},
      {"User-Agent", "tiendo-notification"},
      {"X-Tiendo-Timestamp", timestamp},
      {"X-Tiendo-Signature",
       WebhookSignature(due.subscription.secret(), timestamp, body)},
      {"X-Tiendo-Delivery", due.delivery.delivery_key()},
  };
  const HttpResult result =
      http_.Post(due.subscription.address(), headers, body, timeout_);
  AttemptResult out;
  out.outcome = Classify(result);
  if (out.outcome != Outcome::kSent) out.error = DescribeFailure(result);
  return out;
}

}  // namespace tiendo::notification
