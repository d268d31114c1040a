#include "services/plan/text/timeframe.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "re2/re2.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/text_scan.h"

namespace tiendo::plantext {
namespace {

using re2::RE2;
using re2::StringPiece;

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;

// What a matched expression means. Modifiers (kFrom, kUntil) only change
// the role of the time point right after them and mean nothing alone.
enum class Kind {
  kPoint,         // a day, month, quarter, half year or year
  kYearOnward,    // "năm 2026 và các năm tiếp theo"
  kOngoing,       // "thường xuyên", "duy trì", "liên tục"
  kRecurrence,    // "hằng quý", "trước ngày 12 hằng tháng"
  kDayOfPeriod,   // "(trước ngày 10)" next to a recurrence
  kPeriodicBare,  // "định kỳ" with no period
  kTrigger,       // "khi có ...", "theo chỉ đạo ...", "bám sát ..."
  kUnknown,       // a time expression that cannot be pinned down
  kEventEnd,      // "đến khi ...": ongoing until an event
  kFrom,          // "từ"
  kUntil,         // "đến (hết)", "dự kiến đến hết"
  kQualifier,     // "đầu", "cuối", "tuần đầu" before a period
};

// The part of a month, quarter or year a qualifier names: "đầu năm 2027"
// is its start, "giữa tháng 8" its middle, "cuối quý I" its end.
enum class Part { kWhole, kEarly, kMiddle, kLate };

// How a time point is used: as a deadline, as the start of ongoing work
// ("từ ...") or as its end ("đến hết ...").
enum class Role { kDue, kStart, kEnd };

struct Hit {
  Kind kind = Kind::kUnknown;
  // Byte range in the normalised text.
  size_t begin = 0;
  size_t end = 0;
  // kPoint, kYearOnward: the first and last day of the period named.
  v1::LocalDate first;
  v1::LocalDate last;
  // kRecurrence.
  v1::Period period = v1::PERIOD_UNSPECIFIED;
  // kRecurrence, kDayOfPeriod: "trước ngày 12" -> 12.
  int day = 0;
  // kUntil, then the point it applies to: "dự kiến đến hết ...".
  bool expected = false;
  Role role = Role::kDue;
  // kUnknown: "sau khi ...", a condition that holds its whole sentence.
  bool conditional = false;
  // kQualifier, then the point it applies to.
  Part part = Part::kWhole;
  // kQualifier: where the word of its period ("năm", "tháng", "quý") ends.
  size_t period_end = 0;
  // kQualifier: "cuối năm" with nothing after it, which takes the plan year.
  bool plan_year_end = false;
};

enum class PatternId {
  kYearOnward,
  kRecurrenceDay,
  kRecurrenceHalf,
  kRecurrenceQuarterCount,
  kRecurrenceYearCount,
  kRecurrenceNamed,
  kPeriodicBare,
  kHalf,
  kQualifier,
  kDateNumeric,
  kDateWords,
  kDateShortYear,
  kDayMonthNumeric,
  kDayMonthWords,
  kMonth,
  kMonthNoYear,
  kMonthShortYear,
  kQuarter,
  kQuarterNoYear,
  kQuarterShortYear,
  kYear,
  kThisYear,
  kTriggerAfter,
  kConditional,
  kEventEnd,
  kTriggerWhen,
  kTriggerBy,
  kTriggerOther,
  kOngoing,
  kFrom,
  kUntil,
  kDayOfPeriod,
};

struct PatternSpec {
  PatternId id;
  const char* regex;
};

// Tried in this order at every word start of the folded text, whose
// whitespace runs are single spaces; the first that matches (and whose
// boundary check passes) wins, so longer forms come before their prefixes.
constexpr PatternSpec kPatternSpecs[] = {
    {PatternId::kYearOnward,
     R"(nam (\d{4}) va (?:cac|nhung) nam (?:tiep theo|ke tiep|tiep|sau)\b)"},
    {PatternId::kRecurrenceDay,
     R"((?:dinh ky )?(?:truoc |vao )?ngay (\d{1,2}) (?:hang|moi) thang\b)"},
    {PatternId::kRecurrenceHalf,
     R"((?:dinh ky (?:6|sau) thang(?: (?:mot|1) lan)?|(?:6|sau) thang (?:mot|1) lan)\b)"},
    {PatternId::kRecurrenceQuarterCount,
     R"((?:dinh ky (?:3|ba) thang(?: (?:mot|1) lan)?|(?:3|ba) thang (?:mot|1) lan)\b)"},
    {PatternId::kRecurrenceYearCount,
     R"((?:dinh ky (?:12|muoi hai) thang|(?:mot|1) nam (?:mot|1) lan)\b)"},
    {PatternId::kRecurrenceNamed,
     R"((?:dinh ky (?:hang |moi )?|hang |moi )(thang|quy|nam|tuan|ngay)\b)"},
    {PatternId::kPeriodicBare, R"(dinh ky\b)"},
    {PatternId::kHalf,
     R"((?:(?:6|sau) thang|nua) (dau|cuoi) nam(?: (\d{4}))?\b)"},
    // Only the qualifier: the month, quarter or year after it is matched on
    // its own and then narrowed.
    {PatternId::kQualifier,
     R"((?:(tuan|nua|(?:nhung |cac )?ngay) )?(dau|giua|cuoi) )"
     R"((nam|thang|qu[yi])\b|(thuong|trung|ha) tuan (thang)\b)"},
    {PatternId::kDateNumeric,
     R"((?:ngay )?(\d{1,2}) ?[/.-] ?(\d{1,2}) ?[/.-] ?(\d{4}))"},
    {PatternId::kDateWords,
     R"((?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4}))"},
    // "15/08/26": a year that is not four digits is not guessed, and the
    // "08/26" in it is not a day and month either. As without a year, "-"
    // and "." only count after "ngày".
    {PatternId::kDateShortYear,
     R"(ngay \d{1,2} ?[/.-] ?\d{1,2} ?[/.-] ?\d{1,3})"
     R"(|\d{1,2} ?/ ?\d{1,2} ?/ ?\d{1,3})"},
    // Without a year, "-" and "." only count after "ngày": "2-3 đợt" is
    // not 2 March.
    {PatternId::kDayMonthNumeric,
     R"(ngay (\d{1,2}) ?[/.-] ?(\d{1,2})|(\d{1,2}) ?/ ?(\d{1,2}))"},
    {PatternId::kDayMonthWords, R"(ngay (\d{1,2}) thang (\d{1,2}))"},
    {PatternId::kMonth, R"(thang (\d{1,2})(?: ?[/.-] ?|,? nam )(\d{4}))"},
    {PatternId::kMonthNoYear, R"(thang (\d{1,2}))"},
    // "tháng 5/26": a year that is not four digits is not guessed, and the
    // "5/26" in it is not a day and month either.
    {PatternId::kMonthShortYear, R"(thang \d{1,2} ?[/.-] ?\d+)"},
    {PatternId::kQuarter,
     R"(qu[yi] ([ivx]{1,6}|\d{1,2})(?: ?[/.-] ?|,? nam )(\d{4}))"},
    {PatternId::kQuarterNoYear, R"(qu[yi] ([ivx]{1,6}|\d{1,2}))"},
    {PatternId::kQuarterShortYear,
     R"(qu[yi] (?:[ivx]{1,6}|\d{1,2}) ?[/.-] ?\d+)"},
    {PatternId::kYear, R"(nam (\d{4}))"},
    {PatternId::kThisYear, R"(trong nam\b)"},
    {PatternId::kTriggerAfter,
     R"((?:ngay )?sau khi (?:co|nhan duoc|duoc) (?:chi dao|yeu cau|huong dan|thong bao|van ban|de nghi)\b)"},
    {PatternId::kConditional, R"((?:sau|truoc) khi\b)"},
    {PatternId::kEventEnd, R"((?:cho )?(?:den|toi) khi\b)"},
    {PatternId::kTriggerWhen, R"((?:ngay )?khi\b)"},
    {PatternId::kTriggerBy,
     R"(theo (?:chi dao|yeu cau|de nghi|huong dan|thong bao|thoi han|lo trinh|tien do)\b)"},
    {PatternId::kTriggerOther, R"((?:bam sat|dot xuat)\b)"},
    {PatternId::kOngoing,
     R"((?:thuong xuyen|lien tuc|duy tri|tu nay|tu bay gio)\b)"},
    {PatternId::kFrom, R"((?:bat dau |ke )?tu\b)"},
    {PatternId::kUntil, R"((du kien )?(?:den het|toi het|den|toi)\b)"},
    {PatternId::kDayOfPeriod, R"((?:truoc |vao )?ngay (\d{1,2}))"},
};

constexpr size_t kPatternCount = std::size(kPatternSpecs);

struct Patterns {
  std::vector<std::unique_ptr<RE2>> each;
  // All patterns as one alternation: one cheap anchored test per word start
  // before trying them one by one.
  std::unique_ptr<RE2> any;
  // Words that speak of time. A clause holding them but no understood
  // expression is reported as not understood instead of being taken for a
  // description of the work.
  std::unique_ptr<RE2> time_words;
};

const Patterns& GetPatterns() {
  static const Patterns* const patterns = [] {
    auto* built = new Patterns;
    std::vector<std::string> alternatives;
    for (const PatternSpec& spec : kPatternSpecs) {
      built->each.push_back(std::make_unique<RE2>(spec.regex, Latin1()));
      alternatives.push_back(absl::StrCat("(?:", spec.regex, ")"));
    }
    built->any =
        std::make_unique<RE2>(absl::StrJoin(alternatives, "|"), Latin1());
    built->time_words = std::make_unique<RE2>(
        R"(\b(?:khi|sau|truoc|tuy|du kien|dinh ky|thoi han|han chot|dung han)"
        R"(|lo trinh|giai doan|ngay|thang|tuan|cham nhat|som nhat|kip thoi)"
        R"(|dot xuat|cuoi|giua|tiep theo|lien tuc|thuong xuyen|den het)"
        R"(|hien nay|qu[yi] (?:[ivx]+|\d+)|nam \d+)\b)"
        R"(|\d ?[/.-] ?\d|\b\d{4}\b|\b\d+ (?:ngay|thang|nam|tuan|quy)\b)",
        Latin1());
    return built;
  }();
  return *patterns;
}

// The input three ways: as written (NFC), folded, and folded with every
// whitespace run made one space (one '\n' when it holds a line break), so
// that patterns can use single literal spaces.
struct Document {
  FoldedText folded;
  std::string text;
  // For each byte of `text`, its offset in folded.folded; one extra entry.
  std::vector<size_t> folded_at;

