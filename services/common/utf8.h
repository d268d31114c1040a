#ifndef TIENDO_SERVICES_COMMON_UTF8_H_
#define TIENDO_SERVICES_COMMON_UTF8_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace tiendo {

// The longest prefix of `text` of at most `max_bytes` that does not split a
// UTF-8 sequence, so a prefix of valid UTF-8 stays valid (proto string
// fields, e-mail headers and table cells must be). On invalid input (more
// continuation bytes than a sequence can have) it cuts at max_bytes.
absl::string_view TruncateUtf8(absl::string_view text, size_t max_bytes);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_UTF8_H_
