#ifndef TIENDO_SERVICES_COMMON_SCHEMA_MIGRATIONS_H_
#define TIENDO_SERVICES_COMMON_SCHEMA_MIGRATIONS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/sqlite.h"

namespace tiendo {

// One numbered change of a database's schema. A database's version (kept in
// PRAGMA user_version) is the number of the last migration applied to it.
struct Migration {
  int version = 0;
  std::string summary;
  // What a database of this version made before versions were kept has
  // (a table name, or "table.column"): how such a database is recognised.
  std::string marker;
  // Runs inside the migration's own transaction.
  std::function<absl::Status(Database&)> apply;
};

// A migration that runs SQL.
Migration SqlMigration(int version, std::string summary, std::string marker,
                       std::string sql);

// The schema of one database file: every migration since the first shipped
// schema, in order (versions 1, 2, ...).
struct Schema {
  std::string name;  // for messages: "plan", "progress", ...
  std::vector<Migration> migrations;
  int Latest() const { return static_cast<int>(migrations.size()); }
};

// What MigrateSchema found and did.
struct MigrationResult {
  int found = 0;    // the version the database had (or was recognised as)
  int applied = 0;  // migrations run
  bool recognised = false;  // made before versions were kept
};

// Brings the database to schema.Latest(), or to `target` when given (tests
// build databases of earlier versions this way): each migration above the
// database's version in a transaction of its own, in order. A database made
// before versions were kept (user_version 0 with tables) is first given the
// version of its shape. A database newer than the schema is refused.
absl::StatusOr<MigrationResult> MigrateSchema(Database& db,
                                              const Schema& schema,
                                              int target = -1);

// PRAGMA user_version.
absl::StatusOr<int> SchemaVersion(Database& db);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_SCHEMA_MIGRATIONS_H_
