#ifndef TIENDO_SERVICES_COMMON_HOST_RESOLVER_H_
#define TIENDO_SERVICES_COMMON_HOST_RESOLVER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/address_policy.h"

namespace tiendo {

// Host name to addresses, behind an interface so checks of URLs can be
// tested without DNS.
class HostResolver {
 public:
  virtual ~HostResolver() = default;
  // Every address `host` resolves to; NotFound when it resolves to none,
  // Unavailable when DNS could not answer now.
  virtual absl::StatusOr<std::vector<IpAddress>> Resolve(
      const std::string& host) = 0;
};

// The system's resolver (getaddrinfo).
class SystemHostResolver final : public HostResolver {
 public:
  absl::StatusOr<std::vector<IpAddress>> Resolve(
      const std::string& host) override;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_HOST_RESOLVER_H_
