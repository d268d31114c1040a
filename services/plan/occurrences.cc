#include "services/plan/occurrences.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/proto_convert.h"
#include "services/plan/text/fold.h"

namespace tiendo::plan {
namespace {

// A trigger label stays short enough for a notification's subject line.
constexpr size_t kTriggerLabelChars = 60;

constexpr const char* kRoman[] = {"I", "II", "III", "IV"};

absl::CivilDay LastDayOf(absl::CivilMonth month) {
  return absl::CivilDay(month + 1) - 1;
}

struct Period {
  absl::CivilMonth first;
  int months = 0;
};

int MonthsIn(v1::Period period) {
  switch (period) {
    case v1::PERIOD_MONTH:
      return 1;
    case v1::PERIOD_QUARTER:
      return 3;
    case v1::PERIOD_HALF_YEAR:
      return 6;
    case v1::PERIOD_YEAR:
      return 12;
    default:
      return 0;
  }
}

// The period of `months` months (1, 3, 6 or 12, aligned on the calendar
// year) that contains `day`.
absl::CivilMonth PeriodContaining(absl::CivilDay day, int months) {
  const int index = (day.month() - 1) / months;
  return absl::CivilMonth(day.year(), 1 + index * months);
}

std::string PeriodKey(absl::CivilMonth first, int months) {
  switch (months) {
    case 1:
      return absl::StrFormat("%04d-%02d", first.year(), first.month());
    case 3:
      return absl::StrFormat("%04d-Q%d", first.year(),
                             (first.month() - 1) / 3 + 1);
    case 6:
      return absl::StrFormat("%04d-H%d", first.year(),
                             first.month() <= 6 ? 1 : 2);
    default:
      return absl::StrFormat("%04d", first.year());
  }
}

std::string PeriodLabel(absl::CivilMonth first, int months) {
  switch (months) {
    case 1:
      return absl::StrFormat("tháng %d/%04d", first.month(), first.year());
    case 3:
      return absl::StrFormat("Quý %s/%04d", kRoman[(first.month() - 1) / 3],
                             first.year());
    case 6:
      return absl::StrFormat("6 tháng %s năm %04d",
                             first.month() <= 6 ? "đầu" : "cuối", first.year());
    default:
      return absl::StrFormat("năm %04d", first.year());
  }
}

// "trước ngày N" of the month after the period: by day N-1, within that
// month.
absl::CivilDay PeriodDue(absl::CivilMonth first, int months, int day) {
  const absl::CivilDay last = LastDayOf(first + (months - 1));
  if (day <= 1) return last;
  const absl::CivilMonth next = first + months;
  const absl::CivilDay next_last = LastDayOf(next);
  const int by = std::min<int>(day - 1, next_last.day());
  return absl::CivilDay(next.year(), next.month(), by);
}

bool HasScheduleParts(const v1::Schedule& schedule) {
  return schedule.milestones_size() > 0 ||
         (schedule.has_recurrence() &&
          schedule.recurrence().every() != v1::PERIOD_UNSPECIFIED) ||
         schedule.has_ongoing() || schedule.triggered();
}

v1::Occurrence Milestone(const std::string& task_id, absl::CivilDay due) {
  v1::Occurrence o;
  o.set_key(FormatDay(due));
  o.set_id(OccurrenceId(task_id, o.key()));
  o.set_kind(v1::Occurrence::KIND_MILESTONE);
  *o.mutable_due() = ToProto(due);
  o.set_label(FormatDayVi(due));
  return o;
}

// At most `max_chars` code points of `text`, cut at a space when there is
// one, "…" marking the cut.
std::string Shorten(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  size_t cut = text.size();
  size_t last_space = std::string::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) {
      cut = i;
      if (c == ' ') last_space = i;  // the cut falls between words
      break;
    }
    if (c == ' ') last_space = i;
    ++chars;
  }
  if (cut == text.size()) return std::string(text);
  if (last_space != std::string::npos && last_space > cut / 2) {
    cut = last_space;
  }
  return absl::StrCat(absl::StripTrailingAsciiWhitespace(text.substr(0, cut)),
                      "…");
}

}  // namespace

std::string OccurrenceId(absl::string_view task_id, absl::string_view key) {
  return absl::StrCat(task_id, "@", key);
}

std::optional<absl::CivilDay> PlanStart(const v1::LocalDate& issued, int year) {
  if (IsSet(issued)) {
    absl::StatusOr<absl::CivilDay> day = FromProto(issued, "issued");
    if (day.ok()) return *day;
  }
  if (year > 0) return absl::CivilDay(year, 1, 1);
  return std::nullopt;
}

std::optional<absl::CivilDay> OccurrenceDue(const v1::Occurrence& occurrence) {
  if (!IsSet(occurrence.due())) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = FromProto(occurrence.due(), "due");
  if (!day.ok()) return std::nullopt;
  return *day;
}

