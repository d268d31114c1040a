#ifndef TIENDO_SERVICES_AGGREGATION_EXECUTION_HISTORY_H_
#define TIENDO_SERVICES_AGGREGATION_EXECUTION_HISTORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::aggregation {

// Everything the aggregator knows of every task, with its history: each
// definition, each task-level state and each occurrence's state with the
// instant it took effect, and every measurement with the instant it was
// recorded. Queries read the state as of any instant from it without
// replaying anything (a binary search per task), so "as it was on 30/6" is
// as cheap as "now". Plain data: persistence and the stream live elsewhere.
//
// Instants are the producers' (a report's reported_at, an event's
// occurred_at), so a simulated clock gives repeatable histories.
class ExecutionHistory {
 public:
  struct Definition {
    absl::Time at;
    std::shared_ptr<const v1::Task> task;
  };
  // The task as a whole after a report.
  struct TaskLevel {
    absl::Time at;
    uint64_t version = 0;
    v1::TaskStatus status = v1::TASK_STATUS_NOT_STARTED;
    int32_t percent = 0;
    std::optional<absl::CivilDay> completed_on;
    bool completed_late = false;
    // A task without occurrences keeps its open difficulty here.
    std::string difficulty;
    std::string difficulty_raised_by;
    std::optional<absl::CivilDay> difficulty_raised_on;
  };
  // One occurrence after a report on it, as reported (never "overdue" or
  // "done late": those are judged against the query's date).
  struct OccurrenceLevel {
    absl::Time at;
    v1::OccurrenceStatus status = v1::OCCURRENCE_STATUS_NOT_STARTED;
    int32_t percent = 0;
    std::optional<absl::CivilDay> completed_on;
    std::string difficulty;
    std::string difficulty_raised_by;
    std::optional<absl::CivilDay> difficulty_raised_on;
  };
  struct Measurement {
    absl::Time at;
    absl::CivilDay as_of;
    int64_t numerator = 0;
    int64_t denominator = 0;
  };
  // Measurements of one task: indicator code -> unit measured -> records,
  // ordered by as_of then recording time.
  using MeasurementSeries =
      absl::btree_map<std::string,
                      absl::btree_map<std::string, std::vector<Measurement>>>;

  struct Task {
    std::vector<Definition> definitions;
    std::vector<TaskLevel> levels;
    absl::flat_hash_map<std::string, std::vector<OccurrenceLevel>> occurrences;
    MeasurementSeries measurements;
  };

  enum class Applied {
    kApplied,
    // Not newer than what is known (redelivered, or older): nothing changed.
    kStale,
    // Applied, but versions were skipped: events were missed.
    kAfterGap,
  };

  // A definition newer than the known one (by version).
  bool ApplyDefinition(const v1::Task& task, absl::Time at);
  // A task-updated event: the task-level state and the occurrence's. Its
  // measurements are applied separately (ApplyMeasurement), since they are
  // kept apart from the versioned state.
  Applied ApplyUpdate(const v1::TaskUpdated& update, absl::Time at);
  // A snapshot of a task's state (statuses as reported): applied when newer
  // than the known version, as of `at`.
  bool ApplyState(const v1::TaskState& state, absl::Time at);
  // A measurement recorded at `at` by report `report_id`; false when that
  // report's measurement of the same indicator, unit and date is known.
  bool ApplyMeasurement(const std::string& task_id,
                        const v1::Measurement& measurement,
                        const std::string& report_id, absl::Time at);
  void Clear();

  const Task* Find(const std::string& task_id) const;
  // Every task, in id order.
  const absl::btree_map<std::string, Task>& tasks() const { return tasks_; }
  // Ids of the tasks of a unit's plans.
  const absl::btree_set<std::string>* TasksOfUnit(
      const std::string& unit) const;
  // The units with tasks.
  std::vector<std::string> Units() const;
  // The last applied task-level version (0 before any report).
  uint64_t StateVersion(const std::string& task_id) const;
  uint64_t DefinitionVersion(const std::string& task_id) const;

  // What was in effect at `at`; nullptr (nullopt) before anything was.
  static const v1::Task* DefinitionAt(const Task& task, absl::Time at);
  static const TaskLevel* LevelAt(const Task& task, absl::Time at);
  static const OccurrenceLevel* OccurrenceAt(const Task& task,
                                             const std::string& occurrence_id,
                                             absl::Time at);
  // The measurement of `unit` with the latest as_of on or before `day`
  // among those recorded by `at` (a later recording of the same date
  // corrects an earlier one).
  static const Measurement* MeasurementAt(
      const std::vector<Measurement>& series, absl::CivilDay day,
      absl::Time at);

 private:
  Task& Tracked(const std::string& task_id);
  void AddOccurrenceLevel(Task& task, const std::string& occurrence_id,
                          OccurrenceLevel level);

  absl::btree_map<std::string, Task> tasks_;
  absl::btree_map<std::string, absl::btree_set<std::string>> by_unit_;
  // "<report id>|<task>|<indicator>|<unit>|<as_of>" of every measurement.
  absl::flat_hash_set<std::string> measurement_keys_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_EXECUTION_HISTORY_H_
