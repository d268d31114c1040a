#include "services/common/address_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tiendo {
namespace {

// Whether `ip` (host order) lies in prefix/length.
bool InV4(uint32_t ip, uint32_t prefix, int length) {
  const uint32_t mask = length == 0 ? 0 : ~uint32_t{0} << (32 - length);
  return (ip & mask) == (prefix & mask);
}

constexpr uint32_t V4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return a << 24 | b << 16 | c << 8 | d;
}

AddressKind ClassifyV4(uint32_t ip) {
  if (InV4(ip, V4(0, 0, 0, 0), 8)) return AddressKind::kUnspecified;
  if (InV4(ip, V4(127, 0, 0, 0), 8)) return AddressKind::kLoopback;
  if (InV4(ip, V4(10, 0, 0, 0), 8) || InV4(ip, V4(172, 16, 0, 0), 12) ||
      InV4(ip, V4(192, 168, 0, 0), 16)) {
    return AddressKind::kPrivate;
  }
  if (ip == V4(169, 254, 169, 254)) return AddressKind::kMetadata;
  if (InV4(ip, V4(169, 254, 0, 0), 16)) return AddressKind::kLinkLocal;
  if (InV4(ip, V4(100, 64, 0, 0), 10)) return AddressKind::kCarrierGradeNat;
  if (InV4(ip, V4(224, 0, 0, 0), 4)) return AddressKind::kMulticast;
  // 240/4 is unassigned and holds the broadcast address; 198.18/15 is for
  // benchmarks and 192.0.0/24 for protocols, neither a public receiver.
  if (InV4(ip, V4(240, 0, 0, 0), 4) || InV4(ip, V4(198, 18, 0, 0), 15) ||
      InV4(ip, V4(192, 0, 0, 0), 24)) {
    return AddressKind::kReserved;
  }
  return AddressKind::kPublic;
}

uint32_t V4At(const std::array<uint8_t, 16>& b, int at) {
  return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 |
         uint32_t{b[at + 2]} << 8 | uint32_t{b[at + 3]};
}

bool StartsWith(const std::array<uint8_t, 16>& b,
                std::initializer_list<uint8_t> prefix) {
  return std::equal(prefix.begin(), prefix.end(), b.begin());
}

// The IPv4 address an IPv6 one carries, when it carries one.
std::optional<uint32_t> EmbeddedV4(const std::array<uint8_t, 16>& b) {
  if (StartsWith(b, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}) ||     // mapped
      StartsWith(b, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) ||           // compat
      StartsWith(b, {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {  // NAT64
    return V4At(b, 12);
  }
  if (StartsWith(b, {0x20, 0x02})) return V4At(b, 2);  // 6to4
  return std::nullopt;
}

AddressKind ClassifyV6(const std::array<uint8_t, 16>& b) {
  static constexpr std::array<uint8_t, 16> kZero = {};
  std::array<uint8_t, 16> loopback = {};
  loopback[15] = 1;
  if (b == kZero) return AddressKind::kUnspecified;
  if (b == loopback) return AddressKind::kLoopback;
  if (std::optional<uint32_t> v4 = EmbeddedV4(b)) return ClassifyV4(*v4);
  if ((b[0] & 0xfe) == 0xfc) return AddressKind::kPrivate;  // fc00::/7
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) {
    return AddressKind::kPrivate;  // fec0::/10, the old site-local
  }
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return AddressKind::kLinkLocal;
  if (b[0] == 0xff) return AddressKind::kMulticast;
  return AddressKind::kPublic;
}

}  // namespace

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {0};
  inet_ntop(family, bytes.data(), text, sizeof(text));
  return text;
}

AddressKind ClassifyAddress(const IpAddress& ip) {
  return ip.family == AF_INET ? ClassifyV4(V4At(ip.bytes, 0))
                              : ClassifyV6(ip.bytes);
}