  explicit Document(absl::string_view input) : folded(Fold(input)) {
    const std::string& source = folded.folded;
    text.reserve(source.size());
    folded_at.reserve(source.size() + 1);
    for (size_t i = 0; i < source.size(); ++i) {
      char c = source[i];
      if (c == '\r' || c == '\n' || c == '\v' || c == '\f') {
        c = '\n';
      } else if (c == '\t') {
        c = ' ';
      }
      if ((c == ' ' || c == '\n') && !text.empty() &&
          (text.back() == ' ' || text.back() == '\n')) {
        if (c == '\n') text.back() = '\n';
        continue;
      }
      text.push_back(c);
      folded_at.push_back(i);
    }
    folded_at.push_back(source.size());
  }

  // The text as written behind text[begin, end).
  std::string Original(size_t begin, size_t end) const {
    if (begin >= end || end > text.size()) return "";
    return std::string(
        folded.Original(folded_at[begin], folded_at[end - 1] + 1));
  }

  // True when the word at `at` is written capitalised ("Triển", not
  // "UBND"): after a date, it starts a new statement even with no
  // punctuation, as when a table cell's lines were joined.
  bool CapitalisedWordAt(size_t at) const {
    if (at >= text.size()) return false;
    const std::string& original = folded.original;
    if (original.size() >
        static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return false;
    }
    const auto* bytes = reinterpret_cast<const uint8_t*>(original.data());
    const auto length = static_cast<int32_t>(original.size());
    auto i = static_cast<int32_t>(folded.origin[folded_at[at]]);
    UChar32 first = 0;
    U8_NEXT(bytes, i, length, first);
    if (first < 0 || !u_isupper(first) || i >= length) return false;
    UChar32 second = 0;
    U8_NEXT(bytes, i, length, second);
    return second >= 0 && u_islower(second);
  }
};

// Reads forward from `at` over an optional space: true when a date
// separator and a digit follow ("10/5" followed by "/2026").
bool SeparatorAndDigitFollow(const std::string& text, size_t at, size_t end) {
  if (at < end && text[at] == ' ') ++at;
  if (at >= end || (text[at] != '/' && text[at] != '.' && text[at] != '-')) {
    return false;
  }
  ++at;
  if (at < end && text[at] == ' ') ++at;
  return at < end && IsDigitByte(text[at]);
}

bool TextAt(const std::string& text, size_t at, size_t end,
            absl::string_view what) {
  return at <= end && end - at >= what.size() &&
         absl::string_view(text).substr(at, what.size()) == what;
}

v1::LocalDate FirstOfMonth(int year, int month) {
  v1::LocalDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(1);
  return date;
}

bool YearInRange(int year) { return year >= kMinYear && year <= kMaxYear; }

class SentenceScanner {
 public:
  SentenceScanner(const Document& document, size_t begin, size_t end,
                  int plan_year)
      : document_(document),
        text_(document.text),
        begin_(begin),
        end_(end),
        plan_year_(plan_year) {}

