#include "services/plan/plan_store.h"

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"

namespace tiendo::plan {
namespace {

enum ReminderState {
  kPending = v1::ReminderPoint::STATE_PENDING,
  kSent = v1::ReminderPoint::STATE_SENT,
  kCancelled = v1::ReminderPoint::STATE_CANCELLED,
  kSuperseded = v1::ReminderPoint::STATE_SUPERSEDED,
};

}  // namespace

absl::Status PlanStore::Init() {
  return db_.Transaction([&] {
    return db_.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS plans (
        id TEXT PRIMARY KEY,
        unit TEXT NOT NULL,
        record BLOB NOT NULL);
      CREATE TABLE IF NOT EXISTS tasks (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plans(id),
        unit TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        record BLOB NOT NULL,
        done INTEGER NOT NULL DEFAULT 0,
        status_version INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS tasks_by_plan ON tasks(plan_id, ordinal);
      CREATE INDEX IF NOT EXISTS tasks_by_unit ON tasks(unit, ordinal);
      CREATE TABLE IF NOT EXISTS reminders (
        task_id TEXT NOT NULL REFERENCES tasks(id),
        days_before INTEGER NOT NULL,
        overdue INTEGER NOT NULL,
        fire_at INTEGER NOT NULL,
        state INTEGER NOT NULL,
        PRIMARY KEY (task_id, days_before, overdue));
      -- The scanner's time-ordered index: a tick reads only what is due.
      CREATE INDEX IF NOT EXISTS reminders_due ON reminders(state, fire_at);
      -- The agency registry as one JSON document: small, read whole by
      -- every import, changed rarely.
      CREATE TABLE IF NOT EXISTS registry (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        document TEXT NOT NULL);
    )sql");
  });
}

absl::Status PlanStore::CreatePlan(const PlanDraft& draft) {
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> exists =
        db_.Prepare("SELECT 1 FROM plans WHERE id = ?");
    if (!exists.ok()) return exists.status();
    exists->Bind(draft.plan.id());
    absl::StatusOr<bool> found = exists->Step();
    if (!found.ok()) return found.status();
    if (*found) {
      return absl::AlreadyExistsError(
          absl::StrCat("plan ", draft.plan.id(), " already exists"));
    }
    absl::StatusOr<Statement> insert_plan =
        db_.Prepare("INSERT INTO plans(id, unit, record) VALUES(?, ?, ?)");
    if (!insert_plan.ok()) return insert_plan.status();
    const std::string plan_record = draft.plan.SerializeAsString();
    insert_plan->Bind(draft.plan.id(), draft.plan.unit(),
                      Statement::Blob{plan_record});
    if (absl::Status s = insert_plan->Run(); !s.ok()) return s;

    absl::StatusOr<Statement> insert_task = db_.Prepare(
        "INSERT INTO tasks(id, plan_id, unit, ordinal, record) "
        "VALUES(?, ?, ?, ?, ?)");
    absl::StatusOr<Statement> insert_reminder = db_.Prepare(
        "INSERT INTO reminders(task_id, days_before, overdue, fire_at, state) "
        "VALUES(?, ?, ?, ?, ?)");
    if (!insert_task.ok()) return insert_task.status();
    if (!insert_reminder.ok()) return insert_reminder.status();
    int ordinal = 0;
    for (const v1::Task& task : draft.tasks) {
      const std::string record = task.SerializeAsString();
      insert_task->Reset();
      insert_task->Bind(task.id(), task.plan_id(), task.unit(), ordinal++,
                        Statement::Blob{record});
      if (absl::Status s = insert_task->Run(); !s.ok()) return s;
      if (IsSet(task.due_date())) {
        const absl::CivilDay due(task.due_date().year(),
                                 task.due_date().month(),
                                 task.due_date().day());
        for (const ReminderPoint& point : ReminderPoints(due, lead_days_)) {
          insert_reminder->Reset();
          insert_reminder->Bind(task.id(), point.days_before,
                                point.overdue ? 1 : 0,
                                absl::ToUnixSeconds(point.fire_at), kPending);
          if (absl::Status s = insert_reminder->Run(); !s.ok()) return s;
        }
      }
      v1::EventEnvelope event;
      event.set_unit(task.unit());
      v1::PlanChanged* changed = event.mutable_plan_changed();
      changed->set_change(v1::PlanChanged::CHANGE_DEFINED);
      *changed->mutable_task() = task;
      changed->set_plan_number(draft.plan.number());
      changed->set_plan_title(draft.plan.title());
      if (absl::Status s = outbox_.Append(kPlanChangedTopic, task.id(), event);
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<v1::Plan> PlanStore::GetPlan(const std::string& plan_id) {
  std::optional<v1::Plan> plan;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT record FROM plans WHERE id = ?");
    if (!q.ok()) return q.status();
    q->Bind(plan_id);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<v1::Plan> parsed = ParseStored<v1::Plan>(*q, 0);
    if (!parsed.ok()) return parsed.status();
    plan = *std::move(parsed);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!plan) {
    return absl::NotFoundError(absl::StrCat("plan_id: no plan ", plan_id));
  }
  return *plan;
}

absl::StatusOr<std::vector<v1::Plan>> PlanStore::ListPlans(
    const std::string& unit) {
  std::vector<v1::Plan> plans;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record FROM plans WHERE ?1 = '' OR unit = ?1 ORDER BY id");
    if (!q.ok()) return q.status();
    q->Bind(unit);
    return CollectStored(*q, 0, plans);
  });
  if (!status.ok()) return status;
  return plans;
}

absl::StatusOr<std::vector<v1::Task>> PlanStore::ListTasks(
    const std::string& plan_id, const std::string& unit) {
  std::vector<v1::Task> tasks;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record FROM tasks WHERE (?1 = '' OR plan_id = ?1) AND "
        "(?2 = '' OR unit = ?2) ORDER BY plan_id, ordinal");
    if (!q.ok()) return q.status();
    q->Bind(plan_id, unit);
    return CollectStored(*q, 0, tasks);
  });
  if (!status.ok()) return status;
  return tasks;
}

