#ifndef TIENDO_SERVICES_PLAN_REMINDER_SCHEDULE_H_
#define TIENDO_SERVICES_PLAN_REMINDER_SCHEDULE_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/work_calendar.h"
#include "services/plan/text/agency_registry.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/plan.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::plan {

// A moment at which an occurrence's deadline is announced.
struct ReminderPoint {
  absl::Time fire_at;
  // Days before the deadline: the lead time of a reminder, 0 for the
  // overdue point, minus the delay for the escalation point (-7: a week
  // after the due date).
  int days_before = 0;
  // Past the deadline: the overdue point and the escalation point.
  bool overdue = false;

  // The point at which an occurrence still overdue also goes to the
  // standing body of the unit above.
  bool escalation() const { return overdue && days_before < 0; }
};

struct ReminderOptions {
  // A report obligation: lead times count back from its cut-off day, the
  // day after the due date ("trước ngày 12": due the 11th, cut off the
  // 12th), so "1 day before" is the due day itself.
  bool report = false;
  // When set, a reminder that falls on a day off moves to the working day
  // before it, and the overdue point to the next working day, so that
  // people hear of a deadline on a day they are at work.
  const WorkCalendar* calendar = nullptr;
  // When positive, the escalation point: local midnight starting the day
  // `escalation_days` whole days after the overdue day (due + 1 + N),
  // moved to a working day like the overdue point.
  int escalation_days = 0;
};

// The reminder points of a deadline: local midnight starting the day
// `lead` days before the due date (or the cut-off day, for a report), for
// each positive lead time, local midnight after the due date (the
// deadline is the end of the due day), and the escalation point if
// asked, each moved to a working day when a calendar is given. Ordered by
// time. Points that land on the same day (two leads moved to the same
// Friday, or the overdue and the escalation point after a long holiday)
// are announced once: the one furthest along (the smallest days_before)
// is kept.
std::vector<ReminderPoint> ReminderPoints(absl::CivilDay due,
                                          const std::vector<int>& lead_days,
                                          const ReminderOptions& options = {});

// The service's defaults, in days: lead times of reminders per kind of
// task, and how long an occurrence stays overdue before it escalates to
// the standing body of the unit above (0: not unless a plan asks).
struct LeadTimes {
  std::vector<int> work = {7, 3, 1};
  std::vector<int> report = {3, 1};
  int escalation_days = 7;
};

// "7,3,1" -> {7, 3, 1}. Every part must be a positive number of days (at
// most 366); errors name `flag`.
absl::StatusOr<std::vector<int>> ParseLeadDays(absl::string_view text,
                                               absl::string_view flag);

// Which reminder points an occurrence gets: the service's lead times per
// kind of task, overridden per plan by its ReminderPolicy, moved off days
// off by the working-day calendar.
class ReminderRules {
 public:
  explicit ReminderRules(LeadTimes defaults = {},
                         WorkCalendar calendar = WorkCalendar::Default())
      : defaults_(std::move(defaults)), calendar_(std::move(calendar)) {}

  // The lead times for a task of `kind` in a plan with `policy`: the plan's
  // list for that kind when it has one, else the service default.
  std::vector<int> LeadDays(v1::TaskKind kind,
                            const v1::ReminderPolicy& policy) const;

  // The escalation delay in a plan with `policy`: the plan's
  // escalation_days when positive, none (0) when negative, else the
  // service default.
  int EscalationDays(const v1::ReminderPolicy& policy) const;

  // `escalates`: the task's unit has a standing body above it (a commune
  // under its province, FindUpperStandingBody); its occurrences then get
  // the escalation point when EscalationDays is positive.
  std::vector<ReminderPoint> Points(absl::CivilDay due, v1::TaskKind kind,
                                    const v1::ReminderPolicy& policy,
                                    bool escalates = false) const;

  const LeadTimes& defaults() const { return defaults_; }
  const WorkCalendar& calendar() const { return calendar_; }

 private:
  LeadTimes defaults_;
  WorkCalendar calendar_;
};