  absl::StatusOr<std::vector<Hit>> Scan() {
    const Patterns& patterns = GetPatterns();
    const StringPiece text(text_.data(), text_.size());
    std::vector<Hit> hits;
    StringPiece groups[6];
    for (size_t at = begin_; at < end_;) {
      const bool word_start =
          IsWordByte(text_[at]) && (at == begin_ || !IsWordByte(text_[at - 1]));
      if (!word_start ||
          !patterns.any->Match(text, at, end_, RE2::ANCHOR_START, nullptr, 0)) {
        ++at;
        continue;
      }
      bool found = false;
      for (size_t p = 0; p < kPatternCount && !found; ++p) {
        const RE2& re = *patterns.each[p];
        const int count = std::min(re.NumberOfCapturingGroups() + 1,
                                   static_cast<int>(std::size(groups)));
        for (StringPiece& group : groups) group = StringPiece();
        if (!re.Match(text, at, end_, RE2::ANCHOR_START, groups, count)) {
          continue;
        }
        Hit hit;
        hit.begin = at;
        hit.end = at + groups[0].size();
        absl::StatusOr<bool> built = Build(kPatternSpecs[p].id, groups, hit);
        if (!built.ok()) return built.status();
        if (!*built) continue;
        hits.push_back(std::move(hit));
        found = true;
      }
      at = found ? hits.back().end : at + 1;
    }
    return ApplyQualifiers(std::move(hits));
  }

 private:
  // Narrows the month, quarter or year right after each qualifier to the
  // part it names. What the qualifier cannot be narrowed to exactly becomes
  // not understood; whether an early or late part fits depends on the role
  // the point takes later.
  std::vector<Hit> ApplyQualifiers(std::vector<Hit> hits) const {
    std::vector<Hit> applied;
    applied.reserve(hits.size());
    for (size_t i = 0; i < hits.size(); ++i) {
      Hit& hit = hits[i];
      if (hit.kind != Kind::kQualifier) {
        applied.push_back(std::move(hit));
        continue;
      }
      if (i + 1 < hits.size() && hits[i + 1].begin == hit.end) {
        Hit next = std::move(hits[++i]);
        next.begin = hit.begin;
        if (next.kind == Kind::kPoint && hit.part != Part::kMiddle) {
          next.part = hit.part;
        } else if (!(next.kind == Kind::kYearOnward &&
                     hit.part == Part::kEarly)) {
          // "giữa tháng 8/2026" has no exact date; "cuối năm 2026 và các
          // năm tiếp theo" starts at no exact date.
          SetUnknown(next);
        }
        applied.push_back(std::move(next));
        continue;
      }
      hit.end = hit.period_end;
      if (hit.plan_year_end && YearInRange(plan_year_)) {
        // "Cuối năm", like "trong năm", is the plan year's.
        SetPoint(hit, FirstOfMonth(plan_year_, 1), YearEnd(plan_year_));
      } else {
        // "Đầu năm", "cuối tháng" with no month named.
        SetUnknown(hit);
      }
      applied.push_back(std::move(hit));
    }
    return applied;
  }

  size_t Offset(StringPiece group) const {
    return static_cast<size_t>(group.data() - text_.data());
  }

  bool WordContinuesAt(size_t at) const {
    return at < end_ && IsWordByte(text_[at]);
  }

  bool DigitAt(size_t at) const { return at < end_ && IsDigitByte(text_[at]); }

  // The text as written from the first to the last group, for messages.
  std::string Written(StringPiece first, StringPiece last) const {
    return document_.Original(Offset(first), Offset(last) + last.size());
  }

  static void SetPoint(Hit& hit, v1::LocalDate first, v1::LocalDate last) {
    hit.kind = Kind::kPoint;
    hit.first = std::move(first);
    hit.last = std::move(last);
  }

  static void SetUnknown(Hit& hit) { hit.kind = Kind::kUnknown; }

  // Fills `hit` with a day; a missing number or year 0 ("0000") is a day
  // that cannot be pinned down.
  absl::StatusOr<bool> SetDay(Hit& hit, std::optional<int> year,
                              std::optional<int> month, std::optional<int> day,
                              StringPiece first, StringPiece last) const {
    if (!year || !month || !day || *year == 0) {
      SetUnknown(hit);
      return true;
    }
    absl::StatusOr<v1::LocalDate> date =
        MakeDate(*year, *month, *day, Written(first, last));
    if (!date.ok()) return date.status();
    hit.kind = Kind::kPoint;
    hit.first = *date;
    hit.last = *date;
    return true;
  }

  static void SetRecurrence(Hit& hit, v1::Period period, int day) {
    hit.kind = Kind::kRecurrence;
    hit.period = period;
    hit.day = day;
  }

  static bool IsDayOfMonth(std::optional<int> day) {
    return day && *day >= 1 && *day <= 31;
  }

  static bool IsYear(std::optional<int> year) {
    return year && YearInRange(*year);
  }

