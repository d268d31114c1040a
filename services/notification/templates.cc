#include "services/notification/templates.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/clock.h"
#include "services/common/log.h"
#include "services/common/plan_order.h"

namespace tiendo::notification {
namespace {

constexpr absl::string_view kBundleMarkerPrefix = "=== tiendo template ";
constexpr absl::string_view kBundleMarkerSuffix = " ===";

bool IsFieldName(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') {
      return false;
    }
  }
  return true;
}

const absl::flat_hash_set<std::string>& KnownFieldSet() {
  static const auto* const kSet = new absl::flat_hash_set<std::string>(
      TemplateSet::KnownFields().begin(), TemplateSet::KnownFields().end());
  return *kSet;
}

}  // namespace

std::string TemplateSet::Substitute(const std::vector<Piece>& pieces,
                                    const TemplateFields& fields) {
  std::string out;
  for (const Piece& piece : pieces) {
    if (!piece.is_field) {
      out += piece.text;
      continue;
    }
    auto it = fields.find(piece.text);
    if (it != fields.end()) out += it->second;
  }
  return out;
}

namespace {

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

}  // namespace

const std::vector<std::string>& TemplateSet::KnownFields() {
  static const auto* const kFields = new std::vector<std::string>{
      // The notification's recipient and its unit.
      "agency", "unit",
      // The task as the plan writes it, and the ids needed to act on it.
      "section", "number", "title", "task_id", "lead", "standing",
      // The occurrence or period.
      "occurrence", "occurrence_id", "due_date", "days_left", "days_overdue",
      // Escalated to the unit above.
      "upper_unit", "upper_standing",
      // Reports and difficulties.
      "reporter", "difficulty", "note",
      // Targets at risk.
      "indicator", "percent", "projected", "target", "gap", "as_of",
      // Digests.
      "date", "count", "overdue_count", "upcoming_count", "items",
      "overdue_items", "upcoming_items"};
  return *kFields;
}

const std::vector<std::string>& TemplateSet::RequiredKinds() {
  static const auto* const kKinds = new std::vector<std::string>{
      "reminder",   "overdue",    "blocked", "at_risk",
      "difficulty", "report_due", "digest",  "escalated"};
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
  for (const auto& [name, raw] : files) {
    const std::string where = absl::StrCat(origin, "/", name);
    std::vector<std::string> parts = absl::StrSplit(name, '/');
    absl::string_view kind;
    if (parts.size() == 2) kind = parts[1];
    if (parts.size() != 2 || parts[0].empty() ||
        !absl::ConsumeSuffix(&kind, ".txt") || !IsFieldName(kind)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": not <language>/<kind>.txt with a lowercase kind"));
    }
    absl::string_view content = raw;
    absl::ConsumePrefix(&content, "\xEF\xBB\xBF");  // editors add a BOM
    std::vector<std::string> lines = absl::StrSplit(content, '\n');
    for (std::string& line : lines) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
    }
    if (lines.empty() || absl::StripAsciiWhitespace(lines[0]).empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ":1: the first line must be the subject"));
    }
    if (lines.size() < 2 || !absl::StripAsciiWhitespace(lines[1]).empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ":2: a blank line must separate the subject from the body"));
    }
    // Trailing blank lines are an editor's, not part of the message.
    while (lines.size() > 2 &&
           absl::StripAsciiWhitespace(lines.back()).empty()) {
      lines.pop_back();
    }

    Template parsed;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i == 1) continue;
      std::vector<Piece>& pieces = i == 0 ? parsed.subject : parsed.body;
      if (i > 2) pieces.push_back(Piece{false, "\n"});
      absl::string_view rest = lines[i];
      while (!rest.empty()) {
        size_t open = rest.find("{{");
        if (open == absl::string_view::npos) {
          pieces.push_back(Piece{false, std::string(rest)});
          break;
        }
        if (open > 0) {
          pieces.push_back(Piece{false, std::string(rest.substr(0, open))});
        }
        size_t close = rest.find("}}", open + 2);
        if (close == absl::string_view::npos) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ":", i + 1, ": \"{{\" without a closing \"}}\""));
        }
        absl::string_view field =
            absl::StripAsciiWhitespace(rest.substr(open + 2, close - open - 2));
        if (!KnownFieldSet().contains(field)) {
          return absl::InvalidArgumentError(absl::StrCat(
              where, ":", i + 1, ": unknown field {{", field,
              "}}; known fields: ", absl::StrJoin(KnownFields(), ", ")));
        }
        pieces.push_back(Piece{true, std::string(field)});
        rest.remove_prefix(close + 2);
      }
    }
    set.templates_[absl::StrCat(parts[0], "/", kind)] = std::move(parsed);
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

const TemplateSet::Template* TemplateSet::Find(
    absl::string_view kind, absl::string_view language) const {
  auto it = templates_.find(absl::StrCat(language, "/", kind));
  if (it == templates_.end()) {
    it = templates_.find(absl::StrCat(kDefaultLanguage, "/", kind));
  }
  return it == templates_.end() ? nullptr : &it->second;
}

absl::StatusOr<RenderedMessage> TemplateSet::Render(
    absl::string_view kind, absl::string_view language,
    const TemplateFields& fields) const {
  if (!Has(kind, language)) language = kDefaultLanguage;
  const Template* t = Find(kind, language);
  if (t == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no template for notification kind \"", kind, "\""));
  }
  RenderedMessage message;
  message.subject = Substitute(t->subject, fields);
  // A subject is one header line: a value with a line break must not start
  // a second one.
  std::replace(message.subject.begin(), message.subject.end(), '\n', ' ');
  std::replace(message.subject.begin(), message.subject.end(), '\r', ' ');
  message.text = Substitute(t->body, fields);
  message.html = HtmlDocument(language, message.subject, message.text);
  return message;
}

