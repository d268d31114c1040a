#include "services/notification/inbox_store.h"

#include "absl/strings/str_cat.h"
#include "services/notification/notification_schema.h"
#include "services/notification/reminder_text.h"

namespace tiendo::notification {

namespace {

// task_status.done: whether the latest report said the task is done, and
// whether that report was about the whole task (the value rows written
// before occurrences existed have) or about one of its occurrences.
constexpr int kNotDone = 0;
constexpr int kDoneByTaskReport = 1;
constexpr int kDoneByOccurrenceReport = 2;

bool IsDoneStatus(v1::OccurrenceStatus status) {
  return status == v1::OCCURRENCE_STATUS_DONE ||
         status == v1::OCCURRENCE_STATUS_DONE_LATE;
}

}  // namespace

absl::Status InboxStore::Init() {
  return MigrateSchema(db_, NotificationSchema()).status();
}

absl::StatusOr<bool> InboxStore::IsDone(const v1::DeadlineApproaching& event) {
  absl::StatusOr<Statement> q = db_.Prepare(
      "SELECT 1 FROM task_status WHERE task_id = ?1 AND "
      "(done = ?3 OR (done = ?4 AND ?2 = '')) "
      "UNION ALL "
      "SELECT 1 FROM occurrence_status WHERE occurrence_id = ?2 AND done <> 0");
  if (!q.ok()) return q.status();
  q->Bind(event.task_id(), event.occurrence_id(), kDoneByTaskReport,
          kDoneByOccurrenceReport);
  return q->Step();
}

absl::StatusOr<int> InboxStore::Insert(
    const std::vector<Delivery>& deliveries) {
  absl::StatusOr<Statement> insert = db_.Prepare(
      "INSERT INTO inbox(agency, delivery_key, record) VALUES(?, ?, ?) "
      "ON CONFLICT(delivery_key) DO NOTHING");
  if (!insert.ok()) return insert.status();
  int added = 0;
  for (const Delivery& d : deliveries) {
    const std::string record = d.notification.SerializeAsString();
    insert->Reset();
    insert->Bind(d.notification.agency(), d.key, Statement::Blob{record});
    if (absl::Status s = insert->Run(); !s.ok()) return s;
    if (db_.Changes() == 0) continue;  // stored before
    ++added;
    if (subscriptions_ == nullptr) continue;
    absl::StatusOr<Statement> id =
        db_.Prepare("SELECT id FROM inbox WHERE delivery_key = ?");
    if (!id.ok()) return id.status();
    id->Bind(d.key);
    absl::StatusOr<bool> row = id->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::InternalError("inbox: inserted entry not found");
    v1::Notification n = d.notification;
    n.set_id(id->Int(0));
    if (absl::Status s = subscriptions_->AddDeliveries(d.key, n).status();
        !s.ok()) {
      return s;
    }
  }
  return added;
}

absl::StatusOr<int> InboxStore::AddReminder(const v1::EventEnvelope& envelope) {
  const v1::DeadlineApproaching& event = envelope.deadline_approaching();
  if (event.task_id().empty() || event.reminder_key().empty()) {
    return absl::InvalidArgumentError(
        "deadline_approaching: task_id and reminder_key are required");
  }
  absl::StatusOr<bool> done = IsDone(event);
  if (!done.ok()) return done.status();
  if (*done) return 0;
  return Insert(ComposeDeliveries(envelope, templates_));
}

absl::Status InboxStore::ApplyTaskUpdate(const v1::TaskUpdated& update) {
  const bool whole_task = update.occurrence_id().empty();
  absl::StatusOr<Statement> task = db_.Prepare(
      "INSERT INTO task_status(task_id, version, done) VALUES(?, ?, ?) "
      "ON CONFLICT(task_id) DO UPDATE SET version = excluded.version, "
      "done = excluded.done WHERE excluded.version > task_status.version");
  if (!task.ok()) return task.status();
  task->Bind(update.task_id(), static_cast<int64_t>(update.version()),
             update.status() != v1::TASK_STATUS_DONE ? kNotDone
             : whole_task                            ? kDoneByTaskReport
                                                     : kDoneByOccurrenceReport);
  if (absl::Status s = task->Run(); !s.ok()) return s;
  const bool task_done_now =
      db_.Changes() > 0 && update.status() == v1::TASK_STATUS_DONE;
  if (whole_task) {
    if (task_done_now && subscriptions_ != nullptr) {
      return subscriptions_->DropFromDigests(update.task_id(), "");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Statement> occurrence = db_.Prepare(
      "INSERT INTO occurrence_status(occurrence_id, task_id, version, done) "
      "VALUES(?, ?, ?, ?) "
      "ON CONFLICT(occurrence_id) DO UPDATE SET version = excluded.version, "
      "done = excluded.done "
      "WHERE excluded.version > occurrence_status.version");
  if (!occurrence.ok()) return occurrence.status();
  const bool done = IsDoneStatus(update.occurrence_status());
  occurrence->Bind(update.occurrence_id(), update.task_id(),
                   static_cast<int64_t>(update.version()), done ? 1 : 0);
  if (absl::Status s = occurrence->Run(); !s.ok()) return s;
  // What is done leaves the digests; one occurrence done leaves the task's
  // other occurrences in them.
  if (done && db_.Changes() > 0 && subscriptions_ != nullptr) {
    return subscriptions_->DropFromDigests(update.task_id(),
                                           update.occurrence_id());
  }
  return absl::OkStatus();
}

absl::StatusOr<int> InboxStore::AddNotices(const v1::EventEnvelope& envelope) {
  if (envelope.has_target_at_risk()) {
    const v1::TargetAtRisk& warning = envelope.target_at_risk();
    if (warning.task_id().empty() || warning.warning_key().empty()) {
      return absl::InvalidArgumentError(
          "target_at_risk: task_id and warning_key are required");
    }
  } else if (!envelope.has_task_updated()) {
    return 0;
  }
  return Insert(ComposeDeliveries(envelope, templates_));
}

absl::StatusOr<std::vector<v1::Notification>> InboxStore::List(
    const std::string& agency, int64_t after_id, const PageRequest& page,
    std::string* next_page_token) {
  std::vector<v1::Notification> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT i.id, i.record, r.id IS NOT NULL FROM inbox i "
        "LEFT JOIN inbox_read r ON r.id = i.id "
        "WHERE i.agency = ? AND i.id > ? ORDER BY i.id LIMIT ?");
    if (!q.ok()) return q.status();
    q->Bind(agency, after_id, page.Limit());
    PageCursor cursor(page, next_page_token);
    return q->ForEachRow([&](const Statement& row) {
      if (!cursor.Take(row.Text(0))) return absl::OkStatus();
      v1::Notification& n = out.emplace_back();
      if (!n.ParseFromString(row.Text(1))) {
        return absl::DataLossError("inbox: unreadable stored notification");
      }
      n.set_id(row.Int(0));
      n.set_read(row.Int(2) != 0);
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<int> InboxStore::MarkRead(const std::string& agency,
                                         const std::vector<int64_t>& ids) {
  int marked = 0;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "INSERT INTO inbox_read(id) SELECT id FROM inbox "
        "WHERE id = ? AND agency = ? ON CONFLICT(id) DO NOTHING");
    if (!q.ok()) return q.status();
    for (int64_t id : ids) {
      q->Reset();
      q->Bind(id, agency);
      if (absl::Status s = q->Run(); !s.ok()) return s;
      marked += db_.Changes();
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return marked;
}

}  // namespace tiendo::notification
