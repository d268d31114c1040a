#ifndef TIENDO_SERVICES_COMMON_WORK_CALENDAR_H_
#define TIENDO_SERVICES_COMMON_WORK_CALENDAR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace tiendo {

// Which days agencies work: not Saturdays, Sundays or Vietnamese public
// holidays. Reminders must reach people on a day they are at their desks,
// so a reminder that would fall on a day off moves to the working day
// before it.
//
// Holidays are data, per year, because the Government fixes the days off
// (Tết, days in lieu) in a notice every year:
//   {"2026": ["2026-01-01", "2026-02-16", ...], "2027": [...]}
// Keys starting with '_' are comments. The shipped days are compiled in
// from services/common/data/holidays.json; more years are merged from a file
// of the same shape (tiendo-plan --holidays=FILE).
class WorkCalendar {
 public:
  // Weekends only, no holidays.
  WorkCalendar() = default;

  // The shipped holidays (services/common/data/holidays.json).
  static const WorkCalendar& Default();
  static absl::StatusOr<WorkCalendar> FromJson(absl::string_view json);

  // The shipped holidays and those of the file at `path` (empty: none),
  // for a service's --holidays flag. Errors name the file.
  static absl::StatusOr<WorkCalendar> DefaultWithFile(const std::string& path);

  // Adds the holidays of `json` (same shape) to those already known.
  // Errors name the key or the date; nothing is added on error.
  absl::Status MergeJson(absl::string_view json);
  void AddHoliday(absl::CivilDay day);

  bool IsHoliday(absl::CivilDay day) const;
  bool IsWorkingDay(absl::CivilDay day) const;
  // `day` itself when it is a working day, else the nearest working day
  // before / after it.
  absl::CivilDay WorkingDayOnOrBefore(absl::CivilDay day) const;
  absl::CivilDay WorkingDayOnOrAfter(absl::CivilDay day) const;

  // Years with at least one holiday, ascending.
  std::vector<int> Years() const;
  size_t holiday_count() const { return holidays_.size(); }

 private:
  // Days since 1970-01-01.
  absl::flat_hash_set<int64_t> holidays_;
};

// services/common/data/holidays.json as shipped, compiled in.
const std::string& DefaultHolidaysJson();

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_WORK_CALENDAR_H_
