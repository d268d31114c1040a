#ifndef TIENDO_SERVICES_AGGREGATION_ROLLUP_BOOK_H_
#define TIENDO_SERVICES_AGGREGATION_ROLLUP_BOOK_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/time/civil_time.h"
#include "tiendo/v1/aggregation.pb.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo::aggregation {

// What the aggregator knows of one task: its definition (from plan-changed)
// and its latest execution state (from task-updated). Either may arrive
// first: the two come on different topics.
struct TrackedTask {
  std::optional<v1::Task> definition;
  std::optional<v1::TaskUpdated> state;
};

// The status a task is counted with. A TaskUpdated about one occurrence
// still carries the task's own status, percent and lateness (status,
// percent, completed_late) besides the occurrence's; the roll-up counts
// tasks, so it reads the task-level fields. Only when a producer leaves the
// task-level status unset is it derived from the occurrence's: not started
// and blocked carry over, any other reported state means the task is in
// progress, because one milestone or period done does not finish a task
// that has several.
v1::TaskStatus TaskLevelStatus(const v1::TaskUpdated& update);

// All tasks the aggregator follows, in memory, and the roll-ups computed
// from them. Plain data: persistence and the stream live elsewhere.
class RollupBook {
 public:
  // Returns false (and changes nothing) for an older definition.
  bool ApplyDefinition(const v1::Task& task);
  // Returns false (and changes nothing) for an update whose per-task version
  // is not newer than the one applied: that makes redelivery harmless.
  bool ApplyUpdate(const v1::TaskUpdated& update);

  // The unit's roll-up on `today` (overdue is judged against it). Tasks
  // whose definition has not arrived yet are not counted.
  v1::Rollup Rollup(const std::string& unit, absl::CivilDay today) const;

  const TrackedTask* Find(const std::string& task_id) const;
  size_t size() const { return tasks_.size(); }

 private:
  // Ordered so roll-ups list the same way every time.
  absl::btree_map<std::string, TrackedTask> tasks_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_ROLLUP_BOOK_H_
