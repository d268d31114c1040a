// The deadline scanner at national scale: 34 provinces x 97 communes, 40
// tasks per commune plan (a quarter of them monthly reports with twelve
// occurrences, the rest one or two dated milestones), stored by PlanStore
// in a temporary SQLite file. Measures one scanner tick
// (AnnounceDueReminders) when nothing is due, when N points are due among
// millions, and at the midnight when every commune's monthly report is
// reminded at once; prints the database bytes and the process memory per
// scheduled occurrence. Figures are printed, not asserted.
//
//   build/bin/scanner_bench [--scale=0.1] [--db=PATH] [benchmark flags]
//
// --scale (or TIENDO_BENCH_SCALE) multiplies the number of communes; 1 is
// the whole country (about 3,300 plans, 545,000 occurrences, 1.8 million
// reminder points, a few minutes to load). Loading reports progress on
// stderr.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "services/plan/plan_builder.h"
#include "services/plan/plan_store.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {
namespace {

constexpr int kProvinces = 34;
constexpr int kCommunesPerProvince = 97;
constexpr int kTasksPerPlan = 40;
constexpr int kReportTasks = kTasksPerPlan / 4;

// Plans are issued mid-January 2026: their reports run January to
// December and every dated milestone falls from March on, so nothing is
// due on 20 January.
const absl::CivilDay kIssued(2026, 1, 15);

absl::Time Local(int y, int m, int d, int h = 0, int mi = 0) {
  return StartOfLocalDay(absl::CivilDay(y, m, d)) + absl::Hours(h) +
         absl::Minutes(mi);
}

// Resident and peak memory of this process, from /proc.
struct Memory {
  int64_t rss = 0;
  int64_t peak = 0;
};

Memory ReadMemory() {
  Memory memory;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    int64_t kib = 0;
    auto take = [&](const char* field, int64_t& out) {
      if (line.rfind(field, 0) != 0) return;
      if (sscanf(line.c_str() + strlen(field), "%ld", &kib) == 1) {
        out = kib * 1024;
      }
    };
    take("VmRSS:", memory.rss);
    take("VmHWM:", memory.peak);
  }
  return memory;
}

double Mib(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

// A small deterministic generator, so every run builds the same plans.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  int Uniform(int n) { return static_cast<int>(Next() % n); }

 private:
  uint64_t state_;
};

v1::LocalDate ToDate(absl::CivilDay day) {
  v1::LocalDate date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

// One commune's plan, as plan import would produce it.
v1::CreatePlanRequest CommunePlan(int province, int commune) {
  const std::string unit = absl::StrFormat("t%02d-x%02d", province, commune);
  Random random(static_cast<uint64_t>(province * 1000 + commune));
  v1::CreatePlanRequest request;
  request.set_unit(unit);
  request.set_unit_name(absl::StrCat("Xã ", unit));
  request.set_number("1199/KH-UBND");
  *request.mutable_issued() = ToDate(kIssued);
  request.set_year(2026);
  request.set_title(
      "Triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh "
      "và xác thực điện tử năm 2026");
  const std::vector<std::string> agencies = {unit + ".congan", unit + ".kinhte",
                                             unit + ".vhxh", unit + ".hcc",
                                             unit + ".tramyte"};
  for (const std::string& code : agencies) {
    request.add_agencies()->set_code(code);
  }
  request.set_standing_agency(agencies[0]);
  v1::SectionSpec* work = request.add_sections();
  work->set_code("I");
  v1::SectionSpec* reports = request.add_sections();
  reports->set_code("BC");
  for (int t = 0; t < kTasksPerPlan; ++t) {
    const bool report = t < kReportTasks;
    v1::TaskSpec* task = (report ? reports : work)->add_tasks();
    task->set_number(absl::StrCat(t + 1));
    task->add_lead_agencies(agencies[random.Uniform(5)]);
    task->add_coordinating_agencies(agencies[random.Uniform(5)]);
    task->add_directing_documents(
        "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ");
    if (report) {
      task->set_title(
          "Báo cáo định kỳ tình hình, kết quả thực hiện Đề án 06 gửi Cơ quan "
          "Thường trực");
      task->set_timeframe("Trước ngày 12 hằng tháng");
      task->set_kind(v1::TASK_KIND_REPORT);
      v1::Recurrence* every = task->mutable_schedule()->mutable_recurrence();
      every->set_every(v1::PERIOD_MONTH);
      every->set_day(random.Uniform(2) == 0 ? 12 : 10);
      continue;
    }
    task->set_title(
        "Rà soát, làm sạch dữ liệu chuyên ngành, bảo đảm đúng, đủ, sạch, "
        "sống và kết nối với Cơ sở dữ liệu quốc gia về dân cư");
    task->set_timeframe("Hoàn thành trước ngày ... /2026");
    const int milestones = 1 + random.Uniform(2);
    for (int m = 0; m < milestones; ++m) {
      const absl::CivilDay due =
          absl::CivilDay(2026, 3, 1) + random.Uniform(300);
      v1::Milestone* milestone = task->mutable_schedule()->add_milestones();
      *milestone->mutable_due() = ToDate(due);
      *task->mutable_due_date() = ToDate(due);
    }
  }
  return request;
}

struct Bench {
  std::string path;
  std::unique_ptr<SimulatedClock> clock;
  std::unique_ptr<Database> db;
  std::unique_ptr<Outbox> outbox;
  std::unique_ptr<PlanStore> store;
  int64_t units = 0;
  int64_t occurrences = 0;
  int64_t points = 0;
};

Bench* bench = nullptr;

absl::Status Exec(const std::string& sql) {
  return bench->db->Read([&] { return bench->db->Exec(sql); });
}

int64_t QueryInt(const std::string& sql) {
  int64_t value = -1;
  absl::Status status = bench->db->Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = bench->db->Prepare(sql);
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (*row) value = q->Int(0);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    fprintf(stderr, "%s: %s\n", sql.c_str(), status.ToString().c_str());
  }
  return value;
}

