#include "absl/strings/str_cat.h"
#include "services/aggregation/aggregation_store.h"
#include "services/common/shared_schema.h"

// The aggregator's database schema: its numbered migrations, from the
// schema as first shipped.

namespace tiendo::aggregation {
namespace {

// The latest definition and the latest TaskUpdated per task.
constexpr char kFirstSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS task_definitions (
    task_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS task_states (
    task_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    record BLOB NOT NULL);
)sql";

constexpr char kHistoryTables[] = R"sql(
    -- The newest version applied per task, for the guards.
    CREATE TABLE IF NOT EXISTS versions (
      task_id TEXT PRIMARY KEY,
      definition INTEGER NOT NULL DEFAULT 0,
      state INTEGER NOT NULL DEFAULT 0);
    -- Every definition and state applied, in order, with its instant.
    CREATE TABLE IF NOT EXISTS changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind INTEGER NOT NULL,
      task_id TEXT NOT NULL,
      at_us INTEGER NOT NULL,
      record BLOB NOT NULL);
    -- Every measurement once: a report's measurement of one indicator, unit
    -- and date.
    CREATE TABLE IF NOT EXISTS measurements (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      report_id TEXT NOT NULL,
      task_id TEXT NOT NULL,
      indicator TEXT NOT NULL,
      unit TEXT NOT NULL,
      as_of TEXT NOT NULL,
      at_us INTEGER NOT NULL,
      record BLOB NOT NULL,
      UNIQUE (report_id, task_id, indicator, unit, as_of));
    -- Units as the plan service's registry has them, learnt from events.
    CREATE TABLE IF NOT EXISTS units (
      code TEXT PRIMARY KEY,
      record BLOB NOT NULL);
)sql";

}  // namespace

Schema AggregationStore::DatabaseSchema() {
  Schema schema;
  schema.name = "aggregation";
  schema.migrations.push_back(
      SqlMigration(1, "latest definition and state per task, consumer offsets",
                   "task_definitions",
                   absl::StrCat(kFirstSchema, kConsumerOffsetsTableSql)));
  schema.migrations.push_back(
      SqlMigration(2, "dead letters", "dead_letters", kDeadLettersTableSql));
  // Each task's latest definition and state become the first entries of
  // its history.
  schema.migrations.push_back(
      Migration{3, "execution history, measurements, units", "changes",
                [this](Database& db) -> absl::Status {
                  if (absl::Status s = db.Exec(kHistoryTables); !s.ok())
                    return s;
                  return TakeOverPreviousTables();
                }});
  schema.migrations.push_back(SqlMigration(
      4, "token revocations", "token_generations", kTokenGenerationsTableSql));
  return schema;
}

}  // namespace tiendo::aggregation
