#ifndef TIENDO_SERVICES_PROGRESS_PROGRESS_STORE_H_
#define TIENDO_SERVICES_PROGRESS_PROGRESS_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/outbox.h"
#include "services/common/paging.h"
#include "services/common/sqlite.h"
#include "services/progress/progress_rules.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {

// Items one ReportMeasurements call may carry: a nightly feed is split into
// calls of this size, each one transaction.
inline constexpr int kMaxMeasurementItems = 10000;

// The progress service's database: its replica of task definitions (from
// plan-changed), each task's execution state, the history of reports, every
// measurement, the target stages flagged at risk, and the answers given per
// client request id.
class ProgressStore {
 public:
  ProgressStore(Database& db, Outbox& outbox) : db_(db), outbox_(outbox) {}

  // Creates the tables, or brings those of an older version up to date
  // (ProgressSchema).
  absl::Status Init();

  // Inside the consumer's transaction: keeps the newest definition.
  absl::Status UpsertTask(const v1::Task& task);

  // Validates and records a report, its new task state, its measurements,
  // the TaskUpdated event and any TargetAtRisk warnings in one transaction.
  // A request id seen before returns the answer given then and changes
  // nothing.
  absl::StatusOr<v1::ReportProgressResponse> Report(
      const v1::ReportProgressRequest& request, absl::Time now);

  // Records each measurement as a report of its own (one TaskUpdated per
  // accepted item, each adding one to its task's version), acknowledging
  // each: a refused item changes nothing and does not stop the others. An
  // item whose request id was seen before is acknowledged again and
  // recorded once. The batch is one transaction; only a storage failure
  // fails it as a whole.
  absl::StatusOr<v1::ReportMeasurementsResponse> ReportMeasurements(
      const v1::ReportMeasurementsRequest& request, absl::Time now);

  // The stored definition of a task; nullopt when unknown.
  absl::StatusOr<std::optional<v1::Task>> FindTask(const std::string& task_id);

  // States as shown at `now` (occurrence statuses computed with the clock).
  absl::StatusOr<v1::TaskState> GetTaskState(const std::string& task_id,
                                             absl::Time now);
  // The List functions return one page in key order (reports and
  // measurements by their sequence, states by task id) and set
  // `next_page_token` when more rows follow.
  absl::StatusOr<std::vector<v1::ProgressReport>> ListReports(
      const std::string& task_id, const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);
  // With `as_reported`, occurrence statuses as stored (never overdue or
  // done late).
  absl::StatusOr<std::vector<v1::TaskState>> ListTaskStates(
      const std::string& unit, absl::Time now, bool as_reported = false,
      const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);
  // Every accepted measurement of the unit's tasks (all when empty), oldest
  // first, with the time of the report that carried it.
  absl::StatusOr<std::vector<v1::RecordedMeasurement>> ListMeasurements(
      const std::string& unit, const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);

  // The due dates of the stages of an indicator flagged at risk.
  absl::StatusOr<std::vector<std::string>> StagesAtRisk(
      const std::string& task_id, const std::string& indicator);

 private:
  absl::StatusOr<std::optional<v1::Task>> LoadTask(const std::string& task_id);
  absl::StatusOr<v1::TaskState> LoadState(const v1::Task& task);
  absl::StatusOr<std::optional<v1::ReportProgressResponse>> FindAnswer(
      const std::string& request_id);
  // Inside a transaction: applies an accepted report to a known task.
  absl::StatusOr<v1::ReportProgressResponse> Record(
      const v1::Task& task, const v1::ReportProgressRequest& request,
      absl::Time now);
  absl::Status RecordMeasurementItem(int index, const v1::MeasurementItem& item,
                                     absl::Time now);
  // Re-projects the measured indicators and flags (and warns about) the
  // stages newly at risk.
  absl::Status CheckTargets(const v1::Task& task, const ReportOutcome& outcome,
                            absl::Time now);

  Database& db_;
  Outbox& outbox_;
};

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_PROGRESS_STORE_H_
