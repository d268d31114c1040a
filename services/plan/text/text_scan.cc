#include "services/plan/text/text_scan.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/plan/text/fold.h"

namespace tiendo::plantext {
namespace {

// The tags that end a paragraph; every other tag is inline and vanishes.
bool IsBlockTag(absl::string_view name) {
  static constexpr absl::string_view kBlock[] = {
      "p",     "br",    "li",    "ul", "ol", "div", "tr", "td", "th",
      "table", "tbody", "thead", "h1", "h2", "h3",  "h4", "h5", "h6"};
  const std::string lower = absl::AsciiStrToLower(name);
  for (const absl::string_view block : kBlock) {
    if (lower == block) return true;
  }
  return false;
}

UChar32 CodePointAt(const std::string& text, size_t offset) {
  if (offset >= text.size()) return -1;
  int32_t i = static_cast<int32_t>(offset);
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i,
          static_cast<int32_t>(text.size()), c);
  return c;
}

// The start of a list item: "- ", "+ ", "• ", "(1) ", "1. ", "a) ", "II. ".
const RE2& ListItemRe() {
  static const RE2* const re = new RE2(
      "(?:[-+*]|\xe2\x80\xa2|\\(?(?:\\d{1,3}|[a-z]|[ivx]{1,5})[.)])(?:\\s|$)",
      Latin1());
  return *re;
}

}  // namespace

bool IsSpaceByte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == '\v';
}

bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || absl::ascii_isalnum(u);
}

bool IsDigitByte(char c) {
  return absl::ascii_isdigit(static_cast<unsigned char>(c));
}

std::string StripMarkup(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '<') {
      size_t j = i + 1;
      if (j < text.size() && text[j] == '/') ++j;
      const size_t name_begin = j;
      while (j < text.size() &&
             absl::ascii_isalnum(static_cast<unsigned char>(text[j]))) {
        ++j;
      }
      const size_t name_end = j;
      // A tag is short; the bound keeps stray '<' from scanning far.
      const size_t limit = std::min(text.size(), i + 512);
      size_t close = kNone;
      if (name_end > name_begin &&
          absl::ascii_isalpha(static_cast<unsigned char>(text[name_begin])) &&
          (j >= text.size() || text[j] == '>' || text[j] == '/' ||
           IsSpaceByte(text[j]))) {
        for (size_t k = j; k < limit; ++k) {
          if (text[k] == '>') {
            close = k;
            break;
          }
          if (text[k] == '<') break;
        }
      }
      if (close != kNone) {
        if (IsBlockTag(text.substr(name_begin, name_end - name_begin))) {
          out.push_back('\n');
        }
        i = close + 1;
        continue;
      }
    } else if (c == '&') {
      static constexpr std::pair<absl::string_view, absl::string_view>
          kEntities[] = {{"&nbsp;", " "}, {"&amp;", "&"},   {"&lt;", "<"},
                         {"&gt;", ">"},   {"&quot;", "\""}, {"&#39;", "'"},
                         {"&apos;", "'"}};
      bool decoded = false;
      for (const auto& [entity, value] : kEntities) {
        if (text.substr(i, entity.size()) == entity) {
          out.append(value.data(), value.size());
          i += entity.size();
          decoded = true;
          break;
        }
      }
      if (decoded) continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

UChar32 OriginalCodePoint(const FoldedText& f, size_t pos) {
  if (pos >= f.folded.size()) return -1;
  return CodePointAt(f.original, f.origin[pos]);
}

void JoinWrappedLines(FoldedText& f) {
  std::string& s = f.folded;
  int depth = 0;
  bool quote_open = false;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '(') {
      depth = std::min(depth + 1, 1000);
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (c == '"') {
      quote_open = !quote_open;
    }
    if (c != '\n') {
      ++i;
      continue;
    }
    size_t k = i;
    int newlines = 0;
    while (k < s.size() && IsSpaceByte(s[k])) {
      if (s[k] == '\n') ++newlines;
      ++k;
    }
    const bool trailing_space = i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t');
    bool soft = false;
    if (k < s.size() && ListItemEnd(s, k, s.size()) == kNone) {
      // A line break inside a sentence: the next line goes on in lower
      // case, or a single break inside brackets or quotes or after a
      // trailing space.
      soft = u_islower(OriginalCodePoint(f, k)) ||
             (newlines == 1 && (depth > 0 || quote_open || trailing_space));
    }
    if (soft) {
      for (size_t j = i; j < k; ++j) {
        if (s[j] == '\n') s[j] = ' ';
      }
    }
    depth = 0;
    quote_open = false;
    i = k;
  }
}

std::string Collapse(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool ws = IsSpaceByte(text[i]);
    if (static_cast<unsigned char>(text[i]) == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      ws = true;
      ++i;
    }
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(text[i]);
  }
  return out;
}

size_t PhraseAt(const std::string& s, size_t pos, size_t end,
                absl::string_view phrase) {
  size_t i = pos;
  for (const char p : phrase) {
    if (p == ' ') {
      if (i >= end || !IsSpaceByte(s[i])) return kNone;
      while (i < end && IsSpaceByte(s[i])) ++i;
      continue;
    }
    if (i >= end || s[i] != p) return kNone;
    ++i;
  }
  if (i < end && IsWordByte(s[i])) return kNone;
  return i;
}

size_t ListItemEnd(const std::string& s, size_t pos, size_t end) {
  re2::StringPiece m;
  if (pos < end &&
      ListItemRe().Match(Piece(s), pos, end, RE2::ANCHOR_START, &m, 1)) {
    return OffsetOf(s, m) + m.size();
  }
  return kNone;
}

const RE2::Options& Latin1() {
  static const RE2::Options* const options = [] {
    auto* o = new RE2::Options;
    o->set_encoding(RE2::Options::EncodingLatin1);
    return o;
  }();
  return *options;
}

re2::StringPiece Piece(const std::string& text) {
  return re2::StringPiece(text.data(), text.size());
}

size_t OffsetOf(const std::string& text, const re2::StringPiece& piece) {
  return static_cast<size_t>(piece.data() - text.data());
}

bool Matched(const re2::StringPiece& piece) { return piece.data() != nullptr; }

std::optional<int> ToInt(const re2::StringPiece& piece) {
  int value = 0;
  if (!Matched(piece) ||
      !absl::SimpleAtoi(absl::string_view(piece.data(), piece.size()),
                        &value)) {
    return std::nullopt;
  }
  return value;
}

}  // namespace tiendo::plantext
