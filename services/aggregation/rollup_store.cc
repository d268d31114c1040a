#include "services/aggregation/rollup_store.h"

#include "services/common/stored_proto.h"

namespace tiendo::aggregation {
namespace {

// Reads every record a query returns and hands it to `apply`.
template <typename Message, typename Fn>
absl::Status LoadAll(Database& db, absl::string_view sql, Fn apply) {
  absl::StatusOr<Statement> q = db.Prepare(sql);
  if (!q.ok()) return q.status();
  std::vector<Message> records;
  if (absl::Status s = CollectStored(*q, 0, records); !s.ok()) return s;
  for (const Message& record : records) apply(record);
  return absl::OkStatus();
}

}  // namespace

absl::Status RollupStore::Init() {
  absl::Status status = db_.Transaction([&] {
    return db_.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS task_definitions (
        task_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        record BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS task_states (
        task_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        record BLOB NOT NULL);
    )sql");
  });
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  return db_.Read([&]() -> absl::Status {
    if (absl::Status s = LoadAll<v1::Task>(
            db_, "SELECT record FROM task_definitions",
            [&](const v1::Task& task) { book_.ApplyDefinition(task); });
        !s.ok()) {
      return s;
    }
    return LoadAll<v1::TaskUpdated>(
        db_, "SELECT record FROM task_states",
        [&](const v1::TaskUpdated& update) { book_.ApplyUpdate(update); });
  });
}

absl::StatusOr<bool> RollupStore::WriteDefinition(const v1::Task& task) {
  absl::StatusOr<Statement> q = db_.Prepare(
      "INSERT INTO task_definitions(task_id, version, record) VALUES(?, ?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET version = excluded.version, "
      "record = excluded.record WHERE excluded.version >= "
      "task_definitions.version");
  if (!q.ok()) return q.status();
  const std::string record = task.SerializeAsString();
  q->Bind(task.id(), static_cast<int64_t>(task.version()),
          Statement::Blob{record});
  if (absl::Status s = q->Run(); !s.ok()) return s;
  return db_.Changes() > 0;
}

absl::StatusOr<bool> RollupStore::WriteUpdate(const v1::TaskUpdated& update) {
  // The version guard: a redelivered or older update changes nothing.
  absl::StatusOr<Statement> q = db_.Prepare(
      "INSERT INTO task_states(task_id, version, record) VALUES(?, ?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET version = excluded.version, "
      "record = excluded.record WHERE excluded.version > task_states.version");
  if (!q.ok()) return q.status();
  const std::string record = update.SerializeAsString();
  q->Bind(update.task_id(), static_cast<int64_t>(update.version()),
          Statement::Blob{record});
  if (absl::Status s = q->Run(); !s.ok()) return s;
  return db_.Changes() > 0;
}

absl::Status RollupStore::StageDefinition(const v1::Task& task) {
  absl::StatusOr<bool> changed = WriteDefinition(task);
  if (!changed.ok()) return changed.status();
  if (*changed) staged_definitions_.push_back(task);
  return absl::OkStatus();
}

absl::Status RollupStore::StageUpdate(const v1::TaskUpdated& update) {
  absl::StatusOr<bool> changed = WriteUpdate(update);
  if (!changed.ok()) return changed.status();
  if (*changed) staged_updates_.push_back(update);
  return absl::OkStatus();
}

absl::Status RollupStore::Restore(const std::vector<v1::Task>& tasks,
                                  const std::vector<v1::TaskUpdated>& states) {
  std::vector<const v1::Task*> new_tasks;
  std::vector<const v1::TaskUpdated*> new_states;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    for (const v1::Task& task : tasks) {
      absl::StatusOr<bool> changed = WriteDefinition(task);
      if (!changed.ok()) return changed.status();
      if (*changed) new_tasks.push_back(&task);
    }
    for (const v1::TaskUpdated& update : states) {
      absl::StatusOr<bool> changed = WriteUpdate(update);
      if (!changed.ok()) return changed.status();
      if (*changed) new_states.push_back(&update);
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  absl::MutexLock lock(&mu_);
  for (const v1::Task* task : new_tasks) book_.ApplyDefinition(*task);
  for (const v1::TaskUpdated* update : new_states) book_.ApplyUpdate(*update);
  return absl::OkStatus();
}

void RollupStore::Commit() {
  absl::MutexLock lock(&mu_);
  for (const v1::Task& task : staged_definitions_) book_.ApplyDefinition(task);
  for (const v1::TaskUpdated& u : staged_updates_) book_.ApplyUpdate(u);
  staged_definitions_.clear();
  staged_updates_.clear();
}

void RollupStore::Discard() {
  staged_definitions_.clear();
  staged_updates_.clear();
}

v1::Rollup RollupStore::Rollup(const std::string& unit,
                               absl::CivilDay today) const {
  absl::MutexLock lock(&mu_);
  return book_.Rollup(unit, today);
}

}  // namespace tiendo::aggregation
