#ifndef TIENDO_SERVICES_AGGREGATION_ROLLUP_STORE_H_
#define TIENDO_SERVICES_AGGREGATION_ROLLUP_STORE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/aggregation/rollup_book.h"
#include "services/common/sqlite.h"

namespace tiendo::aggregation {

// The roll-up book, checkpointed in the aggregator's own database. Changes
// are written to SQLite inside the consumer's transaction and reach the
// in-memory book only once that transaction committed, so memory never
// holds what the disk lost.
class RollupStore {
 public:
  explicit RollupStore(Database& db) : db_(db) {}

  // Creates tables and loads the book.
  absl::Status Init();

  // Inside the consumer's transaction.
  absl::Status StageDefinition(const v1::Task& task);
  absl::Status StageUpdate(const v1::TaskUpdated& update);
  // After commit / rollback of that transaction.
  void Commit();
  void Discard();

  // Rebuilds from the owners' snapshots (after a gap in the stream), in a
  // transaction of its own; the version guards keep newer state.
  absl::Status Restore(const std::vector<v1::Task>& tasks,
                       const std::vector<v1::TaskUpdated>& states);

  v1::Rollup Rollup(const std::string& unit, absl::CivilDay today) const;

 private:
  // Upserts guarded by version; true when the row changed.
  absl::StatusOr<bool> WriteDefinition(const v1::Task& task);
  absl::StatusOr<bool> WriteUpdate(const v1::TaskUpdated& update);

  Database& db_;
  mutable absl::Mutex mu_;
  RollupBook book_ ABSL_GUARDED_BY(mu_);
  // Only the consumer thread stages.
  std::vector<v1::Task> staged_definitions_;
  std::vector<v1::TaskUpdated> staged_updates_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_ROLLUP_STORE_H_
