#include "services/common/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <exception>

#include "absl/strings/str_cat.h"

namespace tiendo {

void MetricCounter::Increment(double by) const {
  if (counter_ != nullptr) counter_->Increment(by);
}

void MetricGauge::Set(double value) const {
  if (gauge_ != nullptr) gauge_->Set(value);
}

void MetricHistogram::Observe(double value) const {
  if (histogram_ != nullptr) histogram_->Observe(value);
}

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>(
          prometheus::Registry::InsertBehavior::Merge)) {}

Metrics::~Metrics() = default;

Metrics& Metrics::Default() {
  static Metrics* metrics = new Metrics;
  return *metrics;
}

// The registry merges families of the same name and type, and a family
// returns the existing series for labels it already has.
MetricCounter Metrics::Counter(const std::string& name, const std::string& help,
                               const MetricLabels& labels) {
  auto& family =
      prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
  return MetricCounter(&family.Add(labels));
}

MetricGauge Metrics::Gauge(const std::string& name, const std::string& help,
                           const MetricLabels& labels) {
  auto& family =
      prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
  return MetricGauge(&family.Add(labels));
}

MetricHistogram Metrics::Histogram(const std::string& name,
                                   const std::string& help,
                                   const MetricLabels& labels,
                                   const std::vector<double>& buckets) {
  auto& family =
      prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
  return MetricHistogram(&family.Add(labels, buckets));
}

absl::Status Metrics::Serve(const std::string& address) {
  absl::MutexLock lock(&mu_);
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("metrics: cannot listen on ", address, ": ", e.what()));
  }
  exposer_->RegisterCollectable(registry_);
  return absl::OkStatus();
}

std::string Metrics::Render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
          0.25,  0.5,    1,     2.5,  5,     10};
}

}  // namespace tiendo
