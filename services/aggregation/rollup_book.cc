#include "services/aggregation/rollup_book.h"

#include "services/common/proto_convert.h"

namespace tiendo::aggregation {
namespace {

// Adds one task to a StatusCounts. percent_complete holds the sum of
// percents until Finish() divides it.
void Count(const TrackedTask& t, absl::CivilDay today, v1::StatusCounts& c) {
  const v1::TaskStatus status =
      t.state ? TaskLevelStatus(*t.state) : v1::TASK_STATUS_NOT_STARTED;
  const int percent = status == v1::TASK_STATUS_DONE ? 100
                      : t.state                      ? t.state->percent()
                                                     : 0;
  c.set_total(c.total() + 1);
  switch (status) {
    case v1::TASK_STATUS_IN_PROGRESS:
      c.set_in_progress(c.in_progress() + 1);
      break;
    case v1::TASK_STATUS_DONE:
      c.set_done(c.done() + 1);
      if (t.state->completed_late()) c.set_done_late(c.done_late() + 1);
      break;
    case v1::TASK_STATUS_BLOCKED:
      c.set_blocked(c.blocked() + 1);
      break;
    default:
      c.set_not_started(c.not_started() + 1);
      break;
  }
  if (status != v1::TASK_STATUS_DONE && IsSet(t.definition->due_date())) {
    absl::StatusOr<absl::CivilDay> due =
        FromProto(t.definition->due_date(), "due_date");
    if (due.ok() && today > *due) c.set_overdue(c.overdue() + 1);
  }
  c.set_percent_complete(c.percent_complete() + percent);
}

void Finish(v1::StatusCounts& c) {
  if (c.total() > 0) c.set_percent_complete(c.percent_complete() / c.total());
}

}  // namespace

v1::TaskStatus TaskLevelStatus(const v1::TaskUpdated& update) {
  if (update.status() != v1::TASK_STATUS_UNSPECIFIED) return update.status();
  switch (update.occurrence_status()) {
    case v1::OCCURRENCE_STATUS_UNSPECIFIED:
      return v1::TASK_STATUS_UNSPECIFIED;
    case v1::OCCURRENCE_STATUS_NOT_STARTED:
      return v1::TASK_STATUS_NOT_STARTED;
    case v1::OCCURRENCE_STATUS_BLOCKED:
      return v1::TASK_STATUS_BLOCKED;
    default:
      // Work on one occurrence has been reported; whether that finishes the
      // task is for the task-level status to say.
      return v1::TASK_STATUS_IN_PROGRESS;
  }
}

bool RollupBook::ApplyDefinition(const v1::Task& task) {
  TrackedTask& t = tasks_[task.id()];
  if (t.definition && t.definition->version() > task.version()) return false;
  t.definition = task;
  return true;
}

bool RollupBook::ApplyUpdate(const v1::TaskUpdated& update) {
  TrackedTask& t = tasks_[update.task_id()];
  if (t.state && t.state->version() >= update.version()) return false;
  t.state = update;
  return true;
}

const TrackedTask* RollupBook::Find(const std::string& task_id) const {
  auto it = tasks_.find(task_id);
  return it == tasks_.end() ? nullptr : &it->second;
}

v1::Rollup RollupBook::Rollup(const std::string& unit,
                              absl::CivilDay today) const {
  v1::Rollup rollup;
  rollup.set_unit(unit);
  *rollup.mutable_as_of() = ToProto(today);
  absl::btree_map<std::string, v1::StatusCounts> by_agency;
  uint64_t reports = 0;
  for (const auto& [id, t] : tasks_) {
    if (!t.definition || t.definition->unit() != unit) continue;
    Count(t, today, *rollup.mutable_totals());
    for (const std::string& agency : t.definition->lead_agencies()) {
      Count(t, today, by_agency[agency]);
    }
    if (t.state) reports += t.state->version();
  }
  Finish(*rollup.mutable_totals());
  for (auto& [agency, counts] : by_agency) {
    Finish(counts);
    v1::AgencyRollup* a = rollup.add_by_lead_agency();
    a->set_agency(agency);
    *a->mutable_counts() = counts;
  }
  rollup.set_reports_applied(reports);
  return rollup;
}

}  // namespace tiendo::aggregation
