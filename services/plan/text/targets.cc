#include "services/plan/text/targets.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/text_scan.h"

namespace tiendo::plantext {
namespace {

// A clause with more percentages than this is a table of figures, not a
// statement of targets; it yields none. The cap also bounds the output: every
// target copies its clause.
constexpr int kMaxPercentsPerClause = 16;

// Matches `phrase` ending at end; returns its start or kNone. The match must
// start at a word boundary.
size_t PhraseBefore(const std::string& s, size_t begin, size_t end,
                    absl::string_view phrase) {
  size_t i = end;
  for (size_t p = phrase.size(); p > 0; --p) {
    const char c = phrase[p - 1];
    if (c == ' ') {
      if (i <= begin || !IsSpaceByte(s[i - 1])) return kNone;
      while (i > begin && IsSpaceByte(s[i - 1])) --i;
      continue;
    }
    if (i <= begin || s[i - 1] != c) return kNone;
    --i;
  }
  if (i > begin && IsWordByte(s[i - 1])) return kNone;
  return i;
}

bool ValidYear(std::optional<int> year) {
  return year && *year >= 1900 && *year <= 2200;
}

// "đạt" (reach) and "đất" (land), "đặt" (place) fold alike; only the first
// is a direction word.
bool IsReachAt(const FoldedText& f, size_t pos) {
  if (pos + 1 >= f.folded.size()) return false;
  const UChar32 vowel = OriginalCodePoint(f, pos + 1);
  return vowel == 'a' || vowel == 'A' || vowel == 0x1EA1 || vowel == 0x1EA0;
}

enum class TimeKind { kPeriod, kDate };

// A time phrase in a clause: "trong Quý I năm 2026", "đến hết ngày
// 30/6/2026", "năm 2026".
struct TimeHit {
  size_t begin = 0;
  size_t end = 0;
  TimeKind kind = TimeKind::kPeriod;
  // "từ Quý I năm 2026": when work starts, never a deadline.
  bool is_start = false;
  // "trong", "đến hết", "trước", "vào", "cuối" before it.
  bool has_end_word = false;
  v1::LocalDate due;
  // Set for a date that cannot exist; reported only if a target uses it.
  absl::Status status;

