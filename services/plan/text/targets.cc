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

bool ValidYear(int year) { return year >= 1900 && year <= 2200; }

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
    return Matched(year) ? ToInt(year) : context.plan_year;
  };
  if (Matched(g[2])) {
    const std::optional<int> quarter =
        ParseRomanOrArabic(absl::string_view(g[2].data(), g[2].size()));
    const int year = year_or_plan(g[3]);
    if (!quarter || *quarter > 4 || !ValidYear(year)) return std::nullopt;
    hit.due = QuarterEnd(year, *quarter);
  } else if (Matched(g[4])) {
    const int year = year_or_plan(g[5]);
    if (!ValidYear(year)) return std::nullopt;
    hit.due = HalfYearEnd(year, g[4] == "dau" ? 1 : 2);
  } else if (Matched(g[6])) {
    hit.kind = TimeKind::kDate;
    const int year = year_or_plan(g[8]);
    if (year == 0) return std::nullopt;
    auto date = MakeDate(year, ToInt(g[7]), ToInt(g[6]), written);
    if (date.ok()) {
      hit.due = *date;
    } else {
      hit.status = date.status();
    }
  } else if (Matched(g[9])) {
    const int year = year_or_plan(g[10]);
    if (year == 0) return std::nullopt;
    const int month = ToInt(g[9]);
    auto first = MakeDate(year, month, 1, written);
    if (first.ok()) {
      hit.due = MonthEnd(year, month);
    } else {
      hit.status = first.status();
    }
  } else if (Matched(g[12])) {
    hit.kind = TimeKind::kDate;
    // "14/3" alone is as likely a ratio or a document number part as a
    // date; it needs "ngày" or a year.
    if (!Matched(g[11]) && !Matched(g[14])) return std::nullopt;
    const int year = year_or_plan(g[14]);
    if (year == 0) return std::nullopt;
    auto date = MakeDate(year, ToInt(g[13]), ToInt(g[12]), written);
    if (date.ok()) {
      hit.due = *date;
    } else {
      hit.status = date.status();
    }
  } else if (Matched(g[15])) {
    const int year = ToInt(g[15]);
    if (!ValidYear(year)) return std::nullopt;
    hit.due = YearEnd(year);
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

class ClauseReader {
 public:
  ClauseReader(const FoldedText& f, const TargetContext& context)
      : f_(f), s_(f.folded), context_(context) {}

  // Adds the targets of the clause s[b, e) to out.
  void Read(size_t b, size_t e, std::vector<Candidate>& out) const {
    // The clause proper: no list marker, no closing punctuation.
    while (true) {
      while (b < e && IsSpaceByte(s_[b])) ++b;
      const size_t item_end = ListItemEnd(s_, b, e);
      if (item_end == kNone || item_end <= b) break;
      b = item_end;
    }
    while (e > b &&
           (IsSpaceByte(s_[e - 1]) || s_[e - 1] == '.' || s_[e - 1] == ',')) {
      --e;
    }
    if (b >= e || absl::string_view(s_).substr(b, e - b).find('%') ==
                      absl::string_view::npos) {
      return;
    }

    std::vector<Percent> percents;
    if (!FindPercents(b, e, percents)) return;
    if (percents.empty()) return;

    const std::vector<TimeHit> times = FindTimes(f_, b, e, context_);
    const std::vector<DirectionHit> directions = FindDirections(f_, b, e);
    std::vector<std::pair<size_t, size_t>> rates;
    {
      re2::StringPiece m;
      size_t pos = b;
      while (pos < e &&
             RateRe().Match(Piece(s_), pos, e, RE2::UNANCHORED, &m, 1)) {
        const size_t begin = OffsetOf(s_, m);
        rates.emplace_back(begin, begin + m.size());
        pos = begin + std::max<size_t>(m.size(), 1);
      }
    }
    const Trimmer trimmer(f_, times);
    const std::string clause_text = Collapse(f_.Original(b, e));

    // The subject of the clause: what comes before its first direction word
    // or percentage ("đối tượng Bảo trợ xã hội" in "đối tượng Bảo trợ xã
    // hội phấn đấu đạt tỷ lệ 90% ...").
    size_t subject_end = percents.front().lead;
    if (!directions.empty()) {
      subject_end = std::min(subject_end, directions.front().begin);
    }
    // The subject's words, or nothing; a bare "tỷ lệ" only when
    // allow_bare_rate.
    auto subject = [&](bool allow_bare_rate) -> std::optional<std::string> {
      if (subject_end <= b) return std::nullopt;
      size_t sb = b;
      size_t se = subject_end;
      trimmer.Trim(sb, se);
      if (sb >= se || !HasWord(s_, sb, se)) return std::nullopt;
      if (!allow_bare_rate && IsBareRate(sb, se)) return std::nullopt;
      return Collapse(f_.Original(sb, se));
    };

    size_t next_direction = 0;
    int best_rank = 0;
    v1::TargetDirection direction = v1::TARGET_DIRECTION_REACH;
    size_t claimed_time = kNone;
    size_t next_rate = 0;
    std::optional<std::pair<size_t, size_t>> last_rate;

    // The targets of this clause; the indicator of the last one that has
    // one, shared by the stages after it; the targets before it that have
    // none yet.
    std::vector<Candidate> found;
    std::optional<std::string> shared;
    std::vector<size_t> waiting;

    for (size_t i = 0; i < percents.size(); ++i) {
      const Percent& p = percents[i];
      const size_t before_begin = i == 0 ? b : percents[i - 1].tail;
      const size_t after_end =
          i + 1 < percents.size() ? percents[i + 1].lead : e;

      while (next_direction < directions.size() &&
             directions[next_direction].begin < p.begin) {
        const v1::TargetDirection d = directions[next_direction].direction;
        if (Rank(d) > best_rank) {
          best_rank = Rank(d);
          direction = d;
        }
        ++next_direction;
      }
      // "trên 80%", "từ 80% trở lên": a floor, for this percentage and the
      // stages after it.
      if (p.floor && Rank(v1::TARGET_DIRECTION_AT_LEAST) > best_rank) {
        best_rank = Rank(v1::TARGET_DIRECTION_AT_LEAST);
        direction = v1::TARGET_DIRECTION_AT_LEAST;
      }
      while (next_rate < rates.size() && rates[next_rate].first < p.lead) {
        last_rate = rates[next_rate];
        ++next_rate;
      }

      // Due: a deadline after the percentage (up to the next one) belongs
      // to it: "90% trong Quý I năm 2026, 100% trong Quý II năm 2026" are
      // two stages. Otherwise a deadline before it, since the previous
      // percentage ("tỷ lệ ... trong năm 2026 đạt 100%"), unless that
      // percentage already took it.
      const TimeHit* due = nullptr;
      size_t due_index = kNone;
      for (size_t t = 0; t < times.size(); ++t) {
        const TimeHit& hit = times[t];
        if (hit.begin >= p.tail && hit.end <= after_end && hit.Deadline()) {
          due = &hit;
          due_index = t;
          break;
        }
      }
      if (due == nullptr) {
        for (size_t t = times.size(); t > 0; --t) {
          const TimeHit& hit = times[t - 1];
          if (hit.begin >= before_begin && hit.end <= p.lead &&
              hit.Deadline() && t - 1 != claimed_time) {
            due = &hit;
            break;
          }
        }
      }
      claimed_time = due_index;

      // Indicator, first rule that gives words:
      // 1. a rate phrase before the percentage: "tỷ lệ chi trả qua tài
      //    khoản trong năm 2026 đạt 100%" -> "tỷ lệ chi trả qua tài khoản";
      //    what follows the number there ("80% tổng số người dân ...") is
      //    the denominator, not what is measured;
      // 2. the phrase after the percentage, up to the next one or the
      //    clause end: "100% công dân từ đủ 14 tuổi ...";
      // 3. for a percentage followed only by a time phrase or a
      //    denominator: the indicator of the previous target of the clause
      //    (a stage: "60% hộ gia đình ... trước ngày 30/9/2026 và 80% trước
      //    ngày 31/12/2026"), else the clause's subject ("đối tượng Bảo trợ
      //    xã hội ... 90% trong Quý I", "... 60% tổng số hồ sơ"), else the
      //    indicator of the next target of the clause ("60% trước ngày
      //    30/9/2026, 80% trước ngày 31/12/2026 hộ gia đình ...").
      std::optional<std::string> indicator;
      size_t ib = 0;
      size_t ie = 0;
      bool found_here = false;
      if (last_rate && last_rate->first >= before_begin) {
        ib = last_rate->first;
        ie = p.lead;
        trimmer.Trim(ib, ie);
        found_here = ib == last_rate->first && ie > last_rate->second &&
                     HasWord(s_, last_rate->second, ie);
      }
      if (!found_here) {
        ib = p.tail;
        ie = after_end;
        trimmer.Trim(ib, ie);
        found_here = ib < ie && HasWord(s_, ib, ie);
        // "Số hồ sơ trực tuyến đạt tối thiểu 60% tổng số hồ sơ": after the
        // number comes the denominator; the subject, when there is one,
        // says better what is measured.
        if (found_here && PhraseAt(s_, ib, ie, "tong so") != kNone) {
          if (std::optional<std::string> words = subject(false)) {
            indicator = *std::move(words);
          }
        }
      }
      if (found_here && !indicator) {
        indicator = Collapse(f_.Original(ib, ie));
      }
      if (!indicator) indicator = shared;
      if (!indicator) indicator = subject(false);

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
      target.set_text(clause_text);
      if (indicator) {
        for (const size_t w : waiting) {
          found[w].target.set_indicator(*indicator);
        }
        waiting.clear();
        target.set_indicator(*indicator);
        shared = std::move(indicator);
      } else {
        waiting.push_back(found.size());
      }
      found.push_back(std::move(candidate));
    }

    // No percentage of the clause names what is measured ("Đạt 100%",
    // "Tỷ lệ 90% trong năm 2026"): its subject, even a bare "tỷ lệ", or
    // else the clause itself stands in, and the target is an orphan.
    if (!waiting.empty()) {
      const std::string stand_in = subject(true).value_or(clause_text);
      for (const size_t w : waiting) {
        found[w].target.set_indicator(stand_in);
        found[w].orphan = true;
      }
    }
    for (Candidate& candidate : found) out.push_back(std::move(candidate));
  }

 private:
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
      double value = ToInt(g[1]);
      if (Matched(g[2])) {
        double scale = 1;
        for (size_t k = 0; k < g[2].size(); ++k) scale *= 10;
        value += ToInt(g[2]) / scale;
      }
      if (value < 0 || value > 100) continue;
      percent.value = value;
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

  // "tỷ lệ" alone names no indicator.
  bool IsBareRate(size_t b, size_t e) const {
    re2::StringPiece m;
    if (!RateRe().Match(Piece(s_), b, e, RE2::ANCHOR_START, &m, 1)) {
      return false;
    }
    return !HasWord(s_, b + m.size(), e);
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
