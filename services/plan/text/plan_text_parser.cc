#include "services/plan/text/plan_text_parser.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "re2/re2.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/documents.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/targets.h"
#include "services/plan/text/timeframe.h"

namespace tiendo::plantext {
namespace {

absl::Status AtLine(int line, absl::string_view field,
                    const absl::Status& status) {
  return absl::InvalidArgumentError(
      absl::StrFormat("line %d: %s: %s", line, field, status.message()));
}

// ---------------------------------------------------------------- header

struct Header {
  std::string number;
  v1::LocalDate issued;
  std::string place;
  std::string title;
  std::optional<v1::DocumentRef> implements;
  int year = 0;
  // The text to look for the issuing unit in.
  std::string unit_text;
};

bool IsPartHeading(const std::string& folded) {
  static const RE2 kPart(R"(^(i|ii|iii|iv|v|vi)\.\s)");
  return RE2::PartialMatch(folded, kPart);
}

// The plan's own year: the issue date's, else the last year its title names
// ("... giai đoạn 2022 - 2025, tầm nhìn đến năm 2030 ... năm 2026").
int PlanYear(const Header& header) {
  if (header.issued.year() != 0) return header.issued.year();
  static const RE2 kYear(R"(nam\s+(\d{4}))");
  const std::string folded_title = Fold(header.title).folded;
  re2::StringPiece input(folded_title);
  std::string year_text;
  int year = 0;
  // The last year the title names; four digits always convert.
  while (RE2::FindAndConsume(&input, kYear, &year_text)) {
    if (!absl::SimpleAtoi(year_text, &year)) year = 0;
  }
  return year;
}

// Reads the header paragraph by paragraph: number, place and date, the
// title after "KẾ HOẠCH", the document implemented.
class HeaderReader {
 public:
  // The header is what comes before the first part heading ("I. MỤC ĐÍCH,
  // YÊU CẦU"), and never more than the first 40 paragraphs. Returns false
  // once the header is over.
  bool Read(const BodyParagraph& paragraph) {
    if (++count_ > 40) return false;
    const FoldedText text = Fold(paragraph.text);
    if (IsPartHeading(text.folded)) return false;
    absl::StrAppend(&header_.unit_text, paragraph.text, "\n");
    if (ReadNumber(text, paragraph.text)) return true;
    if (ReadPlaceDate(text, 0, paragraph.text)) return true;
    if (MatchKey(paragraph.text) == "ke hoach") {
      after_title_heading_ = true;
      return true;
    }
    ReadTitleAndImplements(text);
    return true;
  }

  Header Finish() && {
    header_.year = PlanYear(header_);
    return std::move(header_);
  }

 private:
  // "Số: 245/KH-UBND"; true when the paragraph gives the number.
  bool ReadNumber(const FoldedText& text, const std::string& paragraph) {
    static const RE2 kNumber(R"(^so\s*:\s*(\S+))");
    const std::string& folded = text.folded;
    re2::StringPiece number_match;
    if (!header_.number.empty() ||
        !RE2::PartialMatch(folded, kNumber, &number_match)) {
      return false;
    }
    const size_t at = number_match.data() - folded.data();
    header_.number = std::string(absl::StripSuffix(
        absl::StripSuffix(text.Original(at, at + number_match.size()), "."),
        ","));
    // "Số: /KH-UBND" leaves the number blank.
    if (!absl::c_any_of(header_.number, absl::ascii_isdigit)) {
      header_.number.clear();
    }
    // The header's two columns pasted on one line: "Số: 245/KH-UBND Vĩnh
    // Thủy, ngày 10 tháng 7 năm 2026".
    ReadPlaceDate(text, at + number_match.size(), paragraph);
    return true;
  }

  // "Vĩnh Thủy, ngày 25 tháng 5 năm 2026" from folded[from, end); true when
  // read, only the first time.
  bool ReadPlaceDate(const FoldedText& text, size_t from,
                     const std::string& paragraph) {
    static const RE2 kPlaceDate(
        R"(^([^,]{2,80}),\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4}))");
    const std::string& folded = text.folded;
    while (from < folded.size() && folded[from] == ' ') ++from;
    const re2::StringPiece rest(folded.data() + from, folded.size() - from);
    re2::StringPiece place;
    int day = 0, month = 0, year = 0;
    if (header_.issued.year() != 0 ||
        !RE2::PartialMatch(rest, kPlaceDate, &place, &day, &month, &year)) {
      return false;
    }
    auto issued = MakeDate(year, month, day, paragraph);
    if (issued.ok()) header_.issued = *issued;
    const size_t place_at = place.data() - folded.data();
    header_.place =
        std::string(text.Original(place_at, place_at + place.size()));
    return true;
  }