std::string FormatDueDate(absl::CivilDay day) {
  return absl::StrFormat("%02d/%02d/%04d", day.day(), day.month(), day.year());
}

namespace {

std::string Field(const TemplateFields& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? "" : it->second;
}

std::string ItemKey(const DigestItem& item) {
  std::string key = Field(item.fields, "occurrence_id");
  return key.empty() ? Field(item.fields, "task_id") : key;
}

bool ItemBefore(const DigestItem& a, const DigestItem& b) {
  bool a_overdue = a.kind == "overdue";
  bool b_overdue = b.kind == "overdue";
  if (a_overdue != b_overdue) return a_overdue;
  if (a.due_date != b.due_date) return a.due_date < b.due_date;
  if (int c = CompareSections(Field(a.fields, "section"),
                              Field(b.fields, "section"));
      c != 0) {
    return c < 0;
  }
  if (int c =
          CompareNumbers(Field(a.fields, "number"), Field(b.fields, "number"));
      c != 0) {
    return c < 0;
  }
  return ItemKey(a) < ItemKey(b);
}

}  // namespace

std::vector<DigestItem> DigestComposer::Arrange(std::vector<DigestItem> items,
                                                absl::CivilDay day) {
  std::vector<DigestItem> arranged;
  std::map<std::string, size_t> index_by_key;
  for (DigestItem& item : items) {
    if (item.due_date < day &&
        (item.kind == "reminder" || item.kind == "report_due" ||
         item.kind == "blocked")) {
      item.kind = "overdue";
    }
    item.fields["due_date"] = FormatDueDate(item.due_date);
    if (item.due_date < day) {
      item.fields["days_overdue"] = absl::StrCat(day - item.due_date);
      item.fields["days_left"] = "0";
    } else {
      item.fields["days_left"] = absl::StrCat(item.due_date - day);
      item.fields["days_overdue"] = "0";
    }
    std::string key = ItemKey(item);
    if (key.empty()) {
      arranged.push_back(std::move(item));
      continue;
    }
    auto [it, inserted] = index_by_key.try_emplace(key, arranged.size());
    if (inserted) {
      arranged.push_back(std::move(item));
    } else if (item.kind == "overdue" &&
               arranged[it->second].kind != "overdue") {
      arranged[it->second] = std::move(item);
    }
  }
  std::stable_sort(arranged.begin(), arranged.end(), ItemBefore);
  return arranged;
}

bool DigestComposer::RepeatsInNextDigest(const DigestItem& item) {
  return item.kind == "overdue";
}

absl::StatusOr<RenderedMessage> DigestComposer::Compose(
    absl::string_view language, absl::string_view agency, absl::CivilDay day,
    std::vector<DigestItem> items, const TemplateFields& extra) const {
  std::vector<DigestItem> arranged = Arrange(std::move(items), day);
  std::vector<std::string> overdue;
  std::vector<std::string> upcoming;
  for (const DigestItem& item : arranged) {
    TemplateFields fields = item.fields;
    if (!fields.contains("agency")) fields["agency"] = std::string(agency);
    absl::StatusOr<RenderedMessage> line =
        templates_.Render(item.kind, language, fields);
    if (!line.ok()) return line.status();
    std::vector<std::string>& group =
        item.kind == "overdue" ? overdue : upcoming;
    group.push_back(absl::StrCat(group.size() + 1, ". ", line->subject));
  }
  // An empty group still shows its heading in the template; a dash says
  // there is nothing under it in any language.
  auto lines = [](const std::vector<std::string>& group) {
    return group.empty() ? std::string("–") : absl::StrJoin(group, "\n");
  };
  TemplateFields fields{
      {"agency", std::string(agency)},
      {"date", FormatDueDate(day)},
      {"count", absl::StrCat(arranged.size())},
      {"overdue_count", absl::StrCat(overdue.size())},
      {"upcoming_count", absl::StrCat(upcoming.size())},
      {"overdue_items", lines(overdue)},
      {"upcoming_items", lines(upcoming)},
  };
  std::vector<std::string> all = overdue;
  all.insert(all.end(), upcoming.begin(), upcoming.end());
  fields["items"] = lines(all);
  for (const auto& [name, value] : extra) fields[name] = value;
  return templates_.Render("digest", language, fields);
}

bool IsWeekday(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w != absl::Weekday::saturday && w != absl::Weekday::sunday;
}

absl::StatusOr<absl::Time> NextDigestTime(
    absl::string_view digest_at, absl::Time now,
    const std::function<bool(absl::CivilDay)>& is_working_day) {
  std::vector<absl::string_view> parts = absl::StrSplit(digest_at, ':');
  int hour = -1;
  int minute = -1;
  if (parts.size() != 2 || parts[0].empty() || parts[0].size() > 2 ||
      parts[1].size() != 2 || !absl::SimpleAtoi(parts[0], &hour) ||
      !absl::SimpleAtoi(parts[1], &minute) || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59) {
    return absl::InvalidArgumentError(absl::StrCat(
        "digest time \"", digest_at, "\" is not a local time like 07:30"));
  }
  const absl::TimeZone& zone = LocalZone();
  absl::CivilDay today = absl::CivilDay(absl::ToCivilSecond(now, zone));
  for (int i = 0; i <= 366; ++i) {
    absl::CivilDay day = today + i;
    if (!is_working_day(day)) continue;
    absl::Time at = zone.At(absl::CivilSecond(day.year(), day.month(),
                                              day.day(), hour, minute, 0))
                        .pre;
    if (at > now) return at;
  }
  return absl::FailedPreconditionError(
      "no working day within a year to send the digest on");
}

}  // namespace tiendo::notification
