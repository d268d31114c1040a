#ifndef TIENDO_SERVICES_COMMON_HTTP_CLIENT_H_
#define TIENDO_SERVICES_COMMON_HTTP_CLIENT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace tiendo {

// What came of one HTTP request: the status the server answered, or why
// there was no answer.
struct HttpResult {
  // 0 when no response arrived.
  int status = 0;
  // Set when no response arrived (connection refused, DNS, TLS, ...).
  std::string transport_error;
  bool timed_out = false;
  // The start of the response body, for error messages.
  std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Outgoing HTTP, behind an interface so senders can be tested without a
// network.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpResult Post(const std::string& url, const HttpHeaders& headers,
                          const std::string& body, absl::Duration timeout) = 0;
};

// libcurl, one easy handle per request (requests are rare and may come from
// several threads).
class CurlHttpClient final : public HttpClient {
 public:
  CurlHttpClient();
  HttpResult Post(const std::string& url, const HttpHeaders& headers,
                  const std::string& body, absl::Duration timeout) override;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_HTTP_CLIENT_H_
