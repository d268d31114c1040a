#include "services/common/audit_interceptor.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tiendo/v1/account.pb.h"
#include "tiendo/v1/notification.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(AuditSubjectTest, NamesTheIdsNeverTheTextOrThePassword) {
  v1::ReportProgressRequest report;
  report.set_task_id("vinh-thuy:1199-KH-UBND#I.2");
  report.set_agency("vinhthuy.kinhte");
  report.set_note("Đang trình dự toán");
  EXPECT_EQ(AuditSubject(report),
            "task_id=vinh-thuy:1199-KH-UBND#I.2; agency=vinhthuy.kinhte");

  v1::LoginRequest login;
  login.set_account("admin");
  login.set_password("mat-khau-bi-mat");
  EXPECT_EQ(AuditSubject(login), "account=admin");

  v1::SetSubscriptionRequest subscribe;
  subscribe.mutable_subscription()->set_agency("vinhthuy.congan");
  subscribe.mutable_subscription()->set_id("zalo");
  subscribe.mutable_subscription()->set_secret("khoa");
  const std::string subject = AuditSubject(subscribe);
  EXPECT_THAT(subject, HasSubstr("subscription.agency=vinhthuy.congan"));
  EXPECT_THAT(subject, HasSubstr("subscription.id=zalo"));
  EXPECT_THAT(subject, Not(HasSubstr("khoa")));
}

TEST(AuditSubjectTest, WritesAndSignInsAreAuditedReadsAreNot) {
  EXPECT_TRUE(IsAuditedMethod("/tiendo.v1.ProgressService/ReportProgress"));
  EXPECT_TRUE(IsAuditedMethod("/tiendo.v1.AccountService/Login"));
  EXPECT_TRUE(IsAuditedMethod("/tiendo.v1.PlanService/ImportPlan"));
  EXPECT_FALSE(IsAuditedMethod("/tiendo.v1.PlanService/ListPlans"));
  EXPECT_FALSE(IsAuditedMethod("/grpc.health.v1.Health/Check"));
}

}  // namespace
}  // namespace tiendo