  // Fills `hit` from the groups of pattern `id`; false when the match is
  // only the start of something longer ("10/5" of "10/5/20266").
  absl::StatusOr<bool> Build(PatternId id, const StringPiece* g, Hit& hit) {
    switch (id) {
      case PatternId::kYearOnward:
        return BuildYearOnward(g, hit);
      case PatternId::kRecurrenceDay:
        return BuildRecurrenceDay(g, hit);
      case PatternId::kRecurrenceHalf:
        SetRecurrence(hit, v1::PERIOD_HALF_YEAR, 0);
        return true;
      case PatternId::kRecurrenceQuarterCount:
        SetRecurrence(hit, v1::PERIOD_QUARTER, 0);
        return true;
      case PatternId::kRecurrenceYearCount:
        SetRecurrence(hit, v1::PERIOD_YEAR, 0);
        return true;
      case PatternId::kRecurrenceNamed:
        return BuildRecurrenceNamed(g, hit);
      case PatternId::kHalf:
        return BuildHalf(g, hit);
      case PatternId::kQualifier:
        return BuildQualifier(g, hit);
      case PatternId::kDateShortYear:
        return BuildDateShortYear(hit);
      case PatternId::kDateNumeric:
      case PatternId::kDateWords:
        if (DigitAt(hit.end)) return false;
        return SetDay(hit, ToInt(g[3]), ToInt(g[2]), ToInt(g[1]), g[1], g[3]);
      case PatternId::kDayMonthNumeric:
        return BuildDayMonthNumeric(g, hit);
      case PatternId::kDayMonthWords:
        if (DigitAt(hit.end) || TextAt(text_, hit.end, end_, " nam")) {
          return false;
        }
        return SetDay(hit, plan_year_, ToInt(g[2]), ToInt(g[1]), g[1], g[2]);
      case PatternId::kMonth:
      case PatternId::kMonthNoYear:
        return BuildMonth(id == PatternId::kMonth, g, hit);
      case PatternId::kQuarter:
      case PatternId::kQuarterNoYear:
        return BuildQuarter(id == PatternId::kQuarter, g, hit);
      case PatternId::kYear:
        return BuildYear(g, hit);
      case PatternId::kThisYear:
        return BuildThisYear(hit);
      case PatternId::kDayOfPeriod:
        return BuildDayOfPeriod(g, hit);
      default:
        return BuildMarker(id, g, hit);
    }
  }

  // The patterns that only mark a kind of expression, with no number.
  static bool BuildMarker(PatternId id, const StringPiece* g, Hit& hit) {
    switch (id) {
      case PatternId::kPeriodicBare:
        hit.kind = Kind::kPeriodicBare;
        return true;
      case PatternId::kTriggerAfter:
      case PatternId::kTriggerWhen:
      case PatternId::kTriggerBy:
      case PatternId::kTriggerOther:
        hit.kind = Kind::kTrigger;
        return true;
      case PatternId::kMonthShortYear:
      case PatternId::kQuarterShortYear:
        SetUnknown(hit);
        return true;
      case PatternId::kConditional:
        SetUnknown(hit);
        hit.conditional = true;
        return true;
      case PatternId::kEventEnd:
        hit.kind = Kind::kEventEnd;
        return true;
      case PatternId::kOngoing:
        hit.kind = Kind::kOngoing;
        return true;
      case PatternId::kFrom:
        hit.kind = Kind::kFrom;
        return true;
      case PatternId::kUntil:
        hit.kind = Kind::kUntil;
        hit.expected = Matched(g[1]);
        return true;
      default:
        return false;
    }
  }

  static bool BuildYearOnward(const StringPiece* g, Hit& hit) {
    const std::optional<int> year = ToInt(g[1]);
    if (!IsYear(year)) {
      SetUnknown(hit);
      return true;
    }
    hit.kind = Kind::kYearOnward;
    hit.first = FirstOfMonth(*year, 1);
    return true;
  }

  static bool BuildRecurrenceDay(const StringPiece* g, Hit& hit) {
    const std::optional<int> day = ToInt(g[1]);
    if (!IsDayOfMonth(day)) {
      SetUnknown(hit);
      return true;
    }
    SetRecurrence(hit, v1::PERIOD_MONTH, *day);
    return true;
  }

  static bool BuildRecurrenceNamed(const StringPiece* g, Hit& hit) {
    const absl::string_view unit(g[1].data(), g[1].size());
    if (unit == "thang") {
      SetRecurrence(hit, v1::PERIOD_MONTH, 0);
    } else if (unit == "quy") {
      SetRecurrence(hit, v1::PERIOD_QUARTER, 0);
    } else if (unit == "nam") {
      SetRecurrence(hit, v1::PERIOD_YEAR, 0);
    } else if (unit == "ngay") {
      // Daily work is work that goes on.
      hit.kind = Kind::kOngoing;
    } else {
      // Weekly: no such period in the schedule.
      SetUnknown(hit);
    }
    return true;
  }

  bool BuildHalf(const StringPiece* g, Hit& hit) const {
    const size_t after = hit.end;
    std::optional<int> year = plan_year_;
    if (Matched(g[2])) {
      year = ToInt(g[2]);
    } else if (after + 1 < end_ && text_[after] == ' ' && DigitAt(after + 1)) {
      return false;
    }
    if (!IsYear(year)) {
      SetUnknown(hit);
      return true;
    }
    const bool first_half =
        absl::string_view(g[1].data(), g[1].size()) == "dau";
    SetPoint(hit, FirstOfMonth(*year, first_half ? 1 : 7),
             HalfYearEnd(*year, first_half ? 1 : 2));
    return true;
  }

  static Part PartNamed(absl::string_view word) {
    if (word == "dau" || word == "thuong") return Part::kEarly;
    if (word == "giua" || word == "trung") return Part::kMiddle;
    return Part::kLate;
  }

  bool BuildQualifier(const StringPiece* g, Hit& hit) const {
    const bool weeks = !Matched(g[2]);
    const StringPiece word = weeks ? g[4] : g[2];
    const StringPiece period = weeks ? g[5] : g[3];
    hit.kind = Kind::kQualifier;
    hit.part = PartNamed(absl::string_view(word.data(), word.size()));
    hit.end = Offset(period);
    hit.period_end = hit.end + period.size();
    if (hit.part == Part::kLate &&
        absl::string_view(period.data(), period.size()) == "nam") {
      MarkPlanYearEnd(hit);
    }
    return true;
  }

  // "cuối năm", "cuối năm nay"; not "cuối năm 2026" nor "cuối năm học".
  void MarkPlanYearEnd(Hit& hit) const {
    size_t next = hit.period_end;
    if (TextAt(text_, next, end_, " nay") && !WordContinuesAt(next + 4)) {
      next += 4;
      hit.period_end = next;
    }
    if (next < end_ && text_[next] == ' ') ++next;
    hit.plan_year_end =
        next >= end_ ||
        (!IsWordByte(text_[next]) && text_[next] != '(' && text_[next] != '/' &&
         text_[next] != '-' && text_[next] != '.');
  }

