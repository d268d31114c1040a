#include "services/common/rpc_metrics.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

namespace tiendo {
namespace {

// The canonical names, as grpc_code labels elsewhere spell them. gRPC's
// codes are absl's, number for number.
std::string CodeName(grpc::StatusCode code) {
  std::string name =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

// "/tiendo.v1.PlanService/ImportPlan" -> service and method labels.
MetricLabels MethodLabels(absl::string_view full_method) {
  absl::string_view path = absl::StripPrefix(full_method, "/");
  const size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) {
    return {{"grpc_service", "unknown"}, {"grpc_method", std::string(path)}};
  }
  return {{"grpc_service", std::string(path.substr(0, slash))},
          {"grpc_method", std::string(path.substr(slash + 1))}};
}

class RpcMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  RpcMetricsInterceptor(Metrics& metrics, MetricLabels labels)
      : metrics_(metrics), labels_(std::move(labels)), start_(absl::Now()) {}

  // A call that ended without sending a status was cancelled by the client
  // or its deadline.
  ~RpcMetricsInterceptor() override {
    if (!recorded_) Record(grpc::StatusCode::CANCELLED);
  }

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Record(grpc::StatusCode code) {
    recorded_ = true;
    MetricLabels with_code = labels_;
    with_code["grpc_code"] = CodeName(code);
    metrics_
        .Counter(kRpcHandledMetric,
                 "RPCs finished by the server, by service, method and status "
                 "code.",
                 with_code)
        .Increment();
    metrics_
        .Histogram(kRpcSecondsMetric,
                   "Time from receiving an RPC to sending its status, in "
                   "seconds (streams: how long they stayed open).",
                   labels_, LatencyBuckets())
        .Observe(absl::ToDoubleSeconds(absl::Now() - start_));
  }

  Metrics& metrics_;
  const MetricLabels labels_;
  const absl::Time start_;
  bool recorded_ = false;
};

class RpcMetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcMetricsInterceptorFactory(Metrics& metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    const char* method = info->method();
    return new RpcMetricsInterceptor(
        metrics_, MethodLabels(method != nullptr ? method : "unknown"));
  }

 private:
  Metrics& metrics_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRpcMetricsInterceptorFactory(Metrics& metrics) {
  return std::make_unique<RpcMetricsInterceptorFactory>(metrics);
}

}  // namespace tiendo