std::vector<v1::Occurrence> ExpandOccurrences(
    const v1::Task& task, std::optional<absl::CivilDay> plan_start) {
  std::vector<v1::Occurrence> out;
  absl::flat_hash_set<std::string> keys;
  auto add = [&](v1::Occurrence o) {
    if (keys.insert(o.key()).second) out.push_back(std::move(o));
  };
  const v1::Schedule& schedule = task.schedule();
  for (const v1::Milestone& milestone : schedule.milestones()) {
    absl::StatusOr<absl::CivilDay> due = FromProto(milestone.due(), "due");
    if (!IsSet(milestone.due()) || !due.ok()) continue;
    add(Milestone(task.id(), *due));
  }
  const int months =
      schedule.has_recurrence() ? MonthsIn(schedule.recurrence().every()) : 0;
  if (months > 0 && plan_start) {
    const absl::CivilMonth start = PeriodContaining(*plan_start, months);
    for (int i = 0; i < 12 / months; ++i) {
      const absl::CivilMonth first = start + i * months;
      v1::Occurrence o;
      o.set_key(PeriodKey(first, months));
      o.set_id(OccurrenceId(task.id(), o.key()));
      o.set_kind(v1::Occurrence::KIND_PERIOD);
      *o.mutable_due() =
          ToProto(PeriodDue(first, months, schedule.recurrence().day()));
      *o.mutable_period_start() = ToProto(absl::CivilDay(first));
      *o.mutable_period_end() = ToProto(LastDayOf(first + (months - 1)));
      o.set_label(PeriodLabel(first, months));
      add(std::move(o));
    }
  }
  if (!HasScheduleParts(schedule) && IsSet(task.due_date())) {
    absl::StatusOr<absl::CivilDay> due = FromProto(task.due_date(), "due_date");
    if (due.ok()) add(Milestone(task.id(), *due));
  }
  // Triggers recorded earlier stay: they are not derived from the schedule.
  for (const v1::Occurrence& o : task.occurrences()) {
    if (o.kind() == v1::Occurrence::KIND_TRIGGERED) add(o);
  }
  return out;
}

void AssignIndicatorCodes(v1::Task& task) {
  absl::flat_hash_map<std::string, std::string> codes;
  for (v1::Target& target : *task.mutable_targets()) {
    const std::string key = plantext::MatchKey(target.indicator());
    auto [it, inserted] = codes.try_emplace(key);
    if (inserted) it->second = absl::StrCat("k", codes.size());
    target.set_indicator_code(it->second);
  }
}

absl::StatusOr<v1::Occurrence> TriggeredOccurrence(
    const v1::Task& task, const v1::RecordTriggerRequest& request) {
  if (!task.schedule().triggered()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "task_id: task ", task.id(),
        " does not wait for an outside event (timeframe: '", task.timeframe(),
        "'); only triggered work records triggers"));
  }
  const std::string trigger(absl::StripAsciiWhitespace(request.trigger()));
  if (trigger.empty()) {
    return absl::InvalidArgumentError(
        "trigger: required (what happened, e.g. \"Bộ Công an có chỉ đạo "
        "ngày 3/7/2026\")");
  }
  if (!IsSet(request.happened_on())) {
    return absl::InvalidArgumentError(
        "happened_on: required (the day it happened)");
  }
  absl::StatusOr<absl::CivilDay> happened =
      FromProto(request.happened_on(), "happened_on");
  if (!happened.ok()) return happened.status();
  if (!IsSet(request.due())) {
    return absl::InvalidArgumentError(
        "due: required (the deadline of the work it triggers)");
  }
  absl::StatusOr<absl::CivilDay> due = FromProto(request.due(), "due");
  if (!due.ok()) return due.status();
  if (*due < *happened) {
    return absl::InvalidArgumentError(absl::StrCat("due: ", FormatDay(*due),
                                                   " is before happened_on ",
                                                   FormatDay(*happened)));
  }
  int n = 1;
  for (const v1::Occurrence& o : task.occurrences()) {
    if (o.kind() == v1::Occurrence::KIND_TRIGGERED) ++n;
  }
  v1::Occurrence o;
  o.set_key(absl::StrCat("trigger-", n));
  o.set_id(OccurrenceId(task.id(), o.key()));
  o.set_kind(v1::Occurrence::KIND_TRIGGERED);
  *o.mutable_due() = ToProto(*due);
  // The work runs from the event to its deadline.
  *o.mutable_period_start() = ToProto(*happened);
  *o.mutable_period_end() = ToProto(*due);
  o.set_label(absl::StrCat("theo ", Shorten(trigger, kTriggerLabelChars)));
  o.set_trigger(trigger);
  return o;
}

}  // namespace tiendo::plan
