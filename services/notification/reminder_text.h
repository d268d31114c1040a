#ifndef TIENDO_SERVICES_NOTIFICATION_REMINDER_TEXT_H_
#define TIENDO_SERVICES_NOTIFICATION_REMINDER_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/notification/message_fields.h"
#include "services/notification/templates.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// The inbox texts (the "message" part of the kind's template, in Vietnamese)
// of single events, for one recipient. The standing body receiving an
// overdue or blocked task it does not lead reads it as an escalation.

// A deadline notice: a periodic report names its period ("NHẮC HẠN BÁO
// CÁO: Kỳ báo cáo tháng 5/2026 ..."); work names its occurrence when the
// label says more than the due date already does.
std::string ReminderText(const v1::DeadlineApproaching& event, bool escalation);
// "VƯỚNG MẮC: ..." for a report that raised a difficulty.
std::string DifficultyText(const v1::TaskUpdated& update, bool escalation);
// "ĐÃ GỠ VƯỚNG MẮC: ..." for a report that resolved one.
std::string DifficultyResolvedText(const v1::TaskUpdated& update);
// "CẢNH BÁO CHỈ TIÊU: ... dự báo đạt X% vào dd/mm/yyyy, thấp hơn mục tiêu Y%
// (thiếu Z điểm %)".
std::string AtRiskText(const v1::TargetAtRisk& warning, bool escalation);

// The notification kind of a deadline event: overdue (also when
// escalated), blocked (an open difficulty holds the work up), report_due
// (a periodic report) or reminder (work).
v1::NotificationKind DeadlineKind(const v1::DeadlineApproaching& event);

// One inbox entry to store, and the key that makes storing it twice a
// no-op: the same reminder point, report or warning reaching the same agency
// again (a redelivered event) has the same key.
struct Delivery {
  std::string key;
  v1::Notification notification;
};

// Every inbox entry an event asks for (without ids):
// - DeadlineApproaching: one per recipient, kind DeadlineKind(); keyed by
//   reminder_key and agency.
// - TaskUpdated with a difficulty: kind "difficulty" for the standing body
//   and the lead agencies; with difficulty_resolved: kind
//   "difficulty_resolved" for the standing body; keyed by report and agency.
// - TargetAtRisk: kind "at_risk" per recipient (lead agencies and the
//   standing body when the event lists none); keyed by warning and agency.
// Anything else asks for nothing. The message is the "message" part of the
// kind's template (TemplateSet::Default()) in Vietnamese. Whether a reminder is
// still wanted (the occurrence may be done) is for the caller to decide.
std::vector<Delivery> ComposeDeliveries(const v1::EventEnvelope& envelope);

// The same, with the inbox texts written from `templates`.
std::vector<Delivery> ComposeDeliveries(const v1::EventEnvelope& envelope,
                                        const TemplateSet& templates);

// The notifications of ComposeDeliveries, without their keys.
std::vector<v1::Notification> ComposeNotifications(
    const v1::EventEnvelope& envelope);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_REMINDER_TEXT_H_
