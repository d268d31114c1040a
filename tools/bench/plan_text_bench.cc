// How fast plan documents are read: whole seeds, and the phrase readers on
// their own. Figures are printed, not asserted: `build/bin/plan_text_bench`.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

#include "services/plan/text/agency_registry.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/plan_text_parser.h"
#include "services/plan/text/targets.h"
#include "services/plan/text/timeframe.h"

namespace tiendo::plantext {
namespace {

std::string Example(const std::string& name) {
  std::ifstream in(std::string(TIENDO_SOURCE_DIR) + "/examples/plans/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const AgencyRegistry& Registry() {
  static const auto* registry =
      new AgencyRegistry(*AgencyRegistry::FromJson(DefaultRegistryJson()));
  return *registry;
}

void ParseSeed(benchmark::State& state, const std::string& name) {
  const std::string text = Example(name);
  int tasks = 0;
  for (auto _ : state) {
    absl::StatusOr<ParsedPlan> parsed = ParsePlanText(text, Registry(), {});
    if (!parsed.ok()) {
      state.SkipWithError(std::string(parsed.status().message()).c_str());
      return;
    }
    tasks = 0;
    for (const auto& section : parsed->request.sections()) {
      tasks += section.tasks_size();
    }
    benchmark::DoNotOptimize(parsed);
  }
  state.SetBytesProcessed(state.iterations() *
                          static_cast<int64_t>(text.size()));
  state.counters["tasks"] = tasks;
  state.counters["tasks/s"] = benchmark::Counter(
      static_cast<double>(tasks) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_ParseCommuneTable(benchmark::State& state) {
  ParseSeed(state, "vinh-thuy-1199.txt");
}
BENCHMARK(BM_ParseCommuneTable)->Unit(benchmark::kMillisecond);

void BM_ParseProvincialProse(benchmark::State& state) {
  ParseSeed(state, "dong-thap-2026.txt");
}
BENCHMARK(BM_ParseProvincialProse)->Unit(benchmark::kMillisecond);

void BM_ParseTimeframe(benchmark::State& state) {
  const std::string text =
      "Hoàn thành làm sạch dữ liệu đất đai trong tháng 4/2026. Đề xuất sử "
      "dụng dữ liệu để cắt giảm TTHC trong Quý II/2026.";
  for (auto _ : state) {
    benchmark::DoNotOptimize(ParseTimeframe(text, {.plan_year = 2026}));
  }
}
BENCHMARK(BM_ParseTimeframe)->Unit(benchmark::kMicrosecond);

void BM_ExtractTargets(benchmark::State& state) {
  const std::string text =
      "đối tượng Bảo trợ xã hội phấn đấu đạt tỷ lệ 90% trong Quý I năm 2026, "
      "100% trong Quý II năm 2026";
  TargetContext context;
  context.plan_year = 2026;
  context.fallback_due = YearEnd(2026);
  for (auto _ : state) {
    benchmark::DoNotOptimize(ExtractTargets(text, context));
  }
}
BENCHMARK(BM_ExtractTargets)->Unit(benchmark::kMicrosecond);

void BM_ResolveAgencies(benchmark::State& state) {
  const std::string text =
      "Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ, các sở, ban, ngành "
      "tỉnh, UBND cấp xã";
  for (auto _ : state) {
    benchmark::DoNotOptimize(Registry().Resolve("dong-thap", text));
  }
}
BENCHMARK(BM_ResolveAgencies)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tiendo::plantext

BENCHMARK_MAIN();
