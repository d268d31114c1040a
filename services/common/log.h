#ifndef TIENDO_SERVICES_COMMON_LOG_H_
#define TIENDO_SERVICES_COMMON_LOG_H_

#include <ostream>

#include "absl/flags/declare.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

// "text" (default) or "json"; when not given, TIENDO_LOG_FORMAT decides.
ABSL_DECLARE_FLAG(std::string, log_format);

namespace tiendo {

// How a log line is written.
//   kText: "I 2026-11-23T17:26:25.042Z plan] message", for people.
//   kJson: {"time":"2026-11-23T17:26:25.042Z","level":"info",
//           "service":"plan","message":"..."}, one object per line, for
//           log collectors.
enum class LogFormat { kText, kJson };

// Sets the name printed in front of every log line ("plan", "progress"...).
void SetLogName(absl::string_view name);

void SetLogFormat(LogFormat format);

// SetLogName, and the format from --log_format or else TIENDO_LOG_FORMAT.
// Called once after the command line is parsed.
void InitLogging(absl::string_view name);

// Sends log lines to `out` instead of stderr (nullptr: back to stderr).
// `out` must outlive its use; tests capture lines this way.
void SetLogOutput(std::ostream* out);

void LogLine(char level, absl::string_view message);

// One line to stderr in the chosen format.
template <typename... Args>
void LogInfo(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine('I', absl::StrFormat(format, args...));
}

template <typename... Args>
void LogWarning(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine('W', absl::StrFormat(format, args...));
}

template <typename... Args>
void LogError(const absl::FormatSpec<Args...>& format, const Args&... args) {
  LogLine('E', absl::StrFormat(format, args...));
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_LOG_H_
