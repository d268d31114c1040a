// The aggregator at national scale: 34 provinces x 97 communes, each commune
// plan with 40 tasks (ten monthly report obligations with twelve periods,
// thirty tasks with a milestone, two of them measured indicators that
// implement the province's), half a year of events: a report on most
// milestones, the monthly reports of January to June (one commune in ten
// late), a measurement per indicator and month. Events go through
// AggregationStore as the consumer feeds them (staged in a SQLite transaction
// of 500, then committed to memory) into a temporary database file. Prints how
// fast events are applied, how long a restart takes to load the checkpoint, the
// memory and database bytes per event, and what each query costs: a commune's
// and a province's roll-up, the country's, KPIs, reporting rates, the ranking,
// the monthly report, and the same as of a past date. Figures are printed, not
// asserted.
//
//   build/bin/aggregation_bench [--scale=0.1] [benchmark flags]
//
// --scale (or TIENDO_BENCH_SCALE) multiplies the communes per province; 1
// is the whole country (about 3,300 communes, 132,000 tasks, 442,000
// events; about ten seconds to load). Loading reports progress on stderr.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/aggregation/aggregation_store.h"
#include "services/aggregation/monthly_report.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/clock.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "services/common/sqlite.h"

namespace tiendo::aggregation {
namespace {

constexpr int kProvinces = 34;
constexpr int kCommunesPerProvince = 97;
constexpr int kReportTasks = 10;
constexpr int kMilestoneTasks = 30;
constexpr int kBatch = 500;

double g_scale = 1;

absl::Time Local(int y, int m, int d, int h = 0) {
  return StartOfLocalDay(absl::CivilDay(y, m, d)) + absl::Hours(h);
}

v1::LocalDate Date(absl::CivilDay d) { return ToProto(d); }

int64_t RssBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

std::string ProvinceCode(int p) { return absl::StrCat("tinh-", p); }
std::string CommuneCode(int p, int c) { return absl::StrCat("xa-", p, "-", c); }

v1::Target Stage(double percent, absl::CivilDay due, const std::string& what) {
  v1::Target t;
  t.set_indicator(what);
  t.set_indicator_code(what == "tài khoản định danh điện tử" ? "k1" : "k2");
  t.set_percent(percent);
  t.set_direction(v1::TARGET_DIRECTION_AT_LEAST);
  *t.mutable_due() = Date(due);
  return t;
}

struct World {
  std::string dir;
  std::unique_ptr<Database> db;
  std::unique_ptr<AggregationStore> store;
  int64_t events = 0;
  int communes = 0;
  int64_t tasks = 0;
  absl::Duration apply_time;
  absl::Duration load_time;
  int64_t rss_before = 0;
  int64_t rss_after = 0;
  int64_t db_bytes = 0;
};

World* g_world = nullptr;

// Feeds events in batches of kBatch, each one SQLite transaction and one
// commit to memory, as the consumer does.
class Feeder {
 public:
  explicit Feeder(World& w) : w_(w) {}
  ~Feeder() { Flush(); }

  void Definition(const v1::Task& task, const std::vector<v1::UnitRef>& path,
                  absl::Time at) {
    definitions_.push_back({task, path, at});
    if (++pending_ >= kBatch) Flush();
  }
  void Update(const v1::TaskUpdated& u, absl::Time at) {
    updates_.push_back({u, at});
    if (++pending_ >= kBatch) Flush();
  }

