#include "services/aggregation/aggregation_grpc.h"

#include "services/common/proto_convert.h"

namespace tiendo::aggregation {

v1::Rollup AggregationGrpcService::Current(const std::string& unit) const {
  const absl::Time now = clock_.Now();
  v1::Rollup rollup = store_.Rollup(unit, LocalDay(now));
  *rollup.mutable_computed_at() = ToProto(now);
  return rollup;
}

grpc::Status AggregationGrpcService::GetRollup(
    grpc::ServerContext*, const v1::GetRollupRequest* request,
    v1::Rollup* response) {
  if (request->unit().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unit: required");
  }
  *response = Current(request->unit());
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::WatchRollup(
    grpc::ServerContext* context, const v1::WatchRollupRequest* request,
    grpc::ServerWriter<v1::Rollup>* writer) {
  if (request->unit().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unit: required");
  }
  std::string last_sent;
  uint64_t generation = changes_.generation();
  while (!context->IsCancelled()) {
    v1::Rollup rollup = Current(request->unit());
    // Compare without the computation time: send only real changes (the
    // day rolling over can change overdue counts without any event).
    v1::Rollup comparable = rollup;
    comparable.clear_computed_at();
    std::string key = comparable.SerializeAsString();
    if (key != last_sent) {
      if (!writer->Write(rollup)) return grpc::Status::OK;
      last_sent = std::move(key);
    }
    generation = changes_.WaitForChange(generation, absl::Milliseconds(500));
  }
  return grpc::Status::OK;
}

}  // namespace tiendo::aggregation
