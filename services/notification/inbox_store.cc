#include "services/notification/inbox_store.h"

#include "absl/strings/str_cat.h"
#include "services/notification/reminder_text.h"

namespace tiendo::notification {

absl::Status InboxStore::Init() {
  return db_.Transaction([&] {
    return db_.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        agency TEXT NOT NULL,
        delivery_key TEXT NOT NULL UNIQUE,
        record BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS inbox_by_agency ON inbox(agency, id);
      CREATE TABLE IF NOT EXISTS task_status (
        task_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        done INTEGER NOT NULL);
    )sql");
  });
}

absl::StatusOr<int> InboxStore::AddReminder(const v1::EventEnvelope& envelope) {
  const v1::DeadlineApproaching& event = envelope.deadline_approaching();
  if (event.task_id().empty() || event.reminder_key().empty()) {
    return absl::InvalidArgumentError(
        "deadline_approaching: task_id and reminder_key are required");
  }
  absl::StatusOr<Statement> done =
      db_.Prepare("SELECT done FROM task_status WHERE task_id = ?");
  if (!done.ok()) return done.status();
  done->Bind(event.task_id());
  absl::StatusOr<bool> row = done->Step();
  if (!row.ok()) return row.status();
  if (*row && done->Int(0) != 0) return 0;

  absl::StatusOr<Statement> insert = db_.Prepare(
      "INSERT INTO inbox(agency, delivery_key, record) VALUES(?, ?, ?) "
      "ON CONFLICT(delivery_key) DO NOTHING");
  if (!insert.ok()) return insert.status();
  int added = 0;
  for (const v1::Notification& n : ComposeNotifications(envelope)) {
    const std::string record = n.SerializeAsString();
    insert->Reset();
    insert->Bind(n.agency(),
                 absl::StrCat(event.reminder_key(), "→", n.agency()),
                 Statement::Blob{record});
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    added += db_.Changes();
  }
  return added;
}

absl::Status InboxStore::ApplyTaskUpdate(const v1::TaskUpdated& update) {
  absl::StatusOr<Statement> q = db_.Prepare(
      "INSERT INTO task_status(task_id, version, done) VALUES(?, ?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET version = excluded.version, "
      "done = excluded.done WHERE excluded.version > task_status.version");
  if (!q.ok()) return q.status();
  q->Bind(update.task_id(), static_cast<int64_t>(update.version()),
          update.status() == v1::TASK_STATUS_DONE ? 1 : 0);
  return q->Run();
}

absl::StatusOr<std::vector<v1::Notification>> InboxStore::List(
    const std::string& agency, int64_t after_id) {
  std::vector<v1::Notification> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT id, record FROM inbox WHERE agency = ? AND id > ? ORDER BY "
        "id");
    if (!q.ok()) return q.status();
    q->Bind(agency, after_id);
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      v1::Notification& n = out.emplace_back();
      if (!n.ParseFromString(q->Text(1))) {
        return absl::DataLossError("inbox: unreadable stored notification");
      }
      n.set_id(q->Int(0));
    }
  });
  if (!status.ok()) return status;
  return out;
}

}  // namespace tiendo::notification