// The publisher sends and deletes the outbox in production; here the events
// are dropped so they neither pile up nor count as plan data.
void DropOutbox() {
  absl::Status s = Exec("DELETE FROM outbox");
  if (!s.ok()) fprintf(stderr, "outbox: %s\n", s.ToString().c_str());
}

absl::Status Load(int64_t units) {
  const absl::Time start = absl::Now();
  // Loading is not what is measured: no fsync per plan while loading.
  if (absl::Status s = Exec("PRAGMA synchronous=OFF"); !s.ok()) return s;
  for (int64_t u = 0; u < units; ++u) {
    const int province = static_cast<int>(u / kCommunesPerProvince);
    const int commune = static_cast<int>(u % kCommunesPerProvince);
    absl::StatusOr<PlanDraft> draft = BuildPlan(CommunePlan(province, commune));
    if (!draft.ok()) return draft.status();
    for (const v1::Task& task : draft->tasks) {
      bench->occurrences += task.occurrences_size();
    }
    if (absl::Status s = bench->store->CreatePlan(*draft); !s.ok()) return s;
    if ((u + 1) % 100 == 0) DropOutbox();
    if ((u + 1) % 250 == 0 || u + 1 == units) {
      fprintf(stderr, "\rloading plans: %ld/%ld units (%.0f%%), %.0f s",
              static_cast<long>(u + 1), static_cast<long>(units),
              100.0 * static_cast<double>(u + 1) / static_cast<double>(units),
              absl::ToDoubleSeconds(absl::Now() - start));
    }
  }
  fprintf(stderr, "\n");
  DropOutbox();
  bench->units = units;
  bench->points = QueryInt("SELECT count(*) FROM reminders");
  if (absl::Status s = Exec("PRAGMA wal_checkpoint(TRUNCATE)"); !s.ok()) {
    return s;
  }
  // Ticks are measured as the service runs them.
  return Exec("PRAGMA synchronous=FULL");
}

