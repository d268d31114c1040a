#ifndef TIENDO_SERVICES_PLAN_TEXT_TEXT_SCAN_H_
#define TIENDO_SERVICES_PLAN_TEXT_TEXT_SCAN_H_

// Text preparation and scanning shared by the readers that find things in
// free text (document references, percentage targets): they take the same
// cell HTML and PDF extracts, so they clean and fold it the same way.

#include <unicode/umachine.h>

#include <cstddef>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/plan/text/fold.h"

namespace tiendo::plantext {

// "No position": what the scanners return when nothing matches, and the
// readers' mark for a position not found yet.
inline constexpr size_t kNone = static_cast<size_t>(-1);

// ASCII white space, the only kind folded text holds (fold.h maps every
// Unicode space to ' ').
bool IsSpaceByte(char c);

// A letter, a digit or any byte of a multi-byte character, so word
// boundaries in folded text fall only at ASCII spaces and punctuation.
bool IsWordByte(char c);

// An ASCII digit '0' to '9'.
bool IsDigitByte(char c);

// Removes HTML tags left in a cell ("<b>100%</b>", "<p>Chỉ thị số ...</p>")
// and decodes the few entities such cells carry. Block tags end a paragraph
// and inline tags vanish, so "<li>- 100% ...</li><li>- Tối thiểu ..." still
// reads as two bullets. Anything that does not look like a tag ("tỷ lệ <
// 50%") is kept.
std::string StripMarkup(absl::string_view text);

// The code point of the original text behind folded[pos], or -1 past the
// end: case and diacritics are gone from the folded text, and some words
// ("đạt"/"đất", a capitalised name) are told apart only by them.
UChar32 OriginalCodePoint(const FoldedText& f, size_t pos);

// PDF extraction wraps lines inside sentences ("phấn đấu đạt tỷ \nlệ 90%",
// "của Thủ tướng \nChính phủ"). Such a break becomes a space in the folded
// text; the others stay and end a clause or a name. A break is a wrap when
// the next line starts in lower case, or when one single line break follows
// a line that leaves a parenthesis or quote open or ends with a space (the
// extractor's mark of a wrapped line). A next line that starts a list item
// is never a wrap.
void JoinWrappedLines(FoldedText& f);

// The text as written with every run of white space (NBSP included) made
// one space, trimmed: how matched text is reported back.
std::string Collapse(absl::string_view text);

// Matches `phrase` (folded words separated by single spaces) at pos in
// s[pos, end); a space in the phrase matches any run of white space. Returns
// the end of the match or kNone. The match must end at a word boundary, so
// "dat" does not match the start of "date".
size_t PhraseAt(const std::string& s, size_t pos, size_t end,
                absl::string_view phrase);

// If a list item marker ("- ", "+ ", "• ", "(1) ", "1. ", "a) ", "II. ")
// starts at pos in s[pos, end), the end of the marker; otherwise kNone.
size_t ListItemEnd(const std::string& s, size_t pos, size_t end);

// RE2 options for patterns over folded text. Folded text is matched byte by
// byte; the few non-ASCII bytes left (other scripts, symbols) never take part
// in a pattern.
const RE2::Options& Latin1();

// The whole of `text` as RE2::Match takes it (this re2 has its own
// re2::StringPiece class, not absl::string_view).
re2::StringPiece Piece(const std::string& text);

// Where a submatch of a match over `text` starts in `text`.
size_t OffsetOf(const std::string& text, const re2::StringPiece& piece);

// Whether an optional group took part in the match.
bool Matched(const re2::StringPiece& piece);

// The digits of a group as a number; std::nullopt when the group did not
// take part in the match or does not hold a number that fits an int. The
// patterns bound their digit groups, so a caller meets nullopt only for an
// optional group it did not check, and treats it as no number written.
std::optional<int> ToInt(const re2::StringPiece& piece);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_TEXT_SCAN_H_
