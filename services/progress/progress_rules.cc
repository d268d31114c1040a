#include "services/progress/progress_rules.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"
#include "services/progress/report_limits.h"

namespace tiendo::progress {
namespace {

// Occurrence ids listed in an error before "and N more".
constexpr int kListedOccurrences = 5;

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string JoinOrNone(
    const google::protobuf::RepeatedPtrField<std::string>& list) {
  return list.empty() ? "none" : absl::StrJoin(list, ", ");
}

std::string DayText(const v1::LocalDate& date) {
  std::optional<absl::CivilDay> day = DayOf(date);
  return day ? FormatDayVi(*day) : "an unknown date";
}

v1::OccurrenceStatus ToOccurrenceStatus(v1::TaskStatus status) {
  switch (status) {
    case v1::TASK_STATUS_IN_PROGRESS:
      return v1::OCCURRENCE_STATUS_IN_PROGRESS;
    case v1::TASK_STATUS_DONE:
      return v1::OCCURRENCE_STATUS_DONE;
    case v1::TASK_STATUS_BLOCKED:
      return v1::OCCURRENCE_STATUS_BLOCKED;
    default:
      return v1::OCCURRENCE_STATUS_NOT_STARTED;
  }
}

v1::TaskStatus ToTaskStatus(v1::OccurrenceStatus status) {
  switch (status) {
    case v1::OCCURRENCE_STATUS_IN_PROGRESS:
      return v1::TASK_STATUS_IN_PROGRESS;
    case v1::OCCURRENCE_STATUS_DONE:
    case v1::OCCURRENCE_STATUS_DONE_LATE:
      return v1::TASK_STATUS_DONE;
    case v1::OCCURRENCE_STATUS_BLOCKED:
      return v1::TASK_STATUS_BLOCKED;
    default:
      return v1::TASK_STATUS_NOT_STARTED;
  }
}

bool IsDone(const v1::OccurrenceState& o) {
  return o.status() == v1::OCCURRENCE_STATUS_DONE ||
         o.status() == v1::OCCURRENCE_STATUS_DONE_LATE;
}

bool DoneLate(const v1::OccurrenceState& o) {
  std::optional<absl::CivilDay> due = DayOf(o.occurrence().due());
  std::optional<absl::CivilDay> completed = DayOf(o.completed_on());
  return IsDone(o) && due && completed && *completed > *due;
}

const char* KindName(v1::Occurrence::Kind kind) {
  switch (kind) {
    case v1::Occurrence::KIND_MILESTONE:
      return "a milestone";
    case v1::Occurrence::KIND_PERIOD:
      return "a period";
    case v1::Occurrence::KIND_TRIGGERED:
      return "triggered work";
    default:
      return "an occurrence of unknown kind";
  }
}

std::string OccurrenceIds(const v1::Task& task) {
  std::vector<std::string> ids;
  for (const v1::Occurrence& o : task.occurrences()) {
    if (static_cast<int>(ids.size()) == kListedOccurrences) break;
    ids.push_back(o.id());
  }
  std::string list = absl::StrJoin(ids, ", ");
  if (task.occurrences_size() > kListedOccurrences) {
    absl::StrAppend(&list, " and ",
                    task.occurrences_size() - kListedOccurrences, " more");
  }
  return list;
}

// Orders occurrences for "the earliest": by due date, undated ones last,
// then as the plan lists them.
std::tuple<bool, absl::CivilDay, int> DueOrder(const v1::Occurrence& o,
                                               int index) {
  std::optional<absl::CivilDay> due = DayOf(o.due());
  return {!due.has_value(), due.value_or(absl::CivilDay()), index};
}

// The index of the occurrence a report is about; -1 for a task without
// occurrences.
absl::StatusOr<int> ResolveOccurrence(const v1::Task& task,
                                      const v1::TaskState& state,
                                      const v1::ReportProgressRequest& request,
                                      absl::CivilDay today) {
  if (task.occurrences().empty()) {
    if (!request.occurrence_id().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "occurrence_id: task ", task.id(),
          " has no occurrences; leave it empty to report on the task"));
    }
    if (request.period_report()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "period_report: task ", task.id(), " has no periods to report on"));
    }
    return -1;
  }
  int index = -1;
  if (!request.occurrence_id().empty()) {
    for (int i = 0; i < task.occurrences_size(); ++i) {
      if (task.occurrences(i).id() == request.occurrence_id()) index = i;
    }
    if (index < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("occurrence_id: '", request.occurrence_id(),
                       "' is not an occurrence of task ", task.id(),
                       " (its occurrences: ", OccurrenceIds(task), ")"));
    }
    if (request.period_report() &&
        task.occurrences(index).kind() != v1::Occurrence::KIND_PERIOD) {
      return absl::InvalidArgumentError(absl::StrCat(
          "period_report: occurrence '", request.occurrence_id(), "' is ",
          KindName(task.occurrences(index).kind()), ", not a period"));
    }
  } else {
    int open = -1;
    int last = -1;
    for (int i = 0; i < task.occurrences_size(); ++i) {
      const v1::Occurrence& o = task.occurrences(i);
      if (request.period_report() && o.kind() != v1::Occurrence::KIND_PERIOD) {
        continue;
      }
      if (last < 0 || DueOrder(o, i) > DueOrder(task.occurrences(last), last)) {
        last = i;
      }
      if (!IsDone(state.occurrences(i)) &&
          (open < 0 ||
           DueOrder(o, i) < DueOrder(task.occurrences(open), open))) {
        open = i;
      }
    }
    if (last < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "period_report: task ", task.id(), " has no periods to report on"));
    }
    index = open >= 0 ? open : last;
  }
  const v1::Occurrence& o = task.occurrences(index);
  if (request.period_report()) {
    std::optional<absl::CivilDay> start = DayOf(o.period_start());
    if (start && today < *start) {
      return absl::InvalidArgumentError(
          absl::StrCat("period_report: the period of occurrence '", o.id(),
                       "' (", o.label(), ") starts on ", FormatDayVi(*start),
                       "; it cannot be reported before"));
    }
  }
  return index;
}

