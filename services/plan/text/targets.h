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
//
// Clauses. The text is read clause by clause; a clause ends at ';', a line
// break, a sentence end, a label's ':' or a new bullet ("- ", "+ "), and a
// parenthesis holding a percentage is a clause of its own. A line break
// that only wraps a sentence (next line in lower case, or a line ending
// with a space) does not end one. Target.text is the clause as written,
// without its list marker.
//
// Direction. The direction words before a percentage in its clause decide,
// the strongest winning: "phấn đấu" (and the OCR twins "phần đầu", "phân
// đầu") STRIVE, then "tối thiểu"/"ít nhất"/"không dưới"/"không thấp hơn"
// AT_LEAST, then "duy trì" MAINTAIN, then "đạt"/"đảm bảo" REACH. A floor
// written around the number ("trên 80%", "từ 80% trở lên", "80% trở lên")
// is AT_LEAST too. So "phấn đấu đạt" and "phấn đấu và duy trì 100%" are
// STRIVE, "đạt tối thiểu 80%" and "đạt từ 80% trở lên" AT_LEAST. A bare
// percentage is REACH. A direction holds for the later percentages of its
// clause.
//
// Indicator, as written, the first rule that gives words:
//   1. a rate phrase before the number ("tỷ lệ X ... đạt 80%" -> "tỷ lệ X");
//      what follows the number there is the denominator;
//   2. the phrase after the number, up to the next percentage or the clause
//      end ("100% công dân ..." -> "công dân ...");
//   3. when the number is followed only by a time phrase or a denominator:
//      the indicator of the previous target of the clause, a stage ("Tối
//      thiểu 60% hộ gia đình ... trước ngày 30/9/2026 và 80% trước ngày
//      31/12/2026" -> two targets of "hộ gia đình ..."); else the clause's
//      subject, before its first direction word or percentage ("đối tượng
//      Bảo trợ xã hội phấn đấu đạt tỷ lệ 90% trong Quý I"); else the
//      indicator of the next target of the clause ("60% trước 30/9/2026, 80%
//      trước 31/12/2026 hộ gia đình ...").
// Direction words, glue words ("là", "trên"), time phrases and punctuation
// are trimmed from both ends.
//
// Due. A deadline after the percentage (up to the next one) is its own:
// "trong Quý I năm 2026", "Quý I/2026", "đến hết ngày 30/6/2026", "trước
// ngày 31/12/2026", "trong tháng 9/2026", "6 tháng đầu năm", "(trong) năm
// 2026". Otherwise one before it in the clause ("tỷ lệ ... trong năm 2026
// đạt 100%"), unless the previous percentage took it. "từ Quý I" (a start)
// and a bare date ("ngày 25/11/2022", the date of a document) are not
// deadlines. A phrase without a year takes context.plan_year. Without a
// deadline the target takes context.fallback_due and due_inferred = true
// (even when the fallback is unset).
//
// A percentage none of these gives an indicator ("Đạt 100%.", "Tỷ lệ 90%
// trong năm 2026") is not a target when the text gives no other, so the
// caller sees a percentage without targets. Beside other targets it is kept
// so it does not go missing unseen: the clause's subject, even a bare "tỷ
// lệ", or else the clause as written is its indicator.
//
// Not targets: percentages outside 0..100, inside quotes (a title), change
// rates ("tăng 20%", "giảm 30%", "tăng trên 20%"), and every percentage of
// a clause holding more than 16 (a table of figures). Stray HTML tags are
// ignored. A deadline that cannot exist ("trước ngày 31/2/2026") is
// InvalidArgument naming it as written.
absl::StatusOr<std::vector<v1::Target>> ExtractTargets(
    absl::string_view text, const TargetContext& context);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_TARGETS_H_
