#ifndef TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_GRPC_H_
#define TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_GRPC_H_

#include "services/common/authenticator.h"
#include "services/common/change_notifier.h"
#include "services/common/watch_streams.h"
#include "services/notification/inbox_store.h"
#include "services/notification/subscription_store.h"
#include "services/notification/webhook_target.h"
#include "tiendo/v1/notification.grpc.pb.h"

namespace tiendo::notification {

// The inboxes and subscriptions API. WatchNotifications streams on gRPC's
// callback API (an open stream holds no thread, see watch_streams.h); every
// other method is synchronous.
class NotificationGrpcService final
    : public v1::NotificationService::WithCallbackMethod_WatchNotifications<
          v1::NotificationService::Service> {
 public:
  NotificationGrpcService(InboxStore& store, SubscriptionStore& subscriptions,
                          const ChangeNotifier& changes,
                          const WebhookTargetCheck& webhook_targets,
                          const Authenticator& auth,
                          WatchStreamLimits watch_limits = {})
      : store_(store),
        subscriptions_(subscriptions),
        webhook_targets_(webhook_targets),
        auth_(auth),
        watches_(watch_limits, changes) {
    watches_.Start();
  }

  grpc::Status ListNotifications(
      grpc::ServerContext* context, const v1::ListNotificationsRequest* request,
      v1::ListNotificationsResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchNotificationsResponse>* WatchNotifications(
      grpc::CallbackServerContext* context,
      const v1::WatchNotificationsRequest* request) override;
  grpc::Status MarkRead(grpc::ServerContext* context,
                        const v1::MarkReadRequest* request,
                        v1::MarkReadResponse* response) override;
  grpc::Status SetSubscription(grpc::ServerContext* context,
                               const v1::SetSubscriptionRequest* request,
                               v1::SetSubscriptionResponse* response) override;
  grpc::Status ListSubscriptions(
      grpc::ServerContext* context, const v1::ListSubscriptionsRequest* request,
      v1::ListSubscriptionsResponse* response) override;
  grpc::Status DeleteSubscription(
      grpc::ServerContext* context,
      const v1::DeleteSubscriptionRequest* request,
      v1::DeleteSubscriptionResponse* response) override;
  grpc::Status ListDeliveries(grpc::ServerContext* context,
                              const v1::ListDeliveriesRequest* request,
                              v1::ListDeliveriesResponse* response) override;

 private:
  InboxStore& store_;
  SubscriptionStore& subscriptions_;
  const WebhookTargetCheck& webhook_targets_;
  const Authenticator& auth_;
  // Last: its thread stops before the members its streams read go.
  WatchStreams watches_;
};

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_NOTIFICATION_GRPC_H_
