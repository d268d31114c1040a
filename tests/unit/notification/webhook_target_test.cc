// Which webhook URLs a subscription may name, with a resolver that answers
// from a table instead of DNS.
#include "services/notification/webhook_target.h"

#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::notification {
namespace {

using ::testing::HasSubstr;

class TableResolver final : public HostResolver {
 public:
  explicit TableResolver(std::map<std::string, std::vector<std::string>> table)
      : table_(std::move(table)) {}

  absl::StatusOr<std::vector<IpAddress>> Resolve(
      const std::string& host) override {
    asked_.push_back(host);
    auto it = table_.find(host);
    if (it == table_.end()) return absl::NotFoundError("no such host");
    std::vector<IpAddress> out;
    for (const std::string& ip : it->second) {
      out.push_back(ParseIpLiteral(ip).value_or(IpAddress{}));
    }
    return out;
  }
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  std::map<std::string, std::vector<std::string>> table_;
  std::vector<std::string> asked_;
};

class WebhookTargetTest : public ::testing::Test {
 protected:
  absl::Status Check(const std::string& url) {
    return WebhookTargetCheck(policy_, resolver_).Check(url);
  }

  AddressPolicy policy_ = AddressPolicy::FromList("127.0.0.1,receiver.test");
  TableResolver resolver_{{
      {"hooks.example.com", {"93.184.216.34"}},
      {"inside.example.com", {"93.184.216.34", "10.0.0.7"}},
      {"rebind.example.com", {"::ffff:127.0.0.1"}},
      {"receiver.test", {"192.168.1.5"}},
  }};
};

TEST_F(WebhookTargetTest, AcceptsHttpsToAPublicHost) {
  EXPECT_TRUE(Check("https://hooks.example.com/zalo").ok());
  EXPECT_TRUE(Check("https://93.184.216.34:8443/x").ok());
}

TEST_F(WebhookTargetTest, RefusesPlainHttpUnlessTheHostIsAllowed) {
  const absl::Status s = Check("http://hooks.example.com/zalo");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("address: "));
  EXPECT_THAT(s.message(), HasSubstr("use https"));
  EXPECT_TRUE(Check("http://127.0.0.1:8080/hook").ok());
  EXPECT_TRUE(Check("http://receiver.test/hook").ok());
  EXPECT_FALSE(Check("ftp://hooks.example.com/").ok());
}

TEST_F(WebhookTargetTest, RefusesForbiddenLiteralsInEverySpelling) {
  for (const char* url :
       {"https://127.0.0.2/", "https://[::1]/", "https://10.0.0.1/",
        "https://172.20.0.1/", "https://192.168.0.1/", "https://169.254.1.1/",
        "https://169.254.169.254/latest/meta-data/", "https://0.0.0.0/",
        "https://[::]/", "https://100.64.1.1/", "https://[fd00::1]/",
        "https://[fe80::1]/", "https://[::ffff:127.0.0.2]/",
        "https://[::ffff:169.254.169.254]/", "https://2130706434/",
        "https://0x7f.2/", "https://017700000002/", "https://0xa9fea9fe/",
        "https://user@10.0.0.1/"}) {
    const absl::Status s = Check(url);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << url;
    EXPECT_THAT(s.message(), HasSubstr("webhook target")) << url;
  }
  EXPECT_TRUE(resolver_.asked().empty());
}

TEST_F(WebhookTargetTest, NamesTheAddressAndWhyInTheError) {
  EXPECT_THAT(Check("https://127.0.0.2:9/").message(),
              HasSubstr("webhook target 127.0.0.2 is a loopback address"));
  EXPECT_THAT(Check("https://169.254.169.254/").message(),
              HasSubstr("is a cloud metadata address"));
}

TEST_F(WebhookTargetTest, RefusesNamesResolvingToAnyForbiddenAddress) {
  EXPECT_THAT(Check("https://inside.example.com/").message(),
              HasSubstr("webhook target 10.0.0.7 is a private address"));
  EXPECT_THAT(Check("https://rebind.example.com/").message(),
              HasSubstr("is a loopback address"));
}

TEST_F(WebhookTargetTest, RefusesMetadataNamesWithoutAskingDns) {
  EXPECT_THAT(
      Check("https://metadata.google.internal/computeMetadata/v1/").message(),
      HasSubstr("cloud metadata host"));
  EXPECT_FALSE(Check("https://METADATA./").ok());
  EXPECT_TRUE(resolver_.asked().empty());
}

TEST_F(WebhookTargetTest, RefusesHostsThatDoNotResolve) {
  const absl::Status s = Check("https://nowhere.example.com/");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("no such host"));
}

TEST_F(WebhookTargetTest, AllowedHostsAreNotResolved) {
  EXPECT_TRUE(Check("https://receiver.test/hook").ok());
  EXPECT_TRUE(resolver_.asked().empty());
}

}  // namespace
}  // namespace tiendo::notification
