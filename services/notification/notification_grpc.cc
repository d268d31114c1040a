#include "services/notification/notification_grpc.h"

#include "services/common/service_runtime.h"

namespace tiendo::notification {

grpc::Status NotificationGrpcService::ListNotifications(
    grpc::ServerContext*, const v1::ListNotificationsRequest* request,
    v1::ListNotificationsResponse* response) {
  if (request->agency().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required");
  }
  absl::StatusOr<std::vector<v1::Notification>> list =
      store_.List(request->agency(), 0);
  if (!list.ok()) return ToGrpc(list.status());
  for (v1::Notification& n : *list)
    *response->add_notifications() = std::move(n);
  return grpc::Status::OK;
}

grpc::Status NotificationGrpcService::WatchNotifications(
    grpc::ServerContext* context, const v1::WatchNotificationsRequest* request,
    grpc::ServerWriter<v1::Notification>* writer) {
  if (request->agency().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required");
  }
  int64_t last_id = request->after_id();
  uint64_t generation = changes_.generation();
  while (!context->IsCancelled()) {
    absl::StatusOr<std::vector<v1::Notification>> fresh =
        store_.List(request->agency(), last_id);
    if (!fresh.ok()) return ToGrpc(fresh.status());
    for (const v1::Notification& n : *fresh) {
      if (!writer->Write(n)) return grpc::Status::OK;  // client went away
      last_id = n.id();
    }
    generation = changes_.WaitForChange(generation, absl::Milliseconds(500));
  }
  return grpc::Status::OK;
}

}  // namespace tiendo::notification
