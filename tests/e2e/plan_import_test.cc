// End to end: plans imported from the documents users have (the Vĩnh Thủy
// table, the Đồng Tháp prose plan) through PlanService.ImportPlan, with the
// broker and the four services as processes; the tasks reach the progress
// service over Kafka; a provincial plan cascades to its communes.
#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string Example(const std::string& name) {
  return ReadFile(absl::StrCat(TIENDO_SOURCE_DIR, "/examples/plans/", name));
}

class PlanImportTest : public ::testing::Test {
 protected:
  PlanImportTest() : stack_("2026-05-20T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
  }

  grpc::Status Import(const std::string& text, v1::ImportPlanResponse* response,
                      bool dry_run = false) {
    v1::ImportPlanRequest request;
    request.set_text(text);
    request.set_dry_run(dry_run);
    grpc::ClientContext context;
    SetDeadline(context);
    return stack_.Plan()->ImportPlan(&context, request, response);
  }

  std::vector<v1::Plan> Plans() {
    v1::ListPlansResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    EXPECT_TRUE(stack_.Plan()
                    ->ListPlans(&context, v1::ListPlansRequest(), &response)
                    .ok());
    return {response.plans().begin(), response.plans().end()};
  }

  grpc::Status Report(const std::string& task, const std::string& agency,
                      const std::string& request_id) {
    v1::ReportProgressRequest request;
    request.set_task_id(task);
    request.set_agency(agency);
    request.set_status(v1::TASK_STATUS_IN_PROGRESS);
    request.set_percent(30);
    request.set_request_id(request_id);
    return stack_.Report(request);
  }

  Stack stack_;
};

TEST_F(PlanImportTest, CommuneTableImportsAndItsTasksReachProgress) {
  // A dry run shows the plan and stores nothing.
  v1::ImportPlanResponse preview;
  ASSERT_TRUE(Import(Example("vinh-thuy-1199.txt"), &preview, true).ok());
  EXPECT_TRUE(preview.dry_run());
  EXPECT_EQ(preview.tasks_size(), 23);
  EXPECT_TRUE(Plans().empty());

  v1::ImportPlanResponse imported;
  grpc::Status s = Import(Example("vinh-thuy-1199.txt"), &imported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(imported.format(), v1::PLAN_FORMAT_TABLE);
  EXPECT_EQ(imported.plan().id(), "vinh-thuy:1199-KH-UBND");
  EXPECT_EQ(imported.plan().implements(), "1965/KH-UBND");
  EXPECT_EQ(imported.plan().task_count(), 23);

  // III.4 "Hoàn thành trước 10/5/2026": progress knows it from the stream,
  // with its due date and lead.
  const std::string task = "vinh-thuy:1199-KH-UBND#III.4";
  v1::TaskState state;
  ASSERT_TRUE(WaitUntil([&] { return stack_.TaskState(task, &state).ok(); }));
  EXPECT_EQ(state.due_date().year(), 2026);
  EXPECT_EQ(state.due_date().month(), 5);
  EXPECT_EQ(state.due_date().day(), 10);
  EXPECT_TRUE(Report(task, "vinhthuy.congan", "imp-1").ok());
  const grpc::Status refused = Report(task, "vinhthuy.tramyte", "imp-2");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  // The same document again: refused, nothing changes.
  v1::ImportPlanResponse again;
  EXPECT_EQ(Import(Example("vinh-thuy-1199.txt"), &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Plans().size(), 1u);
}

TEST_F(PlanImportTest, BadDocumentIsRefusedWithItsLineAndImportsNothing) {
  std::string text = Example("vinh-thuy-1199.txt");
  // Task III.4's deadline becomes a date that cannot exist.
  const std::string from = "Hoàn thành trước 10/5/2026";
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), "Hoàn thành trước 31/2/2026");
  size_t line = 1;
  for (size_t i = 0; i < at; ++i) line += text[i] == '\n' ? 1 : 0;

  v1::ImportPlanResponse response;
  const grpc::Status s = Import(text, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), StartsWith(absl::StrCat("line ", line, ":")));
  EXPECT_THAT(s.error_message(), HasSubstr("31/2/2026"));
  EXPECT_TRUE(Plans().empty());

  const grpc::Status not_plan = Import("Kính gửi: các đồng chí\n", &response);
  EXPECT_EQ(not_plan.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(not_plan.error_message(), HasSubstr("not a plan"));
  EXPECT_TRUE(Plans().empty());
}

TEST_F(PlanImportTest, OversizedDocumentOrCellIsRefusedAndTheNextImportFlows) {
  v1::ImportPlanResponse response;
  const grpc::Status too_long = Import(std::string(3 << 20, 'x'), &response);
  EXPECT_EQ(too_long.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(too_long.error_message(),
            "text: 3145728 bytes, more than the 2097152 allowed");

  // Task III.4's deadline cell grows past what a cell may hold.
  std::string text = Example("vinh-thuy-1199.txt");
  const std::string from = "Hoàn thành trước 10/5/2026";
  const size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), from + " " + std::string(200000, 'x'));
  const grpc::Status big_cell = Import(text, &response);
  EXPECT_EQ(big_cell.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(big_cell.error_message(),
              HasSubstr("bytes, more than the 4000 allowed"));
  EXPECT_TRUE(Plans().empty());

  // Nothing of either is stored or queued: the plan as written imports
  // and reaches the progress service.
  ASSERT_TRUE(Import(Example("vinh-thuy-1199.txt"), &response).ok());
  v1::TaskState state;
  EXPECT_TRUE(WaitUntil([&] {
    return stack_.TaskState("vinh-thuy:1199-KH-UBND#III.4", &state).ok();
  }));
}

