#include "services/plan/plan_builder.h"

#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_values.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::tiendo::testing::Date;
using ::tiendo::testing::Message;
using ::tiendo::testing::UncheckedDate;

void AddAgency(v1::CreatePlanRequest& request, const std::string& code,
               const std::string& name) {
  v1::Agency* agency = request.add_agencies();
  agency->set_code(code);
  agency->set_name(name);
}

v1::TaskSpec* AddTask(v1::SectionSpec* section, const std::string& number,
                      const std::string& title, const std::string& lead) {
  v1::TaskSpec* task = section->add_tasks();
  task->set_number(number);
  task->set_title(title);
  task->add_lead_agencies(lead);
  return task;
}

// A small valid plan: section I with tasks 1 and 2, section II with task 1.
v1::CreatePlanRequest ValidRequest() {
  v1::CreatePlanRequest request;
  request.set_unit("vinh-thuy");
  request.set_unit_name("Xã Vĩnh Thủy");
  request.set_number("1199/KH-UBND");
  *request.mutable_issued() = Date(2026, 5, 25);
  request.set_title("Triển khai Đề án 06 năm 2026");
  request.set_implements("1965/KH-UBND");
  request.set_standing_agency("vinhthuy.congan");
  AddAgency(request, "vinhthuy.congan", "Công an xã");
  AddAgency(request, "vinhthuy.kinhte", "Phòng Kinh tế");
  AddAgency(request, "vinhthuy.vhxh", "Phòng Văn hóa - Xã hội");

  v1::SectionSpec* one = request.add_sections();
  one->set_code("I");
  one->set_title("Hoàn thiện thể chế");
  v1::TaskSpec* t1 = AddTask(one, "1", "Ban hành Kế hoạch", "vinhthuy.congan");
  t1->add_coordinating_agencies("vinhthuy.kinhte");
  t1->add_coordinating_agencies("vinhthuy.vhxh");
  t1->add_directing_documents("Quyết định số 06/QĐ-TTg ngày 06/01/2022");
  t1->set_expected_result("Kế hoạch được ban hành");
  *t1->mutable_due_date() = Date(2026, 5, 31);
  t1->set_timeframe("Ban hành Kế hoạch trong tháng 5/2026");
  AddTask(one, "2", "Rà soát thủ tục", "vinhthuy.kinhte");

  v1::SectionSpec* two = request.add_sections();
  two->set_code("II");
  two->set_title("Dịch vụ công");
  v1::TaskSpec* t3 =
      AddTask(two, "1", "Thường xuyên cập nhật", "vinhthuy.vhxh");
  t3->set_timeframe("Thường xuyên");
  return request;
}

// Builds `request`, expects InvalidArgument and returns the message.
std::string BuildError(const v1::CreatePlanRequest& request) {
  absl::StatusOr<PlanDraft> draft = BuildPlan(request);
  EXPECT_FALSE(draft.ok());
  if (draft.ok()) return "";
  EXPECT_EQ(draft.status().code(), absl::StatusCode::kInvalidArgument);
  return Message(draft.status());
}

TEST(PlanIdTest, ReplacesSlashes) {
  EXPECT_EQ(PlanId("vinh-thuy", "1199/KH-UBND"), "vinh-thuy:1199-KH-UBND");
  EXPECT_EQ(TaskId("vinh-thuy:1199-KH-UBND", "III", "4"),
            "vinh-thuy:1199-KH-UBND#III.4");
}