  // A bare date ("ngày 25/11/2022") dates a document or an event; only a
  // period or a date with an end word is a deadline.
  bool Deadline() const {
    return !is_start && (kind == TimeKind::kPeriod || has_end_word);
  }
};

const RE2& TimeRe() {
  static const RE2* const re = new RE2(
      "\\b(?:(trong|den\\s+het|den|het|truoc|vao|cuoi|ke\\s+tu|"
      "bat\\s+dau\\s+tu|tu)\\s+)?"
      "(?:"
      // 2, 3: Quý I năm 2026, Quí 1/2026
      "(?:quy|qui)\\s+([ivx]{1,4}|[1-4])\\b"
      "(?:\\s*(?:/|-|nam)\\s*(\\d{4})\\b)?"
      // 4, 5: 6 tháng đầu năm 2026
      "|(?:6|sau)\\s+thang\\s+(dau|cuoi)\\s+nam(?:\\s+(\\d{4})\\b)?"
      // 6, 7, 8: ngày 25 tháng 5 năm 2026
      "|ngay\\s+(\\d{1,2})\\s+thang\\s+(\\d{1,2})\\b"
      "(?:\\s*(?:/|nam)\\s*(\\d{4})\\b)?"
      // 9, 10: tháng 5/2026, tháng 5 năm 2026
      "|thang\\s+(\\d{1,2})\\b(?:\\s*(?:/|-|nam)\\s*(\\d{4})\\b)?"
      // 11, 12, 13, 14: (ngày) 30/6/2026, ngày 30/6
      "|(ngay\\s+)?(\\d{1,2})\\s*[/.-]\\s*(\\d{1,2})\\b"
      "(?:\\s*[/.-]\\s*(\\d{4})\\b)?"
      // 15: năm 2026
      "|nam\\s+(\\d{4})\\b"
      ")",
      Latin1());
  return *re;
}

// Sets hit.due to the day written, or hit.status when no such day exists;
// false when a number is missing or the year is 0, which is no time phrase.
bool ReadDay(std::optional<int> year, std::optional<int> month,
             std::optional<int> day, const std::string& written, TimeHit& hit) {
  if (!year || !month || !day || *year == 0) return false;
  absl::StatusOr<v1::LocalDate> date = MakeDate(*year, *month, *day, written);
  if (date.ok()) {
    hit.due = *date;
  } else {
    hit.status = date.status();
  }
  return true;
}

// Reads one time phrase match; nullopt when the match is not a time phrase
// after all (a quarter "V", a day/month without year or "ngày", a year that
// is not a plausible calendar year).
std::optional<TimeHit> ReadTime(const FoldedText& f, const re2::StringPiece* g,
                                const TargetContext& context) {
  const std::string& s = f.folded;
  TimeHit hit;
  hit.begin = OffsetOf(s, g[0]);
  hit.end = hit.begin + g[0].size();
  if (Matched(g[1])) {
    const std::string prefix =
        Collapse(absl::string_view(g[1].data(), g[1].size()));
    hit.is_start =
        prefix == "tu" || prefix == "ke tu" || prefix == "bat dau tu";
    hit.has_end_word = !hit.is_start;
  }
  const std::string written = Collapse(f.Original(hit.begin, hit.end));
  auto year_or_plan = [&](const re2::StringPiece& year) {
    return Matched(year) ? ToInt(year) : std::optional<int>(context.plan_year);
  };
  if (Matched(g[2])) {
    const std::optional<int> quarter =
        ParseRomanOrArabic(absl::string_view(g[2].data(), g[2].size()));
    const std::optional<int> year = year_or_plan(g[3]);
    if (!quarter || *quarter > 4 || !ValidYear(year)) return std::nullopt;
    hit.due = QuarterEnd(*year, *quarter);
  } else if (Matched(g[4])) {
    const std::optional<int> year = year_or_plan(g[5]);
    if (!ValidYear(year)) return std::nullopt;
    hit.due = HalfYearEnd(*year, g[4] == "dau" ? 1 : 2);
  } else if (Matched(g[6])) {
    hit.kind = TimeKind::kDate;
    if (!ReadDay(year_or_plan(g[8]), ToInt(g[7]), ToInt(g[6]), written, hit)) {
      return std::nullopt;
    }
  } else if (Matched(g[9])) {
    const std::optional<int> year = year_or_plan(g[10]);
    const std::optional<int> month = ToInt(g[9]);
    if (!year || !month || *year == 0) return std::nullopt;
    auto first = MakeDate(*year, *month, 1, written);
    if (first.ok()) {
      hit.due = MonthEnd(*year, *month);
    } else {
      hit.status = first.status();
    }
  } else if (Matched(g[12])) {
    hit.kind = TimeKind::kDate;
    // "14/3" alone is as likely a ratio or a document number part as a
    // date; it needs "ngày" or a year.
    if (!Matched(g[11]) && !Matched(g[14])) return std::nullopt;
    if (!ReadDay(year_or_plan(g[14]), ToInt(g[13]), ToInt(g[12]), written,
                 hit)) {
      return std::nullopt;
    }
  } else if (Matched(g[15])) {
    const std::optional<int> year = ToInt(g[15]);
    if (!ValidYear(year)) return std::nullopt;
    hit.due = YearEnd(*year);
  } else {
    return std::nullopt;
  }
  return hit;
}

// Every time phrase in s[begin, end), in order, not overlapping.
std::vector<TimeHit> FindTimes(const FoldedText& f, size_t begin, size_t end,
                               const TargetContext& context) {
  std::vector<TimeHit> hits;
  constexpr int kGroups = 16;
  re2::StringPiece g[kGroups];
  size_t pos = begin;
  while (pos < end && TimeRe().Match(Piece(f.folded), pos, end, RE2::UNANCHORED,
                                     g, kGroups)) {
    const size_t match_begin = OffsetOf(f.folded, g[0]);
    const size_t match_end = match_begin + g[0].size();
    std::optional<TimeHit> hit = ReadTime(f, g, context);
    if (hit) {
      hits.push_back(*std::move(hit));
      pos = std::max(match_end, match_begin + 1);
    } else {
      // A rejected match may hide a real phrase that starts inside it.
      pos = match_begin + 1;
    }
  }
  return hits;
}

// Direction words, ranked: when several precede a percentage in its clause
// the highest rank wins. "phấn đấu" outranks everything, so "phấn đấu đạt
// 90%", "phấn đấu đạt tối thiểu 80%" and "Phấn đấu và duy trì 100%" are
// STRIVE: the plan commits to trying, whatever floor or upkeep it names.
// "tối thiểu" (a floor) outranks "duy trì" and "đạt": "đạt tối thiểu 80%" is
// AT_LEAST. "đảm bảo 100%" and a bare percentage are REACH.
int Rank(v1::TargetDirection direction) {
  switch (direction) {
    case v1::TARGET_DIRECTION_STRIVE:
      return 4;
    case v1::TARGET_DIRECTION_AT_LEAST:
      return 3;
    case v1::TARGET_DIRECTION_MAINTAIN:
      return 2;
    case v1::TARGET_DIRECTION_REACH:
      return 1;
    default:
      return 0;
  }
}

const RE2& DirectionRe() {
  static const RE2* const re = new RE2(
      "\\b(?:(phan\\s+dau)|"
      "(toi\\s+thieu|it\\s+nhat|khong\\s+duoi|khong\\s+thap\\s+hon)|"
      "(duy\\s+tri)|(dam\\s+bao|bao\\s+dam)|(dat))\\b",
      Latin1());
  return *re;
}

struct DirectionHit {
  size_t begin = 0;
  v1::TargetDirection direction = v1::TARGET_DIRECTION_REACH;
};

std::vector<DirectionHit> FindDirections(const FoldedText& f, size_t begin,
                                         size_t end) {
  std::vector<DirectionHit> hits;
  re2::StringPiece g[6];
  size_t pos = begin;
  while (pos < end && DirectionRe().Match(Piece(f.folded), pos, end,
                                          RE2::UNANCHORED, g, 6)) {
    DirectionHit hit;
    hit.begin = OffsetOf(f.folded, g[0]);
    pos = hit.begin + std::max<size_t>(g[0].size(), 1);
    if (Matched(g[1])) {
      hit.direction = v1::TARGET_DIRECTION_STRIVE;
    } else if (Matched(g[2])) {
      hit.direction = v1::TARGET_DIRECTION_AT_LEAST;
    } else if (Matched(g[3])) {
      hit.direction = v1::TARGET_DIRECTION_MAINTAIN;
    } else if (Matched(g[4])) {
      hit.direction = v1::TARGET_DIRECTION_REACH;
    } else {
      if (!IsReachAt(f, hit.begin)) continue;
      hit.direction = v1::TARGET_DIRECTION_REACH;
    }
    hits.push_back(hit);
  }
  return hits;
}

const RE2& RateRe() {
  static const RE2* const re = new RE2("\\bt[iy]\\s+le\\b", Latin1());
  return *re;
}

const RE2& PercentRe() {
  static const RE2* const re = new RE2("(\\d+)(?:[.,](\\d+))? ?%", Latin1());
  return *re;
}

// The number of a PercentRe match: "81,5%" is 81.5. nullopt when a group
// holds no number that fits an int.
std::optional<double> PercentValue(const re2::StringPiece* g) {
  const std::optional<int> whole = ToInt(g[1]);
  if (!whole) return std::nullopt;
  double value = *whole;
  if (Matched(g[2])) {
    const std::optional<int> fraction = ToInt(g[2]);
    if (!fraction) return std::nullopt;
    double scale = 1;
    for (size_t k = 0; k < g[2].size(); ++k) scale *= 10;
    value += *fraction / scale;
  }
  return value;
}

struct Percent {
  size_t begin = 0;
  size_t end = 0;
  double value = 0;
  // The percentage with the words that make it a floor: "trên 80%", "từ 80%
  // trở lên", "80% trở lên". Without them, lead == begin and tail == end.
  size_t lead = 0;
  size_t tail = 0;
  bool floor = false;
};

// One target found in a clause, before the whole text is read.
struct Candidate {
  v1::Target target;
  // Neither the percentage nor any other of its clause gives an indicator;
  // the clause's subject, or the clause itself, stands in. Kept only when
  // the text gives other targets, so that a text whose percentages all lack
  // one yields nothing.
  bool orphan = false;
  // Set when the deadline of the target cannot exist.
  absl::Status due_status;
};

// Words that never start or end an indicator: direction words and the
// glue around a number ("là", "ở mức", "trên tổng số" starts a denominator).
constexpr absl::string_view kEdgeWords[] = {
    "phan dau", "toi thieu", "it nhat", "khong duoi", "khong thap hon",
    "duy tri",  "dam bao",   "bao dam", "dat",        "la",
    "va",       "o muc",     "muc",     "so voi",     "tren",
    "cua",      "voi",       "trong",   "den het",    "den",
    "truoc",    "khoang",    "bang",    "hoac"};

bool IsTrimByte(char c) {
  return IsSpaceByte(c) || c == ',' || c == '.' || c == ';' || c == ':' ||
         c == '!' || c == '?' || c == '-' || c == '+' || c == '*' || c == '/' ||
         c == '&';
}

// Narrows [b, e) to the phrase proper: no punctuation, time phrases or
// direction/glue words at either end, no unbalanced quote or parenthesis at
// the ends.
class Trimmer {
 public:
  Trimmer(const FoldedText& f, const std::vector<TimeHit>& times)
      : f_(f), s_(f.folded), times_(times) {}

