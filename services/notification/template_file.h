#ifndef TIENDO_SERVICES_NOTIFICATION_TEMPLATE_FILE_H_
#define TIENDO_SERVICES_NOTIFICATION_TEMPLATE_FILE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo::notification {

// The values a template can name, by field name ("unit" -> "vinh-thuy").
// A field the map lacks renders as "", and so does an empty value; both are
// false in a section, so "{{#lead}} Lead: {{lead}}.{{/lead}}" writes the
// sentence only when there is a lead. Flags are "1" or "". A false section
// opened on a line of its own still leaves that line's break, so an
// optional line is opened at the end of the line before it:
//   ...resolved.{{#note}}
//   Note: "{{note}}"{{/note}}
using TemplateFields = std::map<std::string, std::string>;

// One message template file, a mustache template in three parts:
//   line 1        the subject,
//   line 2        blank,
//   lines 3...    the body (e-mail text, and the HTML made from it),
//   {{! message }} a line of its own, after which the one-paragraph message
//                 the inbox entry and webhooks carry (optional).
struct TemplateFile {
  struct Part {
    std::string text;
    // Line of the file the part starts on, for errors.
    int first_line = 0;
  };
  Part subject;
  Part body;
  Part message;  // empty text when the file has none
};

// The line that starts the message part.
inline constexpr absl::string_view kMessageMarker = "{{! message }}";

// Splits `content` into its parts. `where` ("dir/vi/reminder.txt") starts
// every error, with the line: "where:2: a blank line must separate ...".
// Every tag must close on its line and name one of `fields`; partials and
// delimiter changes are refused, and each part must parse as mustache.
absl::StatusOr<TemplateFile> ParseTemplateFile(
    absl::string_view content, const std::string& where,
    const std::vector<std::string>& fields);

// The part rendered with `fields`, without HTML escaping (the text is
// plain; HTML is made from it and escaped then), trailing whitespace
// dropped.
std::string RenderPart(const std::string& part, const TemplateFields& fields);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_TEMPLATE_FILE_H_