  void ReadTitleAndImplements(const FoldedText& text) {
    static const RE2 kImplements(
        R"(thuc hien\s+(ke hoach|quyet dinh|chi thi|nghi quyet|cong van|thong bao)\s+(so\s+)?\S*\d)");
    re2::StringPiece implements_kind;
    size_t implements_at = std::string::npos;
    if (RE2::PartialMatch(text.folded, kImplements, &implements_kind)) {
      implements_at = implements_kind.data() - text.folded.data();
    }
    if (after_title_heading_ && header_.title.empty()) {
      ReadTitle(text, implements_at);
    }
    if (implements_at != std::string::npos && !header_.implements.has_value()) {
      auto documents = ParseDocuments(text.Original(
          implements_at, std::min(text.folded.size(), implements_at + 400)));
      if (documents.ok() && !documents->empty()) {
        header_.implements = documents->front();
      }
    }
  }

  // The title runs until the sentence that names the plan implemented
  // (at implements_at, or npos), when PDF extraction glued them together.
  void ReadTitle(const FoldedText& text, size_t implements_at) {
    const bool has_implements = implements_at != std::string::npos;
    size_t end = text.folded.size();
    if (has_implements && implements_at > strlen("thuc hien ") + 10) {
      end = implements_at - strlen("thuc hien ");
    }
    header_.title =
        std::string(absl::StripAsciiWhitespace(text.Original(0, end)));
    if (has_implements && end == text.folded.size()) {
      // The whole paragraph is the implements sentence; no title.
      header_.title.clear();
    }
  }

