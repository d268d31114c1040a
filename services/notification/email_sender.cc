#include "services/notification/email_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"

namespace tiendo::notification {
namespace {

void InitCurlOnce() {
  // curl_global_init is not thread-safe; senders may be created anywhere.
  static const bool kInitialized = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)kInitialized;
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
  std::copy_n(source->first->data() + source->second, n, buffer);
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
  return BuildEmailMessage({.from = from_address_,
                            .to = to,
                            .subject = subject,
                            .text = text_body,
                            .html = html_body,
                            .message_id = message_id,
                            .date = date});
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
  // An SMTP 5xx, or a configuration error (the same call fails the same
  // way every time), is for good. A 4xx, refused or reset connections,
  // timeouts, unknown hosts: the server may be back later.
  const bool refused_for_good = code >= 500 && code < 600;
  const bool refused_for_now = code >= 400 && code < 500;
  const bool misconfigured = rc == CURLE_URL_MALFORMAT ||
                             rc == CURLE_UNSUPPORTED_PROTOCOL ||
                             rc == CURLE_LOGIN_DENIED;
  result.outcome = refused_for_good || (!refused_for_now && misconfigured)
                       ? SendResult::Outcome::kPermanent
                       : SendResult::Outcome::kRetry;
  return result;
}

}  // namespace tiendo::notification
