#ifndef TIENDO_SERVICES_PLAN_PLAN_STORE_H_
#define TIENDO_SERVICES_PLAN_PLAN_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "services/plan/plan_builder.h"
#include "services/plan/reminder_schedule.h"
#include "services/plan/text/agency_registry.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {

// The plan service's own database: plans, tasks, what it knows of their
// completion, and the reminder points ordered by time (the scanner's index).
class PlanStore {
 public:
  PlanStore(Database& db, Outbox& outbox, std::vector<int> lead_days)
      : db_(db), outbox_(outbox), lead_days_(std::move(lead_days)) {}

  absl::Status Init();

  // Stores the plan, its tasks and their reminder points, and queues one
  // PlanChanged per task, in one transaction. AlreadyExists if the plan id
  // is taken.
  absl::Status CreatePlan(const PlanDraft& draft);

  absl::StatusOr<v1::Plan> GetPlan(const std::string& plan_id);
  absl::StatusOr<std::vector<v1::Plan>> ListPlans(const std::string& unit);
  absl::StatusOr<std::vector<v1::Task>> ListTasks(const std::string& plan_id,
                                                  const std::string& unit);
  absl::StatusOr<v1::TaskView> GetTask(const std::string& task_id);

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

  // Inside the consumer's transaction: records the latest execution status
  // reported for a task. Done cancels its pending reminders; reopening
  // restores those still in the future. Older versions are ignored.
  absl::Status ApplyTaskStatus(const std::string& task_id, uint64_t version,
                               bool done, absl::Time now);

  // Announces every reminder point reached by `now`, in one transaction:
  // per task the latest one is sent (DeadlineApproaching queued in the
  // outbox), earlier ones are superseded. Returns how many were sent.
  absl::StatusOr<int> AnnounceDueReminders(absl::Time now);

 private:
  Database& db_;
  Outbox& outbox_;
  const std::vector<int> lead_days_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_PLAN_STORE_H_