absl::StatusOr<v1::TaskView> PlanStore::GetTask(const std::string& task_id) {
  std::optional<v1::TaskView> view;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT record, done FROM tasks WHERE id = ?");
    if (!q.ok()) return q.status();
    q->Bind(task_id);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*q, 0);
    if (!task.ok()) return task.status();
    view.emplace();
    *view->mutable_task() = *std::move(task);
    view->set_done(q->Int(1) != 0);
    absl::StatusOr<Statement> r = db_.Prepare(
        "SELECT fire_at, days_before, overdue, state FROM reminders WHERE "
        "task_id = ? ORDER BY fire_at");
    if (!r.ok()) return r.status();
    r->Bind(task_id);
    for (;;) {
      absl::StatusOr<bool> more = r->Step();
      if (!more.ok()) return more.status();
      if (!*more) break;
      v1::ReminderPoint* point = view->add_reminders();
      *point->mutable_fire_at() = ToProto(absl::FromUnixSeconds(r->Int(0)));
      point->set_days_before(static_cast<int32_t>(r->Int(1)));
      point->set_overdue(r->Int(2) != 0);
      point->set_state(static_cast<v1::ReminderPoint::State>(r->Int(3)));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!view) {
    return absl::NotFoundError(absl::StrCat("task_id: no task ", task_id));
  }
  return *view;
}

absl::Status PlanStore::ApplyTaskStatus(const std::string& task_id,
                                        uint64_t version, bool done,
                                        absl::Time now) {
  absl::StatusOr<Statement> update = db_.Prepare(
      "UPDATE tasks SET done = ?, status_version = ? WHERE id = ? AND "
      "status_version < ?");
  if (!update.ok()) return update.status();
  update->Bind(done ? 1 : 0, static_cast<int64_t>(version), task_id,
               static_cast<int64_t>(version));
  if (absl::Status s = update->Run(); !s.ok()) return s;
  if (db_.Changes() == 0) return absl::OkStatus();  // unknown or stale
  absl::StatusOr<Statement> reminders =
      done ? db_.Prepare(
                 "UPDATE reminders SET state = ?2 WHERE task_id = ?1 "
                 "AND state = ?3")
           : db_.Prepare(
                 "UPDATE reminders SET state = ?3 WHERE task_id = ?1 "
                 "AND state = ?2 AND fire_at > ?4");
  if (!reminders.ok()) return reminders.status();
  reminders->Bind(task_id, kCancelled, kPending, absl::ToUnixSeconds(now));
  return reminders->Run();
}

