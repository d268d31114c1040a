#include "services/common/host_resolver.h"

#include <netdb.h>

#include "absl/strings/str_cat.h"

namespace tiendo {

absl::StatusOr<std::vector<IpAddress>> SystemHostResolver::Resolve(
    const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const int code = getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (code == EAI_AGAIN) {
    return absl::UnavailableError(
        absl::StrCat("host ", host, ": ", gai_strerror(code)));
  }
  if (code != 0) {
    return absl::NotFoundError(
        absl::StrCat("host ", host, " does not resolve: ", gai_strerror(code)));
  }
  std::vector<IpAddress> addresses;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (std::optional<IpAddress> ip = FromSockaddr(a->ai_addr)) {
      addresses.push_back(*ip);
    }
  }
  freeaddrinfo(found);
  if (addresses.empty()) {
    return absl::NotFoundError(absl::StrCat("host ", host, " has no address"));
  }
  return addresses;
}

}  // namespace tiendo
