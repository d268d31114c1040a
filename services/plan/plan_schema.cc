#include "absl/strings/str_cat.h"
#include "services/common/proto_convert.h"
#include "services/common/schema_migrations.h"
#include "services/common/shared_schema.h"
#include "services/common/stored_proto.h"
#include "services/plan/plan_store.h"

// The plan service's database schema: its numbered migrations, from the
// schema as first shipped.

namespace tiendo::plan {
namespace {

constexpr char kFirstSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY,
    unit TEXT NOT NULL,
    record BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    unit TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    record BLOB NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    status_version INTEGER NOT NULL DEFAULT 0);
  CREATE INDEX IF NOT EXISTS tasks_by_plan ON tasks(plan_id, ordinal);
  CREATE INDEX IF NOT EXISTS tasks_by_unit ON tasks(unit, ordinal);
  CREATE TABLE IF NOT EXISTS reminders (
    task_id TEXT NOT NULL REFERENCES tasks(id),
    days_before INTEGER NOT NULL,
    overdue INTEGER NOT NULL,
    fire_at INTEGER NOT NULL,
    state INTEGER NOT NULL,
    PRIMARY KEY (task_id, days_before, overdue));
  CREATE INDEX IF NOT EXISTS reminders_due ON reminders(state, fire_at);
)sql";

// The agency registry as one JSON document: small, read whole by every
// import, changed rarely.
constexpr char kRegistry[] = R"sql(
  CREATE TABLE IF NOT EXISTS registry (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    document TEXT NOT NULL);
)sql";

constexpr char kOccurrences[] = R"sql(
  DROP INDEX IF EXISTS reminders_due;
  ALTER TABLE reminders RENAME TO reminders_by_task;
  -- What is tracked of each task (ExpandOccurrences, RecordTrigger) and
  -- what the progress service said of it. The definitions live in the
  -- task record; this table gives each a small integer for the points
  -- to refer to, and keeps what the scanner needs.
  CREATE TABLE occurrences (
    seq INTEGER PRIMARY KEY,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    key TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0,
    UNIQUE (task_id, key));
  CREATE TABLE reminders (
    occurrence INTEGER NOT NULL REFERENCES occurrences(seq),
    days_before INTEGER NOT NULL,
    overdue INTEGER NOT NULL,
    fire_at INTEGER NOT NULL,
    state INTEGER NOT NULL,
    PRIMARY KEY (occurrence, days_before, overdue)) WITHOUT ROWID;
  -- The scanner's time-ordered index of what is still to be announced:
  -- a tick reads only what is due, and sent or cancelled points leave
  -- the index.
  CREATE INDEX reminders_pending ON reminders(fire_at) WHERE state = 1;
  -- RecordTrigger answers by request id, so a retry changes nothing.
  CREATE TABLE trigger_requests (
    request_id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    response BLOB NOT NULL);
)sql";

}  // namespace

Schema PlanStore::DatabaseSchema() {
  Schema schema;
  schema.name = "plan";
  schema.migrations.push_back(SqlMigration(
      1, "plans, tasks, reminder points per task, outbox, consumer offsets",
      "plans",
      absl::StrCat(kFirstSchema, kOutboxTablesSql, kConsumerOffsetsTableSql)));
  schema.migrations.push_back(
      SqlMigration(2, "agency registry", "registry", kRegistry));
  // Reminder points belonged to tasks (task_id, days_before, overdue); they
  // now belong to occurrences: each becomes a point of the task's
  // milestone occurrence at its due date.
  schema.migrations.push_back(Migration{
      3, "occurrences, reminder points per occurrence, trigger requests",
      "occurrences", [this](Database& db) -> absl::Status {
        if (absl::Status s = db.Exec(kOccurrences); !s.ok()) return s;
        if (absl::Status s = MigrateTaskReminders(); !s.ok()) return s;
        return db.Exec("DROP TABLE reminders_by_task");
      }});
  schema.migrations.push_back(
      SqlMigration(4, "dead letters", "dead_letters", kDeadLettersTableSql));
  schema.migrations.push_back(SqlMigration(5, "accounts", "accounts", R"sql(
    -- People and systems that sign in (see AccountStore); a person's
    -- password only as its argon2id hash.
    CREATE TABLE accounts (
      name TEXT PRIMARY KEY,
      record BLOB NOT NULL,
      password_hash TEXT NOT NULL);
  )sql"));
  return schema;
}

absl::Status PlanStore::Init() {
  return MigrateSchema(db_, DatabaseSchema()).status();
}

absl::Status PlanStore::MigrateTaskReminders() {
  absl::StatusOr<Statement> tasks = db_.Prepare(
      "SELECT t.id, t.record FROM tasks t WHERE t.id IN "
      "(SELECT DISTINCT task_id FROM reminders_by_task)");
  if (!tasks.ok()) return tasks.status();
  absl::StatusOr<Statement> occurrence = db_.Prepare(
      "INSERT INTO occurrences(task_id, key, done) VALUES(?, ?, 0) "
      "RETURNING seq");
  if (!occurrence.ok()) return occurrence.status();
  absl::StatusOr<Statement> points = db_.Prepare(
      "INSERT INTO reminders(occurrence, days_before, overdue, fire_at, "
      "state) SELECT ?1, days_before, overdue, fire_at, state FROM "
      "reminders_by_task WHERE task_id = ?2");
  if (!points.ok()) return points.status();
  return tasks->ForEachRow([&](const Statement& row) -> absl::Status {
    absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(row, 1);
    if (!task.ok()) return task.status();
    absl::StatusOr<absl::CivilDay> due =
        FromProto(task->due_date(), "due_date");
    // Points without a deadline: dropped.
    if (!due.ok()) return absl::OkStatus();
    occurrence->Reset();
    occurrence->Bind(task->id(), FormatDay(*due));
    absl::StatusOr<bool> inserted = occurrence->Step();
    if (!inserted.ok()) return inserted.status();
    const int64_t seq = occurrence->Int(0);
    if (absl::Status s = occurrence->Run(); !s.ok()) return s;
    points->Reset();
    points->Bind(seq, task->id());
    return points->Run();
  });
}

}  // namespace tiendo::plan
