#ifndef TIENDO_TOOLS_TIENDOCTL_NOTIFICATION_COMMANDS_H_
#define TIENDO_TOOLS_TIENDOCTL_NOTIFICATION_COMMANDS_H_

#include <string>

#include "tiendo/v1/notification.pb.h"

namespace tiendo::cli {

// Builds a subscription from --agency, --id, --channel, --address, --secret,
// --kinds, --quiet=22:00-06:30, --digest_at and --language. Returns "" or
// what is wrong with a flag.
std::string SubscriptionFromFlags(v1::Subscription& subscription);

// subscribe --agency=CODE --id=ID --channel=webhook|email|inbox ...
int Subscribe();
// subscriptions --agency=CODE
int Subscriptions();
// unsubscribe --agency=CODE --id=ID
int Unsubscribe();
// deliveries --agency=CODE [--state=pending|sent|failed|dead]
int Deliveries();
// notifications read --agency=CODE --ids=1,2
int NotificationsRead();

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_NOTIFICATION_COMMANDS_H_