// What the report asks the status to become: DONE for a completion or a
// periodic report, BLOCKED for a difficulty, the typed status otherwise;
// UNSPECIFIED keeps the status.
v1::TaskStatus RequestedStatus(const v1::ReportProgressRequest& request) {
  if (request.period_report()) return v1::TASK_STATUS_DONE;
  if (!request.difficulty().empty()) return v1::TASK_STATUS_BLOCKED;
  return request.status();
}

// Brings the task-level fields in line with the occurrences.
void Summarize(v1::TaskState& state) {
  bool all_done = true;
  bool any_blocked = false;
  bool any_started = false;
  bool any_late = false;
  int64_t percent_sum = 0;
  std::optional<absl::CivilDay> last_completion;
  for (const v1::OccurrenceState& o : state.occurrences()) {
    const bool done = IsDone(o);
    all_done = all_done && done;
    any_blocked = any_blocked || !o.open_difficulty().empty();
    any_started = any_started || done ||
                  o.status() == v1::OCCURRENCE_STATUS_IN_PROGRESS ||
                  o.status() == v1::OCCURRENCE_STATUS_BLOCKED ||
                  o.percent() > 0;
    any_late = any_late || DoneLate(o);
    percent_sum += done ? 100 : o.percent();
    if (std::optional<absl::CivilDay> c = DayOf(o.completed_on());
        done && c && (!last_completion || *c > *last_completion)) {
      last_completion = c;
    }
  }
  state.set_percent(
      static_cast<int32_t>(percent_sum / state.occurrences_size()));
  state.clear_completed_on();
  state.set_completed_late(false);
  if (all_done) {
    state.set_status(v1::TASK_STATUS_DONE);
    if (last_completion)
      *state.mutable_completed_on() = ToProto(*last_completion);
    state.set_completed_late(any_late);
  } else if (any_blocked) {
    state.set_status(v1::TASK_STATUS_BLOCKED);
  } else if (any_started) {
    state.set_status(v1::TASK_STATUS_IN_PROGRESS);
  } else {
    state.set_status(v1::TASK_STATUS_NOT_STARTED);
  }
}

absl::Status NoOpenDifficulty(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("resolve_difficulty: ", what, " has no open difficulty"));
}

// A report of done: an open difficulty ends with the work.
absl::Status ApplyDone(const v1::ReportProgressRequest& request,
                       absl::CivilDay today, bool was_done,
                       const std::string& what, v1::OccurrenceState& o,
                       ReportOutcome& out) {
  if (!o.open_difficulty().empty()) {
    // Completing the work is the end of whatever stood in its way.
    o.clear_open_difficulty();
    out.difficulty_resolved = true;
  } else if (request.resolve_difficulty()) {
    return NoOpenDifficulty(what);
  }
  // A done occurrence reported done again (a corrected periodic report)
  // keeps the day it was first completed.
  if (!was_done) *o.mutable_completed_on() = ToProto(today);
  o.set_status(v1::OCCURRENCE_STATUS_DONE);
  o.set_percent(100);
  return absl::OkStatus();
}

