// End to end, with TLS on: README.md's table of who may call each RPC
// ("Security"), row by row. Every RPC of every service (but Login, which
// needs no credential) gets a valid request, sent by the caller the table
// names (answered, neither UNAUTHENTICATED nor PERMISSION_DENIED), by one
// with the wrong role and by one of another unit or agency where the RPC is
// scoped (PERMISSION_DENIED naming the role, unit or agency), and by an
// admin whose tokens were revoked (UNAUTHENTICATED). A failure prints the
// whole matrix, so a reader sees which cell broke.
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <array>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/generic_call.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"
#include "tiendo/v1/account.grpc.pb.h"
#include "tiendo/v1/audit.grpc.pb.h"

namespace tiendo::testing {
namespace {

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
const std::string kTask = std::string(kPlan) + "#I.2";  // lead: kinhte
constexpr char kProvincePlan[] = "dong-thap:KH-2026";   // communes: my-phong
constexpr char kClockStart[] = "2026-05-20T08:00:00+07:00";

// A caller a row expects refused, and what the refusal's message names.
struct Refusal {
  v1::Account caller;
  std::string names;
};

Refusal LacksRole(const v1::Account& caller, const std::string& role) {
  return {caller, absl::StrCat("lacks the ", role, " role")};
}
Refusal OutsideUnit(const v1::Account& caller, const std::string& unit) {
  return {caller, absl::StrCat(unit, " is outside the unit of")};
}
Refusal NotActingFor(const v1::Account& caller, const std::string& agency) {
  return {caller, absl::StrCat("does not act for ", agency)};
}

// One RPC as the table has it.
struct Row {
  std::string where;   // the service serving it: "plan", "progress", ...
  std::string method;  // "/tiendo.v1.PlanService/ImportPlan"
  std::string request;
  v1::Account right;
  std::optional<Refusal> wrong_role;
  std::optional<Refusal> other_scope;  // another unit or agency
  // A watch stream, open until cancelled: answered once it sends a message
  // or is still open at a short deadline.
  bool watch = false;
};

Row Open(const std::string& where, const std::string& method,
         const google::protobuf::Message& request, const v1::Account& right) {
  Row row;
  row.where = where;
  row.method = method;
  row.request = request.SerializeAsString();
  row.right = right;
  return row;
}

Row Scoped(const std::string& where, const std::string& method,
           const google::protobuf::Message& request, const v1::Account& right,
           std::optional<Refusal> wrong_role,
           std::optional<Refusal> other_scope) {
  Row row = Open(where, method, request, right);
  row.wrong_role = std::move(wrong_role);
  row.other_scope = std::move(other_scope);
  return row;
}

// The accounts the rows call as.
struct Callers {
  v1::Account admin = TestAdmin();
  v1::Account planner =
      TestAccount("kehoach-xa", "vinh-thuy", {v1::ROLE_PLANNER});
  v1::Account province_planner =
      TestAccount("kehoach-tinh", "quang-tri", {v1::ROLE_PLANNER});
  v1::Account dong_thap_planner =
      TestAccount("kehoach-dongthap", "dong-thap", {v1::ROLE_PLANNER});
  v1::Account my_phong_planner =
      TestAccount("kehoach-myphong", "my-phong", {v1::ROLE_PLANNER});
  v1::Account viewer = TestAccount("xem-xa", "vinh-thuy", {v1::ROLE_VIEWER});
  v1::Account my_phong_viewer =
      TestAccount("xem-myphong", "my-phong", {v1::ROLE_VIEWER});
  v1::Account kinhte = TestAccount("kinhte", "vinh-thuy", {v1::ROLE_REPORTER},
                                   {"vinhthuy.kinhte"});
  v1::Account kinhte_viewer = TestAccount(
      "kinhte-xem", "vinh-thuy", {v1::ROLE_VIEWER}, {"vinhthuy.kinhte"});
  v1::Account congan = TestAccount("congan", "vinh-thuy", {v1::ROLE_REPORTER},
                                   {"vinhthuy.congan"});
  v1::Account my_phong_reporter = TestAccount(
      "ubnd-myphong", "my-phong", {v1::ROLE_REPORTER}, {"myphong.ubnd"});
};

std::string Plan(const std::string& name) {
  return absl::StrCat("/tiendo.v1.PlanService/", name);
}

std::vector<Row> PlanReadRows(const Callers& c) {
  v1::GetPlanRequest get_plan;
  get_plan.set_plan_id(kPlan);
  v1::ListTasksRequest list_tasks;
  list_tasks.set_plan_id(kPlan);
  v1::GetTaskRequest get_task;
  get_task.set_task_id(kTask);
  // Plans are public documents: a reporter of another province reads them.
  return {
      Open("plan", Plan("GetPlan"), get_plan, c.my_phong_reporter),
      Open("plan", Plan("ListPlans"), v1::ListPlansRequest(),
           c.my_phong_reporter),
      Open("plan", Plan("ListTasks"), list_tasks, c.my_phong_reporter),
      Open("plan", Plan("GetTask"), get_task, c.my_phong_reporter),
      Open("plan", Plan("ListUnits"), v1::ListUnitsRequest(),
           c.my_phong_reporter),
  };
}

v1::CreatePlanRequest AnotherVinhThuyPlan() {
  v1::CreatePlanRequest request = ExamplePlanRequest();
  request.set_number("1200/KH-UBND");
  return request;
}

std::vector<Row> PlanRegistryRows(const Callers& c) {
  v1::ImportPlanRequest import;
  import.set_text(ReadFile(
      absl::StrCat(TIENDO_SOURCE_DIR, "/examples/plans/vinh-thuy-1199.txt")));
  import.set_dry_run(true);
  v1::AddUnitRequest commune;
  commune.set_code("thuy-an");
  commune.set_name("Thủy An");
  commune.set_level(v1::UNIT_LEVEL_COMMUNE);
  commune.set_parent("quang-tri");
  commune.set_standing_agency_code("thuyan.congan");
  v1::AddUnitRequest root;
  root.set_code("lao");
  root.set_name("Lào");
  root.set_level(v1::UNIT_LEVEL_COUNTRY);
  v1::AddAgencyRequest agency;
  agency.set_unit("vinh-thuy");
  agency.set_code("vinhthuy.dulich");
  agency.set_name("Trung tâm Du lịch");
  agency.set_kind("center");
  v1::AddAgencyAliasRequest alias;
  alias.set_code("vinhthuy.kinhte");
  alias.set_alias("Phòng KT xã Vĩnh Thủy");
  const Refusal reporter = LacksRole(c.kinhte, "planner");
  return {
      Scoped("plan", Plan("ImportPlan"), import, c.planner, reporter,
             OutsideUnit(c.my_phong_planner, "vinh-thuy")),
      Scoped("plan", Plan("CreatePlan"), AnotherVinhThuyPlan(), c.planner,
             reporter, OutsideUnit(c.my_phong_planner, "vinh-thuy")),
      Scoped("plan", Plan("AddUnit"), commune, c.province_planner, reporter,
             OutsideUnit(c.dong_thap_planner, "quang-tri")),
      // A unit without a parent, a registry root: admins only.
      Scoped("plan", Plan("AddUnit"), root, c.admin,
             LacksRole(c.province_planner, "admin"), std::nullopt),
      Scoped("plan", Plan("AddAgency"), agency, c.planner, reporter,
             OutsideUnit(c.my_phong_planner, "vinh-thuy")),
      Scoped("plan", Plan("AddAgencyAlias"), alias, c.planner, reporter,
             OutsideUnit(c.my_phong_planner, "vinh-thuy")),
  };
}

std::vector<Row> PlanTaskRows(const Callers& c,
                              const std::string& triggered_task) {
  v1::ProposeTaskLinksRequest propose;
  propose.set_plan_id(kPlan);
  propose.set_implemented_plan_id(kProvincePlan);
  v1::SetTaskLinksRequest links;
  links.set_task_id(kTask);
  v1::CascadePlanRequest cascade;
  cascade.set_plan_id(kProvincePlan);
  cascade.set_dry_run(true);
  v1::RecordTriggerRequest trigger;
  trigger.set_task_id(triggered_task);
  trigger.set_trigger("Bộ Công an có chỉ đạo ngày 18/5/2026");
  *trigger.mutable_happened_on() = Date(2026, 5, 18);
  *trigger.mutable_due() = Date(2026, 6, 30);
  trigger.set_request_id("access-table");
  const Refusal reporter = LacksRole(c.kinhte, "planner");
  return {
      Scoped("plan", Plan("ProposeTaskLinks"), propose, c.planner, reporter,
             OutsideUnit(c.my_phong_planner, "vinh-thuy")),
      Scoped("plan", Plan("SetTaskLinks"), links, c.planner, reporter,
             OutsideUnit(c.my_phong_planner, "vinh-thuy")),
      // Every unit cascaded to (here the province's only commune).
      Scoped("plan", Plan("CascadePlan"), cascade, c.dong_thap_planner,
             reporter, OutsideUnit(c.planner, "my-phong")),
      Scoped("plan", Plan("RecordTrigger"), trigger, c.planner, reporter,
             OutsideUnit(c.my_phong_planner, "vinh-thuy")),
  };
}

std::string Accounts(const std::string& name) {
  return absl::StrCat("/tiendo.v1.AccountService/", name);
}

std::vector<Row> AccountRows(const Callers& c) {
  v1::CreateAccountRequest create;
  *create.mutable_account() = TestAccount(
      "tinh.moi.feed", "quang-tri", {v1::ROLE_REPORTER}, {"quangtri.congan"});
  create.mutable_account()->set_system(true);
  v1::IssueTokenRequest issue;
  issue.set_account("tinh.moi.feed");
  issue.mutable_valid_for()->set_seconds(86400);
  v1::RevokeTokensRequest revoke;
  revoke.set_account("tinh.moi.feed");
  const Refusal planner = LacksRole(c.province_planner, "admin");
  return {
      Scoped("plan", Accounts("CreateAccount"), create, c.admin, planner,
             std::nullopt),
      Scoped("plan", Accounts("IssueToken"), issue, c.admin, planner,
             std::nullopt),
      Scoped("plan", Accounts("RevokeTokens"), revoke, c.admin, planner,
             std::nullopt),
      Scoped("plan", Accounts("ListAccounts"), v1::ListAccountsRequest(),
             c.admin, planner, std::nullopt),
      Open("plan", Accounts("WhoAmI"), v1::WhoAmIRequest(),
           c.my_phong_reporter),
  };
}

std::string Progress(const std::string& name) {
  return absl::StrCat("/tiendo.v1.ProgressService/", name);
}

std::vector<Row> ProgressWriteRows(const Callers& c) {
  v1::ReportProgressRequest report;
  report.set_task_id(kTask);
  report.set_agency("vinhthuy.kinhte");
  report.set_status(v1::TASK_STATUS_IN_PROGRESS);
  report.set_percent(30);
  report.set_request_id("access-table");
  v1::ReportMeasurementsRequest measurements;
  v1::MeasurementItem& item = *measurements.add_items();
  item.set_task_id(kTask);
  item.set_agency("vinhthuy.kinhte");
  item.mutable_measurement()->set_numerator(1);
  item.mutable_measurement()->set_denominator(2);
  *item.mutable_measurement()->mutable_as_of() = Date(2026, 5, 19);
  item.set_request_id("access-table");
  return {
      Scoped("progress", Progress("ReportProgress"), report, c.kinhte,
             LacksRole(c.kinhte_viewer, "reporter"),
             NotActingFor(c.congan, "vinhthuy.kinhte")),
      Scoped("progress", Progress("ReportMeasurements"), measurements, c.kinhte,
             LacksRole(c.kinhte_viewer, "reporter"),
             NotActingFor(c.congan, "vinhthuy.kinhte")),
  };
}

std::vector<Row> ProgressReadRows(const Callers& c) {
  v1::GetTaskStateRequest state;
  state.set_task_id(kTask);
  v1::ListReportsRequest reports;
  reports.set_task_id(kTask);
  v1::ListTaskStatesRequest states;
  states.set_unit("vinh-thuy");
  v1::ListMeasurementsRequest measured;
  measured.set_unit("vinh-thuy");
  // Any signed-in account: no role is wrong, another unit is.
  const Refusal elsewhere = OutsideUnit(c.my_phong_viewer, "vinh-thuy");
  return {
      Scoped("progress", Progress("GetTaskState"), state, c.viewer,
             std::nullopt, elsewhere),
      Scoped("progress", Progress("ListReports"), reports, c.viewer,
             std::nullopt, elsewhere),
      Scoped("progress", Progress("ListTaskStates"), states, c.viewer,
             std::nullopt, elsewhere),
      Scoped("progress", Progress("ListMeasurements"), measured, c.viewer,
             std::nullopt, elsewhere),
  };
}

std::string Notification(const std::string& name) {
  return absl::StrCat("/tiendo.v1.NotificationService/", name);
}

// The police's inbox, read and managed by an account acting for it (any
// role), refused to another agency's.
std::vector<Row> NotificationRows(const Callers& c) {
  constexpr char kPolice[] = "vinhthuy.congan";
  v1::ListNotificationsRequest list;
  list.set_agency(kPolice);
  v1::WatchNotificationsRequest watch;
  watch.set_agency(kPolice);
  v1::MarkReadRequest mark;
  mark.set_agency(kPolice);
  mark.add_ids(1);
  v1::SetSubscriptionRequest subscribe;
  v1::Subscription& subscription = *subscribe.mutable_subscription();
  subscription.set_agency(kPolice);
  subscription.set_id("mail");
  subscription.set_channel(v1::CHANNEL_EMAIL);
  subscription.set_address("congan@vinhthuy.example");
  v1::ListSubscriptionsRequest subscriptions;
  subscriptions.set_agency(kPolice);
  v1::DeleteSubscriptionRequest unsubscribe;  // the one subscribed above
  unsubscribe.set_agency(kPolice);
  unsubscribe.set_id("mail");
  v1::ListDeliveriesRequest deliveries;
  deliveries.set_agency(kPolice);
  const Refusal kinhte = NotActingFor(c.kinhte, kPolice);
  std::vector<Row> rows = {
      Scoped("notification", Notification("ListNotifications"), list, c.congan,
             std::nullopt, kinhte),
      Scoped("notification", Notification("WatchNotifications"), watch,
             c.congan, std::nullopt, kinhte),
      Scoped("notification", Notification("MarkRead"), mark, c.congan,
             std::nullopt, kinhte),
      Scoped("notification", Notification("SetSubscription"), subscribe,
             c.congan, std::nullopt, kinhte),
      Scoped("notification", Notification("ListSubscriptions"), subscriptions,
             c.congan, std::nullopt, kinhte),
      Scoped("notification", Notification("DeleteSubscription"), unsubscribe,
             c.congan, std::nullopt, kinhte),
      Scoped("notification", Notification("ListDeliveries"), deliveries,
             c.congan, std::nullopt, kinhte),
  };
  rows[1].watch = true;
  return rows;
}

std::string Aggregation(const std::string& name) {
  return absl::StrCat("/tiendo.v1.AggregationService/", name);
}

std::vector<Row> AggregationRows(const Callers& c) {
  v1::GetRollupRequest rollup;
  rollup.set_unit("vinh-thuy");
  v1::WatchRollupRequest watch;
  watch.set_unit("vinh-thuy");
  v1::GetKpisRequest kpis;
  kpis.set_unit("vinh-thuy");
  v1::GetReportingRatesRequest rates;
  rates.set_unit("vinh-thuy");
  v1::GetRankingRequest ranking;
  ranking.set_unit("vinh-thuy");
  v1::GetMonthlyReportRequest monthly;
  monthly.set_unit("vinh-thuy");
  monthly.set_month("2026-05");
  // A viewer (or a standing body or a planner) of the unit or above.
  const Refusal reporter = LacksRole(c.kinhte, "viewer");
  const Refusal elsewhere = OutsideUnit(c.my_phong_viewer, "vinh-thuy");
  std::vector<Row> rows = {
      Scoped("aggregation", Aggregation("GetRollup"), rollup, c.viewer,
             reporter, elsewhere),
      Scoped("aggregation", Aggregation("WatchRollup"), watch, c.viewer,
             reporter, elsewhere),
      Scoped("aggregation", Aggregation("GetKpis"), kpis, c.province_planner,
             reporter, elsewhere),
      Scoped("aggregation", Aggregation("GetReportingRates"), rates, c.viewer,
             reporter, elsewhere),
      Scoped("aggregation", Aggregation("GetRanking"), ranking, c.viewer,
             reporter, elsewhere),
      Scoped("aggregation", Aggregation("GetMonthlyReport"), monthly, c.viewer,
             reporter, elsewhere),
      Open("aggregation", Aggregation("ListUnits"),
           v1::AggregationServiceListUnitsRequest(), c.my_phong_reporter),
      Scoped("aggregation", Aggregation("Rebuild"), v1::RebuildRequest(),
             c.admin, LacksRole(c.province_planner, "admin"), std::nullopt),
  };
  rows[1].watch = true;
  return rows;
}

// The audit trail and the simulated clock, at every service: admins only.
std::vector<Row> AdminRows(const Callers& c) {
  v1::ListAuditRecordsRequest audit;
  audit.set_limit(5);
  v1::SetTimeRequest set_time;  // to where it stands: nothing moves
  absl::Time start;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, kClockStart, &start, &error))
      << error;
  set_time.mutable_time()->set_seconds(absl::ToUnixSeconds(start));
  v1::AdvanceTimeRequest advance;  // by nothing
  const Refusal planner = LacksRole(c.province_planner, "admin");
  std::vector<Row> rows;
  for (const std::string where :
       {"plan", "progress", "notification", "aggregation"}) {
    rows.push_back(Scoped(where, "/tiendo.v1.AuditService/ListAuditRecords",
                          audit, c.admin, planner, std::nullopt));
    for (const auto& [name, request] :
         std::vector<std::pair<std::string, const google::protobuf::Message*>>{
             {"GetTime", &v1::GetTimeRequest::default_instance()},
             {"SetTime", &set_time},
             {"AdvanceTime", &advance}}) {
      rows.push_back(Scoped(where,
                            absl::StrCat("/tiendo.v1.ClockAdminService/", name),
                            *request, c.admin, planner, std::nullopt));
    }
  }
  return rows;
}

