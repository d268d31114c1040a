#include "services/aggregation/monthly_report.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/aggregation/kpi_standing.h"
#include "services/common/clock.h"
#include "services/common/html.h"
#include "services/common/proto_convert.h"
#include "services/common/utf8.h"

namespace tiendo::aggregation {
namespace {

std::string Day(const v1::LocalDate& date) {
  if (!IsSet(date)) return "";
  absl::StatusOr<absl::CivilDay> day = FromProto(date, "date");
  return day.ok() ? FormatDayVi(*day) : "";
}

// "62,5%": one decimal at most, decimal comma, as Vietnamese reports write.
std::string Pct(double value) {
  const double rounded = std::round(value * 10) / 10;
  std::string text = absl::StrFormat("%.1f", rounded == 0 ? 0.0 : rounded);
  if (absl::EndsWith(text, ".0")) text.resize(text.size() - 2);
  return absl::StrCat(absl::StrReplaceAll(text, {{".", ","}}), "%");
}

// "23:59 ngày 30/06/2026".
std::string When(const google::protobuf::Timestamp& ts) {
  const absl::Time t = FromProto(ts);
  return absl::StrCat(absl::FormatTime("%H:%M", t, LocalZone()), " ngày ",
                      FormatDayVi(LocalDay(t)));
}

std::string MonthLabel(absl::CivilMonth month) {
  return absl::StrCat("tháng ", month.month(), "/", month.year());
}

std::string Task(const std::string& section, const std::string& number,
                 const std::string& title) {
  std::string ref =
      section.empty() ? number : absl::StrCat(section, ".", number);
  if (title.empty()) return ref;
  // Titles are whole paragraphs in the plans; a table cell needs the start.
  constexpr size_t kShownBytes = 120;
  std::string shown = title;
  if (shown.size() > kShownBytes) {
    shown = absl::StrCat(TruncateUtf8(title, kShownBytes), "…");
  }
  return absl::StrCat(ref, " ", shown);
}

// A neutral form of the report that each format writes out: sections of
// paragraphs and tables.
struct Table {
  std::string title;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // Said instead of an empty table.
  std::string when_empty;
};
struct Section {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<Table> tables;
};
struct Document {
  std::string title;
  std::vector<std::string> lead;
  std::vector<Section> sections;
};

std::string StatusOfReport(const v1::LateReport& r) {
  if (!r.received()) {
    return absl::StrCat("chưa báo cáo (quá hạn ", r.days_late(), " ngày)");
  }
  return absl::StrCat("báo cáo chậm ", r.days_late(), " ngày (ngày ",
                      Day(r.received_on()), ")");
}

std::string VerdictText(const v1::KpiValue& value, const v1::KpiStage& stage) {
  switch (VerdictOf(value, stage)) {
    case StageVerdict::kNotJudged:
      return "chưa đánh giá";
    case StageVerdict::kMet:
      return "đạt";
    case StageVerdict::kMissed:
      return absl::StrCat("không đạt, còn thiếu ", Pct(stage.gap()));
    case StageVerdict::kBehind:
      return absl::StrCat("chưa đạt, còn thiếu ", Pct(stage.gap()));
  }
  return "";
}

std::string RateText(const v1::ReportingRate* rate) {
  if (rate == nullptr) return "chưa đến hạn";
  return absl::StrCat(rate->received(), "/", rate->expected(), " đã báo cáo (",
                      Pct(rate->reporting_rate()), "), đúng hạn ",
                      rate->received_on_time(), " (", Pct(rate->on_time_rate()),
                      ")");
}

Table HeadlineNumbers(const v1::MonthlyReport& report, absl::CivilMonth month) {
  const v1::StatusCounts& c = report.rollup().subtree_totals();
  const IndicatorsMet indicators = CountIndicatorsMet(report.kpis());
  Table numbers{.title = "",
                .header = {"Chỉ số", "Giá trị"},
                .rows = {},
                .when_empty = ""};
  numbers.rows = {
      {"Tổng số nhiệm vụ", absl::StrCat(c.total())},
      {"Đã hoàn thành", absl::StrCat(c.done(), " (đúng hạn ", c.on_time(),
                                     ", quá hạn ", c.done_late(), ")")},
      {"Đang thực hiện", absl::StrCat(c.in_progress())},
      {"Chưa triển khai", absl::StrCat(c.not_started())},
      {"Có vướng mắc", absl::StrCat(c.blocked())},
      {"Quá hạn chưa hoàn thành", absl::StrCat(c.overdue())},
      {"Thực hiện thường xuyên", absl::StrCat(c.ongoing())},
      {"Tiến độ bình quân", Pct(c.percent_complete())},
      {"Vướng mắc chưa giải quyết", absl::StrCat(c.open_difficulties())},
      {"Chỉ tiêu đã đạt", absl::StrCat(indicators.met, "/", indicators.judged)},
      {absl::StrCat("Báo cáo định kỳ kỳ ", MonthLabel(month)),
       RateText(RateOfMonth(report))},
  };
  return numbers;
}

Table ProgressByUnit(const v1::Rollup& rollup) {
  Table units{.title = "Tiến độ theo đơn vị",
              .header = {"Đơn vị", "Tổng số", "Hoàn thành", "Đúng hạn",
                         "Quá hạn", "Có vướng mắc", "Tiến độ"},
              .rows = {},
              .when_empty = ""};
  for (const v1::UnitRollup& u : rollup.by_child_unit()) {
    const v1::StatusCounts& uc = u.counts();
    units.rows.push_back(
        {u.name(), absl::StrCat(uc.total()), absl::StrCat(uc.done()),
         absl::StrCat(uc.on_time()), absl::StrCat(uc.overdue()),
         absl::StrCat(uc.blocked()), Pct(uc.percent_complete())});
  }
  return units;
}

Table ProgressBySection(const v1::MonthlyReport& report) {
  Table sections{
      .title = absl::StrCat("Nhiệm vụ của ", report.unit_name(), " theo phần"),
      .header = {"Phần", "Tổng số", "Hoàn thành", "Quá hạn", "Tiến độ"},
      .rows = {},
      .when_empty = ""};
  for (const v1::SectionRollup& s : report.rollup().by_section()) {
    sections.rows.push_back(
        {s.title().empty() ? s.section()
                           : absl::StrCat(s.section(), ". ", s.title()),
         absl::StrCat(s.counts().total()), absl::StrCat(s.counts().done()),
         absl::StrCat(s.counts().overdue()),
         Pct(s.counts().percent_complete())});
  }
  return sections;
}

// 1. Headline numbers.
Section Headline(const v1::MonthlyReport& report, absl::CivilMonth month) {
  Section headline{.title = "1. Tổng quan", .paragraphs = {}, .tables = {}};
  headline.tables.push_back(HeadlineNumbers(report, month));
  if (!report.rollup().by_child_unit().empty()) {
    headline.tables.push_back(ProgressByUnit(report.rollup()));
  }
  if (!report.rollup().by_section().empty()) {
    headline.tables.push_back(ProgressBySection(report));
  }
  return headline;
}

// The rows of one indicator: one per stage, or one without a target.
void AddKpiRows(const v1::IndicatorKpi& k, Table& table) {
  const v1::KpiValue& v = k.value();
  const std::string measured = v.units_measured() > 0
                                   ? Pct(v.percent())
                                   : std::string("chưa có số liệu");
  const std::string counts =
      v.units_measured() > 0 ? absl::StrCat(v.numerator(), "/", v.denominator())
                             : std::string("");
  const std::string name =
      k.indicator().empty() ? k.indicator_id() : k.indicator();
  if (k.stages().empty()) {
    table.rows.push_back(
        {name, measured, counts, absl::StrCat(v.units_measured()), "", "", ""});
    return;
  }
  for (const v1::KpiStage& s : k.stages()) {
    table.rows.push_back(
        {name, measured, counts, absl::StrCat(v.units_measured()),
         Pct(s.target_percent()), Day(s.due()), VerdictText(v, s)});
  }
}

// 2. KPIs against targets.
Section Kpis(const v1::MonthlyReport& report) {
  Section kpis{.title = "2. Kết quả thực hiện các chỉ tiêu",
               .paragraphs = {},
               .tables = {}};
  Table kpi_table{
      .title = "",
      .header = {"Chỉ tiêu", "Kết quả", "Tử số/Mẫu số", "Đơn vị có số liệu",
                 "Mục tiêu", "Hạn", "Đánh giá"},
      .rows = {},
      .when_empty = "Chưa có chỉ tiêu được đo."};
  for (const v1::IndicatorKpi& k : report.kpis().indicators()) {
    AddKpiRows(k, kpi_table);
  }
  kpis.tables.push_back(std::move(kpi_table));
  return kpis;
}

// 3. Periodic reports of the month.
Section Reporting(const v1::MonthlyReport& report, absl::CivilMonth month) {
  Section reporting{.title = absl::StrCat("3. Tình hình báo cáo định kỳ kỳ ",
                                          MonthLabel(month)),
                    .paragraphs = {},
                    .tables = {}};
  Table by_unit{.title = "",
                .header = {"Đơn vị", "Phải báo cáo", "Đã báo cáo", "Đúng hạn",
                           "Tỷ lệ báo cáo", "Tỷ lệ đúng hạn"},
                .rows = {},
                .when_empty = "Chưa có báo cáo đến hạn."};
  for (const v1::ReportingRate& r : report.reporting().by_unit()) {
    by_unit.rows.push_back({r.name(), absl::StrCat(r.expected()),
                            absl::StrCat(r.received()),
                            absl::StrCat(r.received_on_time()),
                            Pct(r.reporting_rate()), Pct(r.on_time_rate())});
  }
  reporting.tables.push_back(std::move(by_unit));
  Table late{.title = "Đơn vị báo cáo chậm hoặc chưa báo cáo",
             .header = {"Đơn vị", "Báo cáo", "Hạn", "Tình trạng"},
             .rows = {},
             .when_empty = "Không có."};
  for (const v1::LateReport& r : report.reporting().late_or_missing()) {
    late.rows.push_back({r.unit_name().empty() ? r.unit() : r.unit_name(),
                         r.label().empty() ? r.occurrence_id() : r.label(),
                         Day(r.due()), StatusOfReport(r)});
  }
  reporting.tables.push_back(std::move(late));
  return reporting;
}

// 4. Overdue tasks by lead agency.
Section Overdue(const v1::MonthlyReport& report) {
  Section overdue{.title = "4. Nhiệm vụ quá hạn theo cơ quan chủ trì",
                  .paragraphs = {},
                  .tables = {}};
  if (report.overdue_by_agency().empty()) {
    overdue.paragraphs.push_back("Không có nhiệm vụ quá hạn.");
  }
  for (const v1::AgencyOverdue& a : report.overdue_by_agency()) {
    Table t{.title = a.agency().empty()
                         ? std::string("Chưa xác định cơ quan chủ trì")
                         : a.agency(),
            .header = {"Nhiệm vụ", "Đơn vị", "Đợt", "Hạn", "Số ngày quá hạn"},
            .rows = {},
            .when_empty = ""};
    for (const v1::OverdueItem& i : a.items()) {
      t.rows.push_back({Task(i.section(), i.number(), i.title()),
                        i.unit_name().empty() ? i.unit() : i.unit_name(),
                        i.occurrence_label(), Day(i.due()),
                        absl::StrCat(i.days_overdue())});
    }
    overdue.tables.push_back(std::move(t));
  }
  return overdue;
}

// 5. Difficulties not resolved.
Section Difficulties(const v1::MonthlyReport& report) {
  Section difficulties{.title = "5. Khó khăn, vướng mắc chưa được giải quyết",
                       .paragraphs = {},
                       .tables = {}};
  Table d{.title = "",
          .header = {"Nhiệm vụ", "Đơn vị", "Nội dung vướng mắc",
                     "Đơn vị báo cáo", "Ngày báo cáo", "Số ngày"},
          .rows = {},
          .when_empty = "Không có vướng mắc tồn đọng."};
  for (const v1::OpenDifficulty& x : report.difficulties()) {
    d.rows.push_back({Task(x.section(), x.number(), x.title()),
                      x.unit_name().empty() ? x.unit() : x.unit_name(),
                      x.difficulty(), x.raised_by(), Day(x.raised_on()),
                      absl::StrCat(x.days_open())});
  }
  difficulties.tables.push_back(std::move(d));
  return difficulties;
}

Document Compose(const v1::MonthlyReport& report) {
  absl::CivilMonth month;
  (void)absl::ParseCivilTime(report.month(), &month);
  Document doc;
  doc.title = absl::StrCat("Báo cáo tổng hợp kết quả thực hiện ",
                           MonthLabel(month), " – ", report.unit_name());
  doc.lead.push_back(absl::StrCat(
      "Số liệu nhiệm vụ, chỉ tiêu và vướng mắc tính đến ",
      When(report.data_at()), "; tình hình báo cáo định kỳ kỳ ",
      MonthLabel(month), " tính đến ", When(report.generated_at()), "."));
  doc.sections.push_back(Headline(report, month));
  doc.sections.push_back(Kpis(report));
  doc.sections.push_back(Reporting(report, month));
  doc.sections.push_back(Overdue(report));
  doc.sections.push_back(Difficulties(report));
  return doc;
}

// Text as it reads, whatever Markdown would make of it: "<CCCD>" is not a
// tag, "**" not emphasis, "|" not a column.
std::string MarkdownCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') {
      out += ' ';
      continue;
    }
    if (std::strchr("\\|<>&*_`[]", c) != nullptr) out += '\\';
    out += c;
  }
  return out;
}

