#ifndef TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_MESSAGE_H_
#define TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_MESSAGE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "services/notification/templates.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// How a notification becomes a message for a person (e-mail) and what a
// daily digest holds. No I/O.

// The template fields of a notification.
TemplateFields NotificationFields(const v1::Notification& notification);

// The template a notification is written with: its kind, except that an
// overdue notice escalated to the unit above uses "escalated".
std::string TemplateKind(const v1::Notification& notification);

// The message in `language` (Vietnamese when empty or unknown): the
// notification's template, the digest template listing its items for a
// digest, or, for a kind no template covers, the inbox text as it is.
RenderedMessage RenderNotification(const v1::Notification& notification,
                                   absl::string_view language,
                                   const TemplateSet& templates);

// Kinds a digest subscription collects instead of sending one by one: the
// deadline notifications. Alerts (difficulties, targets at risk) go at once.
bool IsDigestKind(v1::NotificationKind kind);

// The key under which queued notifications are merged in a digest: the
// occurrence, else the task.
std::string DigestItemKey(const v1::Notification& notification);

// One queued notification, with the caller's id for it.
struct QueuedItem {
  int64_t id = 0;
  v1::Notification notification;
};

// A digest of one day, from what was queued for it.
struct DigestPlan {
  // Kind "digest" for `agency` with digest_day and the items as they are on
  // that day (DigestComposer::Arrange: one per occurrence, overdue first,
  // kinds and days recomputed for the day). No items: nothing to send.
  v1::Notification digest;
  // Queued items listed today that belong in tomorrow's digest too (still
  // overdue), each as it now reads (kind "overdue"); every other queued item
  // is done with.
  std::vector<QueuedItem> keep;
};
DigestPlan PlanDigest(const std::string& agency, absl::CivilDay day,
                      const std::vector<QueuedItem>& queued);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_MESSAGE_H_
