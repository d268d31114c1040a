#include "services/common/sqlite_backup.h"

#include <sqlite3.h>

#include <cstdio>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace tiendo {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Connection = std::unique_ptr<sqlite3, CloseDb>;

absl::Status Error(sqlite3* db, absl::string_view what,
                   absl::string_view path) {
  return absl::InternalError(
      absl::StrCat(what, " ", path, ": ", sqlite3_errmsg(db)));
}

absl::StatusOr<Connection> Connect(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Connection db(raw);
  if (rc != SQLITE_OK) {
    return absl::NotFoundError(absl::StrCat(
        "cannot open ", path, ": ",
        raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  return db;
}

absl::StatusOr<int64_t> ReadInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) {
    return Error(db, sql, "");
  }
  const int rc = sqlite3_step(q);
  const int64_t value = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
  sqlite3_finalize(q);
  if (rc != SQLITE_ROW) return Error(db, sql, "");
  return value;
}

absl::Status CheckIntegrity(sqlite3* db, absl::string_view path) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &q, nullptr) !=
      SQLITE_OK) {
    return Error(db, "cannot check", path);
  }
  std::string result;
  if (sqlite3_step(q) == SQLITE_ROW) {
    result = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  }
  sqlite3_finalize(q);
  if (result == "ok") return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat(path, " fails its integrity check: ", result));
}

// Copies every page of `from` into `to` in one step: one read transaction
// on the source, hence one consistent state. Retries while a writer holds
// the lock the copy needs.
absl::StatusOr<int64_t> CopyPages(sqlite3* from, sqlite3* to,
                                  absl::string_view what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Error(to, "cannot copy", what);
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
  } while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
           absl::Now() < deadline);
  const int64_t pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return absl::UnavailableError(absl::StrCat(
        "copying ", what, " did not complete: ", sqlite3_errstr(rc)));
  }
  return pages;
}

absl::StatusOr<CopyReport> Describe(sqlite3* copy, int64_t pages,
                                    const std::string& source,
                                    const std::string& destination) {
  absl::StatusOr<int64_t> page_size = ReadInt(copy, "PRAGMA page_size");
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<int64_t> version = ReadInt(copy, "PRAGMA user_version");
  if (!version.ok()) return version.status();
  CopyReport report;
  report.source = source;
  report.destination = destination;
  report.pages = pages;
  report.bytes = pages * *page_size;
  report.schema_version = static_cast<int>(*version);
  return report;
}

// Locks the store against every other process, or says it is in use.
absl::Status LockExclusively(sqlite3* db, const std::string& path) {
  sqlite3_busy_timeout(db, 0);
  if (sqlite3_exec(db,
                   "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;",
                   nullptr, nullptr, nullptr) == SQLITE_OK) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(path, " is in use (", sqlite3_errmsg(db),
                   "): stop its service before restoring"));
}

}  // namespace

absl::StatusOr<CopyReport> BackupDatabase(const std::string& source,
                                          const std::string& destination) {
  const absl::Time start = absl::Now();
  absl::StatusOr<Connection> from = Connect(source, SQLITE_OPEN_READWRITE);
  if (!from.ok()) return from.status();
  sqlite3_busy_timeout(from->get(), 5000);
  const std::string partial = destination + ".partial";
  std::remove(partial.c_str());
  absl::StatusOr<Connection> to =
      Connect(partial, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!to.ok()) return to.status();
  absl::StatusOr<int64_t> pages = CopyPages(from->get(), to->get(), source);
  if (!pages.ok()) return pages.status();
  if (absl::Status s = CheckIntegrity(to->get(), partial); !s.ok()) return s;
  absl::StatusOr<CopyReport> report =
      Describe(to->get(), *pages, source, destination);
  if (!report.ok()) return report;
  to->reset();
  if (std::rename(partial.c_str(), destination.c_str()) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot rename ", partial, " to ", destination));
  }
  report->took = absl::Now() - start;
  return report;
}

absl::StatusOr<CopyReport> RestoreDatabase(const std::string& backup,
                                           const std::string& store) {
  const absl::Time start = absl::Now();
  absl::StatusOr<Connection> from = Connect(backup, SQLITE_OPEN_READONLY);
  if (!from.ok()) return from.status();
  if (absl::Status s = CheckIntegrity(from->get(), backup); !s.ok()) return s;
  absl::StatusOr<Connection> to =
      Connect(store, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!to.ok()) return to.status();
  if (absl::Status s = LockExclusively(to->get(), store); !s.ok()) return s;
  absl::StatusOr<int64_t> pages = CopyPages(from->get(), to->get(), backup);
  if (!pages.ok()) return pages.status();
  // Nothing of the store's former content left in its WAL.
  sqlite3_exec(to->get(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr,
               nullptr);
  absl::StatusOr<CopyReport> report =
      Describe(to->get(), *pages, backup, store);
  if (!report.ok()) return report;
  report->took = absl::Now() - start;
  return report;
}

}  // namespace tiendo
