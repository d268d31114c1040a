// The seven-column task table, as pasted from the signed document (tabs,
// HTML in cells, headers repeated at page breaks) or exported from a
// spreadsheet (CSV).
#include <csv.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/plan_document.h"

namespace tiendo::plantext {
namespace {

constexpr int kColumns = 7;

// Column titles as MatchKey, with the variants plans use.
const std::array<std::vector<absl::string_view>, kColumns>& ColumnTitles() {
  static const auto* titles =
      new std::array<std::vector<absl::string_view>, kColumns>{{
          {"tt", "stt", "so tt"},
          {"nhiem vu", "noi dung", "noi dung nhiem vu", "nhiem vu giai phap"},
          {"van ban chi dao", "van ban", "can cu"},
          {"co quan chu tri", "don vi chu tri", "chu tri",
           "co quan don vi chu tri"},
          {"co quan phoi hop", "don vi phoi hop", "phoi hop",
           "co quan don vi phoi hop"},
          {"thoi gian thuc hien", "thoi gian", "thoi han",
           "thoi gian hoan thanh"},
          {"ket qua san pham", "ket qua", "san pham", "ket qua du kien"},
      }};
  return *titles;
}

constexpr absl::string_view kExpectedColumns =
    "TT, Nhiệm vụ, Văn bản chỉ đạo, Cơ quan chủ trì, Cơ quan phối hợp, Thời "
    "gian thực hiện, Kết quả/sản phẩm";

bool IsHeaderCell(int column, absl::string_view cell) {
  const std::string key = MatchKey(CellText(cell));
  for (absl::string_view title : ColumnTitles()[column]) {
    if (key == title) return true;
  }
  return false;
}

// A row that starts like the table's header ("TT", "STT").
bool LooksLikeHeader(const std::vector<std::string>& cells) {
  return cells.size() >= 2 && IsHeaderCell(0, cells[0]) &&
         !MatchKey(CellText(cells[1])).empty();
}

absl::Status CheckHeader(int line, const std::vector<std::string>& cells) {
  bool ok = cells.size() == kColumns;
  for (int i = 0; ok && i < kColumns; ++i) ok = IsHeaderCell(i, cells[i]);
  if (ok) return absl::OkStatus();
  std::vector<std::string> found;
  found.reserve(cells.size());
  for (const std::string& cell : cells) found.push_back(CellText(cell));
  return absl::InvalidArgumentError(absl::StrFormat(
      "line %d: the table has the columns [%s]; expected the seven columns "
      "%s",
      line, absl::StrJoin(found, ", "), kExpectedColumns));
}

std::string Quote(absl::string_view text) {
  std::string shown(text.substr(0, 60));
  if (text.size() > 60) shown += "…";
  return absl::StrCat("'", shown, "'");
}

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Spreadsheets export the empty columns right of the table too ("...,Kết
// quả/sản phẩm,,"); they are not columns of the table.
void DropTrailingEmpty(std::vector<std::string>& cells) {
  while (cells.size() > kColumns && CellText(cells.back()).empty()) {
    cells.pop_back();
  }
}

// The delimiter of a spreadsheet line: whichever of ';' and ',' it uses
// more.
char CsvDelimiter(absl::string_view line) {
  return std::count(line.begin(), line.end(), ';') >
                 std::count(line.begin(), line.end(), ',')
             ? ';'
             : ',';
}

// Whether a line of a spreadsheet export is the table's header row, judged
// from the line alone (cells split at the delimiter, quotes and a byte
// order mark removed).
bool LooksLikeCsvHeader(absl::string_view line) {
  if (absl::StrContains(line, '\t')) return false;
  if (!absl::StrContains(line, ',') && !absl::StrContains(line, ';')) {
    return false;
  }
  std::vector<std::string> cells;
  for (absl::string_view cell : absl::StrSplit(line, CsvDelimiter(line))) {
    cell = absl::StripAsciiWhitespace(cell);
    absl::ConsumePrefix(&cell, kByteOrderMark);
    cells.emplace_back(absl::StripAsciiWhitespace(
        absl::StripSuffix(absl::StripPrefix(cell, "\""), "\"")));
  }
  return LooksLikeHeader(cells);
}

// Joins a cell continued after a page break to its first part. The break
// cuts a paragraph, so "<p>… về Đề</p>" + "<p>án 06.</p>" is one paragraph.
void JoinContinued(std::string& first, absl::string_view rest) {
  rest = absl::StripAsciiWhitespace(rest);
  if (rest.empty()) return;
  absl::string_view head = absl::StripTrailingAsciiWhitespace(first);
  if (head.empty()) {
    first = std::string(rest);
    return;
  }
  // Whether or not each part carries its own paragraph tags ("<p>... số
  // 225/CAT-PC06</p>" + "ngày 15/01/2026 ..."), no paragraph ends at the
  // break.
  if (absl::EndsWithIgnoreCase(head, "</p>")) head.remove_suffix(4);
  if (absl::StartsWithIgnoreCase(rest, "<p>")) rest.remove_prefix(3);
  first = absl::StrCat(head, " ", rest);
}

// Builds tasks from rows of seven raw cells, whatever the file format.
class RowReader {
 public:
  explicit RowReader(WrittenPlan& plan) : plan_(plan) {}

  absl::Status Row(int line, std::vector<std::string> cells) {
    if (cells.size() != kColumns) {
      return absl::InvalidArgumentError(
          absl::StrFormat("line %d: expected %d columns (%s), found %d", line,
                          kColumns, kExpectedColumns, cells.size()));
    }
    const std::string first = CellText(cells[0]);
    bool rest_empty = true;
    for (int i = 2; i < kColumns; ++i) {
      if (!CellText(cells[i]).empty()) rest_empty = false;
    }
    if (first.empty()) {
      if (CellText(absl::StrJoin(cells, " ")).empty()) return absl::OkStatus();
      if (!open_) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "line %d: a row without a number in column TT continues a task, "
            "but no task comes before it",
            line));
      }
      for (int i = 1; i < kColumns; ++i) JoinContinued(raw_[i], cells[i]);
      return absl::OkStatus();
    }
    std::string number(absl::StripSuffix(first, "."));
    int arabic = 0;
    if (absl::SimpleAtoi(number, &arabic) && arabic > 0) {
      Flush();
      open_ = true;
      task_ = WrittenTask{};
      task_.line = line;
      task_.section = section_;
      task_.section_title = section_title_;
      task_.number = number;
      raw_ = cells;
      return absl::OkStatus();
    }
    if (ParseRomanOrArabic(number).has_value() && rest_empty) {
      Flush();
      section_ = absl::AsciiStrToUpper(number);
      section_title_ = CellText(cells[1]);
      if (section_title_.empty()) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "line %d: section %s has no title in column Nhiệm vụ", line,
            section_));
      }
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrFormat(
        "line %d: column TT holds %s; expected a task number (1, 2, ...) or "
        "a section numeral (I, II, ...) with only a title",
        line, Quote(first)));
  }

  void Flush() {
    if (!open_) return;
    task_.title = CellText(raw_[1]);
    task_.documents = CellText(raw_[2]);
    task_.lead = CellText(raw_[3]);
    task_.coordinators = CellText(raw_[4]);
    task_.timeframe = CellText(raw_[5]);
    task_.result = CellText(raw_[6]);
    plan_.tasks.push_back(std::move(task_));
    open_ = false;
  }

 private:
  WrittenPlan& plan_;
  std::string section_;
  std::string section_title_;
  bool open_ = false;
  WrittenTask task_;
  std::vector<std::string> raw_;
};

