#include "services/progress/progress_store.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"
#include "services/progress/progress_rules.h"

namespace tiendo::progress {
absl::Status ProgressStore::Init() {
  return db_.Transaction([&] {
    return db_.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        version INTEGER NOT NULL,
        record BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS task_states (
        task_id TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        record BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS task_states_by_unit ON task_states(unit);
      CREATE TABLE IF NOT EXISTS reports (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        report_id TEXT NOT NULL UNIQUE,
        task_id TEXT NOT NULL,
        record BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS reports_by_task ON reports(task_id, seq);
      CREATE TABLE IF NOT EXISTS answered_requests (
        request_id TEXT PRIMARY KEY,
        response BLOB NOT NULL);
    )sql");
  });
}

absl::Status ProgressStore::UpsertTask(const v1::Task& task) {
  absl::StatusOr<Statement> q = db_.Prepare(
      "INSERT INTO tasks(id, unit, version, record) VALUES(?, ?, ?, ?) "
      "ON CONFLICT(id) DO UPDATE SET unit = excluded.unit, "
      "version = excluded.version, record = excluded.record "
      "WHERE excluded.version >= tasks.version");
  if (!q.ok()) return q.status();
  const std::string record = task.SerializeAsString();
  q->Bind(task.id(), task.unit(), static_cast<int64_t>(task.version()),
          Statement::Blob{record});
  return q->Run();
}

absl::StatusOr<std::optional<v1::Task>> ProgressStore::LoadTask(
    const std::string& task_id) {
  absl::StatusOr<Statement> q =
      db_.Prepare("SELECT record FROM tasks WHERE id = ?");
  if (!q.ok()) return q.status();
  q->Bind(task_id);
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<v1::Task>();
  absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*q, 0);
  if (!task.ok()) return task.status();
  return std::optional<v1::Task>(*std::move(task));
}

absl::StatusOr<v1::TaskState> ProgressStore::LoadState(const v1::Task& task) {
  absl::StatusOr<Statement> q =
      db_.Prepare("SELECT record FROM task_states WHERE task_id = ?");
  if (!q.ok()) return q.status();
  q->Bind(task.id());
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return InitialState(task);
  return ParseStored<v1::TaskState>(*q, 0);
}

absl::StatusOr<v1::ReportProgressResponse> ProgressStore::Report(
    const v1::ReportProgressRequest& request, absl::Time now) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;
  v1::ReportProgressResponse response;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    if (!request.request_id().empty()) {
      absl::StatusOr<Statement> seen = db_.Prepare(
          "SELECT response FROM answered_requests WHERE request_id = ?");
      if (!seen.ok()) return seen.status();
      seen->Bind(request.request_id());
      absl::StatusOr<bool> row = seen->Step();
      if (!row.ok()) return row.status();
      if (*row) {
        absl::StatusOr<v1::ReportProgressResponse> first =
            ParseStored<v1::ReportProgressResponse>(*seen, 0);
        if (!first.ok()) return first.status();
        response = *std::move(first);
        return absl::OkStatus();
      }
    }
    absl::StatusOr<std::optional<v1::Task>> task = LoadTask(request.task_id());
    if (!task.ok()) return task.status();
    if (!task->has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "task_id: no task '", request.task_id(),
          "' (unknown, or its plan's events have not arrived yet)"));
    }
    absl::StatusOr<v1::TaskState> current = LoadState(**task);
    if (!current.ok()) return current.status();
    absl::StatusOr<v1::TaskState> next =
        NextState(**task, *current, request, now);
    if (!next.ok()) return next.status();

    v1::ProgressReport& report = *response.mutable_report();
    report.set_report_id(NewEventId());
    report.set_task_id(request.task_id());
    report.set_agency(request.agency());
    report.set_status(next->status());
    report.set_percent(next->percent());
    report.set_note(request.note());
    report.set_request_id(request.request_id());
    *report.mutable_reported_at() = ToProto(now);
    *response.mutable_state() = *next;

    const std::string report_record = report.SerializeAsString();
    absl::StatusOr<Statement> insert_report = db_.Prepare(
        "INSERT INTO reports(report_id, task_id, record) VALUES(?, ?, ?)");
    if (!insert_report.ok()) return insert_report.status();
    insert_report->Bind(report.report_id(), report.task_id(),
                        Statement::Blob{report_record});
    if (absl::Status s = insert_report->Run(); !s.ok()) return s;

    const std::string state_record = next->SerializeAsString();
    absl::StatusOr<Statement> upsert_state = db_.Prepare(
        "INSERT INTO task_states(task_id, unit, record) VALUES(?, ?, ?) "
        "ON CONFLICT(task_id) DO UPDATE SET record = excluded.record");
    if (!upsert_state.ok()) return upsert_state.status();
    upsert_state->Bind(next->task_id(), next->unit(),
                       Statement::Blob{state_record});
    if (absl::Status s = upsert_state->Run(); !s.ok()) return s;

    if (!request.request_id().empty()) {
      const std::string answer = response.SerializeAsString();
      absl::StatusOr<Statement> remember = db_.Prepare(
          "INSERT INTO answered_requests(request_id, response) VALUES(?, ?)");
      if (!remember.ok()) return remember.status();
      remember->Bind(request.request_id(), Statement::Blob{answer});
      if (absl::Status s = remember->Run(); !s.ok()) return s;
    }

    v1::EventEnvelope event;
    event.set_unit(next->unit());
    v1::TaskUpdated& updated = *event.mutable_task_updated();
    updated.set_task_id(next->task_id());
    updated.set_unit(next->unit());
    updated.set_version(next->version());
    updated.set_status(next->status());
    updated.set_percent(next->percent());
    updated.set_reporting_agency(report.agency());
    updated.set_note(report.note());
    updated.set_report_id(report.report_id());
    *updated.mutable_reported_at() = report.reported_at();
    if (next->has_completed_on()) {
      *updated.mutable_completed_on() = next->completed_on();
    }
    updated.set_completed_late(next->completed_late());
    *updated.mutable_lead_agencies() = next->lead_agencies();
    return outbox_.Append(kTaskUpdatedTopic, next->task_id(), event);
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::TaskState> ProgressStore::GetTaskState(
    const std::string& task_id) {
  std::optional<v1::TaskState> state;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<std::optional<v1::Task>> task = LoadTask(task_id);
    if (!task.ok()) return task.status();
    if (!task->has_value()) return absl::OkStatus();
    absl::StatusOr<v1::TaskState> loaded = LoadState(**task);
    if (!loaded.ok()) return loaded.status();
    state = *std::move(loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!state) {
    return absl::NotFoundError(
        absl::StrCat("task_id: no task '", task_id, "'"));
  }
  return *state;
}

