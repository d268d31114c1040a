#include "services/common/proto_convert.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tiendo {

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t nanos = absl::ToUnixNanos(t);
  ts.set_seconds(absl::ToUnixSeconds(t));
  ts.set_nanos(static_cast<int32_t>(nanos - ts.seconds() * 1000000000));
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

v1::LocalDate ToProto(absl::CivilDay day) {
  v1::LocalDate date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

absl::StatusOr<absl::CivilDay> FromProto(const v1::LocalDate& date,
                                         absl::string_view field) {
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < 1900 || date.year() > 2200 || day.year() != date.year() ||
      day.month() != date.month() || day.day() != date.day()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s: %d-%02d-%02d is not a date", field, date.year(),
                        date.month(), date.day()));
  }
  return day;
}

bool IsSet(const v1::LocalDate& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

std::optional<absl::CivilDay> DayOf(const v1::LocalDate& date) {
  if (!IsSet(date)) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = FromProto(date, "date");
  if (!day.ok()) return std::nullopt;
  return *day;
}

v1::OccurrenceStatus ReportedOccurrenceStatus(const v1::OccurrenceState& o) {
  switch (o.status()) {
    case v1::OCCURRENCE_STATUS_DONE_LATE:
      return v1::OCCURRENCE_STATUS_DONE;
    case v1::OCCURRENCE_STATUS_OVERDUE:
    case v1::OCCURRENCE_STATUS_UNSPECIFIED:
      return !o.open_difficulty().empty() ? v1::OCCURRENCE_STATUS_BLOCKED
             : o.percent() > 0            ? v1::OCCURRENCE_STATUS_IN_PROGRESS
                                          : v1::OCCURRENCE_STATUS_NOT_STARTED;
    default:
      return o.status();
  }
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatDayVi(absl::CivilDay day) {
  return absl::StrFormat("%02d/%02d/%04d", day.day(), day.month(), day.year());
}

std::optional<absl::CivilDay> ParseDay(absl::string_view text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return std::nullopt;
  return day;
}

std::string StatusName(v1::TaskStatus status) {
  switch (status) {
    case v1::TASK_STATUS_NOT_STARTED:
      return "not_started";
    case v1::TASK_STATUS_IN_PROGRESS:
      return "in_progress";
    case v1::TASK_STATUS_DONE:
      return "done";
    case v1::TASK_STATUS_BLOCKED:
      return "blocked";
    default:
      return "unspecified";
  }
}

std::optional<v1::TaskStatus> ParseStatus(absl::string_view text) {
  const std::string s = absl::AsciiStrToLower(text);
  if (s == "not_started" || s == "chua_trien_khai")
    return v1::TASK_STATUS_NOT_STARTED;
  if (s == "in_progress" || s == "dang_thuc_hien")
    return v1::TASK_STATUS_IN_PROGRESS;
  if (s == "done" || s == "hoan_thanh") return v1::TASK_STATUS_DONE;
  if (s == "blocked" || s == "vuong_mac") return v1::TASK_STATUS_BLOCKED;
  return std::nullopt;
}

}  // namespace tiendo
