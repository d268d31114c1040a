#ifndef TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_
#define TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_

#include "services/aggregation/aggregation_store.h"
#include "services/aggregation/rebuilder.h"
#include "services/common/authenticator.h"
#include "services/common/change_notifier.h"
#include "services/common/clock.h"
#include "services/common/credential.h"
#include "services/common/watch_streams.h"
#include "tiendo/v1/aggregation.grpc.pb.h"

namespace tiendo::aggregation {

// The aggregation API: each call checks its request and asks the store for
// a view at now or at the instant asked for. WatchRollup streams on gRPC's
// callback API (an open stream holds no thread, see watch_streams.h); every
// other method is synchronous.
class AggregationGrpcService final
    : public v1::AggregationService::WithCallbackMethod_WatchRollup<
          v1::AggregationService::Service> {
 public:
  AggregationGrpcService(const AggregationStore& store, Rebuilder& rebuilder,
                         const ChangeNotifier& changes, const Clock& clock,
                         v1::RankingWeights weights, const Authenticator& auth,
                         WatchStreamLimits watch_limits = {})
      : store_(store),
        rebuilder_(rebuilder),
        clock_(clock),
        weights_(std::move(weights)),
        auth_(auth),
        watches_(watch_limits, changes) {
    watches_.Start();
  }

  grpc::Status GetRollup(grpc::ServerContext* context,
                         const v1::GetRollupRequest* request,
                         v1::GetRollupResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchRollupResponse>* WatchRollup(
      grpc::CallbackServerContext* context,
      const v1::WatchRollupRequest* request) override;
  grpc::Status GetKpis(grpc::ServerContext* context,
                       const v1::GetKpisRequest* request,
                       v1::GetKpisResponse* response) override;
  grpc::Status GetReportingRates(
      grpc::ServerContext* context, const v1::GetReportingRatesRequest* request,
      v1::GetReportingRatesResponse* response) override;
  grpc::Status GetRanking(grpc::ServerContext* context,
                          const v1::GetRankingRequest* request,
                          v1::GetRankingResponse* response) override;
  grpc::Status GetMonthlyReport(
      grpc::ServerContext* context, const v1::GetMonthlyReportRequest* request,
      v1::GetMonthlyReportResponse* response) override;
  grpc::Status ListUnits(
      grpc::ServerContext* context,
      const v1::AggregationServiceListUnitsRequest* request,
      v1::AggregationServiceListUnitsResponse* response) override;
  grpc::Status Rebuild(
      grpc::ServerContext* context, const v1::RebuildRequest* request,
      grpc::ServerWriter<v1::RebuildResponse>* writer) override;

 private:
  // The caller views: a viewer (or standing body, planner, admin) of `unit`
  // or a unit above it.
  absl::StatusOr<Credential> ViewerOf(const grpc::ServerContextBase& context,
                                      const std::string& unit) const;
  absl::Status RequireViewerOf(const grpc::ServerContextBase& context,
                               const std::string& unit) const {
    return ViewerOf(context, unit).status();
  }
  // The instant a query is for: `at` when set (not in the future), else
  // now; an unknown unit is NOT_FOUND.
  grpc::Status Check(const std::string& unit,
                     const google::protobuf::Timestamp* at,
                     absl::Time& when) const;

  const AggregationStore& store_;
  Rebuilder& rebuilder_;
  const Clock& clock_;
  const v1::RankingWeights weights_;
  const Authenticator& auth_;
  // Last: its thread stops before the members its streams read go.
  WatchStreams watches_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_
