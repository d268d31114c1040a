#include "services/common/utf8.h"

namespace tiendo {
namespace {

// A UTF-8 sequence is a lead byte and at most three continuation bytes.
constexpr size_t kMaxContinuationBytes = 3;

bool IsContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

}  // namespace

absl::string_view TruncateUtf8(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  // text[max_bytes] is the first byte left out: if it continues a sequence,
  // that sequence starts inside the prefix and must go too.
  size_t cut = max_bytes;
  while (cut > 0 && max_bytes - cut < kMaxContinuationBytes &&
         IsContinuationByte(text[cut])) {
    --cut;
  }
  // Still inside a sequence after stepping back over the longest one: not
  // UTF-8, so no boundary to respect.
  if (cut > 0 && IsContinuationByte(text[cut])) cut = max_bytes;
  return text.substr(0, cut);
}

}  // namespace tiendo
