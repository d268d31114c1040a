#include "services/common/log.h"

#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/flags/flag.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

ABSL_FLAG(std::string, log_format, "",
          "Log line format: text (for people) or json (one object per line, "
          "for log collectors). Default: $TIENDO_LOG_FORMAT, else text.");

namespace tiendo {
namespace {

// Real time, not the simulated clock: logs are about the process.
std::string Rfc3339Utc(spdlog::log_clock::time_point time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(time),
                          absl::UTCTimeZone());
}

// {"time":...,"level":...,"service":...,"message":...} and a newline. The
// message is escaped by the JSON library; invalid UTF-8 becomes U+FFFD so a
// line is always valid JSON.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    nlohmann::ordered_json line;
    line["time"] = Rfc3339Utc(msg.time);
    line["level"] =
        std::string(spdlog::level::to_string_view(msg.level).data(),
                    spdlog::level::to_string_view(msg.level).size());
    line["service"] =
        std::string(msg.logger_name.data(), msg.logger_name.size());
    line["message"] = std::string(msg.payload.data(), msg.payload.size());
    const std::string text =
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    dest.append(text.data(), text.data() + text.size());
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

std::unique_ptr<spdlog::formatter> MakeFormatter(LogFormat format) {
  if (format == LogFormat::kJson) return std::make_unique<JsonFormatter>();
  // "I 2026-11-23T17:26:25.042Z plan] message"
  return std::make_unique<spdlog::pattern_formatter>(
      "%L %Y-%m-%dT%H:%M:%S.%eZ %n] %v", spdlog::pattern_time_type::utc);
}

// What the logger is built from; a change builds a new logger, so a line is
// always written whole by one consistent logger.
struct LogState {
  absl::Mutex mu;
  std::string name ABSL_GUARDED_BY(mu) = "tiendo";
  LogFormat format ABSL_GUARDED_BY(mu) = LogFormat::kText;
  spdlog::sink_ptr sink ABSL_GUARDED_BY(mu) =
      std::make_shared<spdlog::sinks::stderr_sink_mt>();
  std::shared_ptr<spdlog::logger> logger ABSL_GUARDED_BY(mu);
};

LogState& State() {
  static LogState* state = new LogState();
  return *state;
}

void RebuildLogger(LogState& state) ABSL_EXCLUSIVE_LOCKS_REQUIRED(state.mu) {
  state.sink->set_formatter(MakeFormatter(state.format));
  state.logger = std::make_shared<spdlog::logger>(state.name, state.sink);
}

std::shared_ptr<spdlog::logger> CurrentLogger() {
  LogState& state = State();
  absl::MutexLock lock(&state.mu);
  if (state.logger == nullptr) RebuildLogger(state);
  return state.logger;
}

spdlog::level::level_enum LevelOf(char level) {
  switch (level) {
    case 'E':
      return spdlog::level::err;
    case 'W':
      return spdlog::level::warn;
    default:
      return spdlog::level::info;
  }
}

}  // namespace

void SetLogName(absl::string_view name) {
  LogState& state = State();
  absl::MutexLock lock(&state.mu);
  state.name = std::string(name);
  RebuildLogger(state);
}

void SetLogFormat(LogFormat format) {
  LogState& state = State();
  absl::MutexLock lock(&state.mu);
  state.format = format;
  RebuildLogger(state);
}

void SetLogOutput(std::ostream* out) {
  LogState& state = State();
  absl::MutexLock lock(&state.mu);
  if (out == nullptr) {
    state.sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    state.sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(*out, true);
  }
  RebuildLogger(state);
}

void InitLogging(absl::string_view name) {
  SetLogName(name);
  std::string format = absl::GetFlag(FLAGS_log_format);
  if (format.empty()) {
    const char* env = std::getenv("TIENDO_LOG_FORMAT");
    format = env == nullptr ? "text" : env;
  }
  if (format == "json") {
    SetLogFormat(LogFormat::kJson);
  } else if (format != "text") {
    LogWarning("unknown log format \"%s\" (text or json); writing text",
               format);
  }
}

void LogLine(char level, absl::string_view message) {
  CurrentLogger()->log(LevelOf(level),
                       spdlog::string_view_t(message.data(), message.size()));
}

}  // namespace tiendo