  bool BuildDateShortYear(Hit& hit) const {
    if (DigitAt(hit.end) || SeparatorAndDigitFollow(text_, hit.end, end_)) {
      return false;
    }
    SetUnknown(hit);
    return true;
  }

  absl::StatusOr<bool> BuildDayMonthNumeric(const StringPiece* g,
                                            Hit& hit) const {
    if (DigitAt(hit.end) || SeparatorAndDigitFollow(text_, hit.end, end_)) {
      return false;
    }
    const StringPiece day = Matched(g[1]) ? g[1] : g[3];
    const StringPiece month = Matched(g[1]) ? g[2] : g[4];
    return SetDay(hit, plan_year_, ToInt(month), ToInt(day), day, month);
  }

  // "tháng N" with no year that names no month of the plan year: a date
  // separator follows, or a number comes before it ("6 tháng 2 lần" counts
  // months), or "lần" or "năm" follows.
  bool MonthWithoutYearContinues(const Hit& hit) const {
    const size_t after = hit.end;
    return SeparatorAndDigitFollow(text_, after, end_) ||
           (hit.begin >= begin_ + 2 && text_[hit.begin - 1] == ' ' &&
            IsDigitByte(text_[hit.begin - 2])) ||
           TextAt(text_, after, end_, " lan") ||
           TextAt(text_, after, end_, " nam ") ||
           TextAt(text_, after, end_, ", nam ");
  }

  bool BuildMonth(bool with_year, const StringPiece* g, Hit& hit) const {
    if (DigitAt(hit.end)) return false;
    std::optional<int> year = plan_year_;
    if (with_year) {
      year = ToInt(g[2]);
    } else if (MonthWithoutYearContinues(hit)) {
      return false;
    }
    const std::optional<int> month = ToInt(g[1]);
    if (!IsYear(year) || !month || *month < 1 || *month > 12) {
      SetUnknown(hit);
      return true;
    }
    SetPoint(hit, FirstOfMonth(*year, *month), MonthEnd(*year, *month));
    return true;
  }

  bool BuildQuarter(bool with_year, const StringPiece* g, Hit& hit) const {
    const size_t after = hit.end;
    std::optional<int> year = plan_year_;
    if (with_year) {
      if (DigitAt(after)) return false;
      year = ToInt(g[2]);
    } else if (WordContinuesAt(after) ||
               SeparatorAndDigitFollow(text_, after, end_) ||
               TextAt(text_, after, end_, " nam ") ||
               TextAt(text_, after, end_, ", nam ")) {
      return false;
    }
    const std::optional<int> quarter =
        ParseRomanOrArabic(absl::string_view(g[1].data(), g[1].size()));
    if (!IsYear(year) || !quarter.has_value() || *quarter < 1 || *quarter > 4) {
      SetUnknown(hit);
      return true;
    }
    SetPoint(hit, QuarterStart(*year, *quarter), QuarterEnd(*year, *quarter));
    return true;
  }

  bool BuildYear(const StringPiece* g, Hit& hit) const {
    if (DigitAt(hit.end)) return false;
    const std::optional<int> year = ToInt(g[1]);
    if (!IsYear(year)) {
      SetUnknown(hit);
      return true;
    }
    SetPoint(hit, FirstOfMonth(*year, 1), YearEnd(*year));
    return true;
  }

  bool BuildThisYear(Hit& hit) const {
    const size_t after = hit.end;
    if (after + 1 < end_ && text_[after] == ' ' && DigitAt(after + 1)) {
      return false;
    }
    if (!YearInRange(plan_year_)) {
      SetUnknown(hit);
      return true;
    }
    SetPoint(hit, FirstOfMonth(plan_year_, 1), YearEnd(plan_year_));
    return true;
  }

  bool BuildDayOfPeriod(const StringPiece* g, Hit& hit) const {
    const size_t after = hit.end;
    if (DigitAt(after) || SeparatorAndDigitFollow(text_, after, end_) ||
        TextAt(text_, after, end_, " thang")) {
      return false;
    }
    const std::optional<int> day = ToInt(g[1]);
    if (!IsDayOfMonth(day)) {
      SetUnknown(hit);
      return true;
    }
    hit.kind = Kind::kDayOfPeriod;
    hit.day = *day;
    return true;
  }

  const Document& document_;
  const std::string& text_;
  const size_t begin_;
  const size_t end_;
  const int plan_year_;
};

// A piece of a sentence between commas, parentheses, " và ", " hoặc ",
// and before each trigger or capitalised statement.
struct Clause {
  // Trimmed range in the normalised text.
  size_t begin = 0;
  size_t end = 0;
  // The separator that ends it; ')' matters for triggers in parentheses.
  char closer = 0;
  // Its hits: [first_hit, last_hit).
  size_t first_hit = 0;
  size_t last_hit = 0;

  bool HasHits() const { return first_hit < last_hit; }
};

// What the whole sentence says, which decides how its parts read:
// "đến hết năm 2026" ends ongoing work in "Thường xuyên đến hết năm 2026"
// but is a deadline alone.
struct SentenceFacts {
  bool ongoing = false;
  bool has_until = false;
  bool recurrence = false;
};

bool IsTrimmable(char c) {
  switch (c) {
    case ' ':
    case '\n':
    case ',':
    case '.':
    case ';':
    case ':':
    case '!':
    case '?':
    case '-':
    case '+':
    case '*':
    case '"':
    case '\'':
      return true;
    default:
      return false;
  }
}

bool IsStatementEnd(const std::string& text, size_t at, size_t begin,
                    size_t end) {
  switch (text[at]) {
    case '\n':
    case ';':
    case '!':
    case '?':
      return true;
    case '.':
      // "1.7.2026" is a date, not two sentences.
      return !(at > begin && IsDigitByte(text[at - 1]) && at + 1 < end &&
               IsDigitByte(text[at + 1]));
    default:
      return false;
  }
}

bool IsUnderstood(const v1::Schedule& schedule) {
  return schedule.milestones_size() > 0 || schedule.has_ongoing() ||
         schedule.has_recurrence() || schedule.triggered();
}

class TimeframeParser {
 public:
  TimeframeParser(absl::string_view text, const TimeframeContext& context)
      : document_(text), context_(context) {}

