#include "tools/tiendoctl/aggregation_commands.h"

#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/clock.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "tiendo/v1/aggregation.grpc.pb.h"
#include "tools/tiendoctl/cli.h"

ABSL_FLAG(std::string, at, "",
          "the state as it was at this time (2026-06-30, 2026-06-30T17:00 "
          "local, or RFC 3339); empty: now");
ABSL_FLAG(std::string, month, "", "month of the report, 2026-06");
ABSL_FLAG(std::string, out, "", "write the report to this file");
ABSL_FLAG(std::string, period, "", "reporting period key, 2026-05");

// Shared with plan parse/import, where it names the document's format.
ABSL_DECLARE_FLAG(std::string, format);
ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(bool, watch);
ABSL_DECLARE_FLAG(std::string, unit);
ABSL_DECLARE_FLAG(std::string, aggregation_service);

namespace tiendo::cli {
namespace {

std::unique_ptr<v1::AggregationService::Stub> Stub() {
  return v1::AggregationService::NewStub(
      Channel(absl::GetFlag(FLAGS_aggregation_service)));
}

// Sets the request's `at` from --at, leaving it unset without the flag;
// false (and a usage error printed, its exit code in `code`) when malformed.
template <typename Request>
bool AtFlag(Request& request, int& code) {
  const std::string text = absl::GetFlag(FLAGS_at);
  if (text.empty()) return true;
  std::optional<absl::Time> t = ParseTimeArg(text);
  if (!t) {
    code = Usage(absl::StrCat("--at: '", text, "' is not a time"));
    return false;
  }
  *request.mutable_at() = ToProto(*t);
  return true;
}

std::string Pct(double value) { return absl::StrFormat("%.1f%%", value); }

void PrintCounts(const std::string& label, const v1::StatusCounts& c) {
  std::cout << absl::StrFormat(
      "  %-26s %5d %7d %8d %5d %5d %7d %7d %6s %5d\n", label, c.total(),
      c.not_started(), c.in_progress(), c.done(), c.done_late(), c.overdue(),
      c.blocked(), Pct(c.percent_complete()), c.open_difficulties());
}

void PrintHeader() {
  std::cout << absl::StrFormat("  %-26s %5s %7s %8s %5s %5s %7s %7s %6s %5s\n",
                               "", "total", "not-st", "in-prog", "done", "late",
                               "overdue", "blocked", "pct", "diff");
}

void PrintRollup(const v1::Rollup& r) {
  std::cout << absl::StrFormat(
      "Roll-up of %s (%s) on %s (%d reports applied)\n", r.unit(),
      r.unit_name(), Day(r.as_of()), r.reports_applied());
  PrintHeader();
  PrintCounts("all tasks", r.totals());
  for (const v1::AgencyRollup& a : r.by_lead_agency()) {
    PrintCounts(a.agency(), a.counts());
  }
  if (!r.by_section().empty()) {
    std::cout << "  per section:\n";
    for (const v1::SectionRollup& s : r.by_section()) {
      PrintCounts(absl::StrCat(s.section(), " ", Title(s.title(), 22)),
                  s.counts());
    }
  }
  if (!r.by_child_unit().empty()) {
    std::cout << "  with the units below:\n";
    PrintCounts(absl::StrCat(r.unit(), " and below"), r.subtree_totals());
    for (const v1::UnitRollup& u : r.by_child_unit()) {
      PrintCounts(u.unit(), u.counts());
    }
  }
  if (!r.by_implemented_task().empty()) {
    std::cout << "  tasks implemented below (units):\n";
    for (const v1::ImplementedTaskRollup& t : r.by_implemented_task()) {
      PrintCounts(
          absl::StrCat(t.section(), ".", t.number(), " (", t.units(), ")"),
          t.counts());
    }
  }
}

}  // namespace

int Rollup() {
  if (absl::GetFlag(FLAGS_unit).empty()) return Usage("rollup needs --unit");
  auto stub = Stub();
  if (absl::GetFlag(FLAGS_watch)) {
    grpc::ClientContext context;
    v1::WatchRollupRequest request;
    request.set_unit(absl::GetFlag(FLAGS_unit));
    auto reader = stub->WatchRollup(&context, request);
    v1::WatchRollupResponse message;
    while (reader->Read(&message)) {
      const v1::Rollup& rollup = message.rollup();
      if (absl::GetFlag(FLAGS_json)) {
        PrintJsonLine(rollup);
      } else {
        PrintRollup(rollup);
        std::cout << std::endl;
      }
    }
    grpc::Status s = reader->Finish();
    return s.ok() ? 0 : RpcFailed("rollup --watch", s);
  }
  v1::GetRollupRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  int code = 0;
  if (!AtFlag(request, code)) return code;
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetRollupResponse response;
  if (grpc::Status s = stub->GetRollup(&context, request, &response); !s.ok()) {
    return RpcFailed("rollup", s);
  }
  const v1::Rollup& rollup = response.rollup();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(rollup);
  } else {
    PrintRollup(rollup);
  }
  return 0;
}

