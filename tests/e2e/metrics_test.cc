// End to end: every service's Prometheus endpoint, scraped over HTTP while
// one progress report travels through the stack.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/metrics_scrape.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
const char* const kServices[] = {"plan", "progress", "notification",
                                 "aggregation"};
const char* const kTaskUpdatedConsumers[] = {"plan", "notification",
                                             "aggregation"};

std::string Topic(const std::string& metric, const std::string& topic) {
  return absl::StrCat(metric, "{topic=\"", topic, "\"}");
}
const std::string kConsumedTaskUpdated =
    Topic("tiendo_events_consumed_total", "tiendo.task-updated.v1");
const std::string kProducedTaskUpdated =
    Topic("tiendo_events_produced_total", "tiendo.task-updated.v1");
const std::string kReportProgressOk =
    "tiendo_grpc_server_handled_total{grpc_code=\"OK\",grpc_method="
    "\"ReportProgress\",grpc_service=\"tiendo.v1.ProgressService\"}";
const std::string kReportProgressSeconds =
    "tiendo_grpc_server_handling_seconds_count{grpc_method="
    "\"ReportProgress\",grpc_service=\"tiendo.v1.ProgressService\"}";

class MetricsTest : public ::testing::Test {
 protected:
  MetricsTest() : stack_("2026-05-20T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
    grpc::Status s = stack_.ImportExamplePlan("vinh-thuy-1199.txt",
                                              absl::StrCat(kPlan, "#BC.1"));
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  MetricsPage ScrapeOf(const std::string& service) {
    std::optional<MetricsPage> page = Scrape(stack_.MetricsUrl(service));
    EXPECT_TRUE(page.has_value()) << stack_.MetricsUrl(service);
    return page.value_or(MetricsPage{});
  }

  // Polls the service's /metrics until `holds` is true of a scrape
  // (bounded); returns the last scrape.
  MetricsPage WaitFor(const std::string& service,
                      const std::function<bool(const MetricsPage&)>& holds) {
    MetricsPage last;
    const bool held = WaitUntil(
        [&] {
          std::optional<MetricsPage> page = Scrape(stack_.MetricsUrl(service));
          if (!page) return false;
          last = *std::move(page);
          return holds(last);
        },
        absl::Seconds(30), absl::Milliseconds(200));
    EXPECT_TRUE(held) << service << " never showed it; last scrape:\n"
                      << last.text;
    return last;
  }

  // Every lag series of the service is 0, and it has one for each
  // partition of task-updated it was assigned.
  static bool CaughtUp(const MetricsPage& page, bool reads_task_updated) {
    const std::map<std::string, double> lag =
        page.Family("tiendo_consumer_lag");
    int task_updated = 0;
    for (const auto& [series, value] : lag) {
      if (value != 0) return false;
      if (series.find("tiendo.task-updated.v1") != std::string::npos) {
        ++task_updated;
      }
    }
    return !lag.empty() && (!reads_task_updated || task_updated > 0);
  }

  Stack stack_;
};

TEST_F(MetricsTest, OneReportMovesThroughEveryService) {
  std::map<std::string, double> consumed_before;
  for (const char* service : kTaskUpdatedConsumers) {
    consumed_before[service] = ScrapeOf(service).Value(kConsumedTaskUpdated);
  }
  const double produced_before =
      ScrapeOf("progress").Value(kProducedTaskUpdated);

  v1::ReportProgressRequest request;
  request.set_task_id(absl::StrCat(kPlan, "#I.2"));
  request.set_agency("vinhthuy.kinhte");
  request.set_status(v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(40);
  request.set_request_id("metrics-1");
  grpc::Status s = stack_.Report(request);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The RPC is counted with its code and timed; its event is produced.
  MetricsPage progress = WaitFor("progress", [&](const MetricsPage& page) {
    return page.Value(kProducedTaskUpdated) >= produced_before + 1;
  });
  EXPECT_EQ(progress.Value(kReportProgressOk), 1);
  EXPECT_EQ(progress.Value(kReportProgressSeconds), 1);
  // Every consumer of task-updated applied it.
  for (const char* service : kTaskUpdatedConsumers) {
    WaitFor(service, [&](const MetricsPage& page) {
      return page.Value(kConsumedTaskUpdated) >= consumed_before[service] + 1;
    });
  }
  // At the end nothing waits anywhere: outboxes empty, no consumer behind.
  for (const char* service : kServices) {
    const bool reads_task_updated = std::string(service) != "progress";
    MetricsPage page = WaitFor(service, [&](const MetricsPage& p) {
      return p.Value("tiendo_outbox_depth{queue=\"dead_letters\"}") == 0 &&
             p.Value("tiendo_outbox_depth{queue=\"outbox\"}") == 0 &&
             CaughtUp(p, reads_task_updated);
    });
    EXPECT_THAT(page.text, HasSubstr("# HELP tiendo_consumer_lag "));
    EXPECT_THAT(page.text, HasSubstr("# TYPE tiendo_events_consumed_total "
                                     "counter"));
    EXPECT_THAT(page.text,
                HasSubstr("# TYPE tiendo_grpc_server_handling_seconds "
                          "histogram"));
    EXPECT_EQ(page.Value("tiendo_outbox_oldest_age_seconds{queue="
                         "\"dead_letters\"}"),
              0);
  }
  // The services with an outbox sampled it.
  for (const char* service : {"plan", "progress"}) {
    EXPECT_EQ(ScrapeOf(service).Family("tiendo_outbox_depth").size(), 2u)
        << service;
  }
  EXPECT_THAT(ScrapeOf("plan").text, HasSubstr("tiendo_reminders_sent_total"));
}

}  // namespace
}  // namespace tiendo::testing
