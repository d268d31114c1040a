#include "services/aggregation/aggregation_store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"
#include "services/common/unit_ref.h"

namespace tiendo::aggregation {
namespace {

int64_t Micros(absl::Time t) { return absl::ToUnixMicros(t); }

std::string DayKey(const v1::LocalDate& date) {
  absl::StatusOr<absl::CivilDay> day = FromProto(date, "as_of");
  return day.ok() ? FormatDay(*day) : std::string();
}

// The measurements an event carries: every one of the report, or the one
// older producers sent; each for the task's unit unless it names another.
std::vector<v1::Measurement> MeasurementsOf(const v1::TaskUpdated& update) {
  std::vector<v1::Measurement> out(update.measurements().begin(),
                                   update.measurements().end());
  if (out.empty() && !update.measurement().indicator().empty()) {
    out.push_back(update.measurement());
  }
  for (v1::Measurement& m : out) {
    if (m.unit().empty()) m.set_unit(update.unit());
  }
  return out;
}

}  // namespace

absl::Status AggregationStore::TakeOverPreviousTables() {
  // The previous version kept the latest definition and the latest
  // TaskUpdated per task: each becomes the first entry of its history.
  std::vector<v1::Task> tasks;
  std::vector<v1::TaskUpdated> updates;
  {
    // The statements are finalized at the end of this block: SQLite does
    // not drop a table while a statement reading the schema or the table
    // is still open ("database table is locked").
    absl::StatusOr<Statement> old = db_.Prepare(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
        "name IN ('task_definitions', 'task_states')");
    if (!old.ok()) return old.status();
    absl::StatusOr<bool> row = old->Step();
    if (!row.ok()) return row.status();
    if (old->Int(0) != 2) return absl::OkStatus();
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT record FROM task_definitions ORDER BY task_id");
    if (!q.ok()) return q.status();
    if (absl::Status s = CollectStored(*q, 0, tasks); !s.ok()) return s;
    absl::StatusOr<Statement> u =
        db_.Prepare("SELECT record FROM task_states ORDER BY task_id");
    if (!u.ok()) return u.status();
    if (absl::Status s = CollectStored(*u, 0, updates); !s.ok()) return s;
  }
  for (const v1::Task& task : tasks) {
    if (absl::Status s = LogDefinition(task, absl::UnixEpoch()).status();
        !s.ok()) {
      return s;
    }
  }
  for (const v1::TaskUpdated& update : updates) {
    const absl::Time at = FromProto(update.reported_at());
    // As StageUpdate logs it: the measurements apart, once each, so that
    // the KPIs keep what the previous version knew.
    v1::TaskUpdated logged = update;
    logged.clear_measurements();
    logged.clear_measurement();
    if (absl::Status s =
            LogState(update.task_id(), update.version(), kUpdate, logged, at)
                .status();
        !s.ok()) {
      return s;
    }
    for (const v1::Measurement& m : MeasurementsOf(update)) {
      if (absl::Status s =
              LogMeasurement(update.task_id(), update.report_id(), m, at)
                  .status();
          !s.ok()) {
        return s;
      }
    }
  }
  return db_.Exec("DROP TABLE task_definitions; DROP TABLE task_states;");
}

absl::Status AggregationStore::Load() {
  absl::MutexLock lock(&mu_);
  history_.Clear();
  return db_.Read([&]() -> absl::Status {
    mu_.AssertHeld();  // held by Load() around the read
    absl::StatusOr<Statement> u =
        db_.Prepare("SELECT record FROM units ORDER BY code");
    if (!u.ok()) return u.status();
    std::vector<v1::UnitRef> units;
    if (absl::Status s = CollectStored(*u, 0, units); !s.ok()) return s;
    for (const v1::UnitRef& unit : units) {
      units_.Learn(unit.code(), unit.name(), EnumWord(LevelOf(unit)),
                   unit.parent());
    }
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT kind, at_us, record FROM changes ORDER BY seq");
    if (!q.ok()) return q.status();
    if (absl::Status s = q->ForEachRow([&](const Statement& row) {
          mu_.AssertHeld();  // still Load()'s
          Pending p;
          p.kind = static_cast<Kind>(row.Int(0));
          p.at = absl::FromUnixMicros(row.Int(1));
          bool parsed = false;
          switch (p.kind) {
            case kDefinition:
              parsed = p.task.ParseFromString(row.Text(2));
              break;
            case kUpdate:
              parsed = p.update.ParseFromString(row.Text(2));
              break;
            case kState:
              parsed = p.state.ParseFromString(row.Text(2));
              break;
          }
          if (!parsed) return absl::DataLossError("changes: unreadable record");
          ApplyLocked(p);
          return absl::OkStatus();
        });
        !s.ok()) {
      return s;
    }
    absl::StatusOr<Statement> m = db_.Prepare(
        "SELECT task_id, report_id, at_us, record FROM measurements "
        "ORDER BY seq");
    if (!m.ok()) return m.status();
    return m->ForEachRow([&](const Statement& row) {
      mu_.AssertHeld();  // still Load()'s
      PendingMeasurement pm;
      pm.task_id = row.Text(0);
      pm.report_id = row.Text(1);
      pm.at = absl::FromUnixMicros(row.Int(2));
      if (!pm.measurement.ParseFromString(row.Text(3))) {
        return absl::DataLossError("measurements: unreadable record");
      }
      ApplyLocked(pm);
      return absl::OkStatus();
    });
  });
}

std::string AggregationStore::ParentOf(const std::string& code) const {
  absl::MutexLock lock(&mu_);
  const UnitTree::Unit* unit = units_.Find(code);
  return unit != nullptr ? unit->parent : std::string();
}

absl::Status AggregationStore::Init() {
  if (absl::Status s = MigrateSchema(db_, DatabaseSchema()).status(); !s.ok()) {
    return s;
  }
  return Load();
}

absl::StatusOr<bool> AggregationStore::LogDefinition(const v1::Task& task,
                                                     absl::Time at) {
  absl::StatusOr<Statement> guard = db_.Prepare(
      "INSERT INTO versions(task_id, definition) VALUES(?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET definition = excluded.definition "
      "WHERE excluded.definition > versions.definition");
  if (!guard.ok()) return guard.status();
  guard->Bind(task.id(), static_cast<int64_t>(task.version()));
  if (absl::Status s = guard->Run(); !s.ok()) return s;
  if (db_.Changes() == 0) return false;
  absl::StatusOr<Statement> log = db_.Prepare(
      "INSERT INTO changes(kind, task_id, at_us, record) VALUES(?, ?, ?, ?)");
  if (!log.ok()) return log.status();
  const std::string record = task.SerializeAsString();
  log->Bind(static_cast<int>(kDefinition), task.id(), Micros(at),
            Statement::Blob{record});
  if (absl::Status s = log->Run(); !s.ok()) return s;
  return true;
}

absl::StatusOr<std::optional<uint64_t>> AggregationStore::LogState(
    const std::string& task_id, uint64_t version, Kind kind,
    const google::protobuf::Message& record, absl::Time at) {
  absl::StatusOr<Statement> before =
      db_.Prepare("SELECT state FROM versions WHERE task_id = ?");
  if (!before.ok()) return before.status();
  before->Bind(task_id);
  absl::StatusOr<bool> row = before->Step();
  if (!row.ok()) return row.status();
  const uint64_t previous = *row ? static_cast<uint64_t>(before->Int(0)) : 0;
  if (version <= previous) return std::optional<uint64_t>();
  absl::StatusOr<Statement> guard = db_.Prepare(
      "INSERT INTO versions(task_id, state) VALUES(?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET state = excluded.state");
  if (!guard.ok()) return guard.status();
  guard->Bind(task_id, static_cast<int64_t>(version));
  if (absl::Status s = guard->Run(); !s.ok()) return s;
  absl::StatusOr<Statement> log = db_.Prepare(
      "INSERT INTO changes(kind, task_id, at_us, record) VALUES(?, ?, ?, ?)");
  if (!log.ok()) return log.status();
  const std::string bytes = record.SerializeAsString();
  log->Bind(static_cast<int>(kind), task_id, Micros(at),
            Statement::Blob{bytes});
  if (absl::Status s = log->Run(); !s.ok()) return s;
  return std::optional<uint64_t>(previous);
}

absl::StatusOr<bool> AggregationStore::LogMeasurement(
    const std::string& task_id, const std::string& report_id,
    const v1::Measurement& measurement, absl::Time at) {
  absl::StatusOr<Statement> q = db_.Prepare(
      "INSERT INTO measurements(report_id, task_id, indicator, unit, as_of, "
      "at_us, record) VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
  if (!q.ok()) return q.status();
  const std::string record = measurement.SerializeAsString();
  q->Bind(report_id, task_id, measurement.indicator(), measurement.unit(),
          DayKey(measurement.as_of()), Micros(at), Statement::Blob{record});
  if (absl::Status s = q->Run(); !s.ok()) return s;
  return db_.Changes() > 0;
}

absl::Status AggregationStore::StageDefinition(const v1::Task& task,
                                               absl::Time at) {
  absl::StatusOr<bool> newer = LogDefinition(task, at);
  if (!newer.ok()) return newer.status();
  if (*newer) {
    Pending& p = staged_.emplace_back();
    p.kind = kDefinition;
    p.at = at;
    p.task = task;
  }
  return absl::OkStatus();
}

absl::Status AggregationStore::StageUnits(
    const std::vector<v1::UnitRef>& units) {
  absl::StatusOr<Statement> q = db_.Prepare(
      "INSERT INTO units(code, record) VALUES(?, ?) ON CONFLICT(code) DO "
      "UPDATE SET record = excluded.record WHERE record <> excluded.record");
  if (!q.ok()) return q.status();
  for (const v1::UnitRef& unit : units) {
    if (unit.code().empty()) continue;
    const std::string record = unit.SerializeAsString();
    q->Reset();
    q->Bind(unit.code(), Statement::Blob{record});
    if (absl::Status s = q->Run(); !s.ok()) return s;
    if (db_.Changes() > 0) staged_units_.push_back(unit);
  }
  return absl::OkStatus();
}

absl::Status AggregationStore::StageUpdate(const v1::TaskUpdated& update,
                                           absl::Time at, bool& gap) {
  gap = false;
  // Measurements are kept apart from the event, once each.
  v1::TaskUpdated logged = update;
  logged.clear_measurements();
  logged.clear_measurement();
  absl::StatusOr<std::optional<uint64_t>> previous =
      LogState(update.task_id(), update.version(), kUpdate, logged, at);
  if (!previous.ok()) return previous.status();
  if (!previous->has_value()) return absl::OkStatus();  // not newer
  gap = update.version() > **previous + 1;
  Pending& p = staged_.emplace_back();
  p.kind = kUpdate;
  p.at = at;
  p.update = std::move(logged);
  for (const v1::Measurement& m : MeasurementsOf(update)) {
    absl::StatusOr<bool> added =
        LogMeasurement(update.task_id(), update.report_id(), m, at);
    if (!added.ok()) return added.status();
    if (*added) {
      staged_measurements_.push_back(
          {update.task_id(), update.report_id(), m, at});
    }
  }
  return absl::OkStatus();
}

void AggregationStore::ApplyLocked(const Pending& p) {
  switch (p.kind) {
    case kDefinition:
      units_.AddIfMissing(p.task.unit());
      history_.ApplyDefinition(p.task, p.at);
      break;
    case kUpdate:
      history_.ApplyUpdate(p.update, p.at);
      break;
    case kState:
      history_.ApplyState(p.state, p.at);
      break;
  }
}

void AggregationStore::ApplyLocked(const PendingMeasurement& m) {
  units_.AddIfMissing(m.measurement.unit());
  history_.ApplyMeasurement(m.task_id, m.measurement, m.report_id, m.at);
}

void AggregationStore::Commit() {
  absl::MutexLock lock(&mu_);
  // Parents before children: the path comes unit first.
  for (auto it = staged_units_.rbegin(); it != staged_units_.rend(); ++it) {
    units_.Learn(it->code(), it->name(), EnumWord(LevelOf(*it)), it->parent());
  }
  staged_units_.clear();
  for (const Pending& p : staged_) ApplyLocked(p);
  for (const PendingMeasurement& m : staged_measurements_) ApplyLocked(m);
  staged_.clear();
  staged_measurements_.clear();
}

void AggregationStore::Discard() {
  staged_units_.clear();
  staged_.clear();
  staged_measurements_.clear();
}

absl::Status AggregationStore::StageSnapshot(
    const OwnerSnapshot& snapshot, absl::Time defined_at,
    const std::function<void(v1::RebuildProgress::Phase, int64_t, int64_t)>&
        tell) {
  const int64_t total =
      static_cast<int64_t>(snapshot.tasks.size() + snapshot.states.size() +
                           snapshot.measurements.size());
  int64_t done = 0;
  // A message every 1% (at least every 1000 items) is enough to watch.
  const int64_t step = std::max<int64_t>(1000, total / 100);
  auto advance = [&](v1::RebuildProgress::Phase phase) {
    if (++done % step == 0) tell(phase, done, total);
  };
  if (absl::Status s = StageUnits(snapshot.units); !s.ok()) return s;
  for (const v1::Task& task : snapshot.tasks) {
    if (absl::Status s = StageDefinition(task, defined_at); !s.ok()) return s;
    advance(v1::RebuildProgress::PHASE_TASKS);
  }
  tell(v1::RebuildProgress::PHASE_TASKS, done, total);
  for (const v1::TaskState& state : snapshot.states) {
    advance(v1::RebuildProgress::PHASE_STATES);
    if (state.version() == 0) continue;  // nobody reported yet
    // The state took effect at its last report (not before what the
    // history holds: ApplyState keeps the order).
    const absl::Time effective =
        state.has_updated_at() ? FromProto(state.updated_at()) : defined_at;
    absl::StatusOr<std::optional<uint64_t>> previous =
        LogState(state.task_id(), state.version(), kState, state, effective);
    if (!previous.ok()) return previous.status();
    if (!previous->has_value()) continue;  // not newer than what is known
    Pending& p = staged_.emplace_back();
    p.kind = kState;
    p.at = effective;
    p.state = state;
  }
  tell(v1::RebuildProgress::PHASE_STATES, done, total);
  absl::flat_hash_map<std::string, std::string> unit_of;
  for (const v1::Task& t : snapshot.tasks) unit_of[t.id()] = t.unit();
  for (const v1::RecordedMeasurement& r : snapshot.measurements) {
    advance(v1::RebuildProgress::PHASE_MEASUREMENTS);
    v1::Measurement m = r.measurement();
    if (m.unit().empty()) m.set_unit(unit_of[r.task_id()]);
    const absl::Time recorded = FromProto(r.recorded_at());
    absl::StatusOr<bool> added =
        LogMeasurement(r.task_id(), r.report_id(), m, recorded);
    if (!added.ok()) return added.status();
    if (*added) {
      staged_measurements_.push_back({r.task_id(), r.report_id(), m, recorded});
    }
  }
  tell(v1::RebuildProgress::PHASE_MEASUREMENTS, done, total);
  return absl::OkStatus();
}

absl::Status AggregationStore::Merge(const OwnerSnapshot& snapshot,
                                     absl::Time at) {
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    return StageSnapshot(snapshot, at,
                         [](v1::RebuildProgress::Phase, int64_t, int64_t) {});
  });
  if (!status.ok()) {
    Discard();
    return status;
  }
  Commit();
  return absl::OkStatus();
}

