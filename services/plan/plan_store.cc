#include "services/plan/plan_store.h"

#include <cstddef>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"
#include "services/common/unit_ref.h"
#include "services/plan/occurrences.h"

namespace tiendo::plan {
namespace {

enum ReminderState {
  kPending = v1::ReminderPoint::STATE_PENDING,
  kSent = v1::ReminderPoint::STATE_SENT,
  kCancelled = v1::ReminderPoint::STATE_CANCELLED,
  kSuperseded = v1::ReminderPoint::STATE_SUPERSEDED,
};
// The scanner's partial index holds pending points only; SQLite uses it
// only for queries that spell the same condition, so it is written out.
static_assert(kPending == 1, "reminders_pending is defined on state = 1");

// For a nullable flag bound as an integer: -1 leaves the column as it is.
int FlagOrKeep(const std::optional<bool>& flag) {
  return flag ? (*flag ? 1 : 0) : -1;
}

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

// Inserts occurrences and their reminder points with statements prepared
// once per transaction: a national plan set inserts millions of rows.
//
// The escalation point is stored as an overdue point (overdue = 1) with
// days_before = -N, N being the delay it was made with, rather than in a
// new column: the primary key (occurrence, days_before, overdue) already
// keeps it apart from the overdue point (days_before = 0), existing rows
// and the schema of existing databases stay as they are, and the cancel,
// restore and pending-index queries, which do not look at the kind of
// point, treat it like any other. An older binary reading it would take it
// for the overdue point, with the same reminder key, which consumers drop
// as a duplicate.
class OccurrenceWriter {
 public:
  static absl::StatusOr<OccurrenceWriter> Create(Database& db,
                                                 const ReminderRules& rules) {
    absl::StatusOr<Statement> occurrence = db.Prepare(
        "INSERT INTO occurrences(task_id, key) VALUES(?, ?) RETURNING seq");
    if (!occurrence.ok()) return occurrence.status();
    absl::StatusOr<Statement> point = db.Prepare(
        "INSERT INTO reminders(occurrence, days_before, overdue, fire_at, "
        "state) VALUES(?, ?, ?, ?, ?)");
    if (!point.ok()) return point.status();
    return OccurrenceWriter(db, rules, *std::move(occurrence),
                            *std::move(point));
  }

