// End to end: the List RPCs answer one page at a time. 1,200 reports on one
// task come back in pages of the default size, all of them, none twice,
// even with a report recorded between two pages; a bad page size or token
// is refused naming the field.
#include "services/common/paging.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/page_loop.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
constexpr char kTask[] = "vinh-thuy:1199-KH-UBND#I.2";
constexpr int kReports = 1200;

v1::ReportProgressRequest Report(const std::string& note) {
  v1::ReportProgressRequest request;
  request.set_task_id(kTask);
  request.set_agency("vinhthuy.kinhte");
  request.set_status(v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(40);
  request.set_note(note);
  request.set_request_id(note);
  return request;
}

class PagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Hundreds of reports from one account in a moment: paging is tested
    // here, not the write rate.
    stack_.SetExtraFlags("progress", {"--write_rate_per_account=0"});
    ASSERT_TRUE(stack_.Start()) << "logs in " << stack_.dir();
    grpc::ClientContext context;
    SetDeadline(context);
    v1::CreatePlanResponse plan;
    ASSERT_TRUE(
        stack_.Plan()->CreatePlan(&context, ExamplePlanRequest(), &plan).ok());
    ASSERT_TRUE(WaitUntil([&] { return stack_.TaskState(kTask).ok(); }));
  }

  grpc::Status ListReports(const v1::ListReportsRequest& request,
                           v1::ListReportsResponse* response) {
    grpc::ClientContext context;
    SetDeadline(context);
    return stack_.Progress()->ListReports(&context, request, response);
  }

  Stack stack_{"2026-05-20T08:00:00+07:00"};
};

TEST_F(PagingTest, ReportsComeInPagesAllOfThemNoneTwice) {
  for (int i = 0; i < kReports; ++i) {
    ASSERT_TRUE(stack_.Report(Report(absl::StrCat("r-", i))).ok()) << i;
  }
  v1::ListReportsRequest request;
  request.set_task_id(kTask);
  std::vector<int> page_sizes;
  std::vector<std::string> notes;
  do {
    v1::ListReportsResponse response;
    ASSERT_TRUE(ListReports(request, &response).ok());
    page_sizes.push_back(response.reports_size());
    for (const v1::ProgressReport& r : response.reports()) {
      notes.push_back(r.note());
    }
    // Recorded after the first page was read: it is on the last one.
    if (page_sizes.size() == 1) {
      ASSERT_TRUE(stack_.Report(Report("between pages")).ok());
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());

  EXPECT_EQ(page_sizes,
            (std::vector<int>{kDefaultPageSize, kDefaultPageSize,
                              kReports + 1 - 2 * kDefaultPageSize}));
  ASSERT_EQ(notes.size(), static_cast<size_t>(kReports + 1));
  EXPECT_EQ(std::set<std::string>(notes.begin(), notes.end()).size(),
            notes.size());
  EXPECT_EQ(notes.front(), "r-0");
  EXPECT_EQ(notes.back(), "between pages");
}

TEST_F(PagingTest, EveryTaskOnceThroughSmallPages) {
  std::vector<std::string> ids;
  v1::ListTasksRequest request;
  request.set_plan_id(kPlan);
  request.set_page_size(3);
  auto plan = stack_.Plan();
  int pages = 0;
  grpc::Status status =
      ForEachPage<v1::ListTasksRequest, v1::ListTasksResponse>(
          request,
          [&](grpc::ClientContext* context, const v1::ListTasksRequest& r,
              v1::ListTasksResponse* response) {
            return plan->ListTasks(context, r, response);
          },
          [&](const v1::ListTasksResponse& page) {
            ++pages;
            EXPECT_LE(page.tasks_size(), 3);
            for (const v1::Task& t : page.tasks()) ids.push_back(t.id());
          },
          [](grpc::ClientContext& context) { SetDeadline(context); });
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::GetPlanRequest get;
  get.set_plan_id(kPlan);
  v1::GetPlanResponse shown;
  grpc::ClientContext context;
  SetDeadline(context);
  ASSERT_TRUE(stack_.Plan()->GetPlan(&context, get, &shown).ok());
  EXPECT_EQ(ids.size(), static_cast<size_t>(shown.plan().task_count()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_GT(pages, 1);
}

TEST_F(PagingTest, BadPageSizeOrTokenIsRefusedNamingTheField) {
  v1::ListReportsRequest request;
  request.set_task_id(kTask);
  request.set_page_size(-1);
  v1::ListReportsResponse response;
  grpc::Status status = ListReports(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));

  request.set_page_size(0);
  request.set_page_token("not a token");
  status = ListReports(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));

  v1::ListMeasurementsRequest measurements;
  measurements.set_page_token(EncodePageToken("x"));
  v1::ListMeasurementsResponse listed;
  grpc::ClientContext context;
  SetDeadline(context);
  status = stack_.Progress()->ListMeasurements(&context, measurements, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
}

}  // namespace
}  // namespace tiendo::testing