std::string DescribeKind(AddressKind kind) {
  switch (kind) {
    case AddressKind::kPublic:
      return "a public address";
    case AddressKind::kLoopback:
      return "a loopback address";
    case AddressKind::kPrivate:
      return "a private address";
    case AddressKind::kLinkLocal:
      return "a link-local address";
    case AddressKind::kUnspecified:
      return "an unspecified address";
    case AddressKind::kCarrierGradeNat:
      return "a carrier-grade NAT address";
    case AddressKind::kMetadata:
      return "a cloud metadata address";
    case AddressKind::kMulticast:
      return "a multicast address";
    case AddressKind::kReserved:
      return "a reserved address";
  }
  return "a forbidden address";
}

std::optional<IpAddress> ParseIpLiteral(absl::string_view host) {
  std::string text(host);
  if (absl::StartsWith(text, "[") && absl::EndsWith(text, "]")) {
    text = text.substr(1, text.size() - 2);
  }
  IpAddress ip;
  if (text.find(':') != std::string::npos) {
    text = text.substr(0, text.find('%'));  // fe80::1%eth0: zone left out
    ip.family = AF_INET6;
    if (inet_pton(AF_INET6, text.c_str(), ip.bytes.data()) != 1) {
      return std::nullopt;
    }
    return ip;
  }
  // inet_aton reads what curl and getaddrinfo read: 1 to 4 parts, each
  // decimal, octal (leading 0) or hex (0x).
  in_addr v4{};
  if (text.empty() || absl::ascii_isspace(text.back()) ||
      inet_aton(text.c_str(), &v4) == 0) {
    return std::nullopt;
  }
  std::memcpy(ip.bytes.data(), &v4.s_addr, 4);
  return ip;
}

std::optional<IpAddress> FromSockaddr(const sockaddr* address) {
  IpAddress ip;
  if (address->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(address);
    std::memcpy(ip.bytes.data(), &v4->sin_addr, 4);
    return ip;
  }
  if (address->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(address);
    ip.family = AF_INET6;
    std::memcpy(ip.bytes.data(), &v6->sin6_addr, 16);
    return ip;
  }
  return std::nullopt;
}

std::string CanonicalHost(absl::string_view host) {
  host = absl::StripAsciiWhitespace(host);
  if (std::optional<IpAddress> ip = ParseIpLiteral(host)) return ip->ToString();
  absl::ConsumeSuffix(&host, ".");
  return absl::AsciiStrToLower(host);
}

bool IsMetadataHostName(absl::string_view host) {
  const std::string name = CanonicalHost(host);
  return name == "metadata" || name == "metadata.google.internal" ||
         name == "metadata.goog" || name == "instance-data" ||
         name == "instance-data.ec2.internal";
}

AddressPolicy::AddressPolicy(const std::vector<std::string>& allowed_hosts) {
  for (const std::string& host : allowed_hosts) {
    if (!absl::StripAsciiWhitespace(host).empty()) {
      allowed_.insert(CanonicalHost(host));
    }
  }
}

AddressPolicy AddressPolicy::FromList(absl::string_view comma_separated) {
  return AddressPolicy(absl::StrSplit(comma_separated, ','));
}

bool AddressPolicy::IsAllowed(absl::string_view host) const {
  return allowed_.contains(CanonicalHost(host));
}

absl::Status AddressPolicy::CheckHostName(absl::string_view host) const {
  if (!IsMetadataHostName(host) || IsAllowed(host)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "webhook target ", CanonicalHost(host), " is a cloud metadata host"));
}

absl::Status AddressPolicy::CheckAddress(absl::string_view host,
                                         const IpAddress& ip) const {
  const std::string address = ip.ToString();
  if (IsAllowed(host) || IsAllowed(address)) return absl::OkStatus();
  if (absl::Status s = CheckHostName(host); !s.ok()) return s;
  const AddressKind kind = ClassifyAddress(ip);
  if (kind == AddressKind::kPublic) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("webhook target ", address, " is ", DescribeKind(kind)));
}

}  // namespace tiendo