TEST_F(PlanImportTest, ProvincialProsePlanCascadesToItsCommunesWithLinks) {
  v1::ImportPlanResponse imported;
  grpc::Status s = Import(Example("dong-thap-2026.txt"), &imported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(imported.format(), v1::PLAN_FORMAT_PROSE);
  const std::string province = imported.plan().id();
  EXPECT_EQ(province, "dong-thap:KH-2026");
  EXPECT_THAT(imported.plan().needs_review(), ::testing::Contains("number"));

  // Every commune the registry knows gets a starting plan with the tasks
  // that name the communes, each linked to its provincial task.
  v1::CascadePlanRequest cascade;
  cascade.set_plan_id(province);
  v1::CascadePlanResponse cascaded;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    s = stack_.Plan()->CascadePlan(&context, cascade, &cascaded);
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(cascaded.plans_size(), 1);
  const v1::Plan& commune = cascaded.plans(0);
  EXPECT_EQ(commune.unit(), "my-phong");
  EXPECT_GT(commune.task_count(), 10);

  v1::ListTasksRequest list;
  list.set_plan_id(commune.id());
  v1::ListTasksResponse tasks;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    ASSERT_TRUE(stack_.Plan()->ListTasks(&context, list, &tasks).ok());
  }
  for (const v1::Task& task : tasks.tasks()) {
    ASSERT_EQ(task.implements_size(), 1) << task.id();
    EXPECT_TRUE(task.implements_confirmed());
    EXPECT_THAT(task.implements(0), StartsWith(province + "#"));
    EXPECT_EQ(task.lead_agencies(0), "myphong.ubnd");
  }

  // The proposals rank the task each commune task came from first.
  v1::ProposeTaskLinksRequest propose;
  propose.set_plan_id(commune.id());
  v1::ProposeTaskLinksResponse proposals;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    s = stack_.Plan()->ProposeTaskLinks(&context, propose, &proposals);
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(proposals.implemented_plan_id(), province);
  ASSERT_EQ(proposals.proposals_size(), tasks.tasks_size());
  for (int i = 0; i < tasks.tasks_size(); ++i) {
    ASSERT_FALSE(proposals.proposals(i).candidates().empty());
    EXPECT_EQ(proposals.proposals(i).candidates(0).task_id(),
              tasks.tasks(i).implements(0));
  }

  // A person overrides one link; the change is versioned and published.
  v1::SetTaskLinksRequest link;
  link.set_task_id(tasks.tasks(0).id());
  link.add_implements(absl::StrCat(province, "#2.a.1"));
  v1::SetTaskLinksResponse linked;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    s = stack_.Plan()->SetTaskLinks(&context, link, &linked);
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(linked.task().version(), 2u);
  link.set_implements(0, "dong-thap:KH-2026#9.z");
  {
    grpc::ClientContext context;
    SetDeadline(context);
    s = stack_.Plan()->SetTaskLinks(&context, link, &linked);
  }
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("implements[0]"));

  // Progress learns the commune's tasks from the stream too.
  v1::TaskState state;
  EXPECT_TRUE(WaitUntil([&] {
    return stack_.TaskState(tasks.tasks(0).id(), &state).ok();
  })) << tasks.tasks(0).id()
      << "\n"
      << stack_.Log("progress");
}

TEST_F(PlanImportTest, AnAgencyAddedToTheRegistryIsRecognisedByTheNextImport) {
  const std::string table =
      "Số: 7/KH-UBND\nVĩnh Thủy, ngày 2 tháng 6 năm 2026\n"
      "TT\tNhiệm vụ\tVăn bản chỉ đạo\tCơ quan chủ trì\tCơ quan phối "
      "hợp\tThời gian thực hiện\tKết quả/sản phẩm\n"
      "I\tDU LỊCH SỐ\t\t\t\t\t\n"
      "1\tSố hóa điểm du lịch\t\tTrung tâm Du lịch xã\tCông an xã\tQuý III/"
      "2026\t\n";
  v1::ImportPlanResponse first;
  ASSERT_TRUE(Import(table, &first, /*dry_run=*/true).ok());
  ASSERT_EQ(first.tasks_size(), 1);
  EXPECT_THAT(first.tasks(0).needs_review(), ::testing::Contains("lead"));
  EXPECT_THAT(first.tasks(0).unknown_agencies(),
              ::testing::ElementsAre("Trung tâm Du lịch xã"));

  v1::AddAgencyRequest add;
  add.set_unit("vinh-thuy");
  add.set_code("vinhthuy.dulich");
  add.set_name("Trung tâm Du lịch");
  add.set_kind("center");
  add.add_aliases("Trung tâm Du lịch xã");
  v1::AddAgencyResponse agency;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    ASSERT_TRUE(stack_.Plan()->AddAgency(&context, add, &agency).ok());
  }
  v1::ImportPlanResponse second;
  ASSERT_TRUE(Import(table, &second).ok());
  EXPECT_THAT(second.tasks(0).lead_agencies(),
              ::testing::ElementsAre("vinhthuy.dulich"));
  EXPECT_TRUE(second.tasks(0).needs_review().empty());
  EXPECT_EQ(second.tasks(0).due_date().month(), 9);
}

}  // namespace
}  // namespace tiendo::testing