std::vector<absl::string_view> Lines(absl::string_view text) {
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  for (absl::string_view& line : lines) line = absl::StripSuffix(line, "\r");
  return lines;
}

// Body text without Markdown emphasis and heading marks.
std::string BodyLine(absl::string_view line) {
  std::string text = CellText(line);
  absl::string_view view = text;
  while (absl::ConsumePrefix(&view, "#")) {
  }
  std::string out;
  for (char c : view) {
    if (c != '*') out.push_back(c);
  }
  return std::string(absl::StripAsciiWhitespace(out));
}

absl::Status NotAPlan() {
  return absl::InvalidArgumentError(absl::StrFormat(
      "line 1: not a plan: no task table with the columns %s and no task "
      "bullets with \"Đơn vị chủ trì:\"",
      kExpectedColumns));
}

absl::Status HeaderOnly(int header_line) {
  return absl::InvalidArgumentError(absl::StrFormat(
      "line %d: the task table has a header but no task rows", header_line));
}

}  // namespace

absl::StatusOr<PlanFormat> ParsePlanFormat(absl::string_view name) {
  const std::string lower = absl::AsciiStrToLower(name);
  if (lower.empty() || lower == "auto") return PlanFormat::kAuto;
  if (lower == "table" || lower == "tsv") return PlanFormat::kTable;
  if (lower == "csv") return PlanFormat::kCsv;
  if (lower == "prose") return PlanFormat::kProse;
  return absl::InvalidArgumentError(absl::StrFormat(
      "format: unknown format '%s'; expected auto, table, tsv, csv or prose",
      name));
}

