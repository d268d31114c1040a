#ifndef TIENDO_SERVICES_COMMON_HTML_H_
#define TIENDO_SERVICES_COMMON_HTML_H_

#include <string>

#include "absl/strings/string_view.h"

namespace tiendo {

// "<b>&amp;" for "<b>&": text made safe inside HTML elements and attributes
// (e-mails, reports).
std::string HtmlEscape(absl::string_view text);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_HTML_H_