// A report without a status: a resolved difficulty, a new percentage.
absl::Status ApplyWithoutStatus(const v1::ReportProgressRequest& request,
                                bool was_done, const std::string& what,
                                v1::OccurrenceState& o, ReportOutcome& out) {
  if (request.resolve_difficulty()) {
    if (o.open_difficulty().empty()) return NoOpenDifficulty(what);
    o.clear_open_difficulty();
    o.set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
    out.difficulty_resolved = true;
  }
  if (request.has_percent()) {
    if (was_done && request.percent() != 100) {
      return absl::InvalidArgumentError(
          absl::StrCat("percent: ", what,
                       " is done; reopen it (a status and "
                       "reopen_reason) to set ",
                       request.percent(), "%"));
    }
    o.set_percent(request.percent());
  }
  return absl::OkStatus();
}

// Only the lead reopens a done occurrence, and says why.
absl::Status Reopen(const v1::Task& task,
                    const v1::ReportProgressRequest& request,
                    v1::TaskStatus target, const std::string& what,
                    v1::OccurrenceState& o, ReportOutcome& out) {
  if (!Contains(task.lead_agencies(), request.agency())) {
    return absl::PermissionDeniedError(absl::StrCat(
        "agency '", request.agency(), "' coordinates task ", task.id(),
        "; only the lead (", JoinOrNone(task.lead_agencies()), ") may reopen ",
        what, ", done on ", DayText(o.completed_on())));
  }
  if (request.reopen_reason().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("reopen_reason: required to reopen ", what, ", done on ",
                     DayText(o.completed_on()), " (reported ",
                     StatusName(target), " after done)"));
  }
  o.set_reopen_reason(request.reopen_reason());
  o.clear_completed_on();
  out.reopen_reason = request.reopen_reason();
  return absl::OkStatus();
}

// A report of a status other than done: not started, in progress, blocked.
absl::Status ApplyStatus(const v1::Task& task,
                         const v1::ReportProgressRequest& request,
                         v1::TaskStatus target, bool was_done,
                         const std::string& what, v1::OccurrenceState& o,
                         ReportOutcome& out) {
  if (was_done) {
    if (absl::Status s = Reopen(task, request, target, what, o, out); !s.ok()) {
      return s;
    }
  }
  // Resolving comes first: one report may resolve the open difficulty and
  // raise the next.
  if (request.resolve_difficulty()) {
    if (o.open_difficulty().empty()) return NoOpenDifficulty(what);
    o.clear_open_difficulty();
    out.difficulty_resolved = true;
  }
  if (target == v1::TASK_STATUS_BLOCKED) {
    out.difficulty =
        request.difficulty().empty() ? request.note() : request.difficulty();
    o.set_open_difficulty(out.difficulty);
    o.set_status(v1::OCCURRENCE_STATUS_BLOCKED);
  } else {
    // An open difficulty keeps the occurrence blocked until a report
    // resolves it.
    o.set_status(o.open_difficulty().empty() ? ToOccurrenceStatus(target)
                                             : v1::OCCURRENCE_STATUS_BLOCKED);
  }
  if (request.has_percent()) o.set_percent(request.percent());
  return absl::OkStatus();
}

// What the report leaves of the occurrence, in the outcome.
void RecordOutcome(const v1::ReportProgressRequest& request,
                   absl::CivilDay today, v1::OccurrenceState& o,
                   ReportOutcome& out) {
  // Who raised the open difficulty and when, for the standing body's list
  // of what is still unresolved.
  if (o.open_difficulty().empty()) {
    o.clear_difficulty_raised_by();
    o.clear_difficulty_raised_on();
  } else if (!out.difficulty.empty()) {
    o.set_difficulty_raised_by(request.agency());
    *o.mutable_difficulty_raised_on() = ToProto(today);
  }
  out.occurrence_id = o.occurrence().id();
  out.occurrence_status = OccurrenceStatusOn(o, today);
  out.status = ToTaskStatus(o.status());
  out.percent = o.percent();
  if (request.period_report()) {
    std::optional<absl::CivilDay> due = DayOf(o.occurrence().due());
    std::optional<absl::CivilDay> completed = DayOf(o.completed_on());
    out.on_time = !due || (completed && *completed <= *due);
  }
}