std::string Markdown(const Document& doc) {
  std::string out = absl::StrCat("# ", doc.title, "\n\n");
  for (const std::string& p : doc.lead) absl::StrAppend(&out, p, "\n\n");
  for (const Section& s : doc.sections) {
    absl::StrAppend(&out, "## ", s.title, "\n\n");
    for (const std::string& p : s.paragraphs) absl::StrAppend(&out, p, "\n\n");
    for (const Table& t : s.tables) {
      if (!t.title.empty()) absl::StrAppend(&out, "### ", t.title, "\n\n");
      if (t.rows.empty()) {
        if (!t.when_empty.empty()) absl::StrAppend(&out, t.when_empty, "\n\n");
        continue;
      }
      std::vector<std::string> header;
      for (const std::string& h : t.header) header.push_back(MarkdownCell(h));
      absl::StrAppend(&out, "| ", absl::StrJoin(header, " | "), " |\n|");
      for (size_t i = 0; i < t.header.size(); ++i)
        absl::StrAppend(&out, "---|");
      absl::StrAppend(&out, "\n");
      for (const std::vector<std::string>& row : t.rows) {
        std::vector<std::string> cells;
        cells.reserve(row.size());
        for (const std::string& cell : row) cells.push_back(MarkdownCell(cell));
        absl::StrAppend(&out, "| ", absl::StrJoin(cells, " | "), " |\n");
      }
      absl::StrAppend(&out, "\n");
    }
  }
  return out;
}