  void Trim(size_t& b, size_t& e) const {
    while (true) {
      const size_t old_b = b;
      const size_t old_e = e;
      TrimBytes(b, e);
      if (b >= e) break;
      if (const TimeHit* hit = TimeStartingAt(b); hit && hit->end <= e) {
        b = hit->end;
        continue;
      }
      if (const TimeHit* hit = TimeEndingAt(e); hit && hit->begin >= b) {
        e = hit->begin;
        continue;
      }
      for (const absl::string_view word : kEdgeWords) {
        const size_t after = PhraseAt(s_, b, e, word);
        if (after != kNone && (word != "dat" || IsReachAt(f_, b))) {
          b = after;
          break;
        }
      }
      for (const absl::string_view word : kEdgeWords) {
        const size_t start = PhraseBefore(s_, b, e, word);
        if (start != kNone && (word != "dat" || IsReachAt(f_, start))) {
          e = start;
          break;
        }
      }
      if (b == old_b && e == old_e) break;
    }
    Balance(b, e);
    TrimBytes(b, e);
  }

 private:
  void TrimBytes(size_t& b, size_t& e) const {
    while (b < e && IsTrimByte(s_[b])) ++b;
    while (e > b && IsTrimByte(s_[e - 1])) --e;
  }

  void Balance(size_t& b, size_t& e) const {
    if (b >= e) return;
    int quotes = 0;
    int opens = 0;
    int closes = 0;
    for (size_t i = b; i < e; ++i) {
      if (s_[i] == '"') ++quotes;
      if (s_[i] == '(') ++opens;
      if (s_[i] == ')') ++closes;
    }
    if (quotes % 2 == 1) {
      if (s_[e - 1] == '"') {
        --e;
      } else if (s_[b] == '"') {
        ++b;
      }
    }
    if (b >= e) return;
    if (closes > opens && s_[e - 1] == ')') --e;
    if (b >= e) return;
    if (opens > closes) {
      if (s_[b] == '(') {
        ++b;
      } else if (s_[e - 1] == '(') {
        --e;
      }
    }
  }

