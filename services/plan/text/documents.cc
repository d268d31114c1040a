#include "services/plan/text/documents.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/text_scan.h"

namespace tiendo::plantext {
namespace {

// An issuer is a name ("Văn phòng Ban Chấp hành Trung ương" has seven
// words); a longer run is prose, cut here.
constexpr int kMaxIssuerWords = 12;
// Longer "numbers" are not document numbers.
constexpr size_t kMaxNumberLength = 48;

struct Kind {
  absl::string_view folded;
  absl::string_view name;
};

// Folded form (single spaces) -> the kind as the plans write it.
constexpr Kind kKinds[] = {
    {"quyet dinh", "Quyết định"},
    {"chi thi", "Chỉ thị"},
    {"cong van", "Công văn"},
    {"cong dien", "Công điện"},
    {"thong tu lien tich", "Thông tư liên tịch"},
    {"thong tu", "Thông tư"},
    {"thong bao", "Thông báo"},
    {"thong tri", "Thông tri"},
    {"ke hoach", "Kế hoạch"},
    {"nghi quyet lien tich", "Nghị quyết liên tịch"},
    {"nghi quyet", "Nghị quyết"},
    {"nghi dinh", "Nghị định"},
    {"huong dan", "Hướng dẫn"},
    {"luat", "Luật"},
    {"phap lenh", "Pháp lệnh"},
    {"ket luan", "Kết luận"},
    {"quy dinh", "Quy định"},
    {"bao cao", "Báo cáo"},
    {"to trinh", "Tờ trình"},
    {"chuong trinh", "Chương trình"},
};

// The longer kinds come first so "Thông tư liên tịch" is not read as
// "Thông tư".
const RE2& KindRe() {
  static const RE2* const re = new RE2(
      "\\b(quyet\\s+dinh|chi\\s+thi|cong\\s+van|cong\\s+dien|"
      "thong\\s+tu\\s+lien\\s+tich|thong\\s+tu|thong\\s+bao|thong\\s+tri|"
      "ke\\s+hoach|nghi\\s+quyet\\s+lien\\s+tich|nghi\\s+quyet|"
      "nghi\\s+dinh|huong\\s+dan|luat|phap\\s+lenh|ket\\s+luan|"
      "quy\\s+dinh|bao\\s+cao|to\\s+trinh|chuong\\s+trinh)\\b",
      Latin1());
  return *re;
}

// Within a reference, \s means spaces and line breaks but not a tab: a
// tab separates table columns, and a reference never spans two cells.
std::string NoTab(absl::string_view pattern) {
  return absl::StrReplaceAll(pattern, {{"\\s", "[ \\n\\r\\f\\v]"}});
}

// After the kind: "số 06/QĐ-TTg", "số: 06/QĐ-TTg", "số /KH-UBND" (blank
// number), or the number right away ("Quyết định 06/QĐ-TTg").
const RE2& NumberRe() {
  static const RE2* const re = new RE2(
      NoTab("\\s+(?:(so)\\s*[:.]?\\s*)?([0-9/][0-9a-z/._-]*)"), Latin1());
  return *re;
}

// "Luật Căn cước số 26/2023/QH15": a law's name sits between kind and
// number.
const RE2& LawNumberRe() {
  static const RE2* const re = new RE2(
      NoTab("\\s+(?:[a-z]+\\s+){1,8}?(so)\\s*[:.]?\\s*([0-9/][0-9a-z/._-]*)"),
      Latin1());
  return *re;
}

// The rest of a number cut by a line break or stray spaces after its '-'
// or '/': "1698/BNV-  TTCNTT", "57-\nNQ/TW".
const RE2& ContinuationRe() {
  static const RE2* const re =
      new RE2(NoTab("\\s+([0-9a-z][0-9a-z/._-]*)"), Latin1());
  return *re;
}

// "ngày 06/01/2022", "ngày 6-1-2022", "ngày 6.1.2022", "ngày 25 tháng 5
// năm 2026"; anything else of digits and separators ("ngày /5/2026", a
// blank day) is consumed without a date.
const RE2& DateRe() {
  static const RE2* const re =
      new RE2(NoTab("\\s*,?\\s*ngay\\b\\s*(?:"
                    "(\\d{1,2})\\s*[/.-]\\s*(\\d{1,2})\\s*[/.-]\\s*(\\d{4})\\b"
                    "|(\\d{1,2})\\s+thang\\s+(\\d{1,2})\\s+nam\\s+(\\d{4})\\b"
                    "|[0-9/.-]*)"),
              Latin1());
  return *re;
}

const RE2& OfRe() {
  static const RE2* const re = new RE2(NoTab("\\s*cua\\b\\s*"), Latin1());
  return *re;
}

// Words that end an issuer when written in lower case: what follows the
// issuer's name in a sentence ("của Thủ tướng Chính phủ phê duyệt ...",
// "của Văn phòng Chính phủ về kết luận ..."). Capitalised they belong to a
// name ("Bộ Tài chính", "Tổ Công tác Đề án 06").
constexpr absl::string_view kIssuerStops[] = {
    "phe duyet", "ban hanh",  "quy dinh",   "huong dan", "theo",     "tai",
    "doi voi",   "thuc hien", "trien khai", "nham",      "gui",      "cho",
    "da",        "dang",      "se",         "ngay",      "nam",      "thang",
    "trong",     "khi",       "nay",        "la",        "duoc",     "voi",
    "tren",      "sau",       "truoc",      "den",       "phoi hop", "chi dao",
    "yeu cau",   "lien quan", "bao cao",    "kem theo",  "so",       "ve viec",
    "de"};

struct Ref {
  size_t begin = 0;
  // End of number and date: where "của" may follow.
  size_t body_end = 0;
  // End of the whole reference, issuer included.
  size_t end = 0;
  absl::string_view kind;
  std::string number;
  std::optional<v1::LocalDate> date;
  size_t issuer_begin = kNone;
  size_t issuer_end = kNone;
};

class Parser {
 public:
  explicit Parser(const FoldedText& f) : f_(f), s_(f.folded) {}

