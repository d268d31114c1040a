// Which addresses outgoing requests on a user's behalf may reach: every
// forbidden range, IPv4 carried in IPv6, and the odd IPv4 spellings curl
// accepts.
#include "services/common/address_policy.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

// The address `text` spells; 0.0.0.0 (and a failure) when it spells none.
IpAddress Ip(const std::string& text) {
  std::optional<IpAddress> ip = ParseIpLiteral(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress{});
}

AddressKind KindOf(const std::string& host) {
  return ClassifyAddress(Ip(host));
}

TEST(AddressPolicyTest, ClassifiesEveryForbiddenIpv4Range) {
  EXPECT_EQ(KindOf("127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("127.255.1.2"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("10.1.2.3"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("172.16.0.1"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("172.31.255.255"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("192.168.1.1"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("169.254.1.1"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("169.254.169.254"), AddressKind::kMetadata);
  EXPECT_EQ(KindOf("0.0.0.0"), AddressKind::kUnspecified);
  EXPECT_EQ(KindOf("100.64.0.1"), AddressKind::kCarrierGradeNat);
  EXPECT_EQ(KindOf("100.127.255.255"), AddressKind::kCarrierGradeNat);
  EXPECT_EQ(KindOf("224.0.0.1"), AddressKind::kMulticast);
  EXPECT_EQ(KindOf("255.255.255.255"), AddressKind::kReserved);
}

TEST(AddressPolicyTest, PublicIpv4JustOutsideTheRangesIsPublic) {
  for (const char* host : {"8.8.8.8", "172.15.255.255", "172.32.0.1",
                           "100.63.255.255", "100.128.0.1", "169.253.1.1",
                           "11.0.0.1", "192.169.0.1", "126.255.255.255"}) {
    EXPECT_EQ(KindOf(host), AddressKind::kPublic) << host;
  }
}

TEST(AddressPolicyTest, ClassifiesIpv6Ranges) {
  EXPECT_EQ(KindOf("::1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("[::1]"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("::"), AddressKind::kUnspecified);
  EXPECT_EQ(KindOf("fc00::1"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("fd12:3456::1"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("fe80::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("fe80::1%eth0"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("febf::1"), AddressKind::kLinkLocal);
  EXPECT_EQ(KindOf("ff02::1"), AddressKind::kMulticast);
  EXPECT_EQ(KindOf("2001:4860:4860::8888"), AddressKind::kPublic);
}

TEST(AddressPolicyTest, JudgesIpv6CarryingIpv4ByTheIpv4Address) {
  EXPECT_EQ(KindOf("::ffff:127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("[::ffff:7f00:1]"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("::ffff:169.254.169.254"), AddressKind::kMetadata);
  EXPECT_EQ(KindOf("::ffff:10.0.0.1"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("::127.0.0.1"), AddressKind::kLoopback);
  EXPECT_EQ(KindOf("64:ff9b::192.168.0.1"), AddressKind::kPrivate);
  EXPECT_EQ(KindOf("2002:a9fe:a9fe::"), AddressKind::kMetadata);
  EXPECT_EQ(KindOf("::ffff:8.8.8.8"), AddressKind::kPublic);
}

TEST(AddressPolicyTest, ReadsTheOddIpv4SpellingsCurlAccepts) {
  for (const char* host : {"2130706433", "0x7f.1", "017700000001", "0x7f000001",
                           "127.1", "0177.0.0.1", "127.0.1"}) {
    EXPECT_EQ(Ip(host).ToString(), "127.0.0.1") << host;
  }
  EXPECT_EQ(KindOf("0xa9fea9fe"), AddressKind::kMetadata);
  EXPECT_EQ(KindOf("0"), AddressKind::kUnspecified);
}

TEST(AddressPolicyTest, HostNamesAreNotLiterals) {
  EXPECT_EQ(ParseIpLiteral("example.com"), std::nullopt);
  EXPECT_EQ(ParseIpLiteral("localhost"), std::nullopt);
  EXPECT_EQ(ParseIpLiteral("127.0.0.1.example.com"), std::nullopt);
  EXPECT_EQ(ParseIpLiteral(""), std::nullopt);
}

TEST(AddressPolicyTest, RecognisesMetadataHostNames) {
  EXPECT_TRUE(IsMetadataHostName("metadata.google.internal"));
  EXPECT_TRUE(IsMetadataHostName("METADATA.Google.Internal."));
  EXPECT_TRUE(IsMetadataHostName("metadata"));
  EXPECT_FALSE(IsMetadataHostName("metadata.example.com"));
}

TEST(AddressPolicyTest, RefusesForbiddenAddressesSayingWhy) {
  const AddressPolicy policy;
  const absl::Status s = policy.CheckAddress("example.com", Ip("127.0.0.1"));
  EXPECT_EQ(s.message(), "webhook target 127.0.0.1 is a loopback address");
  EXPECT_THAT(policy.CheckAddress("x", Ip("169.254.169.254")).message(),
              HasSubstr("cloud metadata"));
  EXPECT_TRUE(policy.CheckAddress("x", Ip("8.8.8.8")).ok());
  EXPECT_FALSE(
      policy.CheckAddress("metadata.google.internal", Ip("8.8.8.8")).ok());
}

TEST(AddressPolicyTest, AllowsListedHostsAndAddressesInAnySpelling) {
  const AddressPolicy policy =
      AddressPolicy::FromList(" 127.0.0.1, Receiver.Local ,");
  EXPECT_TRUE(policy.IsAllowed("127.0.0.1"));
  EXPECT_TRUE(policy.IsAllowed("2130706433"));
  EXPECT_TRUE(policy.IsAllowed("receiver.local."));
  EXPECT_FALSE(policy.IsAllowed("127.0.0.2"));
  EXPECT_FALSE(policy.IsAllowed(""));
  const IpAddress loopback = Ip("127.0.0.1");
  const IpAddress other = Ip("127.0.0.2");
  EXPECT_TRUE(policy.CheckAddress("receiver.local", other).ok());
  EXPECT_TRUE(policy.CheckAddress("anything", loopback).ok());
  EXPECT_FALSE(policy.CheckAddress("anything", other).ok());
}

}  // namespace
}  // namespace tiendo
