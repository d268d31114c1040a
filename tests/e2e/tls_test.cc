// End to end: every gRPC port speaks TLS. A client without TLS, or one that
// does not trust the stack's CA, gets no answer; with --tls_client_auth a
// client must also present a certificate the CA signed; a service given no
// certificate refuses to start rather than serve in the clear.
#include <grpcpp/grpcpp.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

// One health check over `credentials`; UNAVAILABLE when the handshake fails.
grpc::Status Check(const std::string& address,
                   const std::shared_ptr<grpc::ChannelCredentials>& creds) {
  auto stub =
      grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, creds));
  grpc::ClientContext context;
  SetDeadline(context, absl::Seconds(5));
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, grpc::health::v1::HealthCheckRequest(),
                     &response);
}

// The plan service alone (on its broker): enough to shake hands with.
class TlsTest : public ::testing::Test {
 protected:
  TlsTest() : stack_("2026-05-20T08:00:00+07:00") {}

  // Starts it and waits until `client` gets an answer.
  void StartPlan(std::vector<std::string> extra_flags,
                 const std::shared_ptr<grpc::ChannelCredentials>& client) {
    ASSERT_TRUE(stack_.broker().Start());
    stack_.SetExtraFlags("plan", std::move(extra_flags));
    ASSERT_TRUE(stack_.StartService("plan"));
    ASSERT_TRUE(WaitUntil([&] { return Check(Address(), client).ok(); }))
        << stack_.Log("plan");
  }
  std::string Address() const { return stack_.Address("plan"); }

  Stack stack_;
};

TEST_F(TlsTest, PlaintextAndUntrustedClientsGetNoAnswer) {
  StartPlan({}, TestTls().Client());
  EXPECT_EQ(Check(Address(), grpc::InsecureChannelCredentials()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // The system's roots do not include the stack's own CA.
  EXPECT_EQ(Check(Address(), grpc::SslCredentials({})).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(Check(Address(), TestTls().Client()).ok());
}

TEST_F(TlsTest, MutualTlsAsksForTheClientsCertificate) {
  StartPlan({"--tls_client_auth"}, TestTls().Client(/*with_certificate=*/true));
  EXPECT_EQ(Check(Address(), TestTls().Client()).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(
      Check(Address(), TestTls().Client(/*with_certificate=*/true)).ok());
}

TEST(TlsStartTest, ServiceWithoutCertificateRefusesToStart) {
  const std::string command = absl::StrCat(
      TIENDO_BIN_DIR, "/tiendo-plan --listen=127.0.0.1:", PickFreePort(),
      " --db=/nonexistent/plan.db 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, n);
  }
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_THAT(output, HasSubstr("TLS needs --tls_cert and --tls_key"));
}

}  // namespace
}  // namespace tiendo::testing
