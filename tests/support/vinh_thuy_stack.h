#ifndef TIENDO_TESTS_SUPPORT_VINH_THUY_STACK_H_
#define TIENDO_TESTS_SUPPORT_VINH_THUY_STACK_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/support/receivers.h"
#include "tests/support/stack.h"

namespace tiendo::testing {

// What the notification e2e tests share: the broker and the four services
// on a simulated clock from 26/05/2026 08:00 (the day after the plan was
// signed), deliveries polled every 100 ms, e-mail to a real SMTP server, a
// webhook receiver, and the Vĩnh Thủy plan imported as written.
class VinhThuyStackTest : public ::testing::Test {
 public:
  static constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
  // The commune police: lead of the report obligations and standing body.
  static constexpr char kLead[] = "vinhthuy.congan";
  // The May report (BC.1): due 11/06/2026, a Thursday; its last reminder
  // point is that day at 00:00, its overdue point 12/06 at 00:00.
  static constexpr char kMay[] = "vinh-thuy:1199-KH-UBND#BC.1@2026-05";

 protected:
  VinhThuyStackTest();
  void SetUp() override;

  void Subscribe(const v1::Subscription& subscription);
  // The lead's inbox entries about `occurrence` of `kind`.
  int InInbox(const std::string& occurrence, const std::string& kind);
  // Webhook requests (signed or not) whose body names `occurrence`.
  std::vector<ReceivedRequest> HooksAbout(const std::string& occurrence);
  // Mails whose text names `occurrence`.
  std::vector<nlohmann::json> MailsAbout(const std::string& occurrence);

  // The marker after which "still exactly once" can be checked: moves every
  // clock to `at` (on or after 12/06 00:00, outside quiet hours) and waits
  // until the May report's overdue notice is in the inbox and every delivery
  // about May was sent. The overdue notice is announced after any repeat of
  // an earlier point and travels on the same partition (key = task id), so
  // by then a repeat would be in the inbox, and its deliveries sent.
  void SettleWithMayOverdueAt(absl::Time at);

  WebhookReceiver hook_;
  SmtpSink smtp_;
  Stack stack_;
};

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_VINH_THUY_STACK_H_
