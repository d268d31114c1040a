#ifndef TIENDO_TESTS_SUPPORT_RECEIVERS_H_
#define TIENDO_TESTS_SUPPORT_RECEIVERS_H_

#include <atomic>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "tests/support/process.h"

namespace tiendo::testing {

// The far ends of the notification service's outgoing channels, as real
// servers on loopback that record what they are sent.

// One HTTP request the webhook receiver got.
struct ReceivedRequest {
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // The status the receiver answered with.
  int answered = 0;
};

// A one-connection-at-a-time HTTP/1.1 server on 127.0.0.1 playing an SMS or
// Zalo gateway.
class WebhookReceiver {
 public:
  // Chooses the status for a request: `previous` is how many requests with
  // the same X-Tiendo-Delivery came before.
  using Responder = std::function<int(const ReceivedRequest&, int previous)>;

  WebhookReceiver();
  ~WebhookReceiver();

  std::string url() const;
  void SetResponder(Responder responder);
  std::vector<ReceivedRequest> requests() const;

 private:
  void Serve();
  void Handle(int conn);

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable absl::Mutex mu_;
  Responder responder_ ABSL_GUARDED_BY(mu_);
  std::vector<ReceivedRequest> requests_ ABSL_GUARDED_BY(mu_);
};

// Lower-case hex HMAC-SHA256 (OpenSSL), computed apart from the service's
// code so a test checks the signature independently.
std::string HmacSha256ForTest(const std::string& key, const std::string& data);

// Whether the request carries "X-Tiendo-Signature: sha256=HMAC(secret,
// timestamp "." body)".
bool SignatureValid(const ReceivedRequest& request, const std::string& secret);

// A real SMTP server (Debian's python3-aiosmtpd, run by
// tools/sinks/smtp_sink.py) writing each message it accepts as JSON
// decoded by Python's own MIME parser.
class SmtpSink {
 public:
  explicit SmtpSink(std::string dir) : dir_(std::move(dir)) {}
  ~SmtpSink();

  // Starts it on a free port and waits until it listens.
  bool Start();
  void Stop() { process_.Stop(); }
  std::string url() const;
  // Where each message is written, NNNN.eml and NNNN.json.
  const std::string& dir() const { return dir_; }
  // Every message received so far: subject, rcpt_tos, parts
  // ("text/plain", "text/html" with their content), headers.
  std::vector<nlohmann::json> Mails() const;
  // Diagnostics when a test fails.
  std::string Log() const;

 private:
  std::string dir_;
  int port_ = 0;
  ChildProcess process_;
};

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_RECEIVERS_H_
