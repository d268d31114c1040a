// tiendoctl: the command line for every tiendo RPC. Readable text by
// default, JSON with --json.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/common/proto_convert.h"
#include "tiendo/v1/aggregation.grpc.pb.h"
#include "tiendo/v1/clock_admin.grpc.pb.h"
#include "tiendo/v1/notification.grpc.pb.h"
#include "tiendo/v1/plan.grpc.pb.h"
#include "tiendo/v1/progress.grpc.pb.h"
#include "tools/tiendoctl/account_commands.h"
#include "tools/tiendoctl/aggregation_commands.h"
#include "tools/tiendoctl/audit_command.h"
#include "tools/tiendoctl/cli.h"
#include "tools/tiendoctl/notification_commands.h"
#include "tools/tiendoctl/plan_text_commands.h"
#include "tools/tiendoctl/progress_commands.h"

ABSL_FLAG(std::string, plan_service, "127.0.0.1:50051", "plan service");
ABSL_FLAG(std::string, progress_service, "127.0.0.1:50052", "progress service");
ABSL_FLAG(std::string, notification_service, "127.0.0.1:50053",
          "notification service");
ABSL_FLAG(std::string, aggregation_service, "127.0.0.1:50054",
          "aggregation service");
ABSL_FLAG(bool, json, false, "print JSON instead of text");
ABSL_FLAG(std::string, unit, "", "unit code, e.g. vinh-thuy");
ABSL_FLAG(std::string, plan, "", "plan id, e.g. vinh-thuy:1199-KH-UBND");
ABSL_FLAG(std::string, task, "", "task id, e.g. vinh-thuy:1199-KH-UBND#I.1");
ABSL_FLAG(std::string, agency, "", "agency code, e.g. vinhthuy.congan");
ABSL_FLAG(std::string, status, "",
          "not_started | in_progress | done | blocked");
ABSL_FLAG(std::string, percent, "", "0..100");
ABSL_FLAG(std::string, note, "", "free text");
ABSL_FLAG(std::string, request_id, "",
          "client request id (default: a new one); repeat it to retry safely");
ABSL_FLAG(bool, watch, false, "keep streaming changes");
ABSL_FLAG(std::string, target, "",
          "health: check only this host:port instead of all four services");
ABSL_FLAG(int, timeout_s, 10, "deadline of each call, seconds");

namespace tiendo::cli {
namespace {

constexpr char kUsage[] = R"(tiendoctl: command line for tiendo.