  absl::StatusOr<v1::Schedule> Parse() {
    const std::string& text = document_.text;
    size_t begin = 0;
    size_t end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\n')) {
      ++begin;
    }
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\n')) {
      --end;
    }
    schedule_.set_text(document_.Original(begin, end));

    size_t start = begin;
    for (size_t at = begin; at <= end; ++at) {
      if (at < end && !IsStatementEnd(text, at, begin, end)) continue;
      size_t sentence_begin = start;
      size_t sentence_end = at;
      while (sentence_begin < sentence_end && text[sentence_begin] == ' ') {
        ++sentence_begin;
      }
      while (sentence_end > sentence_begin && text[sentence_end - 1] == ' ') {
        --sentence_end;
      }
      if (sentence_begin < sentence_end) {
        absl::Status status = ParseSentence(sentence_begin, sentence_end);
        if (!status.ok()) return status;
      }
      start = at + 1;
    }

    if (!IsUnderstood(schedule_)) {
      // Nothing says when: the description is all there is, and a person
      // has to read it.
      for (Note& note : leftovers_) not_understood_.push_back(std::move(note));
      if (not_understood_.empty() && !schedule_.text().empty()) {
        not_understood_.push_back({begin, schedule_.text()});
      }
    }
    std::stable_sort(not_understood_.begin(), not_understood_.end(),
                     [](const Note& a, const Note& b) { return a.at < b.at; });
    for (Note& note : not_understood_) {
      schedule_.add_not_understood(std::move(note.text));
    }
    if (!triggers_.empty()) {
      schedule_.set_trigger(absl::StrJoin(triggers_, "; "));
    }
    return std::move(schedule_);
  }

 private:
  struct Note {
    size_t at = 0;
    std::string text;
  };

  // One sentence once scanned: its hits, what it says as a whole, its
  // clauses.
  struct Sentence {
    size_t begin = 0;
    size_t end = 0;
    std::vector<Hit> hits;
    SentenceFacts facts;
    std::vector<Clause> clauses;
    // depth[i]: parentheses open before text[begin + i].
    std::vector<int> depth;
  };

  absl::Status ParseSentence(size_t begin, size_t end) {
    SentenceScanner scanner(document_, begin, end, context_.plan_year);
    absl::StatusOr<std::vector<Hit>> scanned = scanner.Scan();
    if (!scanned.ok()) return scanned.status();
    std::vector<Hit> hits = ApplyModifiers(*std::move(scanned));
    FitParts(hits);
    if (std::any_of(hits.begin(), hits.end(),
                    [](const Hit& hit) { return hit.conditional; })) {
      // "Sau khi có kết quả rà soát, trong tháng 5/2026": the month only
      // counts once the condition is met, so nothing of it is taken.
      Flag(begin, end, end);
      return absl::OkStatus();
    }
    Sentence sentence;
    sentence.begin = begin;
    sentence.end = end;
    sentence.facts = FactsOf(hits);
    sentence.clauses = SplitClauses(begin, end, hits);
    sentence.depth = ParenthesisDepth(begin, end);
    sentence.hits = std::move(hits);
    pending_day_ = 0;
    ApplyClauses(sentence);
    if (pending_day_ > 0 && schedule_.has_recurrence() &&
        schedule_.recurrence().day() == 0) {
      schedule_.mutable_recurrence()->set_day(pending_day_);
    }
    return absl::OkStatus();
  }

  // Modifiers become the role of the time point right after them.
  static std::vector<Hit> ApplyModifiers(std::vector<Hit> all) {
    std::vector<Hit> hits;
    hits.reserve(all.size());
    for (size_t i = 0; i < all.size(); ++i) {
      Hit& hit = all[i];
      if (hit.kind != Kind::kFrom && hit.kind != Kind::kUntil) {
        hits.push_back(std::move(hit));
        continue;
      }
      if (i + 1 < all.size() && all[i + 1].kind == Kind::kPoint &&
          all[i + 1].begin <= hit.end + 1) {
        all[i + 1].role = hit.kind == Kind::kFrom ? Role::kStart : Role::kEnd;
        all[i + 1].expected = hit.expected;
        all[i + 1].begin = hit.begin;
      }
    }
    return hits;
  }

  // "Từ đầu năm 2027" starts on 1 January, but "đầu năm 2027" alone is due
  // some time early in 2027: no date for it is exact. "Cuối tháng 8/2026"
  // is due 31 August, but starts at no exact date.
  static void FitParts(std::vector<Hit>& hits) {
    for (Hit& hit : hits) {
      if (hit.kind != Kind::kPoint || hit.part == Part::kWhole) continue;
      const bool fits = hit.part == Part::kEarly ? hit.role == Role::kStart
                                                 : hit.role != Role::kStart;
      if (!fits) hit.kind = Kind::kUnknown;
    }
  }

  SentenceFacts FactsOf(const std::vector<Hit>& hits) const {
    SentenceFacts facts;
    bool until_point = false;
    for (const Hit& hit : hits) {
      switch (hit.kind) {
        case Kind::kOngoing:
        case Kind::kYearOnward:
        case Kind::kEventEnd:
          facts.ongoing = true;
          break;
        case Kind::kRecurrence:
          facts.ongoing = true;
          facts.recurrence = true;
          break;
        case Kind::kPoint:
          if (hit.role == Role::kStart) facts.ongoing = true;
          if (hit.role == Role::kEnd) until_point = true;
          break;
        default:
          break;
      }
    }
    facts.has_until = facts.ongoing && until_point;
    facts.recurrence = facts.recurrence || schedule_.has_recurrence();
    return facts;
  }

  std::vector<int> ParenthesisDepth(size_t begin, size_t end) const {
    const std::string& text = document_.text;
    std::vector<int> depth(end - begin + 1, 0);
    for (size_t i = begin; i < end; ++i) {
      int next = depth[i - begin];
      if (text[i] == '(') ++next;
      if (text[i] == ')' && next > 0) --next;
      depth[i - begin + 1] = next;
    }
    return depth;
  }