  absl::StatusOr<std::vector<v1::DocumentRef>> Parse() {
    std::vector<Ref> refs;
    re2::StringPiece g[2];
    size_t pos = 0;
    while (pos < s_.size() &&
           KindRe().Match(Piece(s_), pos, s_.size(), RE2::UNANCHORED, g, 2)) {
      const size_t kind_begin = OffsetOf(s_, g[0]);
      const size_t kind_end = kind_begin + g[0].size();
      pos = std::max(kind_end, kind_begin + 1);
      Ref ref;
      ref.begin = kind_begin;
      ref.kind =
          KindName(Collapse(absl::string_view(g[1].data(), g[1].size())));
      const std::optional<size_t> number_end = ReadNumber(kind_end, ref);
      if (!number_end) continue;
      absl::StatusOr<size_t> body_end = ReadDate(*number_end, ref);
      if (!body_end.ok()) return body_end.status();
      ref.body_end = ref.end = *body_end;
      pos = *body_end;
      refs.push_back(std::move(ref));
    }

    for (size_t i = 0; i < refs.size(); ++i) {
      const size_t limit = i + 1 < refs.size() ? refs[i + 1].begin : s_.size();
      ReadIssuer(refs[i], limit);
    }

    // One "của" can close a list: in "Quyết định số 06/QĐ-TTg ngày
    // 06/01/2022, Quyết định số 422/QĐ-TTg ngày 04/4/2022 và Chỉ thị số
    // 24/CT-TTg ngày 13/9/2025 của Thủ tướng Chính phủ" every reference is
    // the Prime Minister's. A reference without its own issuer takes the
    // issuer of the next one when only commas, "và" and spaces (no line
    // break) separate them.
    std::vector<std::string> issuers(refs.size());
    for (size_t i = refs.size(); i > 0; --i) {
      Ref& ref = refs[i - 1];
      if (ref.issuer_begin != kNone) {
        issuers[i - 1] =
            Collapse(f_.Original(ref.issuer_begin, ref.issuer_end));
      } else if (i < refs.size() && Linked(ref.end, refs[i].begin)) {
        issuers[i - 1] = issuers[i];
      }
    }

    std::vector<v1::DocumentRef> out;
    out.reserve(refs.size());
    for (size_t i = 0; i < refs.size(); ++i) {
      const Ref& ref = refs[i];
      v1::DocumentRef doc;
      doc.set_kind(std::string(ref.kind));
      doc.set_number(ref.number);
      if (ref.date) *doc.mutable_date() = *ref.date;
      doc.set_issuer(issuers[i]);
      doc.set_text(Collapse(f_.Original(ref.begin, ref.end)));
      out.push_back(std::move(doc));
    }
    return out;
  }

 private:
  static absl::string_view KindName(const std::string& folded) {
    for (const Kind& kind : kKinds) {
      if (kind.folded == folded) return kind.name;
    }
    return {};
  }