  plan parse FILE [--format=F] [--unit=UNIT] [--number=N] [--year=Y]
                  [--registry=JSON]  read a plan document offline; print
                                     what would be imported (--json: the
                                     fields documented in README.md)
  plan import FILE [--unit=UNIT] [--format=F] [--number=N] [--dry_run]
                                     import a plan document as written
                                     (table, csv, tsv, prose), all or
                                     nothing; a .json FILE is a
                                     CreatePlanRequest
  plan links --plan=ID [--implemented_plan=ID]
                                     proposed links to the higher plan
  plan link --task=ID --implements=ID[,ID]
                                     confirm or override a task's links
  plan cascade --plan=ID [--units=A,B] [--dry_run]
                                     a starting plan for each commune
  unit list [--unit=UNIT]            the agency registry
  unit add CODE --name=N --parent=P [--level=commune]
           [--police_code=C --police_name=N] [--aliases=A,B]
  agency add --unit=UNIT --code=C --name=N [--kind=K] [--aliases=A,B]
  agency alias CODE ALIAS            another name for an agency or group
  plan list [--unit=UNIT]
  plan get --plan=ID
  plan tasks (--plan=ID | --unit=UNIT)
  plan task --task=ID                one task, its completion and reminders
  plan trigger --task=ID --trigger=TEXT --happened=DATE --due=DATE
                                     the outside event a triggered task
                                     waits for happened: a new occurrence
  progress report --task=ID --agency=CODE --status=STATUS
                  [--percent=N] [--note=TEXT] [--request_id=ID]
                  [--occurrence=ID] [--period_report]
                  [--measure=k2=520/1000@2026-07-31,...]
                  [--difficulty=TEXT | --resolve_difficulty]
                  [--evidence=LINK|NUMBER@DATE,...] [--reopen_reason=TEXT]
  progress measurements --file=CSV   a feed of measurements (batch), lines
                                     task,agency,indicator,num,den,as_of[,id]
  progress state --task=ID
  progress states [--unit=UNIT]
  progress reports --task=ID
  rollup --unit=UNIT [--at=TIME] [--watch]
                                     the unit's tasks, the units below, per
                                     section, lead agency, implemented task
  kpis --unit=UNIT [--at=TIME]       indicators: value summed over the
                                     units below, stages, monthly series
  reporting --unit=UNIT [--period=2026-05] [--at=TIME]
                                     periodic reports expected, received,
                                     on time; who is late or missing
  ranking --unit=PROVINCE [--at=TIME]
                                     the communes ranked (emulation review)
  report --unit=UNIT --month=2026-06 [--format=md|html|csv|json] [--out=FILE]
                                     the monthly consolidated report
  rebuild                            rebuild the aggregator from the owners'
                                     snapshots, showing progress
  units                              the unit hierarchy the roll-ups follow
  notifications --agency=CODE [--watch]
  notifications read --agency=CODE --ids=ID[,ID]
                                     mark inbox entries read
  subscribe --agency=CODE --id=ID --channel=webhook|email|inbox
            [--address=URL|EMAIL] [--secret=S] [--kinds=reminder,overdue]
            [--quiet=22:00-06:30] [--digest_at=07:30] [--language=vi|en]
  subscriptions --agency=CODE
  unsubscribe --agency=CODE --id=ID
  deliveries --agency=CODE [--state=pending|sent|failed|dead]
  clock get | clock set TIME | clock advance DURATION
                                     TIME: 2026-05-28, 2026-05-28T08:00 (local)
                                     or RFC 3339 (also for --at);
                                     DURATION: 3d, 36h, 90m
  health [--target=HOST:PORT]        exit 0 when every service is SERVING
  login --account=NAME [--password_file=F]
                                     sign in (password from the file or
                                     stdin); the token goes to the token
                                     file, owner-only
  logout | whoami
  account create --account=NAME --unit=UNIT --roles=R[,R]
                 [--agencies=A,B] [--display_name=N] [--system]
                                     (admin) password from --password_file
                                     or stdin; a --system has none
  account token --account=NAME --out=FILE [--days=N]
                                     (admin) a token for a system's feed
  account revoke --account=NAME      revokes its tokens so far (admin)
  account list                       (admin)
  audit [--since=TIME] [--unit=UNIT] [--account=NAME]
                                     (admin) who did what, when, from
                                     where, with what outcome: the four
                                     services' audit trails merged

Every command takes --json. Service addresses: --plan_service,
--progress_service, --notification_service, --aggregation_service.
TLS: --tls_ca (or $TIENDO_TLS_CA). Credential: the token file of login
(--token_file, $TIENDO_TOKEN_FILE, else ~/.config/tiendo/token).)";

}  // namespace

const char* UsageText() { return kUsage; }

namespace {

// ---- plan ----------------------------------------------------------------

int PlanImport(const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage("plan import needs one FILE");
  std::ifstream in(args[0]);
  if (!in) {
    std::cerr << "error: cannot read " << args[0] << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  // A plan document as written goes to ImportPlan; a JSON CreatePlanRequest
  // (the structured form) to CreatePlan.
  const std::string content = text.str();
  const size_t first = content.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || content[first] != '{') {
    return PlanImportText(args[0], content);
  }
  v1::CreatePlanRequest request;
  google::protobuf::util::JsonParseOptions options;
  if (auto status = google::protobuf::util::JsonStringToMessage(
          text.str(), &request, options);
      !status.ok()) {
    std::cerr << "error: " << args[0]
              << " is not a plan (JSON CreatePlanRequest): " << status.message()
              << "\n";
    return 1;
  }
  if (!absl::GetFlag(FLAGS_unit).empty()) {
    request.set_unit(absl::GetFlag(FLAGS_unit));
  }
  auto stub =
      v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::CreatePlanResponse response;
  if (grpc::Status s = stub->CreatePlan(&context, request, &response);
      !s.ok()) {
    return RpcFailed("plan import", s);
  }
  const v1::Plan& plan = response.plan();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(plan);
    return 0;
  }
  std::cout << absl::StrFormat("imported plan %s (%s, %s): %d tasks\n",
                               plan.id(), plan.number(), plan.unit_name(),
                               plan.task_count());
  return 0;
}

