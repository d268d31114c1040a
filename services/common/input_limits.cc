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

absl::Status CheckLengths(
    absl::string_view prefix,
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>
        fields,
    size_t max_bytes) {
  for (const auto& [name, value] : fields) {
    if (absl::Status s =
            CheckLength(absl::StrCat(prefix, name), value, max_bytes);
        !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status CheckCount(absl::string_view field, int count, int max_items) {
  if (count <= max_items) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", count, " items, more than the ", max_items, " allowed"));
}

}  // namespace tiendo
