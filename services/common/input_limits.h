#ifndef TIENDO_SERVICES_COMMON_INPUT_LIMITS_H_
#define TIENDO_SERVICES_COMMON_INPUT_LIMITS_H_

#include <cstddef>
#include <initializer_list>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace tiendo {

// Bounds on what callers send, so that no accepted input can grow an event
// past what the broker takes, or a store and its answers without end. The
// README's "Limits" table lists them; a request past one is refused with
// INVALID_ARGUMENT naming the field and the limit, and changes nothing.
namespace limits {
// Ids and codes: task, plan, unit, agency, request, occurrence, indicator.
inline constexpr size_t kIdBytes = 256;
// Free text a person writes: a progress note, a difficulty, a reason.
inline constexpr size_t kNoteBytes = 4000;
// A document number, or a link given as evidence.
inline constexpr size_t kReferenceBytes = 2000;
// Evidence items and measurements in one progress report.
inline constexpr int kEvidencePerReport = 20;
inline constexpr int kMeasurementsPerReport = 100;
// A plan document as imported (text, CSV or TSV).
inline constexpr size_t kPlanDocumentBytes = 2 << 20;
// Sections and tasks of one plan, and agencies named by one task.
inline constexpr int kSectionsPerPlan = 100;
inline constexpr int kTasksPerPlan = 2000;
inline constexpr int kAgenciesPerTask = 50;
}  // namespace limits

// "note: 5000 bytes, more than the 4000 allowed" when `value` is longer.
absl::Status CheckLength(absl::string_view field, absl::string_view value,
                         size_t max_bytes);

// CheckLength on each (name, value) of `fields`, the names prefixed with
// `prefix` ("items[3]."): the first one too long.
absl::Status CheckLengths(
    absl::string_view prefix,
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>
        fields,
    size_t max_bytes);

// "evidence: 25 items, more than the 20 allowed" when count is larger.
absl::Status CheckCount(absl::string_view field, int count, int max_items);

// CheckCount on a repeated field, then `check(item, "field[i]")` on each
// item: the first refusal.
template <typename Items, typename Check>
absl::Status CheckEach(absl::string_view field, const Items& items,
                       int max_items, const Check& check) {
  const int count = static_cast<int>(items.size());
  if (absl::Status s = CheckCount(field, count, max_items); !s.ok()) return s;
  for (int i = 0; i < count; ++i) {
    if (absl::Status s = check(items[i], absl::StrCat(field, "[", i, "]"));
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_INPUT_LIMITS_H_
