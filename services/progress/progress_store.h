#ifndef TIENDO_SERVICES_PROGRESS_PROGRESS_STORE_H_
#define TIENDO_SERVICES_PROGRESS_PROGRESS_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {

// The progress service's database: its replica of task definitions (from
// plan-changed), each task's execution state, the history of reports, and
// the answers given per client request id.
class ProgressStore {
 public:
  ProgressStore(Database& db, Outbox& outbox) : db_(db), outbox_(outbox) {}

  absl::Status Init();

  // Inside the consumer's transaction: keeps the newest definition.
  absl::Status UpsertTask(const v1::Task& task);

  // Validates and records a report, its new task state and the TaskUpdated
  // event in one transaction. A request id seen before returns the answer
  // given then and changes nothing.
  absl::StatusOr<v1::ReportProgressResponse> Report(
      const v1::ReportProgressRequest& request, absl::Time now);

  absl::StatusOr<v1::TaskState> GetTaskState(const std::string& task_id);
  absl::StatusOr<std::vector<v1::ProgressReport>> ListReports(
      const std::string& task_id);
  absl::StatusOr<std::vector<v1::TaskState>> ListTaskStates(
      const std::string& unit);

 private:
  absl::StatusOr<std::optional<v1::Task>> LoadTask(const std::string& task_id);
  absl::StatusOr<v1::TaskState> LoadState(const v1::Task& task);

  Database& db_;
  Outbox& outbox_;
};

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_PROGRESS_STORE_H_
