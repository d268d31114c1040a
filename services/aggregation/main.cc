// tiendo-aggregation: roll-ups of task execution from the event stream.
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "services/aggregation/aggregation_grpc.h"
#include "services/aggregation/event_consumer.h"
#include "services/aggregation/rollup_store.h"
#include "services/common/change_notifier.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"

ABSL_FLAG(std::string, plan_address, "127.0.0.1:50051",
          "plan service, for its task snapshot after a gap in the stream");
ABSL_FLAG(std::string, progress_address, "127.0.0.1:50052",
          "progress service, for its state snapshot after a gap in the "
          "stream");

namespace tiendo::aggregation {
namespace {

// Rebuilds the roll-up state from the plan and progress snapshots.
absl::Status ResyncFromOwners(const std::string& plan_address,
                              const std::string& progress_address,
                              RollupStore& store) {
  absl::StatusOr<std::vector<v1::Task>> tasks = FetchTasks(plan_address);
  if (!tasks.ok()) return tasks.status();
  absl::StatusOr<std::vector<v1::TaskState>> states =
      FetchTaskStates(progress_address);
  if (!states.ok()) return states.status();
  std::vector<v1::TaskUpdated> updates;
  for (const v1::TaskState& state : *states) {
    if (state.version() == 0) continue;  // nobody reported yet
    v1::TaskUpdated& u = updates.emplace_back();
    u.set_task_id(state.task_id());
    u.set_unit(state.unit());
    u.set_version(state.version());
    u.set_status(state.status());
    u.set_percent(state.percent());
    if (state.has_completed_on()) {
      *u.mutable_completed_on() = state.completed_on();
    }
    u.set_completed_late(state.completed_late());
    *u.mutable_lead_agencies() = state.lead_agencies();
  }
  return store.Restore(*tasks, updates);
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceEnvironment env = InitService(argc, argv, "aggregation", 50054);

  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(env.db_path);
  if (!db.ok()) return Fail(db.status());
  RollupStore store(**db);
  if (absl::Status s = store.Init(); !s.ok()) return Fail(s);

  ChangeNotifier changes;
  const std::string plan_address = absl::GetFlag(FLAGS_plan_address);
  const std::string progress_address = absl::GetFlag(FLAGS_progress_address);
  Resyncer resyncer("roll-up state from plan and progress", [&] {
    absl::Status s = ResyncFromOwners(plan_address, progress_address, store);
    if (s.ok()) changes.Notify();
    return s;
  });
  RollupEventConsumer handler(store, changes, resyncer);
  KafkaEventConsumer consumer({.brokers = env.brokers,
                               .group_id = "tiendo-aggregation",
                               .topics = {kPlanChangedTopic, kTaskUpdatedTopic},
                               .session_timeout_ms = env.session_timeout_ms},
                              **db, handler);

  AggregationGrpcService aggregation_service(store, changes, *env.clock);
  std::unique_ptr<ClockAdminService> clock_admin;
  std::vector<grpc::Service*> services = {&aggregation_service};
  if (env.simulated) {
    // A new day can make tasks overdue: wake the roll-up watchers.
    clock_admin = std::make_unique<ClockAdminService>(
        *env.simulated, [&changes] { changes.Notify(); });
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
}  // namespace tiendo::aggregation

int main(int argc, char** argv) {
  return tiendo::aggregation::Main(argc, argv);
}