  const TimeHit* TimeStartingAt(size_t pos) const {
    auto it = std::lower_bound(
        times_.begin(), times_.end(), pos,
        [](const TimeHit& hit, size_t p) { return hit.begin < p; });
    if (it != times_.end() && it->begin == pos) return &*it;
    return nullptr;
  }

  const TimeHit* TimeEndingAt(size_t pos) const {
    auto it = std::lower_bound(
        times_.begin(), times_.end(), pos,
        [](const TimeHit& hit, size_t p) { return hit.end < p; });
    if (it != times_.end() && it->end == pos) return &*it;
    return nullptr;
  }

  const FoldedText& f_;
  const std::string& s_;
  const std::vector<TimeHit>& times_;
};

bool HasWord(const std::string& s, size_t b, size_t e) {
  for (size_t i = b; i < e; ++i) {
    if (IsWordByte(s[i])) return true;
  }
  return false;
}

// Change rates ("tăng 20%", "giảm 30%", "thêm 5%") are not shares of a
// population.
bool IsChangeRate(const std::string& s, size_t clause_begin, size_t pos) {
  size_t i = pos;
  while (i > clause_begin && IsSpaceByte(s[i - 1])) --i;
  for (const absl::string_view word : {"tang", "giam", "them"}) {
    if (PhraseBefore(s, clause_begin, i, word) != kNone) return true;
  }
  return false;
}

// Breaks the text into clauses: at ';', '!', '?', a tab, a line break that
// survived JoinWrappedLines, a '.' or ':' ending a sentence or label, a
// bullet ("- ", "+ ", "• ") that starts a line or follows the end of a
// sentence or a percentage or a wide gap, and around a parenthesis that
// holds a percentage: "(đối tượng ... phấn đấu đạt tỷ lệ 90% ...)" is a
// clause of its own, while "(tham gia bảo hiểm y tế, ...)" without one
// belongs to the clause around it.
std::vector<std::pair<size_t, size_t>> SplitClauses(const std::string& s) {
  const size_t n = s.size();
  std::vector<char> cut(n, 0);
  size_t open = kNone;
  bool percent_inside = false;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    if (c == '(') {
      open = i;
      percent_inside = false;
    } else if (c == '%') {
      if (open != kNone) percent_inside = true;
    } else if (c == ')') {
      if (open != kNone && percent_inside) cut[open] = cut[i] = 1;
      open = kNone;
    } else if (c == '\n') {
      if (open != kNone && percent_inside) cut[open] = 1;
      open = kNone;
    }
  }
  if (open != kNone && percent_inside) cut[open] = 1;