absl::StatusOr<std::vector<v1::ProgressReport>> ProgressStore::ListReports(
    const std::string& task_id) {
  std::vector<v1::ProgressReport> reports;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record FROM reports WHERE ?1 = '' OR task_id = ?1 ORDER BY "
        "seq");
    if (!q.ok()) return q.status();
    q->Bind(task_id);
    return CollectStored(*q, 0, reports);
  });
  if (!status.ok()) return status;
  return reports;
}

absl::StatusOr<std::vector<v1::TaskState>> ProgressStore::ListTaskStates(
    const std::string& unit) {
  std::vector<v1::TaskState> states;
  absl::Status status = db_.Read([&]() -> absl::Status {
    // Every known task, with its initial state when nobody reported yet.
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT t.record, s.record FROM tasks t LEFT JOIN task_states s ON "
        "s.task_id = t.id WHERE ?1 = '' OR t.unit = ?1 ORDER BY t.id");
    if (!q.ok()) return q.status();
    q->Bind(unit);
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      if (q->IsNull(1)) {
        absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*q, 0);
        if (!task.ok()) return task.status();
        states.push_back(InitialState(*task));
        continue;
      }
      absl::StatusOr<v1::TaskState> state = ParseStored<v1::TaskState>(*q, 1);
      if (!state.ok()) return state.status();
      states.push_back(*std::move(state));
    }
  });
  if (!status.ok()) return status;
  return states;
}

}  // namespace tiendo::progress
