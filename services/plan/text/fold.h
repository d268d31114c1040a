#ifndef TIENDO_SERVICES_PLAN_TEXT_FOLD_H_
#define TIENDO_SERVICES_PLAN_TEXT_FOLD_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace tiendo::plantext {

// UTF-8 text in Unicode normalisation form C (ICU). Invalid UTF-8 sequences
// become U+FFFD, so everything downstream sees valid text.
std::string ToNfc(absl::string_view text);

// Text folded for pattern matching, with a way back to the original.
//
// Folding maps each code point of the NFC text on its own: lower case, every
// Vietnamese diacritic removed (tones and vowel marks: "Quý", "Quí", "quy"
// all fold to "quy"; "Phấn đấu" and its OCR twin "Phần đầu" both to
// "phan dau"), "đ" to "d", any Unicode space (NBSP included) to ' ', any
// dash to '-', curly quotes to '"', "…" to "...". Other characters are kept
// as they are. Patterns therefore run on plain ASCII
// words, and `Original` recovers the text as written for what they matched.
struct FoldedText {
  // The NFC form of the input.
  std::string original;
  // The folded text.
  std::string folded;
  // For every byte of `folded`, the offset in `original` of the code point
  // it came from; one extra entry at the end equals original.size().
  std::vector<size_t> origin;

  // The original text behind folded[begin, end).
  absl::string_view Original(size_t begin, size_t end) const;
};

FoldedText Fold(absl::string_view text);

// A key for tolerant name matching: folded as above, every run of
// punctuation and spaces turned into one space, trimmed. "Phòng Văn hoá -
// Xã hội" and "phong van hoa xa hoi" give the same key, and so do the old
// and new tone placements ("Thuỷ"/"Thủy", "hoà"/"hòa") and NFD input.
std::string MatchKey(absl::string_view text);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_FOLD_H_