absl::Status ApplyToOccurrence(const v1::Task& task,
                               const v1::ReportProgressRequest& request,
                               absl::CivilDay today, int index,
                               ReportOutcome& out) {
  v1::OccurrenceState& o = *out.state.mutable_occurrences(index);
  const std::string what =
      absl::StrCat("occurrence '", o.occurrence().id(), "'");
  const bool was_done = IsDone(o);
  const v1::TaskStatus target = RequestedStatus(request);
  absl::Status applied;
  if (target == v1::TASK_STATUS_DONE) {
    applied = ApplyDone(request, today, was_done, what, o, out);
  } else if (target == v1::TASK_STATUS_UNSPECIFIED) {
    applied = ApplyWithoutStatus(request, was_done, what, o, out);
  } else {
    applied = ApplyStatus(task, request, target, was_done, what, o, out);
  }
  if (!applied.ok()) return applied;
  RecordOutcome(request, today, o, out);
  Summarize(out.state);
  return absl::OkStatus();
}

// A task without occurrences: the reported status is the task's status.
absl::Status ApplyToTask(const v1::Task& task,
                         const v1::ReportProgressRequest& request,
                         absl::CivilDay today, ReportOutcome& out) {
  v1::TaskState& next = out.state;
  const std::string what = absl::StrCat("task ", task.id());
  const v1::TaskStatus before = next.status();
  const v1::TaskStatus target = RequestedStatus(request);
  if (request.resolve_difficulty() && before != v1::TASK_STATUS_BLOCKED) {
    return NoOpenDifficulty(what);
  }
  if (target == v1::TASK_STATUS_DONE) {
    next.set_status(v1::TASK_STATUS_DONE);
    next.set_percent(100);
    *next.mutable_completed_on() = ToProto(today);
    std::optional<absl::CivilDay> due = DayOf(task.due_date());
    next.set_completed_late(due && today > *due);
  } else if (target == v1::TASK_STATUS_UNSPECIFIED) {
    if (request.resolve_difficulty()) {
      next.set_status(v1::TASK_STATUS_IN_PROGRESS);
    }
    if (request.has_percent()) {
      if (before == v1::TASK_STATUS_DONE && request.percent() != 100) {
        return absl::InvalidArgumentError(absl::StrCat(
            "percent: ", what, " is done; report a status to reopen it at ",
            request.percent(), "%"));
      }
      next.set_percent(request.percent());
    }
  } else {
    if (before == v1::TASK_STATUS_DONE) {
      out.reopen_reason = request.reopen_reason();
    }
    next.set_status(target);
    if (request.has_percent()) next.set_percent(request.percent());
    // A reopened task is no longer complete.
    next.clear_completed_on();
    next.set_completed_late(false);
    if (target == v1::TASK_STATUS_BLOCKED) {
      out.difficulty =
          request.difficulty().empty() ? request.note() : request.difficulty();
    }
  }
  // Any report taking a blocked task out of blocked resolves its difficulty
  // (as typed statuses always did); resolve_difficulty may also resolve one
  // and raise the next.
  out.difficulty_resolved = before == v1::TASK_STATUS_BLOCKED &&
                            (next.status() != v1::TASK_STATUS_BLOCKED ||
                             request.resolve_difficulty());
  if (out.difficulty_resolved) {
    next.clear_open_difficulty();
    next.clear_difficulty_raised_by();
    next.clear_difficulty_raised_on();
  }
  if (!out.difficulty.empty()) {
    next.set_open_difficulty(out.difficulty);
    next.set_difficulty_raised_by(request.agency());
    *next.mutable_difficulty_raised_on() = ToProto(today);
  }
  out.status = next.status();
  out.percent = next.percent();
  return absl::OkStatus();
}

}  // namespace

v1::TaskState InitialState(const v1::Task& task) {
  v1::TaskState state;
  state.set_status(v1::TASK_STATUS_NOT_STARTED);
  state.set_percent(0);
  state.set_version(0);
  return WithDefinition(task, std::move(state));
}

