#include "tests/support/stack.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "services/common/page_loop.h"
#include "services/common/proto_convert.h"
#include "services/common/tls.h"
#include "tests/support/process.h"

#ifndef TIENDO_BIN_DIR
#error "TIENDO_BIN_DIR must name the directory of the built binaries"
#endif

namespace tiendo::testing {
namespace {

std::string MakeTempDir() {
  const char* base = getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(base ? base : "/tmp", "/tiendo-test-XXXXXX");
  char* dir = mkdtemp(pattern.data());
  return dir ? std::string(dir) : std::string();
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  static const std::shared_ptr<grpc::ChannelCredentials> admin =
      TestCredentials(TestToken(TestAdmin(), absl::Hours(24)));
  return grpc::CreateChannel(address, admin);
}

}  // namespace

std::string TestToken(const v1::Account& account, absl::Duration valid_for) {
  static const absl::StatusOr<TokenSigner> signer = TokenSigner::FromPemFile(
      std::string(TIENDO_TEST_TLS_DIR) + "/token-signing-key.pem");
  EXPECT_TRUE(signer.ok()) << signer.status();
  if (!signer.ok()) return "";
  // A token already expired is dated so that it expired a minute ago.
  const absl::Time issued = valid_for > absl::ZeroDuration()
                                ? absl::Now()
                                : absl::Now() - absl::Hours(1);
  const absl::Duration lasting =
      valid_for > absl::ZeroDuration() ? valid_for : absl::Minutes(59);
  absl::StatusOr<std::string> token = signer->Sign(account, issued, lasting);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : "";
}

v1::Account TestAdmin() {
  return TestAccount("test-admin", "vn", {v1::ROLE_ADMIN});
}

v1::Account TestAccount(const std::string& name, const std::string& unit,
                        std::vector<v1::Role> roles,
                        std::vector<std::string> agencies) {
  v1::Account account;
  account.set_name(name);
  account.set_unit(unit);
  for (v1::Role role : roles) account.add_roles(role);
  for (std::string& agency : agencies) account.add_agencies(std::move(agency));
  return account;
}

std::unique_ptr<Authenticator> TestAuthenticator() {
  absl::StatusOr<TokenVerifier> verifier = TokenVerifier::FromPemFiles(
      {std::string(TIENDO_TEST_TLS_DIR) + "/token-key.pem"});
  EXPECT_TRUE(verifier.ok()) << verifier.status();
  return std::make_unique<Authenticator>(*std::move(verifier),
                                         "tiendo services");
}

std::shared_ptr<grpc::ChannelCredentials> TestCredentials(
    const std::string& token) {
  return grpc::CompositeChannelCredentials(TestTls().Client(),
                                           grpc::AccessTokenCredentials(token));
}

TestTlsFiles TestTls() {
  const std::string dir = TIENDO_TEST_TLS_DIR;
  return {.ca = dir + "/ca.pem",
          .cert = dir + "/service.pem",
          .key = dir + "/service-key.pem",
          .client_cert = dir + "/client.pem",
          .client_key = dir + "/client-key.pem"};
}

std::vector<std::string> TestTlsFiles::ServiceFlags() const {
  const std::string dir = TIENDO_TEST_TLS_DIR;
  return {"--tls_ca=" + ca, "--tls_cert=" + cert, "--tls_key=" + key,
          "--token_keys=" + dir + "/token-key.pem",
          absl::StrCat("--event_keys=plan=", dir, "/events-plan.pem,progress=",
                       dir, "/events-progress.pem")};
}

std::shared_ptr<grpc::ChannelCredentials> TestTlsFiles::Client(
    bool with_certificate) const {
  TlsSettings settings;
  settings.ca_file = ca;
  if (with_certificate) {
    settings.cert_file = client_cert;
    settings.key_file = client_key;
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentials(settings);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  return credentials.ok() ? *credentials : grpc::InsecureChannelCredentials();
}

void SetDeadline(grpc::ClientContext& context, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
}

bool Broker::Start(int port) {
  port_ = port != 0 ? port : PickFreePort();
  const std::string out = absl::StrCat(dir_, "/broker.out");
  std::remove(out.c_str());
  if (!process_.Start(absl::StrCat(TIENDO_BIN_DIR, "/tiendo-devbroker"),
                      {absl::StrCat("--port=", port_)}, out,
                      absl::StrCat(dir_, "/broker.log"))) {
    return false;
  }
  return WaitUntil(
      [&] {
        std::string text = ReadFile(out);
        if (text.find('\n') == std::string::npos) return false;
        address_ = std::string(absl::StripAsciiWhitespace(text));
        return true;
      },
      absl::Seconds(20));
}

Stack::Stack(std::string clock_start)
    : dir_(MakeTempDir()), clock_start_(std::move(clock_start)) {
  broker_ = std::make_unique<Broker>(dir_);
  for (const char* name : {"plan", "progress", "notification", "aggregation"}) {
    ports_[name] = PickFreePort();
    metrics_ports_[name] = PickFreePort();
  }
}

Stack::~Stack() {
  for (auto& [name, process] : services_) process->Stop();
  broker_->Stop();
}

std::string Stack::Address(const std::string& name) const {
  return absl::StrCat("127.0.0.1:", ports_.at(name));
}

std::string Stack::MetricsUrl(const std::string& name) const {
  return absl::StrCat("http://127.0.0.1:", metrics_ports_.at(name), "/metrics");
}

bool Stack::StartService(const std::string& name) {
  auto process = std::make_unique<ChildProcess>();
  std::vector<std::string> args = {
      absl::StrCat("--listen=", Address(name)),
      absl::StrCat("--kafka_brokers=", broker_->address()),
      absl::StrCat("--db=", dir_, "/", name, ".db"),
      "--simulated_clock",
      absl::StrCat("--clock_start=", clock_start_),
      "--kafka_session_timeout_ms=3000",
      absl::StrCat("--metrics_port=", metrics_ports_.at(name)),
  };
  for (std::string& flag : TestTls().ServiceFlags()) {
    args.push_back(std::move(flag));
  }
  // Each service takes the addresses of the owners it resyncs from.
  if (name != "plan") {
    args.push_back("--plan_address=" + Address("plan"));
  }
  if (name != "progress") {
    args.push_back("--progress_address=" + Address("progress"));
  }
  if (name == "plan" || name == "progress") {
    args.push_back(absl::StrCat("--event_signing_key=", TIENDO_TEST_TLS_DIR,
                                "/events-", name, "-key.pem"));
  }
  if (name == "plan") {
    args.push_back("--scan_interval_ms=200");
    args.push_back(absl::StrCat("--token_signing_key=", TIENDO_TEST_TLS_DIR,
                                "/token-signing-key.pem"));
  }
  // The tests' webhook receivers listen on loopback, by plain http.
  if (name == "notification") {
    args.push_back("--webhook_allow_hosts=127.0.0.1");
  }
  if (auto it = extra_flags_.find(name); it != extra_flags_.end()) {
    args.insert(args.end(), it->second.begin(), it->second.end());
  }
  const std::string log = absl::StrCat(dir_, "/", name, ".log");
  if (!process->Start(absl::StrCat(TIENDO_BIN_DIR, "/tiendo-", name), args, log,
                      log)) {
    return false;
  }
  services_[name] = std::move(process);
  return true;
}

void Stack::StopService(const std::string& name) {
  if (auto it = services_.find(name); it != services_.end()) it->second->Stop();
}

void Stack::KillService(const std::string& name) {
  if (auto it = services_.find(name); it != services_.end()) it->second->Kill();
}

pid_t Stack::Pid(const std::string& name) const {
  auto it = services_.find(name);
  return it != services_.end() ? it->second->pid() : -1;
}

bool Stack::WaitServing(const std::string& name, absl::Duration timeout) {
  auto stub = grpc::health::v1::Health::NewStub(Channel(Address(name)));
  return WaitUntil(
      [&] {
        grpc::ClientContext context;
        SetDeadline(context, absl::Seconds(2));
        // Waiting for the connection keeps this thread polling it, so the
        // TLS handshake goes on at once rather than at gRPC's 5-second
        // backup poll.
        context.set_wait_for_ready(true);
        grpc::health::v1::HealthCheckResponse response;
        return stub->Check(&context, grpc::health::v1::HealthCheckRequest(),
                           &response)
                   .ok() &&
               response.status() ==
                   grpc::health::v1::HealthCheckResponse::SERVING;
      },
      timeout, absl::Milliseconds(100));
}

bool Stack::Start() {
  if (dir_.empty() || !broker_->Start()) return false;
  for (const auto& [name, port] : ports_) {
    if (!StartService(name)) return false;
  }
  for (const auto& [name, port] : ports_) {
    if (!WaitServing(name)) return false;
  }
  return true;
}

std::string Stack::Log(const std::string& name) const {
  return ReadFile(absl::StrCat(dir_, "/", name, ".log"));
}

std::unique_ptr<v1::PlanService::Stub> Stack::Plan() {
  return v1::PlanService::NewStub(Channel(Address("plan")));
}
std::unique_ptr<v1::ProgressService::Stub> Stack::Progress() {
  return v1::ProgressService::NewStub(Channel(Address("progress")));
}
std::unique_ptr<v1::NotificationService::Stub> Stack::Notification() {
  return v1::NotificationService::NewStub(Channel(Address("notification")));
}
std::unique_ptr<v1::AggregationService::Stub> Stack::Aggregation() {
  return v1::AggregationService::NewStub(Channel(Address("aggregation")));
}
std::unique_ptr<v1::ClockAdminService::Stub> Stack::ClockOf(
    const std::string& name) {
  return v1::ClockAdminService::NewStub(Channel(Address(name)));
}

bool Stack::SetClock(absl::Time t) {
  // The plan service last: its scan should see the others already moved.
  for (const char* name : {"progress", "notification", "aggregation", "plan"}) {
    grpc::ClientContext context;
    SetDeadline(context);
    v1::SetTimeRequest request;
    *request.mutable_time() = ToProto(t);
    v1::SetTimeResponse response;
    if (!ClockOf(name)->SetTime(&context, request, &response).ok()) {
      return false;
    }
  }
  return true;
}

grpc::Status Stack::TaskState(const std::string& task, v1::TaskState* state) {
  v1::GetTaskStateRequest request;
  request.set_task_id(task);
  v1::GetTaskStateResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status s = Progress()->GetTaskState(&context, request, &response);
  if (s.ok() && state != nullptr) *state = response.state();
  return s;
}

grpc::Status Stack::Report(const v1::ReportProgressRequest& request,
                           v1::ReportProgressResponse* response) {
  v1::ReportProgressResponse ignored;
  grpc::ClientContext context;
  SetDeadline(context);
  return Progress()->ReportProgress(&context, request,
                                    response ? response : &ignored);
}

v1::GetTaskResponse Stack::PlanTask(const std::string& task) {
  v1::GetTaskRequest request;
  request.set_task_id(task);
  v1::GetTaskResponse view;
  grpc::ClientContext context;
  SetDeadline(context);
  EXPECT_TRUE(Plan()->GetTask(&context, request, &view).ok());
  return view;
}

std::vector<v1::Notification> Stack::Inbox(const std::string& agency) {
  v1::ListNotificationsRequest request;
  request.set_agency(agency);
  v1::ListNotificationsResponse all;
  EXPECT_TRUE(MergeAllPages(
                  request, &all,
                  [&](grpc::ClientContext* context,
                      const v1::ListNotificationsRequest& r,
                      v1::ListNotificationsResponse* response) {
                    return Notification()->ListNotifications(context, r,
                                                             response);
                  },
                  [](grpc::ClientContext& context) { SetDeadline(context); })
                  .ok());
  return {all.notifications().begin(), all.notifications().end()};
}

v1::CreatePlanRequest ExamplePlanRequest() {
  v1::CreatePlanRequest request;
  const std::string json = ReadFile(
      absl::StrCat(TIENDO_SOURCE_DIR, "/examples/vinh-thuy-1199.plan.json"));
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &request).ok());
  return request;
}

