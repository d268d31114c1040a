#ifndef TIENDO_SERVICES_PROGRESS_PROGRESS_RULES_H_
#define TIENDO_SERVICES_PROGRESS_PROGRESS_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {

// How reports change execution state.
//
// A task with occurrences (milestones, periods, recorded triggers) is
// tracked per occurrence. A report names one (ReportProgressRequest.
// occurrence_id); empty means the earliest occurrence not yet done (by due
// date, undated ones last; a periodic report picks among periods only), or
// the last one when all are done. A task without occurrences keeps the
// task-level behaviour: the reported status is the task's status.
//
// Stored occurrence states hold only what was reported: not started, in
// progress, done or blocked (an open difficulty). Done late and overdue are
// computed when the state is shown (OccurrenceStatusOn), from the due date
// and the local date. A blocked occurrence shows BLOCKED even past its due
// date (the difficulty is what needs acting on; the due date shows it late).
//
// With occurrences, the task-level fields summarise them, so consumers that
// know only tasks keep working: the task is done when every occurrence is
// done (completed_on is the last completion, completed_late is true when
// any occurrence was done after its due date); otherwise blocked when one
// has an open difficulty, in progress when any has started or is done, not
// started otherwise. Its percent is the mean of the occurrences' percents.

// The state of a task nobody has reported on yet.
v1::TaskState InitialState(const v1::Task& task);

// A stored state brought in line with the task's current definition: every
// occurrence the definition has, in its order (those new to the state not
// started), the assignment and due date as defined now. States of
// occurrences the definition dropped are left out.
v1::TaskState WithDefinition(const v1::Task& task, v1::TaskState state);

// The status of an occurrence on a local day: DONE_LATE when it was
// completed after its due date, OVERDUE when it is neither done nor blocked
// and the due date has passed, otherwise the reported status.
v1::OccurrenceStatus OccurrenceStatusOn(const v1::OccurrenceState& occurrence,
                                        absl::CivilDay today);

// The state as shown at `now`: occurrences with computed statuses.
v1::TaskState Present(const v1::Task& task, v1::TaskState state,
                      absl::Time now);

// Checks the fields of a request that need no stored state. InvalidArgument
// naming the field.
absl::Status ValidateRequest(const v1::ReportProgressRequest& request);

// Who may report: the lead and coordinating agencies of the task; only a
// lead may mark it done or submit the periodic report. PermissionDenied
// naming the agency and why, otherwise OK.
absl::Status CheckReporter(const v1::Task& task,
                           const v1::ReportProgressRequest& request);

// The target of the task a measurement's indicator names: its
// indicator_code, or its indicator as written. Null when none does.
const v1::Target* FindTarget(const v1::Task& task, absl::string_view indicator);

// The name measurements of a target are kept under: its indicator_code, or
// the indicator as written when it has no code.
std::string IndicatorKey(const v1::Target& target);

// Checks one measurement against the task on the local day `today`;
// `field` names it in errors ("measurements[0]", "items[3].measurement").
// InvalidArgument naming the field, e.g. "measurements[0].numerator: 120 is
// above the denominator 100".
absl::Status ValidateMeasurement(const v1::Task& task,
                                 const v1::Measurement& measurement,
                                 absl::CivilDay today, absl::string_view field);

// A valid measurement as stored: the indicator under its key, the unit the
// task's when not given.
v1::Measurement Normalized(const v1::Task& task, v1::Measurement measurement);

// latest_measurements after `measurement`: one per indicator and unit, the
// one with the latest as_of; a later report wins on the same date.
void RecordLatest(const v1::Measurement& measurement, v1::TaskState& state);

// What an accepted report changed.
struct ReportOutcome {
  // The state to store (occurrences carry reported statuses only).
  v1::TaskState state;
  // The occurrence reported on; empty for a task without occurrences.
  std::string occurrence_id;
  // Its status computed at the report's time.
  v1::OccurrenceStatus occurrence_status = v1::OCCURRENCE_STATUS_UNSPECIFIED;
  // The reported status and percent of the occurrence (of the task when it
  // has none) after the report.
  v1::TaskStatus status = v1::TASK_STATUS_UNSPECIFIED;
  int32_t percent = 0;
  // The report's measurements as stored.
  std::vector<v1::Measurement> measurements;
  // A difficulty raised by this report (the note of a report typed
  // blocked counts as one).
  std::string difficulty;
  // An open difficulty was resolved (explicitly, or by completing).
  bool difficulty_resolved = false;
  // For a periodic report: completed on or before the due date.
  bool on_time = false;
  // Set when the report reopened a done occurrence.
  std::string reopen_reason;
};

// Validates a report against the task and its current state and returns
// what it changes. InvalidArgument or PermissionDenied naming the field or
// the agency.
absl::StatusOr<ReportOutcome> ApplyReport(
    const v1::Task& task, const v1::TaskState& current,
    const v1::ReportProgressRequest& request, absl::Time now);

// The task's state after an accepted report made at `now`.
absl::StatusOr<v1::TaskState> NextState(
    const v1::Task& task, const v1::TaskState& current,
    const v1::ReportProgressRequest& request, absl::Time now);

// The event announcing an accepted report.
v1::TaskUpdated MakeTaskUpdated(const v1::Task& task,
                                const ReportOutcome& outcome,
                                const v1::ProgressReport& report);

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_PROGRESS_RULES_H_
