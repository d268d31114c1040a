#include "services/progress/progress_schema.h"

#include "absl/strings/str_cat.h"
#include "services/common/shared_schema.h"

namespace tiendo::progress {
namespace {

constexpr char kFirstSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    version INTEGER NOT NULL,
    record BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS task_states (
    task_id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    record BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS task_states_by_unit ON task_states(unit);
  CREATE TABLE IF NOT EXISTS reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id TEXT NOT NULL UNIQUE,
    task_id TEXT NOT NULL,
    record BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS reports_by_task ON reports(task_id, seq);
  CREATE TABLE IF NOT EXISTS answered_requests (
    request_id TEXT PRIMARY KEY,
    response BLOB NOT NULL);
)sql";

constexpr char kMeasurements[] = R"sql(
  -- Every accepted measurement, for the trend of its indicator.
  CREATE TABLE IF NOT EXISTS measurements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    unit TEXT NOT NULL,
    as_of TEXT NOT NULL,
    numerator INTEGER NOT NULL,
    denominator INTEGER NOT NULL,
    report_id TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS measurements_by_indicator
    ON measurements(task_id, indicator, unit, as_of, seq);
  -- Target stages whose projection falls short: warned about once
  -- until they recover.
  CREATE TABLE IF NOT EXISTS target_risks (
    task_id TEXT NOT NULL,
    indicator TEXT NOT NULL,
    due TEXT NOT NULL,
    warning_key TEXT NOT NULL,
    PRIMARY KEY (task_id, indicator, due));
)sql";

}  // namespace

Schema ProgressSchema() {
  Schema schema;
  schema.name = "progress";
  schema.migrations.push_back(SqlMigration(
      1,
      "tasks, task states, reports, answered requests, outbox, consumer "
      "offsets",
      "reports",
      absl::StrCat(kFirstSchema, kOutboxTablesSql, kConsumerOffsetsTableSql)));
  schema.migrations.push_back(SqlMigration(2, "measurements and target risks",
                                           "measurements", kMeasurements));
  schema.migrations.push_back(
      SqlMigration(3, "dead letters", "dead_letters", kDeadLettersTableSql));
  schema.migrations.push_back(SqlMigration(
      4, "token revocations", "token_generations", kTokenGenerationsTableSql));
  schema.migrations.push_back(
      SqlMigration(5, "units above units", "units", R"sql(
    -- Each unit's parent, from the unit paths of plan-changed (UnitParents).
    CREATE TABLE IF NOT EXISTS units (
      code TEXT PRIMARY KEY,
      parent TEXT NOT NULL);
  )sql"));
  return schema;
}

}  // namespace tiendo::progress
