#ifndef TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_
#define TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_

#include "services/aggregation/aggregation_store.h"
#include "services/aggregation/rebuilder.h"
#include "services/common/authenticator.h"
#include "services/common/change_notifier.h"
#include "services/common/clock.h"
#include "tiendo/v1/aggregation.grpc.pb.h"

namespace tiendo::aggregation {

// The aggregation API: each call checks its request and asks the store for
// a view at now or at the instant asked for.
class AggregationGrpcService final : public v1::AggregationService::Service {
 public:
  AggregationGrpcService(const AggregationStore& store, Rebuilder& rebuilder,
                         const ChangeNotifier& changes, const Clock& clock,
                         v1::RankingWeights weights, const Authenticator& auth)
      : store_(store),
        rebuilder_(rebuilder),
        changes_(changes),
        clock_(clock),
        weights_(std::move(weights)),
        auth_(auth) {}

  grpc::Status GetRollup(grpc::ServerContext* context,
                         const v1::GetRollupRequest* request,
                         v1::GetRollupResponse* response) override;
  grpc::Status WatchRollup(
      grpc::ServerContext* context, const v1::WatchRollupRequest* request,
      grpc::ServerWriter<v1::WatchRollupResponse>* writer) override;
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
  absl::Status RequireViewerOf(const grpc::ServerContext& context,
                               const std::string& unit) const;
  // The instant a query is for: `at` when set (not in the future), else
  // now; an unknown unit is NOT_FOUND.
  grpc::Status Check(const std::string& unit,
                     const google::protobuf::Timestamp* at,
                     absl::Time& when) const;

  const AggregationStore& store_;
  Rebuilder& rebuilder_;
  const ChangeNotifier& changes_;
  const Clock& clock_;
  const v1::RankingWeights weights_;
  const Authenticator& auth_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_
