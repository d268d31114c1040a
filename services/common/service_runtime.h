#ifndef TIENDO_SERVICES_COMMON_SERVICE_RUNTIME_H_
#define TIENDO_SERVICES_COMMON_SERVICE_RUNTIME_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/audit_grpc.h"
#include "services/common/audit_log.h"
#include "services/common/authenticator.h"
#include "services/common/clock.h"
#include "services/common/event_signature.h"
#include "services/common/tls.h"
#include "tiendo/v1/clock_admin.grpc.pb.h"

// Flags every service takes.
ABSL_DECLARE_FLAG(std::string, listen);
ABSL_DECLARE_FLAG(std::string, kafka_brokers);
ABSL_DECLARE_FLAG(std::string, db);
ABSL_DECLARE_FLAG(bool, simulated_clock);
ABSL_DECLARE_FLAG(std::string, clock_start);
ABSL_DECLARE_FLAG(int, kafka_session_timeout_ms);
ABSL_DECLARE_FLAG(int, metrics_port);
ABSL_DECLARE_FLAG(std::string, tls_ca);
ABSL_DECLARE_FLAG(std::string, tls_cert);
ABSL_DECLARE_FLAG(std::string, tls_key);
ABSL_DECLARE_FLAG(bool, tls_client_auth);
ABSL_DECLARE_FLAG(bool, plaintext);
ABSL_DECLARE_FLAG(std::vector<std::string>, token_keys);
ABSL_DECLARE_FLAG(std::string, service_peer_name);
ABSL_DECLARE_FLAG(double, write_rate_per_account);
ABSL_DECLARE_FLAG(double, write_burst_per_account);
ABSL_DECLARE_FLAG(std::string, event_signing_key);
ABSL_DECLARE_FLAG(std::vector<std::string>, event_keys);
ABSL_DECLARE_FLAG(std::string, kafka_config_file);
// Caps on open watch streams (the services that serve them read these).
ABSL_DECLARE_FLAG(int, max_watch_streams);
ABSL_DECLARE_FLAG(int, max_watch_streams_per_account);

namespace tiendo {

// Everything a service's main() needs before it wires its own parts.
struct ServiceEnvironment {
  std::string name;     // "plan", "progress", ...
  std::string listen;   // host:port
  std::string brokers;  // Kafka bootstrap servers
  std::string db_path;  // SQLite file
  // host:port of the Prometheus endpoint (GET /metrics); empty: none.
  std::string metrics_address;
  int session_timeout_ms;  // Kafka consumer session timeout
  // Health is NOT_SERVING while the outbox is stuck this long.
  absl::Duration outbox_stuck_after = absl::InfiniteDuration();
  // The service's clock: system time, or simulated when --simulated_clock.
  std::unique_ptr<Clock> clock;
  SimulatedClock* simulated = nullptr;  // non-null when simulated
  // What the gRPC port serves with (TLS unless --plaintext), and what this
  // service presents when it calls another one (resync from an owner).
  std::shared_ptr<grpc::ServerCredentials> server_credentials;
  std::shared_ptr<grpc::ChannelCredentials> peer_credentials;
  // Verifies every caller's credential (--token_keys).
  std::unique_ptr<Authenticator> authenticator;
  // Signs the records this service produces (--event_signing_key; required
  // of a topic's owner), and checks that each record consumed comes from
  // its topic's owner (--event_keys).
  std::unique_ptr<EventSigner> event_signer;
  std::unique_ptr<EventVerifier> event_verifier;
};

// The TLS settings the flags give (--tls_ca, --tls_cert, --tls_key,
// --tls_client_auth, --plaintext).
TlsSettings TlsSettingsFromFlags();

// Parses the command line and builds the environment. default_port is used
// when --listen is not given. Serves the metrics endpoint unless
// --metrics_port=0; a service that cannot exits, as with any bad flag.
ServiceEnvironment InitService(int argc, char** argv, const std::string& name,
                               int default_port);

// Serves ClockAdminService on a simulated clock; after every change it calls
// on_change (the plan service runs its deadline scan there, so a test that
// advances the clock sees the reminders it caused).
class ClockAdminService final : public v1::ClockAdminService::Service {
 public:
  ClockAdminService(SimulatedClock& clock, const Authenticator& auth,
                    std::function<void()> on_change)
      : clock_(clock), auth_(auth), on_change_(std::move(on_change)) {}

  // Each needs the admin role.
  grpc::Status GetTime(grpc::ServerContext* context, const v1::GetTimeRequest*,
                       v1::GetTimeResponse* response) override;
  grpc::Status SetTime(grpc::ServerContext* context,
                       const v1::SetTimeRequest* request,
                       v1::SetTimeResponse* response) override;
  grpc::Status AdvanceTime(grpc::ServerContext* context,
                           const v1::AdvanceTimeRequest* request,
                           v1::AdvanceTimeResponse* response) override;

 private:
  // Every answer is the clock's time after the call.
  void Describe(google::protobuf::Timestamp* time,
                std::string* local_time) const;

  SimulatedClock& clock_;
  const Authenticator& auth_;
  std::function<void()> on_change_;
};

// The metrics endpoint of a service listening on `listen` (host:port):
// the same host, on `metrics_port`, or the gRPC port + 1000 when it is
// negative; empty when metrics_port is 0.
absl::StatusOr<std::string> MetricsAddress(const std::string& listen,
                                           int metrics_port);

// A running gRPC server with grpc.health.v1.Health and server reflection;
// every RPC it finishes is counted in Metrics::Default().
// Health reports NOT_SERVING until MarkServing().
class GrpcServer {
 public:
  // `audit`: when given, every write, sign-in and refused call is recorded
  // there (see audit_interceptor.h), checking credentials with `auth`.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(
      const std::string& listen,
      const std::shared_ptr<grpc::ServerCredentials>& credentials,
      const std::vector<grpc::Service*>& services, AuditLog* audit = nullptr,
      const Authenticator* auth = nullptr);
  // Start() on the service's --listen address, also serving
  // ClockAdminService when its clock is simulated (on_clock_change is
  // called after every change of it).
  // Also serves AuditService over `audit`, which records the calls.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> StartService(
      const ServiceEnvironment& env, std::vector<grpc::Service*> services,
      AuditLog& audit, std::function<void()> on_clock_change = nullptr);
  ~GrpcServer();

  void MarkServing(bool serving);
  // Reports SERVING while ready() is true and NOT_SERVING while it is not
  // (checked on a thread of its own, so main() can go on waiting for
  // signals).
  void ServeWhen(std::function<bool()> ready);
  void Shutdown();
  int port() const { return port_; }

 private:
  // Declared before the server, which uses it, so it outlives it.
  std::unique_ptr<ClockAdminService> clock_admin_;
  std::unique_ptr<AuditGrpcService> audit_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<bool> shutting_down_{false};
  std::thread readiness_;
};

// Blocks until SIGINT or SIGTERM. Call BlockShutdownSignals() first thing in
// main(), before any thread starts, so only this waits for them.
void BlockShutdownSignals();
void WaitForShutdownSignal();

// Logs why a service cannot start and returns its exit code.
int Fail(const absl::Status& status);

// Converts an absl::Status to a grpc::Status with the same code and message.
grpc::Status ToGrpc(const absl::Status& status);

// The caller's credential when it has `role`, else the refusal: the first
// lines of a handler,
//   absl::StatusOr<Credential> caller = auth_.Require(*context, role);
//   if (!caller.ok()) return ToGrpc(caller.status());

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_SERVICE_RUNTIME_H_
