#ifndef TIENDO_SERVICES_COMMON_LOG_H_
#define TIENDO_SERVICES_COMMON_LOG_H_

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace tiendo {

// Sets the name printed in front of every log line ("plan", "progress"...).
void SetLogName(absl::string_view name);

void LogLine(char level, absl::string_view message);

// One line to stderr: "I 2026-11-23T17:26:25Z plan] message".
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