absl::string_view PlanFormatName(PlanFormat format) {
  switch (format) {
    case PlanFormat::kAuto:
      return "auto";
    case PlanFormat::kTable:
      return "table";
    case PlanFormat::kCsv:
      return "csv";
    case PlanFormat::kProse:
      return "prose";
  }
  return "auto";
}

v1::PlanFormat PlanFormatToProto(PlanFormat format) {
  switch (format) {
    case PlanFormat::kAuto:
      return v1::PLAN_FORMAT_UNSPECIFIED;
    case PlanFormat::kTable:
      return v1::PLAN_FORMAT_TABLE;
    case PlanFormat::kCsv:
      return v1::PLAN_FORMAT_CSV;
    case PlanFormat::kProse:
      return v1::PLAN_FORMAT_PROSE;
  }
  return v1::PLAN_FORMAT_UNSPECIFIED;
}

PlanFormat PlanFormatFromProto(v1::PlanFormat format) {
  switch (format) {
    case v1::PLAN_FORMAT_TABLE:
      return PlanFormat::kTable;
    case v1::PLAN_FORMAT_CSV:
      return PlanFormat::kCsv;
    case v1::PLAN_FORMAT_PROSE:
      return PlanFormat::kProse;
    default:
      return PlanFormat::kAuto;
  }
}

