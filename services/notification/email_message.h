#ifndef TIENDO_SERVICES_NOTIFICATION_EMAIL_MESSAGE_H_
#define TIENDO_SERVICES_NOTIFICATION_EMAIL_MESSAGE_H_

#include <string>

#include "absl/time/time.h"

namespace tiendo::notification {

// What one e-mail says and to whom.
struct EmailContent {
  std::string from;  // bare addresses
  std::string to;
  std::string subject;  // UTF-8, one line
  std::string text;     // UTF-8
  std::string html;     // UTF-8; empty: a text-only message
  // Identifies the message across retries: the same id gives the same
  // Message-ID header (see FormatMessageId).
  std::string message_id;
  absl::Time date;
};

// The complete RFC 5322 message (CRLF line ends), assembled by GMime:
// multipart/alternative with a text/plain and a text/html part when there
// is HTML, a single text/plain part otherwise, both UTF-8 in base64; the
// subject encoded per RFC 2047 and folded, so every header line is ASCII
// within 78 characters; Date in local time (Asia/Ho_Chi_Minh).
std::string BuildEmailMessage(const EmailContent& content);

// "<" id ">" with characters outside RFC 5322's dot-atom text escaped as
// "=XX", and "@tiendo" appended unless the id ends in "@<domain>" (letters,
// digits, dots and hyphens).
std::string FormatMessageId(const std::string& message_id);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_EMAIL_MESSAGE_H_
