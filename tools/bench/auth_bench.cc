// What authentication and TLS cost per call: calls per second and latency of
// one cheap RPC with and without a token and with and without TLS, side by
// side in one run. Starts the embedded broker and two plan services on
// loopback, one serving TLS and one --plaintext (both verifying tokens with
// the test key pair of build/test-tls), and runs each case with the same
// number of concurrent callers for the same time:
//
//   a  plaintext, no credential: grpc.health.v1.Health/Check (the baseline)
//   b  plaintext, token: AccountService/WhoAmI (the token is verified)
//   c  TLS, no credential: Health/Check on a channel kept open
//   d  TLS + token: WhoAmI on a channel kept open (the normal path)
//   e  TLS + token on a new channel per call (a new TLS handshake each time)
//
//   build/bin/auth_bench [--callers=16] [--seconds=5] [--json]
//
// Callers and services share the machine, so the figures are the machine's
// throughput, not one service's. They are printed, never asserted.
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"
#include "tiendo/v1/account.grpc.pb.h"

#ifndef TIENDO_BIN_DIR
#error "TIENDO_BIN_DIR must name the directory of the built binaries"
#endif

ABSL_FLAG(int, callers, 16, "concurrent callers in every case");
ABSL_FLAG(double, seconds, 5, "how long every case runs, in seconds");
ABSL_FLAG(bool, json, false, "print the figures as JSON instead of a table");

namespace tiendo::bench {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One call of a case, safe to make from many threads at once.
using Call = std::function<grpc::Status()>;

struct Case {
  std::string id;
  std::string what;
  Call call;
};

struct Figures {
  std::string id;
  std::string what;
  int64_t calls = 0;  // answered OK
  int64_t failures = 0;
  std::string first_error;
  double per_second = 0;
  absl::Duration p50;
  absl::Duration p99;
};

// Every call waits for its connection (a new channel's handshake goes on in
// the calling thread at once) and gives up after this long.
void Prepare(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  context.set_wait_for_ready(true);
}

grpc::Status CheckHealth(Health::Stub& stub) {
  grpc::ClientContext context;
  Prepare(context);
  HealthCheckResponse response;
  return stub.Check(&context, HealthCheckRequest(), &response);
}

// `bearer`: a token to send in the call's metadata ("" when the channel's
// credentials carry it).
grpc::Status WhoAmI(v1::AccountService::Stub& stub, const std::string& bearer) {
  grpc::ClientContext context;
  Prepare(context);
  if (!bearer.empty()) context.AddMetadata("authorization", bearer);
  v1::WhoAmIResponse response;
  return stub.WhoAmI(&context, v1::WhoAmIRequest(), &response);
}

// A channel of its own: a local subchannel pool keeps gRPC from handing it
// the connection another channel to the same address already has, so every
// call pays a TCP connect and a full TLS handshake.
grpc::Status WhoAmIOnNewChannel(
    const std::string& address,
    const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  auto stub = v1::AccountService::NewStub(
      grpc::CreateCustomChannel(address, credentials, args));
  return WhoAmI(*stub, "");
}

std::vector<Case> Cases(const std::string& plain, const std::string& tls) {
  const std::string token = testing::TestToken(testing::TestAdmin());
  const std::string bearer = "Bearer " + token;
  const std::shared_ptr<grpc::ChannelCredentials> tls_only =
      testing::TestTls().Client();
  const std::shared_ptr<grpc::ChannelCredentials> tls_token =
      testing::TestCredentials(token);
  auto plain_channel =
      grpc::CreateChannel(plain, grpc::InsecureChannelCredentials());
  std::shared_ptr<Health::Stub> plain_health = Health::NewStub(plain_channel);
  std::shared_ptr<v1::AccountService::Stub> plain_accounts =
      v1::AccountService::NewStub(plain_channel);
  std::shared_ptr<Health::Stub> tls_health =
      Health::NewStub(grpc::CreateChannel(tls, tls_only));
  std::shared_ptr<v1::AccountService::Stub> tls_accounts =
      v1::AccountService::NewStub(grpc::CreateChannel(tls, tls_token));
  return {
      {"a", "plaintext, no credential (Health/Check)",
       [plain_health] { return CheckHealth(*plain_health); }},
      {"b", "plaintext, token (WhoAmI)",
       [plain_accounts, bearer] { return WhoAmI(*plain_accounts, bearer); }},
      {"c", "TLS, no credential (Health/Check)",
       [tls_health] { return CheckHealth(*tls_health); }},
      {"d", "TLS + token (WhoAmI)",
       [tls_accounts] { return WhoAmI(*tls_accounts, ""); }},
      {"e", "TLS + token, new channel per call (WhoAmI)",
       [tls, tls_token] { return WhoAmIOnNewChannel(tls, tls_token); }},
  };
}

// What the callers of one case saw.
class Tally {
 public:
  explicit Tally(int callers) : latencies_(callers) {}
  std::vector<int64_t>& LatenciesOf(int caller) { return latencies_[caller]; }
  void Fail(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    if (failures_++ == 0) {
      first_error_ = absl::StrCat(static_cast<int>(status.error_code()), ": ",
                                  status.error_message());
    }
  }
  // Fills the counts and percentiles of `figures`.
  void Summarize(absl::Duration elapsed, Figures& figures) {
    std::vector<int64_t> all;
    for (const std::vector<int64_t>& one : latencies_) {
      all.insert(all.end(), one.begin(), one.end());
    }
    std::sort(all.begin(), all.end());
    figures.calls = static_cast<int64_t>(all.size());
    figures.failures = failures_;
    figures.first_error = first_error_;
    figures.per_second =
        static_cast<double>(all.size()) / absl::ToDoubleSeconds(elapsed);
    figures.p50 = Percentile(all, 0.50);
    figures.p99 = Percentile(all, 0.99);
  }