  Header header_;
  bool after_title_heading_ = false;
  int count_ = 0;
};

Header ReadHeader(const std::vector<BodyParagraph>& body) {
  HeaderReader reader;
  for (const BodyParagraph& paragraph : body) {
    if (!reader.Read(paragraph)) break;
  }
  return std::move(reader).Finish();
}

// ----------------------------------------------------------- agencies

struct Mention {
  size_t begin = 0;  // in key words
  size_t end = 0;
  std::string name;
};

// Names of agencies and groups of a unit and its ancestors, as match keys.
std::vector<std::pair<std::vector<std::string>, std::string>> KnownNames(
    const AgencyRegistry& registry, absl::string_view unit_code) {
  std::vector<std::pair<std::vector<std::string>, std::string>> names;
  for (const RegistryUnit* unit = registry.Unit(unit_code); unit != nullptr;
       unit = registry.Unit(unit->parent)) {
    auto add = [&](const std::string& name) {
      const std::string key = MatchKey(name);
      if (!key.empty()) {
        names.emplace_back(absl::StrSplit(key, ' '), name);
      }
    };
    for (const RegistryAgency& agency : unit->agencies) {
      add(agency.name);
      for (const std::string& alias : agency.aliases) add(alias);
    }
    for (const RegistryGroup& group : unit->groups) {
      add(group.name);
      for (const std::string& alias : group.aliases) add(alias);
    }
    if (unit->parent.empty() || unit->parent == unit->code) break;
  }
  return names;
}

// Agencies named in running text, longest name first at each word.
std::vector<Mention> FindMentions(
    const std::vector<std::pair<std::vector<std::string>, std::string>>& names,
    const std::vector<std::string>& words) {
  std::vector<Mention> mentions;
  for (size_t i = 0; i < words.size();) {
    size_t best = 0;
    const std::string* best_name = nullptr;
    for (const auto& [key, name] : names) {
      if (key.size() <= best || i + key.size() > words.size()) continue;
      if (std::equal(key.begin(), key.end(), words.begin() + i)) {
        best = key.size();
        best_name = &name;
      }
    }
    if (best_name != nullptr) {
      mentions.push_back({i, i + best, *best_name});
      i += best;
    } else {
      ++i;
    }
  }
  return mentions;
}

// ---------------------------------------------------------- obligations

struct Obligation {
  int line = 0;
  std::string sentence;
  std::string timeframe;
  std::vector<std::string> lead_names;
  // For obligations inside a task: that task's agencies.
  const WrittenTask* task = nullptr;
};

// "báo cáo định kỳ trước ngày 12 hằng tháng", "hàng tháng (trước ngày 10)",
// "trình ... trước ngày 18 hàng tháng".
std::vector<Obligation> FindObligations(
    const std::vector<BodyParagraph>& paragraphs,
    const std::vector<std::pair<std::vector<std::string>, std::string>>&
        names) {
  // Folding makes "hằng" and "hàng" both "hang".
  static const RE2 kMonthly(
      R"(truoc ngay\s+\d{1,2}\s+hang\s+thang|hang\s+thang\s*\(\s*truoc ngay\s+\d{1,2}\s*\))");
  static const RE2 kReportVerb(R"(bao cao|trinh|tong hop)");
  static const RE2 kAssign(R"(^(\d+\.\s+)?giao\s)");
  std::vector<Obligation> found;
  std::string assigned_context;  // the latest "N. Giao X ..." paragraph
  for (const BodyParagraph& paragraph : paragraphs) {
    const FoldedText text = Fold(paragraph.text);
    const std::string& folded = text.folded;
    const bool numbered = RE2::PartialMatch(folded, R"(^\d+\.\s)");
    if (numbered) assigned_context.clear();
    if (RE2::PartialMatch(folded, kAssign)) assigned_context = paragraph.text;
    size_t position = 0;
    re2::StringPiece whole;
    while (position < folded.size() &&
           kMonthly.Match(folded, position, folded.size(), RE2::UNANCHORED,
                          &whole, 1)) {
      const size_t begin = whole.data() - folded.data();
      const size_t end = begin + whole.size();
      position = std::max(end, begin + 1);
      // The sentence around the match.
      size_t sentence_begin = folded.rfind(". ", begin);
      sentence_begin =
          sentence_begin == std::string::npos ? 0 : sentence_begin + 2;
      size_t sentence_end = folded.find(". ", end);
      if (sentence_end == std::string::npos) sentence_end = folded.size();
      const std::string before =
          folded.substr(sentence_begin, begin - sentence_begin);
      if (!RE2::PartialMatch(before, kReportVerb)) continue;
      Obligation obligation;
      obligation.line = paragraph.line;
      obligation.sentence = std::string(absl::StripAsciiWhitespace(
          text.Original(sentence_begin, sentence_end)));
      obligation.timeframe = std::string(text.Original(begin, end));
      // Who reports: the agency the paragraph (or its numbered parent)
      // assigns with "Giao X", else the agencies named as the subject,
      // i.e. the first names of the sentence and those joined to them by
      // "và".
      std::string subject_text = before;
      if (!assigned_context.empty()) {
        subject_text = MatchKey(assigned_context);
        static const RE2 kGiao(R"(giao\s(.*))");
        std::string after;
        if (RE2::PartialMatch(subject_text, kGiao, &after))
          subject_text = after;
      }
      const std::string key = MatchKey(subject_text);
      const std::vector<std::string> words =
          key.empty() ? std::vector<std::string>{}
                      : std::vector<std::string>(absl::StrSplit(key, ' '));
      const std::vector<Mention> mentions = FindMentions(names, words);
      for (size_t m = 0; m < mentions.size(); ++m) {
        if (m > 0) {
          const size_t gap = mentions[m].begin - mentions[m - 1].end;
          const bool joined =
              gap == 0 || (gap == 1 && words[mentions[m - 1].end] == "va");
          if (!joined) break;
        }
        obligation.lead_names.push_back(mentions[m].name);
      }
      found.push_back(std::move(obligation));
    }
  }
  return found;
}

// ---------------------------------------------------------------- tasks

std::vector<std::string> Dedup(std::vector<std::string> codes) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::string& code : codes) {
    if (seen.insert(code).second) out.push_back(std::move(code));
  }
  return out;
}

void AddReview(v1::TaskSpec& task, absl::string_view field) {
  for (const std::string& existing : task.needs_review()) {
    if (existing == field) return;
  }
  task.add_needs_review(std::string(field));
}

