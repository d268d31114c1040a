#ifndef TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_
#define TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_

#include "services/aggregation/rollup_store.h"
#include "services/common/change_notifier.h"
#include "services/common/clock.h"
#include "tiendo/v1/aggregation.grpc.pb.h"

namespace tiendo::aggregation {

class AggregationGrpcService final : public v1::AggregationService::Service {
 public:
  AggregationGrpcService(const RollupStore& store,
                         const ChangeNotifier& changes, const Clock& clock)
      : store_(store), changes_(changes), clock_(clock) {}

  grpc::Status GetRollup(grpc::ServerContext*,
                         const v1::GetRollupRequest* request,
                         v1::Rollup* response) override;
  grpc::Status WatchRollup(grpc::ServerContext* context,
                           const v1::WatchRollupRequest* request,
                           grpc::ServerWriter<v1::Rollup>* writer) override;

 private:
  v1::Rollup Current(const std::string& unit) const;

  const RollupStore& store_;
  const ChangeNotifier& changes_;
  const Clock& clock_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_AGGREGATION_GRPC_H_