 private:
  static absl::Duration Percentile(const std::vector<int64_t>& sorted,
                                   double q) {
    if (sorted.empty()) return absl::ZeroDuration();
    const auto at = static_cast<size_t>(q * static_cast<double>(sorted.size()));
    return absl::Nanoseconds(sorted[std::min(at, sorted.size() - 1)]);
  }

  std::vector<std::vector<int64_t>> latencies_;
  std::mutex mu_;
  int64_t failures_ = 0;
  std::string first_error_;
};

void CallUntil(const Call& call, const absl::Time& stop_at,
               std::vector<int64_t>& latencies, Tally& tally) {
  while (absl::Now() < stop_at) {
    const absl::Time before = absl::Now();
    const grpc::Status status = call();
    if (status.ok()) {
      latencies.push_back(absl::ToInt64Nanoseconds(absl::Now() - before));
    } else {
      tally.Fail(status);
    }
  }
}

// Runs `callers` threads making the case's call for `length`. Each makes one
// call first, uncounted, so a kept channel is connected before the clock
// starts; then all start together.
Figures Measure(const Case& c, int callers, absl::Duration length) {
  Tally tally(callers);
  std::latch ready(callers + 1);
  absl::Time stop_at = absl::InfiniteFuture();
  std::vector<std::thread> threads;
  threads.reserve(callers);
  for (int i = 0; i < callers; ++i) {
    threads.emplace_back([&, i] {
      c.call().IgnoreError();
      ready.arrive_and_wait();
      CallUntil(c.call, stop_at, tally.LatenciesOf(i), tally);
    });
  }
  // Set before the last arrival: every caller reads it only after.
  const absl::Time began = absl::Now();
  stop_at = began + length;
  ready.arrive_and_wait();
  for (std::thread& thread : threads) thread.join();
  Figures figures;
  figures.id = c.id;
  figures.what = c.what;
  tally.Summarize(absl::Now() - began, figures);
  return figures;
}

// A plan service on a free loopback port, with its database and log in
// `dir`, verifying and signing tokens with the test key pair.
class PlanService {
 public:
  bool Start(const std::string& dir, const std::string& name,
             const std::string& broker, bool tls) {
    address_ = absl::StrCat("127.0.0.1:", testing::PickFreePort());
    const std::string keys = TIENDO_TEST_TLS_DIR;
    std::vector<std::string> args = {
        "--listen=" + address_,
        "--kafka_brokers=" + broker,
        absl::StrCat("--db=", dir, "/", name, ".db"),
        "--metrics_port=0",
        "--token_keys=" + keys + "/token-key.pem",
        "--token_signing_key=" + keys + "/token-signing-key.pem",
        "--event_signing_key=" + keys + "/events-plan-key.pem",
        absl::StrCat("--event_keys=plan=", keys, "/events-plan.pem,progress=",
                     keys, "/events-progress.pem"),
    };
    if (tls) {
      for (std::string& flag : testing::TestTls().ServiceFlags()) {
        args.push_back(std::move(flag));
      }
    } else {
      args.emplace_back("--plaintext");
    }
    const std::string log = absl::StrCat(dir, "/", name, ".log");
    return process_.Start(absl::StrCat(TIENDO_BIN_DIR, "/tiendo-plan"), args,
                          log, log);
  }
  const std::string& address() const { return address_; }