TEST(BuildPlanTest, ValidTwoSectionPlan) {
  absl::StatusOr<PlanDraft> draft = BuildPlan(ValidRequest());
  ASSERT_TRUE(draft.ok()) << draft.status();

  const v1::Plan& plan = draft->plan;
  EXPECT_EQ(plan.id(), "vinh-thuy:1199-KH-UBND");
  EXPECT_EQ(plan.unit(), "vinh-thuy");
  EXPECT_EQ(plan.unit_name(), "Xã Vĩnh Thủy");
  EXPECT_EQ(plan.number(), "1199/KH-UBND");
  EXPECT_EQ(plan.implements(), "1965/KH-UBND");
  EXPECT_EQ(plan.standing_agency(), "vinhthuy.congan");
  EXPECT_EQ(plan.issued().day(), 25);
  EXPECT_EQ(plan.agencies_size(), 3);
  EXPECT_EQ(plan.task_count(), 3);

  ASSERT_EQ(draft->tasks.size(), 3u);
  EXPECT_EQ(draft->tasks[0].id(), "vinh-thuy:1199-KH-UBND#I.1");
  EXPECT_EQ(draft->tasks[1].id(), "vinh-thuy:1199-KH-UBND#I.2");
  EXPECT_EQ(draft->tasks[2].id(), "vinh-thuy:1199-KH-UBND#II.1");

  const v1::Task& task = draft->tasks[0];
  EXPECT_EQ(task.plan_id(), "vinh-thuy:1199-KH-UBND");
  EXPECT_EQ(task.unit(), "vinh-thuy");
  EXPECT_EQ(task.section(), "I");
  EXPECT_EQ(task.section_title(), "Hoàn thiện thể chế");
  EXPECT_EQ(task.number(), "1");
  EXPECT_EQ(task.title(), "Ban hành Kế hoạch");
  EXPECT_THAT(task.lead_agencies(), ElementsAre("vinhthuy.congan"));
  EXPECT_THAT(task.coordinating_agencies(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh"));
  EXPECT_THAT(task.directing_documents(),
              ElementsAre("Quyết định số 06/QĐ-TTg ngày 06/01/2022"));
  EXPECT_EQ(task.expected_result(), "Kế hoạch được ban hành");
  EXPECT_EQ(task.due_date().year(), 2026);
  EXPECT_EQ(task.due_date().month(), 5);
  EXPECT_EQ(task.due_date().day(), 31);
  EXPECT_EQ(task.timeframe(), "Ban hành Kế hoạch trong tháng 5/2026");
  EXPECT_EQ(task.standing_agency(), "vinhthuy.congan");
  EXPECT_EQ(task.version(), 1u);

  const v1::Task& ongoing = draft->tasks[2];
  EXPECT_EQ(ongoing.section(), "II");
  EXPECT_EQ(ongoing.standing_agency(), "vinhthuy.congan");
  EXPECT_EQ(ongoing.version(), 1u);
  EXPECT_FALSE(ongoing.has_due_date());
}

TEST(BuildPlanTest, MissingUnit) {
  v1::CreatePlanRequest request = ValidRequest();
  request.clear_unit();
  EXPECT_THAT(BuildError(request), StartsWith("unit:"));
}

TEST(BuildPlanTest, MissingNumber) {
  v1::CreatePlanRequest request = ValidRequest();
  request.clear_number();
  EXPECT_THAT(BuildError(request), StartsWith("number:"));
}

TEST(BuildPlanTest, StandingAgencyNotListed) {
  v1::CreatePlanRequest request = ValidRequest();
  request.set_standing_agency("vinhthuy.khac");
  const std::string message = BuildError(request);
  EXPECT_THAT(message, StartsWith("standing_agency:"));
  EXPECT_THAT(message, HasSubstr("vinhthuy.khac"));
}

TEST(BuildPlanTest, DuplicateAgencyCode) {
  v1::CreatePlanRequest request = ValidRequest();
  AddAgency(request, "vinhthuy.kinhte", "Phòng Kinh tế (lần nữa)");
  const std::string message = BuildError(request);
  EXPECT_THAT(message, StartsWith("agencies[3].code:"));
  EXPECT_THAT(message, HasSubstr("duplicate"));
  EXPECT_THAT(message, HasSubstr("vinhthuy.kinhte"));
}

TEST(BuildPlanTest, UnknownLeadAgency) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(0)->mutable_tasks(1)->set_lead_agencies(
      0, "vinhthuy.khong-co");
  const std::string message = BuildError(request);
  EXPECT_THAT(message, HasSubstr("sections[0].tasks[1].lead_agencies[0]"));
  EXPECT_THAT(message, HasSubstr("vinhthuy.khong-co"));
}

TEST(BuildPlanTest, UnknownCoordinatingAgency) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(0)->mutable_tasks(0)->add_coordinating_agencies(
      "vinhthuy.khong-co");
  const std::string message = BuildError(request);
  EXPECT_THAT(message,
              HasSubstr("sections[0].tasks[0].coordinating_agencies[2]"));
  EXPECT_THAT(message, HasSubstr("vinhthuy.khong-co"));
}

TEST(BuildPlanTest, DuplicateTaskNumberInSection) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(0)->mutable_tasks(1)->set_number("1");
  const std::string message = BuildError(request);
  EXPECT_THAT(message, StartsWith("sections[0].tasks[1].number:"));
  EXPECT_THAT(message, HasSubstr("duplicate"));
}

