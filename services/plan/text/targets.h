#ifndef TIENDO_SERVICES_PLAN_TEXT_TARGETS_H_
#define TIENDO_SERVICES_PLAN_TEXT_TARGETS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::plantext {

struct TargetContext {
  // A date without a year takes the plan's year.
  int plan_year = 0;
  // Due date of a target whose text names none: the task's last milestone,
  // or the plan's year end. Targets that take it have due_inferred = true.
  v1::LocalDate fallback_due;
};

// Extracts every numeric target from an expected-result (or task) text:
//   "Tối thiểu 81% công dân từ đủ 14 tuổi có tài khoản định danh điện tử"
//     -> {indicator "công dân từ đủ 14 tuổi có tài khoản định danh điện tử",
//         81, AT_LEAST, fallback due}
//   "Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100%"
//     -> {indicator "tỷ lệ chi trả qua tài khoản", 100, STRIVE, 2026-12-31}
//   "phấn đấu đạt tỷ lệ 90% trong Quý I năm 2026, 100% trong Quý II năm 2026"
//     -> two targets, due 2026-03-31 and 2026-06-30 (stages)
// Direction words: "tối thiểu" AT_LEAST, "đạt" REACH, "phấn đấu" (and the OCR
// twins "phần đầu", "phân đầu") STRIVE, "duy trì" MAINTAIN; "phấn đấu ...
// đạt" is STRIVE. A bare percentage with no direction word is REACH.
// Percentages that are not targets (a "50%" inside a document title) are
// not invented into targets: only percentages attached to a population or
// rate phrase count. Text is HTML-free plain text; one target per
// percentage. An impossible date is InvalidArgument.
absl::StatusOr<std::vector<v1::Target>> ExtractTargets(
    absl::string_view text, const TargetContext& context);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_TARGETS_H_