  // Reads the number after the kind. Nullopt when none follows, so the kind
  // word is prose ("Ban hành Kế hoạch trong tháng 5/2026").
  std::optional<size_t> ReadNumber(size_t pos, Ref& ref) const {
    re2::StringPiece g[3];
    bool ok =
        NumberRe().Match(Piece(s_), pos, s_.size(), RE2::ANCHOR_START, g, 3);
    if (!ok && ref.kind == "Luật") {
      ok = LawNumberRe().Match(Piece(s_), pos, s_.size(), RE2::ANCHOR_START, g,
                               3);
    }
    if (!ok) return std::nullopt;
    const bool with_so = Matched(g[1]);
    size_t begin = OffsetOf(s_, g[2]);
    size_t end = begin + g[2].size();
    // A sentence may end right after the number.
    while (end > begin && (s_[end - 1] == '.' || s_[end - 1] == '_')) --end;
    if (end <= begin || end - begin > kMaxNumberLength) return std::nullopt;
    const absl::string_view token(s_.data() + begin, end - begin);
    const bool has_letter = std::any_of(token.begin(), token.end(), [](char c) {
      return absl::ascii_isalpha(static_cast<unsigned char>(c));
    });
    const bool has_digit = std::any_of(token.begin(), token.end(), [](char c) {
      return absl::ascii_isdigit(static_cast<unsigned char>(c));
    });
    const bool has_separator =
        token.find_first_of("/-") != absl::string_view::npos;
    // Document numbers carry a symbol: "06/QĐ-TTg", "57-NQ/TW", even when
    // the digits are blank ("/KH-UBND"). Without "số", only a full number
    // with digits, letters and a '/' is trusted ("Kế hoạch 1965/KH-UBND";
    // "tháng 5/2026" is a date, not a number).
    if (with_so) {
      if (!has_separator || (!has_letter && !has_digit)) return std::nullopt;
    } else if (!(has_digit && has_letter &&
                 token.find('/') != absl::string_view::npos &&
                 absl::ascii_isdigit(static_cast<unsigned char>(token[0])))) {
      return std::nullopt;
    }
    std::string number(f_.Original(begin, end));
    // Join a number cut after its '-' or '/'. The rest starts with a
    // capital or a digit ("TTCNTT", "NQ/TW"), never a word of the sentence
    // ("ngày") or a new reference.
    for (int joins = 0; joins < 2 && (s_[end - 1] == '-' || s_[end - 1] == '/');
         ++joins) {
      re2::StringPiece c[2];
      if (!ContinuationRe().Match(Piece(s_), end, s_.size(), RE2::ANCHOR_START,
                                  c, 2)) {
        break;
      }
      const size_t rest_begin = OffsetOf(s_, c[1]);
      size_t rest_end = rest_begin + c[1].size();
      while (rest_end > rest_begin && s_[rest_end - 1] == '.') --rest_end;
      if (rest_end <= rest_begin) break;
      const UChar32 first = OriginalCodePoint(f_, rest_begin);
      if (!(u_isupper(first) || u_isdigit(first))) break;
      if (KindRe().Match(Piece(s_), rest_begin, s_.size(), RE2::ANCHOR_START,
                         nullptr, 0)) {
        break;
      }
      if (PhraseAt(s_, rest_begin, rest_end, "ngay") != kNone ||
          PhraseAt(s_, rest_begin, rest_end, "cua") != kNone) {
        break;
      }
      if (number.size() + (rest_end - rest_begin) > 2 * kMaxNumberLength) {
        break;
      }
      const absl::string_view rest = f_.Original(rest_begin, rest_end);
      number.append(rest.data(), rest.size());
      end = rest_end;
    }
    ref.number = std::move(number);
    return end;
  }

  // Reads "ngày ..." after the number; returns where the reference body
  // ends. An impossible date is an error.
  absl::StatusOr<size_t> ReadDate(size_t pos, Ref& ref) const {
    re2::StringPiece g[7];
    if (!DateRe().Match(Piece(s_), pos, s_.size(), RE2::ANCHOR_START, g, 7)) {
      return pos;
    }
    const size_t begin = OffsetOf(s_, g[0]);
    const size_t end = begin + g[0].size();
    std::optional<int> day;
    std::optional<int> month;
    std::optional<int> year;
    size_t written_begin = 0;
    size_t written_end = 0;
    if (Matched(g[1])) {
      day = ToInt(g[1]);
      month = ToInt(g[2]);
      year = ToInt(g[3]);
      written_begin = OffsetOf(s_, g[1]);
      written_end = OffsetOf(s_, g[3]) + g[3].size();
    } else if (Matched(g[4])) {
      day = ToInt(g[4]);
      month = ToInt(g[5]);
      year = ToInt(g[6]);
      written_begin = OffsetOf(s_, g[4]);
      written_end = OffsetOf(s_, g[6]) + g[6].size();
    } else {
      // "ngày /5/2026": the plan left the day blank.
      size_t e = end;
      while (e > pos && IsSpaceByte(s_[e - 1])) --e;
      return e;
    }
    // A number too long for an int is no date; the reference ends before.
    if (!day || !month || !year) return pos;
    absl::StatusOr<v1::LocalDate> date = MakeDate(
        *year, *month, *day, Collapse(f_.Original(written_begin, written_end)));
    if (!date.ok()) return date.status();
    ref.date = *date;
    return end;
  }