v1::TaskState WithDefinition(const v1::Task& task, v1::TaskState state) {
  state.set_task_id(task.id());
  state.set_unit(task.unit());
  if (IsSet(task.due_date())) {
    *state.mutable_due_date() = task.due_date();
  } else {
    state.clear_due_date();
  }
  *state.mutable_lead_agencies() = task.lead_agencies();
  *state.mutable_coordinating_agencies() = task.coordinating_agencies();

  // A task done before it had occurrences stays done: its occurrences
  // start out done on the day the task was.
  const bool done_as_task = state.occurrences().empty() &&
                            state.version() > 0 &&
                            state.status() == v1::TASK_STATUS_DONE;
  absl::flat_hash_map<std::string, v1::OccurrenceState> known;
  for (v1::OccurrenceState& o : *state.mutable_occurrences()) {
    std::string id = o.occurrence().id();
    known.emplace(std::move(id), std::move(o));
  }
  state.clear_occurrences();
  for (const v1::Occurrence& definition : task.occurrences()) {
    v1::OccurrenceState& o = *state.add_occurrences();
    if (auto it = known.find(definition.id()); it != known.end()) {
      o = std::move(it->second);
      o.set_status(ReportedOccurrenceStatus(o));
    } else if (done_as_task) {
      o.set_status(v1::OCCURRENCE_STATUS_DONE);
      o.set_percent(100);
      if (state.has_completed_on())
        *o.mutable_completed_on() = state.completed_on();
    } else {
      o.set_status(v1::OCCURRENCE_STATUS_NOT_STARTED);
    }
    *o.mutable_occurrence() = definition;
  }
  return state;
}

v1::OccurrenceStatus OccurrenceStatusOn(const v1::OccurrenceState& occurrence,
                                        absl::CivilDay today) {
  const v1::OccurrenceStatus reported = ReportedOccurrenceStatus(occurrence);
  if (reported == v1::OCCURRENCE_STATUS_DONE) {
    return DoneLate(occurrence) ? v1::OCCURRENCE_STATUS_DONE_LATE
                                : v1::OCCURRENCE_STATUS_DONE;
  }
  // A blocked occurrence stays BLOCKED past its due date: the open
  // difficulty is what the standing body must act on, and consumers read
  // any other status as "not blocked". Its due date still says it is late.
  if (reported == v1::OCCURRENCE_STATUS_BLOCKED) return reported;
  std::optional<absl::CivilDay> due = DayOf(occurrence.occurrence().due());
  if (due && today > *due) return v1::OCCURRENCE_STATUS_OVERDUE;
  return reported;
}

v1::TaskState Present(const v1::Task& task, v1::TaskState state,
                      absl::Time now) {
  state = WithDefinition(task, std::move(state));
  const absl::CivilDay today = LocalDay(now);
  for (v1::OccurrenceState& o : *state.mutable_occurrences()) {
    o.set_status(OccurrenceStatusOn(o, today));
  }
  return state;
}

absl::Status ValidateRequest(const v1::ReportProgressRequest& request) {
  if (absl::Status s = CheckReportLimits(request); !s.ok()) return s;
  if (request.task_id().empty()) {
    return absl::InvalidArgumentError("task_id: required");
  }
  if (request.agency().empty()) {
    return absl::InvalidArgumentError(
        "agency: required (code of the reporting agency)");
  }
  const bool carries_more =
      request.measurements_size() > 0 || !request.difficulty().empty() ||
      request.resolve_difficulty() || request.evidence_size() > 0 ||
      request.period_report();
  if (!v1::TaskStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("status: unknown value ", request.status(),
                     " (not_started, in_progress, done or blocked)"));
  }
  if (request.status() == v1::TASK_STATUS_UNSPECIFIED && !carries_more) {
    return absl::InvalidArgumentError(
        "status: required (not_started, in_progress, done or blocked)");
  }
  if (request.has_percent() &&
      (request.percent() < 0 || request.percent() > 100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("percent: ", request.percent(), " is outside 0..100"));
  }
  const bool completes =
      request.status() == v1::TASK_STATUS_DONE || request.period_report();
  if (completes && request.has_percent() && request.percent() != 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "percent: a done task is 100%, not ", request.percent(), "%"));
  }
  if (request.period_report() &&
      request.status() != v1::TASK_STATUS_UNSPECIFIED &&
      request.status() != v1::TASK_STATUS_DONE) {
    return absl::InvalidArgumentError(
        absl::StrCat("status: a periodic report completes its period (done), "
                     "not ",
                     StatusName(request.status())));
  }
  if (request.status() == v1::TASK_STATUS_BLOCKED && request.note().empty() &&
      request.difficulty().empty()) {
    return absl::InvalidArgumentError(
        "note: required when blocked (describe the difficulty)");
  }
  if (!request.difficulty().empty() && completes) {
    return absl::InvalidArgumentError(
        "difficulty: a report that completes the work cannot raise a "
        "difficulty");
  }
  for (int i = 0; i < request.evidence_size(); ++i) {
    const v1::Evidence& e = request.evidence(i);
    const std::string field = absl::StrCat("evidence[", i, "]");
    if (e.document_number().empty() && e.link().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": a document number or a link is required"));
    }
    if (IsSet(e.document_date())) {
      absl::StatusOr<absl::CivilDay> day =
          FromProto(e.document_date(), absl::StrCat(field, ".document_date"));
      if (!day.ok()) return day.status();
    }
  }
  return absl::OkStatus();
}

