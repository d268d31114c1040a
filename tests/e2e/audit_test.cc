// End to end: every write, sign-in and refused call is in the audit trail
// of the service that took it, with who (account, agencies), from where,
// what it named and the outcome; the trail survives a restart and only an
// admin reads it.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/stack.h"
#include "tiendo/v1/audit.grpc.pb.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
const std::string kTask = std::string(kPlan) + "#I.2";  // lead: kinhte

class AuditTest : public ::testing::Test {
 protected:
  AuditTest() : stack_("2026-05-20T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start()) << "logs in " << stack_.dir();
    ASSERT_TRUE(stack_.ImportExamplePlan("vinh-thuy-1199.txt", kTask).ok());
  }

  grpc::Status Report(const v1::Account& as, const std::string& agency) {
    v1::ReportProgressRequest request;
    request.set_task_id(kTask);
    request.set_agency(agency);
    request.set_status(v1::TASK_STATUS_IN_PROGRESS);
    request.set_percent(20);
    request.set_request_id("audit-" + as.name());
    request.set_note("ghi chú không vào nhật ký");
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ReportProgressResponse response;
    return v1::ProgressService::NewStub(
               grpc::CreateChannel(stack_.Address("progress"),
                                   TestCredentials(TestToken(as))))
        ->ReportProgress(&context, request, &response);
  }

  grpc::Status Trail(const std::string& service, const v1::Account& as,
                     const v1::ListAuditRecordsRequest& request,
                     std::vector<v1::AuditRecord>* records) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ListAuditRecordsResponse response;
    grpc::Status status =
        v1::AuditService::NewStub(
            grpc::CreateChannel(stack_.Address(service),
                                TestCredentials(TestToken(as))))
            ->ListAuditRecords(&context, request, &response);
    if (records != nullptr) {
      records->assign(response.records().begin(), response.records().end());
    }
    return status;
  }

  Stack stack_;
};

TEST_F(AuditTest, WritesAndRefusalsAreRecordedWithWhoWhereWhatAndOutcome) {
  const v1::Account kinhte = TestAccount(
      "kinhte", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.kinhte"});
  const v1::Account congan = TestAccount(
      "congan", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.congan"});
  ASSERT_TRUE(Report(kinhte, "").ok());
  ASSERT_EQ(Report(congan, "vinhthuy.kinhte").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // The trail is in the store: it outlives the process.
  stack_.StopService("progress");
  ASSERT_TRUE(stack_.StartService("progress"));
  ASSERT_TRUE(stack_.WaitServing("progress"));

  std::vector<v1::AuditRecord> records;
  ASSERT_TRUE(
      Trail("progress", TestAdmin(), v1::ListAuditRecordsRequest(), &records)
          .ok());
  ASSERT_EQ(records.size(), 2u);
  const v1::AuditRecord& done = records[0];
  EXPECT_EQ(done.service(), "progress");
  EXPECT_EQ(done.account(), "kinhte");
  EXPECT_THAT(done.agencies(), ::testing::ElementsAre("vinhthuy.kinhte"));
  EXPECT_EQ(done.method(), "tiendo.v1.ProgressService/ReportProgress");
  EXPECT_THAT(done.subject(), HasSubstr(std::string("task_id=") + kTask));
  EXPECT_THAT(done.subject(), ::testing::Not(HasSubstr("ghi chú")));
  EXPECT_EQ(done.code(), "OK");
  EXPECT_THAT(done.peer(), HasSubstr("127.0.0.1"));
  const v1::AuditRecord& refused = records[1];
  EXPECT_EQ(refused.account(), "congan");
  EXPECT_EQ(refused.code(), "PERMISSION_DENIED");
  EXPECT_THAT(refused.message(), HasSubstr("does not act for"));

  // A page at a time, in order.
  v1::ListAuditRecordsRequest one_at_a_time;
  one_at_a_time.set_page_size(1);
  ASSERT_TRUE(Trail("progress", TestAdmin(), one_at_a_time, &records).ok());
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].account(), "kinhte");

  v1::ListAuditRecordsRequest only_congan;
  only_congan.set_account("congan");
  ASSERT_TRUE(Trail("progress", TestAdmin(), only_congan, &records).ok());
  EXPECT_EQ(records.size(), 1u);

  // The import by the test's admin, on the plan service.
  ASSERT_TRUE(
      Trail("plan", TestAdmin(), v1::ListAuditRecordsRequest(), &records).ok());
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records[0].method(), "tiendo.v1.PlanService/ImportPlan");
  EXPECT_EQ(records[0].account(), "test-admin");

  EXPECT_EQ(Trail("progress", kinhte, v1::ListAuditRecordsRequest(), nullptr)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // That refusal is itself on the record.
  ASSERT_TRUE(
      Trail("progress", TestAdmin(), v1::ListAuditRecordsRequest(), &records)
          .ok());
  EXPECT_THAT(records.back().method(), StartsWith("tiendo.v1.AuditService/"));
  EXPECT_EQ(records.back().code(), "PERMISSION_DENIED");
}

}  // namespace
}  // namespace tiendo::testing