int Kpis() {
  if (absl::GetFlag(FLAGS_unit).empty()) return Usage("kpis needs --unit");
  v1::GetKpisRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  int code = 0;
  if (!AtFlag(request, code)) return code;
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetKpisResponse response;
  if (grpc::Status s = Stub()->GetKpis(&context, request, &response); !s.ok()) {
    return RpcFailed("kpis", s);
  }
  const v1::KpiReport& report = response.kpis();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(report);
    return 0;
  }
  std::cout << absl::StrFormat("Indicators of %s on %s\n", report.unit(),
                               Day(report.as_of()));
  for (const v1::IndicatorKpi& k : report.indicators()) {
    const v1::KpiValue& v = k.value();
    std::cout << absl::StrFormat("%s  %s\n", k.indicator_id(),
                                 Title(k.indicator(), 90));
    std::cout << absl::StrFormat(
        "  value %s = %d/%d (%d units measured)\n",
        v.units_measured() > 0 ? Pct(v.percent()) : std::string("—"),
        v.numerator(), v.denominator(), v.units_measured());
    for (const v1::KpiStage& s : k.stages()) {
      std::string verdict = "met";
      if (!s.met()) {
        verdict = absl::StrCat("gap ", Pct(s.gap()),
                               s.due_passed() ? " (missed)" : "");
      }
      std::cout << absl::StrFormat("  target %s by %s: %s\n",
                                   Pct(s.target_percent()), Day(s.due()),
                                   verdict);
    }
    std::vector<std::string> months;
    for (const v1::KpiValue& m : k.monthly()) {
      months.push_back(absl::StrFormat("%02d/%d %s", m.as_of().month(),
                                       m.as_of().year(), Pct(m.percent())));
    }
    if (!months.empty()) {
      std::cout << "  monthly: " << absl::StrJoin(months, ", ") << "\n";
    }
    for (const v1::UnitKpi& u : k.by_child_unit()) {
      std::cout << absl::StrFormat(
          "    %-20s %s = %d/%d\n", u.unit(), Pct(u.value().percent()),
          u.value().numerator(), u.value().denominator());
    }
  }
  return 0;
}

int Reporting() {
  if (absl::GetFlag(FLAGS_unit).empty()) {
    return Usage("reporting needs --unit");
  }
  v1::GetReportingRatesRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  request.set_period(absl::GetFlag(FLAGS_period));
  int code = 0;
  if (!AtFlag(request, code)) return code;
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetReportingRatesResponse response;
  if (grpc::Status s = Stub()->GetReportingRates(&context, request, &response);
      !s.ok()) {
    return RpcFailed("reporting", s);
  }
  const v1::ReportingRates& rates = response.rates();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(rates);
    return 0;
  }
  std::cout << absl::StrFormat("Periodic reports of %s on %s\n", rates.unit(),
                               Day(rates.as_of()));
  auto row = [](const std::string& label, const v1::ReportingRate& r) {
    std::cout << absl::StrFormat(
        "  %-20s expected %3d  received %3d  on time %3d  rate %6s  on-time "
        "rate %6s\n",
        label, r.expected(), r.received(), r.received_on_time(),
        Pct(r.reporting_rate()), Pct(r.on_time_rate()));
  };
  for (const v1::ReportingRate& r : rates.by_period()) row(r.period(), r);
  if (!rates.by_unit().empty()) std::cout << "  per unit:\n";
  for (const v1::ReportingRate& r : rates.by_unit()) row(r.unit(), r);
  if (!rates.late_or_missing().empty()) std::cout << "  late or missing:\n";
  for (const v1::LateReport& r : rates.late_or_missing()) {
    std::cout << absl::StrFormat(
        "    %-14s %-14s due %s  %s\n", r.unit(), r.label(), Day(r.due()),
        r.received() ? absl::StrCat("in ", Day(r.received_on()), ", ",
                                    r.days_late(), " days late")
                     : absl::StrCat("missing, ", r.days_late(), " days"));
  }
  return 0;
}