absl::Status CheckReporter(const v1::Task& task,
                           const v1::ReportProgressRequest& request) {
  const bool lead = Contains(task.lead_agencies(), request.agency());
  const bool coordinator =
      Contains(task.coordinating_agencies(), request.agency());
  if (!lead && !coordinator) {
    return absl::PermissionDeniedError(absl::StrCat(
        "agency '", request.agency(), "' is not assigned to task ", task.id(),
        " (lead: ", JoinOrNone(task.lead_agencies()),
        "; coordinating: ", JoinOrNone(task.coordinating_agencies()), ")"));
  }
  if (!lead && request.period_report()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "agency '", request.agency(), "' coordinates task ", task.id(),
        "; only the lead (", JoinOrNone(task.lead_agencies()),
        ") may submit the periodic report"));
  }
  if (!lead && request.status() == v1::TASK_STATUS_DONE) {
    return absl::PermissionDeniedError(
        absl::StrCat("agency '", request.agency(), "' coordinates task ",
                     task.id(), "; only the lead (",
                     JoinOrNone(task.lead_agencies()), ") may mark it done"));
  }
  return absl::OkStatus();
}

const v1::Target* FindTarget(const v1::Task& task,
                             absl::string_view indicator) {
  const absl::string_view wanted = absl::StripAsciiWhitespace(indicator);
  if (wanted.empty()) return nullptr;
  for (const v1::Target& t : task.targets()) {
    if (!t.indicator_code().empty() && t.indicator_code() == wanted) return &t;
  }
  for (const v1::Target& t : task.targets()) {
    if (absl::StripAsciiWhitespace(t.indicator()) == wanted) return &t;
  }
  return nullptr;
}

std::string IndicatorKey(const v1::Target& target) {
  return target.indicator_code().empty()
             ? std::string(absl::StripAsciiWhitespace(target.indicator()))
             : target.indicator_code();
}

absl::Status ValidateMeasurement(const v1::Task& task, const v1::Measurement& m,
                                 absl::CivilDay today,
                                 absl::string_view field) {
  std::vector<std::string> keys;
  for (const v1::Target& t : task.targets()) {
    std::string key = IndicatorKey(t);
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      keys.push_back(std::move(key));
    }
  }
  if (keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".indicator: task ", task.id(), " has no targets to measure"));
  }
  if (m.indicator().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".indicator: required (one of ",
                     absl::StrJoin(keys, ", "), ")"));
  }
  if (FindTarget(task, m.indicator()) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".indicator: '", m.indicator(), "' is not a target of task ",
        task.id(), " (its targets: ", absl::StrJoin(keys, ", "), ")"));
  }
  if (m.denominator() <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".denominator: must be above 0, not ", m.denominator()));
  }
  if (m.numerator() < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".numerator: ", m.numerator(), " is below 0"));
  }
  if (m.numerator() > m.denominator()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".numerator: ", m.numerator(),
                     " is above the denominator ", m.denominator()));
  }
  if (!IsSet(m.as_of())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".as_of: required (the date the counts are for)"));
  }
  absl::StatusOr<absl::CivilDay> as_of =
      FromProto(m.as_of(), absl::StrCat(field, ".as_of"));
  if (!as_of.ok()) return as_of.status();
  if (*as_of > today) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".as_of: ", FormatDay(*as_of), " is after today (",
                     FormatDay(today), ")"));
  }
  return absl::OkStatus();
}

