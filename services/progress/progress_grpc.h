#ifndef TIENDO_SERVICES_PROGRESS_PROGRESS_GRPC_H_
#define TIENDO_SERVICES_PROGRESS_PROGRESS_GRPC_H_

#include "services/common/authenticator.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/progress/progress_store.h"
#include "services/progress/read_scope.h"
#include "tiendo/v1/progress.grpc.pb.h"

namespace tiendo::progress {

// gRPC edge of the progress service.
class ProgressGrpcService final : public v1::ProgressService::Service {
 public:
  ProgressGrpcService(ProgressStore& store, OutboxPublisher& publisher,
                      const Clock& clock, const Authenticator& auth,
                      const ReadScope& scope)
      : store_(store),
        publisher_(publisher),
        clock_(clock),
        auth_(auth),
        scope_(scope) {}

  grpc::Status ReportProgress(grpc::ServerContext* context,
                              const v1::ReportProgressRequest* request,
                              v1::ReportProgressResponse* response) override;
  grpc::Status GetTaskState(grpc::ServerContext* context,
                            const v1::GetTaskStateRequest* request,
                            v1::GetTaskStateResponse* response) override;
  grpc::Status ListReports(grpc::ServerContext* context,
                           const v1::ListReportsRequest* request,
                           v1::ListReportsResponse* response) override;
  grpc::Status ListTaskStates(grpc::ServerContext* context,
                              const v1::ListTaskStatesRequest* request,
                              v1::ListTaskStatesResponse* response) override;
  grpc::Status ReportMeasurements(
      grpc::ServerContext* context,
      const v1::ReportMeasurementsRequest* request,
      v1::ReportMeasurementsResponse* response) override;
  grpc::Status ListMeasurements(
      grpc::ServerContext* context, const v1::ListMeasurementsRequest* request,
      v1::ListMeasurementsResponse* response) override;

 private:
  ProgressStore& store_;
  OutboxPublisher& publisher_;
  const Clock& clock_;
  const Authenticator& auth_;
  const ReadScope& scope_;
};

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_PROGRESS_GRPC_H_
