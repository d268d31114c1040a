#ifndef TIENDO_SERVICES_COMMON_ADDRESS_POLICY_H_
#define TIENDO_SERVICES_COMMON_ADDRESS_POLICY_H_

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace tiendo {

// Which outgoing targets the services may reach on behalf of a user (webhook
// URLs): never the service's own host, its private network or the cloud's
// metadata endpoint, whatever a URL or its DNS answer says (request forgery).

// An IPv4 or IPv6 address; IPv4 uses the first 4 bytes.
struct IpAddress {
  int family = AF_INET;  // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes = {};

  // 127.0.0.1, ::1: the form inet_ntop writes.
  std::string ToString() const;
  bool operator==(const IpAddress&) const = default;
};

enum class AddressKind {
  kPublic,
  kLoopback,         // 127/8, ::1
  kPrivate,          // 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10
  kLinkLocal,        // 169.254/16, fe80::/10
  kUnspecified,      // 0.0.0.0/8, ::
  kCarrierGradeNat,  // 100.64/10
  kMetadata,         // 169.254.169.254, the clouds' instance metadata
  kMulticast,        // 224/4, ff00::/8
  kReserved,         // 240/4 (with 255.255.255.255)
};

// What kind of address `ip` is. An IPv6 address carrying an IPv4 one
// (::ffff:a.b.c.d mapped, ::a.b.c.d compatible, 64:ff9b::a.b.c.d NAT64) is
// judged by the IPv4 address, which is where it leads.
AddressKind ClassifyAddress(const IpAddress& ip);
// "a loopback address", for error messages.
std::string DescribeKind(AddressKind kind);

// The address a URL's host names without DNS, as curl reads it: IPv4 also
// in the old inet_aton spellings (2130706433, 0x7f.1, 017700000001), IPv6
// with or without brackets. nullopt for a host name.
std::optional<IpAddress> ParseIpLiteral(absl::string_view host);
std::optional<IpAddress> FromSockaddr(const sockaddr* address);

// Host names that lead to a cloud's instance metadata whatever they resolve
// to here (metadata.google.internal, metadata).
bool IsMetadataHostName(absl::string_view host);

// The hosts allowed despite the rules (local receivers in tests and demos),
// and the check every target goes through.
class AddressPolicy {
 public:
  // `allowed_hosts`: names or addresses, compared in canonical form
  // (lower case, no trailing dot; addresses as inet_ntop writes them).
  explicit AddressPolicy(const std::vector<std::string>& allowed_hosts = {});
  // "127.0.0.1, localhost" -> the two hosts.
  static AddressPolicy FromList(absl::string_view comma_separated);

  bool IsAllowed(absl::string_view host) const;
  // Refuses the names of the clouds' metadata services, unless allowed.
  absl::Status CheckHostName(absl::string_view host) const;
  // OK when `ip` may be reached for a URL naming `host`: the host or the
  // address is allowed, or the address is public. Otherwise says why:
  // "webhook target 127.0.0.1 is a loopback address".
  absl::Status CheckAddress(absl::string_view host, const IpAddress& ip) const;

 private:
  absl::flat_hash_set<std::string> allowed_;
};

// `host` as the allow list compares it.
std::string CanonicalHost(absl::string_view host);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_ADDRESS_POLICY_H_
