#include "services/common/schema_migrations.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/log.h"

namespace tiendo {
namespace {

absl::StatusOr<bool> HasRow(Database& db, absl::string_view sql,
                            absl::string_view a, absl::string_view b = "") {
  absl::StatusOr<Statement> q = db.Prepare(sql);
  if (!q.ok()) return q.status();
  q->Bind(a, b);
  return q->Step();
}

// Whether the database has the table, or "table.column".
absl::StatusOr<bool> HasMarker(Database& db, absl::string_view marker) {
  std::pair<std::string, std::string> parts =
      absl::StrSplit(marker, absl::MaxSplits('.', 1));
  if (parts.second.empty()) {
    return HasRow(db,
                  "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                  "name = ?1 AND ?2 = ''",
                  parts.first);
  }
  return HasRow(db, "SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2",
                parts.first, parts.second);
}

absl::StatusOr<int> ReadInt(Database& db, absl::string_view sql) {
  absl::StatusOr<Statement> q = db.Prepare(sql);
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return *row ? static_cast<int>(q->Int(0)) : 0;
}

absl::Status CheckNumbering(const Schema& schema) {
  for (size_t i = 0; i < schema.migrations.size(); ++i) {
    if (schema.migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(
          absl::StrCat(schema.name, " schema: migration ", i + 1,
                       " is numbered ", schema.migrations[i].version));
    }
  }
  return absl::OkStatus();
}

absl::Status SetVersion(Database& db, int version) {
  return db.Exec(absl::StrCat("PRAGMA user_version = ", version));
}

// The version of a database made before versions were kept: that of the
// newest migration whose marker it has (0 when it has none: its tables are
// created by migration 1, which creates only what is missing). Stamped
// once, in the same transaction.
absl::StatusOr<int> RecogniseUnversioned(Database& db, const Schema& schema) {
  int version = 0;
  for (const Migration& m : schema.migrations) {
    absl::StatusOr<bool> has = HasMarker(db, m.marker);
    if (!has.ok()) return has.status();
    if (*has) version = m.version;
  }
  if (version > 0) {
    if (absl::Status s = SetVersion(db, version); !s.ok()) return s;
  }
  return version;
}

// The database's version, recognising an unversioned one.
absl::StatusOr<MigrationResult> CurrentVersion(Database& db,
                                               const Schema& schema) {
  MigrationResult result;
  absl::Status status = db.Transaction([&]() -> absl::Status {
    absl::StatusOr<int> version = SchemaVersion(db);
    if (!version.ok()) return version.status();
    absl::StatusOr<int> tables =
        ReadInt(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
    if (!tables.ok()) return tables.status();
    result.found = *version;
    if (*version != 0 || *tables == 0) return absl::OkStatus();
    result.recognised = true;
    absl::StatusOr<int> recognised = RecogniseUnversioned(db, schema);
    if (!recognised.ok()) return recognised.status();
    result.found = *recognised;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace

Migration SqlMigration(int version, std::string summary, std::string marker,
                       std::string sql) {
  return Migration{
      version, std::move(summary), std::move(marker),
      [sql = std::move(sql)](Database& db) { return db.Exec(sql); }};
}

absl::StatusOr<int> SchemaVersion(Database& db) {
  return ReadInt(db, "PRAGMA user_version");
}

absl::StatusOr<MigrationResult> MigrateSchema(Database& db,
                                              const Schema& schema,
                                              int target) {
  if (absl::Status s = CheckNumbering(schema); !s.ok()) return s;
  if (target < 0) target = schema.Latest();
  absl::StatusOr<MigrationResult> result = CurrentVersion(db, schema);
  if (!result.ok()) return result.status();
  if (result->found > schema.Latest()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", schema.name, " database has schema version ", result->found,
        ", newer than this program knows (", schema.Latest(),
        "): run a newer version, or restore a backup made by this one"));
  }
  for (int v = result->found + 1; v <= target; ++v) {
    const Migration& m = schema.migrations[v - 1];
    absl::Status s = db.Transaction([&]() -> absl::Status {
      if (absl::Status applied = m.apply(db); !applied.ok()) return applied;
      return SetVersion(db, v);
    });
    if (!s.ok()) {
      return absl::Status(
          s.code(), absl::StrCat(schema.name, " schema migration ", v, " (",
                                 m.summary, "): ", s.message()));
    }
    ++result->applied;
    if (result->found > 0) {
      LogInfo("%s database: schema migration %d applied (%s)", schema.name, v,
              m.summary);
    }
  }
  return result;
}

}  // namespace tiendo