std::string CellText(absl::string_view html) {
  std::string text;
  text.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    const char c = html[i];
    if (c == '<') {
      const size_t close = html.find('>', i);
      if (close == absl::string_view::npos) {
        const absl::string_view rest = html.substr(i);
        text.append(rest.data(), rest.size());
        break;
      }
      const std::string tag =
          absl::AsciiStrToLower(html.substr(i + 1, close - i - 1));
      // Only real tags are removed; "a < b" stays.
      const bool is_tag =
          !tag.empty() && (absl::ascii_isalpha(tag[0]) || tag[0] == '/');
      if (!is_tag) {
        text.push_back(c);
        ++i;
        continue;
      }
      // Tags that end a line of the cell: closing a paragraph, item,
      // block or row, a break, or opening an item or paragraph.
      if (absl::StartsWith(tag, "/p") || absl::StartsWith(tag, "br") ||
          absl::StartsWith(tag, "/li") || absl::StartsWith(tag, "/div") ||
          absl::StartsWith(tag, "/tr") || absl::StartsWith(tag, "li") ||
          absl::StartsWith(tag, "p ") || tag == "p") {
        text.push_back('\n');
      }
      i = close + 1;
      continue;
    }
    if (c == '&') {
      static constexpr std::pair<absl::string_view, absl::string_view>
          kEntities[] = {{"&amp;", "&"},   {"&lt;", "<"},    {"&gt;", ">"},
                         {"&quot;", "\""}, {"&#39;", "'"},   {"&apos;", "'"},
                         {"&nbsp;", " "},  {"&ndash;", "–"}, {"&mdash;", "—"}};
      bool decoded = false;
      for (const auto& [entity, value] : kEntities) {
        if (absl::StartsWith(html.substr(i), entity)) {
          text.append(value.data(), value.size());
          i += entity.size();
          decoded = true;
          break;
        }
      }
      if (decoded) continue;
    }
    text.push_back(c);
    ++i;
  }
  // Collapse spaces within lines, trim lines, drop empty ones.
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::string collapsed;
    bool space = false;
    for (char ch : line) {
      if (ch == ' ' || ch == '\t' || ch == '\r') {
        space = !collapsed.empty();
        continue;
      }
      if (space) collapsed.push_back(' ');
      space = false;
      collapsed.push_back(ch);
    }
    if (!collapsed.empty()) lines.push_back(std::move(collapsed));
  }
  return absl::StrJoin(lines, "\n");
}

absl::StatusOr<PlanFormat> DetectFormat(absl::string_view text) {
  absl::ConsumePrefix(&text, kByteOrderMark);
  int line_number = 0;
  for (absl::string_view line : Lines(text)) {
    ++line_number;
    if (line_number > 5000) break;
    if (absl::StrContains(line, '\t')) {
      if (LooksLikeHeader(absl::StrSplit(line, '\t')))
        return PlanFormat::kTable;
    } else if (LooksLikeCsvHeader(line)) {
      return PlanFormat::kCsv;
    }
  }
  const std::string folded = Fold(text.substr(0, 1 << 20)).folded;
  if (absl::StrContains(folded, "don vi chu tri:") ||
      absl::StrContains(folded, "don vi thuc hien:")) {
    return PlanFormat::kProse;
  }
  return NotAPlan();
}

absl::StatusOr<WrittenPlan> ReadTablePlan(absl::string_view text) {
  absl::ConsumePrefix(&text, kByteOrderMark);
  WrittenPlan plan;
  plan.format = PlanFormat::kTable;
  RowReader rows(plan);
  bool in_table = false;
  int header_line = 0;
  int line_number = 0;
  for (absl::string_view line : Lines(text)) {
    ++line_number;
    if (!in_table) {
      if (absl::StrContains(line, '\t')) {
        std::vector<std::string> cells = absl::StrSplit(line, '\t');
        DropTrailingEmpty(cells);
        if (LooksLikeHeader(cells)) {
          if (absl::Status header = CheckHeader(line_number, cells);
              !header.ok()) {
            return header;
          }
          in_table = true;
          header_line = line_number;
          continue;
        }
      }
      std::string body = BodyLine(line);
      if (!body.empty()) plan.body.push_back({line_number, std::move(body)});
      continue;
    }
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    if (!absl::StrContains(line, '\t')) {
      // Text after the table (signatures, notes) belongs to the body.
      rows.Flush();
      std::string body = BodyLine(line);
      if (!body.empty()) plan.body.push_back({line_number, std::move(body)});
      continue;
    }
    std::vector<std::string> cells = absl::StrSplit(line, '\t');
    DropTrailingEmpty(cells);
    if (LooksLikeHeader(cells)) {
      // Headers repeat at every page break.
      if (absl::Status header = CheckHeader(line_number, cells); !header.ok()) {
        return header;
      }
      continue;
    }
    if (absl::Status row = rows.Row(line_number, std::move(cells)); !row.ok()) {
      return row;
    }
  }
  rows.Flush();
  if (!in_table) return NotAPlan();
  if (plan.tasks.empty()) return HeaderOnly(header_line);
  return plan;
}