  for (size_t i = 0; i < n; ++i) {
    const char c = s[i];
    const bool next_space = i + 1 >= n || IsSpaceByte(s[i + 1]);
    switch (c) {
      case ';':
      case '!':
      case '?':
      case '\n':
      case '\t':
        cut[i] = 1;
        break;
      case '.':
        if (next_space) cut[i] = 1;
        break;
      case ':':
        if (!(i > 0 &&
              absl::ascii_isdigit(static_cast<unsigned char>(s[i - 1])) &&
              i + 1 < n &&
              absl::ascii_isdigit(static_cast<unsigned char>(s[i + 1])))) {
          cut[i] = 1;
        }
        break;
      case '-':
      case '+':
      case '*': {
        if (!next_space) break;
        size_t j = i;
        int gap = 0;
        while (j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t')) {
          --j;
          ++gap;
        }
        if (j == 0 || s[j - 1] == '\n' || gap >= 2 ||
            (gap >= 1 && absl::string_view(".;:!?%)").find(s[j - 1]) !=
                             absl::string_view::npos)) {
          cut[i] = 1;
        }
        break;
      }
      case '\xe2':
        if (i + 2 < n && s[i + 1] == '\x80' && s[i + 2] == '\xa2') {
          cut[i] = cut[i + 1] = cut[i + 2] = 1;
        }
        break;
      default:
        break;
    }
  }

  std::vector<std::pair<size_t, size_t>> clauses;
  size_t start = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i == n || cut[i]) {
      if (i > start) clauses.emplace_back(start, i);
      start = i + 1;
    }
  }
  return clauses;
}

// The direction in force at each percentage of a clause: the strongest
// direction word met before it, or a floor ("trên 80%", "từ 80% trở lên"),
// which holds for the stages after it too.
class DirectionTracker {
 public:
  explicit DirectionTracker(std::vector<DirectionHit> hits)
      : hits_(std::move(hits)) {}

  // Call for each percentage of the clause in order.
  v1::TargetDirection At(const Percent& p) {
    while (next_hit_ < hits_.size() && hits_[next_hit_].begin < p.begin) {
      Raise(hits_[next_hit_].direction);
      ++next_hit_;
    }
    if (p.floor) Raise(v1::TARGET_DIRECTION_AT_LEAST);
    return direction_;
  }

  // Where the first direction word starts; kNone when there is none.
  size_t FirstBegin() const {
    return hits_.empty() ? kNone : hits_.front().begin;
  }

 private:
  void Raise(v1::TargetDirection direction) {
    if (Rank(direction) > best_rank_) {
      best_rank_ = Rank(direction);
      direction_ = direction;
    }
  }

  const std::vector<DirectionHit> hits_;
  size_t next_hit_ = 0;
  int best_rank_ = 0;
  v1::TargetDirection direction_ = v1::TARGET_DIRECTION_REACH;
};

// Where each "tỷ lệ" phrase of s[begin, end) starts and ends, in order.
std::vector<std::pair<size_t, size_t>> FindRates(const std::string& s,
                                                 size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> rates;
  re2::StringPiece m;
  size_t pos = begin;
  while (pos < end &&
         RateRe().Match(Piece(s), pos, end, RE2::UNANCHORED, &m, 1)) {
    const size_t rate_begin = OffsetOf(s, m);
    rates.emplace_back(rate_begin, rate_begin + m.size());
    pos = rate_begin + std::max<size_t>(m.size(), 1);
  }
  return rates;
}

// "tỷ lệ" alone names no indicator.
bool IsBareRate(const std::string& s, size_t b, size_t e) {
  re2::StringPiece m;
  if (!RateRe().Match(Piece(s), b, e, RE2::ANCHOR_START, &m, 1)) {
    return false;
  }
  return !HasWord(s, b + m.size(), e);
}

