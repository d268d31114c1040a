#ifndef TIENDO_SERVICES_AGGREGATION_AGGREGATION_STORE_H_
#define TIENDO_SERVICES_AGGREGATION_AGGREGATION_STORE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/aggregation/execution_history.h"
#include "services/aggregation/rollup_view.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/schema_migrations.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/aggregation.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::aggregation {

// What the owning services hold now: the plan service's tasks, the
// progress service's task states (statuses as reported) and measurements.
struct OwnerSnapshot {
  // The plan service's registry units.
  std::vector<v1::UnitRef> units;
  std::vector<v1::Task> tasks;
  std::vector<v1::TaskState> states;
  std::vector<v1::RecordedMeasurement> measurements;
};

// The execution history in memory, checkpointed in the aggregator's own
// database as the log of what was applied: every newer definition and
// state with its instant, and every measurement once. At start the log is
// read back into memory; queries never touch the disk.
//
// Changes are written to SQLite inside the consumer's transaction and reach
// memory only once that transaction committed, so memory never holds what
// the disk lost. Version guards live in the same transaction: a redelivered
// or older event changes nothing.
class AggregationStore {
 public:
  AggregationStore(Database& db, UnitTree units)
      : db_(db), units_(std::move(units)) {}

  // The code of the unit's parent ("" at the top or when unknown): where a
  // caller's scope is checked.
  std::string ParentOf(const std::string& code) const;

  // Creates the tables, or brings those of an older version up to date
  // (DatabaseSchema: the first kept one state per task, without history),
  // and loads the log.
  absl::Status Init();
  // The database's numbered migrations (aggregation_schema.cc).
  Schema DatabaseSchema();

  // Inside the consumer's transaction, at the producer's instant `at`.
  absl::Status StageDefinition(const v1::Task& task, absl::Time at);
  // Inside the consumer's transaction: units as the plan service knows
  // them (the hierarchy is learnt from the stream).
  absl::Status StageUnits(const std::vector<v1::UnitRef>& units);
  // Sets `gap` when versions of the task were skipped.
  absl::Status StageUpdate(const v1::TaskUpdated& update, absl::Time at,
                           bool& gap);
  // After commit / rollback of that transaction.
  void Commit();
  void Discard();

  // After a gap: what the snapshot has that the store lacks (newer
  // definitions and states, measurements not seen), as of `at`, keeping
  // the history. One transaction.
  absl::Status Merge(const OwnerSnapshot& snapshot, absl::Time at);
  // Drops everything and loads the snapshot: definitions as known from the
  // start, states as of their last report, measurements as recorded.
  // `progress` is told how far it got. One transaction.
  absl::Status Replace(
      const OwnerSnapshot& snapshot,
      const std::function<void(const v1::RebuildProgress&)>& progress);

  // Runs `query` on a view at `at`, under the lock readers share.
  template <typename Fn>
  auto Query(absl::Time at, Fn query) const {
    absl::ReaderMutexLock lock(&mu_);
    RollupView view(history_, units_, at);
    return query(view);
  }

  std::vector<v1::AggregationUnit> Units() const;
  // Rows in the change log (tests, metrics).
  absl::StatusOr<int64_t> LoggedChanges();

 private:
  enum Kind { kDefinition = 1, kUpdate = 2, kState = 3 };
  struct Pending {
    Kind kind;
    absl::Time at;
    v1::Task task;
    v1::TaskUpdated update;
    v1::TaskState state;
  };
  struct PendingMeasurement {
    std::string task_id;
    std::string report_id;
    v1::Measurement measurement;
    absl::Time at;
  };

  // Inside a transaction: stages what the snapshot has that is newer than
  // the store's, definitions as of `defined_at`, telling `tell` (phase,
  // done, total) how far it got.
  absl::Status StageSnapshot(
      const OwnerSnapshot& snapshot, absl::Time defined_at,
      const std::function<void(v1::RebuildProgress::Phase, int64_t, int64_t)>&
          tell);
  absl::Status TakeOverPreviousTables();
  absl::Status Load();
  // Inside a transaction: guards and logs; returns whether it is newer.
  absl::StatusOr<bool> LogDefinition(const v1::Task& task, absl::Time at);
  // Returns the version before, or nullopt when not newer.
  absl::StatusOr<std::optional<uint64_t>> LogState(
      const std::string& task_id, uint64_t version, Kind kind,
      const google::protobuf::Message& record, absl::Time at);
  absl::StatusOr<bool> LogMeasurement(const std::string& task_id,
                                      const std::string& report_id,
                                      const v1::Measurement& measurement,
                                      absl::Time at);
  void ApplyLocked(const Pending& p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void ApplyLocked(const PendingMeasurement& m)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Database& db_;
  mutable absl::Mutex mu_;
  ExecutionHistory history_ ABSL_GUARDED_BY(mu_);
  UnitTree units_ ABSL_GUARDED_BY(mu_);
  // Only the thread holding the database stages.
  std::vector<Pending> staged_;
  std::vector<PendingMeasurement> staged_measurements_;
  std::vector<v1::UnitRef> staged_units_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_AGGREGATION_STORE_H_
