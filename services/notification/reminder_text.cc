#include "services/notification/reminder_text.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/proto_convert.h"
#include "services/common/utf8.h"

namespace tiendo::notification {
namespace {

constexpr char kEscalationPrefix[] = "[Báo cáo Cơ quan Thường trực] ";
// Titles and free text are cut so that one entry stays readable on a phone.
constexpr size_t kTitleBytes = 160;
constexpr size_t kFreeTextBytes = 500;

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "31/05/2026"; empty for an unset or impossible date.
std::string DayVi(const v1::LocalDate& date) {
  if (!IsSet(date)) return "";
  absl::StatusOr<absl::CivilDay> day = FromProto(date, "date");
  return day.ok() ? FormatDayVi(*day) : "";
}

// The section and number as the plan writes them ("III.4"), from a task id
// "<plan id>#<section>.<number>". Events about progress carry only the id.
std::string TaskRef(const std::string& task_id) {
  const size_t hash = task_id.rfind('#');
  return hash == std::string::npos ? task_id : task_id.substr(hash + 1);
}

std::string LeadSentence(
    const google::protobuf::RepeatedPtrField<std::string>& leads) {
  if (leads.empty()) return "";
  return absl::StrCat(" Đơn vị chủ trì: ", absl::StrJoin(leads, ", "), ".");
}

std::string StandingBody(const std::string& standing_agency) {
  return standing_agency.empty()
             ? std::string("Cơ quan Thường trực")
             : absl::StrCat("Cơ quan Thường trực (", standing_agency, ")");
}

// "Nhiệm vụ III.4 (vinh-thuy), đợt tháng 5/2026" for events that know the
// task only by id.
std::string TaskByIdSubject(const v1::TaskUpdated& update,
                            absl::string_view unit) {
  std::string subject = absl::StrCat("Nhiệm vụ ", TaskRef(update.task_id()));
  if (!unit.empty()) absl::StrAppend(&subject, " (", unit, ")");
  if (!update.occurrence_id().empty()) {
    absl::StrAppend(&subject, ", đợt ",
                    OccurrenceLabel(update.occurrence_id()));
  }
  return subject;
}

// Points of percentage the projection misses the target by; older
// producers left `gap` unset.
double AtRiskGap(const v1::TargetAtRisk& warning) {
  return warning.gap() > 0
             ? warning.gap()
             : warning.target_percent() - warning.projected_percent();
}

std::string Reporter(const v1::TaskUpdated& update) {
  return update.reporting_agency().empty() ? std::string("Đơn vị thực hiện")
                                           : update.reporting_agency();
}

// Lead agencies first, then the others, each once.
std::vector<std::string> Recipients(
    const google::protobuf::RepeatedPtrField<std::string>& first,
    std::initializer_list<const std::string*> then) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& agency) {
    if (agency.empty()) return;
    if (std::find(out.begin(), out.end(), agency) == out.end()) {
      out.push_back(agency);
    }
  };
  for (const std::string& agency : first) add(agency);
  for (const std::string* agency : then) add(*agency);
  return out;
}

}  // namespace

std::string DeadlineKind(const v1::DeadlineApproaching& event) {
  if (event.kind() == v1::DeadlineApproaching::KIND_OVERDUE ||
      event.kind() == v1::DeadlineApproaching::KIND_ESCALATED) {
    return "overdue";
  }
  if (event.blocked()) return "blocked";
  return event.report() ? "report_due" : "reminder";
}