  // Reads "của <issuer>" after the body, up to `limit` (the next
  // reference). The issuer ends at punctuation, a line break, a lower-case
  // stop word or after kMaxIssuerWords words.
  void ReadIssuer(Ref& ref, size_t limit) const {
    re2::StringPiece m;
    if (ref.body_end >= limit || !OfRe().Match(Piece(s_), ref.body_end, limit,
                                               RE2::ANCHOR_START, &m, 1)) {
      return;
    }
    size_t i = OffsetOf(s_, m) + m.size();
    const size_t begin = i;
    size_t last = kNone;
    int words = 0;
    while (i < limit) {
      const char c = s_[i];
      if (c == '\n' || c == '\t') break;
      if (IsSpaceByte(c)) {
        ++i;
        continue;
      }
      if (absl::string_view(",;:.()\"!?[]{}").find(c) !=
          absl::string_view::npos) {
        break;
      }
      if (StopsIssuer(i, limit)) break;
      size_t w = i;
      while (w < limit && !IsSpaceByte(s_[w]) &&
             absl::string_view(",;:.()\"!?[]{}").find(s_[w]) ==
                 absl::string_view::npos) {
        ++w;
      }
      if (++words > kMaxIssuerWords) break;
      last = w;
      i = w;
    }
    if (last == kNone) return;
    size_t end = last;
    // "xã hội -" left by a cut: a trailing dash is no part of the name.
    while (end > begin && (s_[end - 1] == '-' || IsSpaceByte(s_[end - 1]))) {
      --end;
    }
    if (end <= begin) return;
    ref.issuer_begin = begin;
    ref.issuer_end = end;
    ref.end = end;
  }

  bool StopsIssuer(size_t pos, size_t limit) const {
    if (!u_islower(OriginalCodePoint(f_, pos))) return false;
    // "về" ends the name ("về việc", "về kết luận") except in the police
    // department names "... quản lý hành chính về trật tự xã hội".
    if (const size_t after = PhraseAt(s_, pos, limit, "ve"); after != kNone) {
      size_t k = after;
      while (k < limit && IsSpaceByte(s_[k])) ++k;
      return PhraseAt(s_, k, limit, "trat tu") == kNone;
    }
    // "và" joins two names ("Bộ Khoa học và Công nghệ") but ends one before
    // lower case ("của UBND tỉnh và các sở").
    if (const size_t after = PhraseAt(s_, pos, limit, "va"); after != kNone) {
      size_t k = after;
      while (k < limit && s_[k] == ' ') ++k;
      return k >= limit || !u_isupper(OriginalCodePoint(f_, k));
    }
    for (const absl::string_view stop : kIssuerStops) {
      if (PhraseAt(s_, pos, limit, stop) == kNone) continue;
      // "đề án" is the project, part of "Tổ Công tác đề án 06".
      if (stop == "de" && PhraseAt(s_, pos, limit, "de an") != kNone) {
        continue;
      }
      return true;
    }
    return false;
  }

  // Only spaces (no line break), commas and "và" between two references.
  bool Linked(size_t from, size_t to) const {
    size_t i = from;
    while (i < to) {
      const char c = s_[i];
      if (c == '\n' || c == '\t') return false;
      if (IsSpaceByte(c) || c == ',') {
        ++i;
        continue;
      }
      const size_t after = PhraseAt(s_, i, to, "va");
      if (after == kNone) return false;
      i = after;
    }
    return true;
  }

  const FoldedText& f_;
  const std::string& s_;
};

}  // namespace

absl::StatusOr<std::vector<v1::DocumentRef>> ParseDocuments(
    absl::string_view text) {
  FoldedText folded = Fold(StripMarkup(text));
  JoinWrappedLines(folded);
  return Parser(folded).Parse();
}

}  // namespace tiendo::plantext
