#include "tools/tiendoctl/plan_text_commands.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/enum_words.h"
#include "services/plan/text/agency_registry.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/plan_text_parser.h"
#include "tiendo/v1/plan.grpc.pb.h"
#include "tools/tiendoctl/cli.h"

ABSL_FLAG(std::string, format, "auto",
          "plan document format: auto, table, tsv, csv, prose; report "
          "format: md (default), html, csv, json");
ABSL_FLAG(std::string, number, "",
          "plan number, for a document that leaves it blank");
ABSL_FLAG(int, year, 0, "plan year, for a document whose header names none");
ABSL_FLAG(std::string, registry, "",
          "agency registry JSON for plan parse (default: the shipped one)");
ABSL_FLAG(bool, dry_run, false, "show what would be created, change nothing");
ABSL_FLAG(std::vector<std::string>, implements, {},
          "task ids of the higher plan, comma-separated");
ABSL_FLAG(std::string, implemented_plan, "",
          "plan id of the higher plan (default: the one the plan names)");
ABSL_FLAG(std::vector<std::string>, units, {},
          "unit codes, comma-separated (default: every commune)");
ABSL_FLAG(std::string, name, "", "name as written");
ABSL_FLAG(std::string, parent, "", "parent unit code");
ABSL_FLAG(std::string, level, "commune", "country, province or commune");
ABSL_FLAG(std::string, police_code, "", "code of the unit's police");
ABSL_FLAG(std::string, police_name, "", "name of the unit's police");
ABSL_FLAG(std::string, code, "", "agency code, e.g. vinhthuy.kinhte");
ABSL_FLAG(std::string, kind, "", "agency kind, e.g. office, department");
ABSL_FLAG(std::vector<std::string>, aliases, {},
          "other names, comma-separated");

ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, unit);
ABSL_DECLARE_FLAG(std::string, plan);
ABSL_DECLARE_FLAG(std::string, task);
ABSL_DECLARE_FLAG(std::string, plan_service);

