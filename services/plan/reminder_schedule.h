#ifndef TIENDO_SERVICES_PLAN_REMINDER_SCHEDULE_H_
#define TIENDO_SERVICES_PLAN_REMINDER_SCHEDULE_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"

namespace tiendo::plan {

// A moment at which a task's deadline is announced.
struct ReminderPoint {
  absl::Time fire_at;
  int days_before = 0;  // lead time; 0 for the overdue point
  bool overdue = false;
};

// The reminder points of a deadline: local midnight starting the day
// `lead` days before the due date, for each lead time, and local midnight
// after the due date (the deadline is the end of the due day). Ordered by
// time.
std::vector<ReminderPoint> ReminderPoints(absl::CivilDay due,
                                          const std::vector<int>& lead_days);

// Of the points of one task that are due at once (after a restart or a jump
// of the clock), only the latest is worth announcing: an overdue notice
// makes a "3 days left" reminder pointless. Returns its index in `due`.
size_t LatestPoint(const std::vector<ReminderPoint>& due);

// Stable key of a reminder point, the same however often it is announced.
std::string ReminderKey(const std::string& task_id, absl::CivilDay due,
                        const ReminderPoint& point);

// The event for a point reached at `now`: recipients are the lead and
// coordinating agencies and, when overdue, the unit's standing body.
v1::DeadlineApproaching BuildDeadlineEvent(const v1::Task& task,
                                           const ReminderPoint& point,
                                           absl::Time now);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_REMINDER_SCHEDULE_H_
