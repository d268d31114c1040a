#include "services/notification/templates.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/html.h"
#include "services/common/log.h"

namespace tiendo::notification {
namespace {

constexpr absl::string_view kBundleMarkerPrefix = "=== tiendo template ";
constexpr absl::string_view kBundleMarkerSuffix = " ===";

bool IsKindName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

std::string HtmlDocument(absl::string_view language, const std::string& subject,
                         const std::string& text) {
  std::string html =
      absl::StrCat("<!DOCTYPE html>\n<html lang=\"", HtmlEscape(language),
                   "\"><head><meta charset=\"utf-8\"><title>",
                   HtmlEscape(subject), "</title></head>\n<body>\n");
  // Paragraphs as the text separates them; single line breaks kept, so a
  // numbered list or an id on its own line reads the same in both parts.
  for (absl::string_view paragraph :
       absl::StrSplit(text, "\n\n", absl::SkipWhitespace())) {
    std::vector<std::string> lines;
    for (absl::string_view line : absl::StrSplit(paragraph, '\n')) {
      lines.push_back(HtmlEscape(line));
    }
    absl::StrAppend(&html, "<p>", absl::StrJoin(lines, "<br>\n"), "</p>\n");
  }
  absl::StrAppend(&html, "</body></html>\n");
  return html;
}

// "vi/reminder.txt" -> {"vi", "reminder"}; nullopt for another shape.
std::optional<std::pair<std::string, std::string>> LanguageAndKind(
    const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0].empty()) return std::nullopt;
  absl::string_view kind = parts[1];
  if (!absl::ConsumeSuffix(&kind, ".txt") || !IsKindName(kind)) {
    return std::nullopt;
  }
  return std::make_pair(parts[0], std::string(kind));
}

}  // namespace

const std::vector<std::string>& TemplateSet::RequiredKinds() {
  static const auto* const kKinds = new std::vector<std::string>{
      "reminder", "overdue",    "blocked",
      "at_risk",  "difficulty", "report_due",
      "digest",   "escalated",  "difficulty_resolved"};
  return *kKinds;
}

const TemplateSet& TemplateSet::Default() {
  static const TemplateSet* const kDefault = [] {
    std::map<std::string, std::string> files;
    std::string* current = nullptr;
    for (absl::string_view line :
         absl::StrSplit(DefaultTemplatesBundle(), '\n')) {
      absl::string_view name = line;
      if (absl::ConsumePrefix(&name, kBundleMarkerPrefix) &&
          absl::ConsumeSuffix(&name, kBundleMarkerSuffix)) {
        current = &files[std::string(name)];
        continue;
      }
      if (current != nullptr) absl::StrAppend(current, line, "\n");
    }
    absl::StatusOr<TemplateSet> set = FromFiles(files, "built-in");
    // The unit tests load the shipped set; a service built with a broken one
    // would only send garbled messages.
    if (!set.ok()) {
      LogError("compiled-in templates do not load: %s",
               set.status().ToString());
      std::abort();
    }
    return new TemplateSet(*std::move(set));
  }();
  return *kDefault;
}

absl::StatusOr<TemplateSet> TemplateSet::LoadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat("templates directory ", dir, " does not exist"));
  }
  std::map<std::string, std::string> files;
  for (const fs::directory_entry& language : fs::directory_iterator(dir, ec)) {
    if (!language.is_directory()) continue;
    for (const fs::directory_entry& file :
         fs::directory_iterator(language.path(), ec)) {
      if (!file.is_regular_file() || file.path().extension() != ".txt") {
        continue;
      }
      std::ifstream in(file.path(), std::ios::binary);
      if (!in) {
        return absl::PermissionDeniedError(
            absl::StrCat("cannot read ", file.path().string()));
      }
      std::ostringstream content;
      content << in.rdbuf();
      files[absl::StrCat(language.path().filename().string(), "/",
                         file.path().filename().string())] = content.str();
    }
  }
  if (ec) {
    return absl::InternalError(
        absl::StrCat("cannot list ", dir, ": ", ec.message()));
  }
  return FromFiles(files, dir);
}

absl::StatusOr<TemplateSet> TemplateSet::FromFiles(
    const std::map<std::string, std::string>& files,
    const std::string& origin) {
  TemplateSet set;
  for (const auto& [name, content] : files) {
    const std::string where = absl::StrCat(origin, "/", name);
    auto language_and_kind = LanguageAndKind(name);
    if (!language_and_kind) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": not <language>/<kind>.txt with a lowercase kind"));
    }
    const auto& [language, kind] = *language_and_kind;
    absl::StatusOr<TemplateFile> parsed =
        ParseTemplateFile(content, where, FieldsOf(kind));
    if (!parsed.ok()) return parsed.status();
    set.templates_[absl::StrCat(language, "/", kind)] = *std::move(parsed);
  }
  for (const std::string& kind : RequiredKinds()) {
    if (!set.Has(kind, kDefaultLanguage)) {
      return absl::InvalidArgumentError(
          absl::StrCat(origin, "/", kDefaultLanguage, "/", kind,
                       ".txt: missing; every kind needs a template in the "
                       "default language"));
    }
  }
  return set;
}

bool TemplateSet::Has(absl::string_view kind,
                      absl::string_view language) const {
  return templates_.contains(absl::StrCat(language, "/", kind));
}

std::vector<std::string> TemplateSet::Languages() const {
  std::vector<std::string> languages;
  for (const auto& [key, unused] : templates_) {
    std::string language(key.substr(0, key.find('/')));
    if (languages.empty() || languages.back() != language) {
      languages.push_back(std::move(language));
    }
  }
  return languages;
}

const TemplateFile* TemplateSet::Find(absl::string_view kind,
                                      absl::string_view language) const {
  auto it = templates_.find(absl::StrCat(language, "/", kind));
  return it == templates_.end() ? nullptr : &it->second;
}

absl::StatusOr<RenderedMessage> TemplateSet::Render(
    absl::string_view kind, absl::string_view language,
    const TemplateFields& fields) const {
  if (!Has(kind, language)) language = kDefaultLanguage;
  const TemplateFile* t = Find(kind, language);
  if (t == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no template for notification kind \"", kind, "\""));
  }
  RenderedMessage message;
  message.subject = RenderPart(t->subject.text, fields);
  // A subject is one header line: a value with a line break must not start
  // a second one.
  std::replace(message.subject.begin(), message.subject.end(), '\n', ' ');
  std::replace(message.subject.begin(), message.subject.end(), '\r', ' ');
  message.text = RenderPart(t->body.text, fields);
  message.html = HtmlDocument(language, message.subject, message.text);
  // A translation may leave the inbox message to the default language.
  const TemplateFile* with_message = t;
  if (t->message.text.empty()) with_message = Find(kind, kDefaultLanguage);
  if (with_message != nullptr) {
    message.message = RenderPart(with_message->message.text, fields);
  }
  return message;
}

}  // namespace tiendo::notification