// The targets of one clause s[begin, end), one per percentage, read in
// order: each takes its direction, deadline and indicator from the words
// around it and from the percentages before it.
class ClauseTargets {
 public:
  ClauseTargets(const FoldedText& f, const TargetContext& context, size_t begin,
                size_t end, std::vector<Percent> percents)
      : f_(f),
        s_(f.folded),
        context_(context),
        begin_(begin),
        end_(end),
        percents_(std::move(percents)),
        times_(FindTimes(f, begin, end, context)),
        directions_(FindDirections(f, begin, end)),
        subject_end_(SubjectEnd()),
        rates_(FindRates(s_, begin, end)),
        trimmer_(f, times_),
        clause_text_(Collapse(f.Original(begin, end))) {}

  void Read(std::vector<Candidate>& out) {
    for (size_t i = 0; i < percents_.size(); ++i) {
      const Percent& p = percents_[i];
      // The words that may belong to this percentage: since the previous
      // one, and up to the next one.
      const size_t before_begin = i == 0 ? begin_ : percents_[i - 1].tail;
      const size_t after_end =
          i + 1 < percents_.size() ? percents_[i + 1].lead : end_;
      const v1::TargetDirection direction = directions_.At(p);
      AdvanceRates(p.lead);
      const TimeHit* due = DueOf(p, before_begin, after_end);
      Keep(MakeCandidate(p, direction, due),
           IndicatorOf(p, before_begin, after_end));
    }
    AdoptOrphans();
    for (Candidate& candidate : found_) out.push_back(std::move(candidate));
  }

 private:
  // The subject of the clause ends at its first direction word or
  // percentage ("đối tượng Bảo trợ xã hội" in "đối tượng Bảo trợ xã hội
  // phấn đấu đạt tỷ lệ 90% ...").
  size_t SubjectEnd() const {
    return std::min(percents_.front().lead, directions_.FirstBegin());
  }

  // The subject's words, or nothing; a bare "tỷ lệ" only when
  // allow_bare_rate.
  std::optional<std::string> Subject(bool allow_bare_rate) const {
    if (subject_end_ <= begin_) return std::nullopt;
    size_t sb = begin_;
    size_t se = subject_end_;
    trimmer_.Trim(sb, se);
    if (sb >= se || !HasWord(s_, sb, se)) return std::nullopt;
    if (!allow_bare_rate && IsBareRate(s_, sb, se)) return std::nullopt;
    return Collapse(f_.Original(sb, se));
  }

  // Moves last_rate_ to the last rate phrase that starts before `lead`.
  void AdvanceRates(size_t lead) {
    while (next_rate_ < rates_.size() && rates_[next_rate_].first < lead) {
      last_rate_ = rates_[next_rate_];
      ++next_rate_;
    }
  }

  // Due: a deadline after the percentage (up to the next one) belongs to
  // it: "90% trong Quý I năm 2026, 100% trong Quý II năm 2026" are two
  // stages. Otherwise a deadline before it, since the previous percentage
  // ("tỷ lệ ... trong năm 2026 đạt 100%"), unless that percentage already
  // took it.
  const TimeHit* DueOf(const Percent& p, size_t before_begin,
                       size_t after_end) {
    const size_t previous_claim = claimed_time_;
    claimed_time_ = kNone;
    for (size_t t = 0; t < times_.size(); ++t) {
      const TimeHit& hit = times_[t];
      if (hit.begin >= p.tail && hit.end <= after_end && hit.Deadline()) {
        claimed_time_ = t;
        return &hit;
      }
    }
    for (size_t t = times_.size(); t > 0; --t) {
      const TimeHit& hit = times_[t - 1];
      if (hit.begin >= before_begin && hit.end <= p.lead && hit.Deadline() &&
          t - 1 != previous_claim) {
        return &hit;
      }
    }
    return nullptr;
  }

  // Indicator, first rule that gives words:
  // 1. a rate phrase before the percentage (RatePhraseBefore);
  // 2. the phrase after the percentage (PhraseAfter);
  // 3. for a percentage followed only by a time phrase or a denominator:
  //    the indicator of the previous target of the clause (a stage: "60%
  //    hộ gia đình ... trước ngày 30/9/2026 và 80% trước ngày 31/12/2026"),
  //    else the clause's subject ("đối tượng Bảo trợ xã hội ... 90% trong
  //    Quý I", "... 60% tổng số hồ sơ"), else nothing yet: the indicator of
  //    the next target of the clause ("60% trước ngày 30/9/2026, 80% trước
  //    ngày 31/12/2026 hộ gia đình ...").
  std::optional<std::string> IndicatorOf(const Percent& p, size_t before_begin,
                                         size_t after_end) const {
    std::optional<std::string> words = RatePhraseBefore(p, before_begin);
    if (!words) words = PhraseAfter(p, after_end);
    if (!words) words = shared_;
    if (!words) words = Subject(false);
    return words;
  }

