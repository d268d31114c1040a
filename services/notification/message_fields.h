#ifndef TIENDO_SERVICES_NOTIFICATION_MESSAGE_FIELDS_H_
#define TIENDO_SERVICES_NOTIFICATION_MESSAGE_FIELDS_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::notification {

// Values as the Vietnamese messages write them, computed for the template
// fields; the wording around them is in the templates.

// Titles are cut to this many bytes so that one inbox entry stays readable
// on a phone; free text (difficulties, notes) to kFreeTextBytes.
inline constexpr size_t kTitleBytes = 160;
inline constexpr size_t kFreeTextBytes = 500;

// How people name an occurrence, from its key: "2026-05" -> "tháng 5/2026",
// "2026-Q2" -> "Quý II/2026", "2026-H1" -> "6 tháng đầu năm 2026", "2026" ->
// "năm 2026", "2026-05-31" -> "31/05/2026"; other keys ("trigger-1") as they
// are. Accepts an occurrence id ("<task id>@<key>") too.
std::string OccurrenceLabel(absl::string_view occurrence_id_or_key);

// A percentage as written in Vietnamese: at most one decimal, with a decimal
// comma ("62", "61,8").
std::string FormatPercentVi(double percent);

// "31/05/2026"; empty for an unset or impossible date.
std::string FormatDateVi(const v1::LocalDate& date);

// Keeps at most max_bytes of UTF-8 text, cut on a character boundary, and
// appends "…" (3 more bytes) when it cut.
std::string Shorten(const std::string& text, size_t max_bytes);

// The section and number as the plan writes them ("III.4"), from a task id
// "<plan id>#<section>.<number>"; events about progress carry only the id.
std::string TaskRef(const std::string& task_id);

// A flag field: "1" when set, "" (false in a template section) when not.
inline std::string Flag(bool set) { return set ? "1" : ""; }

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_MESSAGE_FIELDS_H_