void PrintSizes(const Memory& before, const Memory& loaded) {
  const int64_t page = QueryInt("PRAGMA page_size");
  const int64_t pages = QueryInt("PRAGMA page_count");
  const int64_t free_pages = QueryInt("PRAGMA freelist_count");
  const int64_t used = (pages - free_pages) * page;
  const double per_occurrence =
      static_cast<double>(used) / static_cast<double>(bench->occurrences);
  printf(
      "national plan set: %ld units, %ld tasks, %ld occurrences, %ld "
      "reminder points\n",
      static_cast<long>(bench->units),
      static_cast<long>(bench->units * kTasksPerPlan),
      static_cast<long>(bench->occurrences), static_cast<long>(bench->points));
  printf(
      "database: %.1f MiB in use (%.1f MiB file), %.0f bytes per "
      "occurrence, %.0f per reminder point\n",
      Mib(used), Mib(pages * page), per_occurrence,
      static_cast<double>(used) / static_cast<double>(bench->points));
  // Where the bytes are, when SQLite has the dbstat table.
  absl::Status status = bench->db->Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = bench->db->Prepare(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name "
        "ORDER BY 2 DESC LIMIT 8");
    if (!q.ok()) return q.status();
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      printf("  %-28s %8.1f MiB  %6.0f bytes/occurrence\n", q->Text(0).c_str(),
             Mib(q->Int(1)),
             static_cast<double>(q->Int(1)) /
                 static_cast<double>(bench->occurrences));
    }
  });
  if (!status.ok()) printf("  (no dbstat: %s)\n", status.ToString().c_str());
  printf(
      "memory: resident %.1f MiB before loading, %.1f MiB after (peak "
      "%.1f MiB): %.1f bytes per scheduled occurrence. The scanner keeps "
      "no occurrence in memory; what grows is SQLite's page cache and "
      "the allocator's free lists.\n",
      Mib(before.rss), Mib(loaded.rss), Mib(loaded.peak),
      static_cast<double>(loaded.rss - before.rss) /
          static_cast<double>(bench->occurrences));
  fflush(stdout);
}

// 20 January 2026, noon: no reminder point is due.
const absl::Time kQuiet = Local(2026, 1, 20, 12);

void BM_TickNothingDue(benchmark::State& state) {
  for (auto _ : state) {
    absl::StatusOr<int> sent = bench->store->AnnounceDueReminders(kQuiet);
    if (!sent.ok() || *sent != 0) {
      state.SkipWithError("a quiet tick announced something");
      return;
    }
  }
  state.counters["points"] = static_cast<double>(bench->points);
  state.counters["due"] = 0;
}

