#include "services/notification/template_file.h"

#include <algorithm>
#include <cctype>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kainjow/mustache.hpp"

namespace tiendo::notification {
namespace {

namespace mustache = kainjow::mustache;

absl::Status ErrorAt(const std::string& where, int line,
                     absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ":", line, ": ", what));
}

bool IsBlank(absl::string_view line) {
  return absl::StripAsciiWhitespace(line).empty();
}

// The field a tag's content names ("#lead" -> "lead"); empty for a comment.
absl::StatusOr<std::string> TagField(absl::string_view tag) {
  tag = absl::StripAsciiWhitespace(tag);
  if (tag.empty()) return absl::InvalidArgumentError("empty tag {{}}");
  const char sigil = tag[0];
  if (sigil == '!') return std::string();
  if (sigil == '>' || sigil == '=') {
    return absl::InvalidArgumentError(absl::StrCat(
        "{{", tag, "}}: partials and delimiter changes are not supported"));
  }
  if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&') {
    tag = absl::StripAsciiWhitespace(tag.substr(1));
  }
  return std::string(tag);
}

// Every tag of one line names a field of the kind and closes on the line.
absl::Status CheckTags(absl::string_view line, int number,
                       const std::string& where,
                       const std::vector<std::string>& fields) {
  size_t pos = 0;
  while ((pos = line.find("{{", pos)) != absl::string_view::npos) {
    const bool triple = line.substr(pos, 3) == "{{{";
    const absl::string_view closing = triple ? "}}}" : "}}";
    const size_t start = pos + closing.size();
    const size_t close = line.find(closing, start);
    if (close == absl::string_view::npos) {
      return ErrorAt(where, number, "\"{{\" without a closing \"}}\"");
    }
    absl::StatusOr<std::string> field =
        TagField(line.substr(start, close - start));
    if (!field.ok()) return ErrorAt(where, number, field.status().message());
    if (!field->empty() &&
        std::find(fields.begin(), fields.end(), *field) == fields.end()) {
      return ErrorAt(
          where, number,
          absl::StrCat("unknown field {{", *field,
                       "}}; known fields: ", absl::StrJoin(fields, ", ")));
    }
    pos = close + closing.size();
  }
  return absl::OkStatus();
}

// Lines [begin, end) without the blank lines around them, joined.
TemplateFile::Part JoinPart(const std::vector<std::string>& lines, size_t begin,
                            size_t end) {
  while (begin < end && IsBlank(lines[begin])) ++begin;
  while (end > begin && IsBlank(lines[end - 1])) --end;
  TemplateFile::Part part;
  part.first_line = static_cast<int>(begin) + 1;
  part.text = absl::StrJoin(lines.begin() + begin, lines.begin() + end, "\n");
  return part;
}

absl::Status CheckMustache(const TemplateFile::Part& part,
                           const std::string& where) {
  mustache::mustache parsed(part.text);
  if (parsed.is_valid()) return absl::OkStatus();
  return ErrorAt(where, part.first_line, parsed.error_message());
}

}  // namespace

absl::StatusOr<TemplateFile> ParseTemplateFile(
    absl::string_view content, const std::string& where,
    const std::vector<std::string>& fields) {
  absl::ConsumePrefix(&content, "\xEF\xBB\xBF");  // editors add a BOM
  std::vector<std::string> lines = absl::StrSplit(content, '\n');
  for (std::string& line : lines) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
  }
  if (IsBlank(lines[0])) {
    return ErrorAt(where, 1, "the first line must be the subject");
  }
  if (lines.size() < 2 || !IsBlank(lines[1])) {
    return ErrorAt(where, 2,
                   "a blank line must separate the subject from the body");
  }
  size_t marker = 2;
  while (marker < lines.size() &&
         absl::StripAsciiWhitespace(lines[marker]) != kMessageMarker) {
    ++marker;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    absl::Status tags =
        CheckTags(lines[i], static_cast<int>(i) + 1, where, fields);
    if (!tags.ok()) return tags;
  }
  TemplateFile file;
  file.subject = JoinPart(lines, 0, 1);
  file.body = JoinPart(lines, 2, marker);
  if (marker < lines.size()) {
    file.message = JoinPart(lines, marker + 1, lines.size());
  }
  for (const TemplateFile::Part* part :
       {&file.subject, &file.body, &file.message}) {
    absl::Status parsed = CheckMustache(*part, where);
    if (!parsed.ok()) return parsed;
  }
  return file;
}

std::string RenderPart(const std::string& part, const TemplateFields& fields) {
  mustache::mustache tmpl(part);
  // Plain text: the HTML part escapes what it shows itself.
  tmpl.set_custom_escape([](const std::string& text) { return text; });
  mustache::object values;
  for (const auto& [name, value] : fields) {
    values.emplace(
        name, value.empty() ? mustache::data(false) : mustache::data(value));
  }
  std::string out = tmpl.render(mustache::data(values));
  out.erase(std::find_if_not(out.rbegin(), out.rend(),
                             [](unsigned char c) { return std::isspace(c); })
                .base(),
            out.end());
  return out;
}

}  // namespace tiendo::notification