  // Applies the clauses in order. Clauses without time expressions are
  // descriptions of the work, kept for the expression after them.
  void ApplyClauses(const Sentence& sentence) {
    const std::vector<Clause>& clauses = sentence.clauses;
    size_t description_begin = kNone;
    size_t description_end = kNone;
    for (size_t k = 0; k < clauses.size(); ++k) {
      const Clause& clause = clauses[k];
      if (!clause.HasHits()) {
        if (HasTimeWords(clause.begin, clause.end)) {
          Flag(description_begin != kNone ? description_begin : clause.begin,
               clause.end, sentence.end);
          description_begin = kNone;
        } else {
          if (description_begin == kNone) description_begin = clause.begin;
          description_end = clause.end;
        }
        continue;
      }
      // Words before a time expression only describe the work: they belong
      // to the expression's text.
      const size_t unit_begin =
          description_begin != kNone ? description_begin : clause.begin;
      description_begin = kNone;
      const size_t last = LastClauseOfUnit(sentence, k);
      Apply(sentence.hits, clause.first_hit, clauses[last].last_hit, unit_begin,
            clauses[last].end, sentence.end, sentence.facts);
      k = last;
    }
    if (description_begin != kNone) {
      leftovers_.push_back(
          {description_begin,
           Text(description_begin, description_end, sentence.end)});
    }
  }

  // The last clause of the unit of text that starts with clause k. A
  // trigger runs to the end of its sentence ("khi có chỉ đạo của các bộ,
  // ngành"), or of its parentheses, or to the next time expression; any
  // other clause is a unit alone.
  size_t LastClauseOfUnit(const Sentence& sentence, size_t k) const {
    const std::vector<Clause>& clauses = sentence.clauses;
    const Clause& clause = clauses[k];
    size_t trigger_at = kNone;
    for (size_t h = clause.first_hit; h < clause.last_hit; ++h) {
      if (sentence.hits[h].kind == Kind::kTrigger) {
        trigger_at = sentence.hits[h].begin;
        break;
      }
    }
    if (trigger_at == kNone) return k;
    const bool in_parentheses = sentence.depth[trigger_at - sentence.begin] > 0;
    size_t last = k;
    while (last + 1 < clauses.size()) {
      if (in_parentheses && clauses[last].closer == ')') break;
      const Clause& next = clauses[last + 1];
      if (next.HasHits() || HasTimeWords(next.begin, next.end)) break;
      ++last;
    }
    return last;
  }

  std::vector<Clause> SplitClauses(size_t begin, size_t end,
                                   const std::vector<Hit>& hits) const {
    const std::string& text = document_.text;
    struct Cut {
      size_t begin;
      size_t end;
      char closer;
    };
    std::vector<Cut> cuts;
    size_t h = 0;
    for (size_t at = begin; at < end; ++at) {
      while (h < hits.size() && hits[h].end <= at) ++h;
      if (h < hits.size() && hits[h].begin <= at) continue;
      const char c = text[at];
      if (c == ',' || c == '(' || c == ')' || c == '[' || c == ']') {
        cuts.push_back({at, at + 1, c});
      } else if (c == ' ' && TextAt(text, at, end, " va ")) {
        cuts.push_back({at, at + 4, ','});
        at += 2;
      } else if (c == ' ' && TextAt(text, at, end, " hoac ")) {
        cuts.push_back({at, at + 6, ','});
        at += 4;
      }
    }
    for (size_t i = 0; i < hits.size(); ++i) {
      const Hit& hit = hits[i];
      if (hit.kind == Kind::kTrigger) {
        // "đột xuất khi có yêu cầu" is one trigger.
        if (i == 0 || hits[i - 1].kind != Kind::kTrigger) {
          cuts.push_back({hit.begin, hit.begin, 0});
        }
        continue;
      }
      if (hit.kind == Kind::kUnknown || hit.kind == Kind::kEventEnd ||
          hit.kind == Kind::kPeriodicBare) {
        continue;
      }
      size_t next = hit.end;
      if (next < end && text[next] == ' ') ++next;
      if (next < end && next > hit.end && IsWordByte(text[next]) &&
          document_.CapitalisedWordAt(next)) {
        cuts.push_back({next, next, 0});
      }
    }
    std::stable_sort(cuts.begin(), cuts.end(), [](const Cut& a, const Cut& b) {
      return a.begin < b.begin;
    });

    std::vector<Clause> clauses;
    size_t next_hit = 0;
    auto add = [&](size_t from, size_t to, char closer) {
      Clause clause;
      clause.closer = closer;
      while (next_hit < hits.size() && hits[next_hit].begin < from) {
        ++next_hit;
      }
      clause.first_hit = next_hit;
      while (next_hit < hits.size() && hits[next_hit].begin < to) ++next_hit;
      clause.last_hit = next_hit;
      while (from < to && IsTrimmable(text[from])) ++from;
      while (to > from && IsTrimmable(text[to - 1])) --to;
      if (from >= to && !clause.HasHits()) {
        if (closer == ')' && !clauses.empty()) clauses.back().closer = ')';
        return;
      }
      clause.begin = from;
      clause.end = to;
      clauses.push_back(clause);
    };
    size_t current = begin;
    for (const Cut& cut : cuts) {
      if (cut.begin < current) continue;
      add(current, cut.begin, cut.closer);
      current = cut.end;
    }
    add(current, end, 0);
    return clauses;
  }

  bool HasTimeWords(size_t begin, size_t end) const {
    if (begin >= end) return false;
    return RE2::PartialMatch(
        StringPiece(document_.text.data() + begin, end - begin),
        *GetPatterns().time_words);
  }

  // text[begin, end) as written, without surrounding punctuation and with
  // its parentheses balanced; `limit` is the end of the sentence.
  std::string Text(size_t begin, size_t end, size_t limit) const {
    const std::string& text = document_.text;
    auto trim = [&] {
      while (begin < end && IsTrimmable(text[begin])) ++begin;
      while (end > begin && IsTrimmable(text[end - 1])) --end;
    };
    trim();
    int open = 0;
    int unmatched_close = 0;
    for (size_t at = begin; at < end; ++at) {
      if (text[at] == '(') {
        ++open;
      } else if (text[at] == ')') {
        if (open > 0) {
          --open;
        } else {
          ++unmatched_close;
        }
      }
    }
    if (open > 0) {
      size_t next = end;
      while (next < limit && text[next] == ' ') ++next;
      if (next < limit && text[next] == ')') {
        end = next + 1;
      } else if (begin < end && text[begin] == '(') {
        ++begin;
        trim();
      }
    }
    if (unmatched_close > 0 && end > begin && text[end - 1] == ')') {
      --end;
      trim();
    }
    return document_.Original(begin, end);
  }

  void Flag(size_t begin, size_t end, size_t limit) {
    std::string text = Text(begin, end, limit);
    if (!text.empty()) not_understood_.push_back({begin, std::move(text)});
  }

