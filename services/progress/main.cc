// tiendo-progress: execution state of tasks, reported by their agencies.
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "services/common/audit_log.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"
#include "services/progress/progress_grpc.h"
#include "services/progress/progress_store.h"
#include "services/progress/task_definition_consumer.h"

ABSL_FLAG(std::string, plan_address, "127.0.0.1:50051",
          "plan service, asked for task definitions only when the event "
          "stream has a gap");

namespace tiendo::progress {
namespace {

// Rebuilds the task replica from the plan service's snapshot.
absl::Status ResyncFromPlan(const Owner& plan, ProgressStore& store,
                            Database& db) {
  absl::StatusOr<std::vector<v1::Task>> tasks = FetchTasks(plan);
  if (!tasks.ok()) return tasks.status();
  return db.Transaction([&]() -> absl::Status {
    for (const v1::Task& task : *tasks) {
      if (absl::Status s = store.UpsertTask(task); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceEnvironment env = InitService(argc, argv, "progress", 50052);

  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(env.db_path);
  if (!db.ok()) return Fail(db.status());
  Outbox outbox(**db, "progress", *env.clock);
  ProgressStore store(**db, outbox);
  // The schema first: migrations create the outbox too.
  if (absl::Status s = store.Init(); !s.ok()) return Fail(s);
  if (absl::Status s = outbox.Init(); !s.ok()) return Fail(s);

  absl::StatusOr<std::unique_ptr<KafkaEventSink>> sink = KafkaEventSink::Create(
      env.brokers, "tiendo-progress", env.event_signer.get());
  if (!sink.ok()) return Fail(sink.status());
  OutboxPublisher publisher(outbox, **sink);

  const Owner plan{absl::GetFlag(FLAGS_plan_address), env.peer_credentials};
  Resyncer resyncer("task definitions from plan",
                    [&] { return ResyncFromPlan(plan, store, **db); });
  TaskDefinitionConsumer handler(store, resyncer);
  KafkaEventConsumer consumer({.brokers = env.brokers,
                               .group_id = "tiendo-progress",
                               .topics = {kPlanChangedTopic},
                               .session_timeout_ms = env.session_timeout_ms,
                               .verifier = env.event_verifier.get(),
                               .signer = env.event_signer.get()},
                              **db, handler);

  ProgressGrpcService progress_service(store, publisher, *env.clock,
                                       *env.authenticator);
  // The audit trail, after the store's own schema is in place.
  AuditLog audit(**db, "progress");
  if (absl::Status s = audit.Init(); !s.ok()) return Fail(s);
  audit.Start();
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::StartService(env, {&progress_service}, audit);
  if (!server.ok()) return Fail(server.status());

  publisher.Start();
  resyncer.Start();
  if (absl::Status s = consumer.Start(); !s.ok()) return Fail(s);
  (*server)->ServeWhen([&] {
    return consumer.Ready() && publisher.StuckFor() < env.outbox_stuck_after;
  });
  LogInfo("listening on %s (db %s, kafka %s)", env.listen, env.db_path,
          env.brokers);

  WaitForShutdownSignal();
  (*server)->Shutdown();
  consumer.Stop();
  resyncer.Stop();
  publisher.Stop();
  return 0;
}

}  // namespace
}  // namespace tiendo::progress

int main(int argc, char** argv) { return tiendo::progress::Main(argc, argv); }