TEST(BuildPlanTest, SameTaskNumberInDifferentSectionsIsFine) {
  // I.1 and II.1 both exist in the valid request.
  EXPECT_TRUE(BuildPlan(ValidRequest()).ok());
}

TEST(BuildPlanTest, DuplicateSectionCode) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(1)->set_code("I");
  const std::string message = BuildError(request);
  EXPECT_THAT(message, StartsWith("sections[1].code:"));
  EXPECT_THAT(message, HasSubstr("duplicate"));
}

TEST(BuildPlanTest, EmptyTitle) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(1)->mutable_tasks(0)->clear_title();
  EXPECT_THAT(BuildError(request), StartsWith("sections[1].tasks[0].title:"));
}

TEST(BuildPlanTest, NoLeadAgency) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(0)->mutable_tasks(0)->clear_lead_agencies();
  EXPECT_THAT(BuildError(request),
              StartsWith("sections[0].tasks[0].lead_agencies:"));
}

TEST(BuildPlanTest, ImpossibleDueDate) {
  v1::CreatePlanRequest request = ValidRequest();
  *request.mutable_sections(0)->mutable_tasks(0)->mutable_due_date() =
      UncheckedDate(2026, 2, 31);
  const std::string message = BuildError(request);
  EXPECT_THAT(message, HasSubstr("sections[0].tasks[0].due_date"));
  EXPECT_THAT(message, HasSubstr("2026-02-31"));
}

TEST(BuildPlanTest, PlanWithoutTasks) {
  v1::CreatePlanRequest request = ValidRequest();
  request.mutable_sections(0)->clear_tasks();
  request.mutable_sections(1)->clear_tasks();
  EXPECT_THAT(BuildError(request), StartsWith("sections:"));
}

TEST(BuildPlanTest, PlanWithoutSections) {
  v1::CreatePlanRequest request = ValidRequest();
  request.clear_sections();
  EXPECT_THAT(BuildError(request), StartsWith("sections:"));
}

v1::CreatePlanRequest LoadExample() {
  const std::string path =
      std::string(TIENDO_SOURCE_DIR) + "/examples/vinh-thuy-1199.plan.json";
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  v1::CreatePlanRequest request;
  auto status =
      google::protobuf::util::JsonStringToMessage(text.str(), &request);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return request;
}

TEST(BuildPlanTest, VinhThuyExample) {
  absl::StatusOr<PlanDraft> draft = BuildPlan(LoadExample());
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->plan.id(), "vinh-thuy:1199-KH-UBND");
  EXPECT_EQ(draft->plan.task_count(), 22);
  ASSERT_EQ(draft->tasks.size(), 22u);

  std::map<std::string, int> per_section;
  std::vector<std::string> undated;
  const v1::Task* iii4 = nullptr;
  for (const v1::Task& task : draft->tasks) {
    ++per_section[task.section()];
    if (!task.has_due_date())
      undated.push_back(task.section() + "." + task.number());
    if (task.id() == "vinh-thuy:1199-KH-UBND#III.4") iii4 = &task;
  }
  EXPECT_EQ(
      per_section,
      (std::map<std::string, int>{
          {"I", 4}, {"II", 3}, {"III", 5}, {"IV", 5}, {"V", 4}, {"VI", 1}}));

  ASSERT_NE(iii4, nullptr);
  EXPECT_EQ(iii4->due_date().year(), 2026);
  EXPECT_EQ(iii4->due_date().month(), 5);
  EXPECT_EQ(iii4->due_date().day(), 10);
  EXPECT_THAT(iii4->lead_agencies(), ElementsAre("vinhthuy.congan"));

  // The six "Thường xuyên" (ongoing) tasks have no completion date.
  EXPECT_THAT(undated,
              ElementsAre("II.2", "III.1", "IV.1", "IV.4", "IV.5", "VI.1"));
  for (const v1::Task& task : draft->tasks) {
    if (!task.has_due_date()) {
      EXPECT_THAT(task.timeframe(), HasSubstr("hường xuyên")) << task.id();
    }
  }

  // The structured form has no schedules: each dated task is tracked as
  // one milestone at its due date, so its reminders stay as they were.
  ASSERT_EQ(iii4->occurrences_size(), 1);
  EXPECT_EQ(iii4->occurrences(0).id(),
            "vinh-thuy:1199-KH-UBND#III.4@2026-05-10");
  EXPECT_EQ(iii4->occurrences(0).label(), "10/05/2026");
  int tracked = 0;
  for (const v1::Task& task : draft->tasks) {
    if (!task.has_due_date()) {
      EXPECT_EQ(task.occurrences_size(), 0) << task.id();
      continue;
    }
    ++tracked;
    ASSERT_EQ(task.occurrences_size(), 1) << task.id();
    EXPECT_EQ(task.occurrences(0).kind(), v1::Occurrence::KIND_MILESTONE);
    EXPECT_EQ(task.occurrences(0).due().SerializeAsString(),
              task.due_date().SerializeAsString())
        << task.id();
  }
  EXPECT_EQ(tracked, 16);
}

