#include "services/plan/reminder_schedule.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"
#include "services/plan/occurrences.h"

namespace tiendo::plan {

std::vector<ReminderPoint> ReminderPoints(absl::CivilDay due,
                                          const std::vector<int>& lead_days,
                                          const ReminderOptions& options) {
  const absl::CivilDay anchor = options.report ? due + 1 : due;
  std::vector<ReminderPoint> points;
  for (int lead : lead_days) {
    if (lead <= 0) continue;
    absl::CivilDay day = anchor - lead;
    if (options.calendar != nullptr) {
      day = options.calendar->WorkingDayOnOrBefore(day);
    }
    points.push_back({StartOfLocalDay(day), lead, false});
  }
  absl::CivilDay overdue = due + 1;
  if (options.calendar != nullptr) {
    overdue = options.calendar->WorkingDayOnOrAfter(overdue);
  }
  points.push_back({StartOfLocalDay(overdue), 0, true});
  if (options.escalation_days > 0) {
    absl::CivilDay escalation = due + 1 + options.escalation_days;
    if (options.calendar != nullptr) {
      escalation = options.calendar->WorkingDayOnOrAfter(escalation);
    }
    points.push_back(
        {StartOfLocalDay(escalation), -options.escalation_days, true});
  }
  // By time, and at the same time the one furthest along first (the
  // shortest lead, the escalation before the overdue point), so that it is
  // the one kept.
  std::sort(points.begin(), points.end(),
            [](const ReminderPoint& a, const ReminderPoint& b) {
              if (a.fire_at != b.fire_at) return a.fire_at < b.fire_at;
              return a.days_before < b.days_before;
            });
  points.erase(std::unique(points.begin(), points.end(),
                           [](const ReminderPoint& a, const ReminderPoint& b) {
                             return a.fire_at == b.fire_at;
                           }),
               points.end());
  return points;
}

absl::StatusOr<std::vector<int>> ParseLeadDays(absl::string_view text,
                                               absl::string_view flag) {
  std::vector<int> days;
  for (absl::string_view part :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    int n = 0;
    if (!absl::SimpleAtoi(part, &n) || n <= 0 || n > 366) {
      return absl::InvalidArgumentError(absl::StrCat(
          flag, ": '", part, "' is not a number of days from 1 to 366"));
    }
    days.push_back(n);
  }
  return days;
}

std::vector<int> ReminderRules::LeadDays(
    v1::TaskKind kind, const v1::ReminderPolicy& policy) const {
  const bool report = kind == v1::TASK_KIND_REPORT;
  const auto& planned =
      report ? policy.report_lead_days() : policy.work_lead_days();
  if (!planned.empty()) return {planned.begin(), planned.end()};
  return report ? defaults_.report : defaults_.work;
}

int ReminderRules::EscalationDays(const v1::ReminderPolicy& policy) const {
  if (policy.escalation_days() > 0) return policy.escalation_days();
  if (policy.escalation_days() < 0) return 0;
  return std::max(defaults_.escalation_days, 0);
}

std::vector<ReminderPoint> ReminderRules::Points(
    absl::CivilDay due, v1::TaskKind kind, const v1::ReminderPolicy& policy,
    bool escalates) const {
  return ReminderPoints(
      due, LeadDays(kind, policy),
      {.report = kind == v1::TASK_KIND_REPORT,
       .calendar = &calendar_,
       .escalation_days = escalates ? EscalationDays(policy) : 0});
}

size_t LatestPoint(const std::vector<ReminderPoint>& due) {
  size_t latest = 0;
  for (size_t i = 1; i < due.size(); ++i) {
    if (due[i].fire_at > due[latest].fire_at ||
        (due[i].fire_at == due[latest].fire_at &&
         due[i].days_before < due[latest].days_before)) {
      latest = i;
    }
  }
  return latest;
}

std::string ReminderKey(absl::string_view occurrence_id,
                        const ReminderPoint& point) {
  // The escalation point's key does not carry its delay: the point is the
  // same whatever delay it was planned with.
  if (point.escalation()) return absl::StrCat(occurrence_id, "/escalated");
  return absl::StrCat(occurrence_id, "/",
                      point.overdue ? std::string("overdue")
                                    : absl::StrCat(point.days_before, "d"));
}

std::string ReminderKey(const std::string& task_id, absl::CivilDay due,
                        const ReminderPoint& point) {
  return ReminderKey(OccurrenceId(task_id, FormatDay(due)), point);
}

std::optional<UpperStandingBody> FindUpperStandingBody(
    const plantext::AgencyRegistry& registry, absl::string_view unit) {
  const plantext::RegistryUnit* own = registry.Unit(unit);
  if (own == nullptr || own->parent.empty()) return std::nullopt;
  const plantext::RegistryUnit* parent = registry.Unit(own->parent);
  if (parent == nullptr || parent->standing_agency.empty()) {
    return std::nullopt;
  }
  return UpperStandingBody{parent->code, parent->standing_agency};
}

v1::DeadlineApproaching BuildDeadlineEvent(const v1::Task& task,
                                           const v1::Occurrence& occurrence,
                                           const ReminderPoint& point,
                                           bool blocked, absl::Time now,
                                           const Escalation& escalation) {
  const absl::CivilDay due(occurrence.due().year(), occurrence.due().month(),
                           occurrence.due().day());
  const absl::CivilDay today = LocalDay(now);
  const bool escalated = point.escalation();
  v1::DeadlineApproaching event;
  event.set_kind(escalated       ? v1::DeadlineApproaching::KIND_ESCALATED
                 : point.overdue ? v1::DeadlineApproaching::KIND_OVERDUE
                                 : v1::DeadlineApproaching::KIND_REMINDER);
  event.set_task_id(task.id());
  event.set_unit(task.unit());
  event.set_section(task.section());
  event.set_number(task.number());
  event.set_task_title(task.title());
  *event.mutable_due_date() = occurrence.due();
  event.set_days_left(static_cast<int32_t>(due - today));
  if (point.overdue) {
    event.set_days_overdue(static_cast<int32_t>(today - due));
  } else {
    event.set_days_before(point.days_before);
  }
  auto add = [&event](const std::string& agency) {
    const auto& r = event.recipients();
    if (std::find(r.begin(), r.end(), agency) == r.end()) {
      event.add_recipients(agency);
    }
  };
  for (const std::string& a : task.lead_agencies()) add(a);
  if (!escalated || !escalation.overdue_announced) {
    for (const std::string& a : task.coordinating_agencies()) add(a);
  }
  if ((point.overdue || blocked) && !task.standing_agency().empty()) {
    add(task.standing_agency());
  }
  if (escalated && !escalation.upper.standing_agency.empty()) {
    add(escalation.upper.standing_agency);
    event.set_upper_unit(escalation.upper.unit);
    event.set_upper_standing_agency(escalation.upper.standing_agency);
  }
  *event.mutable_lead_agencies() = task.lead_agencies();
  event.set_standing_agency(task.standing_agency());
  event.set_reminder_key(ReminderKey(occurrence.id(), point));
  event.set_occurrence_id(occurrence.id());
  event.set_occurrence_label(occurrence.label());
  event.set_blocked(blocked);
  event.set_report(task.kind() == v1::TASK_KIND_REPORT);
  return event;
}

v1::DeadlineApproaching BuildDeadlineEvent(const v1::Task& task,
                                           const ReminderPoint& point,
                                           absl::Time now) {
  const absl::CivilDay due(task.due_date().year(), task.due_date().month(),
                           task.due_date().day());
  v1::Occurrence milestone;
  milestone.set_key(FormatDay(due));
  milestone.set_id(OccurrenceId(task.id(), milestone.key()));
  milestone.set_kind(v1::Occurrence::KIND_MILESTONE);
  *milestone.mutable_due() = task.due_date();
  milestone.set_label(FormatDayVi(due));
  return BuildDeadlineEvent(task, milestone, point, /*blocked=*/false, now);
}

namespace {

std::optional<bool> TaskDone(v1::TaskStatus status) {
  if (status == v1::TASK_STATUS_UNSPECIFIED) return std::nullopt;
  return status == v1::TASK_STATUS_DONE;
}

std::optional<bool> OccurrenceDone(v1::OccurrenceStatus status) {
  switch (status) {
    case v1::OCCURRENCE_STATUS_DONE:
    case v1::OCCURRENCE_STATUS_DONE_LATE:
      return true;
    case v1::OCCURRENCE_STATUS_NOT_STARTED:
    case v1::OCCURRENCE_STATUS_IN_PROGRESS:
    case v1::OCCURRENCE_STATUS_OVERDUE:
    case v1::OCCURRENCE_STATUS_BLOCKED:
      return false;
    default:
      return std::nullopt;
  }
}

// Blocked while a difficulty is open: said by the status, or by a
// difficulty raised and not resolved in the same report. A known status
// other than blocked, or a resolved difficulty, unblocks.
std::optional<bool> Blocked(bool status_known, bool status_blocked,
                            const std::string& difficulty, bool resolved) {
  if (status_blocked) return true;
  if (!difficulty.empty() && !resolved) return true;
  if (status_known || resolved) return false;
  return std::nullopt;
}

}  // namespace

ReminderChange ReminderChangeFor(const v1::TaskUpdated& update) {
  ReminderChange change;
  change.task_done = TaskDone(update.status());
  if (update.occurrence_id().empty()) {
    change.all_blocked =
        Blocked(update.status() != v1::TASK_STATUS_UNSPECIFIED,
                update.status() == v1::TASK_STATUS_BLOCKED, update.difficulty(),
                update.difficulty_resolved());
    return change;
  }
  ReminderChange::Occurrence& o = change.occurrences.emplace_back();
  o.id = update.occurrence_id();
  o.done = OccurrenceDone(update.occurrence_status());
  o.blocked =
      Blocked(update.occurrence_status() != v1::OCCURRENCE_STATUS_UNSPECIFIED,
              update.occurrence_status() == v1::OCCURRENCE_STATUS_BLOCKED,
              update.difficulty(), update.difficulty_resolved());
  return change;
}

ReminderChange ReminderChangeFor(const v1::TaskState& state) {
  ReminderChange change;
  change.task_done = TaskDone(state.status());
  if (state.occurrences().empty()) {
    change.all_blocked =
        Blocked(state.status() != v1::TASK_STATUS_UNSPECIFIED,
                state.status() == v1::TASK_STATUS_BLOCKED, "", false);
    return change;
  }
  for (const v1::OccurrenceState& s : state.occurrences()) {
    ReminderChange::Occurrence& o = change.occurrences.emplace_back();
    o.id = s.occurrence().id();
    o.done = OccurrenceDone(s.status());
    o.blocked = Blocked(s.status() != v1::OCCURRENCE_STATUS_UNSPECIFIED,
                        s.status() == v1::OCCURRENCE_STATUS_BLOCKED,
                        s.open_difficulty(), false);
  }
  return change;
}

}  // namespace tiendo::plan
