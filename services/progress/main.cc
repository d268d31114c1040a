// tiendo-progress: execution state of tasks, reported by their agencies.
#include <grpcpp/grpcpp.h>

#include "absl/flags/flag.h"
#include "services/common/audit_log.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/revocation_feed.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"
#include "services/progress/progress_grpc.h"
#include "services/progress/progress_store.h"
#include "services/progress/task_definition_consumer.h"
#include "services/progress/unit_parents.h"

ABSL_FLAG(std::string, plan_address, "127.0.0.1:50051",
          "plan service, asked for task definitions only when the event "
          "stream has a gap");

namespace tiendo::progress {
namespace {

// Rebuilds the task replica from the plan service's snapshot.
absl::Status ResyncFromPlan(const Owner& plan, ProgressStore& store,
                            UnitParents& parents, Database& db) {
  absl::StatusOr<std::vector<v1::UnitRef>> units = FetchUnits(plan);
  if (!units.ok()) return units.status();
  absl::StatusOr<std::vector<v1::Task>> tasks = FetchTasks(plan);
  if (!tasks.ok()) return tasks.status();
  return db.Transaction([&]() -> absl::Status {
    const google::protobuf::RepeatedPtrField<v1::UnitRef> unit_refs(
        units->begin(), units->end());
    if (absl::Status s = parents.Upsert(unit_refs); !s.ok()) return s;
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
  UnitParents parents(**db);
  Resyncer resyncer("task definitions from plan",
                    [&] { return ResyncFromPlan(plan, store, parents, **db); });
  TaskDefinitionConsumer handler(store, parents, resyncer);
  RevocationFeed feed(handler, **db, env.authenticator->revocations(), plan);
  if (absl::Status s = feed.Load(); !s.ok()) return Fail(s);
  KafkaEventConsumer consumer(
      {.brokers = env.brokers,
       .group_id = "tiendo-progress",
       .topics = {kPlanChangedTopic, kAccountChangedTopic},
       .session_timeout_ms = env.session_timeout_ms,
       .verifier = env.event_verifier.get(),
       .signer = env.event_signer.get()},
      **db, feed);

  const ReadScope scope(store, parents);
  ProgressGrpcService progress_service(store, publisher, *env.clock,
                                       *env.authenticator, scope);
  // The audit trail, after the store's own schema is in place.
  AuditLog audit(**db, "progress");
  if (absl::Status s = audit.Init(); !s.ok()) return Fail(s);
  audit.Start();
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::StartService(env, {&progress_service}, audit);
  if (!server.ok()) return Fail(server.status());

  publisher.Start();
  resyncer.Start();
  // A database of an earlier version knows tasks but not the units above
  // them: learn those from the plan service.
  if (absl::StatusOr<bool> none = parents.Empty(); none.ok() && *none) {
    resyncer.Request();
  }
  feed.Start();
  if (absl::Status s = consumer.Start(); !s.ok()) return Fail(s);
  (*server)->ServeWhen([&] {
    return consumer.Ready() && publisher.StuckFor() < env.outbox_stuck_after;
  });
  LogInfo("listening on %s (db %s, kafka %s)", env.listen, env.db_path,
          env.brokers);

  WaitForShutdownSignal();
  (*server)->Shutdown();
  consumer.Stop();
  feed.Stop();
  resyncer.Stop();
  publisher.Stop();
  return 0;
}

}  // namespace
}  // namespace tiendo::progress

int main(int argc, char** argv) { return tiendo::progress::Main(argc, argv); }
