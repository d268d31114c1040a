#include "services/notification/webhook_target.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/common/http_client.h"

namespace tiendo::notification {
namespace {

absl::Status Refused(const std::string& url, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("address: webhook URL \"", url, "\" is refused: ", why));
}

}  // namespace

absl::Status WebhookTargetCheck::Check(const std::string& url) const {
  const std::optional<UrlTarget> parts = ParseUrlTarget(url);
  if (!parts.has_value()) return Refused(url, "not a URL");
  const bool allowed = policy_.IsAllowed(parts->host);
  if (parts->scheme != "https" && !(parts->scheme == "http" && allowed)) {
    return Refused(url, absl::StrCat("use https (plain ", parts->scheme,
                                     " only to hosts of "
                                     "--webhook_allow_hosts)"));
  }
  if (allowed) return absl::OkStatus();
  if (absl::Status s = CheckHost(parts->host); !s.ok()) {
    return s.code() == absl::StatusCode::kUnavailable
               ? s
               : Refused(url, std::string(s.message()));
  }
  return absl::OkStatus();
}

absl::Status WebhookTargetCheck::CheckHost(const std::string& host) const {
  if (std::optional<IpAddress> ip = ParseIpLiteral(host)) {
    return policy_.CheckAddress(host, *ip);
  }
  if (absl::Status s = policy_.CheckHostName(host); !s.ok()) return s;
  absl::StatusOr<std::vector<IpAddress>> addresses = resolver_.Resolve(host);
  if (!addresses.ok()) return addresses.status();
  for (const IpAddress& ip : *addresses) {
    if (absl::Status s = policy_.CheckAddress(host, ip); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace tiendo::notification