namespace {

// Collects libcsv's fields and records with the line each record starts on.
struct CsvCollector {
  std::vector<std::string> fields;
  std::vector<std::pair<int, std::vector<std::string>>> records;
  int current_line = 1;
  int record_start = 1;
  bool record_open = false;

  static void OnField(void* data, size_t length, void* self) {
    auto* collector = static_cast<CsvCollector*>(self);
    if (!collector->record_open) {
      collector->record_open = true;
    }
    collector->fields.emplace_back(static_cast<const char*>(data), length);
  }
  static void OnRecord(int, void* self) {
    auto* collector = static_cast<CsvCollector*>(self);
    collector->records.emplace_back(collector->record_start,
                                    std::move(collector->fields));
    collector->fields.clear();
    collector->record_open = false;
    collector->record_start = collector->current_line + 1;
  }
};

}  // namespace

absl::StatusOr<WrittenPlan> ReadCsvPlan(absl::string_view text) {
  absl::ConsumePrefix(&text, kByteOrderMark);
  // The delimiter is whichever of ',' and ';' the header line uses more;
  // rows above the header (a title such as "PHỤ LỤC ...") may use neither.
  absl::string_view header_text = text.substr(0, text.find('\n'));
  for (absl::string_view line : Lines(text)) {
    if (LooksLikeCsvHeader(line)) {
      header_text = line;
      break;
    }
  }
  const unsigned char delimiter = CsvDelimiter(header_text);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return absl::InternalError("csv: cannot initialise the parser");
  }
  csv_set_delim(&parser, delimiter);
  CsvCollector collector;
  absl::Status error;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    // Blank lines between records are skipped by libcsv; count them so that
    // a record's line is the line it starts on.
    if (!collector.record_open && collector.fields.empty() &&
        absl::StripAsciiWhitespace(line).empty()) {
      collector.record_start = collector.current_line + 1;
    }
    const std::string chunk = absl::StrCat(line, "\n");
    if (csv_parse(&parser, chunk.data(), chunk.size(), CsvCollector::OnField,
                  CsvCollector::OnRecord, &collector) != chunk.size()) {
      error = absl::InvalidArgumentError(
          absl::StrFormat("line %d: %s", collector.current_line,
                          csv_strerror(csv_error(&parser))));
      break;
    }
    ++collector.current_line;
  }
  if (error.ok() && csv_fini(&parser, CsvCollector::OnField,
                             CsvCollector::OnRecord, &collector) != 0) {
    error = absl::InvalidArgumentError(
        absl::StrFormat("line %d: %s", collector.current_line - 1,
                        csv_strerror(csv_error(&parser))));
  }
  csv_free(&parser);
  if (!error.ok()) return error;

  WrittenPlan plan;
  plan.format = PlanFormat::kCsv;
  RowReader rows(plan);
  bool header_seen = false;
  int header_line = 0;
  for (auto& [line, cells] : collector.records) {
    if (CellText(absl::StrJoin(cells, "")).empty()) continue;
    DropTrailingEmpty(cells);
    if (LooksLikeHeader(cells)) {
      if (absl::Status header = CheckHeader(line, cells); !header.ok()) {
        return header;
      }
      if (!header_seen) header_line = line;
      header_seen = true;
      continue;
    }
    if (!header_seen) {
      // Title rows above the table belong to the body.
      std::vector<std::string> parts;
      for (const std::string& cell : cells) {
        std::string part = CellText(cell);
        if (!part.empty()) parts.push_back(std::move(part));
      }
      plan.body.push_back({line, absl::StrJoin(parts, " ")});
      continue;
    }
    if (absl::Status row = rows.Row(line, std::move(cells)); !row.ok()) {
      return row;
    }
  }
  rows.Flush();
  if (!header_seen) return NotAPlan();
  if (plan.tasks.empty()) return HeaderOnly(header_line);
  return plan;
}

}  // namespace tiendo::plantext
