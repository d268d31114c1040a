#include "services/notification/delivery_metrics.h"

#include <string>

namespace tiendo::notification {
namespace {

std::string ChannelLabel(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_WEBHOOK:
      return "webhook";
    case v1::CHANNEL_EMAIL:
      return "email";
    case v1::CHANNEL_INBOX:
      return "inbox";
    default:
      return "unknown";
  }
}

std::string StateLabel(v1::Delivery::State state) {
  switch (state) {
    case v1::Delivery::STATE_SENT:
      return "sent";
    case v1::Delivery::STATE_FAILED:
      return "retrying";
    case v1::Delivery::STATE_DEAD:
      return "dead";
    default:
      return "pending";
  }
}

}  // namespace

std::function<void(const v1::Delivery&)> DeliveryCounter(Metrics& metrics) {
  return [&metrics](const v1::Delivery& delivery) {
    metrics
        .Counter(kDeliveriesMetric,
                 "Delivery attempts recorded, by channel and the state they "
                 "left the delivery in (sent, retrying, dead).",
                 {{"channel", ChannelLabel(delivery.channel())},
                  {"state", StateLabel(delivery.state())}})
        .Increment();
  };
}

}  // namespace tiendo::notification
