#include "services/common/service_runtime.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include <algorithm>
#include <map>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/audit_interceptor.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/proto_convert.h"
#include "services/common/rpc_metrics.h"

ABSL_FLAG(std::string, listen, "",
          "host:port for the gRPC API (default 127.0.0.1:<service port>)");
ABSL_FLAG(std::string, kafka_brokers, "127.0.0.1:19092",
          "Kafka bootstrap servers: the embedded tiendo-devbroker by default, "
          "or a real cluster");
ABSL_FLAG(std::string, db, "",
          "SQLite file of this service (default ./<service>.db)");
ABSL_FLAG(
    bool, simulated_clock, false,
    "read time from a simulated clock driven through the ClockAdminService "
    "RPC (tests and demos only)");
ABSL_FLAG(std::string, clock_start, "",
          "RFC 3339 start of the simulated clock when it has no remembered "
          "time (default: now)");
ABSL_FLAG(int, kafka_session_timeout_ms, 6000,
          "Kafka consumer session timeout; short so a restarted service gets "
          "its partitions back quickly");
ABSL_FLAG(int, outbox_stuck_after_s, 120,
          "health turns NOT_SERVING while the outbox has had events waiting "
          "this long without the broker taking any (0: never)");
ABSL_FLAG(int, metrics_port, -1,
          "port of the Prometheus endpoint (GET /metrics), on the host of "
          "--listen; -1: the gRPC port + 1000 (51051 for plan ... 51054 "
          "for aggregation); 0: no endpoint");

ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA certificates that sign the other services' and "
          "the clients' certificates");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM file of this service's certificate chain (TLS is required "
          "unless --plaintext)");
ABSL_FLAG(std::string, tls_key, "", "PEM file of this service's private key");
ABSL_FLAG(bool, tls_client_auth, false,
          "require and verify client certificates (mutual TLS)");
ABSL_FLAG(bool, plaintext, false,
          "serve and call without TLS (only behind a network that encrypts "
          "for us, such as a service mesh)");

ABSL_FLAG(std::vector<std::string>, token_keys, {},
          "PEM public keys that sign the tokens this service accepts "
          "(comma-separated: more than one while a key is replaced)");
ABSL_FLAG(double, write_rate_per_account, 20,
          "writes an account may make per second, sustained, before the "
          "next is refused with RESOURCE_EXHAUSTED (0: no limit)");
ABSL_FLAG(double, write_burst_per_account, 200,
          "writes an account may make at once, above the sustained rate");
ABSL_FLAG(std::string, service_peer_name, "tiendo services",
          "common name of the certificate the tiendo services present to "
          "each other; such a peer may read the owners' snapshots");

ABSL_FLAG(std::string, event_signing_key, "",
          "PEM EC private key this service signs the records it produces "
          "with (required of the plan and progress services, which own "
          "topics)");
ABSL_FLAG(std::vector<std::string>, event_keys, {},
          "public keys of the topics' owners, SIGNER=FILE comma-separated "
          "(plan=events-plan.pem,progress=events-progress.pem): records not "
          "signed by their topic's owner are dead-lettered");
ABSL_FLAG(std::string, kafka_config_file, "",
          "librdkafka settings (name=value lines) for every Kafka client of "
          "the service: security.protocol=SASL_SSL, sasl.*, ssl.*");

ABSL_FLAG(int, max_watch_streams, 2000,
          "watch streams (WatchRollup, WatchNotifications) open at once in "
          "all; one more is refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_watch_streams_per_account, 20,
          "watch streams open at once per account (the tiendo services "
          "together count as one); one more is refused with "
          "RESOURCE_EXHAUSTED");

