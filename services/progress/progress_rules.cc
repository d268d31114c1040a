#include "services/progress/progress_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"

namespace tiendo::progress {
namespace {

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string JoinOrNone(
    const google::protobuf::RepeatedPtrField<std::string>& list) {
  return list.empty() ? "none" : absl::StrJoin(list, ", ");
}

}  // namespace

v1::TaskState InitialState(const v1::Task& task) {
  v1::TaskState state;
  state.set_task_id(task.id());
  state.set_unit(task.unit());
  state.set_status(v1::TASK_STATUS_NOT_STARTED);
  state.set_percent(0);
  state.set_version(0);
  if (IsSet(task.due_date())) *state.mutable_due_date() = task.due_date();
  *state.mutable_lead_agencies() = task.lead_agencies();
  *state.mutable_coordinating_agencies() = task.coordinating_agencies();
  return state;
}

absl::Status ValidateRequest(const v1::ReportProgressRequest& request) {
  if (request.task_id().empty()) {
    return absl::InvalidArgumentError("task_id: required");
  }
  if (request.agency().empty()) {
    return absl::InvalidArgumentError(
        "agency: required (code of the reporting agency)");
  }
  if (request.status() == v1::TASK_STATUS_UNSPECIFIED ||
      !v1::TaskStatus_IsValid(request.status())) {
    return absl::InvalidArgumentError(
        "status: required (not_started, in_progress, done or blocked)");
  }
  if (request.has_percent() &&
      (request.percent() < 0 || request.percent() > 100)) {
    return absl::InvalidArgumentError(
        absl::StrCat("percent: ", request.percent(), " is outside 0..100"));
  }
  if (request.status() == v1::TASK_STATUS_DONE && request.has_percent() &&
      request.percent() != 100) {
    return absl::InvalidArgumentError(absl::StrCat(
        "percent: a done task is 100%, not ", request.percent(), "%"));
  }
  if (request.status() == v1::TASK_STATUS_BLOCKED && request.note().empty()) {
    return absl::InvalidArgumentError(
        "note: required when blocked (describe the difficulty)");
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
  if (!lead && request.status() == v1::TASK_STATUS_DONE) {
    return absl::PermissionDeniedError(
        absl::StrCat("agency '", request.agency(), "' coordinates task ",
                     task.id(), "; only the lead (",
                     JoinOrNone(task.lead_agencies()), ") may mark it done"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::TaskState> NextState(
    const v1::Task& task, const v1::TaskState& current,
    const v1::ReportProgressRequest& request, absl::Time now) {
  if (absl::Status s = ValidateRequest(request); !s.ok()) return s;
  if (absl::Status s = CheckReporter(task, request); !s.ok()) return s;
  v1::TaskState next = current;
  next.set_status(request.status());
  if (request.status() == v1::TASK_STATUS_DONE) {
    next.set_percent(100);
    const absl::CivilDay today = LocalDay(now);
    *next.mutable_completed_on() = ToProto(today);
    bool late = false;
    if (IsSet(task.due_date())) {
      absl::StatusOr<absl::CivilDay> due = FromProto(task.due_date(), "due");
      late = due.ok() && today > *due;
    }
    next.set_completed_late(late);
  } else {
    if (request.has_percent()) next.set_percent(request.percent());
    // A reopened task is no longer complete.
    next.clear_completed_on();
    next.set_completed_late(false);
  }
  next.set_version(current.version() + 1);
  *next.mutable_updated_at() = ToProto(now);
  return next;
}

}  // namespace tiendo::progress