namespace {

// An agency as the event names it, else its code.
std::string NameOf(const v1::DeadlineApproaching& event,
                   const std::string& code) {
  auto it = event.agency_names().find(code);
  return it == event.agency_names().end() || it->second.empty() ? code
                                                                : it->second;
}

void AddDeadlineDeliveries(const v1::EventEnvelope& envelope,
                           std::vector<Delivery>& out) {
  const v1::DeadlineApproaching& event = envelope.deadline_approaching();
  const bool overdue = event.kind() == v1::DeadlineApproaching::KIND_OVERDUE ||
                       event.kind() == v1::DeadlineApproaching::KIND_ESCALATED;
  const std::string kind = DeadlineKind(event);
  for (const std::string& agency : event.recipients()) {
    // The standing body hears of overdue and blocked work it does not lead
    // as the body the plans escalate to; as a coordinator it gets the plain
    // reminder. The standing body of the unit above hears of it once it has
    // been overdue long enough to be escalated.
    const bool escalation =
        ((overdue || event.blocked()) && agency == event.standing_agency() &&
         !Contains(event.lead_agencies(), agency)) ||
        (!event.upper_standing_agency().empty() &&
         agency == event.upper_standing_agency());
    Delivery& d = out.emplace_back();
    d.key = absl::StrCat(event.reminder_key(), "→", agency);
    v1::Notification& n = d.notification;
    n.set_agency(agency);
    n.set_kind(kind);
    *n.mutable_lead_agencies() = event.lead_agencies();
    n.set_standing_agency(event.standing_agency());
    n.set_task_id(event.task_id());
    n.set_unit(event.unit());
    n.set_section(event.section());
    n.set_number(event.number());
    n.set_task_title(event.task_title());
    *n.mutable_due_date() = event.due_date();
    n.set_days_before(event.days_before());
    n.set_days_left(std::max(0, event.days_left()));
    n.set_days_overdue(event.days_overdue());
    n.set_escalation(escalation);
    n.set_message(ReminderText(event, escalation));
    n.set_occurrence_id(event.occurrence_id());
    n.set_occurrence_label(event.occurrence_label());
    auto& fields = *n.mutable_template_fields();
    if (!event.upper_standing_agency().empty()) {
      fields["upper_unit"] = event.upper_unit();
      fields["upper_standing"] = NameOf(event, event.upper_standing_agency());
    }
    // Messages name people's agencies as the plan does; the codes stay in
    // the ids.
    if (!event.unit_name().empty()) fields["unit"] = event.unit_name();
    if (!event.agency_names().empty()) {
      fields["agency"] = NameOf(event, agency);
      std::vector<std::string> leads;
      for (const std::string& lead : event.lead_agencies()) {
        leads.push_back(NameOf(event, lead));
      }
      fields["lead"] = absl::StrJoin(leads, ", ");
      if (!event.standing_agency().empty()) {
        fields["standing"] = NameOf(event, event.standing_agency());
      }
    }
    *n.mutable_created_at() = envelope.occurred_at();
    n.set_source_event_id(envelope.event_id());
  }
}

v1::Notification TaskUpdateNotification(const v1::EventEnvelope& envelope,
                                        const std::string& agency,
                                        absl::string_view kind) {
  const v1::TaskUpdated& update = envelope.task_updated();
  v1::Notification n;
  n.set_agency(agency);
  n.set_kind(std::string(kind));
  n.set_task_id(update.task_id());
  n.set_unit(update.unit().empty() ? envelope.unit() : update.unit());
  n.set_occurrence_id(update.occurrence_id());
  if (!update.occurrence_id().empty()) {
    n.set_occurrence_label(OccurrenceLabel(update.occurrence_id()));
  }
  *n.mutable_lead_agencies() = update.lead_agencies();
  n.set_standing_agency(update.standing_agency());
  (*n.mutable_template_fields())["reporter"] = Reporter(update);
  if (!update.difficulty().empty()) {
    (*n.mutable_template_fields())["difficulty"] =
        Shorten(update.difficulty(), kFreeTextBytes);
  }
  *n.mutable_created_at() = envelope.occurred_at();
  n.set_source_event_id(envelope.event_id());
  return n;
}

void AddDifficultyDeliveries(const v1::EventEnvelope& envelope,
                             std::vector<Delivery>& out) {
  const v1::TaskUpdated& update = envelope.task_updated();
  // One report raises a difficulty once; a report without an id (from an
  // older producer) is still one accepted report per task version.
  const std::string report =
      update.report_id().empty()
          ? absl::StrCat(update.task_id(), "#v", update.version())
          : update.report_id();
  // A report may resolve the open difficulty and raise a new one at once:
  // the resolution comes first, as it happened first.
  if (update.difficulty_resolved()) {
    std::vector<std::string> to;
    if (update.standing_agency().empty()) {
      to = Recipients(update.lead_agencies(), {});
    } else {
      to.push_back(update.standing_agency());
    }
    for (const std::string& agency : to) {
      Delivery& d = out.emplace_back();
      d.key = absl::StrCat("difficulty-resolved:", report, "→", agency);
      d.notification =
          TaskUpdateNotification(envelope, agency, "difficulty_resolved");
      d.notification.set_message(DifficultyResolvedText(update));
    }
  }
  if (!update.difficulty().empty()) {
    for (const std::string& agency :
         Recipients(update.lead_agencies(), {&update.standing_agency()})) {
      const bool escalation = agency == update.standing_agency() &&
                              !Contains(update.lead_agencies(), agency);
      Delivery& d = out.emplace_back();
      d.key = absl::StrCat("difficulty:", report, "→", agency);
      d.notification = TaskUpdateNotification(envelope, agency, "difficulty");
      d.notification.set_escalation(escalation);
      d.notification.set_message(DifficultyText(update, escalation));
    }
  }
}

void AddAtRiskDeliveries(const v1::EventEnvelope& envelope,
                         std::vector<Delivery>& out) {
  const v1::TargetAtRisk& warning = envelope.target_at_risk();
  const std::vector<std::string> to =
      warning.recipients().empty()
          ? Recipients(warning.lead_agencies(), {&warning.standing_agency()})
          : Recipients(warning.recipients(), {});
  for (const std::string& agency : to) {
    const bool escalation = agency == warning.standing_agency() &&
                            !Contains(warning.lead_agencies(), agency);
    Delivery& d = out.emplace_back();
    d.key = absl::StrCat("at_risk:", warning.warning_key(), "→", agency);
    v1::Notification& n = d.notification;
    n.set_agency(agency);
    n.set_kind("at_risk");
    n.set_task_id(warning.task_id());
    n.set_unit(warning.unit().empty() ? envelope.unit() : warning.unit());
    n.set_task_title(warning.task_title());
    *n.mutable_due_date() = warning.due();
    n.set_escalation(escalation);
    n.set_message(AtRiskText(warning, escalation));
    *n.mutable_lead_agencies() = warning.lead_agencies();
    n.set_standing_agency(warning.standing_agency());
    auto& fields = *n.mutable_template_fields();
    fields["indicator"] = warning.indicator().empty()
                              ? warning.indicator_code()
                              : Shorten(warning.indicator(), kTitleBytes);
    fields["percent"] = FormatPercentVi(warning.current_percent());
    fields["projected"] = FormatPercentVi(warning.projected_percent());
    fields["target"] = FormatPercentVi(warning.target_percent());
    fields["gap"] = FormatPercentVi(AtRiskGap(warning));
    fields["as_of"] = DayVi(warning.as_of());
    *n.mutable_created_at() = envelope.occurred_at();
    n.set_source_event_id(envelope.event_id());
  }
}

}  // namespace

