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
// The number keeps its letters as written (NFC). A reference with a blank
// number or day ("Kế hoạch số /KH-UBND ngày /5/2026") keeps what is there
// and leaves the rest unset. A reference cut by a line or page break
// ("Công văn số 1698/BNV-  TTCNTT ngày 24/4/2025") is joined. Dates are day
// first; an impossible one is InvalidArgument.
absl::StatusOr<std::vector<v1::DocumentRef>> ParseDocuments(
    absl::string_view text);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_DOCUMENTS_H_
