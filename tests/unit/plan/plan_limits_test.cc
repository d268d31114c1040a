// Plans past the documented size limits are refused before anything of
// them is stored, naming the field and the limit.
#include "services/plan/plan_limits.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/input_limits.h"
#include "services/plan/plan_builder.h"

namespace tiendo::plan {
namespace {

using ::testing::HasSubstr;

v1::CreatePlanRequest Plan(int tasks) {
  v1::CreatePlanRequest plan;
  plan.set_unit("vinh-thuy");
  plan.set_number("1199/KH-UBND");
  plan.set_title("Kế hoạch triển khai Đề án 06 năm 2026");
  v1::SectionSpec* section = plan.add_sections();
  section->set_code("I");
  section->set_title("CÔNG TÁC THAM MƯU CHỈ ĐẠO");
  for (int i = 0; i < tasks; ++i) {
    v1::TaskSpec* task = section->add_tasks();
    task->set_number(std::to_string(i + 1));
    task->set_title("Rà soát, cập nhật dữ liệu dân cư");
    task->add_lead_agencies("vinhthuy.congan");
  }
  return plan;
}

TEST(PlanLimitsTest, PlanWithinTheLimitsPasses) {
  EXPECT_TRUE(CheckPlanLimits(Plan(limits::kTasksPerPlan)).ok());
}

TEST(PlanLimitsTest, TooManyTasksIsRefusedByTheBuilderToo) {
  const v1::CreatePlanRequest plan = Plan(100000);
  const absl::Status s = CheckPlanLimits(plan);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "tasks (all sections): 100000 items, more than the 2000 allowed");
  EXPECT_EQ(BuildPlan(plan).status(), s);
}

TEST(PlanLimitsTest, LongCellsAreNamedByTheirPlace) {
  v1::CreatePlanRequest plan = Plan(3);
  plan.mutable_sections(0)->mutable_tasks(2)->set_expected_result(
      std::string(1 << 20, 'x'));
  EXPECT_THAT(std::string(CheckPlanLimits(plan).message()),
              HasSubstr("sections[0].tasks[2].expected_result: 1048576 bytes, "
                        "more than the 4000 allowed"));

  plan = Plan(1);
  plan.mutable_sections(0)->mutable_tasks(0)->add_lead_agencies(
      std::string(300, 'a'));
  EXPECT_THAT(std::string(CheckPlanLimits(plan).message()),
              HasSubstr("sections[0].tasks[0].lead_agencies[1]: 300 bytes"));
}

}  // namespace
}  // namespace tiendo::plan
