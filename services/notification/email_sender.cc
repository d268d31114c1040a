#include "services/notification/email_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/utf8.h"

namespace tiendo::notification {
namespace {

// Base64 never produces "=_", so this boundary cannot occur inside a part.
constexpr char kBoundary[] = "=_tiendo_alternative";

// An encoded word is at most 75 characters (RFC 2047 2): "=?UTF-8?B?" and
// "?=" leave 63 for base64, i.e. 45 bytes of text; 42 keeps "Subject: " and
// the first word within the recommended 78-character line.
constexpr size_t kWordBytes = 42;

void InitCurlOnce() {
  // curl_global_init is not thread-safe; senders may be created anywhere.
  static const bool kInitialized = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)kInitialized;
}

// Base64 in lines of 76 characters, as MIME requires.
std::string Base64Lines(const std::string& data) {
  std::string encoded = absl::Base64Escape(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) {
    absl::StrAppend(&out, encoded.substr(i, 76), "\r\n");
  }
  return out;
}

// A bare address that cannot break out of its header or SMTP command.
bool IsPlainAddress(const std::string& address) {
  if (address.empty() || address.find('@') == std::string::npos) return false;
  for (char c : address) {
    if (c == '\r' || c == '\n' || c == '<' || c == '>' || c == ' ' ||
        c == ',' || static_cast<unsigned char>(c) < 0x20) {
      return false;
    }
  }
  return true;
}

size_t ReadMessage(char* buffer, size_t size, size_t count, void* userdata) {
  auto* source = static_cast<std::pair<const std::string*, size_t>*>(userdata);
  size_t n = std::min(size * count, source->first->size() - source->second);
  std::memcpy(buffer, source->first->data() + source->second, n);
  source->second += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

const char* OutcomeName(SendResult::Outcome outcome) {
  switch (outcome) {
    case SendResult::Outcome::kDelivered:
      return "delivered";
    case SendResult::Outcome::kRetry:
      return "retry";
    case SendResult::Outcome::kPermanent:
      return "permanent";
  }
  return "unknown";
}

std::string EncodeHeaderWord(const std::string& text) {
  bool plain = !absl::StrContains(text, "=?");
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x7f ||
        static_cast<unsigned char>(c) < 0x20) {
      plain = false;
    }
  }
  if (plain) return text;
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    // An encoded word must hold whole characters.
    absl::string_view word =
        TruncateUtf8(absl::string_view(text).substr(start), kWordBytes);
    if (!out.empty()) out += "\r\n ";
    absl::StrAppend(&out, "=?UTF-8?B?", absl::Base64Escape(word), "?=");
    start += word.size();
  }
  return out;
}

std::string FormatMessageId(const std::string& message_id) {
  static constexpr absl::string_view kAtext =
      "!#$%&'*+-/=?^_`{|}~.";  // besides letters and digits (RFC 5322 3.2.3)
  std::string local = message_id;
  std::string domain = "tiendo";
  // Only a real domain after the last '@' is kept as the id's domain; an
  // '@' inside a delivery key ("task@2026-05:3") is part of the local side.
  if (size_t at = message_id.rfind('@'); at != std::string::npos) {
    absl::string_view after = absl::string_view(message_id).substr(at + 1);
    bool is_domain = !after.empty();
    for (char c : after) {
      if (!absl::ascii_isalnum(c) && c != '.' && c != '-') is_domain = false;
    }
    if (is_domain) {
      local = message_id.substr(0, at);
      domain = std::string(after);
    }
  }
  auto escape = [](const std::string& part) {
    std::string out;
    for (char c : part) {
      // '=' is the escape character itself.
      if (absl::ascii_isalnum(c) ||
          (c != '=' && kAtext.find(c) != absl::string_view::npos)) {
        out += c;
      } else {
        absl::StrAppendFormat(&out, "=%02X", static_cast<unsigned char>(c));
      }
    }
    return out;
  };
  std::string escaped_local = escape(local);
  std::string escaped_domain = escape(domain);
  if (escaped_local.empty()) escaped_local = "message";
  if (escaped_domain.empty()) escaped_domain = "tiendo";
  return absl::StrCat("<", escaped_local, "@", escaped_domain, ">");
}

std::string FormatRfc5322Date(absl::Time t) {
  return absl::FormatTime("%a, %d %b %Y %H:%M:%S %z", t, LocalZone());
}

