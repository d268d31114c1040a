#ifndef TIENDO_SERVICES_PLAN_PLAN_STORE_H_
#define TIENDO_SERVICES_PLAN_PLAN_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/outbox.h"
#include "services/common/paging.h"
#include "services/common/schema_migrations.h"
#include "services/common/sqlite.h"
#include "services/plan/plan_builder.h"
#include "services/plan/reminder_schedule.h"
#include "services/plan/text/agency_registry.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/plan.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::plan {

// The plan service's own database: plans, tasks, their occurrences with
// what is known of their completion, and the reminder points of every
// occurrence ordered by time (the scanner's index).
class PlanStore {
 public:
  PlanStore(Database& db, Outbox& outbox, ReminderRules rules = ReminderRules())
      : db_(db), outbox_(outbox), rules_(std::move(rules)) {}

  // Creates the tables, or brings those of an older version up to date
  // through the numbered migrations of DatabaseSchema(). Escalation points
  // needed no change of schema: occurrences stored before them keep their
  // points and get none.
  absl::Status Init();
  // The database's numbered migrations (plan_schema.cc); Init applies them.
  tiendo::Schema DatabaseSchema();

  // Stores the plan, its tasks, their occurrences and reminder points, and
  // queues one PlanChanged per task, in one transaction. AlreadyExists if
  // the plan id is taken.
  absl::Status CreatePlan(const PlanDraft& draft);

  absl::StatusOr<v1::Plan> GetPlan(const std::string& plan_id);
  // One page of plans by id, of tasks by plan and ordinal; sets
  // `next_page_token` when more follow.
  absl::StatusOr<std::vector<v1::Plan>> ListPlans(
      const std::string& unit, const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);
  absl::StatusOr<std::vector<v1::Task>> ListTasks(
      const std::string& plan_id, const std::string& unit,
      const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);
  // The task, whether it is done, and the reminder points of all its
  // occurrences by time, each naming its occurrence.
  absl::StatusOr<v1::GetTaskResponse> GetTask(const std::string& task_id);

  // The agency registry: the stored one, or the shipped default before the
  // first change.
  absl::StatusOr<plantext::AgencyRegistry> LoadRegistry();
  // Applies `change` to the registry and stores the result, in one
  // transaction; nothing is stored if `change` fails.
  absl::Status UpdateRegistry(
      const std::function<absl::Status(plantext::AgencyRegistry&)>& change);

  // Replaces the tasks a task implements (ids of stored tasks), bumps its
  // version and queues PlanChanged, in one transaction. NotFound names the
  // unknown id.
  absl::StatusOr<v1::Task> SetTaskLinks(const std::string& task_id,
                                        const std::vector<std::string>& links,
                                        bool confirmed);

  // Records that the outside event a triggered task waits for happened: the
  // task gets a KIND_TRIGGERED occurrence (TriggeredOccurrence), a new
  // version, reminder points for the occurrence, and a PlanChanged
  // (CHANGE_UPDATED) is queued, in one transaction; a task done as a whole
  // is no longer done, it has new work. Returns the task. A
  // request_id already seen for the same task returns the first answer and
  // changes nothing; seen for another task, InvalidArgument.
  absl::StatusOr<v1::Task> RecordTrigger(
      const v1::RecordTriggerRequest& request);

  // Inside the consumer's transaction: applies an execution state reported
  // by the progress service (ReminderChangeFor). With an occurrence id it
  // concerns that occurrence: done cancels its pending points, reopened
  // restores those still in the future, blocked makes its reminders go to
  // the standing body too. Without, it concerns every occurrence of the
  // task: a done task gets no more reminders at all. Versions not newer
  // than the last applied one, unknown tasks and unknown occurrences
  // change nothing.
  absl::Status ApplyTaskStatus(const v1::TaskUpdated& update, absl::Time now);
  // Inside a transaction: the same from the progress service's snapshot of
  // a task (resync after a gap in the stream), occurrence by occurrence.
  absl::Status ApplyTaskState(const v1::TaskState& state, absl::Time now);

  // Announces every reminder point reached by `now`: per occurrence the
  // latest one is sent (DeadlineApproaching queued in the outbox), earlier
  // ones are superseded. An escalation point goes to the standing body
  // above the task's unit as the registry has it now; when it has none,
  // the point is superseded and the occurrence's other points are settled
  // as if it did not exist. Points are taken in time order in batches of at
  // most `batch_points`, each batch one transaction that settles every due
  // point of the occurrences it touches, so an occurrence is announced once
  // however the batches fall. Returns how many were sent.
  absl::StatusOr<int> AnnounceDueReminders(absl::Time now,
                                           int batch_points = 10000);

  const ReminderRules& rules() const { return rules_; }

 private:
  // Records the change for a task whose last applied version is older than
  // `version`, then brings its points in line: cancelled while the task or
  // the occurrence is done, pending again (if still in the future) when
  // neither is.
  absl::Status ApplyChange(const std::string& task_id, uint64_t version,
                           const ReminderChange& change, absl::Time now);
  absl::Status MigrateTaskReminders();
  // One transaction: up to `batch_points` due points and every other due
  // point of their occurrences. `more` tells whether points were left.
  absl::StatusOr<int> AnnounceBatch(absl::Time now, int batch_points,
                                    bool& more);

  Database& db_;
  Outbox& outbox_;
  const ReminderRules rules_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_STORE_H_
