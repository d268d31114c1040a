#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/clock.h"
#include "services/common/plan_order.h"
#include "services/notification/templates.h"

namespace tiendo::notification {

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
