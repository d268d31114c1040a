#include "services/notification/delivery_policy.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "services/common/clock.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"

namespace tiendo::notification {
namespace {

bool IsEmailAddress(absl::string_view text) {
  const size_t at = text.find('@');
  if (at == absl::string_view::npos || at == 0 || text.rfind('@') != at) {
    return false;
  }
  const absl::string_view domain = text.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == absl::string_view::npos || dot == 0 || domain.back() == '.') {
    return false;
  }
  return std::none_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '<' ||
           c == '>' || c == ',';
  });
}

bool IsHttpUrl(absl::string_view text) {
  absl::string_view rest = text;
  if (!absl::ConsumePrefix(&rest, "http://") &&
      !absl::ConsumePrefix(&rest, "https://")) {
    return false;
  }
  const absl::string_view host = rest.substr(0, rest.find('/'));
  return !host.empty() && std::none_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_isspace(static_cast<unsigned char>(c));
  });
}

}  // namespace

absl::Duration BackoffDelay(const BackoffPolicy& policy, int attempts,
                            double jitter) {
  const double exponent = std::max(0, attempts - 1);
  // Computed in seconds as a double so a large exponent saturates instead
  // of overflowing.
  const double full = std::min(
      absl::ToDoubleSeconds(policy.base) * std::pow(policy.factor, exponent),
      absl::ToDoubleSeconds(policy.cap));
  jitter = std::clamp(jitter, 0.0, 1.0);
  return absl::Seconds(full * (0.5 + 0.5 * jitter));
}

Outcome Classify(const HttpResult& result) {
  // A forbidden target stays forbidden.
  if (result.refused) return Outcome::kPermanent;
  if (result.status == 0) return Outcome::kRetry;
  if (result.status >= 200 && result.status < 300) return Outcome::kSent;
  // A receiver asking us to come back later is not refusing the message.
  if (result.status >= 500 || result.status == 408 || result.status == 429) {
    return Outcome::kRetry;
  }
  return Outcome::kPermanent;
}

std::string DescribeFailure(const HttpResult& result) {
  if (result.refused) return absl::StrCat("refused: ", result.transport_error);
  if (result.status == 0) {
    return absl::StrCat(result.timed_out ? "timeout: " : "transport error: ",
                        result.transport_error);
  }
  // Only the status: the target's words are not passed on to whoever can
  // list deliveries.
  return absl::StrCat("HTTP ", result.status);
}

absl::StatusOr<int> ParseClockTime(absl::string_view text,
                                   absl::string_view field) {
  int hours = 0, minutes = 0;
  if (text.size() != 5 || text[2] != ':' ||
      !absl::SimpleAtoi(text.substr(0, 2), &hours) ||
      !absl::SimpleAtoi(text.substr(3, 2), &minutes) ||
      !absl::ascii_isdigit(text[0]) || !absl::ascii_isdigit(text[3]) ||
      hours > 23 || minutes > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not a time HH:MM"));
  }
  return hours * 60 + minutes;
}

std::optional<absl::Time> QuietHoursEnd(absl::Time now, const std::string& from,
                                        const std::string& until) {
  if (from.empty() || until.empty()) return std::nullopt;
  absl::StatusOr<int> start = ParseClockTime(from, "quiet_from");
  absl::StatusOr<int> end = ParseClockTime(until, "quiet_until");
  if (!start.ok() || !end.ok() || *start == *end) return std::nullopt;
  const absl::CivilMinute local = absl::ToCivilMinute(now, LocalZone());
  const absl::CivilDay today(local);
  const int minute = (local - absl::CivilMinute(today));
  auto at = [&](absl::CivilDay day, int minutes) {
    return absl::FromCivil(absl::CivilMinute(day) + minutes, LocalZone());
  };
  if (*start < *end) {  // within one day: 12:00..13:30
    if (minute >= *start && minute < *end) return at(today, *end);
    return std::nullopt;
  }
  // Across midnight: 22:00..06:30.
  if (minute >= *start) return at(today + 1, *end);
  if (minute < *end) return at(today, *end);
  return std::nullopt;
}

std::string HmacSha256Hex(absl::string_view key, absl::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
       &length);
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    absl::StrAppendFormat(&hex, "%02x", digest[i]);
  }
  return hex;
}

std::string WebhookSignature(absl::string_view secret,
                             absl::string_view timestamp,
                             absl::string_view body) {
  return absl::StrCat(
      "sha256=", HmacSha256Hex(secret, absl::StrCat(timestamp, ".", body)));
}

