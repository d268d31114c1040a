#include "services/common/paging.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace tiendo {
namespace {

// Marks the token's format, so a token of another shape is refused rather
// than read as a key.
constexpr absl::string_view kTokenPrefix = "p1:";
// Separates the columns of a two-column key; no key holds it.
constexpr char kKeySeparator = '\x1f';

absl::Status BadToken(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("page_token: ", why));
}

}  // namespace

absl::StatusOr<PageRequest> ReadPageRequest(int32_t page_size,
                                            absl::string_view page_token) {
  if (page_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must not be negative (got ", page_size, ")"));
  }
  PageRequest page;
  page.size = page_size == 0 ? kDefaultPageSize
                             : std::min<int32_t>(page_size, kMaxPageSize);
  if (page_token.empty()) return page;
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(page_token, &decoded) ||
      !absl::StartsWith(decoded, kTokenPrefix) ||
      decoded.size() == kTokenPrefix.size()) {
    return BadToken("not a token from a previous answer");
  }
  page.after = decoded.substr(kTokenPrefix.size());
  return page;
}

std::string EncodePageToken(absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kTokenPrefix, last_key));
}

absl::StatusOr<int64_t> AfterNumber(const PageRequest& page) {
  if (page.after.empty()) return 0;
  int64_t number = 0;
  if (!absl::SimpleAtoi(page.after, &number) || number < 0) {
    return BadToken("not a position of this list");
  }
  return number;
}

std::string JoinKey(absl::string_view text, int64_t number) {
  return absl::StrCat(text, absl::string_view(&kKeySeparator, 1), number);
}

absl::StatusOr<std::pair<std::string, int64_t>> SplitKey(
    const PageRequest& page) {
  if (page.after.empty()) return std::pair<std::string, int64_t>("", 0);
  const size_t at = page.after.rfind(kKeySeparator);
  int64_t number = 0;
  if (at == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(page.after).substr(at + 1),
                        &number)) {
    return BadToken("not a position of this list");
  }
  return std::pair<std::string, int64_t>(page.after.substr(0, at), number);
}

bool PageCursor::Take(absl::string_view key) {
  if (taken_ == size_) {
    if (next_page_token_ != nullptr) {
      *next_page_token_ = EncodePageToken(last_key_);
    }
    return false;
  }
  ++taken_;
  last_key_ = std::string(key);
  return true;
}

}  // namespace tiendo
