// The aggregation store on SQLite: what reaches queries only once its
// transaction committed, what a redelivery changes (nothing), what a
// restart loads back, and the two ways back to the owners' state (a
// rebuild from their snapshots, a merge after a gap).
#include "services/aggregation/aggregation_store.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregation/rollup_view.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/sqlite.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_database.h"
#include "tests/unit/aggregation/aggregation_scenario.h"

// Inside the scenario's namespace: its tasks, units and events are named
// as the comments name them.
namespace tiendo::aggregation::scenario {
namespace {

using ::testing::ElementsAre;
using ::tiendo::testing::CountRows;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;
using ::tiendo::testing::TestDbFile;

// Every unit the store may be asked about.
const std::vector<std::string>& AllUnits() {
  static const auto* const kUnits = new std::vector<std::string>{
      "vn", "quang-tri", "vinh-thuy", "xa-a", "xa-b", "dong-thap", "my-phong"};
  return *kUnits;
}

// Every answer of every query for every unit at `at`, named, as text: two
// stores in the same state give the same list.
std::vector<std::pair<std::string, std::string>> Answers(
    const AggregationStore& store, absl::Time at) {
  std::vector<std::pair<std::string, std::string>> out;
  store.Query(at, [&](const RollupView& v) {
    for (const std::string& unit : AllUnits()) {
      out.emplace_back(unit + " rollup", v.Rollup(unit).DebugString());
      out.emplace_back(unit + " kpis", v.Kpis(unit).DebugString());
      for (const std::string period : {"", "2026-05", "2026-06"}) {
        out.emplace_back(unit + " rates " + period,
                         v.ReportingRates(unit, period).DebugString());
      }
      out.emplace_back(unit + " ranking",
                       v.Ranking(unit, DefaultRankingWeights()).DebugString());
      std::string overdue;
      for (const v1::AgencyOverdue& a : v.OverdueByAgency(unit)) {
        overdue += a.DebugString();
      }
      out.emplace_back(unit + " overdue", overdue);
      std::string open;
      for (const v1::OpenDifficulty& d : v.OpenDifficulties(unit)) {
        open += d.DebugString();
      }
      out.emplace_back(unit + " difficulties", open);
    }
    return 0;
  });
  std::string units;
  for (const v1::AggregationUnit& u : store.Units()) units += u.DebugString();
  out.emplace_back("units", units);
  return out;
}

void ExpectSameAnswers(const AggregationStore& a, const AggregationStore& b,
                       absl::Time at) {
  const auto left = Answers(a, at);
  const auto right = Answers(b, at);
  ASSERT_EQ(left.size(), right.size());
  for (size_t i = 0; i < left.size(); ++i) {
    EXPECT_EQ(left[i].second, right[i].second) << left[i].first;
  }
}

// One event in one consumer transaction, committed (or rolled back when
// staging fails).
absl::Status Consume(Database& db, AggregationStore& store, const Event& e,
                     bool* gap = nullptr) {
  bool skipped = false;
  absl::Status status = db.Transaction([&]() -> absl::Status {
    if (e.definition) {
      if (absl::Status s = store.StageUnits(e.unit_path); !s.ok()) return s;
      return store.StageDefinition(*e.definition, e.at);
    }
    return store.StageUpdate(e.update, e.at, skipped);
  });
  if (!status.ok()) {
    store.Discard();
    return status;
  }
  store.Commit();
  if (gap != nullptr) *gap = skipped;
  return status;
}

void ConsumeAll(Database& db, AggregationStore& store,
                const std::vector<Event>& events) {
  for (const Event& e : events) ASSERT_TRUE(Consume(db, store, e).ok());
}

std::unique_ptr<Database> OpenDb(const std::string& path = ":memory:") {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path);
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

std::unique_ptr<AggregationStore> OpenStore(Database& db) {
  auto store = std::make_unique<AggregationStore>(db, UnitTree::Default());
  absl::Status s = store->Init();
  EXPECT_TRUE(s.ok()) << s;
  return store;
}

const Event* Find(const std::vector<Event>& events, const std::string& task,
                  uint64_t version) {
  for (const Event& e : events) {
    if (!e.definition && e.update.task_id() == task &&
        e.update.version() == version) {
      return &e;
    }
  }
  ADD_FAILURE() << task << " v" << version << " is not in the scenario";
  return nullptr;
}

int64_t Changes(AggregationStore& store) {
  absl::StatusOr<int64_t> n = store.LoggedChanges();
  EXPECT_TRUE(n.ok()) << n.status();
  return n.ok() ? *n : -1;
}

// 11 definitions and P3's second; 20 reports; 8 measurements (vinh-thuy
// 800 and 950, xa-a 700, 880 and 910, xa-b 430, quang-tri 9999 and 30).
constexpr int64_t kDefinitions = 12;
constexpr int64_t kReports = 20;
constexpr int64_t kMeasurements = 8;

TEST(AggregationStoreTest, CommittedEventsReachQueries) {
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<AggregationStore> store = OpenStore(*db);
  ConsumeAll(*db, *store, Events());
  EXPECT_EQ(Changes(*store), kDefinitions + kReports);
  EXPECT_EQ(CountRows(*db, "measurements"), kMeasurements);

  // The numbers worked out in rollup_view_test.cc: 11 tasks, 6 overdue;
  // k1 = (950+910+430)/(1000+1000+500).
  const v1::Rollup rollup = store->Query(
      Now(), [](const RollupView& v) { return v.Rollup(kProvince); });
  EXPECT_EQ(rollup.subtree_totals().total(), 11);
  EXPECT_EQ(rollup.subtree_totals().overdue(), 6);
  EXPECT_EQ(rollup.reports_applied(), 4u);
  ASSERT_EQ(rollup.by_child_unit_size(), 3);
  // The communes were learnt from the events' unit paths.
  EXPECT_EQ(rollup.by_child_unit(1).name(), "Xã A");
  const v1::KpiReport kpis = store->Query(
      Now(), [](const RollupView& v) { return v.Kpis(kProvince); });
  ASSERT_EQ(kpis.indicators_size(), 2);
  EXPECT_EQ(kpis.indicators(0).value().numerator(), 2290);
  EXPECT_EQ(kpis.indicators(0).value().denominator(), 2500);

  // The same as a view over the history the events make.
  ExecutionHistory history;
  ApplyTo(history, Now());
  const UnitTree units = Units();
  const RollupView expected(history, units, Now());
  for (const std::string& unit : AllUnits()) {
    store->Query(Now(), [&](const RollupView& v) {
      EXPECT_EQ(v.Rollup(unit).DebugString(),
                expected.Rollup(unit).DebugString());
      EXPECT_EQ(v.Kpis(unit).DebugString(), expected.Kpis(unit).DebugString());
      return 0;
    });
  }
}

TEST(AggregationStoreTest, ARolledBackBatchLeavesNothing) {
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<AggregationStore> store = OpenStore(*db);
  const std::vector<Event> events = Events();
  for (const Event& e : events) {
    if (e.definition) {
      ASSERT_TRUE(Consume(*db, *store, e).ok());
    }
  }
  const int64_t before = Changes(*store);
  // xa-a's report of 01/06 (30% and k1 700/1000) and xa-b's difficulty,
  // staged, then the batch fails and rolls back.
  const Event* a1 = Find(events, kA1, 1);
  const Event* a2 = Find(events, kA1, 2);
  const Event* b1 = Find(events, kB1, 1);
  ASSERT_TRUE(a1 && a2 && b1);
  absl::Status failed = db->Transaction([&]() -> absl::Status {
    bool gap = false;
    for (const Event* e : {a1, a2, b1}) {
      if (absl::Status s = store->StageUpdate(e->update, e->at, gap); !s.ok()) {
        return s;
      }
    }
    return absl::UnavailableError("the batch's offsets could not be stored");
  });
  ASSERT_FALSE(failed.ok());
  store->Discard();
  EXPECT_EQ(Changes(*store), before);
  EXPECT_EQ(CountRows(*db, "measurements"), 0);
  auto xa_a = [&] {
    return store->Query(Now(), [](const RollupView& v) {
      return std::pair(v.Rollup(kXaA), v.Kpis(kXaA));
    });
  };
  EXPECT_EQ(xa_a().first.totals().in_progress(), 0);
  EXPECT_EQ(xa_a().first.reports_applied(), 0u);
  ASSERT_EQ(xa_a().second.indicators_size(), 1);
  EXPECT_EQ(xa_a().second.indicators(0).value().units_measured(), 0);
  EXPECT_EQ(
      store->Query(Now(), [](const RollupView& v) { return v.Rollup(kXaB); })
          .totals()
          .blocked(),
      0);

  // Redelivered after the rollback, the same events apply: the guards were
  // rolled back with them. A1 at v2: 04-30 done (100) and 06-30 at 30%.
  for (const Event* e : {a1, a2, b1}) {
    ASSERT_TRUE(Consume(*db, *store, *e).ok());
  }
  EXPECT_EQ(Changes(*store), before + 3);
  EXPECT_EQ(CountRows(*db, "measurements"), 1);
  EXPECT_EQ(xa_a().first.totals().in_progress(), 1);
  EXPECT_EQ(xa_a().first.reports_applied(), 2u);
  EXPECT_EQ(xa_a().second.indicators(0).value().numerator(), 700);
  EXPECT_EQ(
      store->Query(Now(), [](const RollupView& v) { return v.Rollup(kXaB); })
          .totals()
          .blocked(),
      1);
}

TEST(AggregationStoreTest, ARedeliveredEventChangesNothing) {
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<AggregationStore> store = OpenStore(*db);
  const std::vector<Event> events = Events();
  ConsumeAll(*db, *store, events);
  const auto answers = Answers(*store, Now());
  const auto earlier = Answers(*store, Local(2026, 7, 3, 12));
  // Everything again, as after a consumer restart before its offsets were
  // stored; one event three times.
  ConsumeAll(*db, *store, events);
  const Event* correction = Find(events, kA1, 4);
  ASSERT_NE(correction, nullptr);
  ASSERT_TRUE(Consume(*db, *store, *correction).ok());
  EXPECT_EQ(Changes(*store), kDefinitions + kReports);
  EXPECT_EQ(CountRows(*db, "measurements"), kMeasurements);
  EXPECT_EQ(Answers(*store, Now()), answers);
  EXPECT_EQ(Answers(*store, Local(2026, 7, 3, 12)), earlier);
}

TEST(AggregationStoreTest, InitLoadsTheSameStateBack) {
  const TestDbFile file("aggregation-store");
  const std::string& path = file.path();
  std::vector<std::pair<std::string, std::string>> now, earlier;
  {
    std::unique_ptr<Database> db = OpenDb(path);
    ASSERT_NE(db, nullptr);
    std::unique_ptr<AggregationStore> store = OpenStore(*db);
    ConsumeAll(*db, *store, Events());
    now = Answers(*store, Now());
    earlier = Answers(*store, Local(2026, 6, 30, 23, 59, 59));
  }
  std::unique_ptr<Database> db = OpenDb(path);
  ASSERT_NE(db, nullptr);
  std::unique_ptr<AggregationStore> store = OpenStore(*db);
  EXPECT_EQ(Changes(*store), kDefinitions + kReports);
  // The same answers now and as of a past instant: the log kept each
  // change's instant, and the communes learnt from the stream.
  const auto reloaded = Answers(*store, Now());
  ASSERT_EQ(reloaded.size(), now.size());
  for (size_t i = 0; i < now.size(); ++i) {
    EXPECT_EQ(reloaded[i].second, now[i].second) << now[i].first;
  }
  EXPECT_EQ(Answers(*store, Local(2026, 6, 30, 23, 59, 59)), earlier);
  // Init again on an open store changes nothing.
  ASSERT_TRUE(store->Init().ok());
  EXPECT_EQ(Answers(*store, Now()), now);
}

TEST(AggregationStoreTest, InitTakesOverThePreviousTables) {
  std::unique_ptr<Database> db = OpenDb();
  // The previous version kept the latest definition and TaskUpdated per
  // task.
  const std::vector<Event> events = Events();
  // P1's latest is its v2 of 01/07, carrying the province's own k1
  // 9999/10000.
  const Event* p1 = Find(events, kP1, 2);
  ASSERT_NE(p1, nullptr);
  ASSERT_TRUE(db->Transaction([&]() -> absl::Status {
                  if (absl::Status s = db->Exec(
                          "CREATE TABLE task_definitions (task_id TEXT "
                          "PRIMARY KEY, record BLOB);"
                          "CREATE TABLE task_states (task_id TEXT PRIMARY "
                          "KEY, record BLOB);");
                      !s.ok()) {
                    return s;
                  }
                  absl::StatusOr<Statement> d =
                      db->Prepare("INSERT INTO task_definitions VALUES(?, ?)");
                  if (!d.ok()) return d.status();
                  const std::string task = P1().SerializeAsString();
                  d->Bind(kP1, Statement::Blob{task});
                  if (absl::Status s = d->Run(); !s.ok()) return s;
                  absl::StatusOr<Statement> u =
                      db->Prepare("INSERT INTO task_states VALUES(?, ?)");
                  if (!u.ok()) return u.status();
                  const std::string update = p1->update.SerializeAsString();
                  u->Bind(kP1, Statement::Blob{update});
                  return u->Run();
                }).ok());
  std::unique_ptr<AggregationStore> store = OpenStore(*db);
  EXPECT_EQ(Changes(*store), 2);
  EXPECT_EQ(CountRows(*db, "measurements"), 1);
  const v1::Rollup r = store->Query(
      Now(), [](const RollupView& v) { return v.Rollup(kProvince); });
  // P1 in progress at 70%, its 30/06 occurrence overdue on 15/07.
  EXPECT_EQ(r.totals().total(), 1);
  EXPECT_EQ(r.totals().in_progress(), 1);
  EXPECT_EQ(r.totals().overdue(), 1);
  EXPECT_EQ(r.totals().percent_complete(), 70);
  EXPECT_EQ(r.reports_applied(), 2u);
  const v1::KpiReport kpis = store->Query(
      Now(), [](const RollupView& v) { return v.Kpis(kProvince); });
  ASSERT_EQ(kpis.indicators_size(), 1);
  EXPECT_EQ(kpis.indicators(0).value().numerator(), 9999);
  EXPECT_EQ(kpis.indicators(0).value().denominator(), 10000);
  EXPECT_EQ(CountRows(*db, "sqlite_master WHERE name = 'task_states'"), 0);
}

TEST(AggregationStoreTest, ReplaceWithTheSnapshotEqualsTheIncrementalState) {
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<AggregationStore> incremental = OpenStore(*db);
  ConsumeAll(*db, *incremental, Events());

  std::unique_ptr<Database> other = OpenDb();
  std::unique_ptr<AggregationStore> rebuilt = OpenStore(*other);
  std::vector<v1::RebuildProgress::Phase> phases;
  ASSERT_TRUE(rebuilt
                  ->Replace(Snapshot(),
                            [&](const v1::RebuildProgress& p) {
                              if (phases.empty() || phases.back() != p.phase())
                                phases.push_back(p.phase());
                            })
                  .ok());
  EXPECT_THAT(phases, ElementsAre(v1::RebuildProgress::PHASE_TASKS,
                                  v1::RebuildProgress::PHASE_STATES,
                                  v1::RebuildProgress::PHASE_MEASUREMENTS,
                                  v1::RebuildProgress::PHASE_DONE));
  // 11 definitions, 10 states (B3 was never reported on), 8 measurements.
  EXPECT_EQ(Changes(*rebuilt), 11 + 10);
  EXPECT_EQ(CountRows(*other, "measurements"), kMeasurements);
  ExpectSameAnswers(*rebuilt, *incremental, Now());

  // The incremental store rebuilt over its own state ends the same.
  ASSERT_TRUE(incremental->Replace(Snapshot(), nullptr).ok());
  EXPECT_EQ(Changes(*incremental), 11 + 10);
  ExpectSameAnswers(*rebuilt, *incremental, Now());

  // And it goes on with the stream: xa-a's June report, in on 15/07 (4
  // days late), applies on both.
  Progress progress(Tasks());
  for (const Report& r : Reports()) progress.Apply(r);
  const Event late{.at = Local(2026, 7, 15, 11),
                   .definition = std::nullopt,
                   .unit_path = {},
                   .update = progress.Apply({.task_id = kA2,
                                             .key = "2026-06",
                                             .what = Report::kDone,
                                             .agency = "xaa.congan",
                                             .at = Local(2026, 7, 15, 11)})};
  ASSERT_EQ(late.update.version(), 2u);
  ASSERT_TRUE(Consume(*db, *incremental, late).ok());
  ASSERT_TRUE(Consume(*other, *rebuilt, late).ok());
  ExpectSameAnswers(*rebuilt, *incremental, Now());
  // Done late: B2 and now A2.
  EXPECT_EQ(rebuilt
                ->Query(Now(),
                        [](const RollupView& v) { return v.Rollup(kProvince); })
                .subtree_totals()
                .done_late(),
            2);
}

TEST(AggregationStoreTest, MergeAfterAGapAddsOnlyWhatIsMissing) {
  const std::vector<Event> events = Events();
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<AggregationStore> complete = OpenStore(*db);
  ConsumeAll(*db, *complete, events);

  // The stream lost xa-a's report of 30/06 (v3, with k1 880), xa-b's last
  // report (B2 v2) and P3's second definition.
  std::unique_ptr<Database> other = OpenDb();
  std::unique_ptr<AggregationStore> store = OpenStore(*other);
  int gaps = 0;
  for (const Event& e : events) {
    if (e.definition && e.definition->id() == kP3 &&
        e.definition->version() == 2) {
      continue;
    }
    if (!e.definition &&
        ((e.update.task_id() == kA1 && e.update.version() == 3) ||
         (e.update.task_id() == kB2 && e.update.version() == 2))) {
      continue;
    }
    bool gap = false;
    ASSERT_TRUE(Consume(*other, *store, e, &gap).ok());
    // Only A1's v4 after v2 shows the gap; B2's loss shows nowhere.
    if (gap) {
      ++gaps;
      EXPECT_EQ(e.update.task_id(), kA1);
      EXPECT_EQ(e.update.version(), 4u);
    }
  }
  EXPECT_EQ(gaps, 1);
  EXPECT_EQ(Changes(*store), kDefinitions - 1 + kReports - 2);
  EXPECT_EQ(CountRows(*other, "measurements"), kMeasurements - 1);

  ASSERT_TRUE(store->Merge(Snapshot(), Now()).ok());
  // Added: P3's definition v2 and B2's state v2 (A1's v4 is known); the
  // one measurement missing (880). The other seven are not counted again.
  EXPECT_EQ(Changes(*store), kDefinitions - 1 + kReports - 2 + 2);
  EXPECT_EQ(CountRows(*other, "measurements"), kMeasurements);
  ExpectSameAnswers(*store, *complete, Now());
  // The 880 recorded on 30/06 20:00 is back in the history: on 03/07
  // xa-a's 30/06 figure was 880, vinh-thuy's 950: 1830/2000.
  const v1::KpiReport then =
      store->Query(Local(2026, 7, 3, 12),
                   [](const RollupView& v) { return v.Kpis(kProvince); });
  ASSERT_EQ(then.indicators_size(), 1);
  EXPECT_EQ(then.indicators(0).value().numerator(), 1830);
  EXPECT_EQ(then.indicators(0).value().denominator(), 2000);

  // Merging again adds nothing.
  ASSERT_TRUE(store->Merge(Snapshot(), Now()).ok());
  EXPECT_EQ(Changes(*store), kDefinitions - 1 + kReports - 2 + 2);
  EXPECT_EQ(CountRows(*other, "measurements"), kMeasurements);
  ExpectSameAnswers(*store, *complete, Now());
}

}  // namespace
}  // namespace tiendo::aggregation::scenario
