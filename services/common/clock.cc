#include "services/common/clock.h"

#include <fstream>
#include <sstream>

namespace tiendo {

SimulatedClock::SimulatedClock(absl::Time start, std::string state_file)
    : now_(start), state_file_(std::move(state_file)) {
  if (state_file_.empty()) return;
  std::ifstream in(state_file_);
  std::string text;
  absl::Time remembered;
  std::string err;
  if (in && std::getline(in, text) &&
      absl::ParseTime(absl::RFC3339_full, text, &remembered, &err)) {
    now_ = remembered;
  }
}

absl::Time SimulatedClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void SimulatedClock::Set(absl::Time t) {
  absl::MutexLock lock(&mu_);
  now_ = t;
  Persist();
}

void SimulatedClock::Advance(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  now_ += d;
  Persist();
}

void SimulatedClock::Persist() {
  if (state_file_.empty()) return;
  // Write then rename, so a crash never leaves a half-written time.
  const std::string tmp = state_file_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << absl::FormatTime(absl::RFC3339_full, now_, absl::UTCTimeZone())
        << "\n";
  }
  std::rename(tmp.c_str(), state_file_.c_str());
}

const absl::TimeZone& LocalZone() {
  static const absl::TimeZone* zone = [] {
    auto* tz = new absl::TimeZone;
    if (!absl::LoadTimeZone("Asia/Ho_Chi_Minh", tz)) {
      *tz = absl::FixedTimeZone(7 * 60 * 60);
    }
    return tz;
  }();
  return *zone;
}

absl::CivilDay LocalDay(absl::Time t) {
  return absl::ToCivilDay(t, LocalZone());
}

absl::Time StartOfLocalDay(absl::CivilDay day) {
  return absl::FromCivil(day, LocalZone());
}

std::string FormatLocal(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, LocalZone());
}

}  // namespace tiendo
