#include "services/notification/notification_grpc.h"

#include <deque>

#include "services/common/access.h"
#include "services/common/paging.h"
#include "services/common/service_runtime.h"
#include "services/notification/delivery_policy.h"

namespace tiendo::notification {

grpc::Status NotificationGrpcService::ListNotifications(
    grpc::ServerContext* context, const v1::ListNotificationsRequest* request,
    v1::ListNotificationsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = RequireAgency(*caller, request->agency(), "agency");
      !s.ok()) {
    return ToGrpc(s);
  }
  if (request->agency().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required");
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<int64_t> after = AfterNumber(*page);
  if (!after.ok()) return ToGrpc(after.status());
  absl::StatusOr<std::vector<v1::Notification>> list = store_.List(
      request->agency(), *after, *page, response->mutable_next_page_token());
  if (!list.ok()) return ToGrpc(list.status());
  for (v1::Notification& n : *list)
    *response->add_notifications() = std::move(n);
  return grpc::Status::OK;
}

namespace {

// An agency's inbox as a stream: every entry after the last one sent, in
// order of id.
class InboxWatch final : public WatchReactor<v1::WatchNotificationsResponse> {
 public:
  InboxWatch(InboxStore& store, std::string agency, int64_t after_id)
      : store_(store), agency_(std::move(agency)), last_id_(after_id) {}

 private:
  absl::StatusOr<std::optional<v1::WatchNotificationsResponse>> Next()
      override {
    if (queued_.empty()) {
      absl::StatusOr<std::vector<v1::Notification>> fresh =
          store_.List(agency_, last_id_);
      if (!fresh.ok()) return fresh.status();
      for (v1::Notification& n : *fresh) queued_.push_back(std::move(n));
      if (!queued_.empty()) last_id_ = queued_.back().id();
    }
    if (queued_.empty()) return std::nullopt;
    v1::WatchNotificationsResponse message;
    *message.mutable_notification() = std::move(queued_.front());
    queued_.pop_front();
    return message;
  }
  bool MoreReady() const override { return !queued_.empty(); }

  InboxStore& store_;
  const std::string agency_;
  int64_t last_id_;                      // the last entry read from the store
  std::deque<v1::Notification> queued_;  // read, not yet sent
};

}  // namespace

grpc::ServerWriteReactor<v1::WatchNotificationsResponse>*
NotificationGrpcService::WatchNotifications(
    grpc::CallbackServerContext* context,
    const v1::WatchNotificationsRequest* request) {
  using Refused = RefusedWriteReactor<v1::WatchNotificationsResponse>;
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return new Refused(ToGrpc(caller.status()));
  if (absl::Status s = RequireAgency(*caller, request->agency(), "agency");
      !s.ok()) {
    return new Refused(ToGrpc(s));
  }
  if (request->agency().empty()) {
    return new Refused(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required"));
  }
  auto* watch = new InboxWatch(store_, request->agency(), request->after_id());
  watch->Open(watches_, WatchAccount(*caller));
  return watch;
}

grpc::Status NotificationGrpcService::MarkRead(
    grpc::ServerContext* context, const v1::MarkReadRequest* request,
    v1::MarkReadResponse* response) {
  absl::StatusOr<Credential> caller = auth_.AuthenticateWrite(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = RequireAgency(*caller, request->agency(), "agency");
      !s.ok()) {
    return ToGrpc(s);
  }
  if (request->agency().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required");
  }
  if (request->ids().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "ids: required");
  }
  absl::StatusOr<int> marked = store_.MarkRead(
      request->agency(), {request->ids().begin(), request->ids().end()});
  if (!marked.ok()) return ToGrpc(marked.status());
  response->set_marked(*marked);
  return grpc::Status::OK;
}

namespace {

// The webhook URL's target, judged after the subscription's shape so a
// malformed one is told what is malformed first.
absl::Status CheckTarget(const v1::Subscription& subscription,
                         const WebhookTargetCheck& webhook_targets) {
  if (subscription.channel() != v1::CHANNEL_WEBHOOK) return absl::OkStatus();
  if (absl::Status s = ValidateSubscription(subscription); !s.ok()) return s;
  return webhook_targets.Check(subscription.address());
}

}  // namespace

grpc::Status NotificationGrpcService::SetSubscription(
    grpc::ServerContext* context, const v1::SetSubscriptionRequest* request,
    v1::SetSubscriptionResponse* response) {
  absl::StatusOr<Credential> caller = auth_.AuthenticateWrite(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = RequireAgency(*caller, request->subscription().agency(),
                                     "subscription.agency");
      !s.ok()) {
    return ToGrpc(s);
  }
  if (absl::Status s = CheckTarget(request->subscription(), webhook_targets_);
      !s.ok()) {
    return ToGrpc(s);
  }
  absl::StatusOr<v1::Subscription> stored =
      subscriptions_.Set(request->subscription());
  if (!stored.ok()) return ToGrpc(stored.status());
  *response->mutable_subscription() = *std::move(stored);
  return grpc::Status::OK;
}

grpc::Status NotificationGrpcService::ListSubscriptions(
    grpc::ServerContext* context, const v1::ListSubscriptionsRequest* request,
    v1::ListSubscriptionsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = RequireAgency(*caller, request->agency(), "agency");
      !s.ok()) {
    return ToGrpc(s);
  }
  if (request->agency().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required");
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::Subscription>> list = subscriptions_.List(
      request->agency(), *page, response->mutable_next_page_token());
  if (!list.ok()) return ToGrpc(list.status());
  for (v1::Subscription& s : *list) {
    // The secret is write-only: whoever lists subscriptions need not be
    // able to forge signatures.
    if (!s.secret().empty()) s.set_secret("***");
    *response->add_subscriptions() = std::move(s);
  }
  return grpc::Status::OK;
}

grpc::Status NotificationGrpcService::DeleteSubscription(
    grpc::ServerContext* context, const v1::DeleteSubscriptionRequest* request,
    v1::DeleteSubscriptionResponse*) {
  absl::StatusOr<Credential> caller = auth_.AuthenticateWrite(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = RequireAgency(*caller, request->agency(), "agency");
      !s.ok()) {
    return ToGrpc(s);
  }
  if (request->agency().empty() || request->id().empty()) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        request->agency().empty() ? "agency: required" : "id: required");
  }
  return ToGrpc(subscriptions_.Delete(request->agency(), request->id()));
}

grpc::Status NotificationGrpcService::ListDeliveries(
    grpc::ServerContext* context, const v1::ListDeliveriesRequest* request,
    v1::ListDeliveriesResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = RequireAgency(*caller, request->agency(), "agency");
      !s.ok()) {
    return ToGrpc(s);
  }
  if (request->agency().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "agency: required");
  }
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  absl::StatusOr<std::vector<v1::Delivery>> list =
      subscriptions_.ListDeliveries(request->agency(), request->state(), *page,
                                    response->mutable_next_page_token());
  if (!list.ok()) return ToGrpc(list.status());
  for (v1::Delivery& d : *list) *response->add_deliveries() = std::move(d);
  return grpc::Status::OK;
}

}  // namespace tiendo::notification
