#ifndef TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_SCHEMA_H_
#define TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_SCHEMA_H_

#include "services/common/schema_migrations.h"

namespace tiendo::notification {

// The notification service's database (inbox, subscriptions, deliveries,
// digests, dead letters): its numbered migrations, from the schema as
// first shipped.
Schema NotificationSchema();

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_SCHEMA_H_