// The columns, in the order they are called: the refusals first, so the
// right caller's writes come after them.
enum Column { kWrongRole, kOtherScope, kRevoked, kRight, kColumns };
constexpr std::array<const char*, kColumns> kColumnNames = {
    "wrong role", "other unit/agency", "revoked", "right"};

struct Cell {
  bool checked = false;
  bool passed = true;
  grpc::Status status;
};

const char* CodeName(grpc::StatusCode code) {
  static constexpr std::array<const char*, 17> kNames = {"OK",
                                                         "CANCELLED",
                                                         "UNKNOWN",
                                                         "INVALID_ARGUMENT",
                                                         "DEADLINE_EXCEEDED",
                                                         "NOT_FOUND",
                                                         "ALREADY_EXISTS",
                                                         "PERMISSION_DENIED",
                                                         "RESOURCE_EXHAUSTED",
                                                         "FAILED_PRECONDITION",
                                                         "ABORTED",
                                                         "OUT_OF_RANGE",
                                                         "UNIMPLEMENTED",
                                                         "INTERNAL",
                                                         "UNAVAILABLE",
                                                         "DATA_LOSS",
                                                         "UNAUTHENTICATED"};
  const int i = static_cast<int>(code);
  return i >= 0 && i < static_cast<int>(kNames.size()) ? kNames[i] : "?";
}