  absl::Status Add(const v1::Task& task, const v1::Occurrence& occurrence,
                   const v1::ReminderPolicy& policy) {
    insert_occurrence_.Reset();
    insert_occurrence_.Bind(task.id(), occurrence.key());
    absl::StatusOr<bool> row = insert_occurrence_.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::InternalError("occurrence insert returned no row");
    const int64_t seq = insert_occurrence_.Int(0);
    if (absl::Status s = insert_occurrence_.Run(); !s.ok()) return s;
    const std::optional<absl::CivilDay> due = OccurrenceDue(occurrence);
    if (!due) return absl::OkStatus();
    bool escalates = false;
    if (rules_.EscalationDays(policy) > 0) {
      absl::StatusOr<bool> upper = HasUpperStandingBody(task.unit());
      if (!upper.ok()) return upper.status();
      escalates = *upper;
    }
    for (const ReminderPoint& point :
         rules_.Points(*due, task.kind(), policy, escalates)) {
      insert_point_.Reset();
      insert_point_.Bind(seq, point.days_before, point.overdue ? 1 : 0,
                         absl::ToUnixSeconds(point.fire_at), kPending);
      if (absl::Status s = insert_point_.Run(); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

 private:
  OccurrenceWriter(Database& db, const ReminderRules& rules,
                   Statement occurrence, Statement point)
      : db_(db),
        rules_(rules),
        insert_occurrence_(std::move(occurrence)),
        insert_point_(std::move(point)) {}

  // Whether the registry gives `unit` a standing body above it. The
  // registry is read the first time it is needed, at most once per
  // writer: most plans are one unit's, and plans with no escalation never
  // read it.
  absl::StatusOr<bool> HasUpperStandingBody(const std::string& unit) {
    if (auto it = escalates_.find(unit); it != escalates_.end()) {
      return it->second;
    }
    if (!registry_) {
      absl::StatusOr<plantext::AgencyRegistry> loaded = ReadRegistry(db_);
      if (!loaded.ok()) return loaded.status();
      registry_ = *std::move(loaded);
    }
    const bool upper = FindUpperStandingBody(*registry_, unit).has_value();
    escalates_.emplace(unit, upper);
    return upper;
  }

  Database& db_;
  const ReminderRules& rules_;
  Statement insert_occurrence_;
  Statement insert_point_;
  std::optional<plantext::AgencyRegistry> registry_;
  absl::flat_hash_map<std::string, bool> escalates_;
};

// The occurrence `key` of a stored task. Tasks stored before occurrences
// existed have none: their only points belong to the milestone at their
// due date, rebuilt here.
v1::Occurrence FindOccurrence(const v1::Task& task, const std::string& key) {
  for (const v1::Occurrence& o : task.occurrences()) {
    if (o.key() == key) return o;
  }
  v1::Occurrence o;
  o.set_id(OccurrenceId(task.id(), key));
  o.set_key(key);
  if (std::optional<absl::CivilDay> day = ParseDay(key)) {
    o.set_kind(v1::Occurrence::KIND_MILESTONE);
    *o.mutable_due() = ToProto(*day);
    o.set_label(FormatDayVi(*day));
  } else {
    *o.mutable_due() = task.due_date();
    o.set_label(key);
  }
  return o;
}

// Inside a transaction: `unit` and the units above it in the registry.
absl::StatusOr<std::vector<v1::UnitRef>> UnitPath(Database& db,
                                                  const std::string& unit) {
  absl::StatusOr<plantext::AgencyRegistry> registry = ReadRegistry(db);
  if (!registry.ok()) return registry.status();
  std::vector<v1::UnitRef> path;
  std::string code = unit;
  // The registry refuses cycles; the bound is for a hand-edited copy.
  for (int depth = 0; depth < 16 && !code.empty(); ++depth) {
    const plantext::RegistryUnit* u = registry->Unit(code);
    if (u == nullptr) break;
    v1::UnitRef& ref = path.emplace_back();
    ref.set_code(u->code);
    ref.set_name(u->name);
    SetLevel(EnumFromWord<v1::UnitLevel>(u->level).value_or(
                 v1::UNIT_LEVEL_UNSPECIFIED),
             ref);
    ref.set_parent(u->parent);
    code = u->parent;
  }
  return path;
}

absl::Status QueuePlanChanged(Outbox& outbox, const v1::Task& task,
                              const v1::Plan& plan,
                              v1::PlanChanged::Change change,
                              const std::vector<v1::UnitRef>& unit_path) {
  v1::EventEnvelope event;
  event.set_unit(task.unit());
  v1::PlanChanged* changed = event.mutable_plan_changed();
  changed->set_change(change);
  *changed->mutable_task() = task;
  changed->set_plan_number(plan.number());
  changed->set_plan_title(plan.title());
  for (const v1::UnitRef& u : unit_path) *changed->add_unit_path() = u;
  return outbox.Append(kPlanChangedTopic, task.id(), event);
}

// Inside a transaction: tells the other services that `task` of `plan`
// changed after it was defined.
absl::Status QueueTaskUpdated(Database& db, Outbox& outbox,
                              const v1::Task& task, const v1::Plan& plan) {
  absl::StatusOr<std::vector<v1::UnitRef>> unit_path =
      UnitPath(db, task.unit());
  if (!unit_path.ok()) return unit_path.status();
  return QueuePlanChanged(outbox, task, plan, v1::PlanChanged::CHANGE_UPDATED,
                          *unit_path);
}

// A stored task with the plan it belongs to.
struct TaskAndPlan {
  v1::Task task;
  v1::Plan plan;
};

// Reads task `task_id` and its plan; NotFound when there is no such task.
absl::StatusOr<TaskAndPlan> ReadTaskAndPlan(Database& db,
                                            const std::string& task_id) {
  absl::StatusOr<Statement> q = db.Prepare(
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
  absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*q, 0);
  if (!task.ok()) return task.status();
  absl::StatusOr<v1::Plan> plan = ParseStored<v1::Plan>(*q, 1);
  if (!plan.ok()) return plan.status();
  return TaskAndPlan{*std::move(task), *std::move(plan)};
}

// Fills the names people read in a deadline event: the unit and agencies
// as the plan writes them; an agency of another unit (the provincial
// police an escalation goes to) as the registry names it, with its unit.
void NameAgencies(const v1::Plan& plan,
                  const plantext::AgencyRegistry* registry,
                  v1::DeadlineApproaching& event) {
  event.set_unit_name(plan.unit_name());
  auto& names = *event.mutable_agency_names();
  for (const v1::Agency& a : plan.agencies()) {
    if (!a.name().empty()) names[a.code()] = a.name();
  }
  const std::string& upper = event.upper_standing_agency();
  if (upper.empty() || registry == nullptr) return;
  if (const plantext::RegistryAgency* a = registry->Agency(upper)) {
    const plantext::RegistryUnit* u = registry->Unit(event.upper_unit());
    names[upper] = u == nullptr ? a->name : absl::StrCat(a->name, " ", u->name);
  }
}

// The occurrences with reminder points due at `now`, in the order of their
// earliest point, from at most `batch_points` points; `more` tells whether
// points were left.
absl::StatusOr<std::vector<int64_t>> DueOccurrences(Database& db,
                                                    absl::Time now,
                                                    int batch_points,
                                                    bool& more) {
  absl::StatusOr<Statement> due = db.Prepare(
      "SELECT occurrence FROM reminders WHERE state = 1 AND fire_at <= ? "
      "ORDER BY fire_at LIMIT ?");
  if (!due.ok()) return due.status();
  due->Bind(absl::ToUnixSeconds(now), batch_points);
  std::vector<int64_t> order;
  absl::flat_hash_set<int64_t> seen;
  int rows = 0;
  for (;;) {
    absl::StatusOr<bool> row = due->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ++rows;
    const int64_t seq = due->Int(0);
    if (seen.insert(seq).second) order.push_back(seq);
  }
  more = rows == batch_points;
  return order;
}

// Announces due reminder points one occurrence at a time, inside the
// caller's transaction: the latest due point of an occurrence goes out as
// an event through the outbox, the others are superseded. The statements
// are prepared once per batch.
class ReminderAnnouncer {
 public:
  ReminderAnnouncer(Database& db, Outbox& outbox, absl::Time now)
      : db_(db),
        outbox_(outbox),
        now_(now),
        occurrence_(db.Prepare(
            "SELECT task_id, key, blocked FROM occurrences WHERE seq = ?")),
        points_(
            db.Prepare("SELECT days_before, overdue, fire_at FROM reminders "
                       "WHERE occurrence = ? AND state = 1 AND fire_at <= ?")),
        task_record_(db.Prepare("SELECT record FROM tasks WHERE id = ?")),
        mark_(db.Prepare(
            "UPDATE reminders SET state = ? WHERE occurrence = ? AND "
            "days_before = ? AND overdue = ?")),
        overdue_state_(
            db.Prepare("SELECT state FROM reminders WHERE occurrence = ? AND "
                       "days_before = 0 AND overdue = 1")),
        plan_record_(db.Prepare("SELECT record FROM plans WHERE id = ?")) {}

  // Whether every statement could be prepared.
  absl::Status Prepare() const {
    for (const auto* s : {&occurrence_, &points_, &task_record_, &mark_,
                          &overdue_state_, &plan_record_}) {
      if (!s->ok()) return s->status();
    }
    return absl::OkStatus();
  }

  // Announces the occurrence's due points; false when none went out.
  absl::StatusOr<bool> Announce(int64_t seq) {
    absl::StatusOr<OccurrenceRow> row = ReadOccurrence(seq);
    if (!row.ok()) return row.status();
    absl::StatusOr<std::vector<ReminderPoint>> reached = ReachedPoints(seq);
    if (!reached.ok()) return reached.status();
    if (reached->empty()) return false;
    absl::StatusOr<const v1::Task*> task = TaskOf(row->task_id);
    if (!task.ok()) return task.status();
    size_t latest = LatestPoint(*reached);
    Escalation escalation;
    if ((*reached)[latest].escalation()) {
      absl::StatusOr<bool> kept =
          Escalate(seq, **task, *reached, latest, escalation);
      if (!kept.ok()) return kept.status();
      if (!*kept) return false;
    }
    for (size_t i = 0; i < reached->size(); ++i) {
      if (absl::Status s =
              SetState(seq, (*reached)[i], i == latest ? kSent : kSuperseded);
          !s.ok()) {
        return s;
      }
    }
    if (absl::Status s = Send(**task, *row, (*reached)[latest], escalation);
        !s.ok()) {
      return s;
    }
    return true;
  }

 private:
  struct OccurrenceRow {
    std::string task_id;
    std::string key;
    bool blocked = false;
  };

  absl::StatusOr<OccurrenceRow> ReadOccurrence(int64_t seq) {
    occurrence_->Reset();
    occurrence_->Bind(seq);
    absl::StatusOr<bool> found = occurrence_->Step();
    if (!found.ok()) return found.status();
    if (!*found) {
      return absl::DataLossError(
          absl::StrCat("reminder point of unknown occurrence ", seq));
    }
    return OccurrenceRow{occurrence_->Text(0), occurrence_->Text(1),
                         occurrence_->Int(2) != 0};
  }

  absl::StatusOr<std::vector<ReminderPoint>> ReachedPoints(int64_t seq) {
    std::vector<ReminderPoint> reached;
    points_->Reset();
    points_->Bind(seq, absl::ToUnixSeconds(now_));
    if (absl::Status s = points_->ForEachRow([&](const Statement& row) {
          reached.push_back({absl::FromUnixSeconds(row.Int(2)),
                             static_cast<int>(row.Int(0)), row.Int(1) != 0});
        });
        !s.ok()) {
      return s;
    }
    return reached;
  }

  // Occurrences of one task are often due together (a plan's monthly
  // report and its milestones): each task record is read once per batch.
  absl::StatusOr<const v1::Task*> TaskOf(const std::string& task_id) {
    auto it = tasks_.find(task_id);
    if (it != tasks_.end()) return &it->second;
    task_record_->Reset();
    task_record_->Bind(task_id);
    absl::StatusOr<bool> row = task_record_->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::DataLossError(
          absl::StrCat("occurrence of unknown task ", task_id));
    }
    absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*task_record_, 0);
    if (!task.ok()) return task.status();
    return &tasks_.emplace(task_id, *std::move(task)).first->second;
  }

  // And each plan, for the names of its unit and agencies; an unknown plan
  // names nothing.
  absl::StatusOr<const v1::Plan*> PlanOf(const std::string& plan_id) {
    auto it = plans_.find(plan_id);
    if (it != plans_.end()) return &it->second;
    plan_record_->Reset();
    plan_record_->Bind(plan_id);
    absl::StatusOr<bool> row = plan_record_->Step();
    if (!row.ok()) return row.status();
    v1::Plan plan;
    if (*row) {
      absl::StatusOr<v1::Plan> parsed = ParseStored<v1::Plan>(*plan_record_, 0);
      if (!parsed.ok()) return parsed.status();
      plan = *std::move(parsed);
    }
    return &plans_.emplace(plan_id, std::move(plan)).first->second;
  }

  // Who is above a unit is asked of the registry as it is when the point
  // is announced, not when it was planned: read at most once per batch,
  // only when an escalation point is due.
  absl::StatusOr<const plantext::AgencyRegistry*> Registry() {
    if (!registry_) {
      absl::StatusOr<plantext::AgencyRegistry> loaded = ReadRegistry(db_);
      if (!loaded.ok()) return loaded.status();
      registry_ = *std::move(loaded);
    }
    return &*registry_;
  }

  // Fills `escalation` for the latest point, an escalation. Returns false
  // when no point of the occurrence is left to announce.
  absl::StatusOr<bool> Escalate(int64_t seq, const v1::Task& task,
                                std::vector<ReminderPoint>& reached,
                                size_t& latest, Escalation& escalation) {
    absl::StatusOr<const plantext::AgencyRegistry*> registry = Registry();
    if (!registry.ok()) return registry.status();
    std::optional<UpperStandingBody> upper =
        FindUpperStandingBody(**registry, task.unit());
    if (!upper) {
      // The unit no longer has a standing body above it: nobody to
      // escalate to. The point is dropped and the others of the occurrence
      // are settled as if it had never been made.
      if (absl::Status s = SetState(seq, reached[latest], kSuperseded);
          !s.ok()) {
        return s;
      }
      reached.erase(reached.begin() + static_cast<ptrdiff_t>(latest));
      if (reached.empty()) return false;
      latest = LatestPoint(reached);
      return true;
    }
    escalation.upper = *std::move(upper);
    overdue_state_->Reset();
    overdue_state_->Bind(seq);
    absl::StatusOr<bool> found = overdue_state_->Step();
    if (!found.ok()) return found.status();
    escalation.overdue_announced = *found && overdue_state_->Int(0) == kSent;
    return true;
  }

  absl::Status SetState(int64_t seq, const ReminderPoint& point,
                        ReminderState state) {
    mark_->Reset();
    mark_->Bind(state, seq, point.days_before, point.overdue ? 1 : 0);
    return mark_->Run();
  }

  absl::Status Send(const v1::Task& task, const OccurrenceRow& row,
                    const ReminderPoint& point, const Escalation& escalation) {
    absl::StatusOr<const v1::Plan*> plan = PlanOf(task.plan_id());
    if (!plan.ok()) return plan.status();
    v1::EventEnvelope event;
    event.set_unit(task.unit());
    v1::DeadlineApproaching& deadline = *event.mutable_deadline_approaching();
    deadline = BuildDeadlineEvent(task, FindOccurrence(task, row.key), point,
                                  row.blocked, now_, escalation);
    NameAgencies(**plan, registry_ ? &*registry_ : nullptr, deadline);
    return outbox_.Append(kDeadlineApproachingTopic, row.task_id, event);
  }

  Database& db_;
  Outbox& outbox_;
  const absl::Time now_;
  absl::StatusOr<Statement> occurrence_;
  absl::StatusOr<Statement> points_;
  absl::StatusOr<Statement> task_record_;
  absl::StatusOr<Statement> mark_;
  absl::StatusOr<Statement> overdue_state_;
  absl::StatusOr<Statement> plan_record_;
  absl::flat_hash_map<std::string, v1::Task> tasks_;
  absl::flat_hash_map<std::string, v1::Plan> plans_;
  std::optional<plantext::AgencyRegistry> registry_;
};

// The answer already given to the trigger's request id, if any; an error
// when the id was used for another task.
absl::StatusOr<std::optional<v1::Task>> AnsweredTrigger(
    Database& db, const v1::RecordTriggerRequest& request) {
  if (request.request_id().empty()) return std::nullopt;
  absl::StatusOr<Statement> seen = db.Prepare(
      "SELECT task_id, response FROM trigger_requests WHERE "
      "request_id = ?");
  if (!seen.ok()) return seen.status();
  seen->Bind(request.request_id());
  absl::StatusOr<bool> row = seen->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::nullopt;
  if (seen->Text(0) != request.task_id()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request_id: '", request.request_id(),
                     "' was already used for task ", seen->Text(0)));
  }
  absl::StatusOr<v1::Task> first = ParseStored<v1::Task>(*seen, 1);
  if (!first.ok()) return first.status();
  return std::optional<v1::Task>(*std::move(first));
}

}  // namespace

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
    if (!insert_task.ok()) return insert_task.status();
    absl::StatusOr<OccurrenceWriter> occurrences =
        OccurrenceWriter::Create(db_, rules_);
    if (!occurrences.ok()) return occurrences.status();
    absl::StatusOr<std::vector<v1::UnitRef>> unit_path =
        UnitPath(db_, draft.plan.unit());
    if (!unit_path.ok()) return unit_path.status();
    int ordinal = 0;
    for (const v1::Task& task : draft.tasks) {
      const std::string record = task.SerializeAsString();
      insert_task->Reset();
      insert_task->Bind(task.id(), task.plan_id(), task.unit(), ordinal++,
                        Statement::Blob{record});
      if (absl::Status s = insert_task->Run(); !s.ok()) return s;
      for (const v1::Occurrence& o : task.occurrences()) {
        if (absl::Status s =
                occurrences->Add(task, o, draft.plan.reminder_policy());
            !s.ok()) {
          return s;
        }
      }
      if (absl::Status s =
              QueuePlanChanged(outbox_, task, draft.plan,
                               v1::PlanChanged::CHANGE_DEFINED, *unit_path);
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
    const std::string& unit, const PageRequest& page,
    std::string* next_page_token) {
  std::vector<v1::Plan> plans;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record, id FROM plans WHERE (?1 = '' OR unit = ?1) AND "
        "id > ?2 ORDER BY id LIMIT ?3");
    if (!q.ok()) return q.status();
    q->Bind(unit, page.after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return CollectStoredPage(*q, 0, 1, cursor, plans);
  });
  if (!status.ok()) return status;
  return plans;
}