absl::Status AggregationStore::Replace(
    const OwnerSnapshot& snapshot,
    const std::function<void(const v1::RebuildProgress&)>& progress) {
  auto tell = [&](v1::RebuildProgress::Phase phase, int64_t done,
                  int64_t total) {
    v1::RebuildProgress p;
    p.set_phase(phase);
    p.set_done(done);
    p.set_total(total);
    if (progress) progress(p);
  };
  staged_.clear();
  staged_measurements_.clear();
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    if (absl::Status s = db_.Exec("DELETE FROM versions; DELETE FROM changes; "
                                  "DELETE FROM measurements;");
        !s.ok()) {
      return s;
    }
    // Everything the snapshot has replaces the history: definitions as
    // known from the start, states as of their last report.
    return StageSnapshot(snapshot, absl::UnixEpoch(), tell);
  });
  if (!status.ok()) {
    Discard();
    return status;
  }
  {
    absl::MutexLock lock(&mu_);
    history_.Clear();
  }
  Commit();
  tell(v1::RebuildProgress::PHASE_DONE, 1, 1);
  return absl::OkStatus();
}

std::vector<v1::AggregationUnit> AggregationStore::Units() const {
  absl::ReaderMutexLock lock(&mu_);
  std::vector<v1::AggregationUnit> out;
  for (const UnitTree::Unit* u : units_.Units()) {
    v1::AggregationUnit& a = out.emplace_back();
    a.set_code(u->code);
    a.set_name(u->name);
    a.set_level(EnumFromWord<v1::UnitLevel>(u->level).value_or(
        v1::UNIT_LEVEL_UNSPECIFIED));
    a.set_parent(u->parent);
    for (const std::string& child : u->children) a.add_children(child);
  }
  return out;
}

absl::StatusOr<int64_t> AggregationStore::LoggedChanges() {
  int64_t n = 0;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare("SELECT COUNT(*) FROM changes");
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    n = q->Int(0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return n;
}

}  // namespace tiendo::aggregation
