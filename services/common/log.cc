#include "services/common/log.h"

#include <cstdio>
#include <string>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace tiendo {
namespace {

absl::Mutex log_mu;
std::string& LogName() {
  static std::string* name = new std::string("tiendo");
  return *name;
}

}  // namespace

void SetLogName(absl::string_view name) {
  absl::MutexLock lock(&log_mu);
  LogName() = std::string(name);
}

void LogLine(char level, absl::string_view message) {
  absl::MutexLock lock(&log_mu);
  // Real time, not the simulated clock: logs are about the process.
  absl::FPrintF(stderr, "%c %s %s] %s\n", level,
                absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                 absl::UTCTimeZone()),
                LogName(), message);
}

}  // namespace tiendo
