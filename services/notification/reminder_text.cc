#include "services/notification/reminder_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/proto_convert.h"

namespace tiendo::notification {

std::string Shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  // Step back over UTF-8 continuation bytes (10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return absl::StrCat(text.substr(0, cut), "…");
}

std::string ReminderText(const v1::DeadlineApproaching& event,
                         bool escalation) {
  const absl::CivilDay due(event.due_date().year(), event.due_date().month(),
                           event.due_date().day());
  const std::string task =
      absl::StrCat("Nhiệm vụ ", event.section(), ".", event.number(), " \"",
                   Shorten(event.task_title(), 160), "\"");
  const std::string lead = absl::StrCat(
      "Đơn vị chủ trì: ", absl::StrJoin(event.lead_agencies(), ", "), ".");
  if (event.kind() == v1::DeadlineApproaching::KIND_OVERDUE) {
    return absl::StrCat(escalation ? "[Báo cáo Cơ quan Thường trực] " : "",
                        "QUÁ HẠN: ", task, " (", event.unit(), ") đã quá hạn ",
                        event.days_overdue(), " ngày (hạn hoàn thành ",
                        FormatDayVi(due), "). ", lead);
  }
  const std::string left =
      event.days_left() <= 0 ? std::string("đến hạn hôm nay")
                             : absl::StrCat("còn ", event.days_left(), " ngày");
  return absl::StrCat("NHẮC HẠN: ", task, " (", event.unit(),
                      ") phải hoàn thành trước hết ngày ", FormatDayVi(due),
                      ", ", left, ". ", lead);
}

std::vector<v1::Notification> ComposeNotifications(
    const v1::EventEnvelope& envelope) {
  std::vector<v1::Notification> out;
  if (!envelope.has_deadline_approaching()) return out;
  const v1::DeadlineApproaching& event = envelope.deadline_approaching();
  const bool overdue = event.kind() == v1::DeadlineApproaching::KIND_OVERDUE;
  for (const std::string& agency : event.recipients()) {
    const auto& leads = event.lead_agencies();
    const bool escalation =
        overdue && agency == event.standing_agency() &&
        std::find(leads.begin(), leads.end(), agency) == leads.end();
    v1::Notification& n = out.emplace_back();
    n.set_agency(agency);
    n.set_kind(overdue ? "overdue" : "reminder");
    n.set_task_id(event.task_id());
    n.set_unit(event.unit());
    n.set_section(event.section());
    n.set_number(event.number());
    n.set_task_title(event.task_title());
    *n.mutable_due_date() = event.due_date();
    n.set_days_before(event.days_before());
    n.set_days_overdue(event.days_overdue());
    n.set_escalation(escalation);
    n.set_message(ReminderText(event, escalation));
    *n.mutable_created_at() = envelope.occurred_at();
    n.set_source_event_id(envelope.event_id());
  }
  return out;
}

}  // namespace tiendo::notification