  void SetStart(const v1::LocalDate& date) {
    v1::Ongoing& ongoing = *schedule_.mutable_ongoing();
    if (!ongoing.has_start() || DateBefore(date, ongoing.start())) {
      *ongoing.mutable_start() = date;
    }
  }

  void SetUntil(const v1::LocalDate& date, bool expected) {
    v1::Ongoing& ongoing = *schedule_.mutable_ongoing();
    if (!ongoing.has_until() || DateBefore(ongoing.until(), date)) {
      *ongoing.mutable_until() = date;
      ongoing.set_until_expected(expected);
    }
  }

  // What one unit of text holds, which decides how its points read.
  struct UnitShape {
    bool unknown = false;
    bool needs_recurrence = false;
    // "Thường xuyên trong năm 2026": within one clause, the period bounds
    // the ongoing work instead of being a deadline. In "Quí I/2026 và duy
    // trì thường xuyên" the quarter is a clause of its own and stays one.
    bool ongoing_here = false;
    bool point_here = false;
    size_t milestones = 0;
  };

  static bool IsMilestone(const Hit& hit, const UnitShape& shape,
                          const SentenceFacts& facts) {
    if (hit.kind != Kind::kPoint) return false;
    if (hit.role == Role::kDue) return !shape.ongoing_here;
    return hit.role == Role::kEnd && !facts.ongoing;
  }

  static UnitShape ShapeOf(const std::vector<Hit>& hits, size_t first,
                           size_t last, const SentenceFacts& facts) {
    UnitShape shape;
    for (size_t h = first; h < last; ++h) {
      if (hits[h].kind == Kind::kOngoing) shape.ongoing_here = true;
      if (hits[h].kind == Kind::kPoint) shape.point_here = true;
    }
    for (size_t h = first; h < last; ++h) {
      const Hit& hit = hits[h];
      if (hit.kind == Kind::kUnknown) shape.unknown = true;
      if (hit.kind == Kind::kDayOfPeriod || hit.kind == Kind::kPeriodicBare) {
        shape.needs_recurrence = true;
      }
      if (IsMilestone(hit, shape, facts)) ++shape.milestones;
    }
    return shape;
  }

  // Applies hits[first, last), which one unit of text
  // [unit_begin, unit_end) holds.
  void Apply(const std::vector<Hit>& hits, size_t first, size_t last,
             size_t unit_begin, size_t unit_end, size_t limit,
             const SentenceFacts& facts) {
    const UnitShape shape = ShapeOf(hits, first, last, facts);
    // Nothing is taken from a unit that holds something unreadable: its
    // other dates may depend on it ("Sau khi có kết quả rà soát, ...").
    if (shape.unknown || (shape.needs_recurrence && !facts.recurrence)) {
      Flag(unit_begin, unit_end, limit);
      return;
    }
    UnitOutcome outcome;
    size_t seen = 0;
    size_t previous_end = unit_begin;
    for (size_t h = first; h < last; ++h) {
      const Hit& hit = hits[h];
      if (!IsMilestone(hit, shape, facts)) {
        ApplyHit(hit, shape, facts, outcome);
        continue;
      }
      // Several deadlines in one unit each take their own stretch of it,
      // so texts never repeat.
      ++seen;
      const size_t text_begin = seen == 1 ? unit_begin : previous_end;
      const size_t text_end = seen == shape.milestones ? unit_end : hit.end;
      v1::Milestone* milestone = schedule_.add_milestones();
      *milestone->mutable_due() = hit.last;
      milestone->set_text(Text(text_begin, text_end, limit));
      previous_end = hit.end;
    }
    if (outcome.triggered) {
      schedule_.set_triggered(true);
      std::string text = Text(unit_begin, unit_end, limit);
      if (!text.empty()) triggers_.push_back(std::move(text));
    }
    // "Duy trì đến khi ..." with no date: the end is an event nobody can
    // put on a calendar.
    if (outcome.open_end) Flag(unit_begin, unit_end, limit);
  }

  // What a unit's hits leave to do once they are applied.
  struct UnitOutcome {
    bool triggered = false;
    bool open_end = false;
  };

  // Applies a hit that is not a milestone.
  void ApplyHit(const Hit& hit, const UnitShape& shape,
                const SentenceFacts& facts, UnitOutcome& outcome) {
    switch (hit.kind) {
      case Kind::kPoint:
        if (hit.role == Role::kStart) {
          SetStart(hit.first);
        } else {
          // An end, or a period bounding ongoing work in its clause.
          SetUntil(hit.last, hit.expected);
        }
        break;
      case Kind::kYearOnward:
        SetStart(hit.first);
        break;
      case Kind::kOngoing:
        schedule_.mutable_ongoing();
        break;
      case Kind::kRecurrence:
        if (!schedule_.has_recurrence()) {
          schedule_.mutable_recurrence()->set_every(hit.period);
          schedule_.mutable_recurrence()->set_day(hit.day);
        }
        break;
      case Kind::kDayOfPeriod:
        if (pending_day_ == 0) pending_day_ = hit.day;
        break;
      case Kind::kTrigger:
        outcome.triggered = true;
        break;
      case Kind::kEventEnd:
        schedule_.mutable_ongoing();
        if (!facts.has_until && !(shape.ongoing_here && shape.point_here)) {
          outcome.open_end = true;
        }
        break;
      default:
        break;
    }
  }

  const Document document_;
  const TimeframeContext context_;
  v1::Schedule schedule_;
  std::vector<Note> not_understood_;
  // Descriptions with no time expression after them in their sentence.
  std::vector<Note> leftovers_;
  std::vector<std::string> triggers_;
  // "(trước ngày 10)" of the current sentence, for its recurrence.
  int pending_day_ = 0;
};

}  // namespace

absl::StatusOr<v1::Schedule> ParseTimeframe(absl::string_view text,
                                            const TimeframeContext& context) {
  TimeframeParser parser(text, context);
  return parser.Parse();
}

v1::LocalDate LastDate(const v1::Schedule& schedule) {
  v1::LocalDate last;
  for (const v1::Milestone& milestone : schedule.milestones()) {
    if (DateBefore(last, milestone.due())) last = milestone.due();
  }
  if (last.year() != 0) return last;
  if (schedule.has_ongoing() && schedule.ongoing().has_until()) {
    return schedule.ongoing().until();
  }
  return last;
}

}  // namespace tiendo::plantext