namespace tiendo {
namespace {

// The event signer and verifier, and the Kafka client settings, of the
// flags; a bad flag stops the process.
void SetEventSecurity(ServiceEnvironment& env) {
  auto stop = [](const std::string& flag, const absl::Status& status) {
    LogError("--%s: %s", flag, status.message());
    std::exit(2);
  };
  const std::map<std::string, std::string> owners = TopicOwners();
  const bool owns_a_topic =
      std::any_of(owners.begin(), owners.end(),
                  [&](const auto& entry) { return entry.second == env.name; });
  const std::string key = absl::GetFlag(FLAGS_event_signing_key);
  if (!key.empty() || owns_a_topic) {
    auto signer = EventSigner::FromPemFile(env.name, key);
    if (!signer.ok()) stop("event_signing_key", signer.status());
    env.event_signer = *std::move(signer);
  }
  auto verifier =
      EventVerifier::FromFlag(absl::GetFlag(FLAGS_event_keys), owners);
  if (!verifier.ok()) stop("event_keys", verifier.status());
  env.event_verifier = *std::move(verifier);
  if (const std::string file = absl::GetFlag(FLAGS_kafka_config_file);
      !file.empty()) {
    auto settings = ReadKafkaClientSettings(file);
    if (!settings.ok()) stop("kafka_config_file", settings.status());
    SetKafkaClientSettings(*std::move(settings));
  }
}

// Builds the credential check of the flags, or stops the process as a bad
// flag does.
void SetAuthenticator(ServiceEnvironment& env) {
  absl::StatusOr<TokenVerifier> verifier =
      TokenVerifier::FromPemFiles(absl::GetFlag(FLAGS_token_keys));
  if (!verifier.ok()) {
    LogError("--token_keys: %s (deploy/tls/make-certs makes a key pair)",
             verifier.status().message());
    std::exit(2);
  }
  env.authenticator = std::make_unique<Authenticator>(
      *std::move(verifier), absl::GetFlag(FLAGS_service_peer_name));
  env.authenticator->LimitWrites(absl::GetFlag(FLAGS_write_rate_per_account),
                                 absl::GetFlag(FLAGS_write_burst_per_account));
}

// Builds the gRPC credentials of the flags, or stops the process as a bad
// flag does.
void SetCredentials(ServiceEnvironment& env) {
  const TlsSettings tls = TlsSettingsFromFlags();
  auto server = ServerCredentials(tls);
  auto peer = ChannelCredentials(tls);
  const absl::Status status = server.ok() ? peer.status() : server.status();
  if (!status.ok()) {
    LogError("%s", status.message());
    std::exit(2);
  }
  if (tls.plaintext)
    LogWarning("--plaintext: the gRPC port serves without TLS");
  env.server_credentials = *std::move(server);
  env.peer_credentials = *std::move(peer);
}

// Serves the metrics endpoint, or stops the process as a bad flag does.
void ServeMetrics(ServiceEnvironment& env) {
  absl::StatusOr<std::string> address =
      MetricsAddress(env.listen, absl::GetFlag(FLAGS_metrics_port));
  absl::Status status = address.status();
  if (status.ok() && !address->empty()) {
    status = Metrics::Default().Serve(*address);
  }
  if (!status.ok()) {
    LogError("%s", status.message());
    std::exit(2);
  }
  env.metrics_address = *address;
  if (!address->empty()) LogInfo("metrics on http://%s/metrics", *address);
}

}  // namespace

TlsSettings TlsSettingsFromFlags() {
  TlsSettings tls;
  tls.plaintext = absl::GetFlag(FLAGS_plaintext);
  tls.ca_file = absl::GetFlag(FLAGS_tls_ca);
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  tls.key_file = absl::GetFlag(FLAGS_tls_key);
  tls.require_client_cert = absl::GetFlag(FLAGS_tls_client_auth);
  return tls;
}

absl::StatusOr<std::string> MetricsAddress(const std::string& listen,
                                           int metrics_port) {
  if (metrics_port == 0) return std::string();
  const size_t colon = listen.rfind(':');
  int grpc_port = 0;
  if (colon == std::string::npos ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &grpc_port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen=", listen, ": expected host:port"));
  }
  const int port = metrics_port > 0 ? metrics_port : grpc_port + 1000;
  if (port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--metrics_port: ", port, " is not a port (set --metrics_port)"));
  }
  return absl::StrCat(listen.substr(0, colon), ":", port);
}

ServiceEnvironment InitService(int argc, char** argv, const std::string& name,
                               int default_port) {
  absl::SetProgramUsageMessage(
      absl::StrCat("tiendo ", name,
                   " service. Flags: --listen, "
                   "--kafka_brokers, --db, --simulated_clock, "
                   "--metrics_port, --tls_ca, --tls_cert, --tls_key."));
  absl::ParseCommandLine(argc, argv);
  InitLogging(name);
  ServiceEnvironment env;
  env.name = name;
  env.listen = absl::GetFlag(FLAGS_listen);
  if (env.listen.empty()) env.listen = absl::StrCat("127.0.0.1:", default_port);
  env.brokers = absl::GetFlag(FLAGS_kafka_brokers);
  env.db_path = absl::GetFlag(FLAGS_db);
  if (env.db_path.empty()) env.db_path = absl::StrCat(name, ".db");
  env.session_timeout_ms = absl::GetFlag(FLAGS_kafka_session_timeout_ms);
  const int stuck_after = absl::GetFlag(FLAGS_outbox_stuck_after_s);
  env.outbox_stuck_after =
      stuck_after > 0 ? absl::Seconds(stuck_after) : absl::InfiniteDuration();
  if (absl::GetFlag(FLAGS_simulated_clock)) {
    absl::Time start = absl::Now();
    const std::string text = absl::GetFlag(FLAGS_clock_start);
    std::string err;
    if (!text.empty() &&
        !absl::ParseTime(absl::RFC3339_full, text, &start, &err)) {
      LogError("--clock_start=%s: %s", text, err);
      std::exit(2);
    }
    auto simulated =
        std::make_unique<SimulatedClock>(start, env.db_path + ".clock");
    env.simulated = simulated.get();
    env.clock = std::move(simulated);
    LogInfo("simulated clock at %s", FormatLocal(env.clock->Now()));
  } else {
    env.clock = std::make_unique<SystemClock>();
  }
  SetCredentials(env);
  SetAuthenticator(env);
  SetEventSecurity(env);
  ServeMetrics(env);
  return env;
}

void ClockAdminService::Describe(google::protobuf::Timestamp* time,
                                 std::string* local_time) const {
  const absl::Time now = clock_.Now();
  *time = ToProto(now);
  *local_time = FormatLocal(now);
}

grpc::Status ClockAdminService::GetTime(grpc::ServerContext* context,
                                        const v1::GetTimeRequest*,
                                        v1::GetTimeResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  Describe(response->mutable_time(), response->mutable_local_time());
  return grpc::Status::OK;
}

grpc::Status ClockAdminService::SetTime(grpc::ServerContext* context,
                                        const v1::SetTimeRequest* request,
                                        v1::SetTimeResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (!request->has_time()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "time: required");
  }
  clock_.Set(FromProto(request->time()));
  if (on_change_) on_change_();
  Describe(response->mutable_time(), response->mutable_local_time());
  return grpc::Status::OK;
}