bool ScheduleEmpty(const v1::Schedule& schedule) {
  return schedule.milestones().empty() && !schedule.has_ongoing() &&
         !schedule.has_recurrence() && !schedule.triggered();
}

struct TaskBuilder {
  const AgencyRegistry& registry;
  std::string unit;
  int year;
  std::set<std::string>* used_codes;

  absl::StatusOr<v1::TaskSpec> Build(const WrittenTask& written) const {
    v1::TaskSpec task;
    task.set_number(written.number);
    task.set_title(written.title);
    task.set_expected_result(written.result);
    task.set_timeframe(written.timeframe);
    task.set_subsection_title(written.subsection_title);
    task.set_source_line(written.line);
    task.set_kind(v1::TASK_KIND_WORK);
    AddAgencies(written, task);
    if (absl::Status s = AddDocuments(written, task); !s.ok()) return s;
    absl::StatusOr<v1::LocalDate> last = AddSchedule(written, task);
    if (!last.ok()) return last.status();
    if (absl::Status s = AddTargets(written, *last, task); !s.ok()) return s;
    return task;
  }

 private:
  void AddAgencies(const WrittenTask& written, v1::TaskSpec& task) const {
    const AgencyResolution lead = registry.Resolve(unit, written.lead);
    const AgencyResolution coordinators =
        registry.Resolve(unit, written.coordinators);
    std::vector<std::string> lead_codes = Dedup(lead.codes);
    std::set<std::string> lead_set(lead_codes.begin(), lead_codes.end());
    for (const std::string& code : lead_codes) task.add_lead_agencies(code);
    for (const std::string& code : Dedup(coordinators.codes)) {
      // A group in the coordinators may include the lead itself.
      if (!lead_set.contains(code)) task.add_coordinating_agencies(code);
    }
    // A name unknown as lead and as coordinator is listed once.
    std::vector<std::string> unknown = lead.unknown;
    unknown.insert(unknown.end(), coordinators.unknown.begin(),
                   coordinators.unknown.end());
    for (std::string& name : Dedup(std::move(unknown))) {
      task.add_unknown_agencies(std::move(name));
    }
    if (lead_codes.empty() || !lead.unknown.empty()) AddReview(task, "lead");
    if (!coordinators.unknown.empty()) AddReview(task, "coordinators");
    used_codes->insert(task.lead_agencies().begin(),
                       task.lead_agencies().end());
    used_codes->insert(task.coordinating_agencies().begin(),
                       task.coordinating_agencies().end());
  }

  // Documents: the column, or references inside the task's text.
  static absl::Status AddDocuments(const WrittenTask& written,
                                   v1::TaskSpec& task) {
    const std::string& document_text =
        written.documents.empty() ? written.title : written.documents;
    auto documents = ParseDocuments(document_text);
    if (!documents.ok()) {
      return AtLine(written.line, "documents", documents.status());
    }
    for (v1::DocumentRef& document : *documents) {
      task.add_directing_documents(document.text());
      *task.add_documents() = std::move(document);
    }
    if (!written.documents.empty() && task.documents().empty()) {
      AddReview(task, "documents");
    }
    return absl::OkStatus();
  }

  // The schedule and the due date; returns the last date of the schedule
  // (year 0 when it has none).
  absl::StatusOr<v1::LocalDate> AddSchedule(const WrittenTask& written,
                                            v1::TaskSpec& task) const {
    auto schedule = ParseTimeframe(written.timeframe, {.plan_year = year});
    if (!schedule.ok()) {
      return AtLine(written.line, "timeframe", schedule.status());
    }
    if (!schedule->not_understood().empty() || ScheduleEmpty(*schedule)) {
      AddReview(task, "schedule");
    }
    const v1::LocalDate last = LastDate(*schedule);
    if (last.year() != 0) *task.mutable_due_date() = last;
    *task.mutable_schedule() = std::move(*schedule);
    return last;
  }