v1::Measurement Normalized(const v1::Task& task, v1::Measurement measurement) {
  if (const v1::Target* target = FindTarget(task, measurement.indicator())) {
    measurement.set_indicator(IndicatorKey(*target));
  }
  if (measurement.unit().empty()) measurement.set_unit(task.unit());
  return measurement;
}

void RecordLatest(const v1::Measurement& measurement, v1::TaskState& state) {
  const std::optional<absl::CivilDay> as_of = DayOf(measurement.as_of());
  for (v1::Measurement& latest : *state.mutable_latest_measurements()) {
    if (latest.indicator() != measurement.indicator() ||
        latest.unit() != measurement.unit()) {
      continue;
    }
    const std::optional<absl::CivilDay> known = DayOf(latest.as_of());
    if (!known || (as_of && *as_of >= *known)) latest = measurement;
    return;
  }
  *state.add_latest_measurements() = measurement;
}

absl::StatusOr<ReportOutcome> ApplyReport(
    const v1::Task& task, const v1::TaskState& current,
    const v1::ReportProgressRequest& request, absl::Time now) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;
  if (absl::Status s = CheckReporter(task, request); !s.ok()) return s;
  const absl::CivilDay today = LocalDay(now);

  ReportOutcome out;
  out.state = WithDefinition(task, current);
  for (int i = 0; i < request.measurements_size(); ++i) {
    if (absl::Status s =
            ValidateMeasurement(task, request.measurements(i), today,
                                absl::StrCat("measurements[", i, "]"));
        !s.ok()) {
      return s;
    }
    out.measurements.push_back(Normalized(task, request.measurements(i)));
  }
  absl::StatusOr<int> index =
      ResolveOccurrence(task, out.state, request, today);
  if (!index.ok()) return index.status();
  absl::Status applied =
      *index >= 0 ? ApplyToOccurrence(task, request, today, *index, out)
                  : ApplyToTask(task, request, today, out);
  if (!applied.ok()) return applied;

  for (const v1::Measurement& m : out.measurements) RecordLatest(m, out.state);
  out.state.set_version(current.version() + 1);
  *out.state.mutable_updated_at() = ToProto(now);
  return out;
}

absl::StatusOr<v1::TaskState> NextState(
    const v1::Task& task, const v1::TaskState& current,
    const v1::ReportProgressRequest& request, absl::Time now) {
  absl::StatusOr<ReportOutcome> outcome =
      ApplyReport(task, current, request, now);
  if (!outcome.ok()) return outcome.status();
  return std::move(outcome->state);
}

v1::TaskUpdated MakeTaskUpdated(const v1::Task& task,
                                const ReportOutcome& outcome,
                                const v1::ProgressReport& report) {
  const v1::TaskState& state = outcome.state;
  v1::TaskUpdated updated;
  updated.set_task_id(state.task_id());
  updated.set_unit(state.unit());
  updated.set_version(state.version());
  updated.set_status(state.status());
  updated.set_percent(state.percent());
  updated.set_reporting_agency(report.agency());
  updated.set_reported_by(report.reported_by());
  updated.set_note(report.note());
  updated.set_report_id(report.report_id());
  *updated.mutable_reported_at() = report.reported_at();
  if (state.has_completed_on()) {
    *updated.mutable_completed_on() = state.completed_on();
  }
  updated.set_completed_late(state.completed_late());
  *updated.mutable_lead_agencies() = task.lead_agencies();
  *updated.mutable_coordinating_agencies() = task.coordinating_agencies();
  updated.set_standing_agency(task.standing_agency());
  updated.set_occurrence_id(outcome.occurrence_id);
  updated.set_occurrence_status(outcome.occurrence_status);
  if (!outcome.measurements.empty()) {
    *updated.mutable_measurement() = outcome.measurements.back();
  }
  for (const v1::Measurement& m : outcome.measurements) {
    *updated.add_measurements() = m;
  }
  for (const v1::OccurrenceState& o : state.occurrences()) {
    if (!outcome.occurrence_id.empty() &&
        o.occurrence().id() == outcome.occurrence_id) {
      *updated.mutable_occurrence_state() = o;
    }
  }
  updated.set_difficulty(outcome.difficulty);
  updated.set_difficulty_resolved(outcome.difficulty_resolved);
  updated.set_period_report(report.period_report());
  updated.set_on_time(outcome.on_time);
  updated.set_reopen_reason(outcome.reopen_reason);
  return updated;
}

}  // namespace tiendo::progress
