// tiendo-notification: reminders into the agencies' inboxes.
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "services/common/change_notifier.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"
#include "services/notification/deadline_consumer.h"
#include "services/notification/inbox_store.h"
#include "services/notification/notification_grpc.h"

ABSL_FLAG(std::string, progress_address, "127.0.0.1:50052",
          "progress service, asked for task states only when the event "
          "stream has a gap");

namespace tiendo::notification {
namespace {

// Rebuilds which tasks and occurrences are done from the progress service's
// snapshot. A task with occurrences is judged per occurrence, as its live
// reports are; only a task without them is judged as a whole.
absl::Status ResyncFromProgress(const std::string& address, InboxStore& store,
                                Database& db) {
  absl::StatusOr<std::vector<v1::TaskState>> states = FetchTaskStates(address);
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

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceEnvironment env = InitService(argc, argv, "notification", 50053);

  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(env.db_path);
  if (!db.ok()) return Fail(db.status());
  InboxStore store(**db);
  if (absl::Status s = store.Init(); !s.ok()) return Fail(s);

  ChangeNotifier changes;
  const std::string progress_address = absl::GetFlag(FLAGS_progress_address);
  Resyncer resyncer("task states from progress", [&] {
    return ResyncFromProgress(progress_address, store, **db);
  });
  DeadlineConsumer handler(store, changes, resyncer);
  KafkaEventConsumer consumer(
      {.brokers = env.brokers,
       .group_id = "tiendo-notification",
       .topics = {kDeadlineApproachingTopic, kTaskUpdatedTopic},
       .session_timeout_ms = env.session_timeout_ms},
      **db, handler);

  NotificationGrpcService notification_service(store, changes);
  std::unique_ptr<ClockAdminService> clock_admin;
  std::vector<grpc::Service*> services = {&notification_service};
  if (env.simulated) {
    clock_admin = std::make_unique<ClockAdminService>(*env.simulated, nullptr);
    services.push_back(clock_admin.get());
  }
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(env.listen, services);
  if (!server.ok()) return Fail(server.status());

  resyncer.Start();
  if (absl::Status s = consumer.Start(); !s.ok()) return Fail(s);
  (*server)->ServeWhen([&consumer] { return consumer.Ready(); });
  LogInfo("listening on %s (db %s, kafka %s)", env.listen, env.db_path,
          env.brokers);

  WaitForShutdownSignal();
  (*server)->Shutdown();
  consumer.Stop();
  resyncer.Stop();
  return 0;
}

}  // namespace
}  // namespace tiendo::notification

int main(int argc, char** argv) {
  return tiendo::notification::Main(argc, argv);
}