EmailSender::EmailSender(std::string smtp_url, std::string from_address,
                         const Clock* clock)
    : EmailSender(std::move(smtp_url), std::move(from_address), clock,
                  Options()) {}

EmailSender::EmailSender(std::string smtp_url, std::string from_address,
                         const Clock* clock, Options options)
    : smtp_url_(std::move(smtp_url)),
      from_address_(std::move(from_address)),
      clock_(clock),
      options_(options) {
  InitCurlOnce();
}

std::string EmailSender::BuildMessage(const std::string& to,
                                      const std::string& subject,
                                      const std::string& text_body,
                                      const std::string& html_body,
                                      const std::string& message_id,
                                      absl::Time date) const {
  // A subject is one header: line breaks in it would start new headers.
  std::string one_line = subject;
  std::replace(one_line.begin(), one_line.end(), '\r', ' ');
  std::replace(one_line.begin(), one_line.end(), '\n', ' ');
  std::string message = absl::StrCat(
      "Date: ", FormatRfc5322Date(date), "\r\n",  //
      "From: ", from_address_, "\r\n",            //
      "To: ", to, "\r\n",                         //
      "Message-ID: ", FormatMessageId(message_id), "\r\n",
      "Subject: ", EncodeHeaderWord(one_line), "\r\n", "MIME-Version: 1.0\r\n",
      "Content-Type: multipart/alternative; boundary=\"", kBoundary, "\"\r\n",
      "\r\n");
  for (const auto& [type, body] :
       {std::pair<const char*, const std::string*>{"text/plain", &text_body},
        {"text/html", &html_body}}) {
    absl::StrAppend(&message, "--", kBoundary, "\r\n", "Content-Type: ", type,
                    "; charset=UTF-8\r\n",
                    "Content-Transfer-Encoding: base64\r\n\r\n",
                    Base64Lines(*body));
  }
  absl::StrAppend(&message, "--", kBoundary, "--\r\n");
  return message;
}

SendResult EmailSender::Send(const std::string& to, const std::string& subject,
                             const std::string& text_body,
                             const std::string& html_body,
                             const std::string& message_id) const {
  SendResult result;
  if (!IsPlainAddress(to)) {
    result.outcome = SendResult::Outcome::kPermanent;
    result.error = absl::StrCat("invalid recipient address \"", to, "\"");
    return result;
  }
  if (!IsPlainAddress(from_address_)) {
    result.outcome = SendResult::Outcome::kPermanent;
    result.error =
        absl::StrCat("invalid sender address \"", from_address_, "\"");
    return result;
  }
  absl::Time now = clock_ != nullptr ? clock_->Now() : absl::Now();
  const std::string message =
      BuildMessage(to, subject, text_body, html_body, message_id, now);

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (curl == nullptr) {
    result.error = "curl_easy_init failed";
    return result;
  }
  const std::string mail_from = absl::StrCat("<", from_address_, ">");
  std::unique_ptr<curl_slist, SlistDeleter> recipients(
      curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str()));
  std::pair<const std::string*, size_t> source{&message, 0};
  char error_buffer[CURL_ERROR_SIZE] = {};

  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, smtp_url_.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(c, CURLOPT_READDATA, &source);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  // Upgrade to TLS when the server offers STARTTLS, plain otherwise (a relay
  // on loopback).
  curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(
      c, CURLOPT_CONNECTTIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(
      c, CURLOPT_TIMEOUT_MS,
      static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);

  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  result.smtp_code = static_cast<int>(code);
  if (rc == CURLE_OK) {
    result.outcome = SendResult::Outcome::kDelivered;
    return result;
  }
  result.error =
      absl::StrCat(curl_easy_strerror(rc), error_buffer[0] != '\0' ? ": " : "",
                   error_buffer);
  if (code != 0) absl::StrAppend(&result.error, " (SMTP ", code, ")");
  if (code >= 500 && code < 600) {
    result.outcome = SendResult::Outcome::kPermanent;
  } else if (code >= 400 && code < 500) {
    result.outcome = SendResult::Outcome::kRetry;
  } else if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
             rc == CURLE_LOGIN_DENIED) {
    // A configuration error: the same call fails the same way every time.
    result.outcome = SendResult::Outcome::kPermanent;
  } else {
    // Refused or reset connections, timeouts, unknown hosts: the server may
    // be back later.
    result.outcome = SendResult::Outcome::kRetry;
  }
  return result;
}

}  // namespace tiendo::notification