namespace tiendo::cli {
namespace {

bool ReadFile(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream buffer;
  buffer << in.rdbuf();
  text = buffer.str();
  return true;
}

std::unique_ptr<v1::PlanService::Stub> PlanStub() {
  return v1::PlanService::NewStub(Channel(absl::GetFlag(FLAGS_plan_service)));
}

std::string Schedule(const v1::Schedule& schedule) {
  std::vector<std::string> parts;
  for (const v1::Milestone& milestone : schedule.milestones()) {
    parts.push_back(plantext::IsoDate(milestone.due()));
  }
  if (schedule.has_ongoing()) {
    std::string ongoing = "ongoing";
    if (schedule.ongoing().start().year() != 0) {
      absl::StrAppend(&ongoing, " from ",
                      plantext::IsoDate(schedule.ongoing().start()));
    }
    if (schedule.ongoing().until().year() != 0) {
      absl::StrAppend(&ongoing, " until ",
                      plantext::IsoDate(schedule.ongoing().until()),
                      schedule.ongoing().until_expected() ? " (expected)" : "");
    }
    parts.push_back(ongoing);
  }
  if (schedule.has_recurrence()) {
    std::string every = absl::AsciiStrToLower(
        v1::Period_Name(schedule.recurrence().every()).substr(7));
    parts.push_back(schedule.recurrence().day() > 0
                        ? absl::StrFormat("every %s before day %d", every,
                                          schedule.recurrence().day())
                        : absl::StrCat("every ", every));
  }
  if (schedule.triggered()) parts.push_back("triggered");
  if (!schedule.not_understood().empty()) parts.push_back("not understood");
  return parts.empty() ? "—" : absl::StrJoin(parts, " + ");
}

void PrintTasks(const std::string& header, const v1::CreatePlanRequest& plan) {
  std::cout << header;
  int count = 0, review = 0, targets = 0;
  for (const v1::SectionSpec& section : plan.sections()) {
    std::cout << absl::StrFormat("\n%s  %s\n", section.code(),
                                 Title(section.title(), 90));
    for (const v1::TaskSpec& task : section.tasks()) {
      ++count;
      targets += task.targets_size();
      if (!task.needs_review().empty()) ++review;
      std::cout << absl::StrFormat(
          "  %-6s %s\n         lead %s; %s", task.number(),
          Title(task.title(), 90),
          task.lead_agencies().empty()
              ? "?"
              : absl::StrJoin(task.lead_agencies(), ","),
          Schedule(task.schedule()));
      for (const v1::Target& target : task.targets()) {
        std::cout << absl::StrFormat("; %g%% by %s", target.percent(),
                                     plantext::IsoDate(target.due()));
      }
      if (!task.needs_review().empty()) {
        std::cout << "; REVIEW " << absl::StrJoin(task.needs_review(), ",");
      }
      std::cout << "\n";
    }
  }
  std::cout << absl::StrFormat(
      "\n%d tasks, %d targets, %d to review%s\n", count, targets, review,
      plan.needs_review().empty()
          ? ""
          : absl::StrCat("; plan header to review: ",
                         absl::StrJoin(plan.needs_review(), ",")));
}

}  // namespace

int PlanParse(const std::vector<std::string>& args) {
  if (args.size() != 1) return Usage("plan parse needs one FILE");
  std::string text;
  if (!ReadFile(args[0], text)) {
    std::cerr << "error: cannot read " << args[0] << "\n";
    return 1;
  }
  std::string registry_json = plantext::DefaultRegistryJson();
  if (const std::string path = absl::GetFlag(FLAGS_registry); !path.empty()) {
    if (!ReadFile(path, registry_json)) {
      std::cerr << "error: cannot read " << path << "\n";
      return 1;
    }
  }
  absl::StatusOr<plantext::AgencyRegistry> registry =
      plantext::AgencyRegistry::FromJson(registry_json);
  if (!registry.ok()) {
    std::cerr << "error: registry: " << registry.status().message() << "\n";
    return 1;
  }
  absl::StatusOr<plantext::PlanFormat> format =
      plantext::ParsePlanFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return Usage(std::string(format.status().message()));
  plantext::ParseOptions options;
  options.format = *format;
  options.unit = absl::GetFlag(FLAGS_unit);
  options.number = absl::GetFlag(FLAGS_number);
  options.year = absl::GetFlag(FLAGS_year);
  absl::StatusOr<plantext::ParsedPlan> parsed =
      plantext::ParsePlanText(text, *registry, options);
  if (!parsed.ok()) {
    std::cerr << "error: " << args[0] << ": " << parsed.status().message()
              << "\n";
    return 1;
  }
  if (absl::GetFlag(FLAGS_json)) {
    std::cout << plantext::ParsedPlanJson(parsed->request, parsed->format)
              << "\n";
    return 0;
  }
  const v1::CreatePlanRequest& plan = parsed->request;
  PrintTasks(
      absl::StrFormat(
          "plan %s of %s (%s), issued %s, year %d, "
          "implements %s; read as %s\n  %s\n",
          plan.number().empty() ? "(no number)" : plan.number(),
          plan.unit_name(), plan.unit(), Day(plan.issued()), plan.year(),
          plan.implements().empty() ? "—" : plan.implements(),
          plantext::PlanFormatName(parsed->format), Title(plan.title(), 200)),
      plan);
  return 0;
}

int PlanImportText(const std::string& path, const std::string& text) {
  absl::StatusOr<plantext::PlanFormat> format =
      plantext::ParsePlanFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) return Usage(std::string(format.status().message()));
  v1::ImportPlanRequest request;
  request.set_text(text);
  request.set_unit(absl::GetFlag(FLAGS_unit));
  request.set_format(plantext::PlanFormatToProto(*format));
  request.set_number(absl::GetFlag(FLAGS_number));
  request.set_year(absl::GetFlag(FLAGS_year));
  request.set_dry_run(absl::GetFlag(FLAGS_dry_run));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ImportPlanResponse response;
  if (grpc::Status s = PlanStub()->ImportPlan(&context, request, &response);
      !s.ok()) {
    return RpcFailed(absl::StrCat("plan import ", path), s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  int review = 0;
  for (const v1::Task& task : response.tasks()) {
    if (!task.needs_review().empty()) ++review;
  }
  std::cout << absl::StrFormat(
      "%s plan %s (%s, %s) from %s text: %d tasks, %d to review\n",
      response.dry_run() ? "would import" : "imported", response.plan().id(),
      response.plan().number().empty() ? "no number" : response.plan().number(),
      response.plan().unit_name(),
      plantext::PlanFormatName(
          plantext::PlanFormatFromProto(response.format())),
      response.tasks_size(), review);
  return 0;
}

int PlanLinks() {
  v1::ProposeTaskLinksRequest request;
  request.set_plan_id(absl::GetFlag(FLAGS_plan));
  request.set_implemented_plan_id(absl::GetFlag(FLAGS_implemented_plan));
  if (request.plan_id().empty()) return Usage("plan links needs --plan");
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ProposeTaskLinksResponse response;
  if (grpc::Status s =
          PlanStub()->ProposeTaskLinks(&context, request, &response);
      !s.ok()) {
    return RpcFailed("plan links", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  std::cout << "proposed links to " << response.implemented_plan_id() << "\n";
  for (const v1::TaskLinkProposal& proposal : response.proposals()) {
    std::cout << proposal.task_id() << "\n";
    if (proposal.candidates().empty()) std::cout << "    (none)\n";
    for (const v1::TaskLinkCandidate& candidate : proposal.candidates()) {
      std::cout << absl::StrFormat("    %.2f  %s  %s\n", candidate.score(),
                                   candidate.task_id(),
                                   Title(candidate.title(), 60));
    }
  }
  return 0;
}

int PlanLink() {
  v1::SetTaskLinksRequest request;
  request.set_task_id(absl::GetFlag(FLAGS_task));
  if (request.task_id().empty()) return Usage("plan link needs --task");
  for (const std::string& id : absl::GetFlag(FLAGS_implements)) {
    request.add_implements(id);
  }
  grpc::ClientContext context;
  SetDeadline(context);
  v1::SetTaskLinksResponse response;
  if (grpc::Status s = PlanStub()->SetTaskLinks(&context, request, &response);
      !s.ok()) {
    return RpcFailed("plan link", s);
  }
  const v1::Task& task = response.task();
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(task);
    return 0;
  }
  std::cout << absl::StrFormat("%s implements %s (confirmed)\n", task.id(),
                               task.implements().empty()
                                   ? "nothing"
                                   : absl::StrJoin(task.implements(), ", "));
  return 0;
}

int PlanCascade() {
  v1::CascadePlanRequest request;
  request.set_plan_id(absl::GetFlag(FLAGS_plan));
  if (request.plan_id().empty()) return Usage("plan cascade needs --plan");
  for (const std::string& unit : absl::GetFlag(FLAGS_units)) {
    request.add_units(unit);
  }
  request.set_dry_run(absl::GetFlag(FLAGS_dry_run));
  grpc::ClientContext context;
  SetDeadline(context);
  v1::CascadePlanResponse response;
  if (grpc::Status s = PlanStub()->CascadePlan(&context, request, &response);
      !s.ok()) {
    return RpcFailed("plan cascade", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  for (const v1::Plan& plan : response.plans()) {
    std::cout << absl::StrFormat("%s %s: %d tasks\n",
                                 request.dry_run() ? "would create" : "created",
                                 plan.id(), plan.task_count());
  }
  for (const std::string& unit : response.skipped_units()) {
    std::cout << "skipped " << unit << ": it already has this plan\n";
  }
  return 0;
}

int UnitCommand(const std::vector<std::string>& args) {
  if (args.empty()) return Usage("unit needs list or add");
  grpc::ClientContext context;
  SetDeadline(context);
  if (args[0] == "list") {
    v1::ListUnitsRequest request;
    request.set_unit(absl::GetFlag(FLAGS_unit));
    v1::ListUnitsResponse response;
    if (grpc::Status s = ListAll(request, &response,
                                 [&](auto* c, const auto& r, auto* out) {
                                   return PlanStub()->ListUnits(c, r, out);
                                 });
        !s.ok()) {
      return RpcFailed("unit list", s);
    }
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(response);
      return 0;
    }
    for (const v1::RegistryUnit& unit : response.units()) {
      std::cout << absl::StrFormat(
          "%s  %s (%s, in %s), standing body %s\n", unit.code(), unit.name(),
          EnumWord(unit.level()), unit.parent().empty() ? "—" : unit.parent(),
          unit.standing_agency());
      for (const v1::RegistryAgency& agency : unit.agencies()) {
        std::cout << absl::StrFormat(
            "    %-28s %s%s\n", agency.code(), agency.name(),
            agency.group()
                ? absl::StrCat(
                      "  [group: ", absl::StrJoin(agency.members(), ","), "]")
                : "");
      }
    }
    return 0;
  }
  if (args[0] == "add" && args.size() == 2) {
    v1::AddUnitRequest request;
    request.set_code(args[1]);
    request.set_name(absl::GetFlag(FLAGS_name));
    request.set_parent(absl::GetFlag(FLAGS_parent));
    std::optional<v1::UnitLevel> level =
        EnumFromWord<v1::UnitLevel>(absl::GetFlag(FLAGS_level));
    if (!level) {
      return Usage(absl::StrCat("--level: '", absl::GetFlag(FLAGS_level),
                                "'; expected ", EnumWords<v1::UnitLevel>()));
    }
    request.set_level(*level);
    request.set_standing_agency_code(absl::GetFlag(FLAGS_police_code));
    request.set_standing_agency_name(absl::GetFlag(FLAGS_police_name));
    for (const std::string& alias : absl::GetFlag(FLAGS_aliases)) {
      request.add_aliases(alias);
    }
    v1::AddUnitResponse response;
    if (grpc::Status s = PlanStub()->AddUnit(&context, request, &response);
        !s.ok()) {
      return RpcFailed("unit add", s);
    }
    const v1::RegistryUnit& unit = response.unit();
    if (absl::GetFlag(FLAGS_json)) {
      PrintJson(unit);
      return 0;
    }
    std::cout << "added unit " << unit.code() << " (" << unit.name() << ")\n";
    return 0;
  }
  return Usage(
      "unit list [--unit=UNIT] | unit add CODE --name=... --parent=...");
}

int AgencyCommand(const std::vector<std::string>& args) {
  if (args.empty()) return Usage("agency needs add or alias");
  grpc::ClientContext context;
  SetDeadline(context);
  v1::RegistryAgency agency;
  grpc::Status status;
  if (args[0] == "add" && args.size() == 1) {
    v1::AddAgencyRequest request;
    request.set_unit(absl::GetFlag(FLAGS_unit));
    request.set_code(absl::GetFlag(FLAGS_code));
    request.set_name(absl::GetFlag(FLAGS_name));
    request.set_kind(absl::GetFlag(FLAGS_kind));
    for (const std::string& alias : absl::GetFlag(FLAGS_aliases)) {
      request.add_aliases(alias);
    }
    v1::AddAgencyResponse response;
    status = PlanStub()->AddAgency(&context, request, &response);
    agency = response.agency();
  } else if (args[0] == "alias" && args.size() == 3) {
    v1::AddAgencyAliasRequest request;
    request.set_code(args[1]);
    request.set_alias(args[2]);
    v1::AddAgencyAliasResponse response;
    status = PlanStub()->AddAgencyAlias(&context, request, &response);
    agency = response.agency();
  } else {
    return Usage(
        "agency add --unit=UNIT --code=CODE --name=NAME [--kind=K] "
        "[--aliases=A,B] | agency alias CODE ALIAS");
  }
  if (!status.ok()) return RpcFailed(absl::StrCat("agency ", args[0]), status);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(agency);
    return 0;
  }
  std::cout << absl::StrFormat("%s  %s  aliases: %s\n", agency.code(),
                               agency.name(),
                               absl::StrJoin(agency.aliases(), " | "));
  return 0;
}

}  // namespace tiendo::cli
