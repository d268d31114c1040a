#ifndef TIENDO_SERVICES_NOTIFICATION_WEBHOOK_TARGET_H_
#define TIENDO_SERVICES_NOTIFICATION_WEBHOOK_TARGET_H_

#include <string>

#include "absl/status/status.h"
#include "services/common/address_policy.h"
#include "services/common/host_resolver.h"

namespace tiendo::notification {

// Whether a subscription may send to a webhook URL, judged when it is set
// so the subscriber learns at once; the HTTP client judges every address
// again when it connects, as DNS may answer differently by then.
// Refused, unless the host is allowed by the policy (--webhook_allow_hosts):
// plain http, cloud metadata host names, and a host that is or resolves to
// a loopback, private, link-local, unspecified, carrier-grade NAT, metadata,
// multicast or reserved address.
class WebhookTargetCheck {
 public:
  WebhookTargetCheck(const AddressPolicy& policy, HostResolver& resolver)
      : policy_(policy), resolver_(resolver) {}

  // InvalidArgument naming the field ("address: ..."), Unavailable when DNS
  // could not answer now.
  absl::Status Check(const std::string& url) const;

 private:
  absl::Status CheckHost(const std::string& host) const;

  const AddressPolicy& policy_;
  HostResolver& resolver_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_WEBHOOK_TARGET_H_
