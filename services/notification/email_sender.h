#ifndef TIENDO_SERVICES_NOTIFICATION_EMAIL_SENDER_H_
#define TIENDO_SERVICES_NOTIFICATION_EMAIL_SENDER_H_

#include <string>

#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/notification/email_message.h"

namespace tiendo::notification {

// What became of one e-mail, as the delivery worker acts on it.
struct SendResult {
  enum class Outcome {
    // The server accepted the message (250 after DATA).
    kDelivered,
    // Worth trying again later: connection refused or reset, timeout, a 4xx
    // reply (greylisting, mailbox busy, server shutting down).
    kRetry,
    // Trying again cannot help: a 5xx reply (no such mailbox, refused), a
    // malformed address or URL.
    kPermanent,
  };
  Outcome outcome = Outcome::kRetry;
  // The last SMTP reply code the server gave, 0 if it gave none.
  int smtp_code = 0;
  // Empty when delivered; otherwise what went wrong, for the delivery state.
  std::string error;

  bool delivered() const { return outcome == Outcome::kDelivered; }
};

const char* OutcomeName(SendResult::Outcome outcome);

// Sends e-mail through one SMTP server with libcurl: one message per call,
// assembled by BuildEmailMessage (GMime: multipart/alternative text and
// HTML, UTF-8, the subject RFC 2047-encoded so Vietnamese survives every
// mail system on the way). Safe to use from several threads at once: each
// call has its own connection.
class EmailSender {
 public:
  struct Options {
    // How long to wait for the server to accept the connection, and for the
    // whole exchange.
    absl::Duration connect_timeout = absl::Seconds(10);
    absl::Duration timeout = absl::Seconds(60);
  };

  // smtp_url: "smtp://127.0.0.1:2525" (or smtps://, or with user:password@).
  // from_address: the bare envelope and header sender, "tiendo@example.vn".
  // clock: where the Date header comes from (the service's clock, so
  // simulated runs date their messages consistently); nullptr for the
  // system clock. Not owned; must outlive the sender.
  EmailSender(std::string smtp_url, std::string from_address,
              const Clock* clock = nullptr);
  EmailSender(std::string smtp_url, std::string from_address,
              const Clock* clock, Options options);

  // Sends one message to `to` (a bare address). message_id identifies the
  // message across retries (the delivery key is a good one): the same id
  // gives the same Message-ID header, so a receiver can drop a copy sent
  // twice. It may be any text (FormatMessageId).
  SendResult Send(const std::string& to, const std::string& subject,
                  const std::string& text_body, const std::string& html_body,
                  const std::string& message_id) const;

  // The complete RFC 5322 message Send transmits (CRLF line ends), dated
  // `date`. Public so it can be checked without a server.
  std::string BuildMessage(const std::string& to, const std::string& subject,
                           const std::string& text_body,
                           const std::string& html_body,
                           const std::string& message_id,
                           absl::Time date) const;

 private:
  const std::string smtp_url_;
  const std::string from_address_;
  const Clock* const clock_;
  const Options options_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_EMAIL_SENDER_H_
