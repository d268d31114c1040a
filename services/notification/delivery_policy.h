#ifndef TIENDO_SERVICES_NOTIFICATION_DELIVERY_POLICY_H_
#define TIENDO_SERVICES_NOTIFICATION_DELIVERY_POLICY_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/http_client.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// The rules a delivery follows, apart from any I/O, so they can be tested on
// their own: when to retry, when to hold, how to sign, what to send.

struct BackoffPolicy {
  absl::Duration base = absl::Seconds(2);
  double factor = 2;
  absl::Duration cap = absl::Minutes(10);
  int max_attempts = 8;
};

// The wait after the `attempts`-th failed attempt (1 for the first):
// base * factor^(attempts-1), capped, then jittered down to between half
// and all of it so receivers that failed together are not retried together.
// `jitter` is uniform in [0, 1).
absl::Duration BackoffDelay(const BackoffPolicy& policy, int attempts,
                            double jitter);

// What an attempt's result means for the delivery.
enum class Outcome {
  kSent,       // 2xx
  kRetry,      // 5xx, 408, 429, timeouts, transport errors
  kPermanent,  // any other answer: the receiver refuses it
};
// A target the address policy refused is permanent.
Outcome Classify(const HttpResult& result);
// Why an attempt failed, for last_error: "HTTP 500" (never the body),
// "timeout: ...", "transport error: ...", "refused: webhook target ...".
std::string DescribeFailure(const HttpResult& result);

// "HH:MM", 00:00..23:59, as minutes after midnight; fails naming `field`.
absl::StatusOr<int> ParseClockTime(absl::string_view text,
                                   absl::string_view field);

// When the quiet hours [from, until) (local time, "22:00".."06:30"; a
// window may cross midnight) that `now` falls in end; nullopt outside them
// or when no quiet hours are set. Equal ends mean no quiet hours.
std::optional<absl::Time> QuietHoursEnd(absl::Time now, const std::string& from,
                                        const std::string& until);

// Lower-case hex HMAC-SHA256.
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);
// The X-Tiendo-Signature value: "sha256=" + HMAC(secret, timestamp "." body).
std::string WebhookSignature(absl::string_view secret,
                             absl::string_view timestamp,
                             absl::string_view body);

// The JSON body a webhook receives for one notification.
std::string WebhookBody(const v1::Notification& notification,
                        const std::string& delivery_key);

// Validates a subscription as SetSubscription receives it; the error names
// the field.
absl::Status ValidateSubscription(const v1::Subscription& subscription);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_DELIVERY_POLICY_H_
