// The seeds as written, through plan import's reader and BuildPlan: what
// the deadline scanner will track for them.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/plan/plan_builder.h"
#include "services/plan/text/agency_registry.h"
#include "services/plan/text/plan_text_parser.h"
#include "tests/support/test_registry.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::tiendo::testing::ShippedRegistry;

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::string(TIENDO_SOURCE_DIR) + "/examples/plans/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

PlanDraft Import(const std::string& name) {
  absl::StatusOr<plantext::ParsedPlan> parsed =
      plantext::ParsePlanText(ReadSeed(name), ShippedRegistry(), {});
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<PlanDraft> draft = BuildPlan(parsed->request);
  EXPECT_TRUE(draft.ok()) << draft.status();
  return draft.value_or(PlanDraft());
}

const v1::Task* Find(const PlanDraft& draft, const std::string& number) {
  for (const v1::Task& task : draft.tasks) {
    if (task.section() + "." + task.number() == number) return &task;
  }
  return nullptr;
}

std::string Day(const v1::LocalDate& d) {
  char buffer[16];
  snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", d.year(), d.month(),
           d.day());
  return buffer;
}

TEST(SeedOccurrencesTest, VinhThuyMonthlyReportAndMilestones) {
  const PlanDraft draft = Import("vinh-thuy-1199.txt");
  // "báo cáo định kỳ trước ngày 12 hàng tháng", from the plan of 25/5/2026.
  const v1::Task* report = Find(draft, "BC.1");
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->kind(), v1::TASK_KIND_REPORT);
  ASSERT_EQ(report->occurrences_size(), 12);
  EXPECT_EQ(report->occurrences(0).id(), "vinh-thuy:1199-KH-UBND#BC.1@2026-05");
  EXPECT_EQ(Day(report->occurrences(0).due()), "2026-06-11");
  EXPECT_EQ(report->occurrences(0).label(), "tháng 5/2026");
  EXPECT_EQ(Day(report->occurrences(7).due()), "2027-01-11");
  EXPECT_EQ(report->occurrences(11).key(), "2027-04");
  EXPECT_EQ(Day(report->occurrences(11).due()), "2027-05-11");

  // "... trong tháng 4/2026 ... trong Quý II/2026": two milestones.
  const v1::Task* iv2 = Find(draft, "IV.2");
  ASSERT_NE(iv2, nullptr);
  std::vector<std::string> keys;
  for (const v1::Occurrence& o : iv2->occurrences()) keys.push_back(o.key());
  EXPECT_THAT(keys, ElementsAre("2026-04-30", "2026-06-30"));

  // "Thường xuyên": judged by the periodic reports, no occurrence.
  const v1::Task* iii1 = Find(draft, "III.1");
  ASSERT_NE(iii1, nullptr);
  EXPECT_EQ(iii1->occurrences_size(), 0);
  // Its targets have codes: ID cards 100%, e-ID accounts at least 81%,
  // organisations with e-ID accounts 80%.
  std::vector<std::string> codes;
  for (const v1::Target& t : iii1->targets()) {
    codes.push_back(t.indicator_code() + "=" +
                    std::to_string(static_cast<int>(t.percent())));
  }
  EXPECT_THAT(codes, ElementsAre("k1=100", "k2=81", "k3=80"));
}

}  // namespace
}  // namespace tiendo::plan
