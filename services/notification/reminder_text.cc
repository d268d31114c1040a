#include "services/notification/reminder_text.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/notification/notification_message.h"

namespace tiendo::notification {
namespace {

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// Points of percentage the projection misses the target by; older
// producers left `gap` unset.
double AtRiskGap(const v1::TargetAtRisk& warning) {
  return warning.gap() > 0
             ? warning.gap()
             : warning.target_percent() - warning.projected_percent();
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

// An agency as the event names it, else its code.
std::string NameOf(const v1::DeadlineApproaching& event,
                   const std::string& code) {
  auto it = event.agency_names().find(code);
  return it == event.agency_names().end() || it->second.empty() ? code
                                                                : it->second;
}

// Sets the inbox text: the message part of the notification's template,
// with `extra`, the fields only the event knows.
void WriteMessage(v1::Notification& n, const TemplateFields& extra,
                  const TemplateSet& templates) {
  TemplateFields fields = NotificationFields(n);
  for (const auto& [name, value] : extra) fields[name] = value;
  absl::StatusOr<RenderedMessage> rendered =
      templates.Render(TemplateKind(n), TemplateSet::kDefaultLanguage, fields);
  n.set_message(rendered.ok() ? rendered->message : "");
}

// Names as the plan writes them, for the e-mail; the codes stay in the ids.
void AddDeadlineNames(const v1::DeadlineApproaching& event,
                      const std::string& agency, v1::Notification& n) {
  auto& fields = *n.mutable_template_fields();
  if (!event.upper_standing_agency().empty()) {
    fields["upper_unit"] = event.upper_unit();
    fields["upper_standing"] = NameOf(event, event.upper_standing_agency());
  }
  if (!event.unit_name().empty()) fields["unit"] = event.unit_name();
  if (event.agency_names().empty()) return;
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

v1::Notification DeadlineNotification(const v1::EventEnvelope& envelope,
                                      const std::string& agency,
                                      bool escalation,
                                      const TemplateSet& templates) {
  const v1::DeadlineApproaching& event = envelope.deadline_approaching();
  v1::Notification n;
  n.set_agency(agency);
  n.set_kind(DeadlineKind(event));
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
  n.set_occurrence_id(event.occurrence_id());
  n.set_occurrence_label(event.occurrence_label());
  AddDeadlineNames(event, agency, n);
  *n.mutable_created_at() = envelope.occurred_at();
  n.set_source_event_id(envelope.event_id());
  WriteMessage(n,
               {{"report", Flag(event.report())},
                {"blocked", Flag(event.blocked())},
                {"upper_standing_code", event.upper_standing_agency()}},
               templates);
  return n;
}

void AddDeadlineDeliveries(const v1::EventEnvelope& envelope,
                           const TemplateSet& templates,
                           std::vector<Delivery>& out) {
  const v1::DeadlineApproaching& event = envelope.deadline_approaching();
  const bool overdue = event.kind() == v1::DeadlineApproaching::KIND_OVERDUE ||
                       event.kind() == v1::DeadlineApproaching::KIND_ESCALATED;
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
    d.notification =
        DeadlineNotification(envelope, agency, escalation, templates);
  }
}

v1::Notification TaskUpdateNotification(const v1::EventEnvelope& envelope,
                                        const std::string& agency,
                                        v1::NotificationKind kind,
                                        bool escalation,
                                        const TemplateSet& templates) {
  const v1::TaskUpdated& update = envelope.task_updated();
  v1::Notification n;
  n.set_agency(agency);
  n.set_kind(kind);
  n.set_task_id(update.task_id());
  n.set_unit(update.unit().empty() ? envelope.unit() : update.unit());
  n.set_occurrence_id(update.occurrence_id());
  if (!update.occurrence_id().empty()) {
    n.set_occurrence_label(OccurrenceLabel(update.occurrence_id()));
  }
  *n.mutable_lead_agencies() = update.lead_agencies();
  n.set_standing_agency(update.standing_agency());
  n.set_escalation(escalation);
  auto& fields = *n.mutable_template_fields();
  fields["reporter"] = update.reporting_agency();
  if (!update.difficulty().empty()) {
    fields["difficulty"] = Shorten(update.difficulty(), kFreeTextBytes);
  }
  if (!update.note().empty()) {
    fields["note"] = Shorten(update.note(), kFreeTextBytes);
  }
  *n.mutable_created_at() = envelope.occurred_at();
  n.set_source_event_id(envelope.event_id());
  WriteMessage(n, {}, templates);
  return n;
}

// One report raises a difficulty once; a report without an id (from an
// older producer) is still one accepted report per task version.
std::string ReportKey(const v1::TaskUpdated& update) {
  return update.report_id().empty()
             ? absl::StrCat(update.task_id(), "#v", update.version())
             : update.report_id();
}

void AddDifficultyDeliveries(const v1::EventEnvelope& envelope,
                             const TemplateSet& templates,
                             std::vector<Delivery>& out) {
  const v1::TaskUpdated& update = envelope.task_updated();
  const std::string report = ReportKey(update);
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
      d.notification = TaskUpdateNotification(
          envelope, agency, v1::NOTIFICATION_KIND_DIFFICULTY_RESOLVED, false,
          templates);
    }
  }
  if (update.difficulty().empty()) return;
  for (const std::string& agency :
       Recipients(update.lead_agencies(), {&update.standing_agency()})) {
    const bool escalation = agency == update.standing_agency() &&
                            !Contains(update.lead_agencies(), agency);
    Delivery& d = out.emplace_back();
    d.key = absl::StrCat("difficulty:", report, "→", agency);
    d.notification = TaskUpdateNotification(envelope, agency,
                                            v1::NOTIFICATION_KIND_DIFFICULTY,
                                            escalation, templates);
  }
}

v1::Notification AtRiskNotification(const v1::EventEnvelope& envelope,
                                    const std::string& agency, bool escalation,
                                    const TemplateSet& templates) {
  const v1::TargetAtRisk& warning = envelope.target_at_risk();
  v1::Notification n;
  n.set_agency(agency);
  n.set_kind(v1::NOTIFICATION_KIND_AT_RISK);
  n.set_task_id(warning.task_id());
  n.set_unit(warning.unit().empty() ? envelope.unit() : warning.unit());
  n.set_task_title(warning.task_title());
  *n.mutable_due_date() = warning.due();
  n.set_escalation(escalation);
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
  fields["as_of"] = FormatDateVi(warning.as_of());
  *n.mutable_created_at() = envelope.occurred_at();
  n.set_source_event_id(envelope.event_id());
  WriteMessage(n, {}, templates);
  return n;
}

void AddAtRiskDeliveries(const v1::EventEnvelope& envelope,
                         const TemplateSet& templates,
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
    d.notification =
        AtRiskNotification(envelope, agency, escalation, templates);
  }
}

}  // namespace

