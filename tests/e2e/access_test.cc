// End to end, with TLS on: every RPC of every service refuses a caller
// without a valid credential (none, expired, signed by a key the services
// do not trust), and roles, agencies and unit scopes are checked from the
// credential: the right account gets through, a wrong role or another
// agency or unit gets PERMISSION_DENIED naming what is missing.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/token.h"
#include "tests/support/generic_call.h"
#include "tests/support/stack.h"
#include "tiendo/v1/account.grpc.pb.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
const std::string kTask = std::string(kPlan) + "#I.2";  // lead: kinhte

// A token signed by a key the services were not given.
std::string ForgedToken() {
  const char* kOtherKey =
      "-----BEGIN PRIVATE KEY-----\n"
      "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg360DMcBotAeUD3wX\n"
      "vukB+ZArE5qbMhk+SqU/K6wvuEShRANCAASCg1USeAb+LGzg9aSQh/ljZYUGhtBA\n"
      "fMS1GI3SOt4cDbjR1CFrFk35E5Mh8NxAM5+2XZMFhHqsJ55thH5bRExk\n"
      "-----END PRIVATE KEY-----\n";
  absl::StatusOr<TokenSigner> signer = TokenSigner::FromPem(kOtherKey);
  EXPECT_TRUE(signer.ok()) << signer.status();
  if (!signer.ok()) return "";
  absl::StatusOr<std::string> token =
      signer->Sign(TestAdmin(), absl::Now(), absl::Hours(1));
  return token.ok() ? *token : "";
}

class AccessTest : public ::testing::Test {
 protected:
  AccessTest() : stack_("2026-05-20T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start()) << "logs in " << stack_.dir();
    ASSERT_TRUE(stack_.ImportExamplePlan("vinh-thuy-1199.txt", kTask).ok());
  }

  std::shared_ptr<grpc::Channel> As(const std::string& service,
                                    const v1::Account& account) {
    return grpc::CreateChannel(stack_.Address(service),
                               TestCredentials(TestToken(account)));
  }

  Stack stack_;
};

// Each service's RPCs and where they are served.
const std::vector<std::pair<std::string, std::string>> kServices = {
    {"tiendo.v1.PlanService", "plan"},
    {"tiendo.v1.ProgressService", "progress"},
    {"tiendo.v1.NotificationService", "notification"},
    {"tiendo.v1.AggregationService", "aggregation"},
    {"tiendo.v1.ClockAdminService", "plan"},
    {"tiendo.v1.AccountService", "plan"},
};