absl::StatusOr<std::vector<v1::Task>> PlanStore::ListTasks(
    const std::string& plan_id, const std::string& unit,
    const PageRequest& page, std::string* next_page_token) {
  absl::StatusOr<std::pair<std::string, int64_t>> after = SplitKey(page);
  if (!after.ok()) return after.status();
  std::vector<v1::Task> tasks;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record, plan_id, ordinal FROM tasks WHERE "
        "(?1 = '' OR plan_id = ?1) AND (?2 = '' OR unit = ?2) AND "
        "(?3 = '' OR (plan_id, ordinal) > (?3, ?4)) "
        "ORDER BY plan_id, ordinal LIMIT ?5");
    if (!q.ok()) return q.status();
    q->Bind(plan_id, unit, after->first, after->second, page.Limit());
    PageCursor cursor(page, next_page_token);
    return q->ForEachRow([&](const Statement& row) -> absl::Status {
      if (!cursor.Take(JoinKey(row.Text(1), row.Int(2)))) {
        return absl::OkStatus();
      }
      absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(row, 0);
      if (!task.ok()) return task.status();
      tasks.push_back(*std::move(task));
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return tasks;
}

absl::StatusOr<v1::GetTaskResponse> PlanStore::GetTask(
    const std::string& task_id) {
  std::optional<v1::GetTaskResponse> view;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT record, done FROM tasks WHERE id = ?");
    if (!q.ok()) return q.status();
    q->Bind(task_id);
    absl::StatusOr<bool> found = q->Step();
    if (!found.ok()) return found.status();
    if (!*found) return absl::OkStatus();
    absl::StatusOr<v1::Task> task = ParseStored<v1::Task>(*q, 0);
    if (!task.ok()) return task.status();
    view.emplace();
    *view->mutable_task() = *std::move(task);
    view->set_done(q->Int(1) != 0);
    absl::StatusOr<Statement> r = db_.Prepare(
        "SELECT r.fire_at, r.days_before, r.overdue, r.state, o.key "
        "FROM occurrences o JOIN reminders r ON r.occurrence = o.seq "
        "WHERE o.task_id = ? ORDER BY r.fire_at, o.seq");
    if (!r.ok()) return r.status();
    r->Bind(task_id);
    return r->ForEachRow([&](const Statement& row) {
      const ReminderPoint stored{absl::FromUnixSeconds(row.Int(0)),
                                 static_cast<int>(row.Int(1)), row.Int(2) != 0};
      v1::ReminderPoint* point = view->add_reminders();
      *point->mutable_fire_at() = ToProto(stored.fire_at);
      point->set_days_before(stored.days_before);
      point->set_overdue(stored.overdue);
      point->set_escalation(stored.escalation());
      point->set_state(static_cast<v1::ReminderPoint::State>(row.Int(3)));
      point->set_occurrence_id(OccurrenceId(task_id, row.Text(4)));
    });
  });
  if (!status.ok()) return status;
  if (!view) {
    return absl::NotFoundError(absl::StrCat("task_id: no task ", task_id));
  }
  return *view;
}

