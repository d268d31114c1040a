#include "services/aggregation/execution_history.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"

namespace tiendo::aggregation {
namespace {

// The status a task is counted with. A TaskUpdated about one occurrence
// still carries the task's own status; only when a producer leaves it unset
// is it derived from the occurrence's: not started and blocked carry over,
// any other reported state means the task is in progress, because one
// milestone or period done does not finish a task that has several.
v1::TaskStatus TaskLevelStatus(const v1::TaskUpdated& update) {
  if (update.status() != v1::TASK_STATUS_UNSPECIFIED) return update.status();
  switch (update.occurrence_status()) {
    case v1::OCCURRENCE_STATUS_UNSPECIFIED:
    case v1::OCCURRENCE_STATUS_NOT_STARTED:
      return v1::TASK_STATUS_NOT_STARTED;
    case v1::OCCURRENCE_STATUS_BLOCKED:
      return v1::TASK_STATUS_BLOCKED;
    default:
      return v1::TASK_STATUS_IN_PROGRESS;
  }
}

ExecutionHistory::OccurrenceLevel FromState(const v1::OccurrenceState& state,
                                            absl::Time at) {
  ExecutionHistory::OccurrenceLevel level;
  level.at = at;
  level.status = ReportedOccurrenceStatus(state);
  level.percent = state.percent();
  level.completed_on = DayOf(state.completed_on());
  level.difficulty = state.open_difficulty();
  level.difficulty_raised_by = state.difficulty_raised_by();
  level.difficulty_raised_on = DayOf(state.difficulty_raised_on());
  return level;
}

// Inserts keeping the vector ordered by `at`; records with the same instant
// keep their arrival order.
template <typename Record>
void InsertByTime(std::vector<Record>& records, Record record) {
  auto it =
      std::upper_bound(records.begin(), records.end(), record.at,
                       [](absl::Time t, const Record& r) { return t < r.at; });
  records.insert(it, std::move(record));
}

// The last record in effect at `at` of records ordered by `at`.
template <typename Record>
const Record* LastAt(const std::vector<Record>& records, absl::Time at) {
  auto it =
      std::upper_bound(records.begin(), records.end(), at,
                       [](absl::Time t, const Record& r) { return t < r.at; });
  if (it == records.begin()) return nullptr;
  return &*std::prev(it);
}

}  // namespace

ExecutionHistory::Task& ExecutionHistory::Tracked(const std::string& task_id) {
  return tasks_[task_id];
}

bool ExecutionHistory::ApplyDefinition(const v1::Task& task, absl::Time at) {
  Task& t = Tracked(task.id());
  if (!t.definitions.empty()) {
    const v1::Task& latest = *t.definitions.back().task;
    if (latest.version() >= task.version()) return false;
    // A definition never takes effect before the one it replaces.
    at = std::max(at, t.definitions.back().at);
  }
  t.definitions.push_back({at, std::make_shared<const v1::Task>(task)});
  by_unit_[task.unit()].insert(task.id());
  return true;
}

void ExecutionHistory::AddOccurrenceLevel(Task& task,
                                          const std::string& occurrence_id,
                                          OccurrenceLevel level) {
  InsertByTime(task.occurrences[occurrence_id], std::move(level));
}

ExecutionHistory::Applied ExecutionHistory::ApplyUpdate(
    const v1::TaskUpdated& update, absl::Time at) {
  Task& t = Tracked(update.task_id());
  const uint64_t current = t.levels.empty() ? 0 : t.levels.back().version;
  if (update.version() <= current) return Applied::kStale;
  TaskLevel level;
  level.at = t.levels.empty() ? at : std::max(at, t.levels.back().at);
  level.version = update.version();
  level.status = TaskLevelStatus(update);
  level.percent = level.status == v1::TASK_STATUS_DONE ? 100 : update.percent();
  level.completed_on = DayOf(update.completed_on());
  level.completed_late = update.completed_late();
  if (update.occurrence_id().empty()) {
    // A task-level report: the difficulty follows it, as the progress
    // service keeps it.
    if (!t.levels.empty()) {
      level.difficulty = t.levels.back().difficulty;
      level.difficulty_raised_by = t.levels.back().difficulty_raised_by;
      level.difficulty_raised_on = t.levels.back().difficulty_raised_on;
    }
    if (update.difficulty_resolved()) {
      level.difficulty.clear();
      level.difficulty_raised_by.clear();
      level.difficulty_raised_on.reset();
    }
    if (!update.difficulty().empty()) {
      level.difficulty = update.difficulty();
      level.difficulty_raised_by = update.reporting_agency();
      level.difficulty_raised_on = LocalDay(
          update.has_reported_at() ? FromProto(update.reported_at()) : at);
    }
  }
  const absl::Time effective = level.at;
  t.levels.push_back(std::move(level));

  if (update.has_occurrence_state()) {
    AddOccurrenceLevel(t, update.occurrence_id(),
                       FromState(update.occurrence_state(), effective));
  } else if (!update.occurrence_id().empty()) {
    // Older producers sent only the occurrence's computed status: the
    // difficulty follows the report, the rest the status.
    const std::vector<OccurrenceLevel>& before =
        t.occurrences[update.occurrence_id()];
    OccurrenceLevel o = before.empty() ? OccurrenceLevel() : before.back();
    o.at = effective;
    v1::OccurrenceState state;
    state.set_status(update.occurrence_status());
    state.set_percent(update.percent());
    if (update.difficulty_resolved()) {
      // Who raised it and when go with it, as in a stored state.
      o.difficulty.clear();
      o.difficulty_raised_by.clear();
      o.difficulty_raised_on.reset();
    }
    if (!update.difficulty().empty()) {
      o.difficulty = update.difficulty();
      o.difficulty_raised_by = update.reporting_agency();
      o.difficulty_raised_on = LocalDay(effective);
    }
    state.set_open_difficulty(o.difficulty);
    o.status = ReportedOccurrenceStatus(state);
    o.percent = update.percent();
    o.completed_on = o.status == v1::OCCURRENCE_STATUS_DONE
                         ? DayOf(update.completed_on())
                         : std::nullopt;
    if (o.status == v1::OCCURRENCE_STATUS_DONE && !o.completed_on) {
      o.completed_on = LocalDay(effective);
    }
    AddOccurrenceLevel(t, update.occurrence_id(), std::move(o));
  }
  const bool skipped = update.version() > current + 1;
  return skipped ? Applied::kAfterGap : Applied::kApplied;
}

bool ExecutionHistory::ApplyState(const v1::TaskState& state, absl::Time at) {
  Task& t = Tracked(state.task_id());
  const uint64_t current = t.levels.empty() ? 0 : t.levels.back().version;
  if (state.version() <= current) return false;
  TaskLevel level;
  level.at = t.levels.empty() ? at : std::max(at, t.levels.back().at);
  level.version = state.version();
  level.status = state.status() == v1::TASK_STATUS_UNSPECIFIED
                     ? v1::TASK_STATUS_NOT_STARTED
                     : state.status();
  level.percent = level.status == v1::TASK_STATUS_DONE ? 100 : state.percent();
  level.completed_on = DayOf(state.completed_on());
  level.completed_late = state.completed_late();
  level.difficulty = state.open_difficulty();
  level.difficulty_raised_by = state.difficulty_raised_by();
  level.difficulty_raised_on = DayOf(state.difficulty_raised_on());
  const absl::Time effective = level.at;
  t.levels.push_back(std::move(level));
  for (const v1::OccurrenceState& o : state.occurrences()) {
    OccurrenceLevel next = FromState(o, effective);
    const std::vector<OccurrenceLevel>& before =
        t.occurrences[o.occurrence().id()];
    // Only what changed: an occurrence the snapshot shows as it already was
    // keeps its history.
    if (!before.empty()) {
      const OccurrenceLevel& last = before.back();
      if (last.status == next.status && last.percent == next.percent &&
          last.completed_on == next.completed_on &&
          last.difficulty == next.difficulty &&
          last.difficulty_raised_by == next.difficulty_raised_by &&
          last.difficulty_raised_on == next.difficulty_raised_on) {
        continue;
      }
    } else if (next.status == v1::OCCURRENCE_STATUS_NOT_STARTED &&
               next.percent == 0 && next.difficulty.empty()) {
      continue;  // untouched: the same as knowing nothing
    }
    AddOccurrenceLevel(t, o.occurrence().id(), std::move(next));
  }
  return true;
}

bool ExecutionHistory::ApplyMeasurement(const std::string& task_id,
                                        const v1::Measurement& measurement,
                                        const std::string& report_id,
                                        absl::Time at) {
  std::optional<absl::CivilDay> as_of = DayOf(measurement.as_of());
  if (!as_of || measurement.indicator().empty()) return false;
  Task& t = Tracked(task_id);
  std::string unit = measurement.unit();
  if (unit.empty() && !t.definitions.empty()) {
    unit = t.definitions.back().task->unit();
  }
  std::string key =
      absl::StrCat(report_id, "|", task_id, "|", measurement.indicator(), "|",
                   unit, "|", FormatDay(*as_of));
  if (!measurement_keys_.insert(std::move(key)).second) return false;
  std::vector<Measurement>& series =
      t.measurements[measurement.indicator()][unit];
  Measurement m{.at = at,
                .as_of = *as_of,
                .numerator = measurement.numerator(),
                .denominator = measurement.denominator()};
  auto it = std::upper_bound(series.begin(), series.end(), m,
                             [](const Measurement& a, const Measurement& b) {
                               if (a.as_of != b.as_of) return a.as_of < b.as_of;
                               return a.at < b.at;
                             });
  series.insert(it, m);
  return true;
}

void ExecutionHistory::Clear() {
  tasks_.clear();
  by_unit_.clear();
  measurement_keys_.clear();
}

const ExecutionHistory::Task* ExecutionHistory::Find(
    const std::string& task_id) const {
  auto it = tasks_.find(task_id);
  return it == tasks_.end() ? nullptr : &it->second;
}

const absl::btree_set<std::string>* ExecutionHistory::TasksOfUnit(
    const std::string& unit) const {
  auto it = by_unit_.find(unit);
  return it == by_unit_.end() ? nullptr : &it->second;
}

std::vector<std::string> ExecutionHistory::Units() const {
  std::vector<std::string> out;
  for (const auto& [unit, tasks] : by_unit_) out.push_back(unit);
  return out;
}

uint64_t ExecutionHistory::StateVersion(const std::string& task_id) const {
  const Task* t = Find(task_id);
  return t == nullptr || t->levels.empty() ? 0 : t->levels.back().version;
}

uint64_t ExecutionHistory::DefinitionVersion(const std::string& task_id) const {
  const Task* t = Find(task_id);
  return t == nullptr || t->definitions.empty()
             ? 0
             : t->definitions.back().task->version();
}

const v1::Task* ExecutionHistory::DefinitionAt(const Task& task,
                                               absl::Time at) {
  const Definition* d = LastAt(task.definitions, at);
  return d == nullptr ? nullptr : d->task.get();
}

const ExecutionHistory::TaskLevel* ExecutionHistory::LevelAt(const Task& task,
                                                             absl::Time at) {
  return LastAt(task.levels, at);
}

const ExecutionHistory::OccurrenceLevel* ExecutionHistory::OccurrenceAt(
    const Task& task, const std::string& occurrence_id, absl::Time at) {
  auto it = task.occurrences.find(occurrence_id);
  if (it == task.occurrences.end()) return nullptr;
  return LastAt(it->second, at);
}

const ExecutionHistory::Measurement* ExecutionHistory::MeasurementAt(
    const std::vector<Measurement>& series, absl::CivilDay day, absl::Time at) {
  // Ordered by as_of then recording time: from the back, the first one on
  // or before `day` recorded by `at` is the one in effect.
  for (auto it = series.rbegin(); it != series.rend(); ++it) {
    if (it->as_of > day || it->at > at) continue;
    return &*it;
  }
  return nullptr;
}

}  // namespace tiendo::aggregation