  // Targets, from the result and the task's own text; a target without a
  // date of its own is due at the schedule's last date, else at year end.
  absl::Status AddTargets(const WrittenTask& written, const v1::LocalDate& last,
                          v1::TaskSpec& task) const {
    TargetContext context;
    context.plan_year = year;
    context.fallback_due = last.year() != 0 ? last : YearEnd(year);
    std::set<std::pair<std::string, double>> seen;
    for (const std::string* source : {&written.result, &written.title}) {
      if (source->empty()) continue;
      auto targets = ExtractTargets(*source, context);
      if (!targets.ok()) {
        return AtLine(written.line, "targets", targets.status());
      }
      for (v1::Target& target : *targets) {
        if (!seen.emplace(MatchKey(target.indicator()), target.percent())
                 .second) {
          continue;
        }
        *task.add_targets() = std::move(target);
      }
    }
    if (task.targets().empty() && (absl::StrContains(written.result, '%'))) {
      AddReview(task, "targets");
    }
    return absl::OkStatus();
  }
};

using KnownNameList =
    std::vector<std::pair<std::vector<std::string>, std::string>>;

// The plan as written, in the format asked for or the one detected.
absl::StatusOr<WrittenPlan> ReadWritten(const std::string& text,
                                        PlanFormat& format) {
  if (format == PlanFormat::kAuto) {
    auto detected = DetectFormat(text);
    if (!detected.ok()) return detected.status();
    format = *detected;
  }
  switch (format) {
    case PlanFormat::kTable:
      return ReadTablePlan(text);
    case PlanFormat::kCsv:
      return ReadCsvPlan(text);
    case PlanFormat::kProse:
    case PlanFormat::kAuto:
      return ReadProsePlan(text);
  }
  return ReadProsePlan(text);
}

// The issuing unit: the one given, else the one the header names.
absl::StatusOr<const RegistryUnit*> ResolveUnit(const AgencyRegistry& registry,
                                                const ParseOptions& options,
                                                const Header& header) {
  if (!options.unit.empty()) {
    const RegistryUnit* unit = registry.Unit(options.unit);
    if (unit == nullptr) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "unit: '%s' is not in the agency registry", options.unit));
    }
    return unit;
  }
  const RegistryUnit* unit = registry.FindUnitIn(header.unit_text);
  if (unit == nullptr) {
    return absl::InvalidArgumentError(
        "unit: the plan's header names no unit the agency registry knows; "
        "give the unit code (--unit)");
  }
  return unit;
}

// Number, date, year, title, implements; the options stand in for what
// the header leaves blank.
absl::Status SetHeaderFields(const Header& header, const ParseOptions& options,
                             v1::CreatePlanRequest& request) {
  std::string number = !options.number.empty() ? options.number : header.number;
  if (number.empty()) request.add_needs_review("number");
  request.set_number(number);
  if (header.issued.year() != 0) {
    *request.mutable_issued() = header.issued;
  } else {
    request.add_needs_review("issued");
  }
  const int year = options.year != 0 ? options.year : header.year;
  if (year == 0) {
    return absl::InvalidArgumentError(
        "year: the plan's header gives no date or year; give the year "
        "(--year)");
  }
  request.set_year(year);
  request.set_title(header.title);
  if (header.implements.has_value()) {
    request.set_implements(header.implements->number());
    *request.mutable_implements_document() = *header.implements;
  }
  return absl::OkStatus();
}

// The request's sections by code, in the order first written.
class SectionIndex {
 public:
  explicit SectionIndex(v1::CreatePlanRequest& request) : request_(request) {}

  v1::SectionSpec& For(const std::string& written_code,
                       const std::string& title) {
    // A table without section rows puts every task in section "0".
    const std::string code = written_code.empty() ? "0" : written_code;
    auto [it, inserted] = index_.emplace(code, request_.sections_size());
    if (inserted) {
      v1::SectionSpec* section = request_.add_sections();
      section->set_code(code);
      section->set_title(title);
    }
    return *request_.mutable_sections(it->second);
  }

 private:
  v1::CreatePlanRequest& request_;
  std::map<std::string, int> index_;
};

// Reporting obligations from the body, then from tasks' own text (those
// point to their task).
std::vector<Obligation> CollectObligations(const WrittenPlan& written,
                                           const KnownNameList& names) {
  std::vector<Obligation> obligations = FindObligations(written.body, names);
  std::vector<BodyParagraph> task_texts;
  for (const WrittenTask& written_task : written.tasks) {
    for (absl::string_view paragraph :
         absl::StrSplit(written_task.title, '\n')) {
      task_texts.push_back({written_task.line, std::string(paragraph)});
    }
  }
  std::vector<Obligation> in_tasks = FindObligations(task_texts, names);
  for (Obligation& obligation : in_tasks) {
    for (const WrittenTask& written_task : written.tasks) {
      if (written_task.line == obligation.line) {
        obligation.task = &written_task;
        break;
      }
    }
    obligations.push_back(std::move(obligation));
  }
  return obligations;
}

