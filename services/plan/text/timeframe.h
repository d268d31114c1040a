#ifndef TIENDO_SERVICES_PLAN_TEXT_TIMEFRAME_H_
#define TIENDO_SERVICES_PLAN_TEXT_TIMEFRAME_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::plantext {

struct TimeframeContext {
  // The plan's year: a date written without a year ("trước ngày 10/5")
  // takes it.
  int plan_year = 0;
};

// Understands a "Thời gian thực hiện" text as a schedule:
//   "Ban hành Kế hoạch trong tháng 5/2026"     -> milestone 2026-05-31
//   "Trong năm 2026"                          -> milestone 2026-12-31
//   "Quý I/2027", "Quí 1/2027"                -> milestone 2027-03-31
//   "6 tháng đầu năm 2026"                    -> milestone 2026-06-30
//   "Hoàn thành trước (ngày) 10/5/2026"       -> milestone 2026-05-10
//   "chậm nhất 15/3"                          -> 15/3 of context.plan_year
//   "... trong tháng 4/2026. ... trong Quý II/2026." -> two milestones
//   "Thường xuyên", "liên tục"                -> ongoing
//   "Thường xuyên đến hết năm 2026"           -> ongoing until 2026-12-31
//   "Duy trì ... (dự kiến đến hết ngày 30/6/2026)" -> ongoing until, expected
//   "Từ Quý I năm 2026", "năm 2026 và các năm tiếp theo"
//                                             -> ongoing from 2026-01-01
//   "Định kỳ hàng quý", "hằng tháng", "trước ngày 12 hằng tháng",
//   "định kỳ 6 tháng", "hằng năm"              -> recurrence
//   "Khi có phát sinh", "ngay khi có chỉ đạo của Bộ Công an",
//   "theo thời hạn yêu cầu", "bám sát lộ trình ..." -> triggered
// and combinations of these ("Quí I/2026 và duy trì thường xuyên" is a
// milestone and ongoing work), split at sentence ends, ";", line breaks,
// " và ", "," and parentheses. A trigger runs to the end of its sentence or
// parentheses, so "khi có chỉ đạo của các bộ, ngành" stays whole.
//
// Schedule.text is the input as written (NFC, trimmed); Milestone.text and
// Schedule.trigger are the clauses as written, words that only describe the
// work included ("Hoàn thành đánh số nhà trước ngày 31/12/2026"). Several
// triggers are joined with "; ".
//
// Each clause that speaks of time but is not understood ("Sau khi có kết
// quả rà soát", "Quý V/2026", "định kỳ" with no period) goes verbatim to
// Schedule.not_understood, and nothing is taken from it. A text with no
// time expression at all goes there too; an empty text gives an empty
// schedule. A date that cannot exist ("31/2/2026") is InvalidArgument
// naming it as written.
absl::StatusOr<v1::Schedule> ParseTimeframe(absl::string_view text,
                                            const TimeframeContext& context);

// The latest date the schedule names: the last milestone, else the
// ongoing end; unset (year 0) when it has neither.
v1::LocalDate LastDate(const v1::Schedule& schedule);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_TIMEFRAME_H_