// Of the points of one occurrence that are due at once (after a restart or
// a jump of the clock), only the latest is worth announcing: an overdue
// notice makes a "3 days left" reminder pointless, and the escalation
// makes the overdue notice pointless. At the same moment the one furthest
// along (the smallest days_before) wins. Returns its index in `due`.
size_t LatestPoint(const std::vector<ReminderPoint>& due);

// Stable key of a reminder point, the same however often it is announced:
// "<occurrence id>/7d", "<occurrence id>/overdue",
// "<occurrence id>/escalated".
std::string ReminderKey(absl::string_view occurrence_id,
                        const ReminderPoint& point);
// The key of a point of the milestone occurrence at `due`; for a milestone
// the same as the key above.
std::string ReminderKey(const std::string& task_id, absl::CivilDay due,
                        const ReminderPoint& point);

// The unit above a task's unit and its standing body.
struct UpperStandingBody {
  std::string unit;             // "quang-tri"
  std::string standing_agency;  // "quangtri.congan"
};

// The parent of `unit` in the registry and its standing body, when both
// exist: a commune's province. None for a province (the country above it
// has no standing body), the country, or a unit the registry does not
// know.
std::optional<UpperStandingBody> FindUpperStandingBody(
    const plantext::AgencyRegistry& registry, absl::string_view unit);

// What an escalation point needs beyond the occurrence.
struct Escalation {
  UpperStandingBody upper;
  // The occurrence's overdue point was announced: the coordinators have
  // heard of the delay, so the escalation goes only to those answerable
  // for it. Otherwise (superseded by the escalation in the same scan,
  // cancelled while the occurrence was done, or never made because the
  // two met on one day) they hear of it now.
  bool overdue_announced = false;
};

// The event for a point of `occurrence` reached at `now`: due date, label
// and report flag of the occurrence; recipients are the lead and
// coordinating agencies and, when the point is overdue or the occurrence
// is blocked by a difficulty, the unit's standing body. For the
// escalation point (KIND_ESCALATED, using `escalation`): the lead
// agencies, the coordinators unless they heard of the overdue point, the
// unit's standing body and the standing body of the unit above.
v1::DeadlineApproaching BuildDeadlineEvent(const v1::Task& task,
                                           const v1::Occurrence& occurrence,
                                           const ReminderPoint& point,
                                           bool blocked, absl::Time now,
                                           const Escalation& escalation = {});
// The same for the task's own due_date (the milestone occurrence a plan
// without schedules gets), not blocked.
v1::DeadlineApproaching BuildDeadlineEvent(const v1::Task& task,
                                           const ReminderPoint& point,
                                           absl::Time now);

// What the progress service's news means for reminders. Unset fields say
// nothing and change nothing.
struct ReminderChange {
  // The task as a whole is done (no occurrence gets reminders) or not.
  std::optional<bool> task_done;
  // A task-level report concerns all of the task's occurrences: blocked or
  // unblocked together.
  std::optional<bool> all_blocked;
  struct Occurrence {
    std::string id;
    // Done or done late (its points are cancelled), or reopened (those
    // still in the future come back).
    std::optional<bool> done;
    // An open difficulty: its reminders also go to the standing body.
    std::optional<bool> blocked;
  };
  std::vector<Occurrence> occurrences;
};

// From a TaskUpdated: with occurrence_id, that occurrence's status
// (DONE or DONE_LATE: done; NOT_STARTED, IN_PROGRESS, OVERDUE, BLOCKED:
// not done; BLOCKED or an unresolved difficulty: blocked); without, the
// task's status for every occurrence (DONE: the task is done; BLOCKED or
// an unresolved difficulty: all blocked; another status: all unblocked).
ReminderChange ReminderChangeFor(const v1::TaskUpdated& update);
// From the progress service's snapshot of a task: every occurrence listed,
// or the task's status when it lists none.
ReminderChange ReminderChangeFor(const v1::TaskState& state);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_REMINDER_SCHEDULE_H_
