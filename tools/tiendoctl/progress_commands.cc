#include "tools/tiendoctl/progress_commands.h"

#include <fstream>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/outbox.h"
#include "services/common/proto_convert.h"
#include "tiendo/v1/plan.grpc.pb.h"
#include "tiendo/v1/progress.grpc.pb.h"
#include "tools/tiendoctl/cli.h"

ABSL_FLAG(std::string, occurrence, "",
          "occurrence id (<task>@2026-05); empty: the earliest open one");
ABSL_FLAG(bool, period_report, false,
          "submit the periodic report of the occurrence's period");
ABSL_FLAG(std::vector<std::string>, measure, {},
          "measurements INDICATOR=NUM/DEN@YYYY-MM-DD, comma-separated, e.g. "
          "k2=520/1000@2026-07-31");
ABSL_FLAG(std::string, difficulty, "", "a difficulty (vướng mắc) to raise");
ABSL_FLAG(bool, resolve_difficulty, false, "the open difficulty is resolved");
ABSL_FLAG(std::vector<std::string>, evidence, {},
          "evidence: a link, or DOCUMENT_NUMBER@YYYY-MM-DD");
ABSL_FLAG(std::string, reopen_reason, "",
          "why a done occurrence is reopened (required to reopen)");
ABSL_FLAG(std::string, file, "", "input file");
ABSL_FLAG(std::string, trigger, "", "what happened, as people say it");
ABSL_FLAG(std::string, happened, "", "local date it happened, YYYY-MM-DD");
ABSL_FLAG(std::string, due, "", "deadline, YYYY-MM-DD");

ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, task);
ABSL_DECLARE_FLAG(std::string, request_id);
ABSL_DECLARE_FLAG(std::string, plan_service);
ABSL_DECLARE_FLAG(std::string, progress_service);

namespace tiendo::cli {
namespace {

bool ParseDate(absl::string_view text, v1::LocalDate& out) {
  std::optional<absl::CivilDay> day = ParseDay(text);
  if (!day) return false;
  out = ToProto(*day);
  return true;
}

// "k2=520/1000@2026-07-31".
std::string ParseMeasure(absl::string_view text, v1::Measurement& out) {
  const std::vector<absl::string_view> at = absl::StrSplit(text, '@');
  const std::vector<absl::string_view> eq =
      absl::StrSplit(at[0], absl::MaxSplits('=', 1));
  if (at.size() != 2 || eq.size() != 2) {
    return absl::StrCat("--measure=", text,
                        ": use INDICATOR=NUM/DEN@YYYY-MM-DD");
  }
  const std::vector<absl::string_view> ratio = absl::StrSplit(eq[1], '/');
  int64_t numerator = 0, denominator = 0;
  if (ratio.size() != 2 || !absl::SimpleAtoi(ratio[0], &numerator) ||
      !absl::SimpleAtoi(ratio[1], &denominator)) {
    return absl::StrCat("--measure=", text, ": NUM/DEN must be two integers");
  }
  if (!ParseDate(at[1], *out.mutable_as_of())) {
    return absl::StrCat("--measure=", text, ": the date must be YYYY-MM-DD");
  }
  out.set_indicator(std::string(eq[0]));
  out.set_numerator(numerator);
  out.set_denominator(denominator);
  return "";
}

std::string OccurrenceStatusName(v1::OccurrenceStatus status) {
  const std::string name = v1::OccurrenceStatus_Name(status);
  return absl::AsciiStrToLower(absl::StripPrefix(name, "OCCURRENCE_STATUS_"));
}

}  // namespace

std::string AddReportDetails(v1::ReportProgressRequest& request) {
  request.set_occurrence_id(absl::GetFlag(FLAGS_occurrence));
  request.set_period_report(absl::GetFlag(FLAGS_period_report));
  request.set_difficulty(absl::GetFlag(FLAGS_difficulty));
  request.set_resolve_difficulty(absl::GetFlag(FLAGS_resolve_difficulty));
  request.set_reopen_reason(absl::GetFlag(FLAGS_reopen_reason));
  for (const std::string& text : absl::GetFlag(FLAGS_measure)) {
    if (std::string error = ParseMeasure(text, *request.add_measurements());
        !error.empty()) {
      return error;
    }
  }
  for (const std::string& text : absl::GetFlag(FLAGS_evidence)) {
    v1::Evidence* evidence = request.add_evidence();
    const std::vector<absl::string_view> parts = absl::StrSplit(text, '@');
    if (absl::StrContains(text, "://") || parts.size() != 2) {
      evidence->set_link(text);
    } else {
      evidence->set_document_number(std::string(parts[0]));
      if (!ParseDate(parts[1], *evidence->mutable_document_date())) {
        return absl::StrCat("--evidence=", text,
                            ": the date must be YYYY-MM-DD");
      }
    }
  }
  return "";
}

void PrintOccurrences(const v1::TaskState& state) {
  for (const v1::OccurrenceState& o : state.occurrences()) {
    std::cout << absl::StrFormat(
        "    %-22s due %s  %-11s%s%s%s\n", o.occurrence().label(),
        Day(o.occurrence().due()), OccurrenceStatusName(o.status()),
        o.has_completed_on() ? absl::StrCat(" on ", Day(o.completed_on())) : "",
        o.open_difficulty().empty()
            ? ""
            : absl::StrCat("  vướng mắc: ", Title(o.open_difficulty(), 60)),
        o.reopen_reason().empty()
            ? ""
            : absl::StrCat("  reopened: ", Title(o.reopen_reason(), 40)));
  }
  for (const v1::Measurement& m : state.latest_measurements()) {
    std::cout << absl::StrFormat(
        "    %s: %d/%d = %.1f%% as of %s\n", m.indicator(), m.numerator(),
        m.denominator(),
        m.denominator() > 0 ? 100.0 * static_cast<double>(m.numerator()) /
                                  static_cast<double>(m.denominator())
                            : 0.0,
        Day(m.as_of()));
  }
}

// The measurement items of a CSV file (task,agency,indicator,numerator,
// denominator,as_of[,request_id]); a bad line is an error naming it.
absl::StatusOr<std::vector<v1::MeasurementItem>> ReadMeasurementsCsv(
    const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::vector<v1::MeasurementItem> items;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || absl::StartsWith(trimmed, "#") ||
        absl::StartsWith(trimmed, "task,")) {
      continue;
    }
    const std::vector<std::string> cells = absl::StrSplit(trimmed, ',');
    const std::string where = absl::StrCat(path, ": line ", line_number, ": ");
    if (cells.size() < 6) {
      return absl::InvalidArgumentError(
          absl::StrCat(where,
                       "expected task,agency,indicator,numerator,denominator,"
                       "as_of[,request_id]"));
    }
    v1::MeasurementItem& item = items.emplace_back();
    item.set_task_id(cells[0]);
    item.set_agency(cells[1]);
    v1::Measurement* m = item.mutable_measurement();
    m->set_indicator(cells[2]);
    int64_t numerator = 0, denominator = 0;
    if (!absl::SimpleAtoi(cells[3], &numerator) ||
        !absl::SimpleAtoi(cells[4], &denominator) ||
        !ParseDate(cells[5], *m->mutable_as_of())) {
      return absl::InvalidArgumentError(absl::StrCat(
          where,
          "numerator and denominator must be integers and as_of YYYY-MM-DD"));
    }
    m->set_numerator(numerator);
    m->set_denominator(denominator);
    item.set_request_id(
        cells.size() > 6 ? cells[6] : absl::StrCat(path, ":", line_number));
  }
  return items;
}