absl::Status PlanStore::ApplyTaskStatus(const v1::TaskUpdated& update,
                                        absl::Time now) {
  if (update.task_id().empty()) {
    return absl::InvalidArgumentError("task_updated.task_id: empty");
  }
  return ApplyChange(update.task_id(), update.version(),
                     ReminderChangeFor(update), now);
}

absl::Status PlanStore::ApplyTaskState(const v1::TaskState& state,
                                       absl::Time now) {
  if (state.task_id().empty()) {
    return absl::InvalidArgumentError("task_state.task_id: empty");
  }
  return ApplyChange(state.task_id(), state.version(), ReminderChangeFor(state),
                     now);
}

absl::Status PlanStore::ApplyChange(const std::string& task_id,
                                    uint64_t version,
                                    const ReminderChange& change,
                                    absl::Time now) {
  absl::StatusOr<Statement> task = db_.Prepare(
      "UPDATE tasks SET status_version = ?1, "
      "done = CASE WHEN ?2 < 0 THEN done ELSE ?2 END "
      "WHERE id = ?3 AND status_version < ?1");
  if (!task.ok()) return task.status();
  task->Bind(static_cast<int64_t>(version), FlagOrKeep(change.task_done),
             task_id);
  if (absl::Status s = task->Run(); !s.ok()) return s;
  if (db_.Changes() == 0) return absl::OkStatus();  // unknown or stale

  if (change.all_blocked) {
    absl::StatusOr<Statement> all =
        db_.Prepare("UPDATE occurrences SET blocked = ? WHERE task_id = ?");
    if (!all.ok()) return all.status();
    all->Bind(*change.all_blocked ? 1 : 0, task_id);
    if (absl::Status s = all->Run(); !s.ok()) return s;
  }
  absl::StatusOr<Statement> one = db_.Prepare(
      "UPDATE occurrences SET "
      "done = CASE WHEN ?1 < 0 THEN done ELSE ?1 END, "
      "blocked = CASE WHEN ?2 < 0 THEN blocked ELSE ?2 END "
      "WHERE task_id = ?3 AND key = ?4");
  if (!one.ok()) return one.status();
  const std::string prefix = absl::StrCat(task_id, "@");
  for (const ReminderChange::Occurrence& o : change.occurrences) {
    // An occurrence of another task, or none at all, changes nothing.
    if (!absl::StartsWith(o.id, prefix)) continue;
    one->Reset();
    one->Bind(FlagOrKeep(o.done), FlagOrKeep(o.blocked), task_id,
              o.id.substr(prefix.size()));
    if (absl::Status s = one->Run(); !s.ok()) return s;
  }

  // Points follow from the flags: none pending for what is done, the
  // future ones pending again for what is not.
  absl::StatusOr<Statement> cancel = db_.Prepare(
      "UPDATE reminders SET state = ?2 WHERE state = ?3 AND occurrence IN "
      "(SELECT o.seq FROM occurrences o JOIN tasks t ON t.id = o.task_id "
      "WHERE o.task_id = ?1 AND (t.done = 1 OR o.done = 1))");
  if (!cancel.ok()) return cancel.status();
  cancel->Bind(task_id, kCancelled, kPending);
  if (absl::Status s = cancel->Run(); !s.ok()) return s;
  absl::StatusOr<Statement> restore = db_.Prepare(
      "UPDATE reminders SET state = ?3 WHERE state = ?2 AND fire_at > ?4 "
      "AND occurrence IN "
      "(SELECT o.seq FROM occurrences o JOIN tasks t ON t.id = o.task_id "
      "WHERE o.task_id = ?1 AND t.done = 0 AND o.done = 0)");
  if (!restore.ok()) return restore.status();
  restore->Bind(task_id, kCancelled, kPending, absl::ToUnixSeconds(now));
  return restore->Run();
}

