#include "services/plan/cascade.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_builder.h"
#include "tests/support/test_registry.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::tiendo::testing::ShippedRegistry;

v1::Task MakeTask(const std::string& id, const std::string& section,
                  const std::string& title) {
  v1::Task task;
  task.set_id(id);
  task.set_section(section);
  task.set_title(title);
  task.set_kind(v1::TASK_KIND_WORK);
  return task;
}

const plantext::AgencyRegistry& Registry() { return ShippedRegistry(); }

TEST(TaskSimilarityTest, SameWordsScoreHigherThanOtherWords) {
  const v1::Task commune = MakeTask(
      "c#III.4", "III",
      "Đẩy nhanh tiến độ thu thập phiếu thông tin mẫu ADN thân nhân liệt sĩ");
  const v1::Task same = MakeTask(
      "p#III.7", "III",
      "Đẩy nhanh tiến độ thu thập phiếu thông tin phục vụ thu nhận mẫu ADN "
      "cho thân nhân liệt sĩ");
  const v1::Task other =
      MakeTask("p#III.2", "III", "Triển khai định danh địa điểm, đánh số nhà");
  EXPECT_GT(TaskSimilarity(commune, same), 0.5);
  EXPECT_LT(TaskSimilarity(commune, other), 0.3);
  // Accents and case do not matter.
  const v1::Task plain = MakeTask(
      "p#I.1", "I",
      "DAY NHANH TIEN DO THU THAP PHIEU THONG TIN MAU ADN THAN NHAN LIET SI");
  EXPECT_GT(TaskSimilarity(commune, plain), 0.8);
}

TEST(ProposeLinksTest, RanksTheMatchingTaskFirstAndKeepsReportsApart) {
  std::vector<v1::Task> higher = {
      MakeTask("p#I.1", "I", "Ban hành kế hoạch triển khai Đề án 06"),
      MakeTask("p#V.2", "V",
               "Đẩy mạnh chi trả trợ cấp qua tài khoản đối tượng bảo trợ xã "
               "hội"),
      MakeTask("p#BC.1", "BC", "Báo cáo định kỳ trước ngày 10 hằng tháng")};
  higher[2].set_kind(v1::TASK_KIND_REPORT);
  std::vector<v1::Task> lower = {
      MakeTask("c#V.2", "V",
               "Đẩy mạnh chi trả trợ cấp qua tài khoản đối với đối tượng bảo "
               "trợ xã hội"),
      MakeTask("c#BC.1", "BC", "Báo cáo định kỳ trước ngày 12 hằng tháng"),
      MakeTask("c#VI.1", "VI", "Tuyên truyền trên loa truyền thanh")};
  lower[1].set_kind(v1::TASK_KIND_REPORT);
  const std::vector<v1::TaskLinkProposal> proposals =
      ProposeLinks(lower, higher);
  ASSERT_EQ(proposals.size(), 3u);
  ASSERT_FALSE(proposals[0].candidates().empty());
  EXPECT_EQ(proposals[0].candidates(0).task_id(), "p#V.2");
  ASSERT_EQ(proposals[1].candidates_size(), 1);
  EXPECT_EQ(proposals[1].candidates(0).task_id(), "p#BC.1");
  EXPECT_TRUE(proposals[2].candidates().empty());
}

TEST(CascadeToCommuneTest, TasksNamingTheCommunesBecomeTheCommunesTasks) {
  v1::Plan plan;
  plan.set_id("dong-thap:KH-2026");
  plan.set_unit("dong-thap");
  plan.set_unit_name("Đồng Tháp");
  plan.set_year(2026);
  plan.set_title("Kế hoạch Đề án 06 năm 2026");
  v1::Task named = MakeTask("dong-thap:KH-2026#2.a.2", "2.a", "Theo dõi");
  named.set_number("2");
  named.add_lead_agencies("dongthap.congan");
  named.add_coordinating_agencies("myphong.ubnd");
  named.mutable_due_date()->set_year(2026);
  named.mutable_due_date()->set_month(12);
  named.mutable_due_date()->set_day(31);
  v1::Task province_only =
      MakeTask("dong-thap:KH-2026#2.a.1", "2.a", "Tham mưu văn bản");
  province_only.add_lead_agencies("dongthap.congan");

  absl::StatusOr<v1::CreatePlanRequest> request =
      CascadeToCommune(plan, {province_only, named}, Registry(), "my-phong");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->unit(), "my-phong");
  EXPECT_EQ(request->implements(), "dong-thap:KH-2026");
  ASSERT_EQ(request->sections_size(), 1);
  ASSERT_EQ(request->sections(0).tasks_size(), 1);
  const v1::TaskSpec& task = request->sections(0).tasks(0);
  EXPECT_THAT(task.lead_agencies(), ElementsAre("myphong.ubnd"));
  EXPECT_THAT(task.coordinating_agencies(), ElementsAre("myphong.congan"));
  EXPECT_THAT(task.implements(), ElementsAre("dong-thap:KH-2026#2.a.2"));
  EXPECT_TRUE(task.implements_confirmed());
  EXPECT_THAT(task.needs_review(), ElementsAre("lead"));
  EXPECT_EQ(task.due_date().month(), 12);
  // The starting plan passes validation as it is.
  absl::StatusOr<PlanDraft> draft = BuildPlan(*request);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->plan.id(), "my-phong:KH-2026");
  EXPECT_EQ(draft->tasks[0].id(), "my-phong:KH-2026#2.a.2");
}

TEST(CascadeToCommuneTest, RefusesAUnitOutsideTheProvince) {
  v1::Plan plan;
  plan.set_id("dong-thap:KH-2026");
  plan.set_unit("dong-thap");
  absl::StatusOr<v1::CreatePlanRequest> request =
      CascadeToCommune(plan, {}, Registry(), "vinh-thuy");
  EXPECT_EQ(request.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(request.status().message()),
              ::testing::HasSubstr("not a commune of dong-thap"));
}

}  // namespace
}  // namespace tiendo::plan