grpc::Status Stack::ImportExamplePlan(const std::string& name,
                                      const std::string& wait_for_task) {
  v1::ImportPlanRequest request;
  request.set_text(
      ReadFile(absl::StrCat(TIENDO_SOURCE_DIR, "/examples/plans/", name)));
  v1::ImportPlanResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  grpc::Status s = Plan()->ImportPlan(&context, request, &response);
  if (!s.ok()) return s;
  if (!WaitUntil([&] { return TaskState(wait_for_task).ok(); })) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                        "progress never learnt " + wait_for_task);
  }
  return grpc::Status::OK;
}

grpc::Status Stack::Subscribe(const v1::Subscription& subscription) {
  v1::SetSubscriptionRequest request;
  *request.mutable_subscription() = subscription;
  v1::SetSubscriptionResponse stored;
  grpc::ClientContext context;
  SetDeadline(context);
  return Notification()->SetSubscription(&context, request, &stored);
}

std::vector<v1::Delivery> Stack::Deliveries(const std::string& agency) {
  v1::ListDeliveriesRequest request;
  request.set_agency(agency);
  v1::ListDeliveriesResponse all;
  EXPECT_TRUE(
      MergeAllPages(
          request, &all,
          [&](grpc::ClientContext* context, const v1::ListDeliveriesRequest& r,
              v1::ListDeliveriesResponse* response) {
            return Notification()->ListDeliveries(context, r, response);
          },
          [](grpc::ClientContext& context) { SetDeadline(context); })
          .ok());
  return {all.deliveries().begin(), all.deliveries().end()};
}

}  // namespace tiendo::testing
