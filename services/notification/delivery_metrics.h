#ifndef TIENDO_SERVICES_NOTIFICATION_DELIVERY_METRICS_H_
#define TIENDO_SERVICES_NOTIFICATION_DELIVERY_METRICS_H_

#include <functional>

#include "services/common/metrics.h"
#include "tiendo/v1/notification.pb.h"

namespace tiendo::notification {

inline constexpr char kDeliveriesMetric[] =
    "tiendo_notification_deliveries_total";

// For DeliveryWorker::Options::recorded: counts each recorded attempt in
// tiendo_notification_deliveries_total{channel, state}, channel webhook or
// email, state sent, retrying (failed, to be tried again) or dead.
std::function<void(const v1::Delivery&)> DeliveryCounter(Metrics& metrics);

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_DELIVERY_METRICS_H_
