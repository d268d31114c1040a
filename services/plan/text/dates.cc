#include "services/plan/text/dates.h"

#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace tiendo::plantext {
namespace {

v1::LocalDate FromCivil(absl::CivilDay day) {
  v1::LocalDate out;
  out.set_year(static_cast<int>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

}  // namespace

absl::StatusOr<v1::LocalDate> MakeDate(int year, int month, int day,
                                       absl::string_view as_written) {
  // CivilDay normalises 31/2 to 3/3; an unchanged round trip means the date
  // exists.
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 ||
      day > 31) {
    return absl::InvalidArgumentError(
        absl::StrFormat("impossible date '%s'", as_written));
  }
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) {
    return absl::InvalidArgumentError(
        absl::StrFormat("impossible date '%s'", as_written));
  }
  return FromCivil(civil);
}

v1::LocalDate MonthEnd(int year, int month) {
  return FromCivil(absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1);
}

v1::LocalDate QuarterEnd(int year, int quarter) {
  return MonthEnd(year, quarter * 3);
}

v1::LocalDate QuarterStart(int year, int quarter) {
  return FromCivil(absl::CivilDay(year, (quarter - 1) * 3 + 1, 1));
}

v1::LocalDate HalfYearEnd(int year, int half) {
  return MonthEnd(year, half * 6);
}

v1::LocalDate YearEnd(int year) { return MonthEnd(year, 12); }

std::optional<int> ParseRomanOrArabic(absl::string_view text) {
  int arabic = 0;
  if (absl::SimpleAtoi(text, &arabic)) {
    if (arabic >= 1 && arabic <= 20) return arabic;
    return std::nullopt;
  }
  static constexpr const char* kRoman[] = {
      "i",  "ii",  "iii",  "iv",  "v",  "vi",  "vii",  "viii",  "ix",  "x",
      "xi", "xii", "xiii", "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"};
  const std::string lower = absl::AsciiStrToLower(text);
  for (int i = 0; i < 20; ++i) {
    if (lower == kRoman[i]) return i + 1;
  }
  return std::nullopt;
}

std::string IsoDate(const v1::LocalDate& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

bool DateBefore(const v1::LocalDate& a, const v1::LocalDate& b) {
  return std::make_tuple(a.year(), a.month(), a.day()) <
         std::make_tuple(b.year(), b.month(), b.day());
}

}  // namespace tiendo::plantext
