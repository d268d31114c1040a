#include "services/plan/text/fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include "absl/strings/ascii.h"

namespace tiendo::plantext {
namespace {

const icu::Normalizer2& Nfc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  return *nfc;
}

const icu::Normalizer2& Nfd() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  return *nfd;
}

void AppendUtf8(UChar32 c, std::string& out) {
  char buffer[U8_MAX_LENGTH];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buffer), length, U8_MAX_LENGTH, c,
            error);
  if (!error) out.append(buffer, length);
}

// One code point folded: lower case, base letter without marks, đ -> d.
void FoldCodePoint(UChar32 c, std::string& out) {
  if (c < 0x80) {
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    return;
  }
  if (c == 0x0111 || c == 0x0110) {  // đ, Đ
    out.push_back('d');
    return;
  }
  if (u_isUWhiteSpace(c)) {
    out.push_back(' ');
    return;
  }
  // Typographic punctuation becomes its ASCII form, so patterns and keys
  // see "-" for every dash and '"' for every quote.
  switch (u_charType(c)) {
    case U_DASH_PUNCTUATION:
      out.push_back('-');
      return;
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      out.push_back('"');
      return;
    default:
      break;
  }
  if (c == 0x2026) {  // …
    out.append("...");
    return;
  }
  icu::UnicodeString decomposition;
  if (!Nfd().getDecomposition(c, decomposition)) {
    AppendUtf8(u_tolower(c), out);
    return;
  }
  // Recursive decompositions are already complete in NFD data.
  for (int32_t i = 0; i < decomposition.length();) {
    const UChar32 part = decomposition.char32At(i);
    i += U16_LENGTH(part);
    if (u_getCombiningClass(part) != 0 ||
        u_charType(part) == U_NON_SPACING_MARK) {
      continue;
    }
    FoldCodePoint(part, out);
  }
}

}  // namespace

std::string ToNfc(absl::string_view text) {
  // fromUTF8 turns invalid sequences into U+FFFD.
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normal = Nfc().normalize(source, status);
  std::string out;
  if (U_FAILURE(status)) {
    source.toUTF8String(out);
  } else {
    normal.toUTF8String(out);
  }
  return out;
}

absl::string_view FoldedText::Original(size_t begin, size_t end) const {
  if (begin > end || end >= origin.size()) return {};
  const size_t from = origin[begin];
  // The end maps to the start of the code point after the match.
  size_t to = origin[end];
  if (to < from) to = from;
  return absl::string_view(original).substr(from, to - from);
}

FoldedText Fold(absl::string_view text) {
  FoldedText folded;
  folded.original = ToNfc(text);
  const std::string& source = folded.original;
  folded.folded.reserve(source.size());
  folded.origin.reserve(source.size() + 1);
  const auto* bytes = reinterpret_cast<const uint8_t*>(source.data());
  const int32_t length = static_cast<int32_t>(source.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) c = 0xFFFD;
    const size_t before = folded.folded.size();
    FoldCodePoint(c, folded.folded);
    folded.origin.insert(folded.origin.end(), folded.folded.size() - before,
                         static_cast<size_t>(start));
  }
  folded.origin.push_back(source.size());
  return folded;
}

std::string MatchKey(absl::string_view text) {
  const FoldedText folded = Fold(text);
  std::string key;
  key.reserve(folded.folded.size());
  bool pending_space = false;
  for (const char c : folded.folded) {
    const auto u = static_cast<unsigned char>(c);
    // Letters and digits of any script stay; ASCII punctuation and spaces
    // separate words.
    const bool separator = u < 0x80 && !absl::ascii_isalnum(u);
    if (separator) {
      pending_space = !key.empty();
      continue;
    }
    if (pending_space) key.push_back(' ');
    pending_space = false;
    key.push_back(c);
  }
  return key;
}

}  // namespace tiendo::plantext
