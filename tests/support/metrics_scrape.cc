#include "tests/support/metrics_scrape.h"

#include <curl/curl.h>

#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace tiendo::testing {
namespace {

size_t Append(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

}  // namespace

double MetricsPage::Value(const std::string& series) const {
  auto it = samples.find(series);
  return it == samples.end() ? 0 : it->second;
}

std::map<std::string, double> MetricsPage::Family(
    const std::string& name) const {
  std::map<std::string, double> family;
  for (const auto& [series, value] : samples) {
    if (series == name || absl::StartsWith(series, name + "{")) {
      family[series] = value;
    }
  }
  return family;
}

std::optional<MetricsPage> Scrape(const std::string& url) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return std::nullopt;
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  long status = 0;
  if (curl_easy_perform(curl) == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  }
  curl_easy_cleanup(curl);
  if (status != 200) return std::nullopt;
  return ParseMetrics(std::move(body));
}

MetricsPage ParseMetrics(std::string text) {
  MetricsPage page;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    // The value follows the last space (label values here have none).
    const size_t space = line.rfind(' ');
    double value = 0;
    if (space == std::string::npos ||
        !absl::SimpleAtod(line.substr(space + 1), &value)) {
      continue;
    }
    page.samples[line.substr(0, space)] = value;
  }
  page.text = std::move(text);
  return page;
}

}  // namespace tiendo::testing