  void Flush() {
    if (pending_ == 0) return;
    const absl::Time start = absl::Now();
    absl::Status s = w_.db->Transaction([&]() -> absl::Status {
      for (const auto& d : definitions_) {
        if (absl::Status st = w_.store->StageUnits(d.path); !st.ok()) return st;
        if (absl::Status st = w_.store->StageDefinition(d.task, d.at); !st.ok())
          return st;
      }
      for (const auto& u : updates_) {
        bool gap = false;
        if (absl::Status st = w_.store->StageUpdate(u.update, u.at, gap);
            !st.ok())
          return st;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) {
      std::fprintf(stderr, "feed failed: %s\n", s.ToString().c_str());
      std::exit(1);
    }
    w_.store->Commit();
    w_.apply_time += absl::Now() - start;
    w_.events += pending_;
    definitions_.clear();
    updates_.clear();
    pending_ = 0;
  }

 private:
  struct Def {
    v1::Task task;
    std::vector<v1::UnitRef> path;
    absl::Time at;
  };
  struct Upd {
    v1::TaskUpdated update;
    absl::Time at;
  };
  World& w_;
  std::vector<Def> definitions_;
  std::vector<Upd> updates_;
  int pending_ = 0;
};

v1::UnitRef Ref(const std::string& code, const std::string& level,
                const std::string& parent) {
  v1::UnitRef r;
  r.set_code(code);
  r.set_name(code);
  r.set_level(
      EnumFromWord<v1::UnitLevel>(level).value_or(v1::UNIT_LEVEL_UNSPECIFIED));
  r.set_parent(parent);
  return r;
}

// The province's own two indicator tasks, with two stages each.
v1::Task ProvinceIndicatorTask(const std::string& province,
                               const std::string& plan, const char* what) {
  v1::Task t;
  t.set_id(absl::StrCat(plan, "#III.", what[0] == 't' ? 1 : 2));
  t.set_plan_id(plan);
  t.set_unit(province);
  t.set_section("III");
  t.set_number(what[0] == 't' ? "1" : "2");
  t.set_title(what);
  t.add_lead_agencies(province + ".congan");
  t.set_version(1);
  *t.mutable_due_date() = Date(absl::CivilDay(2026, 12, 31));
  *t.add_targets() = Stage(80, absl::CivilDay(2026, 6, 30), what);
  *t.add_targets() = Stage(90, absl::CivilDay(2026, 12, 31), what);
  return t;
}

// A report obligation of a commune: twelve monthly periods.
v1::Task ReportTask(const std::string& cplan, const std::string& commune,
                    const std::string& police, int r) {
  v1::Task t;
  t.set_id(absl::StrCat(cplan, "#BC.", r + 1));
  t.set_plan_id(cplan);
  t.set_unit(commune);
  t.set_section("BC");
  t.set_number(absl::StrCat(r + 1));
  t.set_title("Báo cáo định kỳ");
  t.set_kind(v1::TASK_KIND_REPORT);
  t.add_lead_agencies(police);
  t.set_version(1);
  for (int m = 1; m <= 12; ++m) {
    v1::Occurrence* o = t.add_occurrences();
    o->set_key(absl::StrFormat("2026-%02d", m));
    o->set_id(absl::StrCat(t.id(), "@", o->key()));
    o->set_kind(v1::Occurrence::KIND_PERIOD);
    o->set_label(absl::StrCat("tháng ", m, "/2026"));
    *o->mutable_due() = Date(absl::CivilDay(absl::CivilMonth(2026, m) + 1) + 8);
  }
  return t;
}

// Work of a commune with one milestone; the first two measure the
// province's indicators.
v1::Task MilestoneTask(const std::string& cplan, const std::string& commune,
                       const std::string& police, const std::string& plan,
                       int k) {
  v1::Task t;
  t.set_id(absl::StrCat(cplan, "#", k < 2 ? "III." : "II.", k + 1));
  t.set_plan_id(cplan);
  t.set_unit(commune);
  t.set_section(k < 2 ? "III" : "II");
  t.set_number(absl::StrCat(k + 1));
  t.set_title("Nhiệm vụ");
  t.add_lead_agencies(k % 2 == 0 ? police : commune + ".kinhte");
  t.set_version(1);
  const absl::CivilDay due = absl::CivilDay(2026, 3 + k % 10, 15);
  *t.mutable_due_date() = Date(due);
  v1::Occurrence* o = t.add_occurrences();
  o->set_key(FormatDay(due));
  o->set_id(absl::StrCat(t.id(), "@", o->key()));
  o->set_kind(v1::Occurrence::KIND_MILESTONE);
  *o->mutable_due() = Date(due);
  o->set_label(FormatDayVi(due));
  const char* what =
      k == 0 ? "tài khoản định danh điện tử" : "sổ sức khỏe điện tử";
  if (k < 2) {
    *t.mutable_due_date() = Date(absl::CivilDay(2026, 12, 31));
    *t.add_targets() = Stage(80, absl::CivilDay(2026, 6, 30), what);
    *t.add_targets() = Stage(90, absl::CivilDay(2026, 12, 31), what);
    t.add_implements(absl::StrCat(plan, "#III.", k + 1));
  }
  return t;
}

// Loads the world's events: every province with its communes, each
// commune's reports, milestones and measurements.
class WorldLoader {
 public:
  explicit WorldLoader(World& w) : w_(w), feed_(w) {}

  void Province(int p) {
    province_ = ProvinceCode(p);
    province_path_ = {Ref(province_, "province", "vn"),
                      Ref("vn", "country", "")};
    plan_ = province_ + ":1-KH-UBND";
    for (const char* what :
         {"tài khoản định danh điện tử", "sổ sức khỏe điện tử"}) {
      feed_.Definition(ProvinceIndicatorTask(province_, plan_, what),
                       province_path_, kDefined);
      ++w_.tasks;
    }
    const int communes_per_province =
        std::max(1, static_cast<int>(kCommunesPerProvince * g_scale));
    for (int c = 0; c < communes_per_province; ++c) Commune(p, c);
  }

  void Flush() { feed_.Flush(); }

 private:
  void Commune(int p, int c) {
    const std::string commune = CommuneCode(p, c);
    const std::string police = commune + ".congan";
    std::vector<v1::UnitRef> path = province_path_;
    path.insert(path.begin(), Ref(commune, "commune", province_));
    const std::string cplan = commune + ":1-KH-UBND";
    ++w_.communes;
    // Report obligations: twelve monthly periods each, reported every
    // month; one commune in ten late.
    for (int r = 0; r < kReportTasks; ++r) {
      const v1::Task t = ReportTask(cplan, commune, police, r);
      feed_.Definition(t, path, kDefined);
      ++w_.tasks;
      // Periods January to June reported.
      for (int m = 1; m <= 6; ++m) PeriodReport(t, commune, c, m);
    }
    for (int k = 0; k < kMilestoneTasks; ++k) {
      const v1::Task t = MilestoneTask(cplan, commune, police, plan_, k);
      feed_.Definition(t, path, kDefined);
      ++w_.tasks;
      if (k < 2) {
        // A measurement a month, January to June.
        for (int m = 1; m <= 6; ++m) Measure(t, commune, c, k, m);
        continue;
      }
      // Most milestones done, a few late, one in five not reported.
      if (k % 5 == 4) continue;
      MilestoneDone(t, commune, k);
    }
  }

  void PeriodReport(const v1::Task& t, const std::string& commune, int c,
                    int m) {
    const bool late = c % 10 == 0;
    const absl::CivilDay on =
        absl::CivilDay(absl::CivilMonth(2026, m) + 1) + (late ? 12 : 5);
    v1::TaskUpdated u;
    u.set_task_id(t.id());
    u.set_unit(commune);
    u.set_version(m);
    u.set_status(v1::TASK_STATUS_IN_PROGRESS);
    u.set_report_id(absl::StrCat("r", ++report_seq_));
    u.set_occurrence_id(t.occurrences(m - 1).id());
    v1::OccurrenceState& s = *u.mutable_occurrence_state();
    *s.mutable_occurrence() = t.occurrences(m - 1);
    s.set_status(v1::OCCURRENCE_STATUS_DONE);
    s.set_percent(100);
    *s.mutable_completed_on() = Date(on);
    u.set_period_report(true);
    feed_.Update(u, StartOfLocalDay(on) + absl::Hours(9));
  }

  // Month m's measurement of indicator task k, as version m.
  void Measure(const v1::Task& t, const std::string& commune, int c, int k,
               int m) {
    v1::TaskUpdated u;
    u.set_task_id(t.id());
    u.set_unit(commune);
    u.set_version(static_cast<uint64_t>(m));
    u.set_status(v1::TASK_STATUS_IN_PROGRESS);
    u.set_percent(10 * m);
    u.set_report_id(absl::StrCat("r", ++report_seq_));
    v1::Measurement* ms = u.add_measurements();
    ms->set_indicator(k == 0 ? "k1" : "k2");
    ms->set_unit(commune);
    ms->set_denominator(1000 + 10 * c);
    ms->set_numerator((1000 + 10 * c) * (50 + 5 * m + c % 7) / 100);
    *ms->mutable_as_of() =
        Date(absl::CivilDay(absl::CivilMonth(2026, m) + 1) - 1);
    feed_.Update(u, Local(2026, m + 1, 3, 9));
  }

  void MilestoneDone(const v1::Task& t, const std::string& commune, int k) {
    const v1::Occurrence& o = t.occurrences(0);
    const absl::CivilDay due = absl::CivilDay(2026, 3 + k % 10, 15);
    const absl::CivilDay on = due + (k % 7 == 0 ? 4 : -3);
    v1::TaskUpdated u;
    u.set_task_id(t.id());
    u.set_unit(commune);
    u.set_version(1);
    u.set_status(v1::TASK_STATUS_DONE);
    u.set_percent(100);
    *u.mutable_completed_on() = Date(on);
    u.set_completed_late(on > due);
    u.set_report_id(absl::StrCat("r", ++report_seq_));
    u.set_occurrence_id(o.id());
    v1::OccurrenceState& s = *u.mutable_occurrence_state();
    *s.mutable_occurrence() = o;
    s.set_status(v1::OCCURRENCE_STATUS_DONE);
    s.set_percent(100);
    *s.mutable_completed_on() = Date(on);
    feed_.Update(u, StartOfLocalDay(on) + absl::Hours(10));
  }

  const absl::Time kDefined = Local(2026, 1, 15, 8);
  World& w_;
  Feeder feed_;
  int64_t report_seq_ = 0;
  std::string province_;
  std::vector<v1::UnitRef> province_path_;
  std::string plan_;
};

void OpenWorld(World& w) {
  char pattern[] = "/tmp/tiendo-aggregation-bench-XXXXXX";
  w.dir = mkdtemp(pattern);
  absl::StatusOr<std::unique_ptr<Database>> db =
      Database::Open(w.dir + "/aggregation.db");
  if (!db.ok()) std::exit(1);
  w.db = *std::move(db);
  w.store = std::make_unique<AggregationStore>(*w.db, UnitTree());
  if (!w.store->Init().ok()) std::exit(1);
  w.rss_before = RssBytes();
}

// Memory after loading, and the database with its write-ahead log.
void MeasureFootprint(World& w) {
  w.rss_after = RssBytes();
  std::ifstream f(w.dir + "/aggregation.db", std::ios::ate | std::ios::binary);
  w.db_bytes = static_cast<int64_t>(f.tellg());
  std::ifstream wal(w.dir + "/aggregation.db-wal",
                    std::ios::ate | std::ios::binary);
  if (wal) w.db_bytes += static_cast<int64_t>(wal.tellg());
}

void Load(World& w) {
  OpenWorld(w);
  {
    WorldLoader loader(w);
    for (int p = 0; p < kProvinces; ++p) {
      loader.Province(p);
      std::fprintf(stderr, "\rloading: province %d/%d, %lld events", p + 1,
                   kProvinces, static_cast<long long>(w.events));
    }
    loader.Flush();
  }
  std::fprintf(stderr, "\n");
  MeasureFootprint(w);

  // A restart: the checkpoint read back into a fresh store.
  AggregationStore reloaded(*w.db, UnitTree());
  const absl::Time start = absl::Now();
  if (!reloaded.Init().ok()) std::exit(1);
  w.load_time = absl::Now() - start;
}

const absl::Time kNow = Local(2026, 7, 20, 9);

void BM_CommuneRollup(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_world->store->Query(
        kNow, [](const RollupView& v) { return v.Rollup(CommuneCode(0, 0)); }));
  }
}
BENCHMARK(BM_CommuneRollup)->Unit(benchmark::kMicrosecond);

void BM_ProvinceRollup(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_world->store->Query(
        kNow, [](const RollupView& v) { return v.Rollup(ProvinceCode(0)); }));
  }
}
BENCHMARK(BM_ProvinceRollup)->Unit(benchmark::kMillisecond);

