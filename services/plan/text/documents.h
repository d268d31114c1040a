#ifndef TIENDO_SERVICES_PLAN_TEXT_DOCUMENTS_H_
#define TIENDO_SERVICES_PLAN_TEXT_DOCUMENTS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::plantext {

// Finds every document reference in a text, in order:
//   "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ"
//     -> {kind "Quyết định", number "06/QĐ-TTg", date 2022-01-06,
//         issuer "Thủ tướng Chính phủ"}
//   "Công văn số 693-CV/VPTW ngày 02/3/2026", "Chỉ thị số 07/CT-TTg ngày
//   14/3/2025", "Thông tư số 08/2024/TT-BXD ngày 30/8/2024",
//   "Kế hoạch số 1965/KH-UBND ngày 20/4/2026", "Nghị quyết số 57-NQ/TW",
//   "Thông báo số 712/TB-VPCP ngày 21/12/2025", "Nghị định ...", "Luật ...".
//
// Kind: Quyết định, Chỉ thị, Công văn, Công điện, Thông tư (liên tịch),
// Thông báo, Thông tri, Kế hoạch, Nghị quyết (liên tịch), Nghị định, Hướng
// dẫn, Luật, Pháp lệnh, Kết luận, Quy định, Báo cáo, Tờ trình, Chương
// trình, in any case, given in its canonical spelling. A kind word counts
// only with a number: after "số" (a number with '/' or '-', digits may be
// blank: "/KH-UBND"), or right after the kind when it has digits, letters
// and '/' ("Quyết định 06/QĐ-TTg"); a law may name itself first ("Luật
// Căn cước số 26/2023/QH15"). "Ban hành Kế hoạch trong tháng 5/2026" and
// "Luật Dữ liệu" are no references.
//
// Number: as written (NFC). A number cut after its '-' or '/' by a line
// break or spaces ("1698/BNV-  TTCNTT", "57-\nNQ/TW") is joined when the
// rest starts with a capital or a digit.
//
// Date: "ngày" d/m/yyyy (with '/', '-' or '.') or "ngày d tháng m năm
// yyyy", day first. A blank day ("ngày /5/2026") leaves the date unset; an
// impossible date is InvalidArgument.
//
// Issuer: after "của", up to punctuation, a line break that is not a wrap,
// the next reference, or a lower-case word that continues the sentence
// ("về việc", "phê duyệt", "và các ..."); capitalised words and "và"
// between capitals belong to the name ("Bộ Khoa học và Công nghệ"). One
// "của" closes a list: a reference without an issuer takes the next one's
// when only commas, "và" and spaces separate them ("Quyết định số 06/...,
// Quyết định số 422/... và Chỉ thị số 24/... của Thủ tướng Chính phủ"
// gives all three the Prime Minister). A ';' or a line break ends a list.
//
// Text: the reference as written, white space collapsed. Stray HTML tags
// are ignored; a tab (a table column) is never crossed.
absl::StatusOr<std::vector<v1::DocumentRef>> ParseDocuments(
    absl::string_view text);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_DOCUMENTS_H_
