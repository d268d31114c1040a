#include "services/common/input_limits.h"

#include "absl/strings/str_cat.h"

namespace tiendo {

absl::Status CheckLength(absl::string_view field, absl::string_view value,
                         size_t max_bytes) {
  if (value.size() <= max_bytes) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", value.size(),
                                                 " bytes, more than the ",
                                                 max_bytes, " allowed"));
}

absl::Status CheckCount(absl::string_view field, int count, int max_items) {
  if (count <= max_items) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", count, " items, more than the ", max_items, " allowed"));
}

}  // namespace tiendo
