#ifndef TIENDO_SERVICES_COMMON_HTTP_CLIENT_H_
#define TIENDO_SERVICES_COMMON_HTTP_CLIENT_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "services/common/address_policy.h"

namespace tiendo {

// What came of one HTTP request: the status the server answered, or why
// there was no answer.
struct HttpResult {
  // 0 when no response arrived.
  int status = 0;
  // Set when no response arrived (connection refused, DNS, TLS, ...).
  std::string transport_error;
  bool timed_out = false;
  // Set when the target's address is forbidden (AddressPolicy): no
  // connection was made. transport_error says why.
  bool refused = false;
  // The response body is not kept: what a target answers is its own and
  // must not travel back to whoever named the target.
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// A URL's scheme and host as libcurl reads them, so a check judges the host
// a request will go to; nullopt when curl cannot read it or either is
// missing.
struct UrlTarget {
  std::string scheme;
  std::string host;
};
std::optional<UrlTarget> ParseUrlTarget(const std::string& url);

// Outgoing HTTP, behind an interface so senders can be tested without a
// network.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpResult Post(const std::string& url, const HttpHeaders& headers,
                          const std::string& body, absl::Duration timeout) = 0;
};

// libcurl, one easy handle per request (requests are rare and may come from
// several threads). With a policy, every address is checked when a
// connection to it is opened, after DNS, so a name that resolved to a public
// address when the URL was accepted cannot later lead inside (DNS
// rebinding); redirects are not followed and proxies from the environment
// are not used, as either would connect somewhere else.
class CurlHttpClient final : public HttpClient {
 public:
  // `targets`: nullptr connects anywhere; otherwise it outlives the client.
  explicit CurlHttpClient(const AddressPolicy* targets = nullptr);
  HttpResult Post(const std::string& url, const HttpHeaders& headers,
                  const std::string& body, absl::Duration timeout) override;

 private:
  const AddressPolicy* targets_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_HTTP_CLIENT_H_
