#ifndef TIENDO_SERVICES_COMMON_CLOCK_H_
#define TIENDO_SERVICES_COMMON_CLOCK_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace tiendo {

// The one source of time for every service, so tests and demos can drive it.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that moves only when told to. It remembers its time in a file so a
// restarted service continues where the simulation was, not at the real date.
class SimulatedClock final : public Clock {
 public:
  // state_file may be empty (nothing is remembered). Without a remembered
  // time the clock starts at `start`.
  SimulatedClock(absl::Time start, std::string state_file);

  absl::Time Now() const override;
  void Set(absl::Time t);
  void Advance(absl::Duration d);

 private:
  void Persist() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  const std::string state_file_;
};

// Asia/Ho_Chi_Minh (UTC+7, no daylight saving). Falls back to a fixed +07:00
// zone where tzdata is missing, which gives the same answers.
const absl::TimeZone& LocalZone();

// The local calendar day an instant falls on.
absl::CivilDay LocalDay(absl::Time t);

// Local midnight at the start of a day.
absl::Time StartOfLocalDay(absl::CivilDay day);

// RFC 3339 in local time, e.g. "2026-05-28T00:00:00+07:00".
std::string FormatLocal(absl::Time t);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_CLOCK_H_