v1::NotificationKind DeadlineKind(const v1::DeadlineApproaching& event) {
  if (event.kind() == v1::DeadlineApproaching::KIND_OVERDUE ||
      event.kind() == v1::DeadlineApproaching::KIND_ESCALATED) {
    return v1::NOTIFICATION_KIND_OVERDUE;
  }
  if (event.blocked()) return v1::NOTIFICATION_KIND_BLOCKED;
  return event.report() ? v1::NOTIFICATION_KIND_REPORT_DUE
                        : v1::NOTIFICATION_KIND_REMINDER;
}

std::string ReminderText(const v1::DeadlineApproaching& event,
                         bool escalation) {
  v1::EventEnvelope envelope;
  *envelope.mutable_deadline_approaching() = event;
  return DeadlineNotification(envelope, "", escalation, TemplateSet::Default())
      .message();
}

std::string DifficultyText(const v1::TaskUpdated& update, bool escalation) {
  v1::EventEnvelope envelope;
  *envelope.mutable_task_updated() = update;
  return TaskUpdateNotification(envelope, "", v1::NOTIFICATION_KIND_DIFFICULTY,
                                escalation, TemplateSet::Default())
      .message();
}

std::string DifficultyResolvedText(const v1::TaskUpdated& update) {
  v1::EventEnvelope envelope;
  *envelope.mutable_task_updated() = update;
  return TaskUpdateNotification(envelope, "",
                                v1::NOTIFICATION_KIND_DIFFICULTY_RESOLVED,
                                false, TemplateSet::Default())
      .message();
}

std::string AtRiskText(const v1::TargetAtRisk& warning, bool escalation) {
  v1::EventEnvelope envelope;
  *envelope.mutable_target_at_risk() = warning;
  return AtRiskNotification(envelope, "", escalation, TemplateSet::Default())
      .message();
}

std::vector<Delivery> ComposeDeliveries(const v1::EventEnvelope& envelope,
                                        const TemplateSet& templates) {
  std::vector<Delivery> out;
  if (envelope.has_deadline_approaching()) {
    AddDeadlineDeliveries(envelope, templates, out);
  } else if (envelope.has_task_updated()) {
    AddDifficultyDeliveries(envelope, templates, out);
  } else if (envelope.has_target_at_risk()) {
    AddAtRiskDeliveries(envelope, templates, out);
  }
  return out;
}

std::vector<Delivery> ComposeDeliveries(const v1::EventEnvelope& envelope) {
  return ComposeDeliveries(envelope, TemplateSet::Default());
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
