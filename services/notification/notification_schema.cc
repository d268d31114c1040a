#include "services/notification/notification_schema.h"

#include "absl/strings/str_cat.h"
#include "services/common/shared_schema.h"
#include "services/notification/stored_kinds.h"

namespace tiendo::notification {
namespace {

constexpr char kFirstSchema[] = R"sql(
  CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency TEXT NOT NULL,
    delivery_key TEXT NOT NULL UNIQUE,
    record BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS inbox_by_agency ON inbox(agency, id);
  CREATE TABLE IF NOT EXISTS task_status (
    task_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    done INTEGER NOT NULL);
)sql";

constexpr char kOccurrenceStatus[] = R"sql(
  CREATE TABLE IF NOT EXISTS occurrence_status (
    occurrence_id TEXT PRIMARY KEY,
    task_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    done INTEGER NOT NULL);
)sql";

constexpr char kDeliveries[] = R"sql(
  CREATE TABLE IF NOT EXISTS subscriptions (
    agency TEXT NOT NULL,
    id TEXT NOT NULL,
    record BLOB NOT NULL,
    PRIMARY KEY (agency, id));
  CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_key TEXT NOT NULL UNIQUE,
    agency TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    channel INTEGER NOT NULL,
    notification_id INTEGER NOT NULL,
    state INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_us INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    sent_us INTEGER,
    created_us INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS deliveries_due
    ON deliveries(state, next_attempt_us);
  CREATE INDEX IF NOT EXISTS deliveries_by_agency
    ON deliveries(agency, id);
  -- Read state apart from the entries, which stay as they arrived.
  CREATE TABLE IF NOT EXISTS inbox_read (
    id INTEGER PRIMARY KEY);
)sql";

constexpr char kDigests[] = R"sql(
  -- Deadline notifications waiting for a digest subscription's next
  -- digest, one per occurrence (item_key): an overdue notice replaces
  -- a reminder of the same occurrence, never the other way round.
  CREATE TABLE IF NOT EXISTS digest_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agency TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    task_id TEXT NOT NULL,
    occurrence_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    record BLOB NOT NULL,
    UNIQUE (agency, subscription_id, item_key));
  CREATE INDEX IF NOT EXISTS digest_items_by_task
    ON digest_items(task_id, occurrence_id);
  -- When each digest subscription's next digest is due.
  CREATE TABLE IF NOT EXISTS digest_schedule (
    agency TEXT NOT NULL,
    subscription_id TEXT NOT NULL,
    next_us INTEGER NOT NULL,
    PRIMARY KEY (agency, subscription_id));
  -- A digest is no inbox entry: its delivery carries its own record.
  ALTER TABLE deliveries ADD COLUMN record BLOB;
)sql";

}  // namespace

Schema NotificationSchema() {
  Schema schema;
  schema.name = "notification";
  schema.migrations.push_back(
      SqlMigration(1, "inbox, task status, consumer offsets", "inbox",
                   absl::StrCat(kFirstSchema, kConsumerOffsetsTableSql)));
  schema.migrations.push_back(SqlMigration(
      2, "occurrence status", "occurrence_status", kOccurrenceStatus));
  schema.migrations.push_back(
      SqlMigration(3, "subscriptions, deliveries, read state", "subscriptions",
                   kDeliveries));
  schema.migrations.push_back(
      SqlMigration(4, "dead letters", "dead_letters", kDeadLettersTableSql));
  schema.migrations.push_back(
      SqlMigration(5, "digests; deliveries carry their record",
                   "deliveries.record", kDigests));
  // A change of the records, not of the tables: no database made before
  // versions were kept has it, hence no marker.
  schema.migrations.push_back(Migration{
      6, "notification kinds stored as enum values", "", UpgradeStoredKinds});
  schema.migrations.push_back(SqlMigration(
      7, "token revocations", "token_generations", kTokenGenerationsTableSql));
  return schema;
}

}  // namespace tiendo::notification