void PrintPlan(const v1::Plan& plan) {
  std::cout << absl::StrFormat("%s  %s  issued %s  unit %s  %d tasks\n  %s\n",
                               plan.id(), plan.number(), Day(plan.issued()),
                               plan.unit(), plan.task_count(),
                               Title(plan.title(), 200));
}

int PlanList() {
  auto stub =
      v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
  v1::ListPlansRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  v1::ListPlansResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return stub->ListPlans(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("plan list", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  for (const v1::Plan& plan : response.plans()) PrintPlan(plan);
  if (response.plans().empty()) std::cout << "no plans\n";
  return 0;
}

int PlanGet() {
  if (absl::GetFlag(FLAGS_plan).empty()) return Usage("plan get needs --plan");
  auto stub =
      v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetPlanRequest request;
  request.set_plan_id(absl::GetFlag(FLAGS_plan));
  v1::GetPlanResponse response;
  if (grpc::Status s = stub->GetPlan(&context, request, &response); !s.ok()) {
    return RpcFailed("plan get", s);
  }
  const v1::Plan& plan = response.plan();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(plan);
  } else {
    PrintPlan(plan);
  }
  return 0;
}

int PlanTasks() {
  v1::ListTasksRequest request;
  request.set_plan_id(absl::GetFlag(FLAGS_plan));
  request.set_unit(absl::GetFlag(FLAGS_unit));
  if (request.plan_id().empty() && request.unit().empty()) {
    return Usage("plan tasks needs --plan or --unit");
  }
  auto stub =
      v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
  v1::ListTasksResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return stub->ListTasks(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("plan tasks", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  std::string section;
  for (const v1::Task& t : response.tasks()) {
    if (t.section() != section) {
      section = t.section();
      std::cout << "\n" << t.section() << ". " << t.section_title() << "\n";
    }
    std::cout << absl::StrFormat(
        "  %-6s due %-10s lead %-22s %s\n         id %s\n",
        absl::StrCat(t.section(), ".", t.number()), Day(t.due_date()),
        absl::StrJoin(t.lead_agencies(), ","), Title(t.title()), t.id());
  }
  return 0;
}

int PlanTask() {
  if (absl::GetFlag(FLAGS_task).empty()) return Usage("plan task needs --task");
  auto stub =
      v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetTaskRequest request;
  request.set_task_id(absl::GetFlag(FLAGS_task));
  v1::GetTaskResponse view;
  if (grpc::Status s = stub->GetTask(&context, request, &view); !s.ok()) {
    return RpcFailed("plan task", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(view);
    return 0;
  }
  const v1::Task& t = view.task();
  std::cout << absl::StrFormat(
      "%s\n  %s\n  lead: %s  coordinating: %s\n  due: %s (%s)\n  done: %s\n",
      t.id(), Title(t.title(), 300), absl::StrJoin(t.lead_agencies(), ", "),
      absl::StrJoin(t.coordinating_agencies(), ", "), Day(t.due_date()),
      t.timeframe(), view.done() ? "yes" : "no");
  for (const v1::ReminderPoint& r : view.reminders()) {
    std::cout << absl::StrFormat(
        "  reminder %-9s at %s: %s\n",
        r.escalation() ? std::string("escalated")
        : r.overdue()  ? std::string("overdue")
                       : absl::StrCat(r.days_before(), "d before"),
        FormatLocal(FromProto(r.fire_at())),
        v1::ReminderPoint::State_Name(r.state()).substr(6));
  }
  return 0;
}

// ---- progress ------------------------------------------------------------

void PrintState(const v1::TaskState& s) {
  std::cout << absl::StrFormat(
      "%s  %s %d%%  version %d  due %s%s\n", s.task_id(),
      StatusName(s.status()), s.percent(), s.version(), Day(s.due_date()),
      s.has_completed_on() ? absl::StrCat("  completed ", Day(s.completed_on()),
                                          s.completed_late() ? " (late)" : "")
                           : "");
  PrintOccurrences(s);
}

int ProgressReport() {
  v1::ReportProgressRequest request;
  request.set_task_id(absl::GetFlag(FLAGS_task));
  request.set_agency(absl::GetFlag(FLAGS_agency));
  // Without --agency the report is for the signed-in account's only agency.
  if (request.task_id().empty() || absl::GetFlag(FLAGS_status).empty()) {
    return Usage("progress report needs --task and --status");
  }
  std::optional<v1::TaskStatus> status =
      ParseStatus(absl::GetFlag(FLAGS_status));
  if (!status) {
    return Usage(absl::StrCat("--status=", absl::GetFlag(FLAGS_status),
                              ": use not_started, in_progress, done or "
                              "blocked"));
  }
  request.set_status(*status);
  if (const std::string p = absl::GetFlag(FLAGS_percent); !p.empty()) {
    int percent = 0;
    if (!absl::SimpleAtoi(p, &percent)) {
      return Usage(absl::StrCat("--percent=", p, ": not a number"));
    }
    request.set_percent(percent);
  }
  request.set_note(absl::GetFlag(FLAGS_note));
  if (std::string error = AddReportDetails(request); !error.empty()) {
    return Usage(error);
  }
  request.set_request_id(absl::GetFlag(FLAGS_request_id).empty()
                             ? NewEventId()
                             : absl::GetFlag(FLAGS_request_id));
  auto stub = v1::ProgressService::NewStub(
      Channel(absl::GetFlag(FLAGS_progress_service)));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ReportProgressResponse response;
  if (grpc::Status s = stub->ReportProgress(&context, request, &response);
      !s.ok()) {
    return RpcFailed("progress report", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  std::cout << absl::StrFormat("accepted report %s (request %s) from %s\n  ",
                               response.report().report_id(),
                               response.report().request_id(),
                               response.report().agency());
  PrintState(response.state());
  return 0;
}

int ProgressState() {
  if (absl::GetFlag(FLAGS_task).empty()) {
    return Usage("progress state needs --task");
  }
  auto stub = v1::ProgressService::NewStub(
      Channel(absl::GetFlag(FLAGS_progress_service)));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::GetTaskStateRequest request;
  request.set_task_id(absl::GetFlag(FLAGS_task));
  v1::GetTaskStateResponse response;
  if (grpc::Status s = stub->GetTaskState(&context, request, &response);
      !s.ok()) {
    return RpcFailed("progress state", s);
  }
  const v1::TaskState& state = response.state();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(state);
  } else {
    PrintState(state);
  }
  return 0;
}

int ProgressStates() {
  auto stub = v1::ProgressService::NewStub(
      Channel(absl::GetFlag(FLAGS_progress_service)));
  v1::ListTaskStatesRequest request;
  request.set_unit(absl::GetFlag(FLAGS_unit));
  v1::ListTaskStatesResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return stub->ListTaskStates(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("progress states", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  for (const v1::TaskState& s : response.states()) PrintState(s);
  return 0;
}

int ProgressReports() {
  auto stub = v1::ProgressService::NewStub(
      Channel(absl::GetFlag(FLAGS_progress_service)));
  v1::ListReportsRequest request;
  request.set_task_id(absl::GetFlag(FLAGS_task));
  v1::ListReportsResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return stub->ListReports(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("progress reports", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  for (const v1::ProgressReport& r : response.reports()) {
    std::cout << absl::StrFormat("%s  %s  %-18s %-11s %3d%%  %s\n",
                                 FormatLocal(FromProto(r.reported_at())),
                                 r.task_id(), r.agency(),
                                 StatusName(r.status()), r.percent(), r.note());
  }
  return 0;
}

// ---- rollup and notifications --------------------------------------------

void PrintNotification(const v1::Notification& n) {
  std::cout << absl::StrFormat(
      "#%d %s → %s%s\n    %s\n", n.id(), FormatLocal(FromProto(n.created_at())),
      n.agency(), n.escalation() ? " (escalation)" : "", n.message());
}

int Notifications() {
  if (absl::GetFlag(FLAGS_agency).empty()) {
    return Usage("notifications needs --agency");
  }
  auto stub = v1::NotificationService::NewStub(
      Channel(absl::GetFlag(FLAGS_notification_service)));
  if (absl::GetFlag(FLAGS_watch)) {
    grpc::ClientContext context;
    v1::WatchNotificationsRequest request;
    request.set_agency(absl::GetFlag(FLAGS_agency));
    auto reader = stub->WatchNotifications(&context, request);
    v1::WatchNotificationsResponse message;
    while (reader->Read(&message)) {
      const v1::Notification& n = message.notification();
      if (absl::GetFlag(FLAGS_json)) {
        PrintJsonLine(n);
      } else {
        PrintNotification(n);
        std::cout.flush();
      }
    }
    grpc::Status s = reader->Finish();
    return s.ok() ? 0 : RpcFailed("notifications --watch", s);
  }
  v1::ListNotificationsRequest request;
  request.set_agency(absl::GetFlag(FLAGS_agency));
  v1::ListNotificationsResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return stub->ListNotifications(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("notifications", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  if (response.notifications().empty()) {
    std::cout << "no notifications for " << absl::GetFlag(FLAGS_agency) << "\n";
  }
  for (const v1::Notification& n : response.notifications()) {
    PrintNotification(n);
  }
  return 0;
}

// ---- clock and health ----------------------------------------------------

std::vector<std::pair<std::string, std::string>> AllServices() {
  return {{"plan", absl::GetFlag(FLAGS_plan_service)},
          {"progress", absl::GetFlag(FLAGS_progress_service)},
          {"notification", absl::GetFlag(FLAGS_notification_service)},
          {"aggregation", absl::GetFlag(FLAGS_aggregation_service)}};
}

std::optional<absl::Duration> ParseDurationArg(const std::string& text) {
  if (absl::EndsWith(text, "d")) {
    int days = 0;
    if (!absl::SimpleAtoi(text.substr(0, text.size() - 1), &days)) {
      return std::nullopt;
    }
    return absl::Hours(24 * days);
  }
  absl::Duration d;
  if (absl::ParseDuration(text, &d)) return d;
  return std::nullopt;
}

// SetTime and AdvanceTime answer with the fields GetTime answers with.
template <typename Response>
v1::GetTimeResponse AsTime(const Response& answer) {
  v1::GetTimeResponse out;
  *out.mutable_time() = answer.time();
  out.set_local_time(answer.local_time());
  return out;
}

int Clock(const std::vector<std::string>& args) {
  if (args.empty())
    return Usage("clock needs get, set TIME or advance DURATION");
  google::protobuf::Message* request = nullptr;
  v1::GetTimeRequest get;
  v1::SetTimeRequest set;
  v1::AdvanceTimeRequest advance;
  if (args[0] == "get") {
    request = &get;
  } else if (args[0] == "set" && args.size() == 2) {
    std::optional<absl::Time> t = ParseTimeArg(args[1]);
    if (!t)
      return Usage(absl::StrCat("clock set: cannot read time '", args[1], "'"));
    *set.mutable_time() = ToProto(*t);
    request = &set;
  } else if (args[0] == "advance" && args.size() == 2) {
    std::optional<absl::Duration> d = ParseDurationArg(args[1]);
    if (!d) {
      return Usage(
          absl::StrCat("clock advance: cannot read duration '", args[1], "'"));
    }
    advance.mutable_by()->set_seconds(absl::ToInt64Seconds(*d));
    request = &advance;
  } else {
    return Usage("clock needs get, set TIME or advance DURATION");
  }
  int failures = 0;
  for (const auto& [name, address] : AllServices()) {
    auto stub = v1::ClockAdminService::NewStub(Channel(address));
    grpc::ClientContext context;
    SetDeadline(context);
    v1::GetTimeResponse response;
    grpc::Status s;
    if (request == &get) {
      s = stub->GetTime(&context, get, &response);
    } else if (request == &set) {
      v1::SetTimeResponse answer;
      s = stub->SetTime(&context, set, &answer);
      response = AsTime(answer);
    } else {
      v1::AdvanceTimeResponse answer;
      s = stub->AdvanceTime(&context, advance, &answer);
      response = AsTime(answer);
    }
    if (!s.ok()) {
      failures += RpcFailed(absl::StrCat("clock ", args[0], " on ", name,
                                         " (is it running with "
                                         "--simulated_clock?)"),
                            s);
      continue;
    }
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << absl::StrFormat("{\"service\": \"%s\", \"clock\": %s}\n",
                                   name, ToJsonLine(response));
    } else {
      std::cout << absl::StrFormat("%-13s %s\n", name, response.local_time());
    }
  }
  return failures == 0 ? 0 : 1;
}

int Health() {
  std::vector<std::pair<std::string, std::string>> targets = AllServices();
  if (!absl::GetFlag(FLAGS_target).empty()) {
    targets = {{absl::GetFlag(FLAGS_target), absl::GetFlag(FLAGS_target)}};
  }
  bool all_serving = true;
  for (const auto& [name, address] : targets) {
    auto stub = grpc::health::v1::Health::NewStub(Channel(address));
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status s = stub->Check(
        &context, grpc::health::v1::HealthCheckRequest(), &response);
    const std::string state =
        s.ok() ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(
                     response.status())
               : absl::StrCat("UNREACHABLE (", s.error_message(), ")");
    all_serving =
        all_serving && s.ok() &&
        response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
    if (absl::GetFlag(FLAGS_json)) {
      std::cout << absl::StrFormat(
          "{\"service\": \"%s\", \"address\": \"%s\", \"status\": \"%s\"}\n",
          name, address, s.ok() ? state : "UNREACHABLE");
    } else {
      std::cout << absl::StrFormat("%-13s %-16s %s\n", name, address, state);
    }
  }
  return all_serving ? 0 : 1;
}

int PlanCommand(std::vector<std::string> args) {
  if (args.empty()) return Usage("plan needs a subcommand");
  const std::string sub = args[0];
  args.erase(args.begin());
  if (sub == "import") return PlanImport(args);
  if (sub == "parse") return PlanParse(args);
  if (sub == "links") return PlanLinks();
  if (sub == "link") return PlanLink();
  if (sub == "cascade") return PlanCascade();
  if (sub == "trigger") return PlanTrigger();
  if (sub == "list") return PlanList();
  if (sub == "get") return PlanGet();
  if (sub == "tasks") return PlanTasks();
  if (sub == "task") return PlanTask();
  return Usage("unknown plan subcommand " + sub);
}

int ProgressCommand(const std::vector<std::string>& args) {
  if (args.empty()) return Usage("progress needs a subcommand");
  const std::string& sub = args[0];
  if (sub == "report") return ProgressReport();
  if (sub == "state") return ProgressState();
  if (sub == "states") return ProgressStates();
  if (sub == "reports") return ProgressReports();
  if (sub == "measurements") return ProgressMeasurements();
  return Usage("unknown progress subcommand " + sub);
}

int NotificationsCommand(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "read") return NotificationsRead();
  if (!args.empty()) {
    return Usage("unknown notifications subcommand " + args[0]);
  }
  return Notifications();
}

// The commands and what runs them (with the words after the command).
using Command = int (*)(const std::vector<std::string>& args);
const std::map<std::string, Command>& Commands() {
  static const auto* const commands = new std::map<std::string, Command>{
      {"plan", [](const auto& a) { return PlanCommand(a); }},
      {"progress", [](const auto& a) { return ProgressCommand(a); }},
      {"unit", [](const auto& a) { return UnitCommand(a); }},
      {"agency", [](const auto& a) { return AgencyCommand(a); }},
      {"rollup", [](const auto&) { return Rollup(); }},
      {"kpis", [](const auto&) { return Kpis(); }},
      {"reporting", [](const auto&) { return Reporting(); }},
      {"ranking", [](const auto&) { return Ranking(); }},
      {"report", [](const auto&) { return Report(); }},
      {"rebuild", [](const auto&) { return Rebuild(); }},
      {"units", [](const auto&) { return AggregationUnits(); }},
      {"notifications", [](const auto& a) { return NotificationsCommand(a); }},
      {"subscribe", [](const auto&) { return Subscribe(); }},
      {"subscriptions", [](const auto&) { return Subscriptions(); }},
      {"unsubscribe", [](const auto&) { return Unsubscribe(); }},
      {"deliveries", [](const auto&) { return Deliveries(); }},
      {"clock", [](const auto& a) { return Clock(a); }},
      {"health", [](const auto&) { return Health(); }},
      {"login", [](const auto&) { return Login(); }},
      {"logout", [](const auto&) { return Logout(); }},
      {"whoami", [](const auto&) { return WhoAmI(); }},
      {"account", [](const auto& a) { return AccountCommand(a); }},
      {"audit", [](const auto&) { return Audit(); }},
  };
  return *commands;
}

int Run(std::vector<std::string> args) {
  if (args.empty()) return Usage("no command");
  const std::string command = args[0];
  args.erase(args.begin());
  auto it = Commands().find(command);
  if (it == Commands().end()) return Usage("unknown command " + command);
  return it->second(args);
}

}  // namespace
}  // namespace tiendo::cli

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(tiendo::cli::kUsage);
  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return tiendo::cli::Run(args);
}