// The right caller is answered: OK, or a watch stream still open.
bool Answered(const Row& row, const grpc::Status& status) {
  return status.ok() || (row.watch && status.error_code() ==
                                          grpc::StatusCode::DEADLINE_EXCEEDED);
}

bool Refused(const grpc::Status& status, grpc::StatusCode code,
             const std::string& names) {
  return status.error_code() == code &&
         absl::StrContains(status.error_message(), names);
}

std::string Matrix(const std::vector<Row>& rows,
                   const std::vector<std::array<Cell, kColumns>>& cells) {
  std::string out = absl::StrFormat("%-66s", "RPC @ service");
  for (const char* name : kColumnNames)
    absl::StrAppendFormat(&out, " %-21s", name);
  out += "\n";
  std::string broken;
  for (size_t r = 0; r < rows.size(); ++r) {
    absl::StrAppendFormat(&out, "%-66s",
                          absl::StrCat(rows[r].method, " @ ", rows[r].where));
    for (int col = 0; col < kColumns; ++col) {
      const Cell& cell = cells[r][col];
      const std::string text =
          !cell.checked ? "-"
                        : absl::StrCat(cell.passed ? "" : "FAIL ",
                                       CodeName(cell.status.error_code()));
      absl::StrAppendFormat(&out, " %-21s", text);
      if (!cell.passed) {
        absl::StrAppend(&broken, rows[r].method, " @ ", rows[r].where, " [",
                        kColumnNames[col], "]: ", cell.status.error_message(),
                        "\n");
      }
    }
    out += "\n";
  }
  return absl::StrCat(out, broken);
}

