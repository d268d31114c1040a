#include "services/common/work_calendar.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/proto_convert.h"

namespace tiendo {
namespace {

const absl::CivilDay kEpoch(1970, 1, 1);

int64_t DayNumber(absl::CivilDay day) { return day - kEpoch; }

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

// "2026-04-27" and nothing else: a date that does not exist ("2026-02-30")
// or another spelling is refused rather than normalised into another day.
std::optional<absl::CivilDay> StrictDay(const std::string& text) {
  std::optional<absl::CivilDay> day = ParseDay(text);
  if (!day || FormatDay(*day) != text) return std::nullopt;
  return day;
}

absl::StatusOr<std::vector<absl::CivilDay>> ParseHolidays(
    absl::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(),
                                              nullptr, /*allow_exceptions=*/
                                              false);
  if (json.is_discarded()) {
    return absl::InvalidArgumentError("holidays: not valid JSON");
  }
  if (!json.is_object()) {
    return absl::InvalidArgumentError(
        "holidays: expected an object {\"2026\": [\"2026-01-01\", ...]}");
  }
  std::vector<absl::CivilDay> days;
  for (const auto& [key, value] : json.items()) {
    if (!key.empty() && key[0] == '_') continue;  // a comment
    int year = 0;
    if (key.size() != 4 || !absl::SimpleAtoi(key, &year) || year < 1900) {
      return absl::InvalidArgumentError(absl::StrCat(
          "holidays: key '", key, "' is not a year (or a '_' comment)"));
    }
    if (!value.is_array()) {
      return absl::InvalidArgumentError(
          absl::StrCat("holidays[\"", key, "\"]: expected a list of dates"));
    }
    for (size_t i = 0; i < value.size(); ++i) {
      const std::string field =
          absl::StrCat("holidays[\"", key, "\"][", i, "]");
      if (!value[i].is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": expected a date \"YYYY-MM-DD\""));
      }
      const std::string date_text = value[i].get<std::string>();
      std::optional<absl::CivilDay> day = StrictDay(date_text);
      if (!day) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ": '", date_text, "' is not a date YYYY-MM-DD"));
      }
      if (day->year() != year) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": ", date_text, " is not in the year ", key));
      }
      days.push_back(*day);
    }
  }
  return days;
}

}  // namespace

const WorkCalendar& WorkCalendar::Default() {
  static const WorkCalendar* const kDefault = [] {
    absl::StatusOr<WorkCalendar> calendar = FromJson(DefaultHolidaysJson());
    // The shipped file is checked by the tests; a broken one must not stop
    // reminders, only lose the holidays.
    return new WorkCalendar(calendar.ok() ? *std::move(calendar)
                                          : WorkCalendar());
  }();
  return *kDefault;
}

absl::StatusOr<WorkCalendar> WorkCalendar::FromJson(absl::string_view json) {
  WorkCalendar calendar;
  if (absl::Status s = calendar.MergeJson(json); !s.ok()) return s;
  return calendar;
}

absl::Status WorkCalendar::MergeJson(absl::string_view json) {
  absl::StatusOr<std::vector<absl::CivilDay>> days = ParseHolidays(json);
  if (!days.ok()) return days.status();
  for (absl::CivilDay day : *days) AddHoliday(day);
  return absl::OkStatus();
}

void WorkCalendar::AddHoliday(absl::CivilDay day) {
  holidays_.insert(DayNumber(day));
}

bool WorkCalendar::IsHoliday(absl::CivilDay day) const {
  return holidays_.contains(DayNumber(day));
}

bool WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  return !IsWeekend(day) && !IsHoliday(day);
}

absl::CivilDay WorkCalendar::WorkingDayOnOrBefore(absl::CivilDay day) const {
  // Holidays are finite, so this ends within a few weeks at most.
  while (!IsWorkingDay(day)) --day;
  return day;
}

absl::CivilDay WorkCalendar::WorkingDayOnOrAfter(absl::CivilDay day) const {
  while (!IsWorkingDay(day)) ++day;
  return day;
}

std::vector<int> WorkCalendar::Years() const {
  std::set<int> years;
  for (int64_t n : holidays_) {
    years.insert(static_cast<int>((kEpoch + n).year()));
  }
  return {years.begin(), years.end()};
}

absl::StatusOr<WorkCalendar> WorkCalendar::DefaultWithFile(
    const std::string& path) {
  WorkCalendar calendar = Default();
  if (path.empty()) return calendar;
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("--holidays: cannot read ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  if (absl::Status s = calendar.MergeJson(text.str()); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--holidays ", path, ": ", s.message()));
  }
  return calendar;
}

}  // namespace tiendo