// The report task an obligation asks for, numbered in section "BC".
WrittenTask ReportTaskOf(const Obligation& obligation, int number) {
  WrittenTask report;
  report.line = obligation.line;
  report.section = "BC";
  report.section_title = "Chế độ thông tin, báo cáo";
  report.number = absl::StrCat(number);
  report.title = obligation.sentence;
  report.timeframe = obligation.timeframe;
  if (obligation.task != nullptr) {
    report.lead = obligation.task->lead;
    report.coordinators = obligation.task->coordinators;
  } else {
    report.lead = absl::StrJoin(obligation.lead_names, ", ");
  }
  return report;
}

// One report task per cadence (every, day) among the obligations.
absl::Status AddReportTasks(const std::vector<Obligation>& obligations,
                            int year, const TaskBuilder& builder,
                            SectionIndex& sections) {
  std::set<std::pair<int, int>> cadences;
  int report_number = 0;
  for (const Obligation& obligation : obligations) {
    auto schedule = ParseTimeframe(obligation.timeframe, {.plan_year = year});
    if (!schedule.ok() || !schedule->has_recurrence()) continue;
    if (!cadences
             .emplace(schedule->recurrence().every(),
                      schedule->recurrence().day())
             .second) {
      continue;
    }
    const WrittenTask report = ReportTaskOf(obligation, ++report_number);
    auto task = builder.Build(report);
    if (!task.ok()) return task.status();
    task->set_kind(v1::TASK_KIND_REPORT);
    *sections.For(report.section, report.section_title).add_tasks() =
        std::move(*task);
  }
  return absl::OkStatus();
}

// The agencies the tasks name, with their registry names.
void AddUsedAgencies(const std::set<std::string>& used_codes,
                     const AgencyRegistry& registry,
                     v1::CreatePlanRequest& request) {
  for (const std::string& code : used_codes) {
    v1::Agency* agency = request.add_agencies();
    agency->set_code(code);
    const RegistryAgency* known = registry.Agency(code);
    agency->set_name(known != nullptr ? known->name : code);
  }
}

}  // namespace

absl::StatusOr<ParsedPlan> ParsePlanText(absl::string_view raw_text,
                                         const AgencyRegistry& registry,
                                         const ParseOptions& options) {
  // A spreadsheet's export may start with a byte order mark.
  const std::string text = ToNfc(absl::StripPrefix(raw_text, "\xEF\xBB\xBF"));
  ParsedPlan parsed;
  parsed.format = options.format;
  absl::StatusOr<WrittenPlan> written = ReadWritten(text, parsed.format);
  if (!written.ok()) return written.status();

  v1::CreatePlanRequest& request = parsed.request;
  const Header header = ReadHeader(written->body);
  absl::StatusOr<const RegistryUnit*> unit =
      ResolveUnit(registry, options, header);
  if (!unit.ok()) return unit.status();
  request.set_unit((*unit)->code);
  request.set_unit_name((*unit)->name);
  request.set_standing_agency((*unit)->standing_agency);
  if (absl::Status s = SetHeaderFields(header, options, request); !s.ok()) {
    return s;
  }

  // Tasks, grouped by section in the order written.
  std::set<std::string> used_codes;
  if (!request.standing_agency().empty()) {
    used_codes.insert(request.standing_agency());
  }
  const TaskBuilder builder{registry, (*unit)->code, request.year(),
                            &used_codes};
  SectionIndex sections(request);
  for (const WrittenTask& written_task : written->tasks) {
    auto task = builder.Build(written_task);
    if (!task.ok()) return task.status();
    *sections.For(written_task.section, written_task.section_title)
         .add_tasks() = std::move(*task);
  }
  const std::vector<Obligation> obligations =
      CollectObligations(*written, KnownNames(registry, (*unit)->code));
  if (absl::Status s =
          AddReportTasks(obligations, request.year(), builder, sections);
      !s.ok()) {
    return s;
  }
  AddUsedAgencies(used_codes, registry, request);
  return parsed;
}

}  // namespace tiendo::plantext
