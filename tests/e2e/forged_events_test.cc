// End to end: someone who reaches the broker but not a topic owner's key
// produces a TaskUpdated marking a task done and a DeadlineApproaching with
// a phishing link for the commune police. Every consumer dead-letters them
// with the reason; the roll-up, the plan's completion and the inbox do not
// change; the real report that follows is applied.
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/event_signature.h"
#include "services/common/kafka.h"
#include "services/common/topics.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
const std::string kTask = std::string(kPlan) + "#I.2";  // lead: kinhte

// A record as someone at the broker would produce it.
OutboxMessage Record(const char* topic, const v1::EventEnvelope& event) {
  OutboxMessage message;
  message.topic = topic;
  message.key = kTask;
  message.payload = event.SerializeAsString();
  return message;
}

v1::EventEnvelope ForgedDone() {
  v1::EventEnvelope event;
  event.set_event_id("forged-1");
  event.set_type("TaskUpdated");
  event.set_source("progress");
  event.set_schema_version(1);
  event.set_unit("vinh-thuy");
  v1::TaskUpdated& update = *event.mutable_task_updated();
  update.set_task_id(kTask);
  update.set_unit("vinh-thuy");
  update.set_version(1);
  update.set_status(v1::TASK_STATUS_DONE);
  update.set_percent(100);
  update.set_reporting_agency("vinhthuy.kinhte");
  return event;
}

v1::EventEnvelope ForgedReminder() {
  v1::EventEnvelope event;
  event.set_event_id("forged-2");
  event.set_type("DeadlineApproaching");
  event.set_source("plan");
  event.set_schema_version(1);
  v1::DeadlineApproaching& reminder = *event.mutable_deadline_approaching();
  reminder.set_kind(v1::DeadlineApproaching::KIND_REMINDER);
  reminder.set_task_id(kTask);
  reminder.set_unit("vinh-thuy");
  reminder.set_task_title("Xác minh tài khoản tại https://phishing.example/");
  reminder.add_recipients("vinhthuy.congan");
  reminder.set_reminder_key("forged");
  return event;
}

double DeadLetters(Stack& stack, const std::string& service,
                   const std::string& topic) {
  std::optional<MetricsPage> page = Scrape(stack.MetricsUrl(service));
  if (!page) return -1;
  return page->Value(
      absl::StrCat("tiendo_dead_letters_total{topic=\"", topic, "\"}"));
}

uint64_t ReportsApplied(Stack& stack) {
  v1::GetRollupRequest request;
  request.set_unit("vinh-thuy");
  v1::GetRollupResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  EXPECT_TRUE(
      stack.Aggregation()->GetRollup(&context, request, &response).ok());
  return response.rollup().reports_applied();
}

TEST(ForgedEventsTest, RecordsNotSignedByTheTopicsOwnerAreDeadLettered) {
  Stack stack("2026-05-20T08:00:00+07:00");
  ASSERT_TRUE(stack.Start()) << "logs in " << stack.dir();
  ASSERT_TRUE(stack.ImportExamplePlan("vinh-thuy-1199.txt", kTask).ok());

  // Straight to the broker, unsigned; then signed, but with the plan
  // service's key on the progress service's topic.
  absl::StatusOr<std::unique_ptr<KafkaEventSink>> attacker =
      KafkaEventSink::Create(stack.broker().address(), "attacker");
  ASSERT_TRUE(attacker.ok()) << attacker.status();
  ASSERT_TRUE(
      (*attacker)
          ->Publish({Record(kTaskUpdatedTopic, ForgedDone()),
                     Record(kDeadlineApproachingTopic, ForgedReminder())})
          .ok());
  absl::StatusOr<std::unique_ptr<EventSigner>> plan_key =
      EventSigner::FromPemFile(
          "plan", std::string(TIENDO_TEST_TLS_DIR) + "/events-plan-key.pem");
  ASSERT_TRUE(plan_key.ok());
  absl::StatusOr<std::unique_ptr<KafkaEventSink>> insider =
      KafkaEventSink::Create(stack.broker().address(), "insider",
                             plan_key->get());
  ASSERT_TRUE(insider.ok());
  ASSERT_TRUE(
      (*insider)->Publish({Record(kTaskUpdatedTopic, ForgedDone())}).ok());

  // Every consumer of each topic dead-letters them.
  for (const char* service : {"plan", "notification", "aggregation"}) {
    EXPECT_TRUE(WaitUntil([&] {
      return DeadLetters(stack, service, kTaskUpdatedTopic) == 2;
    })) << service;
  }
  EXPECT_TRUE(WaitUntil([&] {
    return DeadLetters(stack, "notification", kDeadlineApproachingTopic) == 1;
  }));
  EXPECT_EQ(ReportsApplied(stack), 0u);
  EXPECT_FALSE(stack.PlanTask(kTask).done());
  for (const v1::Notification& n : stack.Inbox("vinhthuy.congan")) {
    EXPECT_THAT(n.task_title(),
                ::testing::Not(::testing::HasSubstr("phishing")));
  }
  EXPECT_THAT(stack.Log("aggregation"),
              ::testing::HasSubstr("signed by plan, not by progress"));
  EXPECT_THAT(stack.Log("aggregation"), ::testing::HasSubstr("not signed"));

  // The stream goes on: the agency's real report is applied.
  v1::ReportProgressRequest report;
  report.set_task_id(kTask);
  report.set_agency("vinhthuy.kinhte");
  report.set_status(v1::TASK_STATUS_IN_PROGRESS);
  report.set_percent(40);
  report.set_request_id("real-1");
  ASSERT_TRUE(stack.Report(report).ok());
  EXPECT_TRUE(WaitUntil([&] { return ReportsApplied(stack) == 1; }));
}

}  // namespace
}  // namespace tiendo::testing
