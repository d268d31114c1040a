// tiendo-aggregation: roll-ups, KPIs, reporting rates, rankings and the
// monthly consolidated report, from the event stream.
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <sstream>

#include "absl/flags/flag.h"
#include "services/aggregation/aggregation_grpc.h"
#include "services/aggregation/aggregation_store.h"
#include "services/aggregation/event_consumer.h"
#include "services/aggregation/rebuilder.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/audit_log.h"
#include "services/common/change_notifier.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/revocation_feed.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"
#include "services/common/watch_streams.h"

ABSL_FLAG(std::string, plan_address, "127.0.0.1:50051",
          "plan service, for its task snapshot (rebuilds, gaps in the "
          "stream)");
ABSL_FLAG(std::string, progress_address, "127.0.0.1:50052",
          "progress service, for its state and measurement snapshots "
          "(rebuilds, gaps in the stream)");
ABSL_FLAG(std::string, units, "",
          "JSON file of the unit hierarchy, {\"units\": [{\"code\", \"name\", "
          "\"level\", \"parent\"}]} (the agency registry's shape); empty: the "
          "shipped registry");
ABSL_FLAG(double, rank_weight_completion, 0.4,
          "ranking weight of on-time completion");
ABSL_FLAG(double, rank_weight_reporting, 0.3,
          "ranking weight of reporting timeliness");
ABSL_FLAG(double, rank_weight_targets, 0.3,
          "ranking weight of target attainment");

namespace tiendo::aggregation {
namespace {

absl::StatusOr<UnitTree> LoadUnits(const std::string& path) {
  if (path.empty()) return UnitTree::Default();
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("--units: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<UnitTree> tree = UnitTree::FromJson(text.str());
  if (!tree.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--units ", path, ": ", tree.status().message()));
  }
  return tree;
}

absl::StatusOr<OwnerSnapshot> FetchOwners(const Owner& plan,
                                          const Owner& progress) {
  OwnerSnapshot snapshot;
  absl::StatusOr<std::vector<v1::UnitRef>> units = FetchUnits(plan);
  if (!units.ok()) return units.status();
  snapshot.units = *std::move(units);
  absl::StatusOr<std::vector<v1::Task>> tasks = FetchTasks(plan);
  if (!tasks.ok()) return tasks.status();
  snapshot.tasks = *std::move(tasks);
  absl::StatusOr<std::vector<v1::TaskState>> states =
      FetchTaskStates(progress, /*as_reported=*/true);
  if (!states.ok()) return states.status();
  snapshot.states = *std::move(states);
  absl::StatusOr<std::vector<v1::RecordedMeasurement>> measurements =
      FetchMeasurements(progress);
  if (!measurements.ok()) return measurements.status();
  snapshot.measurements = *std::move(measurements);
  return snapshot;
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceEnvironment env = InitService(argc, argv, "aggregation", 50054);

  absl::StatusOr<UnitTree> units = LoadUnits(absl::GetFlag(FLAGS_units));
  if (!units.ok()) return Fail(units.status());
  v1::RankingWeights weights;
  weights.set_completion(absl::GetFlag(FLAGS_rank_weight_completion));
  weights.set_reporting(absl::GetFlag(FLAGS_rank_weight_reporting));
  weights.set_targets(absl::GetFlag(FLAGS_rank_weight_targets));
  if (weights.completion() < 0 || weights.reporting() < 0 ||
      weights.targets() < 0 ||
      weights.completion() + weights.reporting() + weights.targets() <= 0) {
    return Fail(absl::InvalidArgumentError(
        "--rank_weight_*: weights must be at least 0 and not all 0"));
  }

  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(env.db_path);
  if (!db.ok()) return Fail(db.status());
  AggregationStore store(**db, *std::move(units));
  const absl::Time load_start = absl::Now();
  if (absl::Status s = store.Init(); !s.ok()) return Fail(s);
  LogInfo("state loaded in %s", absl::FormatDuration(absl::Now() - load_start));

  ChangeNotifier changes;
  const Owner plan{absl::GetFlag(FLAGS_plan_address), env.peer_credentials};
  const Owner progress{absl::GetFlag(FLAGS_progress_address),
                       env.peer_credentials};
  std::unique_ptr<KafkaEventConsumer> consumer;
  Rebuilder rebuilder(
      store, [&] { return FetchOwners(plan, progress); },
      {.pause = [&] { consumer->Pause(); },
       .resume = [&] { consumer->Resume(); }},
      changes, *env.clock);
  Resyncer resyncer("roll-up state from plan and progress",
                    [&] { return rebuilder.Resync(); });
  RollupEventConsumer handler(store, changes, resyncer);
  RevocationFeed feed(handler, **db, env.authenticator->revocations(), plan);
  if (absl::Status s = feed.Load(); !s.ok()) return Fail(s);
  consumer = std::make_unique<KafkaEventConsumer>(
      ConsumerOptions{.brokers = env.brokers,
                      .group_id = "tiendo-aggregation",
                      .topics = {kPlanChangedTopic, kTaskUpdatedTopic,
                                 kAccountChangedTopic},
                      .session_timeout_ms = env.session_timeout_ms,
                      .verifier = env.event_verifier.get(),
                      .signer = env.event_signer.get()},
      **db, feed);

  absl::StatusOr<WatchStreamLimits> watch_limits = WatchStreamLimitsFromFlags();
  if (!watch_limits.ok()) return Fail(watch_limits.status());
  AggregationGrpcService aggregation_service(store, rebuilder, changes,
                                             *env.clock, weights,
                                             *env.authenticator, *watch_limits);
  // The audit trail, after the store's own schema is in place.
  AuditLog audit(**db, "aggregation");
  if (absl::Status s = audit.Init(); !s.ok()) return Fail(s);
  audit.Start();
  // A new day can make tasks overdue: wake the roll-up watchers.
  absl::StatusOr<std::unique_ptr<GrpcServer>> server = GrpcServer::StartService(
      env, {&aggregation_service}, audit, [&changes] { changes.Notify(); });
  if (!server.ok()) return Fail(server.status());

  resyncer.Start();
  feed.Start();
  if (absl::Status s = consumer->Start(); !s.ok()) return Fail(s);
  (*server)->ServeWhen([&] { return consumer->Ready(); });
  LogInfo("listening on %s (db %s, kafka %s)", env.listen, env.db_path,
          env.brokers);

  WaitForShutdownSignal();
  (*server)->Shutdown();
  consumer->Stop();
  feed.Stop();
  resyncer.Stop();
  return 0;
}

}  // namespace
}  // namespace tiendo::aggregation

int main(int argc, char** argv) {
  return tiendo::aggregation::Main(argc, argv);
}
