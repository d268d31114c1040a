#include "services/common/shared_schema.h"

namespace tiendo {

const char kOutboxTablesSql[] = R"sql(
  CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    key TEXT NOT NULL,
    type TEXT NOT NULL,
    payload BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS event_sequence (
    source TEXT PRIMARY KEY,
    last INTEGER NOT NULL);
)sql";

const char kConsumerOffsetsTableSql[] = R"sql(
  CREATE TABLE IF NOT EXISTS consumer_offsets (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    PRIMARY KEY (topic, partition));
)sql";

const char kDeadLettersTableSql[] = R"sql(
  CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_topic TEXT NOT NULL,
    source_partition INTEGER NOT NULL,
    source_offset INTEGER NOT NULL,
    key BLOB,
    value BLOB NOT NULL,
    reason TEXT NOT NULL);
)sql";

const char kTokenGenerationsTableSql[] = R"sql(
  CREATE TABLE IF NOT EXISTS token_generations (
    account TEXT PRIMARY KEY,
    generation INTEGER NOT NULL);
)sql";

}  // namespace tiendo
