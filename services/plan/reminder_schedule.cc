#include "services/plan/reminder_schedule.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"

namespace tiendo::plan {

std::vector<ReminderPoint> ReminderPoints(absl::CivilDay due,
                                          const std::vector<int>& lead_days) {
  std::vector<ReminderPoint> points;
  for (int lead : lead_days) {
    if (lead <= 0) continue;
    points.push_back({StartOfLocalDay(due - lead), lead, false});
  }
  points.push_back({StartOfLocalDay(due + 1), 0, true});
  std::sort(points.begin(), points.end(),
            [](const ReminderPoint& a, const ReminderPoint& b) {
              return a.fire_at < b.fire_at;
            });
  points.erase(std::unique(points.begin(), points.end(),
                           [](const ReminderPoint& a, const ReminderPoint& b) {
                             return a.fire_at == b.fire_at;
                           }),
               points.end());
  return points;
}

size_t LatestPoint(const std::vector<ReminderPoint>& due) {
  size_t latest = 0;
  for (size_t i = 1; i < due.size(); ++i) {
    if (due[i].fire_at > due[latest].fire_at) latest = i;
  }
  return latest;
}

std::string ReminderKey(const std::string& task_id, absl::CivilDay due,
                        const ReminderPoint& point) {
  return absl::StrCat(task_id, "@", FormatDay(due), "/",
                      point.overdue ? std::string("overdue")
                                    : absl::StrCat(point.days_before, "d"));
}

v1::DeadlineApproaching BuildDeadlineEvent(const v1::Task& task,
                                           const ReminderPoint& point,
                                           absl::Time now) {
  const absl::CivilDay due(task.due_date().year(), task.due_date().month(),
                           task.due_date().day());
  const absl::CivilDay today = LocalDay(now);
  v1::DeadlineApproaching event;
  event.set_kind(point.overdue ? v1::DeadlineApproaching::KIND_OVERDUE
                               : v1::DeadlineApproaching::KIND_REMINDER);
  event.set_task_id(task.id());
  event.set_unit(task.unit());
  event.set_section(task.section());
  event.set_number(task.number());
  event.set_task_title(task.title());
  *event.mutable_due_date() = task.due_date();
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
  for (const std::string& a : task.coordinating_agencies()) add(a);
  if (point.overdue && !task.standing_agency().empty()) {
    add(task.standing_agency());
  }
  *event.mutable_lead_agencies() = task.lead_agencies();
  event.set_standing_agency(task.standing_agency());
  event.set_reminder_key(ReminderKey(task.id(), due, point));
  return event;
}

}  // namespace tiendo::plan
