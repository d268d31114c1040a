#include "services/common/http_client.h"

#include <curl/curl.h>
#include <sys/socket.h>

#include <memory>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace tiendo {
namespace {

size_t DiscardBody(char*, size_t size, size_t count, void*) {
  return size * count;
}

// What the socket callback needs: the policy, the URL's host, and where to
// say why it refused.
struct ConnectGuard {
  const AddressPolicy* targets = nullptr;
  std::string host;
  std::string refusal;
};

curl_socket_t OpenCheckedSocket(void* user, curlsocktype purpose,
                                curl_sockaddr* address) {
  auto& guard = *static_cast<ConnectGuard*>(user);
  if (guard.targets != nullptr && purpose == CURLSOCKTYPE_IPCXN) {
    const std::optional<IpAddress> ip = FromSockaddr(&address->addr);
    if (!ip.has_value()) {
      guard.refusal = "webhook target has an address of an unknown family";
      return CURL_SOCKET_BAD;
    }
    if (absl::Status s = guard.targets->CheckAddress(guard.host, *ip);
        !s.ok()) {
      guard.refusal = std::string(s.message());
      return CURL_SOCKET_BAD;
    }
  }
  return socket(address->family, address->socktype, address->protocol);
}

using CurlUrl = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

// The URL as curl reads it; null when it cannot.
CurlUrl ReadUrl(const std::string& text) {
  CurlUrl url(curl_url(), curl_url_cleanup);
  if (url != nullptr &&
      curl_url_set(url.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    url.reset();
  }
  return url;
}

// One part of a URL curl read ("" when it has none).
std::string UrlPart(CURLU* url, CURLUPart part) {
  char* text = nullptr;
  if (curl_url_get(url, part, &text, 0) != CURLUE_OK) return "";
  std::string out(text);
  curl_free(text);
  return out;
}

// Options that keep the request on the connection the guard checked.
void SetTargetOptions(CURL* curl, ConnectGuard& guard) {
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, OpenCheckedSocket);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &guard);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  // "" rather than unset: http_proxy in the environment is ignored too.
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
}

HttpResult ResultOf(CURL* curl, CURLcode code, const char* error,
                    const ConnectGuard& guard) {
  HttpResult result;
  if (code == CURLE_OK) {
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    result.status = static_cast<int>(status);
  } else if (!guard.refusal.empty()) {
    result.refused = true;
    result.transport_error = guard.refusal;
  } else {
    result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    result.transport_error =
        error[0] != '\0' ? std::string(error) : curl_easy_strerror(code);
  }
  return result;
}

}  // namespace

std::optional<UrlTarget> ParseUrlTarget(const std::string& url) {
  const CurlUrl parsed = ReadUrl(url);
  if (parsed == nullptr) return std::nullopt;
  UrlTarget target{UrlPart(parsed.get(), CURLUPART_SCHEME),
                   UrlPart(parsed.get(), CURLUPART_HOST)};
  if (target.scheme.empty() || target.host.empty()) return std::nullopt;
  return target;
}

CurlHttpClient::CurlHttpClient(const AddressPolicy* targets)
    : targets_(targets) {
  // curl_global_init is not thread-safe; run it once per process.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResult CurlHttpClient::Post(const std::string& url,
                                const HttpHeaders& headers,
                                const std::string& body,
                                absl::Duration timeout) {
  HttpResult result;
  const CurlUrl parsed = ReadUrl(url);
  if (parsed == nullptr) {
    result.transport_error = "malformed URL";
    return result;
  }
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.transport_error = "curl_easy_init failed";
    return result;
  }
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) {
    list = curl_slist_append(list, absl::StrCat(name, ": ", value).c_str());
  }
  // No "Expect: 100-continue" round trip for small JSON bodies.
  list = curl_slist_append(list, "Expect:");
  char error[CURL_ERROR_SIZE] = {0};
  ConnectGuard guard{.targets = targets_,
                     .host = UrlPart(parsed.get(), CURLUPART_HOST),
                     .refusal = {}};
  curl_easy_setopt(curl, CURLOPT_CURLU, parsed.get());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(timeout)));
  // Signals would interrupt other threads of the service.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  SetTargetOptions(curl, guard);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardBody);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  result = ResultOf(curl, curl_easy_perform(curl), error, guard);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace tiendo
