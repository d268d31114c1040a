#include "services/notification/email_message.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/clock.h"

namespace tiendo::notification {
namespace {

void InitGMimeOnce() {
  // g_mime_init is not thread-safe; messages may be built on any thread.
  static const bool kInitialized = [] {
    g_mime_init();
    return true;
  }();
  (void)kInitialized;
}

// Drops one reference to a GObject when it goes out of scope.
struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
template <typename T>
using GOwned = std::unique_ptr<T, GObjectUnref>;

// A UTF-8 part of type text/<subtype>, base64 so no line is too long.
GOwned<GMimeTextPart> TextPart(const char* subtype, const std::string& text) {
  GOwned<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  g_mime_text_part_set_text(part.get(), text.c_str());
  g_mime_text_part_set_charset(part.get(), "utf-8");
  g_mime_part_set_content_encoding(GMIME_PART(part.get()),
                                   GMIME_CONTENT_ENCODING_BASE64);
  return part;
}

// `t` in the service's local zone, as GMime writes the Date header.
GDateTime* LocalDateTime(absl::Time t) {
  const absl::TimeZone::CivilInfo local = LocalZone().At(t);
  GTimeZone* zone = g_time_zone_new_offset(local.offset);
  GDateTime* utc = g_date_time_new_from_unix_utc(absl::ToUnixSeconds(t));
  GDateTime* date = g_date_time_to_timezone(utc, zone);
  g_date_time_unref(utc);
  g_time_zone_unref(zone);
  return date;
}

GOwned<GMimeObject> Body(const EmailContent& content) {
  GOwned<GMimeTextPart> text = TextPart("plain", content.text);
  if (content.html.empty()) {
    return GOwned<GMimeObject>(GMIME_OBJECT(text.release()));
  }
  GOwned<GMimeMultipart> alternative(
      g_mime_multipart_new_with_subtype("alternative"));
  GOwned<GMimeTextPart> html = TextPart("html", content.html);
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(text.get()));
  g_mime_multipart_add(alternative.get(), GMIME_OBJECT(html.get()));
  return GOwned<GMimeObject>(GMIME_OBJECT(alternative.release()));
}

}  // namespace

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

std::string BuildEmailMessage(const EmailContent& content) {
  InitGMimeOnce();
  GOwned<GMimeMessage> message(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_FROM, nullptr,
                             content.from.c_str());
  g_mime_message_add_mailbox(message.get(), GMIME_ADDRESS_TYPE_TO, nullptr,
                             content.to.c_str());
  // A subject is one header: line breaks in it would start new headers.
  std::string subject = content.subject;
  std::replace(subject.begin(), subject.end(), '\r', ' ');
  std::replace(subject.begin(), subject.end(), '\n', ' ');
  g_mime_message_set_subject(message.get(), subject.c_str(), "utf-8");
  // GMime adds the angle brackets.
  const std::string id = FormatMessageId(content.message_id);
  g_mime_message_set_message_id(message.get(),
                                id.substr(1, id.size() - 2).c_str());
  GDateTime* date = LocalDateTime(content.date);
  g_mime_message_set_date(message.get(), date);
  g_date_time_unref(date);
  GOwned<GMimeObject> body = Body(content);
  g_mime_message_set_mime_part(message.get(), body.get());

  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  char* raw = g_mime_object_to_string(GMIME_OBJECT(message.get()), options);
  std::string out = raw != nullptr ? raw : "";
  g_free(raw);
  g_mime_format_options_free(options);
  return out;
}

}  // namespace tiendo::notification
