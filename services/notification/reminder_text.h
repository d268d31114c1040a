#ifndef TIENDO_SERVICES_NOTIFICATION_REMINDER_TEXT_H_
#define TIENDO_SERVICES_NOTIFICATION_REMINDER_TEXT_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// The Vietnamese text of a reminder for one recipient. The standing body
// receiving an overdue task it does not lead reads it as an escalation.
std::string ReminderText(const v1::DeadlineApproaching& event, bool escalation);

// One inbox entry per recipient of a deadline event (without ids).
std::vector<v1::Notification> ComposeNotifications(
    const v1::EventEnvelope& envelope);

// Keeps at most max_bytes of UTF-8 text, cut on a character boundary, and
// appends "…" (3 more bytes) when it cut.
std::string Shorten(const std::string& text, size_t max_bytes);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_REMINDER_TEXT_H_