TEST(BuildPlanTest, OccurrencesIndicatorCodesAndReminderPolicy) {
  v1::CreatePlanRequest request = ValidRequest();
  v1::TaskSpec* report = request.mutable_sections(1)->add_tasks();
  report->set_number("2");
  report->set_title("Báo cáo định kỳ");
  report->add_lead_agencies("vinhthuy.congan");
  report->set_kind(v1::TASK_KIND_REPORT);
  report->mutable_schedule()->mutable_recurrence()->set_every(
      v1::PERIOD_QUARTER);
  report->mutable_schedule()->mutable_recurrence()->set_day(12);
  v1::TaskSpec* first = request.mutable_sections(0)->mutable_tasks(0);
  for (const auto& [indicator, percent] :
       std::vector<std::pair<std::string, double>>{
           {"đối tượng bảo trợ xã hội", 90},
           {"người có công", 100},
           {"Đối tượng bảo trợ  xã hội", 100}}) {
    v1::Target* target = first->add_targets();
    target->set_indicator(indicator);
    target->set_percent(percent);
  }
  request.mutable_reminder_policy()->add_work_lead_days(5);

  absl::StatusOr<PlanDraft> draft = BuildPlan(request);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->plan.reminder_policy().work_lead_days_size(), 1);
  ASSERT_EQ(draft->tasks.size(), 4u);
  const v1::Task& dated = draft->tasks[0];
  ASSERT_EQ(dated.occurrences_size(), 1);
  EXPECT_EQ(dated.occurrences(0).key(), "2026-05-31");
  EXPECT_EQ(dated.targets(0).indicator_code(), "k1");
  EXPECT_EQ(dated.targets(1).indicator_code(), "k2");
  EXPECT_EQ(dated.targets(2).indicator_code(), "k1");
  EXPECT_EQ(draft->tasks[1].occurrences_size(), 0);  // no date
  EXPECT_EQ(draft->tasks[2].occurrences_size(), 0);  // ongoing
  // Issued 25/5/2026: from Q2 2026 to Q1 2027, due before the 12th.
  const v1::Task& quarterly = draft->tasks[3];
  ASSERT_EQ(quarterly.occurrences_size(), 4);
  EXPECT_EQ(quarterly.occurrences(0).id(),
            "vinh-thuy:1199-KH-UBND#II.2@2026-Q2");
  EXPECT_EQ(quarterly.occurrences(0).due().month(), 7);
  EXPECT_EQ(quarterly.occurrences(0).due().day(), 11);
  EXPECT_EQ(quarterly.occurrences(3).key(), "2027-Q1");
  EXPECT_EQ(quarterly.occurrences(3).label(), "Quý I/2027");

  request.mutable_reminder_policy()->add_work_lead_days(400);
  EXPECT_EQ(BuildError(request),
            "reminder_policy.work_lead_days[1]: 400 is not a number of days "
            "from 0 to 366");

  // The escalation delay: negative (never) is kept as it is, more than a
  // year is refused.
  request.mutable_reminder_policy()->clear_work_lead_days();
  request.mutable_reminder_policy()->set_escalation_days(-1);
  draft = BuildPlan(request);
  ASSERT_TRUE(draft.ok()) << draft.status();
  EXPECT_EQ(draft->plan.reminder_policy().escalation_days(), -1);
  request.mutable_reminder_policy()->set_escalation_days(367);
  EXPECT_EQ(BuildError(request),
            "reminder_policy.escalation_days: 367 is more than 366 days");
}

}  // namespace
}  // namespace tiendo::plan
