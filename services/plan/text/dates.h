#ifndef TIENDO_SERVICES_PLAN_TEXT_DATES_H_
#define TIENDO_SERVICES_PLAN_TEXT_DATES_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::plantext {

// A checked calendar date. 31/2/2026 is InvalidArgument naming the date as
// written (`as_written`, e.g. "31/2/2026"), never normalised to 3 March.
absl::StatusOr<v1::LocalDate> MakeDate(int year, int month, int day,
                                       absl::string_view as_written);

v1::LocalDate MonthEnd(int year, int month);
// quarter 1..4.
v1::LocalDate QuarterEnd(int year, int quarter);
v1::LocalDate QuarterStart(int year, int quarter);
// half 1..2.
v1::LocalDate HalfYearEnd(int year, int half);
v1::LocalDate YearEnd(int year);

// "I".."XX" (any case) or arabic "1".."20" -> value; nullopt otherwise.
std::optional<int> ParseRomanOrArabic(absl::string_view text);

// "2026-05-31". Empty for an unset date (year 0).
std::string IsoDate(const v1::LocalDate& date);
// Orders dates; an unset date (year 0) sorts first.
bool DateBefore(const v1::LocalDate& a, const v1::LocalDate& b);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_DATES_H_
