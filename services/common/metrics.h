#ifndef TIENDO_SERVICES_COMMON_METRICS_H_
#define TIENDO_SERVICES_COMMON_METRICS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

// The Prometheus client stays behind this header: the rest of the code sees
// only these handles.
namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Histogram;
class Registry;
}  // namespace prometheus

namespace tiendo {

using MetricLabels = std::map<std::string, std::string>;

// A count that only goes up. Cheap to copy; a default-constructed one
// counts nothing, so code can take one without needing a registry.
class MetricCounter {
 public:
  MetricCounter() = default;
  explicit MetricCounter(prometheus::Counter* counter) : counter_(counter) {}
  void Increment(double by = 1) const;

 private:
  prometheus::Counter* counter_ = nullptr;
};

// A value sampled now and then (a queue's depth, a lag).
class MetricGauge {
 public:
  MetricGauge() = default;
  explicit MetricGauge(prometheus::Gauge* gauge) : gauge_(gauge) {}
  void Set(double value) const;

 private:
  prometheus::Gauge* gauge_ = nullptr;
};

// A distribution of observed values (latencies in seconds).
class MetricHistogram {
 public:
  MetricHistogram() = default;
  explicit MetricHistogram(prometheus::Histogram* histogram)
      : histogram_(histogram) {}
  void Observe(double value) const;

 private:
  prometheus::Histogram* histogram_ = nullptr;
};

// The metrics of one process and, once Serve() is called, the HTTP endpoint
// Prometheus scrapes (GET /metrics). Asking twice for the same name and
// labels gives the same time series; a name keeps the help text it was
// first given. Thread-safe.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The process's registry, which the shared adapters (gRPC, Kafka, outbox)
  // record into.
  static Metrics& Default();

  MetricCounter Counter(const std::string& name, const std::string& help,
                        const MetricLabels& labels = {});
  MetricGauge Gauge(const std::string& name, const std::string& help,
                    const MetricLabels& labels = {});
  MetricHistogram Histogram(const std::string& name, const std::string& help,
                            const MetricLabels& labels,
                            const std::vector<double>& buckets);

  // Serves /metrics on `address` ("127.0.0.1:51051", "0.0.0.0:51051").
  absl::Status Serve(const std::string& address);
  // The text exposition format, as /metrics answers.
  std::string Render() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  absl::Mutex mu_;
  std::unique_ptr<prometheus::Exposer> exposer_ ABSL_GUARDED_BY(mu_);
};

// Latency buckets for RPCs and deliveries, in seconds (1 ms to 10 s).
std::vector<double> LatencyBuckets();

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_METRICS_H_
