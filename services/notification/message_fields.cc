#include "services/notification/message_fields.h"

#include <cmath>
#include <optional>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/proto_convert.h"
#include "services/common/utf8.h"

namespace tiendo::notification {

std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return absl::StrCat(TruncateUtf8(text, max_bytes), "…");
}

std::string FormatPercentVi(double percent) {
  double rounded = std::round(percent * 10.0) / 10.0;
  if (rounded == 0.0) rounded = 0.0;  // no "-0"
  std::string text = absl::StrFormat("%.1f", rounded);
  if (absl::EndsWith(text, ".0")) text.resize(text.size() - 2);
  return absl::StrReplaceAll(text, {{".", ","}});
}

std::string FormatDateVi(const v1::LocalDate& date) {
  std::optional<absl::CivilDay> day = DayOf(date);
  return day ? FormatDayVi(*day) : "";
}

std::string TaskRef(const std::string& task_id) {
  const size_t hash = task_id.rfind('#');
  return hash == std::string::npos ? task_id : task_id.substr(hash + 1);
}

std::string OccurrenceLabel(absl::string_view occurrence_id_or_key) {
  absl::string_view key = occurrence_id_or_key;
  if (const size_t at = key.rfind('@'); at != absl::string_view::npos) {
    key = key.substr(at + 1);
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(key, '-');
  int year = 0;
  if (parts.empty() || parts[0].size() != 4 ||
      !absl::SimpleAtoi(parts[0], &year)) {
    return std::string(key);
  }
  if (parts.size() == 1) return absl::StrCat("năm ", year);
  if (parts.size() == 3) {
    std::optional<absl::CivilDay> day = ParseDay(key);
    if (day) return FormatDayVi(*day);
    return std::string(key);
  }
  if (parts.size() != 2 || parts[1].size() < 2) return std::string(key);
  const absl::string_view period = parts[1];
  int n = 0;
  if (period[0] == 'Q' && absl::SimpleAtoi(period.substr(1), &n) && n >= 1 &&
      n <= 4) {
    static constexpr const char* kRoman[] = {"I", "II", "III", "IV"};
    return absl::StrCat("Quý ", kRoman[n - 1], "/", year);
  }
  if (period[0] == 'H' && absl::SimpleAtoi(period.substr(1), &n) && n >= 1 &&
      n <= 2) {
    return absl::StrCat(n == 1 ? "6 tháng đầu năm " : "6 tháng cuối năm ",
                        year);
  }
  if (absl::SimpleAtoi(period, &n) && n >= 1 && n <= 12) {
    return absl::StrCat("tháng ", n, "/", year);
  }
  return std::string(key);
}

}  // namespace tiendo::notification
