#ifndef TIENDO_SERVICES_COMMON_RPC_METRICS_H_
#define TIENDO_SERVICES_COMMON_RPC_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "services/common/metrics.h"

namespace tiendo {

inline constexpr char kRpcHandledMetric[] = "tiendo_grpc_server_handled_total";
inline constexpr char kRpcSecondsMetric[] =
    "tiendo_grpc_server_handling_seconds";

// Counts every RPC a server finishes by service, method and status code, and
// observes how long it took (a stream: how long it stayed open), so the
// handlers need not know about metrics.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewRpcMetricsInterceptorFactory(Metrics& metrics);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_RPC_METRICS_H_