grpc::Status ClockAdminService::AdvanceTime(
    grpc::ServerContext* context, const v1::AdvanceTimeRequest* request,
    v1::AdvanceTimeResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  const absl::Duration by = FromProto(request->by());
  if (by < absl::ZeroDuration()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "by: must not be negative (use SetTime to go back)");
  }
  clock_.Advance(by);
  if (on_change_) on_change_();
  Describe(response->mutable_time(), response->mutable_local_time());
  return grpc::Status::OK;
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(
    const std::string& listen,
    const std::shared_ptr<grpc::ServerCredentials>& credentials,
    const std::vector<grpc::Service*>& services, AuditLog* audit,
    const Authenticator* auth) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  auto server = std::unique_ptr<GrpcServer>(new GrpcServer);
  builder.AddListeningPort(listen, credentials, &server->port_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(NewRpcMetricsInterceptorFactory(Metrics::Default()));
  if (audit != nullptr && auth != nullptr) {
    interceptors.push_back(NewAuditInterceptorFactory(*audit, *auth));
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", listen, " (port in use?)"));
  }
  server->MarkServing(false);
  return server;
}

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::StartService(
    const ServiceEnvironment& env, std::vector<grpc::Service*> services,
    AuditLog& audit, std::function<void()> on_clock_change) {
  auto audit_service =
      std::make_unique<AuditGrpcService>(audit, *env.authenticator);
  services.push_back(audit_service.get());
  std::unique_ptr<ClockAdminService> clock_admin;
  if (env.simulated != nullptr) {
    clock_admin = std::make_unique<ClockAdminService>(
        *env.simulated, *env.authenticator, std::move(on_clock_change));
    services.push_back(clock_admin.get());
  }
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      Start(env.listen, env.server_credentials, services, &audit,
            env.authenticator.get());
  if (server.ok()) {
    (*server)->clock_admin_ = std::move(clock_admin);
    (*server)->audit_service_ = std::move(audit_service);
  }
  return server;
}

GrpcServer::~GrpcServer() { Shutdown(); }

void GrpcServer::MarkServing(bool serving) {
  if (server_) server_->GetHealthCheckService()->SetServingStatus(serving);
}

void GrpcServer::ServeWhen(std::function<bool()> ready) {
  readiness_ = std::thread([this, ready = std::move(ready)] {
    bool serving = false;
    while (!shutting_down_.load()) {
      if (const bool now = ready(); now != serving) {
        serving = now;
        MarkServing(serving);
        if (serving) {
          LogInfo("SERVING on port %d", port_);
        } else {
          LogWarning("NOT_SERVING on port %d", port_);
        }
      }
      absl::SleepFor(absl::Milliseconds(serving ? 250 : 50));
    }
  });
}

void GrpcServer::Shutdown() {
  shutting_down_.store(true);
  if (readiness_.joinable()) readiness_.join();
  if (!server_) return;
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server_.reset();
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal = 0;
  sigwait(&set, &signal);
  LogInfo("signal %d: shutting down", signal);
}

int Fail(const absl::Status& status) {
  LogError("%s", status.ToString());
  return 1;
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace tiendo
