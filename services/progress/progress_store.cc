#include "services/progress/progress_store.h"

#include <optional>

#include "absl/container/btree_set.h"
#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"
#include "services/progress/progress_rules.h"
#include "services/progress/progress_schema.h"
#include "services/progress/report_limits.h"
#include "services/progress/target_projection.h"

namespace tiendo::progress {
namespace {

// A refusal of what was asked, as opposed to a failure of the store: in a
// batch it refuses one item and the others go on.
bool IsRefusal(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

absl::Status WithPrefix(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

absl::Status UnknownTask(absl::string_view field, absl::string_view task_id) {
  return absl::NotFoundError(
      absl::StrCat(field, ": no task '", task_id,
                   "' (unknown, or its plan's events have not arrived yet)"));
}

std::string DayKey(const v1::LocalDate& date) {
  absl::StatusOr<absl::CivilDay> day = FromProto(date, "as_of");
  return day.ok() ? FormatDay(*day) : "";
}

}  // namespace

absl::Status ProgressStore::Init() {
  return MigrateSchema(db_, ProgressSchema()).status();
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

absl::StatusOr<std::optional<v1::Task>> ProgressStore::FindTask(
    const std::string& task_id) {
  absl::StatusOr<std::optional<v1::Task>> task;
  absl::Status status = db_.Read([&]() -> absl::Status {
    task = LoadTask(task_id);
    return task.status();
  });
  if (!status.ok()) return status;
  return task;
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

absl::StatusOr<std::optional<v1::ReportProgressResponse>>
ProgressStore::FindAnswer(const std::string& request_id) {
  if (request_id.empty()) return std::optional<v1::ReportProgressResponse>();
  absl::StatusOr<Statement> seen = db_.Prepare(
      "SELECT response FROM answered_requests WHERE request_id = ?");
  if (!seen.ok()) return seen.status();
  seen->Bind(request_id);
  absl::StatusOr<bool> row = seen->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<v1::ReportProgressResponse>();
  absl::StatusOr<v1::ReportProgressResponse> first =
      ParseStored<v1::ReportProgressResponse>(*seen, 0);
  if (!first.ok()) return first.status();
  return std::optional<v1::ReportProgressResponse>(*std::move(first));
}

absl::StatusOr<v1::ReportProgressResponse> ProgressStore::Record(
    const v1::Task& task, const v1::ReportProgressRequest& request,
    absl::Time now) {
  absl::StatusOr<v1::TaskState> current = LoadState(task);
  if (!current.ok()) return current.status();
  absl::StatusOr<ReportOutcome> outcome =
      ApplyReport(task, *current, request, now);
  if (!outcome.ok()) return outcome.status();
  const v1::TaskState& next = outcome->state;

  v1::ReportProgressResponse response;
  v1::ProgressReport& report = *response.mutable_report();
  report.set_report_id(NewEventId());
  report.set_task_id(request.task_id());
  report.set_agency(request.agency());
  report.set_reported_by(request.reported_by());
  report.set_status(outcome->status);
  report.set_percent(outcome->percent);
  report.set_note(request.note());
  report.set_request_id(request.request_id());
  *report.mutable_reported_at() = ToProto(now);
  report.set_occurrence_id(outcome->occurrence_id);
  for (const v1::Measurement& m : outcome->measurements) {
    *report.add_measurements() = m;
  }
  report.set_difficulty(outcome->difficulty);
  report.set_resolve_difficulty(request.resolve_difficulty());
  *report.mutable_evidence() = request.evidence();
  report.set_period_report(request.period_report());
  report.set_reopen_reason(request.reopen_reason());
  *response.mutable_state() = Present(task, next, now);

  const std::string report_record = report.SerializeAsString();
  absl::StatusOr<Statement> insert_report = db_.Prepare(
      "INSERT INTO reports(report_id, task_id, record) VALUES(?, ?, ?)");
  if (!insert_report.ok()) return insert_report.status();
  insert_report->Bind(report.report_id(), report.task_id(),
                      Statement::Blob{report_record});
  if (absl::Status s = insert_report->Run(); !s.ok()) return s;

  const std::string state_record = next.SerializeAsString();
  absl::StatusOr<Statement> upsert_state = db_.Prepare(
      "INSERT INTO task_states(task_id, unit, record) VALUES(?, ?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET unit = excluded.unit, "
      "record = excluded.record");
  if (!upsert_state.ok()) return upsert_state.status();
  upsert_state->Bind(next.task_id(), next.unit(),
                     Statement::Blob{state_record});
  if (absl::Status s = upsert_state->Run(); !s.ok()) return s;

  for (const v1::Measurement& m : outcome->measurements) {
    absl::StatusOr<Statement> insert = db_.Prepare(
        "INSERT INTO measurements(task_id, indicator, unit, as_of, numerator, "
        "denominator, report_id) VALUES(?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.status();
    insert->Bind(task.id(), m.indicator(), m.unit(), DayKey(m.as_of()),
                 m.numerator(), m.denominator(), report.report_id());
    if (absl::Status s = insert->Run(); !s.ok()) return s;
  }

  if (!request.request_id().empty()) {
    const std::string answer = response.SerializeAsString();
    absl::StatusOr<Statement> remember = db_.Prepare(
        "INSERT INTO answered_requests(request_id, response) VALUES(?, ?)");
    if (!remember.ok()) return remember.status();
    remember->Bind(request.request_id(), Statement::Blob{answer});
    if (absl::Status s = remember->Run(); !s.ok()) return s;
  }

  v1::EventEnvelope event;
  event.set_unit(next.unit());
  *event.mutable_task_updated() = MakeTaskUpdated(task, *outcome, report);
  if (absl::Status s = outbox_.Append(kTaskUpdatedTopic, task.id(), event);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckTargets(task, *outcome, now); !s.ok()) return s;
  return response;
}

absl::Status ProgressStore::CheckTargets(const v1::Task& task,
                                         const ReportOutcome& outcome,
                                         absl::Time now) {
  const absl::CivilDay today = LocalDay(now);
  absl::btree_set<std::string> indicators;
  for (const v1::Measurement& m : outcome.measurements) {
    // The trend is the task's own unit's; counts sent for other units (a
    // commune's, under a provincial task) are kept but not projected.
    if (m.unit() == task.unit()) indicators.insert(m.indicator());
  }
  for (const std::string& indicator : indicators) {
    // The latest value of each of the last kTrendPoints dates.
    std::vector<TrendPoint> points;
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT as_of, numerator, denominator FROM measurements "
        "WHERE task_id = ? AND indicator = ? AND unit = ? "
        "ORDER BY as_of DESC, seq DESC");
    if (!q.ok()) return q.status();
    q->Bind(task.id(), indicator, task.unit());
    std::string last_day;
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const std::string day_text = q->Text(0);
      if (day_text == last_day) continue;
      if (static_cast<int>(points.size()) == kTrendPoints) break;
      last_day = day_text;
      std::optional<absl::CivilDay> day = ParseDay(day_text);
      const int64_t denominator = q->Int(2);
      if (!day || denominator <= 0) continue;
      points.push_back({*day, 100.0 * static_cast<double>(q->Int(1)) /
                                  static_cast<double>(denominator)});
    }
    std::optional<TargetOutlook> outlook =
        ProjectTarget(task, indicator, points, today);
    if (!outlook) continue;

    absl::btree_set<absl::CivilDay> flagged;
    absl::StatusOr<Statement> risks = db_.Prepare(
        "SELECT due FROM target_risks WHERE task_id = ? AND indicator = ?");
    if (!risks.ok()) return risks.status();
    risks->Bind(task.id(), indicator);
    if (absl::Status s = risks->ForEachRow([&](const Statement& row) {
          if (std::optional<absl::CivilDay> due = ParseDay(row.Text(0))) {
            flagged.insert(*due);
          }
        });
        !s.ok()) {
      return s;
    }

    const RiskChanges changes = CompareRisks(*outlook, flagged);
    for (const absl::CivilDay due : changes.recovered) {
      absl::StatusOr<Statement> clear = db_.Prepare(
          "DELETE FROM target_risks WHERE task_id = ? AND indicator = ? AND "
          "due = ?");
      if (!clear.ok()) return clear.status();
      clear->Bind(task.id(), indicator, FormatDay(due));
      if (absl::Status s = clear->Run(); !s.ok()) return s;
    }
    for (const StageOutlook& stage : changes.newly_at_risk) {
      v1::EventEnvelope event;
      event.set_unit(task.unit());
      *event.mutable_target_at_risk() = MakeTargetAtRisk(task, *outlook, stage);
      absl::StatusOr<Statement> flag = db_.Prepare(
          "INSERT INTO target_risks(task_id, indicator, due, warning_key) "
          "VALUES(?, ?, ?, ?)");
      if (!flag.ok()) return flag.status();
      flag->Bind(task.id(), indicator, FormatDay(stage.due),
                 event.target_at_risk().warning_key());
      if (absl::Status s = flag->Run(); !s.ok()) return s;
      if (absl::Status s =
              outbox_.Append(kTaskUpdatedTopic, task.id(), std::move(event));
          !s.ok()) {
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReportProgressResponse> ProgressStore::Report(
    const v1::ReportProgressRequest& request, absl::Time now) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;
  v1::ReportProgressResponse response;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<std::optional<v1::ReportProgressResponse>> first =
        FindAnswer(request.request_id());
    if (!first.ok()) return first.status();
    if (first->has_value()) {
      response = **std::move(first);
      return absl::OkStatus();
    }
    absl::StatusOr<std::optional<v1::Task>> task = LoadTask(request.task_id());
    if (!task.ok()) return task.status();
    if (!task->has_value()) return UnknownTask("task_id", request.task_id());
    absl::StatusOr<v1::ReportProgressResponse> recorded =
        Record(**task, request, now);
    if (!recorded.ok()) return recorded.status();
    response = *std::move(recorded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::Status ProgressStore::RecordMeasurementItem(
    int index, const v1::MeasurementItem& item, absl::Time now) {
  const std::string field = absl::StrCat("items[", index, "]");
  absl::StatusOr<std::optional<v1::ReportProgressResponse>> first =
      FindAnswer(item.request_id());
  if (!first.ok()) return first.status();
  if (first->has_value()) return absl::OkStatus();

  if (absl::Status s = CheckMeasurementItemLimits(item, field); !s.ok()) {
    return s;
  }
  if (item.task_id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".task_id: required"));
  }
  if (item.agency().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".agency: required (code of the reporting agency)"));
  }
  if (!item.has_measurement()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".measurement: required"));
  }
  absl::StatusOr<std::optional<v1::Task>> task = LoadTask(item.task_id());
  if (!task.ok()) return task.status();
  if (!task->has_value()) {
    return UnknownTask(absl::StrCat(field, ".task_id"), item.task_id());
  }
  if (absl::Status s =
          ValidateMeasurement(**task, item.measurement(), LocalDay(now),
                              absl::StrCat(field, ".measurement"));
      !s.ok()) {
    return s;
  }
  v1::ReportProgressRequest request;
  request.set_task_id(item.task_id());
  request.set_agency(item.agency());
  request.set_request_id(item.request_id());
  *request.add_measurements() = item.measurement();
  if (absl::Status s = CheckReporter(**task, request); !s.ok()) {
    return WithPrefix(s, absl::StrCat(field, ".agency: "));
  }
  absl::StatusOr<v1::ReportProgressResponse> recorded =
      Record(**task, request, now);
  if (!recorded.ok()) {
    return IsRefusal(recorded.status())
               ? WithPrefix(recorded.status(), absl::StrCat(field, ": "))
               : recorded.status();
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReportMeasurementsResponse>
ProgressStore::ReportMeasurements(const v1::ReportMeasurementsRequest& request,
                                  absl::Time now) {
  if (request.items_size() > kMaxMeasurementItems) {
    return absl::InvalidArgumentError(
        absl::StrCat("items: ", request.items_size(), " items; at most ",
                     kMaxMeasurementItems, " per call"));
  }
  v1::ReportMeasurementsResponse response;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    response.Clear();
    for (int i = 0; i < request.items_size(); ++i) {
      const v1::MeasurementItem& item = request.items(i);
      v1::MeasurementAck& ack = *response.add_acks();
      ack.set_index(i);
      ack.set_request_id(item.request_id());
      // Each item in a savepoint of its own: a refused item leaves nothing
      // behind, an accepted one stays whatever follows.
      if (absl::Status s = db_.Exec("SAVEPOINT measurement_item"); !s.ok()) {
        return s;
      }
      absl::Status recorded = RecordMeasurementItem(i, item, now);
      if (!recorded.ok() && !IsRefusal(recorded)) return recorded;
      if (!recorded.ok()) {
        if (absl::Status s = db_.Exec("ROLLBACK TO measurement_item");
            !s.ok()) {
          return s;
        }
      }
      if (absl::Status s = db_.Exec("RELEASE measurement_item"); !s.ok()) {
        return s;
      }
      ack.set_accepted(recorded.ok());
      if (recorded.ok()) {
        response.set_accepted(response.accepted() + 1);
      } else {
        ack.set_error(std::string(recorded.message()));
        ack.set_code(static_cast<int32_t>(recorded.code()));
        response.set_refused(response.refused() + 1);
      }
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::TaskState> ProgressStore::GetTaskState(
    const std::string& task_id, absl::Time now) {
  std::optional<v1::TaskState> state;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<std::optional<v1::Task>> task = LoadTask(task_id);
    if (!task.ok()) return task.status();
    if (!task->has_value()) return absl::OkStatus();
    absl::StatusOr<v1::TaskState> loaded = LoadState(**task);
    if (!loaded.ok()) return loaded.status();
    state = Present(**task, *std::move(loaded), now);
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
    const std::string& task_id, const PageRequest& page,
    std::string* next_page_token) {
  absl::StatusOr<int64_t> after = AfterNumber(page);
  if (!after.ok()) return after.status();
  std::vector<v1::ProgressReport> reports;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record, seq FROM reports WHERE (?1 = '' OR task_id = ?1) "
        "AND seq > ?2 ORDER BY seq LIMIT ?3");
    if (!q.ok()) return q.status();
    q->Bind(task_id, *after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return q->ForEachRow([&](const Statement& row) -> absl::Status {
      if (!cursor.Take(std::to_string(row.Int(1)))) return absl::OkStatus();
      absl::StatusOr<v1::ProgressReport> report =
          ParseStored<v1::ProgressReport>(row, 0);
      if (!report.ok()) return report.status();
      reports.push_back(*std::move(report));
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return reports;
}

absl::StatusOr<std::vector<v1::RecordedMeasurement>>
ProgressStore::ListMeasurements(const std::string& unit,
                                const PageRequest& page,
                                std::string* next_page_token) {
  absl::StatusOr<int64_t> after = AfterNumber(page);
  if (!after.ok()) return after.status();
  std::vector<v1::RecordedMeasurement> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT m.task_id, m.indicator, m.unit, m.as_of, m.numerator, "
        "m.denominator, m.report_id, r.record, m.seq FROM measurements m "
        "JOIN reports r ON r.report_id = m.report_id "
        "JOIN tasks t ON t.id = m.task_id "
        "WHERE (?1 = '' OR t.unit = ?1) AND m.seq > ?2 ORDER BY m.seq "
        "LIMIT ?3");
    if (!q.ok()) return q.status();
    q->Bind(unit, *after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return q->ForEachRow([&](const Statement& row) -> absl::Status {
      if (!cursor.Take(std::to_string(row.Int(8)))) return absl::OkStatus();
      v1::RecordedMeasurement& r = out.emplace_back();
      r.set_task_id(row.Text(0));
      v1::Measurement& m = *r.mutable_measurement();
      m.set_indicator(row.Text(1));
      m.set_unit(row.Text(2));
      if (std::optional<absl::CivilDay> day = ParseDay(row.Text(3))) {
        *m.mutable_as_of() = ToProto(*day);
      }
      m.set_numerator(row.Int(4));
      m.set_denominator(row.Int(5));
      r.set_report_id(row.Text(6));
      absl::StatusOr<v1::ProgressReport> report =
          ParseStored<v1::ProgressReport>(row, 7);
      if (!report.ok()) return report.status();
      *r.mutable_recorded_at() = report->reported_at();
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<v1::TaskState>> ProgressStore::ListTaskStates(
    const std::string& unit, absl::Time now, bool as_reported,
    const PageRequest& page, std::string* next_page_token) {
  std::vector<v1::TaskState> states;
  absl::Status status = db_.Read([&]() -> absl::Status {
    // Every known task, with its initial state when nobody reported yet.
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT t.record, s.record FROM tasks t LEFT JOIN task_states s ON "
        "s.task_id = t.id WHERE (?1 = '' OR t.unit = ?1) AND t.id > ?2 "
        "ORDER BY t.id LIMIT ?3");
    if (!q.ok()) return q.status();
    q->Bind(unit, page.after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return q->ForEachRow([&](const Statement& row) -> absl::Status {
      absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(row, 0);
      if (!task.ok()) return task.status();
      if (!cursor.Take(task->id())) return absl::OkStatus();
      v1::TaskState state = InitialState(*task);
      if (!row.IsNull(1)) {
        absl::StatusOr<v1::TaskState> stored =
            ParseStored<v1::TaskState>(row, 1);
        if (!stored.ok()) return stored.status();
        state = *std::move(stored);
      }
      states.push_back(as_reported ? WithDefinition(*task, std::move(state))
                                   : Present(*task, std::move(state), now));
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return states;
}

absl::StatusOr<std::vector<std::string>> ProgressStore::StagesAtRisk(
    const std::string& task_id, const std::string& indicator) {
  std::vector<std::string> dues;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT due FROM target_risks WHERE task_id = ? AND indicator = ? "
        "ORDER BY due");
    if (!q.ok()) return q.status();
    q->Bind(task_id, indicator);
    return q->ForEachRow(
        [&](const Statement& row) { dues.push_back(row.Text(0)); });
  });
  if (!status.ok()) return status;
  return dues;
}

}  // namespace tiendo::progress
