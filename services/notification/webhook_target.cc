#include "services/notification/webhook_target.h"

#include <curl/curl.h>

#include <memory>
#include <optional>

#include "absl/strings/str_cat.h"

namespace tiendo::notification {
namespace {

struct UrlParts {
  std::string scheme;
  std::string host;
};

std::string UrlPart(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK) return "";
  std::string out(text);
  curl_free(text);
  return out;
}

// The scheme and host as curl reads them, so the check judges the host the
// request will go to.
std::optional<UrlParts> ParseUrl(const std::string& text) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(),
                                                          curl_url_cleanup);
  if (url == nullptr ||
      curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  UrlParts parts{UrlPart(url.get(), CURLUPART_SCHEME),
                 UrlPart(url.get(), CURLUPART_HOST)};
  if (parts.scheme.empty() || parts.host.empty()) return std::nullopt;
  return parts;
}

absl::Status Refused(const std::string& url, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("address: webhook URL \"", url, "\" is refused: ", why));
}

}  // namespace

absl::Status WebhookTargetCheck::Check(const std::string& url) const {
  const std::optional<UrlParts> parts = ParseUrl(url);
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
