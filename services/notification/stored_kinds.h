#ifndef TIENDO_SERVICES_NOTIFICATION_STORED_KINDS_H_
#define TIENDO_SERVICES_NOTIFICATION_STORED_KINDS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

// Records stored when notification kinds were text ("reminder"):
// Notification.kind (field 3) and Subscription.kinds (field 4) were
// strings.

// A notification's kind word (field 3 parses as an unknown field now) and
// those of its digest items turned into enum values; whether any was.
bool UpgradeKindWords(v1::Notification& notification);

// A subscription stored with its kinds as words. A repeated enum would
// parse the words as packed numbers: they are read off the wire instead.
absl::StatusOr<v1::Subscription> SubscriptionOfBefore(
    const std::string& record);

// The schema migration: every stored inbox entry, digest item, digest
// delivery and subscription, upgraded in place.
absl::Status UpgradeStoredKinds(Database& db);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_STORED_KINDS_H_