TEST_F(AccessTest, EveryRpcRefusesCallersWithoutAValidCredential) {
  const std::vector<
      std::pair<std::string, std::shared_ptr<grpc::ChannelCredentials>>>
      callers = {
          {"no credential", TestTls().Client()},
          {"expired", TestCredentials(TestToken(TestAdmin(), -absl::Hours(1)))},
          {"untrusted key", TestCredentials(ForgedToken())},
      };
  int checked = 0;
  for (const auto& [service, where] : kServices) {
    for (const std::string& method : Methods(service)) {
      // Signing in is how a credential is got.
      if (method == "/tiendo.v1.AccountService/Login") continue;
      for (const auto& [who, credentials] : callers) {
        const grpc::Status status =
            CallMethod(grpc::CreateChannel(stack_.Address(where), credentials),
                       method, "");
        EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
            << method << " by " << who << ": " << status.error_message();
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 3 * 42);
}

TEST_F(AccessTest, RolesAgenciesAndUnitsComeFromTheCredential) {
  const v1::Account kinhte = TestAccount(
      "kinhte", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.kinhte"});
  const v1::Account congan = TestAccount(
      "congan", "vinh-thuy", {v1::ROLE_REPORTER}, {"vinhthuy.congan"});
  const v1::Account commune_viewer =
      TestAccount("xem-xa", "vinh-thuy", {v1::ROLE_VIEWER});
  const v1::Account province_viewer =
      TestAccount("xem-tinh", "quang-tri", {v1::ROLE_VIEWER});
  const v1::Account planner =
      TestAccount("kehoach", "vinh-thuy", {v1::ROLE_PLANNER});

  auto report = [&](const v1::Account& as, const std::string& agency) {
    v1::ReportProgressRequest request;
    request.set_task_id(kTask);
    request.set_agency(agency);
    request.set_status(v1::TASK_STATUS_IN_PROGRESS);
    request.set_percent(30);
    request.set_request_id(absl::StrCat("r-", as.name(), "-", agency));
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ReportProgressResponse response;
    return v1::ProgressService::NewStub(As("progress", as))
        ->ReportProgress(&context, request, &response);
  };
  grpc::Status s = report(congan, "vinhthuy.kinhte");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("does not act for vinhthuy.kinhte"));
  EXPECT_EQ(report(commune_viewer, "vinhthuy.kinhte").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Empty: the credential's only agency.
  EXPECT_TRUE(report(kinhte, "").ok());

  auto inbox = [&](const v1::Account& as, const std::string& agency) {
    v1::ListNotificationsRequest request;
    request.set_agency(agency);
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ListNotificationsResponse response;
    return v1::NotificationService::NewStub(As("notification", as))
        ->ListNotifications(&context, request, &response);
  };
  EXPECT_EQ(inbox(kinhte, "vinhthuy.congan").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(inbox(congan, "vinhthuy.congan").ok());

  auto rollup = [&](const v1::Account& as, const std::string& unit) {
    v1::GetRollupRequest request;
    request.set_unit(unit);
    grpc::ClientContext context;
    SetDeadline(context);
    v1::GetRollupResponse response;
    return v1::AggregationService::NewStub(As("aggregation", as))
        ->GetRollup(&context, request, &response);
  };
  s = rollup(commune_viewer, "quang-tri");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("quang-tri is outside the unit"));
  EXPECT_TRUE(rollup(commune_viewer, "vinh-thuy").ok());
  EXPECT_TRUE(rollup(province_viewer, "vinh-thuy").ok());
  EXPECT_TRUE(rollup(planner, "vinh-thuy").ok());
  s = rollup(kinhte, "vinh-thuy");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("lacks the viewer role"));

  {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::RebuildResponse progress;
    auto reader = v1::AggregationService::NewStub(As("aggregation", planner))
                      ->Rebuild(&context, v1::RebuildRequest());
    while (reader->Read(&progress)) {
    }
    EXPECT_EQ(reader->Finish().error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::ImportPlanRequest request;
    request.set_text("KẾ HOẠCH");
    v1::ImportPlanResponse response;
    s = v1::PlanService::NewStub(As("plan", kinhte))
            ->ImportPlan(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_THAT(s.error_message(), HasSubstr("lacks the planner role"));
  }
  {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::AdvanceTimeRequest request;
    request.mutable_by()->set_seconds(60);
    v1::AdvanceTimeResponse response;
    s = v1::ClockAdminService::NewStub(As("plan", planner))
            ->AdvanceTime(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(AccessTest, AnAdminCreatesAnAccountThatSignsInWithItsPassword) {
  auto accounts = [&](const v1::Account& as) {
    return v1::AccountService::NewStub(As("plan", as));
  };
  v1::CreateAccountRequest create;
  *create.mutable_account() =
      TestAccount("vinhthuy.kinhte.lan", "vinh-thuy", {v1::ROLE_REPORTER},
                  {"vinhthuy.kinhte"});
  create.set_password("mat-khau-du-dai-2026");
  {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::CreateAccountResponse created;
    EXPECT_EQ(accounts(TestAccount("kehoach", "vinh-thuy", {v1::ROLE_PLANNER}))
                  ->CreateAccount(&context, create, &created)
                  .error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::CreateAccountResponse created;
    ASSERT_TRUE(
        accounts(TestAdmin())->CreateAccount(&context, create, &created).ok());
  }
  auto login = [&](const std::string& password, v1::LoginResponse* out) {
    v1::LoginRequest request;
    request.set_account("vinhthuy.kinhte.lan");
    request.set_password(password);
    grpc::ClientContext context;
    SetDeadline(context);
    return v1::AccountService::NewStub(
               grpc::CreateChannel(stack_.Address("plan"), TestTls().Client()))
        ->Login(&context, request, out);
  };
  v1::LoginResponse signed_in;
  EXPECT_EQ(login("sai-mat-khau-2026", &signed_in).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(login("mat-khau-du-dai-2026", &signed_in).ok());
  // The token works on another service, which never asked the plan service.
  v1::ReportProgressRequest request;
  request.set_task_id(kTask);
  request.set_status(v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(10);
  request.set_request_id("signed-in");
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ReportProgressResponse response;
  EXPECT_TRUE(v1::ProgressService::NewStub(
                  grpc::CreateChannel(stack_.Address("progress"),
                                      TestCredentials(signed_in.token())))
                  ->ReportProgress(&context, request, &response)
                  .ok());
  // The report, and the event the others learn it from, name who reported.
  EXPECT_EQ(response.report().reported_by(), "vinhthuy.kinhte.lan");
  v1::ListReportsRequest list;
  list.set_task_id(kTask);
  v1::ListReportsResponse reports;
  grpc::ClientContext list_context;
  SetDeadline(list_context);
  ASSERT_TRUE(
      stack_.Progress()->ListReports(&list_context, list, &reports).ok());
  ASSERT_EQ(reports.reports_size(), 1);
  EXPECT_EQ(reports.reports(0).reported_by(), "vinhthuy.kinhte.lan");
}

}  // namespace
}  // namespace tiendo::testing
