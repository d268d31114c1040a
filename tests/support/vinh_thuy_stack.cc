#include "tests/support/vinh_thuy_stack.h"

#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/enum_words.h"
#include "tests/support/process.h"

namespace tiendo::testing {

VinhThuyStackTest::VinhThuyStackTest()
    : smtp_(absl::StrCat(::testing::TempDir(), "/tiendo-mail-", getpid())),
      stack_("2026-05-26T08:00:00+07:00") {}

void VinhThuyStackTest::SetUp() {
  ASSERT_TRUE(smtp_.Start()) << smtp_.Log();
  stack_.SetExtraFlags("notification",
                       {"--delivery_poll_ms=100", "--smtp_url=" + smtp_.url()});
  ASSERT_TRUE(stack_.Start())
      << "stack did not start; logs in " << stack_.dir();
  grpc::Status s = stack_.ImportExamplePlan("vinh-thuy-1199.txt",
                                            absl::StrCat(kPlan, "#BC.1"));
  ASSERT_TRUE(s.ok()) << s.error_message();
}

void VinhThuyStackTest::Subscribe(const v1::Subscription& subscription) {
  grpc::Status s = stack_.Subscribe(subscription);
  ASSERT_TRUE(s.ok()) << s.error_message();
}

int VinhThuyStackTest::InInbox(const std::string& occurrence,
                               const std::string& kind) {
  int n = 0;
  for (const v1::Notification& x : stack_.Inbox(kLead)) {
    if (x.occurrence_id() == occurrence && EnumWord(x.kind()) == kind) ++n;
  }
  return n;
}

std::vector<ReceivedRequest> VinhThuyStackTest::HooksAbout(
    const std::string& occurrence) {
  std::vector<ReceivedRequest> out;
  for (const ReceivedRequest& r : hook_.requests()) {
    if (absl::StrContains(r.body, occurrence)) out.push_back(r);
  }
  return out;
}

std::vector<nlohmann::json> VinhThuyStackTest::MailsAbout(
    const std::string& occurrence) {
  std::vector<nlohmann::json> out;
  for (const nlohmann::json& m : smtp_.Mails()) {
    if (absl::StrContains(
            m["parts"]["text/plain"]["content"].get<std::string>(),
            occurrence)) {
      out.push_back(m);
    }
  }
  return out;
}

void VinhThuyStackTest::SettleWithMayOverdueAt(absl::Time at) {
  ASSERT_TRUE(stack_.SetClock(at));
  ASSERT_TRUE(WaitUntil(
      [&] {
        if (InInbox(kMay, "overdue") != 1) return false;
        for (const v1::Delivery& d : stack_.Deliveries(kLead)) {
          if (absl::StrContains(d.delivery_key(), kMay) &&
              d.state() != v1::Delivery::STATE_SENT) {
            return false;
          }
        }
        return true;
      },
      absl::Seconds(30)))
      << "the May report's overdue notice did not settle";
}

}  // namespace tiendo::testing