  // "tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100%" -> "tỷ lệ chi
  // trả qua tài khoản"; what follows the number there ("80% tổng số người
  // dân ...") is the denominator, not what is measured.
  std::optional<std::string> RatePhraseBefore(const Percent& p,
                                              size_t before_begin) const {
    if (!last_rate_ || last_rate_->first < before_begin) return std::nullopt;
    size_t ib = last_rate_->first;
    size_t ie = p.lead;
    trimmer_.Trim(ib, ie);
    if (ib != last_rate_->first || ie <= last_rate_->second ||
        !HasWord(s_, last_rate_->second, ie)) {
      return std::nullopt;
    }
    return Collapse(f_.Original(ib, ie));
  }

  // "100% công dân từ đủ 14 tuổi ...", up to the next percentage or the
  // clause end.
  std::optional<std::string> PhraseAfter(const Percent& p,
                                         size_t after_end) const {
    size_t ib = p.tail;
    size_t ie = after_end;
    trimmer_.Trim(ib, ie);
    if (ib >= ie || !HasWord(s_, ib, ie)) return std::nullopt;
    // "Số hồ sơ trực tuyến đạt tối thiểu 60% tổng số hồ sơ": after the
    // number comes the denominator; the subject, when there is one, says
    // better what is measured.
    if (PhraseAt(s_, ib, ie, "tong so") != kNone) {
      if (std::optional<std::string> words = Subject(false)) return words;
    }
    return Collapse(f_.Original(ib, ie));
  }

  Candidate MakeCandidate(const Percent& p, v1::TargetDirection direction,
                          const TimeHit* due) const {
    Candidate candidate;
    v1::Target& target = candidate.target;
    target.set_percent(p.value);
    target.set_direction(direction);
    if (due != nullptr) {
      candidate.due_status = due->status;
      *target.mutable_due() = due->due;
      target.set_due_inferred(false);
    } else {
      // The text names no date: the caller's fallback stands in, and the
      // flag says so even when the fallback itself is unset.
      *target.mutable_due() = context_.fallback_due;
      target.set_due_inferred(true);
    }
    target.set_text(clause_text_);
    return candidate;
  }

  // Adds a target; an indicator also goes to the targets before it still
  // waiting for one, and is shared with the stages after it.
  void Keep(Candidate candidate, std::optional<std::string> indicator) {
    if (indicator) {
      for (const size_t w : waiting_) {
        found_[w].target.set_indicator(*indicator);
      }
      waiting_.clear();
      candidate.target.set_indicator(*indicator);
      shared_ = std::move(indicator);
    } else {
      waiting_.push_back(found_.size());
    }
    found_.push_back(std::move(candidate));
  }

  // No percentage of the clause names what is measured ("Đạt 100%", "Tỷ lệ
  // 90% trong năm 2026"): its subject, even a bare "tỷ lệ", or else the
  // clause itself stands in, and the target is an orphan.
  void AdoptOrphans() {
    if (waiting_.empty()) return;
    const std::string stand_in = Subject(true).value_or(clause_text_);
    for (const size_t w : waiting_) {
      found_[w].target.set_indicator(stand_in);
      found_[w].orphan = true;
    }
  }

  const FoldedText& f_;
  const std::string& s_;
  const TargetContext& context_;
  const size_t begin_;
  const size_t end_;
  const std::vector<Percent> percents_;
  const std::vector<TimeHit> times_;
  DirectionTracker directions_;
  const size_t subject_end_;
  const std::vector<std::pair<size_t, size_t>> rates_;
  const Trimmer trimmer_;
  const std::string clause_text_;

  size_t next_rate_ = 0;
  std::optional<std::pair<size_t, size_t>> last_rate_;
  // The time taken by the previous percentage as the deadline after it.
  size_t claimed_time_ = kNone;
  // The targets of this clause; the indicator of the last one that has
  // one, shared by the stages after it; the targets before it that have
  // none yet.
  std::vector<Candidate> found_;
  std::optional<std::string> shared_;
  std::vector<size_t> waiting_;
};

class ClauseReader {
 public:
  ClauseReader(const FoldedText& f, const TargetContext& context)
      : f_(f), s_(f.folded), context_(context) {}

  // Adds the targets of the clause s[begin, end) to out.
  void Read(size_t begin, size_t end, std::vector<Candidate>& out) const {
    TrimClause(begin, end);
    if (begin >= end ||
        absl::string_view(s_).substr(begin, end - begin).find('%') ==
            absl::string_view::npos) {
      return;
    }
    std::vector<Percent> percents;
    if (!FindPercents(begin, end, percents) || percents.empty()) return;
    ClauseTargets(f_, context_, begin, end, std::move(percents)).Read(out);
  }