// N overdue points of N occurrences spread over the whole set are made due
// at kQuiet (outside the timing), the tick announces them, and they are put
// back.
void BM_TickWithDue(benchmark::State& state) {
  const int64_t n = state.range(0);
  std::vector<std::tuple<int64_t, int64_t>> chosen;  // occurrence, fire_at
  absl::Status status = bench->db->Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = bench->db->Prepare(
        "SELECT occurrence, fire_at FROM reminders WHERE overdue = 1 AND "
        "state = 1 AND occurrence % ?1 = 0 LIMIT ?2");
    if (!q.ok()) return q.status();
    q->Bind(std::max<int64_t>(1, bench->occurrences / n), n);
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      chosen.emplace_back(q->Int(0), q->Int(1));
    }
  });
  if (!status.ok() || static_cast<int64_t>(chosen.size()) != n) {
    state.SkipWithError("not enough occurrences at this scale");
    return;
  }
  auto move = [&](bool due) {
    return bench->db->Transaction([&]() -> absl::Status {
      absl::StatusOr<Statement> u = bench->db->Prepare(
          "UPDATE reminders SET fire_at = ?1, state = 1 WHERE occurrence = ?2 "
          "AND overdue = 1");
      if (!u.ok()) return u.status();
      for (const auto& [occurrence, fire_at] : chosen) {
        u->Reset();
        u->Bind(due ? absl::ToUnixSeconds(kQuiet) - 60 : fire_at, occurrence);
        if (absl::Status s = u->Run(); !s.ok()) return s;
      }
      return absl::OkStatus();
    });
  };
  int64_t sent_total = 0;
  for (auto _ : state) {
    state.PauseTiming();
    if (!move(true).ok()) {
      state.SkipWithError("could not prepare the due points");
      return;
    }
    state.ResumeTiming();
    absl::StatusOr<int> sent = bench->store->AnnounceDueReminders(kQuiet);
    state.PauseTiming();
    if (!sent.ok() || *sent != n) {
      state.SkipWithError("the tick did not announce every due point");
      return;
    }
    sent_total += *sent;
    if (!move(false).ok()) {
      state.SkipWithError("could not put the points back");
      return;
    }
    DropOutbox();
    state.ResumeTiming();
  }
  state.counters["due"] = static_cast<double>(n);
  state.counters["per_due"] = benchmark::Counter(
      static_cast<double>(sent_total),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Midnight starting 9 February 2026: the January report of every commune
// whose plan says "trước ngày 12" is reminded 3 days before its cut-off,
// together with the milestones of the day.
void BM_TickReportMidnight(benchmark::State& state) {
  const absl::Time midnight = Local(2026, 2, 9, 0, 1);
  const int64_t due = QueryInt(absl::StrCat(
      "SELECT count(*) FROM reminders WHERE state = 1 AND fire_at <= ",
      absl::ToUnixSeconds(midnight)));
  for (auto _ : state) {
    absl::StatusOr<int> sent = bench->store->AnnounceDueReminders(midnight);
    state.PauseTiming();
    if (!sent.ok()) {
      state.SkipWithError(sent.status().ToString().c_str());
      return;
    }
    state.counters["sent"] = *sent;
    // Back to pending for the next iteration.
    if (!Exec(absl::StrCat("UPDATE reminders SET state = 1 WHERE state IN "
                           "(2, 4) AND fire_at <= ",
                           absl::ToUnixSeconds(midnight)))
             .ok()) {
      state.SkipWithError("could not put the points back");
      return;
    }
    DropOutbox();
    state.ResumeTiming();
  }
  state.counters["due"] = static_cast<double>(due);
}

double ScaleFrom(int& argc, char** argv, std::string& db_path) {
  double scale = 1.0;
  if (const char* env = getenv("TIENDO_BENCH_SCALE")) {
    if (!absl::SimpleAtod(env, &scale)) scale = 1.0;
  }
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--scale=", 0) == 0) {
      if (!absl::SimpleAtod(arg.substr(8), &scale)) {
        fprintf(stderr, "--scale: '%s' is not a number\n", arg.c_str() + 8);
        exit(2);
      }
    } else if (arg.rfind("--db=", 0) == 0) {
      db_path = arg.substr(5);
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  return scale;
}

int Main(int argc, char** argv) {
  std::string db_path;
  const double scale = ScaleFrom(argc, argv, db_path);
  benchmark::Initialize(&argc, argv);
  const bool keep = !db_path.empty();
  if (db_path.empty()) {
    const char* tmp = getenv("TMPDIR");
    db_path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/scanner-bench-",
                           getpid(), ".db");
  }
  std::remove(db_path.c_str());
  const int64_t units = std::max<int64_t>(
      1, std::llround(kProvinces * kCommunesPerProvince * scale));

  const Memory before = ReadMemory();
  Bench state;
  bench = &state;
  state.path = db_path;
  state.clock = std::make_unique<SimulatedClock>(kQuiet, "");
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(db_path);
  if (!db.ok()) {
    fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  state.db = *std::move(db);
  state.outbox = std::make_unique<Outbox>(*state.db, "plan", *state.clock);
  state.store = std::make_unique<PlanStore>(*state.db, *state.outbox);
  if (absl::Status s = state.outbox->Init(); !s.ok()) {
    fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  if (absl::Status s = state.store->Init(); !s.ok()) {
    fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  fprintf(stderr, "scale %.3g: %ld commune plans into %s\n", scale,
          static_cast<long>(units), db_path.c_str());
  if (absl::Status s = Load(units); !s.ok()) {
    fprintf(stderr, "loading failed: %s\n", s.ToString().c_str());
    return 1;
  }
  PrintSizes(before, ReadMemory());

  benchmark::RegisterBenchmark("BM_TickNothingDue", BM_TickNothingDue)
      ->Unit(benchmark::kMicrosecond);
  auto* with_due =
      benchmark::RegisterBenchmark("BM_TickWithDue", BM_TickWithDue)
          ->Unit(benchmark::kMillisecond);
  for (int64_t n : {1, 10, 100, 1000, 10000}) {
    if (n <= state.occurrences / 4) with_due->Arg(n);
  }
  benchmark::RegisterBenchmark("BM_TickReportMidnight", BM_TickReportMidnight)
      ->Unit(benchmark::kMillisecond)
      ->Iterations(3);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  const Memory after = ReadMemory();
  printf("memory after the ticks: resident %.1f MiB (peak %.1f MiB)\n",
         Mib(after.rss), Mib(after.peak));
  state.store.reset();
  state.outbox.reset();
  state.db.reset();
  if (!keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((db_path + suffix).c_str());
    }
  }
  return 0;
}

}  // namespace
}  // namespace tiendo::plan

int main(int argc, char** argv) { return tiendo::plan::Main(argc, argv); }
