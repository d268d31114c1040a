#ifndef TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_GRPC_H_
#define TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_GRPC_H_

#include "services/common/change_notifier.h"
#include "services/notification/inbox_store.h"
#include "tiendo/v1/notification.grpc.pb.h"

namespace tiendo::notification {

class NotificationGrpcService final : public v1::NotificationService::Service {
 public:
  NotificationGrpcService(InboxStore& store, const ChangeNotifier& changes)
      : store_(store), changes_(changes) {}

  grpc::Status ListNotifications(
      grpc::ServerContext*, const v1::ListNotificationsRequest* request,
      v1::ListNotificationsResponse* response) override;
  grpc::Status WatchNotifications(
      grpc::ServerContext* context,
      const v1::WatchNotificationsRequest* request,
      grpc::ServerWriter<v1::Notification>* writer) override;

 private:
  InboxStore& store_;
  const ChangeNotifier& changes_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_GRPC_H_