 private:
  // Narrows s[begin, end) to the clause proper: no list marker, no closing
  // punctuation.
  void TrimClause(size_t& begin, size_t& end) const {
    while (true) {
      while (begin < end && IsSpaceByte(s_[begin])) ++begin;
      const size_t item_end = ListItemEnd(s_, begin, end);
      if (item_end == kNone || item_end <= begin) break;
      begin = item_end;
    }
    while (end > begin && (IsSpaceByte(s_[end - 1]) || s_[end - 1] == '.' ||
                           s_[end - 1] == ',')) {
      --end;
    }
  }

  // Collects the percentages of s[b, e) that can be targets. Returns false
  // when the clause holds too many to be a statement of targets.
  bool FindPercents(size_t b, size_t e, std::vector<Percent>& out) const {
    re2::StringPiece g[3];
    size_t pos = b;
    size_t quote_scan = b;
    int quotes = 0;
    int seen = 0;
    while (pos < e &&
           PercentRe().Match(Piece(s_), pos, e, RE2::UNANCHORED, g, 3)) {
      const size_t begin = OffsetOf(s_, g[0]);
      const size_t end = begin + g[0].size();
      pos = std::max(end, begin + 1);
      if (++seen > kMaxPercentsPerClause) return false;
      for (; quote_scan < begin; ++quote_scan) {
        if (s_[quote_scan] == '"') ++quotes;
      }
      // "81.5%" and "81,5%" are decimals; "1.000%" (a thousands
      // separator) and digits glued to a word are not percentages.
      if (begin > b) {
        const char before = s_[begin - 1];
        if (IsWordByte(before) || before == '.' || before == ',') continue;
      }
      if (g[1].size() > 3 || (Matched(g[2]) && g[2].size() > 2)) continue;
      // Inside quotes a percentage is part of a title or a name.
      if (quotes % 2 == 1) continue;
      Percent percent{begin, end};
      ReadFloor(b, e, percent);
      if (IsChangeRate(s_, b, percent.lead)) continue;
      const std::optional<double> value = PercentValue(g);
      if (!value) continue;
      if (*value < 0 || *value > 100) continue;
      percent.value = *value;
      out.push_back(percent);
    }
    return true;
  }

  // Sets p.lead, p.tail and p.floor: "trên 80%", "từ 80% trở lên" and "80%
  // trở lên" in s[b, e) are floors. "từ 80%" alone may start a range.
  void ReadFloor(size_t b, size_t e, Percent& p) const {
    p.lead = p.begin;
    p.tail = p.end;
    size_t after = p.end;
    while (after < e && IsSpaceByte(s_[after])) ++after;
    const size_t up = PhraseAt(s_, after, e, "tro len");
    if (up != kNone) {
      p.tail = up;
      p.floor = true;
    }
    size_t before = p.begin;
    while (before > b && IsSpaceByte(s_[before - 1])) --before;
    if (const size_t above = PhraseBefore(s_, b, before, "tren");
        above != kNone) {
      p.lead = above;
      p.floor = true;
    } else if (const size_t from = PhraseBefore(s_, b, before, "tu");
               from != kNone && up != kNone) {
      p.lead = from;
    }
  }

  const FoldedText& f_;
  const std::string& s_;
  const TargetContext& context_;
};

}  // namespace

absl::StatusOr<std::vector<v1::Target>> ExtractTargets(
    absl::string_view text, const TargetContext& context) {
  std::vector<v1::Target> targets;
  if (text.find('%') == absl::string_view::npos) return targets;
  FoldedText folded = Fold(StripMarkup(text));
  JoinWrappedLines(folded);
  const ClauseReader reader(folded, context);
  std::vector<Candidate> candidates;
  for (const auto& [begin, end] : SplitClauses(folded.folded)) {
    reader.Read(begin, end, candidates);
  }
  // Orphans are kept beside other targets, so that no percentage goes
  // missing unseen; alone they are dropped and the text gives none.
  const bool any_indicator =
      std::any_of(candidates.begin(), candidates.end(),
                  [](const Candidate& c) { return !c.orphan; });
  for (Candidate& candidate : candidates) {
    if (candidate.orphan && !any_indicator) continue;
    if (!candidate.due_status.ok()) return candidate.due_status;
    targets.push_back(std::move(candidate.target));
  }
  return targets;
}

}  // namespace tiendo::plantext