class AccessTableTest : public ::testing::Test {
 protected:
  AccessTableTest() : stack_(kClockStart) {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start()) << "logs in " << stack_.dir();
    ASSERT_TRUE(stack_.ImportExamplePlan("vinh-thuy-1199.txt", kTask).ok());
    v1::ImportPlanRequest province;
    province.set_text(ReadFile(
        absl::StrCat(TIENDO_SOURCE_DIR, "/examples/plans/dong-thap-2026.txt")));
    v1::ImportPlanResponse imported;
    grpc::ClientContext context;
    SetDeadline(context);
    ASSERT_TRUE(stack_.Plan()->ImportPlan(&context, province, &imported).ok());
    ASSERT_EQ(imported.plan().id(), kProvincePlan);
    triggered_task_ = TriggeredTask();
    ASSERT_FALSE(triggered_task_.empty()) << kPlan << " has no triggered task";
  }

  // A task of kPlan that waits for an outside event.
  std::string TriggeredTask() {
    v1::ListTasksRequest request;
    request.set_plan_id(kPlan);
    request.set_page_size(1000);
    v1::ListTasksResponse tasks;
    grpc::ClientContext context;
    SetDeadline(context);
    EXPECT_TRUE(stack_.Plan()->ListTasks(&context, request, &tasks).ok());
    for (const v1::Task& task : tasks.tasks()) {
      if (task.schedule().triggered()) return task.id();
    }
    return "";
  }

  grpc::Status Call(const Row& row, const std::string& token) {
    return CallMethod(
        grpc::CreateChannel(stack_.Address(row.where), TestCredentials(token)),
        row.method, row.request,
        row.watch ? absl::Seconds(2) : absl::Seconds(30), row.watch);
  }

  // An admin of the province whose tokens were revoked, once every service
  // refuses them: its token from before the revocation.
  std::string RevokedAdminToken() {
    auto accounts = v1::AccountService::NewStub(grpc::CreateChannel(
        stack_.Address("plan"), TestCredentials(TestToken(TestAdmin()))));
    v1::CreateAccountRequest create;
    *create.mutable_account() = TestAccount(
        "tinh.thuhoi.feed", "quang-tri", {v1::ROLE_ADMIN}, {"quangtri.congan"});
    create.mutable_account()->set_system(true);
    v1::CreateAccountResponse created;
    {
      grpc::ClientContext context;
      SetDeadline(context);
      EXPECT_TRUE(accounts->CreateAccount(&context, create, &created).ok());
    }
    const std::string token = TestToken(created.account());
    v1::RevokeTokensRequest revoke;
    revoke.set_account(created.account().name());
    v1::RevokeTokensResponse revoked;
    grpc::ClientContext context;
    SetDeadline(context);
    EXPECT_TRUE(accounts->RevokeTokens(&context, revoke, &revoked).ok());
    for (const std::string where :
         {"plan", "progress", "notification", "aggregation"}) {
      EXPECT_TRUE(WaitUntil(
          [&] {
            return CallMethod(grpc::CreateChannel(stack_.Address(where),
                                                  TestCredentials(token)),
                              "/tiendo.v1.AuditService/ListAuditRecords", "")
                       .error_code() == grpc::StatusCode::UNAUTHENTICATED;
          },
          absl::Seconds(30)))
          << where << " still accepts the revoked token";
    }
    return token;
  }

  std::array<Cell, kColumns> CheckRow(const Row& row,
                                      const std::string& revoked) {
    std::array<Cell, kColumns> cells;
    auto refusal = [&](Cell& cell, const std::optional<Refusal>& refused) {
      if (!refused) return;
      cell.checked = true;
      cell.status = Call(row, TestToken(refused->caller));
      cell.passed = Refused(cell.status, grpc::StatusCode::PERMISSION_DENIED,
                            refused->names);
    };
    refusal(cells[kWrongRole], row.wrong_role);
    refusal(cells[kOtherScope], row.other_scope);
    Cell& dropped = cells[kRevoked];
    dropped.checked = true;
    dropped.status = Call(row, revoked);
    dropped.passed =
        Refused(dropped.status, grpc::StatusCode::UNAUTHENTICATED, "revoked");
    Cell& right = cells[kRight];
    right.checked = true;
    right.status = Call(row, TestToken(row.right));
    right.passed = Answered(row, right.status);
    return cells;
  }

  Stack stack_;
  std::string triggered_task_;
};

