#ifndef TIENDO_TESTS_SUPPORT_STACK_H_
#define TIENDO_TESTS_SUPPORT_STACK_H_

#include <grpcpp/security/credentials.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/common/authenticator.h"
#include "tests/support/process.h"
#include "tiendo/v1/account.pb.h"
#include "tiendo/v1/aggregation.grpc.pb.h"
#include "tiendo/v1/clock_admin.grpc.pb.h"
#include "tiendo/v1/notification.grpc.pb.h"
#include "tiendo/v1/plan.grpc.pb.h"
#include "tiendo/v1/progress.grpc.pb.h"

namespace tiendo::testing {

// The embedded broker as a real process on a free port.
class Broker {
 public:
  explicit Broker(std::string dir) : dir_(std::move(dir)) {}
  // Starts it and waits until it printed its address.
  bool Start(int port = 0);
  void Stop() { process_.Stop(); }
  const std::string& address() const { return address_; }
  int port() const { return port_; }

 private:
  std::string dir_;
  ChildProcess process_;
  int port_ = 0;
  std::string address_;
};

// The broker and the four services as processes, each with its own SQLite
// file in a fresh directory and a simulated clock, talking real gRPC and
// Kafka on loopback.
class Stack {
 public:
  // `clock_start`: RFC 3339 time the simulated clocks start at.
  explicit Stack(std::string clock_start);
  ~Stack();

  // Starts the broker and every service and waits for all to be SERVING.
  bool Start();
  bool StartService(const std::string& name);
  // Flags the service `name` gets on every later start, after the usual
  // ones (a later flag overrides an earlier one).
  void SetExtraFlags(const std::string& name, std::vector<std::string> flags) {
    extra_flags_[name] = std::move(flags);
  }
  void StopService(const std::string& name);
  void KillService(const std::string& name);
  // The process id of the running service `name` (-1: not running).
  pid_t Pid(const std::string& name) const;
  bool WaitServing(const std::string& name,
                   absl::Duration timeout = absl::Seconds(60));
  Broker& broker() { return *broker_; }
  const std::string& dir() const { return dir_; }
  std::string Log(const std::string& name) const;

  std::unique_ptr<v1::PlanService::Stub> Plan();
  std::unique_ptr<v1::ProgressService::Stub> Progress();
  std::unique_ptr<v1::NotificationService::Stub> Notification();
  std::unique_ptr<v1::AggregationService::Stub> Aggregation();
  std::unique_ptr<v1::ClockAdminService::Stub> ClockOf(const std::string& name);
  std::string Address(const std::string& name) const;
  // http://127.0.0.1:<port>/metrics of the service `name`.
  std::string MetricsUrl(const std::string& name) const;

  // Sets every service's simulated clock (the plan service runs its
  // deadline scan before answering).
  bool SetClock(absl::Time t);

  // Calls a test makes, each with SetDeadline's default deadline. A null
  // `state` or `response` is read and dropped.
  grpc::Status TaskState(const std::string& task,
                         v1::TaskState* state = nullptr);
  grpc::Status Report(const v1::ReportProgressRequest& request,
                      v1::ReportProgressResponse* response = nullptr);
  // The task as the plan service shows it; a failed call is a test failure.
  v1::GetTaskResponse PlanTask(const std::string& task);
  // The agency's notifications; a failed call is a test failure.
  std::vector<v1::Notification> Inbox(const std::string& agency);
  // Imports examples/plans/<name> as written and waits until the progress
  // service knows `wait_for_task` (its tasks came over Kafka).
  grpc::Status ImportExamplePlan(const std::string& name,
                                 const std::string& wait_for_task);
  grpc::Status Subscribe(const v1::Subscription& subscription);
  // The agency's deliveries; a failed call is a test failure.
  std::vector<v1::Delivery> Deliveries(const std::string& agency);

 private:
  std::string dir_;
  std::string clock_start_;
  std::unique_ptr<Broker> broker_;
  std::map<std::string, int> ports_;
  std::map<std::string, int> metrics_ports_;
  std::map<std::string, std::unique_ptr<ChildProcess>> services_;
  std::map<std::string, std::vector<std::string>> extra_flags_;
};

// The certificates of the test stacks (made at build time by
// deploy/tls/make-certs): the services serve and call each other with them.
struct TestTlsFiles {
  std::string ca;
  std::string cert;  // the services'
  std::string key;
  std::string client_cert;  // tiendoctl's, for mutual TLS
  std::string client_key;
  // --tls_ca, --tls_cert and --tls_key of a service.
  std::vector<std::string> ServiceFlags() const;
  // A client's credentials verifying the services against the CA,
  // presenting the client certificate when asked to.
  std::shared_ptr<grpc::ChannelCredentials> Client(
      bool with_certificate = false) const;
};
TestTlsFiles TestTls();

// Tokens signed with the test stacks' key (build/test-tls), as the plan
// service signs them: for any account, valid for `valid_for` from now
// (negative: already expired).
std::string TestToken(const v1::Account& account,
                      absl::Duration valid_for = absl::Hours(1));
// An admin account, and one acting for `agencies` of `unit` with `roles`.
v1::Account TestAdmin();
v1::Account TestAccount(const std::string& name, const std::string& unit,
                        std::vector<v1::Role> roles,
                        std::vector<std::string> agencies = {});
// The check the services make of such tokens.
std::unique_ptr<Authenticator> TestAuthenticator();
// TLS credentials verifying the stack, with the token in every call.
std::shared_ptr<grpc::ChannelCredentials> TestCredentials(
    const std::string& token);

// examples/vinh-thuy-1199.plan.json as a CreatePlan request (a failure to
// read it is a test failure).
v1::CreatePlanRequest ExamplePlanRequest();

// Deadline for a test's RPC.
void SetDeadline(grpc::ClientContext& context,
                 absl::Duration timeout = absl::Seconds(10));

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_STACK_H_