 private:
  testing::ChildProcess process_;
  std::string address_;
};

bool WaitServing(const std::string& address,
                 const std::shared_ptr<grpc::ChannelCredentials>& credentials) {
  auto stub = Health::NewStub(grpc::CreateChannel(address, credentials));
  return testing::WaitUntil(
      [&] {
        grpc::ClientContext context;
        context.set_deadline(
            absl::ToChronoTime(absl::Now() + absl::Seconds(2)));
        context.set_wait_for_ready(true);
        HealthCheckResponse response;
        return stub->Check(&context, HealthCheckRequest(), &response).ok() &&
               response.status() == HealthCheckResponse::SERVING;
      },
      absl::Seconds(60), absl::Milliseconds(100));
}

double Milliseconds(absl::Duration d) {
  return absl::FDivDuration(d, absl::Milliseconds(1));
}

// The extra machine time a call takes over the baseline's, in microseconds
// (callers and services share the machine, so 1 / calls per second is what
// one call costs it).
double ExtraMicrosPerCall(const Figures& f, const Figures& baseline) {
  if (f.per_second <= 0 || baseline.per_second <= 0) return 0;
  return 1e6 / f.per_second - 1e6 / baseline.per_second;
}

double Ratio(const Figures& f, const Figures& baseline) {
  return baseline.per_second > 0 ? f.per_second / baseline.per_second : 0;
}

void PrintTable(const std::vector<Figures>& all, int callers, double seconds) {
  std::printf("auth_bench: %d callers, %g s per case\n\n", callers, seconds);
  std::printf("%-4s %-44s %9s %8s %8s %6s %10s\n", "case", "what", "calls/s",
              "p50 ms", "p99 ms", "vs a", "+us/call");
  for (const Figures& f : all) {
    std::printf("%-4s %-44s %9.0f %8.2f %8.2f %6.2f %10.1f\n", f.id.c_str(),
                f.what.c_str(), f.per_second, Milliseconds(f.p50),
                Milliseconds(f.p99), Ratio(f, all.front()),
                ExtraMicrosPerCall(f, all.front()));
  }
  for (const Figures& f : all) {
    if (f.failures > 0) {
      std::printf("case %s: %lld calls failed, first: %s\n", f.id.c_str(),
                  static_cast<long long>(f.failures), f.first_error.c_str());
    }
  }
}

void PrintJson(const std::vector<Figures>& all, int callers, double seconds) {
  std::printf("{\"callers\": %d, \"seconds\": %g, \"cases\": [", callers,
              seconds);
  for (size_t i = 0; i < all.size(); ++i) {
    const Figures& f = all[i];
    std::printf(
        "%s\n  {\"case\": \"%s\", \"what\": \"%s\", \"calls\": %lld, "
        "\"failures\": %lld, \"calls_per_second\": %.1f, \"p50_ms\": %.3f, "
        "\"p99_ms\": %.3f, \"ratio_to_a\": %.3f, "
        "\"extra_us_per_call\": %.1f}",
        i == 0 ? "" : ",", f.id.c_str(), f.what.c_str(),
        static_cast<long long>(f.calls), static_cast<long long>(f.failures),
        f.per_second, Milliseconds(f.p50), Milliseconds(f.p99),
        Ratio(f, all.front()), ExtraMicrosPerCall(f, all.front()));
  }
  std::printf("\n]}\n");
}

std::string MakeTempDir() {
  const char* base = getenv("TMPDIR");
  std::string pattern =
      absl::StrCat(base ? base : "/tmp", "/tiendo-auth-bench-XXXXXX");
  const char* dir = mkdtemp(pattern.data());
  return dir ? std::string(dir) : std::string();
}

std::vector<Figures> MeasureAll(const std::vector<Case>& cases, int callers,
                                double seconds) {
  std::vector<Figures> all;
  for (const Case& c : cases) {
    std::fprintf(stderr, "auth_bench: case %s, %s: %d callers for %g s...\n",
                 c.id.c_str(), c.what.c_str(), callers, seconds);
    all.push_back(Measure(c, callers, absl::Seconds(seconds)));
    std::fprintf(stderr, "auth_bench: case %s: %.0f calls/s, %lld failed\n",
                 c.id.c_str(), all.back().per_second,
                 static_cast<long long>(all.back().failures));
  }
  return all;
}

// Starts the broker and both plan services in `dir` and measures every
// case; false (with the reason on stderr) when the services do not start.
bool StartAndMeasure(const std::string& dir, int callers, double seconds) {
  testing::Broker broker(dir);
  PlanService plain;
  PlanService tls;
  std::fprintf(stderr,
               "auth_bench: starting the broker and two plan "
               "services (logs in %s)\n",
               dir.c_str());
  if (!broker.Start() ||
      !plain.Start(dir, "plan-plain", broker.address(),
                   /*tls=*/false) ||
      !tls.Start(dir, "plan-tls", broker.address(), /*tls=*/true)) {
    std::fprintf(stderr, "auth_bench: could not start the processes\n");
    return false;
  }
  if (!WaitServing(plain.address(), grpc::InsecureChannelCredentials()) ||
      !WaitServing(tls.address(), testing::TestTls().Client())) {
    std::fprintf(stderr, "auth_bench: a plan service never got SERVING\n");
    return false;
  }
  const std::vector<Figures> all =
      MeasureAll(Cases(plain.address(), tls.address()), callers, seconds);
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(all, callers, seconds);
  } else {
    PrintTable(all, callers, seconds);
  }
  return true;
}

}  // namespace
}  // namespace tiendo::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "What authentication and TLS cost per call, side by side: "
      "auth_bench [--callers=16] [--seconds=5] [--json]");
  absl::ParseCommandLine(argc, argv);
  const int callers = absl::GetFlag(FLAGS_callers);
  const double seconds = absl::GetFlag(FLAGS_seconds);
  if (callers < 1 || seconds <= 0) {
    std::fprintf(stderr, "auth_bench: --callers and --seconds must be > 0\n");
    return 2;
  }
  const std::string dir = tiendo::bench::MakeTempDir();
  if (dir.empty()) {
    std::fprintf(stderr, "auth_bench: could not make a temporary directory\n");
    return 1;
  }
  if (!tiendo::bench::StartAndMeasure(dir, callers, seconds)) {
    std::fprintf(stderr, "auth_bench: logs kept in %s\n", dir.c_str());
    return 1;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return 0;
}
