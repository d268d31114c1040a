#ifndef TIENDO_TESTS_SUPPORT_FIXTURES_H_
#define TIENDO_TESTS_SUPPORT_FIXTURES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::testing {

// The date year-month-day; a date the calendar does not have is a test
// failure.
v1::LocalDate Date(int year, int month, int day);

// The fields as given, whether or not the calendar has the date: for tests
// of how a date that does not exist is refused.
v1::LocalDate UncheckedDate(int year, int month, int day);

// Adds target k1 on `indicator` to `task` in two stages: 90% by 31/03/2026,
// then 100% by 30/06/2026.
void AddStagedTarget(v1::Task& task, const std::string& indicator);

// An instant given as local (UTC+7) wall time, computed independently of
// the code under test.
absl::Time Local(int year, int month, int day, int hour = 0, int minute = 0,
                 int second = 0);

// The rows in `table`; -1 and a test failure when they cannot be counted.
int64_t CountRows(Database& db, absl::string_view table);

// An event waiting in an outbox, with the topic it goes to.
struct QueuedEvent {
  std::string topic;
  v1::EventEnvelope envelope;
};

// What a service's store runs on in a test: a SQLite database, its outbox,
// and the simulated clock that stamps the outbox's events.
class StoreEnv {
 public:
  explicit StoreEnv(absl::Time now) : clock_(now, "") {}

  // Opens the database at `path` (in memory when empty) and the outbox of
  // the service `source` in it, creating the outbox tables. What was open
  // before is closed first, so that a file can be opened again.
  absl::Status Open(const std::string& source, const std::string& path = "");

  Database& db() { return *db_; }
  Outbox& outbox() { return *outbox_; }
  SimulatedClock& clock() { return clock_; }

  // Up to `limit` queued events, oldest first; with `take` they leave the
  // outbox. A failure to read, parse or remove them is a test failure.
  std::vector<QueuedEvent> Events(int limit, bool take = false);

 private:
  SimulatedClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Outbox> outbox_;
};

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_FIXTURES_H_
