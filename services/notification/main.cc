// tiendo-notification: reminders into the agencies' inboxes, and out to
// their webhooks.
#include <grpcpp/grpcpp.h>

#include <map>
#include <memory>
#include <optional>

#include "absl/flags/flag.h"
#include "services/common/audit_log.h"
#include "services/common/change_notifier.h"
#include "services/common/host_resolver.h"
#include "services/common/http_client.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/revocation_feed.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"
#include "services/common/watch_streams.h"
#include "services/common/work_calendar.h"
#include "services/notification/deadline_consumer.h"
#include "services/notification/delivery_metrics.h"
#include "services/notification/delivery_worker.h"
#include "services/notification/email_delivery_sender.h"
#include "services/notification/email_sender.h"
#include "services/notification/inbox_store.h"
#include "services/notification/notification_grpc.h"
#include "services/notification/subscription_store.h"
#include "services/notification/templates.h"
#include "services/notification/webhook_sender.h"
#include "services/notification/webhook_target.h"

ABSL_FLAG(std::string, plan_address, "127.0.0.1:50051",
          "plan service, asked for the accounts' token revocations only when "
          "their event stream has a gap");
ABSL_FLAG(std::string, progress_address, "127.0.0.1:50052",
          "progress service, asked for task states only when the event "
          "stream has a gap");
ABSL_FLAG(int, delivery_backoff_base_ms, 2000,
          "wait after a delivery's first failed attempt");
ABSL_FLAG(double, delivery_backoff_factor, 2,
          "each further failure multiplies the wait by this");
ABSL_FLAG(int, delivery_backoff_cap_ms, 600000,
          "longest wait between attempts");
ABSL_FLAG(int, delivery_max_attempts, 8, "attempts before a delivery is dead");
ABSL_FLAG(int, delivery_poll_ms, 1000,
          "how often due deliveries (retries, ends of quiet hours) are looked "
          "for");
ABSL_FLAG(int, webhook_timeout_ms, 10000, "timeout of one webhook request");
ABSL_FLAG(std::string, webhook_allow_hosts, "",
          "comma-separated host names or addresses webhooks may reach although "
          "they are loopback, private or link-local, and by plain http (local "
          "receivers in tests and demos), e.g. 127.0.0.1,localhost");
ABSL_FLAG(std::string, smtp_url, "",
          "SMTP server for e-mail deliveries, e.g. smtp://127.0.0.1:25; "
          "empty: e-mail deliveries wait");
ABSL_FLAG(std::string, smtp_from, "tiendo@localhost", "sender address");
ABSL_FLAG(std::string, holidays, "",
          "more public holidays, {\"2028\": [\"2028-01-01\", ...]}, for the "
          "working days digests go out on");
ABSL_FLAG(std::string, templates_dir, "",
          "message templates (<dir>/<language>/<kind>.txt); empty: the "
          "compiled-in ones");