void BM_ProvinceRollupAsOf(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_world->store->Query(
        Local(2026, 4, 30, 23),
        [](const RollupView& v) { return v.Rollup(ProvinceCode(0)); }));
  }
}
BENCHMARK(BM_ProvinceRollupAsOf)->Unit(benchmark::kMillisecond);

void BM_CountryRollup(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_world->store->Query(
        kNow, [](const RollupView& v) { return v.Rollup("vn"); }));
  }
}
BENCHMARK(BM_CountryRollup)->Unit(benchmark::kMillisecond);

void BM_ProvinceKpis(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_world->store->Query(
        kNow, [](const RollupView& v) { return v.Kpis(ProvinceCode(0)); }));
  }
}
BENCHMARK(BM_ProvinceKpis)->Unit(benchmark::kMillisecond);

void BM_ProvinceReportingRates(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        g_world->store->Query(kNow, [](const RollupView& v) {
          return v.ReportingRates(ProvinceCode(0), "2026-05");
        }));
  }
}
BENCHMARK(BM_ProvinceReportingRates)->Unit(benchmark::kMillisecond);

void BM_ProvinceRanking(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        g_world->store->Query(kNow, [](const RollupView& v) {
          return v.Ranking(ProvinceCode(0), DefaultRankingWeights());
        }));
  }
}
BENCHMARK(BM_ProvinceRanking)->Unit(benchmark::kMillisecond);