int ProgressMeasurements() {
  const std::string path = absl::GetFlag(FLAGS_file);
  if (path.empty()) {
    return Usage(
        "progress measurements needs --file=CSV with lines "
        "task,agency,indicator,numerator,denominator,as_of[,request_id]");
  }
  absl::StatusOr<std::vector<v1::MeasurementItem>> read =
      ReadMeasurementsCsv(path);
  if (!read.ok()) {
    std::cerr << "error: " << read.status().message() << "\n";
    return 1;
  }
  const std::vector<v1::MeasurementItem>& items = *read;
  auto stub = v1::ProgressService::NewStub(
      Channel(absl::GetFlag(FLAGS_progress_service)));
  constexpr size_t kBatch = 500;
  int accepted = 0, refused = 0;
  for (size_t start = 0; start < items.size(); start += kBatch) {
    v1::ReportMeasurementsRequest request;
    for (size_t i = start; i < std::min(items.size(), start + kBatch); ++i) {
      *request.add_items() = items[i];
    }
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ReportMeasurementsResponse response;
    if (grpc::Status s = stub->ReportMeasurements(&context, request, &response);
        !s.ok()) {
      return RpcFailed("progress measurements", s);
    }
    accepted += response.accepted();
    refused += response.refused();
    for (const v1::MeasurementAck& ack : response.acks()) {
      if (absl::GetFlag(FLAGS_json)) {
        PrintJsonLine(ack);
      } else if (!ack.accepted()) {
        std::cout << absl::StrFormat("item %d (%s): %s\n", start + ack.index(),
                                     ack.request_id(), ack.error());
      }
    }
    std::cerr << absl::StrFormat("\r%d/%d measurements sent",
                                 std::min(items.size(), start + kBatch),
                                 items.size());
  }
  std::cerr << "\n";
  if (!absl::GetFlag(FLAGS_json)) {
    std::cout << absl::StrFormat("%d accepted, %d refused\n", accepted,
                                 refused);
  }
  return refused == 0 ? 0 : 1;
}

int PlanTrigger() {
  v1::RecordTriggerRequest request;
  request.set_task_id(absl::GetFlag(FLAGS_task));
  request.set_trigger(absl::GetFlag(FLAGS_trigger));
  request.set_request_id(absl::GetFlag(FLAGS_request_id));
  if (request.task_id().empty() || request.trigger().empty() ||
      !ParseDate(absl::GetFlag(FLAGS_happened),
                 *request.mutable_happened_on()) ||
      !ParseDate(absl::GetFlag(FLAGS_due), *request.mutable_due())) {
    return Usage(
        "plan trigger needs --task, --trigger, --happened=YYYY-MM-DD and "
        "--due=YYYY-MM-DD");
  }
  if (request.request_id().empty()) request.set_request_id(NewEventId());
  auto stub =
      v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::RecordTriggerResponse response;
  if (grpc::Status s = stub->RecordTrigger(&context, request, &response);
      !s.ok()) {
    return RpcFailed("plan trigger", s);
  }
  const v1::Task& task = response.task();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(task);
    return 0;
  }
  const v1::Occurrence& added = task.occurrences(task.occurrences_size() - 1);
  std::cout << absl::StrFormat("%s: occurrence %s due %s\n", task.id(),
                               added.id(), Day(added.due()));
  return 0;
}

}  // namespace tiendo::cli