std::vector<Row> AllRows(const std::string& triggered_task) {
  const Callers c;
  std::vector<Row> rows;
  for (std::vector<Row> part :
       {PlanReadRows(c), PlanRegistryRows(c), PlanTaskRows(c, triggered_task),
        AccountRows(c), ProgressWriteRows(c), ProgressReadRows(c),
        NotificationRows(c), AggregationRows(c), AdminRows(c)}) {
    for (Row& row : part) rows.push_back(std::move(row));
  }
  return rows;
}

TEST_F(AccessTableTest, EveryRpcAnswersWhomTheReadmeTableNamesAndNoOneElse) {
  const std::vector<Row> rows = AllRows(triggered_task_);
  // Every RPC has a row (Login needs no credential), so a new one cannot
  // go unchecked.
  std::set<std::string> covered;
  for (const Row& row : rows) covered.insert(row.where + row.method);
  const std::vector<std::pair<std::string, std::string>> served = {
      {"tiendo.v1.PlanService", "plan"},
      {"tiendo.v1.AccountService", "plan"},
      {"tiendo.v1.ProgressService", "progress"},
      {"tiendo.v1.NotificationService", "notification"},
      {"tiendo.v1.AggregationService", "aggregation"},
  };
  std::vector<std::pair<std::string, std::string>> everywhere = served;
  for (const std::string where :
       {"plan", "progress", "notification", "aggregation"}) {
    everywhere.emplace_back("tiendo.v1.AuditService", where);
    everywhere.emplace_back("tiendo.v1.ClockAdminService", where);
  }
  for (const auto& [service, where] : everywhere) {
    for (const std::string& method : Methods(service)) {
      if (method == "/tiendo.v1.AccountService/Login") continue;
      EXPECT_TRUE(covered.contains(where + method))
          << method << " @ " << where << " has no row";
    }
  }

  const std::string revoked = RevokedAdminToken();
  std::vector<std::array<Cell, kColumns>> cells;
  int checked = 0;
  bool all_passed = true;
  for (const Row& row : rows) {
    cells.push_back(CheckRow(row, revoked));
    for (const Cell& cell : cells.back()) {
      checked += cell.checked ? 1 : 0;
      all_passed = all_passed && cell.passed;
    }
  }
  EXPECT_TRUE(all_passed) << Matrix(rows, cells);
  EXPECT_EQ(rows.size(), 57U);
  EXPECT_GE(checked, 4 * 40);
  std::cout << "checked " << checked << " cells of " << rows.size()
            << " rows x " << kColumns << " columns\n";
}

}  // namespace
}  // namespace tiendo::testing
