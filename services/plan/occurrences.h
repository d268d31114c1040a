#ifndef TIENDO_SERVICES_PLAN_OCCURRENCES_H_
#define TIENDO_SERVICES_PLAN_OCCURRENCES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {

// What is tracked of a task: every dated milestone and every period of a
// recurring obligation is an occurrence with its own due date, reminded
// and reported separately (the May report is not the June report).

// "<task id>@<key>".
std::string OccurrenceId(absl::string_view task_id, absl::string_view key);

// The day a plan's obligations start: the day it was issued, else 1
// January of its year; nullopt when it has neither.
std::optional<absl::CivilDay> PlanStart(const v1::LocalDate& issued, int year);

// The occurrences a task's schedule defines, in this order:
//   - each milestone: KIND_MILESTONE, key "2026-05-31", label "31/05/2026",
//     due that day;
//   - a recurrence: KIND_PERIOD, one per period for a year of periods
//     (see below), key "2026-05" / "2026-Q2" / "2026-H1" / "2026", label
//     "tháng 5/2026" / "Quý II/2026" / "6 tháng đầu năm 2026" / "năm
//     2026", period_start and period_end set;
//   - a task without milestones, recurrence, ongoing or triggered parts but
//     with a due_date (a plan created in the structured form, which has no
//     schedule): one milestone at due_date.
// Ongoing-only and triggered-only work gets none: ongoing work is judged by
// the unit's periodic reports, triggered work gets an occurrence when the
// trigger is recorded (RecordTrigger).
//
// Horizon of a recurrence: the plans are annual ("Kế hoạch ... năm 2026")
// and the next year's plan brings its own obligations, so a recurrence
// yields one year of periods, starting with the period that contains
// `plan_start` (PlanStart): 12 months, 4 quarters, 2 half-years or 1
// year. A plan issued 25/5/2026 with a monthly report gets May 2026 to
// April 2027. Without a plan start there are no periods.
//
// Due date of a period: with Recurrence.day N ("trước ngày 12 hằng
// tháng"), day N-1 of the month after the period ends (the May report by
// 11 June, the Q2 report by 11 July), not past that month's last day;
// N = 1 means the period's last day. Without a day, the period's last day.
std::vector<v1::Occurrence> ExpandOccurrences(
    const v1::Task& task, std::optional<absl::CivilDay> plan_start);

// Gives every target of the task its indicator_code: "k1", "k2", ... one
// per distinct indicator in order of first appearance, indicators compared
// with plantext::MatchKey, so the stages of one indicator ("90% in Q1,
// 100% in Q2") share a code.
void AssignIndicatorCodes(v1::Task& task);

// The occurrence RecordTrigger adds to `task`: KIND_TRIGGERED, key
// "trigger-N" (N counts the task's triggered occurrences), label "theo
// <trigger>" (shortened), due as requested, period_start the day it
// happened and period_end the due day. InvalidArgument or
// FailedPrecondition naming the field when the task is not triggered work,
// the trigger text is empty, a date is missing or impossible, or due is
// before happened_on.
absl::StatusOr<v1::Occurrence> TriggeredOccurrence(
    const v1::Task& task, const v1::RecordTriggerRequest& request);

// The occurrence's due day; nullopt when unset or impossible.
std::optional<absl::CivilDay> OccurrenceDue(const v1::Occurrence& occurrence);

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_OCCURRENCES_H_