std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  return absl::StrCat(TruncateUtf8(text, max_bytes), "…");
}

std::string FormatPercentVi(double percent) {
  double rounded = std::round(percent * 10.0) / 10.0;
  if (rounded == 0.0) rounded = 0.0;  // no "-0"
  std::string text = absl::StrFormat("%.1f", rounded);
  if (absl::EndsWith(text, ".0")) text.resize(text.size() - 2);
  return absl::StrReplaceAll(text, {{".", ","}});
}

std::string OccurrenceLabel(absl::string_view occurrence_id_or_key) {
  absl::string_view key = occurrence_id_or_key;
  if (const size_t at = key.rfind('@'); at != absl::string_view::npos) {
    key = key.substr(at + 1);
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(key, '-');
  int year = 0;
  if (parts.empty() || parts[0].size() != 4 ||
      !absl::SimpleAtoi(parts[0], &year)) {
    return std::string(key);
  }
  if (parts.size() == 1) return absl::StrCat("năm ", year);
  if (parts.size() == 3) {
    std::optional<absl::CivilDay> day = ParseDay(key);
    if (day) return FormatDayVi(*day);
    return std::string(key);
  }
  if (parts.size() != 2 || parts[1].size() < 2) return std::string(key);
  const absl::string_view period = parts[1];
  int n = 0;
  if (period[0] == 'Q' && absl::SimpleAtoi(period.substr(1), &n) && n >= 1 &&
      n <= 4) {
    static constexpr const char* kRoman[] = {"I", "II", "III", "IV"};
    return absl::StrCat("Quý ", kRoman[n - 1], "/", year);
  }
  if (period[0] == 'H' && absl::SimpleAtoi(period.substr(1), &n) && n >= 1 &&
      n <= 2) {
    return absl::StrCat(n == 1 ? "6 tháng đầu năm " : "6 tháng cuối năm ",
                        year);
  }
  if (absl::SimpleAtoi(period, &n) && n >= 1 && n <= 12) {
    return absl::StrCat("tháng ", n, "/", year);
  }
  return std::string(key);
}

std::string ReminderText(const v1::DeadlineApproaching& event,
                         bool escalation) {
  const std::string due = DayVi(event.due_date());
  const bool overdue = event.kind() == v1::DeadlineApproaching::KIND_OVERDUE ||
                       event.kind() == v1::DeadlineApproaching::KIND_ESCALATED;
  const std::string& label = event.occurrence_label();
  const std::string task = absl::StrCat(
      event.section(), ".", event.number(), " \"",
      Shorten(event.task_title(), kTitleBytes), "\" (", event.unit(), ")");

  std::string head = overdue ? "QUÁ HẠN" : "NHẮC HẠN";
  if (event.report()) absl::StrAppend(&head, " BÁO CÁO");
  if (event.blocked()) absl::StrAppend(&head, " - CÓ VƯỚNG MẮC");

  std::string subject;
  if (event.report()) {
    subject = absl::StrCat(
        label.empty() ? "Báo cáo định kỳ" : absl::StrCat("Kỳ báo cáo ", label),
        " của nhiệm vụ ", task);
  } else {
    subject = absl::StrCat("Nhiệm vụ ", task);
    // A single milestone's label is its due date, which the text gives
    // anyway; a quarter or one of several milestones is worth naming.
    if (!label.empty() && label != due) {
      absl::StrAppend(&subject, ", đợt ", label, ",");
    }
  }

  std::string when;
  if (overdue) {
    when = absl::StrCat(" đã quá hạn ", event.days_overdue(), " ngày (hạn ",
                        event.report() ? "báo cáo " : "hoàn thành ", due, ").");
  } else {
    const std::string left =
        event.days_left() <= 0
            ? std::string("đến hạn hôm nay")
            : absl::StrCat("còn ", event.days_left(), " ngày");
    when = event.report() ? absl::StrCat(": hạn ", due, ", ", left, ".")
                          : absl::StrCat(" phải hoàn thành trước hết ngày ",
                                         due, ", ", left, ".");
  }

  std::string blocked;
  if (event.blocked()) {
    blocked = absl::StrCat(
        " Nhiệm vụ đang có vướng mắc chưa được giải quyết và đã được báo cáo ",
        StandingBody(event.standing_agency()), ".");
  }
  std::string upper;
  if (!event.upper_standing_agency().empty()) {
    upper = absl::StrCat(" Đã báo cáo Cơ quan Thường trực cấp trên (",
                         event.upper_standing_agency(), ").");
  }
  return absl::StrCat(escalation ? kEscalationPrefix : "", head, ": ", subject,
                      when, blocked, upper,
                      LeadSentence(event.lead_agencies()));
}

std::string DifficultyText(const v1::TaskUpdated& update, bool escalation) {
  return absl::StrCat(escalation ? kEscalationPrefix : "",
                      "VƯỚNG MẮC: ", TaskByIdSubject(update, update.unit()),
                      ": ", Reporter(update), " báo cáo vướng mắc \"",
                      Shorten(update.difficulty(), kFreeTextBytes),
                      "\". Nhiệm vụ được đánh dấu có vướng mắc và báo cáo ",
                      StandingBody(update.standing_agency()), " để tháo gỡ.",
                      LeadSentence(update.lead_agencies()));
}

std::string DifficultyResolvedText(const v1::TaskUpdated& update) {
  std::string text = absl::StrCat(
      "ĐÃ GỠ VƯỚNG MẮC: ", TaskByIdSubject(update, update.unit()), ": ",
      Reporter(update), " báo cáo vướng mắc đã được giải quyết.");
  if (!update.note().empty()) {
    absl::StrAppend(&text, " Ghi chú: \"",
                    Shorten(update.note(), kFreeTextBytes), "\".");
  }
  absl::StrAppend(&text, LeadSentence(update.lead_agencies()));
  return text;
}

std::string AtRiskText(const v1::TargetAtRisk& warning, bool escalation) {
  std::string task = absl::StrCat("Nhiệm vụ ", TaskRef(warning.task_id()));
  if (!warning.task_title().empty()) {
    absl::StrAppend(&task, " \"", Shorten(warning.task_title(), kTitleBytes),
                    "\"");
  }
  if (!warning.unit().empty())
    absl::StrAppend(&task, " (", warning.unit(), ")");
  const std::string& indicator = warning.indicator().empty()
                                     ? warning.indicator_code()
                                     : warning.indicator();
  std::string now = absl::StrCat(
      " hiện đạt ", FormatPercentVi(warning.current_percent()), "%");
  if (const std::string as_of = DayVi(warning.as_of()); !as_of.empty()) {
    absl::StrAppend(&now, " (số liệu đến ngày ", as_of, ")");
  }
  std::string projected = absl::StrCat(
      "dự báo đạt ", FormatPercentVi(warning.projected_percent()), "%");
  if (const std::string due = DayVi(warning.due()); !due.empty()) {
    absl::StrAppend(&projected, " vào ", due);
  }
  const double gap = AtRiskGap(warning);
  return absl::StrCat(
      escalation ? kEscalationPrefix : "", "CẢNH BÁO CHỈ TIÊU: ", task,
      ": chỉ tiêu \"", Shorten(indicator, kTitleBytes), "\"", now, ", ",
      projected, ", thấp hơn mục tiêu ",
      FormatPercentVi(warning.target_percent()), "% (thiếu ",
      FormatPercentVi(gap), " điểm %).", LeadSentence(warning.lead_agencies()));
}

std::vector<Delivery> ComposeDeliveries(const v1::EventEnvelope& envelope) {
  std::vector<Delivery> out;
  if (envelope.has_deadline_approaching()) {
    AddDeadlineDeliveries(envelope, out);
  } else if (envelope.has_task_updated()) {
    AddDifficultyDeliveries(envelope, out);
  } else if (envelope.has_target_at_risk()) {
    AddAtRiskDeliveries(envelope, out);
  }
  return out;
}

std::vector<v1::Notification> ComposeNotifications(
    const v1::EventEnvelope& envelope) {
  std::vector<v1::Notification> out;
  for (Delivery& d : ComposeDeliveries(envelope)) {
    out.push_back(std::move(d.notification));
  }
  return out;
}

}  // namespace tiendo::notification
