#ifndef TIENDO_TESTS_SUPPORT_METRICS_SCRAPE_H_
#define TIENDO_TESTS_SUPPORT_METRICS_SCRAPE_H_

#include <map>
#include <optional>
#include <string>

namespace tiendo::testing {

// A scraped /metrics page: its text and each sample by its series as
// written, e.g. `tiendo_events_consumed_total{topic="tiendo.task-updated.v1"}`
// (labels in the order the service writes them: sorted by name).
struct MetricsPage {
  std::string text;
  std::map<std::string, double> samples;

  // The value of `series`, 0 when the page has no such sample.
  double Value(const std::string& series) const;
  // Every sample of the metric `name`, whatever its labels.
  std::map<std::string, double> Family(const std::string& name) const;
};

// GETs `url` (a /metrics endpoint); nullopt when it does not answer 200.
std::optional<MetricsPage> Scrape(const std::string& url);

// Parses the Prometheus text exposition format (comments skipped).
MetricsPage ParseMetrics(std::string text);

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_METRICS_SCRAPE_H_
