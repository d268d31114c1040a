#ifndef TIENDO_SERVICES_COMMON_PROTO_CONVERT_H_
#define TIENDO_SERVICES_COMMON_PROTO_CONVERT_H_

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo {

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& ts);
absl::Duration FromProto(const google::protobuf::Duration& d);

v1::LocalDate ToProto(absl::CivilDay day);
// Fails when the fields do not name a real date (31/2/2026), naming `field`.
absl::StatusOr<absl::CivilDay> FromProto(const v1::LocalDate& date,
                                         absl::string_view field);
// An unset LocalDate (all zero) means "no date".
bool IsSet(const v1::LocalDate& date);
// The day a LocalDate names; nullopt when unset or not a real date.
std::optional<absl::CivilDay> DayOf(const v1::LocalDate& date);

// An occurrence's status as reported: a status computed with a clock
// (overdue, done late) taken back to what was reported. Stored states and
// the events and snapshots that carry them hold only reported statuses.
v1::OccurrenceStatus ReportedOccurrenceStatus(const v1::OccurrenceState& state);

// "2026-05-31".
std::string FormatDay(absl::CivilDay day);
// "31/05/2026", as dates are written in Vietnamese documents.
std::string FormatDayVi(absl::CivilDay day);
// Parses "2026-05-31".
std::optional<absl::CivilDay> ParseDay(absl::string_view text);

// Lower-case words for a status, as shown to people: "not_started", ...
std::string StatusName(v1::TaskStatus status);
// Accepts "not_started", "in_progress", "done", "blocked" and the
// Vietnamese words "chua_trien_khai", "dang_thuc_hien", "hoan_thanh",
// "vuong_mac".
std::optional<v1::TaskStatus> ParseStatus(absl::string_view text);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_PROTO_CONVERT_H_