void BM_ProvinceMonthlyReport(benchmark::State& state) {
  const absl::CivilMonth june(2026, 6);
  for (auto _ : state) {
    benchmark::DoNotOptimize(g_world->store->Query(
        MonthDataTime(june, kNow), [&](const RollupView& end) {
          v1::MonthlyReport r = BuildMonthlyReport(end, end.WithInstant(kNow),
                                                   ProvinceCode(0), june);
          std::string type;
          return RenderMonthlyReport(r, v1::REPORT_FORMAT_HTML, &type);
        }));
  }
}
BENCHMARK(BM_ProvinceMonthlyReport)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tiendo::aggregation

int main(int argc, char** argv) {
  using namespace tiendo::aggregation;
  if (const char* env = std::getenv("TIENDO_BENCH_SCALE")) {
    (void)absl::SimpleAtod(env, &g_scale);
  }
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--scale=", 8) == 0) {
      (void)absl::SimpleAtod(argv[i] + 8, &g_scale);
      continue;
    }
    args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  World world;
  g_world = &world;
  Load(world);
  std::printf(
      "%d communes in %d provinces, %lld tasks, %lld events applied in %s "
      "(%.0f events/s through SQLite and memory)\n",
      world.communes, kProvinces, static_cast<long long>(world.tasks),
      static_cast<long long>(world.events),
      absl::FormatDuration(world.apply_time).c_str(),
      world.events / absl::ToDoubleSeconds(world.apply_time));
  std::printf(
      "memory %.0f bytes/event (%.1f MiB), checkpoint %.0f bytes/event "
      "(%.1f MiB), restart loads it in %s\n",
      static_cast<double>(world.rss_after - world.rss_before) / world.events,
      (world.rss_after - world.rss_before) / 1048576.0,
      static_cast<double>(world.db_bytes) / world.events,
      world.db_bytes / 1048576.0,
      absl::FormatDuration(world.load_time).c_str());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::string cmd = "rm -rf " + world.dir;
  return std::system(cmd.c_str()) == 0 ? 0 : 1;
}