absl::StatusOr<int> PlanStore::AnnounceDueReminders(absl::Time now,
                                                    int batch_points) {
  int sent = 0;
  for (;;) {
    bool more = false;
    absl::StatusOr<int> batch = AnnounceBatch(now, batch_points, more);
    if (!batch.ok()) return batch.status();
    sent += *batch;
    if (!more) return sent;
  }
}

absl::StatusOr<int> PlanStore::AnnounceBatch(absl::Time now, int batch_points,
                                             bool& more) {
  int sent = 0;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    sent = 0;
    absl::StatusOr<std::vector<int64_t>> order =
        DueOccurrences(db_, now, batch_points, more);
    if (!order.ok()) return order.status();
    if (order->empty()) return absl::OkStatus();
    ReminderAnnouncer announcer(db_, outbox_, now);
    if (absl::Status s = announcer.Prepare(); !s.ok()) return s;
    for (int64_t seq : *order) {
      absl::StatusOr<bool> announced = announcer.Announce(seq);
      if (!announced.ok()) return announced.status();
      if (*announced) ++sent;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return sent;
}

absl::StatusOr<v1::Task> PlanStore::RecordTrigger(
    const v1::RecordTriggerRequest& request) {
  if (request.task_id().empty()) {
    return absl::InvalidArgumentError("task_id: required");
  }
  v1::Task task;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<std::optional<v1::Task>> answered =
        AnsweredTrigger(db_, request);
    if (!answered.ok()) return answered.status();
    if (answered->has_value()) {
      task = **std::move(answered);
      return absl::OkStatus();
    }
    absl::StatusOr<TaskAndPlan> stored =
        ReadTaskAndPlan(db_, request.task_id());
    if (!stored.ok()) return stored.status();
    absl::StatusOr<v1::Occurrence> occurrence =
        TriggeredOccurrence(stored->task, request);
    if (!occurrence.ok()) return occurrence.status();

    task = std::move(stored->task);
    *task.add_occurrences() = *occurrence;
    task.set_version(task.version() + 1);
    // New work: a task done as a whole before the trigger is not done
    // with it, or the next report would cancel the new reminders.
    absl::StatusOr<Statement> update =
        db_.Prepare("UPDATE tasks SET record = ?, done = 0 WHERE id = ?");
    if (!update.ok()) return update.status();
    const std::string record = task.SerializeAsString();
    update->Bind(Statement::Blob{record}, task.id());
    if (absl::Status s = update->Run(); !s.ok()) return s;
    absl::StatusOr<OccurrenceWriter> writer =
        OccurrenceWriter::Create(db_, rules_);
    if (!writer.ok()) return writer.status();
    if (absl::Status s =
            writer->Add(task, *occurrence, stored->plan.reminder_policy());
        !s.ok()) {
      return s;
    }
    if (absl::Status s = QueueTaskUpdated(db_, outbox_, task, stored->plan);
        !s.ok()) {
      return s;
    }
    if (request.request_id().empty()) return absl::OkStatus();
    absl::StatusOr<Statement> remember = db_.Prepare(
        "INSERT INTO trigger_requests(request_id, task_id, response) "
        "VALUES(?, ?, ?)");
    if (!remember.ok()) return remember.status();
    remember->Bind(request.request_id(), task.id(), Statement::Blob{record});
    return remember->Run();
  });
  if (!status.ok()) return status;
  return task;
}

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
    absl::StatusOr<TaskAndPlan> stored = ReadTaskAndPlan(db_, task_id);
    if (!stored.ok()) return stored.status();
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
    task = std::move(stored->task);
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
    return QueueTaskUpdated(db_, outbox_, task, stored->plan);
  });
  if (!status.ok()) return status;
  return task;
}

}  // namespace tiendo::plan