std::string HtmlDocument(const Document& doc) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
      "<title>",
      HtmlEscape(doc.title),
      "</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:"
      "auto}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px "
      "solid #999;padding:.2em .5em;text-align:left;vertical-align:top}"
      "</style></head>\n<body>\n<h1>",
      HtmlEscape(doc.title), "</h1>\n");
  for (const std::string& p : doc.lead) {
    absl::StrAppend(&out, "<p>", HtmlEscape(p), "</p>\n");
  }
  for (const Section& s : doc.sections) {
    absl::StrAppend(&out, "<h2>", HtmlEscape(s.title), "</h2>\n");
    for (const std::string& p : s.paragraphs) {
      absl::StrAppend(&out, "<p>", HtmlEscape(p), "</p>\n");
    }
    for (const Table& t : s.tables) {
      if (!t.title.empty())
        absl::StrAppend(&out, "<h3>", HtmlEscape(t.title), "</h3>\n");
      if (t.rows.empty()) {
        if (!t.when_empty.empty()) {
          absl::StrAppend(&out, "<p>", HtmlEscape(t.when_empty), "</p>\n");
        }
        continue;
      }
      absl::StrAppend(&out, "<table>\n<tr>");
      for (const std::string& h : t.header) {
        absl::StrAppend(&out, "<th>", HtmlEscape(h), "</th>");
      }
      absl::StrAppend(&out, "</tr>\n");
      for (const std::vector<std::string>& row : t.rows) {
        absl::StrAppend(&out, "<tr>");
        for (const std::string& cell : row) {
          absl::StrAppend(&out, "<td>", HtmlEscape(cell), "</td>");
        }
        absl::StrAppend(&out, "</tr>\n");
      }
      absl::StrAppend(&out, "</table>\n");
    }
  }
  absl::StrAppend(&out, "</body></html>\n");
  return out;
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes
// doubled.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// One block per table: a line naming it, its header, its rows, then an
// empty line, so each opens as its own range in a spreadsheet.
std::string Csv(const Document& doc) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& cells) {
    std::vector<std::string> quoted;
    quoted.reserve(cells.size());
    for (const std::string& c : cells) quoted.push_back(CsvField(c));
    absl::StrAppend(&out, absl::StrJoin(quoted, ","), "\r\n");
  };
  line({doc.title});
  for (const std::string& p : doc.lead) line({p});
  for (const Section& s : doc.sections) {
    for (const Table& t : s.tables) {
      if (t.rows.empty()) continue;
      absl::StrAppend(&out, "\r\n");
      line({t.title.empty() ? s.title : absl::StrCat(s.title, " – ", t.title)});
      line(t.header);
      for (const std::vector<std::string>& row : t.rows) line(row);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<absl::CivilMonth> ParseMonth(absl::string_view text) {
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  // Digits only: SimpleAtoi alone would take "+6" or " 6" for a month.
  auto digits = [](absl::string_view s) {
    return std::all_of(s.begin(), s.end(), absl::ascii_isdigit);
  };
  int year = 0, month = 0;
  if (parts.size() != 2 || parts[0].size() != 4 || parts[1].size() != 2 ||
      !digits(parts[0]) || !digits(parts[1]) ||
      !absl::SimpleAtoi(parts[0], &year) ||
      !absl::SimpleAtoi(parts[1], &month) || month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat(
        "month: \"", text, "\" is not a month written YYYY-MM (2026-06)"));
  }
  return absl::CivilMonth(year, month);
}

absl::Time MonthDataTime(absl::CivilMonth month, absl::Time now) {
  const absl::Time end =
      StartOfLocalDay(absl::CivilDay(month + 1)) - absl::Seconds(1);
  return std::min(end, now);
}

v1::MonthlyReport BuildMonthlyReport(const RollupView& at_month_end,
                                     const RollupView& now,
                                     const std::string& unit,
                                     absl::CivilMonth month) {
  v1::MonthlyReport report;
  report.set_unit(unit);
  report.set_month(absl::FormatCivilTime(month));
  *report.mutable_period_end() = ToProto(absl::CivilDay(month + 1) - 1);
  *report.mutable_generated_at() = ToProto(now.at());
  *report.mutable_data_at() = ToProto(at_month_end.at());
  *report.mutable_rollup() = at_month_end.Rollup(unit);
  report.set_unit_name(report.rollup().unit_name());
  // The month's figures, as the communes sent them in by now.
  *report.mutable_kpis() = now.AsOfDay(at_month_end.today()).Kpis(unit);
  *report.mutable_reporting() =
      now.ReportingRates(unit, absl::FormatCivilTime(month));
  for (v1::AgencyOverdue& a : at_month_end.OverdueByAgency(unit)) {
    *report.add_overdue_by_agency() = std::move(a);
  }
  for (v1::OpenDifficulty& d : at_month_end.OpenDifficulties(unit)) {
    *report.add_difficulties() = std::move(d);
  }
  return report;
}

std::string RenderMonthlyReport(const v1::MonthlyReport& report,
                                v1::ReportFormat format,
                                std::string* content_type) {
  switch (format) {
    case v1::REPORT_FORMAT_HTML:
      *content_type = "text/html; charset=utf-8";
      return HtmlDocument(Compose(report));
    case v1::REPORT_FORMAT_CSV:
      *content_type = "text/csv; charset=utf-8";
      return Csv(Compose(report));
    case v1::REPORT_FORMAT_JSON: {
      *content_type = "application/json";
      google::protobuf::util::JsonPrintOptions options;
      options.add_whitespace = true;
      options.preserve_proto_field_names = true;
      options.always_print_primitive_fields = true;
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(report, &json, options);
      return json;
    }
    default:
      *content_type = "text/markdown; charset=utf-8";
      return Markdown(Compose(report));
  }
}

}  // namespace tiendo::aggregation
