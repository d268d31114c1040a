#include "services/notification/webhook_sender.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tiendo::notification {

std::string PercentEncode(absl::string_view text) {
  std::string out;
  for (char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      out += c;
    } else {
      absl::StrAppendFormat(&out, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return out;
}

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
      {"X-Tiendo-Delivery", PercentEncode(due.delivery.delivery_key())},
  };
  const HttpResult result =
      http_.Post(due.subscription.address(), headers, body, timeout_);
  AttemptResult out;
  out.outcome = Classify(result);
  if (out.outcome != Outcome::kSent) out.error = DescribeFailure(result);
  return out;
}

}  // namespace tiendo::notification
