#include "tests/support/fixtures.h"

#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gtest/gtest.h"

namespace tiendo::testing {

v1::LocalDate Date(int year, int month, int day) {
  const absl::CivilDay civil(year, month, day);
  EXPECT_TRUE(civil.year() == year && civil.month() == month &&
              civil.day() == day)
      << year << "-" << month << "-" << day << " is not a date";
  return UncheckedDate(year, month, day);
}

v1::LocalDate UncheckedDate(int year, int month, int day) {
  v1::LocalDate date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

void AddStagedTarget(v1::Task& task, const std::string& indicator) {
  v1::Target* q1 = task.add_targets();
  q1->set_indicator(indicator);
  q1->set_indicator_code("k1");
  q1->set_percent(90);
  *q1->mutable_due() = Date(2026, 3, 31);
  v1::Target* q2 = task.add_targets();
  *q2 = *q1;
  q2->set_percent(100);
  *q2->mutable_due() = Date(2026, 6, 30);
}

absl::Time Local(int year, int month, int day, int hour, int minute,
                 int second) {
  return absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second),
      absl::FixedTimeZone(7 * 60 * 60));
}

int64_t CountRows(Database& db, absl::string_view table) {
  int64_t n = -1;
  EXPECT_TRUE(db.Read([&]() -> absl::Status {
                  absl::StatusOr<Statement> q =
                      db.Prepare(absl::StrCat("SELECT COUNT(*) FROM ", table));
                  if (!q.ok()) return q.status();
                  absl::StatusOr<bool> row = q->Step();
                  if (!row.ok()) return row.status();
                  n = q->Int(0);
                  return absl::OkStatus();
                }).ok());
  return n;
}

absl::Status StoreEnv::Open(const std::string& source,
                            const std::string& path) {
  outbox_.reset();
  db_.reset();
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(path.empty() ? ":memory:" : path);
  if (!db.ok()) return db.status();
  db_ = *std::move(db);
  outbox_ = std::make_unique<Outbox>(*db_, source, clock_);
  return outbox_->Init();
}

std::vector<QueuedEvent> StoreEnv::Events(int limit, bool take) {
  std::vector<QueuedEvent> events;
  absl::StatusOr<std::vector<OutboxMessage>> messages = outbox_->Peek(limit);
  EXPECT_TRUE(messages.ok()) << messages.status();
  if (!messages.ok()) return events;
  for (const OutboxMessage& m : *messages) {
    QueuedEvent& event = events.emplace_back();
    event.topic = m.topic;
    EXPECT_TRUE(event.envelope.ParseFromString(m.payload));
  }
  if (take) {
    absl::Status removed = outbox_->Remove(*messages);
    EXPECT_TRUE(removed.ok()) << removed;
  }
  return events;
}

}  // namespace tiendo::testing