absl::StatusOr<int> PlanStore::AnnounceDueReminders(absl::Time now) {
  int sent = 0;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> due = db_.Prepare(
        "SELECT r.task_id, r.days_before, r.overdue, r.fire_at, t.record "
        "FROM reminders r JOIN tasks t ON t.id = r.task_id "
        "WHERE r.state = ? AND r.fire_at <= ? ORDER BY r.fire_at LIMIT 10000");
    if (!due.ok()) return due.status();
    due->Bind(kPending, absl::ToUnixSeconds(now));
    struct TaskPoints {
      v1::Task task;
      std::vector<ReminderPoint> points;
    };
    std::vector<std::string> order;
    absl::flat_hash_map<std::string, TaskPoints> by_task;
    for (;;) {
      absl::StatusOr<bool> row = due->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const std::string task_id = due->Text(0);
      auto [it, inserted] = by_task.try_emplace(task_id);
      if (inserted) {
        absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*due, 4);
        if (!task.ok()) return task.status();
        it->second.task = *std::move(task);
        order.push_back(task_id);
      }
      it->second.points.push_back({absl::FromUnixSeconds(due->Int(3)),
                                   static_cast<int>(due->Int(1)),
                                   due->Int(2) != 0});
    }
    absl::StatusOr<Statement> mark = db_.Prepare(
        "UPDATE reminders SET state = ? WHERE task_id = ? AND days_before = ? "
        "AND overdue = ?");
    if (!mark.ok()) return mark.status();
    for (const std::string& task_id : order) {
      const TaskPoints& tp = by_task[task_id];
      const size_t latest = LatestPoint(tp.points);
      for (size_t i = 0; i < tp.points.size(); ++i) {
        mark->Reset();
        mark->Bind(i == latest ? kSent : kSuperseded, task_id,
                   tp.points[i].days_before, tp.points[i].overdue ? 1 : 0);
        if (absl::Status s = mark->Run(); !s.ok()) return s;
      }
      v1::EventEnvelope event;
      event.set_unit(tp.task.unit());
      *event.mutable_deadline_approaching() =
          BuildDeadlineEvent(tp.task, tp.points[latest], now);
      if (absl::Status s =
              outbox_.Append(kDeadlineApproachingTopic, task_id, event);
          !s.ok()) {
        return s;
      }
      ++sent;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return sent;
}

namespace {

absl::StatusOr<plantext::AgencyRegistry> ReadRegistry(Database& db) {
  absl::StatusOr<Statement> q =
      db.Prepare("SELECT document FROM registry WHERE id = 1");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  const std::string document =
      *row ? q->Text(0) : plantext::DefaultRegistryJson();
  return plantext::AgencyRegistry::FromJson(document);
}

}  // namespace

absl::StatusOr<plantext::AgencyRegistry> PlanStore::LoadRegistry() {
  std::optional<plantext::AgencyRegistry> registry;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<plantext::AgencyRegistry> loaded = ReadRegistry(db_);
    if (!loaded.ok()) return loaded.status();
    registry = std::move(*loaded);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*registry);
}

absl::Status PlanStore::UpdateRegistry(
    const std::function<absl::Status(plantext::AgencyRegistry&)>& change) {
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<plantext::AgencyRegistry> registry = ReadRegistry(db_);
    if (!registry.ok()) return registry.status();
    if (absl::Status s = change(*registry); !s.ok()) return s;
    absl::StatusOr<Statement> save = db_.Prepare(
        "INSERT INTO registry(id, document) VALUES(1, ?) "
        "ON CONFLICT(id) DO UPDATE SET document = excluded.document");
    if (!save.ok()) return save.status();
    save->Bind(registry->ToJson());
    return save->Run();
  });
}

absl::StatusOr<v1::Task> PlanStore::SetTaskLinks(
    const std::string& task_id, const std::vector<std::string>& links,
    bool confirmed) {
  v1::Task task;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT t.record, p.record FROM tasks t JOIN plans p ON p.id = "
        "t.plan_id WHERE t.id = ?");
    if (!q.ok()) return q.status();
    q->Bind(task_id);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(
          absl::StrCat("task_id: no task '", task_id, "'"));
    }
    absl::StatusOr<v1::Task> stored = ParseStored<v1::Task>(*q, 0);
    if (!stored.ok()) return stored.status();
    absl::StatusOr<v1::Plan> plan = ParseStored<v1::Plan>(*q, 1);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<Statement> exists =
        db_.Prepare("SELECT 1 FROM tasks WHERE id = ?");
    if (!exists.ok()) return exists.status();
    for (size_t i = 0; i < links.size(); ++i) {
      exists->Reset();
      exists->Bind(links[i]);
      absl::StatusOr<bool> found = exists->Step();
      if (!found.ok()) return found.status();
      if (!*found || links[i] == task_id) {
        return absl::NotFoundError(
            absl::StrCat("implements[", i, "]: no task '", links[i], "'"));
      }
    }
    task = *std::move(stored);
    task.clear_implements();
    for (const std::string& link : links) task.add_implements(link);
    task.set_implements_confirmed(confirmed);
    task.set_version(task.version() + 1);
    absl::StatusOr<Statement> update =
        db_.Prepare("UPDATE tasks SET record = ? WHERE id = ?");
    if (!update.ok()) return update.status();
    const std::string record = task.SerializeAsString();
    update->Bind(Statement::Blob{record}, task_id);
    if (absl::Status s = update->Run(); !s.ok()) return s;
    v1::EventEnvelope event;
    event.set_unit(task.unit());
    v1::PlanChanged* changed = event.mutable_plan_changed();
    changed->set_change(v1::PlanChanged::CHANGE_UPDATED);
    *changed->mutable_task() = task;
    changed->set_plan_number(plan->number());
    changed->set_plan_title(plan->title());
    return outbox_.Append(kPlanChangedTopic, task.id(), event);
  });
  if (!status.ok()) return status;
  return task;
}

}  // namespace tiendo::plan