int Ranking() {
  if (absl::GetFlag(FLAGS_unit).empty()) return Usage("ranking needs --unit");
  v1::GetRankingRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  int code = 0;
  if (!AtFlag(request, code)) return code;
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetRankingResponse response;
  if (grpc::Status s = Stub()->GetRanking(&context, request, &response);
      !s.ok()) {
    return RpcFailed("ranking", s);
  }
  const v1::Ranking& ranking = response.ranking();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(ranking);
    return 0;
  }
  std::cout << absl::StrFormat("Ranking of the units of %s on %s\n  %s\n",
                               ranking.unit(), Day(ranking.as_of()),
                               ranking.formula());
  auto part = [](bool has, double value) {
    return has ? Pct(value) : std::string("—");
  };
  std::cout << absl::StrFormat("  %4s %-20s %7s %10s %9s %7s\n", "rank", "unit",
                               "score", "completion", "reporting", "targets");
  for (const v1::RankedUnit& u : ranking.units()) {
    std::cout << absl::StrFormat("  %4d %-20s %7.1f %10s %9s %7s\n", u.rank(),
                                 u.unit(), u.score(),
                                 part(u.has_completion(), u.completion()),
                                 part(u.has_reporting(), u.reporting()),
                                 part(u.has_targets(), u.targets()));
  }
  return 0;
}

int Report() {
  if (absl::GetFlag(FLAGS_unit).empty() || absl::GetFlag(FLAGS_month).empty()) {
    return Usage("report needs --unit and --month");
  }
  std::string format = absl::GetFlag(FLAGS_format);
  // "auto" is the flag's default, for plan documents.
  if (format.empty() || format == "auto") format = "md";
  v1::GetMonthlyReportRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  request.set_month(absl::GetFlag(FLAGS_month));
  if (format == "md" || format == "markdown") {
    request.set_format(v1::REPORT_FORMAT_MARKDOWN);
  } else if (format == "html") {
    request.set_format(v1::REPORT_FORMAT_HTML);
  } else if (format == "csv") {
    request.set_format(v1::REPORT_FORMAT_CSV);
  } else if (format == "json") {
    request.set_format(v1::REPORT_FORMAT_JSON);
  } else {
    return Usage(absl::StrCat("--format: '", format,
                              "' is not one of md, html, csv, json"));
  }
  // --json asks for the report as data, whatever --format says.
  if (absl::GetFlag(FLAGS_json)) request.set_format(v1::REPORT_FORMAT_JSON);
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetMonthlyReportResponse response;
  if (grpc::Status s = Stub()->GetMonthlyReport(&context, request, &response);
      !s.ok()) {
    return RpcFailed("report", s);
  }
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::cout << response.rendered();
    return 0;
  }
  std::ofstream file(out, std::ios::binary);
  file << response.rendered();
  if (!file) {
    std::cerr << "error: report: cannot write " << out << "\n";
    return 1;
  }
  std::cerr << "report: " << response.content_type() << " written to " << out
            << "\n";
  return 0;
}

int Rebuild() {
  grpc::ClientContext context;
  v1::RebuildRequest request;
  auto reader = Stub()->Rebuild(&context, request);
  v1::RebuildResponse message;
  while (reader->Read(&message)) {
    const v1::RebuildProgress& p = message.progress();
    if (absl::GetFlag(FLAGS_json)) {
      PrintJsonLine(p);
      continue;
    }
    if (p.finished()) {
      std::cerr << "\rrebuild: done" << std::string(40, ' ') << "\n";
      continue;
    }
    const int percent =
        p.total() > 0 ? static_cast<int>(100 * p.done() / p.total()) : 0;
    std::cerr << absl::StrFormat("\rrebuild: %-12s %3d%% (%d/%d)",
                                 EnumWord(p.phase()), percent, p.done(),
                                 p.total())
              << std::flush;
  }
  grpc::Status s = reader->Finish();
  return s.ok() ? 0 : RpcFailed("rebuild", s);
}

int AggregationUnits() {
  v1::AggregationServiceListUnitsRequest request;
  v1::AggregationServiceListUnitsResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return Stub()->ListUnits(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("units", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  for (const v1::AggregationUnit& u : response.units()) {
    std::cout << absl::StrFormat("%-20s %-10s %-24s parent %s\n", u.code(),
                                 EnumWord(u.level()), u.name(),
                                 u.parent().empty() ? "—" : u.parent());
  }
  return 0;
}

}  // namespace tiendo::cli