namespace tiendo::notification {
namespace {

// Rebuilds which tasks and occurrences are done from the progress service's
// snapshot. A task with occurrences is judged per occurrence, as its live
// reports are; only a task without them is judged as a whole.
absl::Status ResyncFromProgress(const Owner& progress, InboxStore& store,
                                Database& db) {
  absl::StatusOr<std::vector<v1::TaskState>> states = FetchTaskStates(progress);
  if (!states.ok()) return states.status();
  return db.Transaction([&]() -> absl::Status {
    for (const v1::TaskState& state : *states) {
      v1::TaskUpdated update;
      update.set_task_id(state.task_id());
      update.set_version(state.version());
      update.set_status(state.status());
      if (state.occurrences().empty()) {
        if (absl::Status s = store.ApplyTaskUpdate(update); !s.ok()) return s;
        continue;
      }
      for (const v1::OccurrenceState& occurrence : state.occurrences()) {
        update.set_occurrence_id(occurrence.occurrence().id());
        update.set_occurrence_status(occurrence.status());
        if (absl::Status s = store.ApplyTaskUpdate(update); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  });
}

// The templates of --templates_dir, checked at start: a file naming an
// unknown field stops the service with the file and line. Nothing when the
// flag is empty (the compiled-in ones are used).
absl::StatusOr<std::optional<TemplateSet>> TemplatesFromFlags() {
  const std::string dir = absl::GetFlag(FLAGS_templates_dir);
  if (dir.empty()) return std::nullopt;
  absl::StatusOr<TemplateSet> templates = TemplateSet::LoadDirectory(dir);
  if (!templates.ok()) return templates.status();
  return std::optional<TemplateSet>(*std::move(templates));
}

absl::StatusOr<DeliveryWorker::Options> DeliveryOptionsFromFlags() {
  DeliveryWorker::Options options;
  options.backoff = {
      .base = absl::Milliseconds(absl::GetFlag(FLAGS_delivery_backoff_base_ms)),
      .factor = absl::GetFlag(FLAGS_delivery_backoff_factor),
      .cap = absl::Milliseconds(absl::GetFlag(FLAGS_delivery_backoff_cap_ms)),
      .max_attempts = absl::GetFlag(FLAGS_delivery_max_attempts)};
  options.poll = absl::Milliseconds(absl::GetFlag(FLAGS_delivery_poll_ms));
  options.recorded = DeliveryCounter(Metrics::Default());
  absl::StatusOr<WorkCalendar> calendar =
      WorkCalendar::DefaultWithFile(absl::GetFlag(FLAGS_holidays));
  if (!calendar.ok()) return calendar.status();
  options.is_working_day = [calendar =
                                *std::move(calendar)](absl::CivilDay day) {
    return calendar.IsWorkingDay(day);
  };
  return options;
}

// The channels deliveries go out by: webhooks always (to the targets
// --webhook_allow_hosts lets through), e-mail when --smtp_url names a
// server; without one, e-mail deliveries stay pending, saying why.
class DeliveryChannels {
 public:
  DeliveryChannels(const Clock& clock, const TemplateSet& templates)
      : webhook_policy_(
            AddressPolicy::FromList(absl::GetFlag(FLAGS_webhook_allow_hosts))),
        http_(&webhook_policy_),
        webhook_(http_, clock,
                 absl::Milliseconds(absl::GetFlag(FLAGS_webhook_timeout_ms))) {
    if (const std::string smtp = absl::GetFlag(FLAGS_smtp_url); !smtp.empty()) {
      email_ = std::make_unique<EmailSender>(
          smtp, absl::GetFlag(FLAGS_smtp_from), &clock);
      email_deliveries_ =
          std::make_unique<EmailDeliverySender>(*email_, templates);
    }
  }

  const AddressPolicy& webhook_policy() const { return webhook_policy_; }
  std::map<v1::Channel, DeliverySender*> senders() {
    std::map<v1::Channel, DeliverySender*> senders = {
        {v1::CHANNEL_WEBHOOK, &webhook_}};
    if (email_deliveries_) senders[v1::CHANNEL_EMAIL] = email_deliveries_.get();
    return senders;
  }

 private:
  const AddressPolicy webhook_policy_;
  CurlHttpClient http_;
  WebhookSender webhook_;
  std::unique_ptr<EmailSender> email_;
  std::unique_ptr<EmailDeliverySender> email_deliveries_;
};

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceEnvironment env = InitService(argc, argv, "notification", 50053);

  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(env.db_path);
  if (!db.ok()) return Fail(db.status());
  SubscriptionStore subscriptions(**db);
  if (absl::Status s = subscriptions.Init(); !s.ok()) return Fail(s);
  absl::StatusOr<std::optional<TemplateSet>> loaded_templates =
      TemplatesFromFlags();
  if (!loaded_templates.ok()) return Fail(loaded_templates.status());
  const TemplateSet& templates = loaded_templates->has_value()
                                     ? **loaded_templates
                                     : TemplateSet::Default();
  InboxStore store(**db, &subscriptions, &templates);
  if (absl::Status s = store.Init(); !s.ok()) return Fail(s);

  ChangeNotifier changes;
  const Owner progress{absl::GetFlag(FLAGS_progress_address),
                       env.peer_credentials};
  Resyncer resyncer("task states from progress",
                    [&] { return ResyncFromProgress(progress, store, **db); });
  DeadlineConsumer handler(store, changes, resyncer);
  const Owner plan{absl::GetFlag(FLAGS_plan_address), env.peer_credentials};
  RevocationFeed feed(handler, **db, env.authenticator->revocations(), plan);
  if (absl::Status s = feed.Load(); !s.ok()) return Fail(s);
  KafkaEventConsumer consumer(
      {.brokers = env.brokers,
       .group_id = "tiendo-notification",
       .topics = {kDeadlineApproachingTopic, kTaskUpdatedTopic,
                  kAccountChangedTopic},
       .session_timeout_ms = env.session_timeout_ms,
       .verifier = env.event_verifier.get(),
       .signer = env.event_signer.get()},
      **db, feed);

  DeliveryChannels channels(*env.clock, templates);
  SystemHostResolver resolver;
  const WebhookTargetCheck webhook_targets(channels.webhook_policy(), resolver);
  absl::StatusOr<DeliveryWorker::Options> delivery_options =
      DeliveryOptionsFromFlags();
  if (!delivery_options.ok()) return Fail(delivery_options.status());
  DeliveryWorker deliveries(subscriptions, *env.clock, changes,
                            channels.senders(), *std::move(delivery_options));

  absl::StatusOr<WatchStreamLimits> watch_limits = WatchStreamLimitsFromFlags();
  if (!watch_limits.ok()) return Fail(watch_limits.status());
  NotificationGrpcService notification_service(
      store, subscriptions, changes, webhook_targets, *env.authenticator,
      *watch_limits);
  // The audit trail, after the store's own schema is in place.
  AuditLog audit(**db, "notification");
  if (absl::Status s = audit.Init(); !s.ok()) return Fail(s);
  audit.Start();
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::StartService(env, {&notification_service}, audit);
  if (!server.ok()) return Fail(server.status());

  resyncer.Start();
  feed.Start();
  if (absl::Status s = consumer.Start(); !s.ok()) return Fail(s);
  deliveries.Start();
  (*server)->ServeWhen([&consumer] { return consumer.Ready(); });
  LogInfo("listening on %s (db %s, kafka %s)", env.listen, env.db_path,
          env.brokers);

  WaitForShutdownSignal();
  (*server)->Shutdown();
  consumer.Stop();
  deliveries.Stop();
  feed.Stop();
  resyncer.Stop();
  return 0;
}

}  // namespace
}  // namespace tiendo::notification

int main(int argc, char** argv) {
  return tiendo::notification::Main(argc, argv);
}