namespace {

// One notification as the webhook's JSON object (without the delivery key).
google::protobuf::Struct NotificationJson(const v1::Notification& n) {
  google::protobuf::Struct body;
  auto& f = *body.mutable_fields();
  auto text = [&](const char* name, const std::string& value) {
    f[name].set_string_value(value);
  };
  f["notification_id"].set_number_value(static_cast<double>(n.id()));
  text("agency", n.agency());
  text("kind", EnumWord(n.kind()));
  text("task_id", n.task_id());
  text("unit", n.unit());
  text("section", n.section());
  text("number", n.number());
  text("title", n.task_title());
  text("occurrence_id", n.occurrence_id());
  text("occurrence", n.occurrence_label());
  if (IsSet(n.due_date())) {
    absl::StatusOr<absl::CivilDay> due = FromProto(n.due_date(), "due_date");
    if (due.ok()) text("due_date", FormatDayVi(*due));
  }
  f["days_left"].set_number_value(n.days_left());
  f["days_before"].set_number_value(n.days_before());
  f["days_overdue"].set_number_value(n.days_overdue());
  f["escalation"].set_bool_value(n.escalation());
  auto* leads = f["lead_agencies"].mutable_list_value();
  for (const std::string& lead : n.lead_agencies()) {
    leads->add_values()->set_string_value(lead);
  }
  text("standing_agency", n.standing_agency());
  if (!n.template_fields().empty()) {
    auto& extra = *f["fields"].mutable_struct_value()->mutable_fields();
    for (const auto& [name, value] : n.template_fields()) {
      extra[name].set_string_value(value);
    }
  }
  text("message", n.message());
  text("source_event_id", n.source_event_id());
  if (n.has_created_at())
    text("created_at", FormatLocal(FromProto(n.created_at())));
  if (n.kind() == v1::NOTIFICATION_KIND_DIGEST) {
    absl::StatusOr<absl::CivilDay> day =
        FromProto(n.digest_day(), "digest_day");
    if (day.ok()) text("digest_day", FormatDayVi(*day));
    auto* items = f["items"].mutable_list_value();
    for (const v1::Notification& item : n.items()) {
      *items->add_values()->mutable_struct_value() = NotificationJson(item);
    }
  }
  return body;
}

}  // namespace

std::string WebhookBody(const v1::Notification& n,
                        const std::string& delivery_key) {
  google::protobuf::Struct body = NotificationJson(n);
  (*body.mutable_fields())["delivery_key"].set_string_value(delivery_key);
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(body, &json, options);
  return json;
}

absl::Status ValidateSubscription(const v1::Subscription& s) {
  if (s.agency().empty()) return absl::InvalidArgumentError("agency: required");
  if (s.id().empty()) return absl::InvalidArgumentError("id: required");
  for (int kind : s.kinds()) {
    if (kind == v1::NOTIFICATION_KIND_UNSPECIFIED ||
        !v1::NotificationKind_IsValid(kind)) {
      return absl::InvalidArgumentError(
          absl::StrCat("kinds: unknown kind ", kind));
    }
  }
  switch (s.channel()) {
    case v1::CHANNEL_INBOX:
      break;
    case v1::CHANNEL_WEBHOOK:
      if (!IsHttpUrl(s.address())) {
        return absl::InvalidArgumentError(
            absl::StrCat("address: \"", s.address(),
                         "\" is not an http:// or https:// URL (webhook)"));
      }
      break;
    case v1::CHANNEL_EMAIL:
      if (!IsEmailAddress(s.address())) {
        return absl::InvalidArgumentError(absl::StrCat(
            "address: \"", s.address(), "\" is not an e-mail address"));
      }
      break;
    default:
      return absl::InvalidArgumentError(
          "channel: required (inbox, webhook or email)");
  }
  if (!s.language().empty() && s.language() != "vi" && s.language() != "en") {
    return absl::InvalidArgumentError(
        absl::StrCat("language: \"", s.language(), "\": use vi or en"));
  }
  if (s.quiet_from().empty() != s.quiet_until().empty()) {
    return absl::InvalidArgumentError(
        s.quiet_from().empty() ? "quiet_from: required with quiet_until"
                               : "quiet_until: required with quiet_from");
  }
  if (!s.quiet_from().empty()) {
    if (absl::Status st = ParseClockTime(s.quiet_from(), "quiet_from").status();
        !st.ok()) {
      return st;
    }
    if (absl::Status st =
            ParseClockTime(s.quiet_until(), "quiet_until").status();
        !st.ok()) {
      return st;
    }
  }
  if (!s.digest_at().empty()) {
    if (absl::Status st = ParseClockTime(s.digest_at(), "digest_at").status();
        !st.ok()) {
      return st;
    }
    if (s.channel() == v1::CHANNEL_INBOX) {
      return absl::InvalidArgumentError(
          "digest_at: the inbox lists every notification; a digest goes by "
          "webhook or email");
    }
  }
  return absl::OkStatus();
}

}  // namespace tiendo::notification
