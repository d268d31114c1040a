#ifndef TIENDO_SERVICES_COMMON_SQLITE_BACKUP_H_
#define TIENDO_SERVICES_COMMON_SQLITE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace tiendo {

// What one copy did.
struct CopyReport {
  std::string source;
  std::string destination;
  int64_t pages = 0;
  int64_t bytes = 0;
  int schema_version = 0;  // PRAGMA user_version of the copy
  absl::Duration took;
};

// Copies a store's database, live (WAL mode, services writing), into
// `destination` with SQLite's online backup API: the copy is the database
// as of one committed transaction. Written beside the destination first
// and renamed over it once complete and checked.
absl::StatusOr<CopyReport> BackupDatabase(const std::string& source,
                                          const std::string& destination);

// Replaces the store's database with the backup's content. Refused while
// any process has the store open (its service must be stopped): the store
// is locked exclusively for the whole copy.
absl::StatusOr<CopyReport> RestoreDatabase(const std::string& backup,
                                           const std::string& store);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_SQLITE_BACKUP_H_
