// The metrics adapter without a network: series, rendering, the endpoint's
// address, and how deliveries are labelled.
#include "services/common/metrics.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/service_runtime.h"
#include "services/notification/delivery_metrics.h"
#include "tests/support/metrics_scrape.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;
using testing::ParseMetrics;

TEST(MetricsTest, SameNameAndLabelsAreOneSeries) {
  Metrics metrics;
  metrics.Counter("tiendo_x_total", "X.", {{"topic", "a"}}).Increment();
  metrics.Counter("tiendo_x_total", "X.", {{"topic", "a"}}).Increment(2);
  metrics.Counter("tiendo_x_total", "X.", {{"topic", "b"}}).Increment();
  metrics.Gauge("tiendo_depth", "Depth.").Set(7);
  metrics.Histogram("tiendo_seconds", "Time.", {}, LatencyBuckets())
      .Observe(0.003);
  const std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# HELP tiendo_x_total X."));
  EXPECT_THAT(text, HasSubstr("# TYPE tiendo_seconds histogram"));
  const testing::MetricsPage page = ParseMetrics(text);
  EXPECT_EQ(page.Value("tiendo_x_total{topic=\"a\"}"), 3);
  EXPECT_EQ(page.Value("tiendo_x_total{topic=\"b\"}"), 1);
  EXPECT_EQ(page.Family("tiendo_x_total").size(), 2u);
  EXPECT_EQ(page.Value("tiendo_depth"), 7);
  EXPECT_EQ(page.Value("tiendo_seconds_count"), 1);
  EXPECT_EQ(page.Value("tiendo_seconds_bucket{le=\"0.005\"}"), 1);
  EXPECT_EQ(page.Value("tiendo_seconds_bucket{le=\"0.0025\"}"), 0);
}

TEST(MetricsTest, DefaultHandlesCountNothing) {
  MetricCounter counter;
  counter.Increment();
  MetricGauge().Set(1);
  MetricHistogram().Observe(1);
}

TEST(MetricsTest, AddressFollowsTheGrpcPort) {
  EXPECT_EQ(*MetricsAddress("127.0.0.1:50051", -1), "127.0.0.1:51051");
  EXPECT_EQ(*MetricsAddress("0.0.0.0:50054", -1), "0.0.0.0:51054");
  EXPECT_EQ(*MetricsAddress("[::]:50052", 9152), "[::]:9152");
  EXPECT_EQ(*MetricsAddress("127.0.0.1:50051", 0), "");
  EXPECT_FALSE(MetricsAddress("127.0.0.1:65000", -1).ok());
  EXPECT_FALSE(MetricsAddress("nohost", -1).ok());
}

TEST(MetricsTest, DeliveriesByChannelAndState) {
  Metrics metrics;
  auto count = notification::DeliveryCounter(metrics);
  v1::Delivery delivery;
  delivery.set_channel(v1::CHANNEL_WEBHOOK);
  delivery.set_state(v1::Delivery::STATE_FAILED);
  count(delivery);
  delivery.set_state(v1::Delivery::STATE_SENT);
  count(delivery);
  delivery.set_channel(v1::CHANNEL_EMAIL);
  delivery.set_state(v1::Delivery::STATE_DEAD);
  count(delivery);
  const testing::MetricsPage page = ParseMetrics(metrics.Render());
  const std::string name = notification::kDeliveriesMetric;
  EXPECT_EQ(page.Value(name + "{channel=\"webhook\",state=\"retrying\"}"), 1);
  EXPECT_EQ(page.Value(name + "{channel=\"webhook\",state=\"sent\"}"), 1);
  EXPECT_EQ(page.Value(name + "{channel=\"email\",state=\"dead\"}"), 1);
}

}  // namespace
}  // namespace tiendo
