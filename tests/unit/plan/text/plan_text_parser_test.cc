// The whole-document reader on real plans: the two seeds, spreadsheet
// exports of the seed's appendix, plans written in the same conventions,
// and documents that are not plans at all.
#include "services/plan/text/plan_text_parser.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/plan_document.h"
#include "tests/support/test_registry.h"

namespace tiendo::plantext {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;
using ::tiendo::testing::ShippedRegistry;

using Codes = std::vector<std::string>;

// ------------------------------------------------------------ helpers

const AgencyRegistry& Registry() { return ShippedRegistry(); }

std::string ReadSourceFile(absl::string_view path) {
  const std::string full = absl::StrCat(TIENDO_SOURCE_DIR, "/", path);
  std::ifstream in(full, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << full;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

absl::StatusOr<ParsedPlan> Parse(absl::string_view text,
                                 const ParseOptions& options = {}) {
  return ParsePlanText(text, Registry(), options);
}

ParsedPlan MustParse(absl::string_view text, const ParseOptions& options = {}) {
  absl::StatusOr<ParsedPlan> parsed = Parse(text, options);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  return parsed.ok() ? *std::move(parsed) : ParsedPlan();
}

const ParsedPlan& VinhThuy() {
  static const ParsedPlan* const plan = new ParsedPlan(
      MustParse(ReadSourceFile("examples/plans/vinh-thuy-1199.txt")));
  return *plan;
}

const ParsedPlan& DongThap() {
  static const ParsedPlan* const plan = new ParsedPlan(
      MustParse(ReadSourceFile("examples/plans/dong-thap-2026.txt")));
  return *plan;
}

Codes Strings(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return {values.begin(), values.end()};
}

const v1::TaskSpec* FindTask(const v1::CreatePlanRequest& request,
                             absl::string_view section,
                             absl::string_view number) {
  for (const v1::SectionSpec& spec : request.sections()) {
    if (spec.code() != section) continue;
    for (const v1::TaskSpec& task : spec.tasks()) {
      if (task.number() == number) return &task;
    }
  }
  return nullptr;
}

// Section code -> number of tasks, in the order written.
std::vector<std::pair<std::string, int>> TaskCounts(
    const v1::CreatePlanRequest& request) {
  std::vector<std::pair<std::string, int>> counts;
  for (const v1::SectionSpec& section : request.sections()) {
    counts.emplace_back(section.code(), section.tasks_size());
  }
  return counts;
}

// The source line of a task; -1 when there is no such task.
int LineOf(const v1::CreatePlanRequest& request, absl::string_view section,
           absl::string_view number) {
  const v1::TaskSpec* task = FindTask(request, section, number);
  return task == nullptr ? -1 : task->source_line();
}

int TaskTotal(const v1::CreatePlanRequest& request, v1::TaskKind kind) {
  int total = 0;
  for (const v1::SectionSpec& section : request.sections()) {
    for (const v1::TaskSpec& task : section.tasks()) {
      if (task.kind() == kind) ++total;
    }
  }
  return total;
}

std::string Date(const v1::LocalDate& date) { return IsoDate(date); }

// A schedule in one line: "due 2026-04-30; due 2026-06-30", "ongoing from
// 2026-01-01", "ongoing until 2026-06-30 (expected); triggered", "every
// month before day 12", "not understood 'Quý V/2026'".
std::string Describe(const v1::Schedule& schedule) {
  std::vector<std::string> parts;
  for (const v1::Milestone& milestone : schedule.milestones()) {
    parts.push_back(absl::StrCat("due ", Date(milestone.due())));
  }
  if (schedule.has_ongoing()) {
    std::string ongoing = "ongoing";
    if (schedule.ongoing().start().year() != 0) {
      absl::StrAppend(&ongoing, " from ", Date(schedule.ongoing().start()));
    }
    if (schedule.ongoing().until().year() != 0) {
      absl::StrAppend(&ongoing, " until ", Date(schedule.ongoing().until()));
      if (schedule.ongoing().until_expected()) {
        absl::StrAppend(&ongoing, " (expected)");
      }
    }
    parts.push_back(ongoing);
  }
  if (schedule.has_recurrence()) {
    std::string every = absl::AsciiStrToLower(absl::StripPrefix(
        v1::Period_Name(schedule.recurrence().every()), "PERIOD_"));
    std::string recurrence = absl::StrCat("every ", every);
    if (schedule.recurrence().day() != 0) {
      absl::StrAppend(&recurrence, " before day ", schedule.recurrence().day());
    }
    parts.push_back(recurrence);
  }
  if (schedule.triggered()) parts.push_back("triggered");
  for (const std::string& part : schedule.not_understood()) {
    parts.push_back(absl::StrCat("not understood '", part, "'"));
  }
  return absl::StrJoin(parts, "; ");
}

// "81% at_least due 2026-12-31" for every target of a task.
Codes Targets(const v1::TaskSpec& task) {
  Codes out;
  for (const v1::Target& target : task.targets()) {
    out.push_back(absl::StrFormat(
        "%g%% %s due %s", target.percent(),
        absl::AsciiStrToLower(absl::StripPrefix(
            v1::TargetDirection_Name(target.direction()), "TARGET_DIRECTION_")),
        Date(target.due())));
  }
  return out;
}

// "06/QĐ-TTg 2022-01-06" for every document of a task.
Codes Documents(const v1::TaskSpec& task) {
  Codes out;
  for (const v1::DocumentRef& document : task.documents()) {
    out.push_back(absl::StrCat(document.number(), " ", Date(document.date())));
  }
  return out;
}

// Everything a task says once read, except its line, for comparing two
// renderings of the same task.
std::string Facts(const v1::TaskSpec& task, bool with_texts = true) {
  std::vector<std::string> lines = {
      absl::StrCat("kind: ", v1::TaskKind_Name(task.kind())),
      absl::StrCat("lead: ", absl::StrJoin(task.lead_agencies(), ", ")),
      absl::StrCat("coordinators: ",
                   absl::StrJoin(task.coordinating_agencies(), ", ")),
      absl::StrCat("unknown: ", absl::StrJoin(task.unknown_agencies(), ", ")),
      absl::StrCat("documents: ", absl::StrJoin(Documents(task), ", ")),
      absl::StrCat("schedule: ", Describe(task.schedule())),
      absl::StrCat("due: ", Date(task.due_date())),
      absl::StrCat("targets: ", absl::StrJoin(Targets(task), ", ")),
      absl::StrCat("needs_review: ", absl::StrJoin(task.needs_review(), ", ")),
  };
  if (with_texts) {
    lines.push_back(absl::StrCat("title: ", task.title()));
    lines.push_back(absl::StrCat("result: ", task.expected_result()));
    lines.push_back(absl::StrCat("timeframe: ", task.timeframe()));
  }
  return absl::StrJoin(lines, "\n");
}

// A CSV record as spreadsheets write it: cells holding the delimiter, a
// quote or a line break are quoted, quotes doubled.
std::string CsvRecord(const std::vector<std::string>& cells, char delimiter) {
  std::vector<std::string> out;
  for (const std::string& cell : cells) {
    if (absl::StrContains(cell, delimiter) || absl::StrContains(cell, '"') ||
        absl::StrContains(cell, '\n')) {
      out.push_back(absl::StrCat(
          "\"", absl::StrReplaceAll(cell, {{"\"", "\"\""}}), "\""));
    } else {
      out.push_back(cell);
    }
  }
  return absl::StrJoin(out, std::string(1, delimiter));
}

std::string Csv(const std::vector<std::vector<std::string>>& rows,
                char delimiter, absl::string_view line_end) {
  std::string out;
  for (const std::vector<std::string>& row : rows) {
    absl::StrAppend(&out, CsvRecord(row, delimiter), line_end);
  }
  return out;
}

constexpr absl::string_view kHeaderTsv =
    "TT\tNhiệm vụ\tVăn bản chỉ đạo\tCơ quan chủ trì\tCơ quan phối hợp\tThời "
    "gian thực hiện\tKết quả/sản phẩm";

// A small Vĩnh Thủy plan: header lines, then `table` (rows after the
// header). The header row is on line 4.
std::string VinhThuyTable(absl::string_view table) {
  return absl::StrCat("Số: 12/KH-UBND\nVĩnh Thủy, ngày 2 tháng 3 năm 2026\n\n",
                      kHeaderTsv, "\n", table);
}

// "Các phòng, ban, trung tâm, đoàn thể, đơn vị" and the like in Vĩnh Thủy.
Codes VtGroup() {
  return {"vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.hcc",
          "vinhthuy.tramyte", "vinhthuy.mttq"};
}

Codes Plus(Codes codes, const Codes& more) {
  codes.insert(codes.end(), more.begin(), more.end());
  return codes;
}

Codes Without(const Codes& codes, absl::string_view code) {
  Codes out;
  for (const std::string& c : codes) {
    if (c != code) out.push_back(c);
  }
  return out;
}

// ------------------------------------------------ 1. the Vĩnh Thủy seed

TEST(PlanTextSeedVinhThuy, HeaderIsReadFromTheTableDocument) {
  const ParsedPlan& parsed = VinhThuy();
  const v1::CreatePlanRequest& plan = parsed.request;
  EXPECT_EQ(parsed.format, PlanFormat::kTable);
  EXPECT_EQ(plan.number(), "1199/KH-UBND");
  EXPECT_EQ(Date(plan.issued()), "2026-05-25");
  EXPECT_EQ(plan.unit(), "vinh-thuy");
  EXPECT_EQ(plan.unit_name(), "Vĩnh Thủy");
  EXPECT_EQ(plan.implements(), "1965/KH-UBND");
  EXPECT_EQ(plan.implements_document().kind(), "Kế hoạch");
  EXPECT_EQ(Date(plan.implements_document().date()), "2026-04-20");
  EXPECT_EQ(plan.year(), 2026);
  EXPECT_EQ(plan.standing_agency(), "vinhthuy.congan");
  EXPECT_THAT(plan.title(), StartsWith("Triển khai thực hiện Đề án"));
  EXPECT_THAT(plan.title(), HasSubstr("xã Vĩnh Thủy năm 2026"));
  EXPECT_THAT(plan.needs_review(), IsEmpty());
}

TEST(PlanTextSeedVinhThuy, HasTwentyTwoWorkTasksInSixSectionsAndOneReport) {
  const v1::CreatePlanRequest& plan = VinhThuy().request;
  EXPECT_THAT(TaskCounts(plan),
              ElementsAre(std::pair<std::string, int>("I", 4),
                          std::pair<std::string, int>("II", 3),
                          std::pair<std::string, int>("III", 5),
                          std::pair<std::string, int>("IV", 5),
                          std::pair<std::string, int>("V", 4),
                          std::pair<std::string, int>("VI", 1),
                          std::pair<std::string, int>("BC", 1)));
  EXPECT_EQ(TaskTotal(plan, v1::TASK_KIND_WORK), 22);
  EXPECT_EQ(TaskTotal(plan, v1::TASK_KIND_REPORT), 1);
  ASSERT_GE(plan.sections_size(), 6);
  EXPECT_EQ(plan.sections(1).title(), "CẢI CÁCH TTHC GẮN VỚI ĐỀ ÁN 06");
  EXPECT_EQ(plan.sections(5).title(),
            "QUÁN TRIỆT, TUYÊN TRUYỀN, NÂNG CAO NHẬN THỨC TRONG TRIỂN KHAI "
            "ĐỀ ÁN 06");
}

TEST(PlanTextSeedVinhThuy, ReportTaskIsMonthlyBeforeTheTwelfthByCommunePolice) {
  const v1::TaskSpec* report = FindTask(VinhThuy().request, "BC", "1");
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->kind(), v1::TASK_KIND_REPORT);
  EXPECT_EQ(Describe(report->schedule()), "every month before day 12");
  EXPECT_EQ(report->schedule().recurrence().every(), v1::PERIOD_MONTH);
  EXPECT_EQ(report->schedule().recurrence().day(), 12);
  EXPECT_THAT(report->lead_agencies(), ElementsAre("vinhthuy.congan"));
  EXPECT_THAT(report->title(), HasSubstr("báo cáo định kỳ trước ngày 12"));
  EXPECT_EQ(report->source_line(), 55);
}

TEST(PlanTextSeedVinhThuy, RowsBrokenAtPageBreaksAreJoined) {
  const v1::CreatePlanRequest& plan = VinhThuy().request;
  const v1::TaskSpec* land = FindTask(plan, "IV", "2");
  ASSERT_NE(land, nullptr);
  EXPECT_THAT(land->title(), HasSubstr("phục vụ cắt giảm TTHC"));
  EXPECT_THAT(land->title(), HasSubstr("nộp thuế."));
  EXPECT_EQ(land->source_line(), 116);

  // "<p>Phòng Văn hóa - Xã</p>" + "<p>hội</p>" on the next page.
  const v1::TaskSpec* propaganda = FindTask(plan, "VI", "1");
  ASSERT_NE(propaganda, nullptr);
  EXPECT_THAT(propaganda->lead_agencies(), ElementsAre("vinhthuy.vhxh"));
  EXPECT_THAT(propaganda->unknown_agencies(), IsEmpty());
  EXPECT_THAT(propaganda->title(),
              StartsWith("Đẩy mạnh các hoạt động tuyên truyền, giáo dục về Đề "
                         "án 06.\nHướng dẫn người dân"));
  EXPECT_THAT(Documents(*propaganda), ElementsAre("06/QĐ-TTg 2022-01-06"));

  // "Các phòng, ban, ngành liên quan" stands for the commune's offices.
  const v1::TaskSpec* registries = FindTask(plan, "IV", "5");
  ASSERT_NE(registries, nullptr);
  EXPECT_THAT(registries->lead_agencies(), ElementsAreArray(VtGroup()));

  // A document number cut by the break: "1698/BNV-" + "TTCNTT ngày ...".
  const v1::TaskSpec* merit = FindTask(plan, "V", "1");
  ASSERT_NE(merit, nullptr);
  EXPECT_THAT(Documents(*merit), ElementsAre("06/QĐ-TTg 2022-01-06",
                                             "1698/BNV-TTCNTT 2025-04-24"));
  EXPECT_THAT(merit->expected_result(), HasSubstr("trên VNeID”"));

  // Result cells continued on the next page.
  const v1::TaskSpec* dna = FindTask(plan, "III", "4");
  ASSERT_NE(dna, nullptr);
  EXPECT_THAT(dna->expected_result(),
              HasSubstr("Công văn số 225/CAT-PC06 ngày 15/01/2026"));
  const v1::TaskSpec* cadastre = FindTask(plan, "IV", "3");
  ASSERT_NE(cadastre, nullptr);
  EXPECT_THAT(cadastre->expected_result(),
              HasSubstr("liên tục và đồng bộ dữ liệu theo thời gian thực"));
}

// One task of the seed's appendix, as domain.md and the seed say it must
// be read.
struct SeedTask {
  std::string section;
  std::string number;
  Codes lead;
  Codes coordinators;
  Codes documents;
  std::string schedule;  // Describe()
  std::string due;       // "" for none
  Codes targets;         // Targets()
};

void PrintTo(const SeedTask& task, std::ostream* os) {
  *os << task.section << "." << task.number;
}

std::string SeedTaskName(const ::testing::TestParamInfo<SeedTask>& info) {
  return absl::StrReplaceAll(
      absl::StrCat(info.param.section, "_", info.param.number), {{".", "_"}});
}

// A table of the expected tasks, one row each, not steps to split.
// NOLINTNEXTLINE(readability-function-size)
std::vector<SeedTask> VinhThuyTasks() {
  const std::string kQd06 = "06/QĐ-TTg 2022-01-06";
  const std::string kCt07 = "07/CT-TTg 2025-03-14";
  const std::string kCongAn = "vinhthuy.congan";
  const std::string kYearEnd = "2026-12-31";
  const Codes kPayment = {"vinhthuy.congan", "vinhthuy.tct06"};
  return {
      {"I",
       "1",
       {kCongAn},
       Without(VtGroup(), kCongAn),
       {kQd06},
       "due 2026-05-31",
       "2026-05-31",
       {}},
      {"I",
       "2",
       {"vinhthuy.kinhte"},
       Plus({kCongAn}, Without(VtGroup(), "vinhthuy.kinhte")),
       {kQd06},
       "due 2026-12-31",
       kYearEnd,
       {}},
      {"I", "3", {kCongAn}, VtGroup(), {kQd06}, "due 2026-12-31", kYearEnd, {}},
      {"I",
       "4",
       {"vinhthuy.vhxh"},
       {kCongAn},
       {kQd06},
       "due 2027-03-31",
       "2027-03-31",
       {}},
      {"II",
       "1",
       {"vinhthuy.hcc"},
       Without(VtGroup(), "vinhthuy.hcc"),
       {kCt07},
       "due 2026-12-31",
       kYearEnd,
       {}},
      {"II",
       "2",
       {"vinhthuy.hcc"},
       {kCongAn},
       {kQd06, "422/QĐ-TTg 2022-04-04", "206/QĐ-TTg 2024-02-28",
        "24/CT-TTg 2025-09-13"},
       "ongoing; triggered",
       "",
       {}},
      {"II",
       "3",
       {"vinhthuy.hcc"},
       {kCongAn},
       {"693-CV/VPTW 2026-03-02", "1692/UBND-HCC 2026-03-31",
        "1040/TCT 2026-02-07"},
       "ongoing until 2026-06-30 (expected); triggered",
       "2026-06-30",
       {}},
      {"III",
       "1",
       {kCongAn},
       {},
       {kQd06},
       "ongoing",
       "",
       {"100% reach due 2026-12-31", "81% at_least due 2026-12-31",
        "80% at_least due 2026-12-31"}},
      {"III",
       "2",
       {"vinhthuy.kinhte"},
       {kCongAn, "vinhthuy.vhxh"},
       {kCt07, "08/2024/TT-BXD 2024-08-30", "09/2025/TT-BXD 2025-06-13"},
       "due 2026-12-31; triggered",
       kYearEnd,
       {}},
      {"III",
       "3",
       {"vinhthuy.vhxh"},
       {kCongAn},
       {kQd06, kCt07},
       "due 2026-12-31",
       kYearEnd,
       {}},
      {"III",
       "4",
       {kCongAn},
       {"vinhthuy.vhxh"},
       {kQd06, kCt07},
       "due 2026-05-10",
       "2026-05-10",
       {}},
      {"III",
       "5",
       {kCongAn},
       {},
       {kQd06, kCt07},
       "due 2026-12-31",
       kYearEnd,
       {}},
      {"IV", "1", {kCongAn}, VtGroup(), {kCt07}, "ongoing", "", {}},
      {"IV",
       "2",
       {"vinhthuy.kinhte"},
       {kCongAn},
       {kCt07},
       "due 2026-04-30; due 2026-06-30",
       "2026-06-30",
       {}},
      {"IV",
       "3",
       {"vinhthuy.kinhte"},
       {kCongAn},
       {"05/CT-TTg 2026-02-13"},
       "due 2026-12-31",
       kYearEnd,
       {}},
      {"IV", "4", {"vinhthuy.vhxh"}, {kCongAn}, {kQd06}, "ongoing", "", {}},
      {"IV", "5", VtGroup(), {kCongAn}, {kQd06}, "ongoing", "", {}},
      {"V",
       "1",
       {"vinhthuy.vhxh"},
       kPayment,
       {kQd06, "1698/BNV-TTCNTT 2025-04-24"},
       "due 2026-12-31",
       kYearEnd,
       {"100% strive due 2026-12-31", "100% reach due 2026-12-31"}},
      {"V",
       "2",
       {"vinhthuy.vhxh"},
       kPayment,
       {kQd06},
       "due 2026-12-31",
       kYearEnd,
       {"100% strive due 2026-12-31", "100% reach due 2026-12-31"}},
      {"V",
       "3",
       {"vinhthuy.vhxh"},
       kPayment,
       {kQd06},
       "due 2026-12-31",
       kYearEnd,
       {"91% strive due 2026-12-31", "100% reach due 2026-12-31"}},
      {"V",
       "4",
       {"vinhthuy.vhxh"},
       Plus(kPayment, {"vinhthuy.tramyte"}),
       {kCt07},
       "due 2026-12-31",
       kYearEnd,
       {"80% strive due 2026-12-31", "100% reach due 2026-12-31"}},
      {"VI", "1", {"vinhthuy.vhxh"}, kPayment, {kQd06}, "ongoing", "", {}},
  };
}

class PlanTextSeedVinhThuyTask : public ::testing::TestWithParam<SeedTask> {};

TEST_P(PlanTextSeedVinhThuyTask, MatchesTheSeedAndTheDomain) {
  const SeedTask& want = GetParam();
  const v1::TaskSpec* task =
      FindTask(VinhThuy().request, want.section, want.number);
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->kind(), v1::TASK_KIND_WORK);
  EXPECT_THAT(Strings(task->lead_agencies()), ElementsAreArray(want.lead));
  EXPECT_THAT(Strings(task->coordinating_agencies()),
              ElementsAreArray(want.coordinators));
  EXPECT_THAT(task->unknown_agencies(), IsEmpty());
  EXPECT_THAT(Documents(*task), ElementsAreArray(want.documents));
  EXPECT_EQ(Describe(task->schedule()), want.schedule)
      << task->schedule().text();
  EXPECT_EQ(Date(task->due_date()), want.due);
  EXPECT_THAT(Targets(*task), ElementsAreArray(want.targets))
      << task->expected_result();
  EXPECT_THAT(task->needs_review(), IsEmpty());
  EXPECT_FALSE(task->title().empty());
  EXPECT_GT(task->source_line(), 83);
}

INSTANTIATE_TEST_SUITE_P(AllTasks, PlanTextSeedVinhThuyTask,
                         ::testing::ValuesIn(VinhThuyTasks()), SeedTaskName);

TEST(PlanTextSeedVinhThuy, TableCoversEveryTaskOfTheAppendix) {
  EXPECT_EQ(VinhThuyTasks().size(), 22u);
}

TEST(PlanTextSeedVinhThuy, ScheduleDetailsKeepTheTextAsWritten) {
  const v1::CreatePlanRequest& plan = VinhThuy().request;
  const v1::TaskSpec* land = FindTask(plan, "IV", "2");
  ASSERT_NE(land, nullptr);
  ASSERT_EQ(land->schedule().milestones_size(), 2);
  EXPECT_THAT(land->schedule().milestones(0).text(),
              HasSubstr("trong tháng 4/2026"));
  EXPECT_THAT(land->schedule().milestones(1).text(),
              HasSubstr("trong Quý II/2026"));

  const v1::TaskSpec* numbering = FindTask(plan, "III", "2");
  ASSERT_NE(numbering, nullptr);
  EXPECT_EQ(numbering->schedule().trigger(),
            "Triển khai phần mềm định danh địa điểm ngay khi có chỉ đạo của "
            "Bộ Công an");

  const v1::TaskSpec* ids = FindTask(plan, "III", "1");
  ASSERT_NE(ids, nullptr);
  ASSERT_EQ(ids->targets_size(), 3);
  EXPECT_EQ(ids->targets(1).indicator(),
            "công dân từ đủ 14 tuổi có tài khoản định danh điện tử");
  EXPECT_TRUE(ids->targets(1).due_inferred());
}

// ------------------------------------------------- 2. the Đồng Tháp seed

// "Các sở, ban, ngành tỉnh" in Đồng Tháp, and with "UBND cấp xã".
Codes DtDepartments() {
  return {"dongthap.vpubnd",     "dongthap.sokhcn", "dongthap.sonoivu",
          "dongthap.sotaichinh", "dongthap.soyte",  "dongthap.sogddt"};
}
Codes DtDepartmentsAndCommunes() {
  return Plus(DtDepartments(), {"myphong.ubnd"});
}

TEST(PlanTextSeedDongThap, IsProseWithTheHeaderGapsFlagged) {
  const ParsedPlan& parsed = DongThap();
  const v1::CreatePlanRequest& plan = parsed.request;
  EXPECT_EQ(parsed.format, PlanFormat::kProse);
  EXPECT_EQ(plan.unit(), "dong-thap");
  EXPECT_EQ(plan.standing_agency(), "dongthap.congan");
  EXPECT_EQ(plan.implements(), "06/QĐ-TTg");
  EXPECT_EQ(Date(plan.implements_document().date()), "2022-01-06");
  EXPECT_EQ(plan.number(), "");
  EXPECT_EQ(plan.issued().year(), 0);
  EXPECT_THAT(plan.needs_review(), Contains("number"));
  EXPECT_THAT(plan.needs_review(), Contains("issued"));
  EXPECT_EQ(plan.year(), 2026);
  EXPECT_THAT(plan.title(), HasSubstr("tỉnh Đồng Tháp năm 2026"));
}

TEST(PlanTextSeedDongThap, PartTwoHasThirtyNineTaskBullets) {
  // Counted in the seed: 1. a)..đ) (5); 2.a) five "-" bullets; 2.b) one
  // paragraph under "Về pháp lý" and 3 + 3 + 2 + 3 numbered ones; 2.c)
  // 3 + 5 + 3 + 2 + 2; 2.d) two "-" bullets.
  const v1::CreatePlanRequest& plan = DongThap().request;
  EXPECT_THAT(TaskCounts(plan),
              ElementsAre(std::pair<std::string, int>("1", 5),
                          std::pair<std::string, int>("2.a", 5),
                          std::pair<std::string, int>("2.b", 12),
                          std::pair<std::string, int>("2.c", 15),
                          std::pair<std::string, int>("2.d", 2),
                          std::pair<std::string, int>("BC", 2)));
  EXPECT_EQ(TaskTotal(plan, v1::TASK_KIND_WORK), 39);
  ASSERT_GE(plan.sections_size(), 5);
  EXPECT_EQ(plan.sections(0).title(), "Nhiệm vụ chung");
  EXPECT_EQ(plan.sections(1).title(), "Công tác tham mưu chỉ đạo");
  EXPECT_EQ(plan.sections(4).title(), "Phát triển các tiện ích trên VNeID");
}

TEST(PlanTextSeedDongThap, GeneralTasksAreFlaggedForLeadAndSchedule) {
  const v1::CreatePlanRequest& plan = DongThap().request;
  ASSERT_GE(plan.sections_size(), 1);
  const v1::SectionSpec& general = plan.sections(0);
  std::vector<std::string> numbers;
  for (const v1::TaskSpec& task : general.tasks()) {
    numbers.push_back(task.number());
    EXPECT_THAT(task.lead_agencies(), IsEmpty()) << task.number();
    EXPECT_THAT(task.needs_review(), Contains("lead")) << task.number();
    EXPECT_THAT(task.needs_review(), Contains("schedule")) << task.number();
    EXPECT_EQ(Describe(task.schedule()), "") << task.number();
    EXPECT_EQ(task.due_date().year(), 0) << task.number();
  }
  EXPECT_THAT(numbers, ElementsAre("a", "b", "c", "d", "đ"));
  EXPECT_THAT(general.tasks(4).title(),
              HasSubstr("theo hướng dẫn của Bộ Khoa học và Công nghệ, Bộ Công "
                        "an."));
}

// A table of the expected tasks, one row each, not steps to split.
// NOLINTNEXTLINE(readability-function-size)
std::vector<SeedTask> DongThapTasks() {
  const std::string kCongAn = "dongthap.congan";
  const std::string kKhcn = "dongthap.sokhcn";
  const std::string kYte = "dongthap.soyte";
  return {
      {"2.a", "1", {kCongAn}, {}, {}, "ongoing; triggered", "", {}},
      {"2.a", "2", {kCongAn}, {}, {}, "triggered", "", {}},
      {"2.a", "3", {kCongAn}, {}, {}, "ongoing", "", {}},
      {"2.a", "4", {kKhcn}, {}, {}, "ongoing", "", {}},
      {"2.a",
       "5",
       {kCongAn, "dongthap.sonoivu"},
       {},
       {},
       "due 2026-12-31",
       "2026-12-31",
       {}},
      {"2.b", "1.1", DtDepartmentsAndCommunes(), {}, {}, "ongoing", "", {}},
      {"2.b", "2.1", {kCongAn}, {}, {}, "ongoing", "", {}},
      {"2.b", "2.2", DtDepartments(), {}, {}, "ongoing; triggered", "", {}},
      {"2.b",
       "2.3",
       {kCongAn},
       {},
       {"2439/QĐ-TTg 2025-11-04"},
       "triggered",
       "",
       {}},
      {"2.b", "3.1", {kKhcn}, {}, {}, "ongoing", "", {}},
      {"2.b", "3.2", {kKhcn}, {}, {}, "ongoing", "", {}},
      {"2.b", "3.3", DtDepartmentsAndCommunes(), {}, {}, "ongoing", "", {}},
      {"2.b", "4.1", {kCongAn}, {}, {}, "ongoing", "", {}},
      {"2.b", "4.2", {kCongAn}, {}, {}, "every quarter", "", {}},
      {"2.b", "5.1", {kKhcn}, {}, {}, "ongoing", "", {}},
      {"2.b", "5.2", {kKhcn}, {}, {}, "ongoing", "", {}},
      {"2.b",
       "5.3",
       {"dongthap.sotaichinh"},
       {},
       {},
       "ongoing from 2026-01-01",
       "",
       {}},
      {"2.c",
       "1.1",
       {"dongthap.vpubnd"},
       {},
       {},
       "due 2026-12-31",
       "2026-12-31",
       {}},
      {"2.c",
       "1.2",
       {kKhcn, "myphong.ubnd"},
       {},
       {},
       "ongoing",
       "",
       {"100% reach due 2026-12-31"}},
      {"2.c", "1.3", {"dongthap.vpubnd"}, {}, {}, "ongoing", "", {}},
      {"2.c",
       "2.1",
       {kYte, "dongthap.sonoivu"},
       {},
       {"21/CT-TTg 2022-11-25"},
       "due 2026-03-31; ongoing",
       "2026-03-31",
       {"90% strive due 2026-03-31", "100% strive due 2026-06-30",
        "100% strive due 2026-06-30"}},
      {"2.c", "2.2", {"dongthap.bhxh"}, {}, {}, "ongoing", "", {}},
      {"2.c",
       "2.3",
       {kCongAn, "dongthap.sonoivu"},
       {},
       {},
       "triggered",
       "",
       {}},
      {"2.c", "2.4", {kYte}, {}, {}, "ongoing", "", {}},
      {"2.c",
       "2.5",
       {"dongthap.sogddt"},
       {},
       {},
       "ongoing",
       "",
       {"100% strive due 2026-12-31"}},
      {"2.c", "3.1", {kCongAn}, {}, {}, "ongoing", "", {}},
      {"2.c",
       "3.2",
       {kKhcn},
       {},
       {},
       "due 2026-12-31",
       "2026-12-31",
       {"50% strive due 2026-12-31"}},
      {"2.c",
       "3.3",
       {kYte},
       {},
       {"912/UBND-KSTT 2025-09-04"},
       "ongoing",
       "",
       {}},
      {"2.c", "4.1", {kCongAn}, {}, {}, "ongoing; triggered", "", {}},
      {"2.c", "4.2", {kCongAn}, {}, {}, "ongoing", "", {}},
      {"2.c", "5.1", {kKhcn}, {}, {}, "triggered", "", {}},
      {"2.c", "5.2", {kCongAn}, {}, {}, "triggered", "", {}},
      {"2.d", "1", {kCongAn}, {}, {}, "triggered", "", {}},
      {"2.d",
       "2",
       {kYte, "myphong.ubnd"},
       {},
       {},
       "ongoing",
       "",
       {"80% at_least due 2026-12-31", "80% at_least due 2026-12-31"}},
  };
}

class PlanTextSeedDongThapTask : public ::testing::TestWithParam<SeedTask> {};

TEST_P(PlanTextSeedDongThapTask, MatchesTheSeedAndTheDomain) {
  const SeedTask& want = GetParam();
  const v1::TaskSpec* task =
      FindTask(DongThap().request, want.section, want.number);
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->kind(), v1::TASK_KIND_WORK);
  EXPECT_THAT(Strings(task->lead_agencies()), ElementsAreArray(want.lead));
  EXPECT_THAT(task->unknown_agencies(), IsEmpty());
  EXPECT_THAT(Documents(*task), ElementsAreArray(want.documents));
  EXPECT_EQ(Describe(task->schedule()), want.schedule)
      << task->schedule().text();
  EXPECT_EQ(Date(task->due_date()), want.due);
  EXPECT_THAT(Targets(*task), ElementsAreArray(want.targets)) << task->title();
  EXPECT_THAT(task->needs_review(), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(PartTwo, PlanTextSeedDongThapTask,
                         ::testing::ValuesIn(DongThapTasks()), SeedTaskName);

TEST(PlanTextSeedDongThap, TableCoversEveryTaskOfSectionsTwoAToTwoD) {
  EXPECT_EQ(DongThapTasks().size(), 34u);
}

TEST(PlanTextSeedDongThap, CoordinatorsAndTriggersAreReadAcrossLineBreaks) {
  const v1::CreatePlanRequest& plan = DongThap().request;
  const v1::TaskSpec* payments = FindTask(plan, "2.c", "2.1");
  ASSERT_NE(payments, nullptr);
  EXPECT_THAT(
      payments->coordinating_agencies(),
      ElementsAre("dongthap.congan", "dongthap.nhnn13", "myphong.ubnd"));
  ASSERT_EQ(payments->targets_size(), 3);
  EXPECT_EQ(payments->targets(0).indicator(), "đối tượng Bảo trợ xã hội");
  EXPECT_EQ(payments->targets(2).indicator(),
            "đối tượng Người có công và thân nhân người có công");
  ASSERT_EQ(payments->schedule().milestones_size(), 1);
  EXPECT_EQ(payments->schedule().milestones(0).text(), "Quí I/2026");

  const v1::TaskSpec* dna = FindTask(plan, "2.c", "2.3");
  ASSERT_NE(dna, nullptr);
  EXPECT_EQ(dna->schedule().trigger(),
            "Khi có thông báo của Cục Cảnh sát quản lý hành chính về trật tự "
            "xã hội - Bộ Công an");
  EXPECT_THAT(dna->coordinating_agencies(),
              ElementsAre("dongthap.bchqs", "myphong.ubnd"));

  const v1::TaskSpec* guidance = FindTask(plan, "2.a", "1");
  ASSERT_NE(guidance, nullptr);
  EXPECT_EQ(guidance->schedule().trigger(),
            "khi có chỉ đạo từ Chính phủ, các bộ, ngành Trung ương, UBND tỉnh");
  EXPECT_THAT(guidance->coordinating_agencies(),
              ElementsAreArray(DtDepartments()));

  const v1::TaskSpec* legal = FindTask(plan, "2.b", "1.1");
  ASSERT_NE(legal, nullptr);
  EXPECT_EQ(legal->subsection_title(), "Về pháp lý");
  EXPECT_THAT(legal->title(), StartsWith("Thường xuyên rà soát"));
}

TEST(PlanTextSeedDongThap, ReportTasksAreTheTenthAndTheEighteenth) {
  const v1::CreatePlanRequest& plan = DongThap().request;
  const v1::TaskSpec* monthly = FindTask(plan, "BC", "1");
  ASSERT_NE(monthly, nullptr);
  EXPECT_EQ(monthly->kind(), v1::TASK_KIND_REPORT);
  EXPECT_EQ(Describe(monthly->schedule()), "every month before day 10");
  EXPECT_THAT(Strings(monthly->lead_agencies()),
              ElementsAreArray(DtDepartmentsAndCommunes()));
  EXPECT_EQ(monthly->source_line(), 415);

  const v1::TaskSpec* consolidated = FindTask(plan, "BC", "2");
  ASSERT_NE(consolidated, nullptr);
  EXPECT_EQ(consolidated->kind(), v1::TASK_KIND_REPORT);
  EXPECT_EQ(Describe(consolidated->schedule()), "every month before day 18");
  EXPECT_THAT(consolidated->lead_agencies(), ElementsAre("dongthap.congan"));
}

// ------------------------------------- 3. spreadsheet exports (CSV, TSV)

std::vector<std::string> CsvHeader() {
  return {"TT",
          "Nhiệm vụ",
          "Văn bản chỉ đạo",
          "Cơ quan chủ trì",
          "Cơ quan phối hợp",
          "Thời gian thực hiện",
          "Kết quả/sản phẩm"};
}

constexpr absl::string_view kQd06Text =
    "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ";
constexpr absl::string_view kCt07Text =
    "Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng Chính phủ";

// Tasks I.1, I.4, II.1, III.1, III.2 and V.1 of the seed as a spreadsheet
// holds them: one cell per column, paragraphs as line breaks in a cell.
// Sections III and V of the spreadsheet below.
std::vector<std::vector<std::string>> SpreadsheetRowsOfSectionsIIIAndV() {
  const std::string qd06(kQd06Text);
  const std::string ct07(kCt07Text);
  return {
      {"III", "CÔNG DÂN SỐ VÀ CĂN CƯỚC, ĐỊNH DANH ĐIỆN TỬ", "", "", "", "", ""},
      {"1",
       "Duy trì thu nhận hồ sơ cấp thẻ căn cước và tài khoản định danh điện "
       "tử cho đối tượng đủ điều kiện theo quy định.",
       qd06, "Công an xã", "", "Thường xuyên",
       "- 100% công dân từ đủ 14 tuổi đủ điều kiện, được cấp thẻ căn cước.\n- "
       "Tối thiểu 81% công dân từ đủ 14 tuổi có tài khoản định danh điện "
       "tử.\n- Tối thiểu 80% cơ quan, tổ chức, doanh nghiệp, hợp tác xã trên "
       "địa bàn được cấp tài khoản định danh điện tử."},
      {"2",
       "Triển khai giải pháp định danh địa điểm, đánh số nhà theo Thông tư số "
       "08/2024/TT-BXD ngày 30/8/2024 của Bộ Xây dựng.",
       absl::StrCat(ct07,
                    "\nThông tư số 08/2024/TT-BXD ngày 30/8/2024 của Bộ Xây "
                    "dựng\nThông tư số 09/2025/TT-BXD ngày 13/6/2025 của Bộ "
                    "Xây dựng"),
       "Phòng Kinh tế", "Công an xã, Phòng Văn hóa - Xã hội xã",
       "Hoàn thành đánh số nhà trước ngày 31/12/2026\nTriển khai phần mềm "
       "định danh địa điểm ngay khi có chỉ đạo của Bộ Công an",
       "Ban hành kế hoạch, thành lập Ban Chỉ đạo tổ chức triển khai định danh "
       "địa điểm, đánh số nhà; đề xuất UBND tỉnh bố trí kinh phí phục vụ công "
       "tác.\nTriển khai hiệu quả phần mềm quản lý định danh địa điểm theo "
       "hướng dẫn của Bộ, ngành liên quan"},
      {"V",
       "THÚC ĐẨY ỨNG DỤNG, TIỆN ÍCH ĐỀ ÁN 06 PHỤC VỤ PHÁT TRIỂN KINH TẾ, XÃ "
       "HỘI, CHỈ ĐẠO, ĐIỀU HÀNH",
       "", "", "", "", ""},
      {"1",
       "Đẩy mạnh chi trả trợ cấp qua tài khoản đối với đối tượng người có công "
       "với cách mạng.",
       absl::StrCat(qd06,
                    "\nCông văn số 1698/BNV-TTCNTT ngày 24/4/2025 của Bộ Nội "
                    "vụ"),
       "Phòng Văn hóa - Xã hội", "Công an xã, Tổ Công tác Đề án 06",
       "Hoàn thành trước ngày 31/12/2026",
       "- Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100% - 100% "
       "công dân có tài khoản định danh điện tử mức 2 thực hiện tích hợp số "
       "tài khoản ngân hàng vào chức năng “Tài khoản hưởng an sinh xã hội "
       "trên VNeID”"},
  };
}

std::vector<std::vector<std::string>> SpreadsheetRows() {
  const std::string qd06(kQd06Text);
  const std::string ct07(kCt07Text);
  std::vector<std::vector<std::string>> rows = {
      CsvHeader(),
      {"I",
       "CÔNG TÁC THAM MƯU CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN, KIỂM TRA, KHEN THƯỞNG",
       "", "", "", "", ""},
      {"1",
       "Xây dựng Kế hoạch triển khai nhiệm vụ Đề án 06 trong năm 2026 tại các "
       "cơ quan, đơn vị, để tổ chức thực hiện.\nThực hiện nghiêm túc chế độ "
       "báo cáo định kỳ trước ngày 12 hàng tháng về tình hình, kết quả thực "
       "hiện Đề án 06 gửi Cơ quan Thường trực Tổ Công tác Đề án 06 (qua "
       "Phòng Cảnh sát Quản lý hành chính về trật tự xã hội, Công an tỉnh)",
       qd06, "Công an xã", "Các phòng, ban, trung tâm, đoàn thể, đơn vị",
       "Ban hành Kế hoạch trong tháng 5/2026",
       "- Ban hành kế hoạch cụ thể, xác định “rõ người, rõ việc, rõ thời "
       "gian, rõ kết quả, rõ trách nhiệm”, gắn trách nhiệm của từng đồng chí "
       "thủ trưởng các cơ quan, đơn vị, địa phương.\n- Đối với những nhiệm "
       "vụ chưa hiệu quả từ năm 2025, cần giao chỉ tiêu, thời hạn cụ thể, "
       "thường xuyên đôn đốc để giải quyết dứt điểm."},
      {"4",
       "Khen thưởng, biểu dương tập thể, cá nhân có thành tích xuất sắc trong "
       "công tác triển khai Đề án 06 năm 2026 trên địa bàn xã",
       qd06, "Phòng Văn hóa - Xã hội", "Công an xã", "Quý I/2027",
       "Rà soát, đề nghị các cấp có thẩm quyền khen thưởng, biểu dương thành "
       "tích của tập thể, cá nhân có thành tích xuất sắc, đủ điều kiện theo "
       "quy định."},
      {"II", "CẢI CÁCH TTHC GẮN VỚI ĐỀ ÁN 06", "", "", "", "", ""},
      {"1",
       "Thực hiện hiệu quả công tác:\n- Tái cấu trúc quy trình TTHC (đặc biệt "
       "là tái sử dụng dữ liệu đã số hóa, kết nối liên thông các CSDL chuyên "
       "ngành để cắt giảm TTHC, không yêu cầu người dân xuất trình những "
       "giấy tờ, thông tin đã số hóa).\n- Cung cấp DVC, giải quyết TTHC; "
       "chuyển đổi trạng thái cung cấp DVC từ \"xin - cho\" sang \"chủ động - "
       "phục vụ\".\n- Số hóa kết quả giải quyết TTHC, trả kết quả bản điện "
       "tử cho công dân.",
       ct07, "Trung tâm Phục vụ hành chính công xã",
       "Các phòng, ban, trung tâm, đoàn thể, đơn vị",
       "Thực hiện trong năm 2026",
       "- Kết quả thực hiện đáp ứng chỉ tiêu, yêu cầu tại Kế hoạch kiểm soát "
       "TTHC, cải cách TTHC của tỉnh năm 2026.\n- Đối với các CSDL đã hoàn "
       "thành, cần ưu tiên đưa vào sử dụng, cắt giảm TTHC, tránh để lãng phí "
       "dữ liệu."},
  };
  for (auto& row : SpreadsheetRowsOfSectionsIIIAndV()) {
    rows.push_back(std::move(row));
  }
  return rows;
}

ParseOptions SpreadsheetOptions() {
  ParseOptions options;
  options.unit = "vinh-thuy";
  options.year = 2026;
  options.number = "1199/KH-UBND";
  return options;
}

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// The (section, number) of every work task, in order.
std::vector<std::string> TaskKeys(const v1::CreatePlanRequest& request) {
  std::vector<std::string> keys;
  for (const v1::SectionSpec& section : request.sections()) {
    for (const v1::TaskSpec& task : section.tasks()) {
      keys.push_back(absl::StrCat(section.code(), ".", task.number()));
    }
  }
  return keys;
}

TEST(PlanTextCsv, CommaExportWithByteOrderMarkParsesToTheSeedTasks) {
  const std::string csv =
      absl::StrCat(kByteOrderMark, Csv(SpreadsheetRows(), ',', "\r\n"));
  // The export really quotes multi-line cells and doubles quotes.
  ASSERT_THAT(csv, HasSubstr(",\"Xây dựng Kế hoạch"));
  ASSERT_THAT(csv, HasSubstr("\"\"xin - cho\"\""));

  absl::StatusOr<ParsedPlan> parsed = Parse(csv, SpreadsheetOptions());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->format, PlanFormat::kCsv);
  const v1::CreatePlanRequest& plan = parsed->request;
  EXPECT_EQ(plan.unit(), "vinh-thuy");
  EXPECT_EQ(plan.number(), "1199/KH-UBND");
  EXPECT_EQ(plan.year(), 2026);
  EXPECT_EQ(plan.standing_agency(), "vinhthuy.congan");
  // A spreadsheet has no header with the date.
  EXPECT_THAT(plan.needs_review(), ElementsAre("issued"));
  EXPECT_THAT(TaskKeys(plan), ElementsAre("I.1", "I.4", "II.1", "III.1",
                                          "III.2", "V.1", "BC.1"));

  for (const auto& [section, number] :
       std::vector<std::pair<std::string, std::string>>{{"I", "1"},
                                                        {"I", "4"},
                                                        {"II", "1"},
                                                        {"III", "1"},
                                                        {"III", "2"},
                                                        {"V", "1"}}) {
    SCOPED_TRACE(absl::StrCat(section, ".", number));
    const v1::TaskSpec* from_csv = FindTask(plan, section, number);
    const v1::TaskSpec* from_seed =
        FindTask(VinhThuy().request, section, number);
    ASSERT_NE(from_csv, nullptr);
    ASSERT_NE(from_seed, nullptr);
    EXPECT_EQ(Facts(*from_csv), Facts(*from_seed));
  }
  // Without the plan's body, the reporting duty is found in task I.1: the
  // same cadence, led by the task's lead.
  const v1::TaskSpec* report = FindTask(plan, "BC", "1");
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->kind(), v1::TASK_KIND_REPORT);
  EXPECT_EQ(Describe(report->schedule()), "every month before day 12");
  EXPECT_THAT(report->lead_agencies(), ElementsAre("vinhthuy.congan"));
  // Records start on the line of their first cell: the header is line 1,
  // section I line 2, task I.1 lines 3-5 (two cells of two lines), task
  // I.4 line 6.
  EXPECT_EQ(LineOf(plan, "I", "1"), 3);
  EXPECT_EQ(LineOf(plan, "I", "4"), 6);
}

TEST(PlanTextCsv, SemicolonExportParsesLikeTheCommaExport) {
  const std::string comma = Csv(SpreadsheetRows(), ',', "\n");
  const std::string semicolon = Csv(SpreadsheetRows(), ';', "\r\n");
  ASSERT_THAT(semicolon, StartsWith("TT;Nhiệm vụ;Văn bản chỉ đạo;"));
  absl::StatusOr<ParsedPlan> from_comma = Parse(comma, SpreadsheetOptions());
  absl::StatusOr<ParsedPlan> from_semicolon =
      Parse(semicolon, SpreadsheetOptions());
  ASSERT_TRUE(from_comma.ok()) << from_comma.status();
  ASSERT_TRUE(from_semicolon.ok()) << from_semicolon.status();
  EXPECT_EQ(from_semicolon->format, PlanFormat::kCsv);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
      from_comma->request, from_semicolon->request))
      << from_comma->request.DebugString() << "\n---\n"
      << from_semicolon->request.DebugString();
}

TEST(PlanTextCsv, ExportWithTitleRowsAndEmptyColumnsToTheRight) {
  // What a spreadsheet with a title above the table and a touched column H
  // exports.
  std::vector<std::vector<std::string>> rows = {
      {"PHỤ LỤC: CÁC NHIỆM VỤ CỦA ĐỀ ÁN 06, NĂM 2026", "", "", "", "", "", "",
       ""},
      {"", "", "", "", "", "", "", ""}};
  for (std::vector<std::string> row : SpreadsheetRows()) {
    row.push_back("");
    rows.push_back(std::move(row));
  }
  for (char delimiter : {',', ';'}) {
    SCOPED_TRACE(std::string(1, delimiter));
    absl::StatusOr<ParsedPlan> parsed =
        Parse(Csv(rows, delimiter, "\r\n"), SpreadsheetOptions());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(parsed->format, PlanFormat::kCsv);
    EXPECT_THAT(
        TaskKeys(parsed->request),
        ElementsAre("I.1", "I.4", "II.1", "III.1", "III.2", "V.1", "BC.1"));
    const v1::TaskSpec* ids = FindTask(parsed->request, "III", "1");
    ASSERT_NE(ids, nullptr);
    EXPECT_EQ(Facts(*ids), Facts(*FindTask(VinhThuy().request, "III", "1")));
    EXPECT_EQ(LineOf(parsed->request, "I", "1"), 5);
  }
}

TEST(PlanTextCsv, TsvWithoutHtmlParsesToTheSameTasks) {
  // A tab-separated copy of the same sheet, one line per row: paragraphs
  // of a cell written as "; ".
  std::string tsv;
  for (const std::vector<std::string>& row : SpreadsheetRows()) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) {
      cells.push_back(absl::StrReplaceAll(cell, {{"\n", "; "}}));
    }
    absl::StrAppend(&tsv, absl::StrJoin(cells, "\t"), "\n");
  }
  absl::StatusOr<ParsedPlan> parsed = Parse(tsv, SpreadsheetOptions());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->format, PlanFormat::kTable);
  EXPECT_THAT(
      TaskKeys(parsed->request),
      ElementsAre("I.1", "I.4", "II.1", "III.1", "III.2", "V.1", "BC.1"));
  for (absl::string_view key :
       {"I.1", "I.4", "II.1", "III.1", "III.2", "V.1"}) {
    SCOPED_TRACE(key);
    const auto [section, number] =
        std::pair<std::string, std::string>(absl::StrSplit(key, '.'));
    const v1::TaskSpec* from_tsv = FindTask(parsed->request, section, number);
    ASSERT_NE(from_tsv, nullptr);
    EXPECT_EQ(Facts(*from_tsv, /*with_texts=*/false),
              Facts(*FindTask(VinhThuy().request, section, number),
                    /*with_texts=*/false));
  }
  EXPECT_EQ(LineOf(parsed->request, "I", "4"), 4);
}

TEST(PlanTextCsv, TsvWithByteOrderMarkAndTrailingTabsIsRead) {
  std::string tsv(kByteOrderMark);
  for (const std::vector<std::string>& row : SpreadsheetRows()) {
    std::vector<std::string> cells;
    for (const std::string& cell : row) {
      cells.push_back(absl::StrReplaceAll(cell, {{"\n", " "}}));
    }
    absl::StrAppend(&tsv, absl::StrJoin(cells, "\t"), "\t\n");
  }
  absl::StatusOr<ParsedPlan> parsed = Parse(tsv, SpreadsheetOptions());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->format, PlanFormat::kTable);
  EXPECT_EQ(TaskTotal(parsed->request, v1::TASK_KIND_WORK), 6);
}

// ------------------------------------------------------------- 4. JSON

TEST(PlanTextJson, OutputIsValidJsonWithTheDocumentedNames) {
  const ParsedPlan& parsed = VinhThuy();
  const std::string text = ParsedPlanJson(parsed.request, parsed.format);
  const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << text.substr(0, 200);

  const nlohmann::json& plan = json.at("plan");
  EXPECT_EQ(plan.at("number"), "1199/KH-UBND");
  EXPECT_EQ(plan.at("issued"), "2026-05-25");
  EXPECT_EQ(plan.at("unit"), "vinh-thuy");
  EXPECT_EQ(plan.at("implements"), "1965/KH-UBND");

  const nlohmann::json& tasks = json.at("tasks");
  ASSERT_TRUE(tasks.is_array());
  ASSERT_EQ(tasks.size(), 23u);
  for (const nlohmann::json& task : tasks) {
    SCOPED_TRACE(task.dump().substr(0, 80));
    for (const char* key : {"section", "number", "title"}) {
      EXPECT_TRUE(task.at(key).is_string()) << key;
    }
    for (const char* key :
         {"lead", "coordinators", "documents", "targets", "needs_review"}) {
      EXPECT_TRUE(task.at(key).is_array()) << key;
    }
    for (const nlohmann::json& document : task.at("documents")) {
      EXPECT_TRUE(document.at("kind").is_string());
      EXPECT_TRUE(document.at("number").is_string());
      EXPECT_TRUE(document.at("date").is_string() ||
                  document.at("date").is_null());
    }
    const nlohmann::json& schedule = task.at("schedule");
    EXPECT_TRUE(schedule.at("milestones").is_array());
    for (const nlohmann::json& milestone : schedule.at("milestones")) {
      EXPECT_TRUE(milestone.at("due").is_string());
      EXPECT_TRUE(milestone.at("text").is_string());
    }
    const nlohmann::json& ongoing = schedule.at("ongoing");
    EXPECT_TRUE(ongoing.is_null() ||
                (ongoing.contains("start") && ongoing.contains("until")));
    const nlohmann::json& recurrence = schedule.at("recurrence");
    EXPECT_TRUE(recurrence.is_null() ||
                (recurrence.at("every").is_string() &&
                 recurrence.at("day").is_number_integer()));
    EXPECT_TRUE(schedule.at("triggered").is_boolean());
    EXPECT_TRUE(schedule.at("text").is_string());
    for (const nlohmann::json& target : task.at("targets")) {
      EXPECT_TRUE(target.at("indicator").is_string());
      EXPECT_TRUE(target.at("percent").is_number());
      EXPECT_TRUE(target.at("direction").is_string());
      EXPECT_TRUE(target.at("due").is_string() || target.at("due").is_null());
    }
  }

  // I.1: a milestone, a document.
  const nlohmann::json& plan_task = tasks.at(0);
  EXPECT_EQ(plan_task.at("section"), "I");
  EXPECT_EQ(plan_task.at("number"), "1");
  EXPECT_EQ(plan_task.at("lead"), nlohmann::json::array({"vinhthuy.congan"}));
  EXPECT_EQ(plan_task.at("documents").at(0).at("kind"), "Quyết định");
  EXPECT_EQ(plan_task.at("documents").at(0).at("number"), "06/QĐ-TTg");
  EXPECT_EQ(plan_task.at("documents").at(0).at("date"), "2022-01-06");
  EXPECT_EQ(plan_task.at("schedule").at("milestones"),
            nlohmann::json::parse(R"([{"due": "2026-05-31",
                "text": "Ban hành Kế hoạch trong tháng 5/2026"}])"));
  EXPECT_TRUE(plan_task.at("schedule").at("ongoing").is_null());
  EXPECT_TRUE(plan_task.at("schedule").at("recurrence").is_null());
  EXPECT_EQ(plan_task.at("schedule").at("triggered"), false);
  EXPECT_EQ(plan_task.at("needs_review"), nlohmann::json::array());

  // II.3: ongoing until an expected end, triggered.
  const nlohmann::json& portal = tasks.at(6);
  ASSERT_EQ(portal.at("section"), "II");
  ASSERT_EQ(portal.at("number"), "3");
  EXPECT_TRUE(portal.at("schedule").at("ongoing").at("start").is_null());
  EXPECT_EQ(portal.at("schedule").at("ongoing").at("until"), "2026-06-30");
  EXPECT_EQ(portal.at("schedule").at("triggered"), true);

  // III.1: "Tối thiểu 81%" is at_least.
  const nlohmann::json& ids = tasks.at(7);
  ASSERT_EQ(ids.at("section"), "III");
  ASSERT_EQ(ids.at("number"), "1");
  EXPECT_EQ(ids.at("targets").at(1).at("percent"), 81);
  EXPECT_EQ(ids.at("targets").at(1).at("direction"), "at_least");
  EXPECT_EQ(ids.at("targets").at(1).at("indicator"),
            "công dân từ đủ 14 tuổi có tài khoản định danh điện tử");
  EXPECT_EQ(ids.at("targets").at(1).at("due"), "2026-12-31");
  EXPECT_EQ(ids.at("targets").at(0).at("direction"), "reach");

  // V.3: "Phần đầu ... 91%" is strive.
  const nlohmann::json& pensions = tasks.at(19);
  ASSERT_EQ(pensions.at("section"), "V");
  ASSERT_EQ(pensions.at("number"), "3");
  EXPECT_EQ(pensions.at("targets").at(0).at("percent"), 91);
  EXPECT_EQ(pensions.at("targets").at(0).at("direction"), "strive");

  // The report task: every month, before the 12th.
  const nlohmann::json& report = tasks.at(22);
  EXPECT_EQ(report.at("section"), "BC");
  EXPECT_EQ(report.at("schedule").at("recurrence"),
            nlohmann::json::parse(R"({"every": "month", "day": 12})"));
}

TEST(PlanTextJson, MissingHeaderFieldsAreEmptyOrNull) {
  const ParsedPlan& parsed = DongThap();
  const nlohmann::json json = nlohmann::json::parse(
      ParsedPlanJson(parsed.request, parsed.format), nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  EXPECT_EQ(json.at("plan").at("number"), "");
  EXPECT_TRUE(json.at("plan").at("issued").is_null());
  EXPECT_EQ(json.at("plan").at("implements"), "06/QĐ-TTg");
  EXPECT_EQ(json.at("tasks").size(), 41u);
  // 2.b.4.2: "Định kỳ hàng quý".
  bool found = false;
  for (const nlohmann::json& task : json.at("tasks")) {
    if (task.at("section") == "2.b" && task.at("number") == "4.2") {
      found = true;
      EXPECT_EQ(task.at("schedule").at("recurrence"),
                nlohmann::json::parse(R"({"every": "quarter", "day": 0})"));
    }
  }
  EXPECT_TRUE(found);
}

// -------------------------------------------------------- 5. bad input

struct BadInput {
  std::string name;
  std::string text;
  int line;
  std::string problem;  // a part of the message after "line N: "
  // A spreadsheet has no header: the unit and year come as options.
  bool spreadsheet = false;
};

void PrintTo(const BadInput& input, std::ostream* os) { *os << input.name; }

std::vector<BadInput> BadInputs() {
  return {
      {"NotAPlan",
       "Hôm nay trời đẹp.\nChúng tôi đi chơi, ăn kem; rồi về nhà.\n", 1,
       "not a plan"},
      {"SixColumns",
       "Số: 12/KH-UBND\nVĩnh Thủy, ngày 2 tháng 3 năm 2026\n\n"
       "TT\tNhiệm vụ\tVăn bản chỉ đạo\tCơ quan chủ trì\tCơ quan phối "
       "hợp\tThời gian thực hiện\n1\tViệc\t\tCông an xã\t\tTrong năm 2026\n",
       4, "expected the seven columns"},
      {"NotesInsteadOfResults",
       "Số: 12/KH-UBND\nVĩnh Thủy, ngày 2 tháng 3 năm 2026\n\n"
       "TT\tNhiệm vụ\tVăn bản chỉ đạo\tCơ quan chủ trì\tCơ quan phối "
       "hợp\tThời gian thực hiện\tGhi chú\n1\tViệc\t\tCông an xã\t\tTrong "
       "năm 2026\tx\n",
       4, "Ghi chú]; expected the seven columns"},
      {"RowWithFiveCells",
       VinhThuyTable("I\tMỤC MỘT\t\t\t\t\t\n1\tViệc\tCông an xã\t\tTrong năm "
                     "2026\n"),
       6, "found 5"},
      {"ImpossibleDateInTimeframe",
       VinhThuyTable(
           "I\tMỤC MỘT\t\t\t\t\t\n1\tViệc một\t\tCông an xã\t\tTrong năm "
           "2026\tXong\n2\tViệc hai\t\tCông an xã\t\tHoàn thành trước ngày "
           "31/2/2026\tXong\n"),
       7, "31/2/2026"},
      {"ContinuationBeforeAnyTask",
       VinhThuyTable("\tViệc một\t\tCông an xã\t\tTrong năm 2026\tXong\n"), 5,
       "no task comes before it"},
      {"GarbageInColumnTT",
       VinhThuyTable("I\tMỤC MỘT\t\t\t\t\t\na)\tViệc\t\tCông an xã\t\tTrong "
                     "năm 2026\tXong\n"),
       6, "column TT holds 'a)'"},
      {"HeaderOnlyTable", VinhThuyTable("\n\n"), 4, "header but no task rows"},
      {"HeaderOnlyCsv",
       absl::StrCat("PHỤ LỤC,,,,,,\n", CsvRecord(CsvHeader(), ','), "\n"), 2,
       "header but no task rows"},
      {"ImpossibleDateInCsvRecord",
       absl::StrCat(CsvRecord(CsvHeader(), ','), "\n",
                    "I,MỤC MỘT,,,,,\n"
                    "1,\"Việc một,\ntrên hai dòng\",,Công an xã,,Trong năm "
                    "2026,Xong\n"
                    "2,Việc hai,,Công an xã,,\"Quý II/2026;\nhoàn thành "
                    "trước 30/2/2026\",Xong\n"),
       5, "30/2/2026", /*spreadsheet=*/true},
      {"ImpossibleDateInProse",
       "Số: 58/KH-UBND\nĐồng Tháp, ngày 12 tháng 3 năm 2026\nKẾ HOẠCH\n"
       "II. NHIỆM VỤ\n1. Về dữ liệu\na) Làm sạch dữ liệu hộ tịch.\n"
       "- Đơn vị chủ trì: Công an tỉnh;\n- Thời gian thực hiện: Quý "
       "II/2026.\nb) Cập nhật dữ liệu.\n- Đơn vị chủ trì: Sở Y tế;\n"
       "- Thời gian thực hiện: Trước ngày 31/4/2026.\n",
       9, "31/4/2026"},
  };
}

class PlanTextBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(PlanTextBadInput, IsRejectedNamingTheLineAndTheProblem) {
  const BadInput& input = GetParam();
  absl::StatusOr<ParsedPlan> parsed = Parse(
      input.text, input.spreadsheet ? SpreadsheetOptions() : ParseOptions());
  ASSERT_FALSE(parsed.ok()) << "a plan came back";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              StartsWith(absl::StrCat("line ", input.line, ": ")));
  EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(input.problem));
}

INSTANTIATE_TEST_SUITE_P(
    Documents, PlanTextBadInput, ::testing::ValuesIn(BadInputs()),
    [](const ::testing::TestParamInfo<BadInput>& param_info) {
      return param_info.param.name;
    });

TEST(PlanTextBadOptions, UnknownFormatNameIsRejected) {
  absl::StatusOr<PlanFormat> format = ParsePlanFormat("pdf");
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(format.status().message()),
              StartsWith("format: unknown format 'pdf'"));
  absl::StatusOr<PlanFormat> tsv = ParsePlanFormat("TSV");
  ASSERT_TRUE(tsv.ok()) << tsv.status();
  EXPECT_EQ(*tsv, PlanFormat::kTable);
}

TEST(PlanTextBadOptions, UnknownUnitIsRejectedWithoutAPlan) {
  ParseOptions options;
  options.unit = "ha-noi";
  absl::StatusOr<ParsedPlan> parsed =
      Parse(ReadSourceFile("examples/plans/vinh-thuy-1199.txt"), options);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(parsed.status().message()),
              StartsWith("unit: 'ha-noi' is not in the agency registry"));
}

TEST(PlanTextBadOptions, HeaderNamingNoKnownUnitAsksForTheUnit) {
  const std::string text = absl::StrCat(
      "Số: 12/KH-UBND\nHà Nội, ngày 2 tháng 3 năm 2026\n\n", kHeaderTsv,
      "\n1\tViệc\t\tCông an xã\t\tTrong năm 2026\tXong\n");
  absl::StatusOr<ParsedPlan> parsed = Parse(text);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(std::string(parsed.status().message()),
              AllOf(StartsWith("unit: "), HasSubstr("--unit")));

  ParseOptions options;
  options.unit = "vinh-thuy";
  absl::StatusOr<ParsedPlan> with_unit = Parse(text, options);
  ASSERT_TRUE(with_unit.ok()) << with_unit.status();
  EXPECT_THAT(TaskKeys(with_unit->request), ElementsAre("0.1"));
}

TEST(PlanTextBadOptions, FormatGivenWrongIsAnErrorNotAGuess) {
  ParseOptions options;
  options.format = PlanFormat::kTable;
  absl::StatusOr<ParsedPlan> parsed =
      Parse(ReadSourceFile("examples/plans/dong-thap-2026.txt"), options);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(std::string(parsed.status().message()),
              StartsWith("line 1: not a plan"));
}

// ------------------------------------ 6. what is kept for a person to check

TEST(PlanTextReview, UnknownLeadIsKeptAsWrittenAndFlagged) {
  absl::StatusOr<ParsedPlan> parsed = Parse(VinhThuyTable(
      "I\tMỤC MỘT\t\t\t\t\t\n"
      "1\tQuảng bá du lịch gắn với VNeID\t\tSở Du lịch\tCông an xã\tTrong "
      "năm 2026\tTối thiểu 60% cơ sở lưu trú khai báo qua VNeID\n"
      "2\tTuyên truyền\t\tCông an xã, Sở Du lịch\tSở Du lịch và Phòng Kinh "
      "tế\tThường xuyên\tTin bài\n"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::TaskSpec* tourism = FindTask(parsed->request, "I", "1");
  ASSERT_NE(tourism, nullptr);
  EXPECT_THAT(tourism->lead_agencies(), IsEmpty());
  EXPECT_THAT(tourism->unknown_agencies(), ElementsAre("Sở Du lịch"));
  EXPECT_THAT(tourism->needs_review(), ElementsAre("lead"));
  EXPECT_THAT(tourism->coordinating_agencies(), ElementsAre("vinhthuy.congan"));
  EXPECT_EQ(Describe(tourism->schedule()), "due 2026-12-31");
  EXPECT_THAT(Targets(*tourism), ElementsAre("60% at_least due 2026-12-31"));

  // Named as lead and as coordinator: one unknown name, both fields to
  // check.
  const v1::TaskSpec* both = FindTask(parsed->request, "I", "2");
  ASSERT_NE(both, nullptr);
  EXPECT_THAT(both->lead_agencies(), ElementsAre("vinhthuy.congan"));
  EXPECT_THAT(both->coordinating_agencies(), ElementsAre("vinhthuy.kinhte"));
  EXPECT_THAT(both->unknown_agencies(), ElementsAre("Sở Du lịch"));
  EXPECT_THAT(both->needs_review(), ElementsAre("lead", "coordinators"));
}

TEST(PlanTextReview, UnreadableTimeframeIsKeptVerbatimAndNothingInvented) {
  absl::StatusOr<ParsedPlan> parsed = Parse(VinhThuyTable(
      "I\tMỤC MỘT\t\t\t\t\t\n"
      "1\tRà soát dữ liệu\t\tCông an xã\tPhòng Kinh tế\tSau khi có kết quả "
      "rà soát\tDữ liệu được cập nhật\n"
      "2\tViệc hai\t\tCông an xã\t\tQuý V/2026\tXong\n"));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::TaskSpec* review = FindTask(parsed->request, "I", "1");
  ASSERT_NE(review, nullptr);
  EXPECT_THAT(review->needs_review(), ElementsAre("schedule"));
  EXPECT_THAT(review->schedule().not_understood(),
              ElementsAre("Sau khi có kết quả rà soát"));
  EXPECT_EQ(review->schedule().text(), "Sau khi có kết quả rà soát");
  EXPECT_THAT(review->schedule().milestones(), IsEmpty());
  EXPECT_FALSE(review->schedule().has_ongoing());
  EXPECT_FALSE(review->schedule().triggered());
  EXPECT_EQ(review->due_date().year(), 0);
  EXPECT_THAT(review->lead_agencies(), ElementsAre("vinhthuy.congan"));

  const v1::TaskSpec* fifth_quarter = FindTask(parsed->request, "I", "2");
  ASSERT_NE(fifth_quarter, nullptr);
  EXPECT_EQ(Describe(fifth_quarter->schedule()), "not understood 'Quý V/2026'");
  EXPECT_THAT(fifth_quarter->needs_review(), ElementsAre("schedule"));
  EXPECT_EQ(fifth_quarter->due_date().year(), 0);
}

// ------------------- 7. other plans written in the same conventions

TEST(PlanTextNewPlans, CommuneTableWithOtherWordingsIsReadOrFlagged) {
  const ParsedPlan parsed = MustParse(
      ReadSourceFile("tests/unit/plan/text/data/vinh-thuy-cao-diem-2026.txt"));
  const v1::CreatePlanRequest& plan = parsed.request;
  EXPECT_EQ(parsed.format, PlanFormat::kTable);
  // "Vĩnh Thụy" is the commune's other spelling.
  EXPECT_EQ(plan.unit(), "vinh-thuy");
  EXPECT_EQ(plan.number(), "245/KH-UBND");
  EXPECT_EQ(Date(plan.issued()), "2026-07-10");
  EXPECT_EQ(plan.implements(), "1199/KH-UBND");
  EXPECT_EQ(Date(plan.implements_document().date()), "2026-05-25");
  EXPECT_THAT(plan.needs_review(), IsEmpty());
  EXPECT_THAT(TaskKeys(plan), ElementsAre("I.1", "I.2", "I.3", "II.1", "II.2",
                                          "II.3", "II.4", "BC.1"));

  struct Want {
    std::string section, number, schedule, due;
    Codes targets, needs_review;
  };
  const std::vector<Want> wants = {
      {"I",
       "1",
       "due 2026-08-15",
       "2026-08-15",
       {"85% at_least due 2026-08-15"},
       {}},
      {"I",
       "2",
       "due 2026-09-30",
       "2026-09-30",
       {"95% reach due 2026-09-30"},
       {}},
      {"I", "3", "due 2026-06-30", "2026-06-30", {}, {}},
      {"II",
       "1",
       "due 2026-09-30",
       "2026-09-30",
       {"100% reach due 2026-09-30"},
       {}},
      {"II", "2", "every month", "", {}, {}},
      {"II",
       "3",
       "ongoing from 2026-01-01",
       "",
       {"70% strive due 2026-12-31"},
       {}},
      {"II",
       "4",
       "not understood 'Sau khi có kết quả rà soát của tỉnh'",
       "",
       {},
       {"schedule"}},
  };
  for (const Want& want : wants) {
    SCOPED_TRACE(absl::StrCat(want.section, ".", want.number));
    const v1::TaskSpec* task = FindTask(plan, want.section, want.number);
    ASSERT_NE(task, nullptr);
    EXPECT_EQ(Describe(task->schedule()), want.schedule)
        << task->schedule().text();
    EXPECT_EQ(Date(task->due_date()), want.due);
    EXPECT_THAT(Targets(*task), ElementsAreArray(want.targets))
        << task->expected_result();
    EXPECT_THAT(Strings(task->needs_review()),
                ElementsAreArray(want.needs_review));
    EXPECT_THAT(task->unknown_agencies(), IsEmpty());
  }

  const v1::TaskSpec* households = FindTask(plan, "I", "1");
  ASSERT_NE(households, nullptr);
  EXPECT_EQ(households->targets(0).indicator(),
            "hộ gia đình trên địa bàn được rà soát, cập nhật thông tin nơi ở "
            "hiện tại");
  // No date in "Tối thiểu 85% ...": the task's deadline, marked inferred.
  EXPECT_TRUE(households->targets(0).due_inferred());
  const v1::TaskSpec* accounts = FindTask(plan, "I", "2");
  ASSERT_NE(accounts, nullptr);
  EXPECT_FALSE(accounts->targets(0).due_inferred());
  EXPECT_THAT(accounts->coordinating_agencies(), ElementsAre("vinhthuy.mttq"));

  // "Giảm 50% thời gian chờ" is not a population target.
  const v1::TaskSpec* digitised = FindTask(plan, "II", "1");
  ASSERT_NE(digitised, nullptr);
  EXPECT_EQ(digitised->targets_size(), 1);

  // The row continued after the page break.
  const v1::TaskSpec* online = FindTask(plan, "II", "3");
  ASSERT_NE(online, nullptr);
  EXPECT_EQ(online->title(),
            "Duy trì hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận một "
            "cửa và tại nhà văn hóa các thôn");
  EXPECT_EQ(online->targets(0).indicator(),
            "hồ sơ TTHC được tiếp nhận trực tuyến");

  const v1::TaskSpec* report = FindTask(plan, "BC", "1");
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(Describe(report->schedule()), "every month before day 25");
  EXPECT_THAT(Strings(report->lead_agencies()), ElementsAreArray(VtGroup()));
}

TEST(PlanTextNewPlans, ProvincialProsePlanWithDashAndPerformerLines) {
  const ParsedPlan parsed = MustParse(
      ReadSourceFile("tests/unit/plan/text/data/dong-thap-chi-thi-07.txt"));
  const v1::CreatePlanRequest& plan = parsed.request;
  EXPECT_EQ(parsed.format, PlanFormat::kProse);
  EXPECT_EQ(plan.unit(), "dong-thap");
  EXPECT_EQ(plan.number(), "58/KH-UBND");
  EXPECT_EQ(Date(plan.issued()), "2026-03-12");
  EXPECT_EQ(plan.implements(), "07/CT-TTg");
  EXPECT_THAT(plan.needs_review(), IsEmpty());
  EXPECT_THAT(TaskKeys(plan), ElementsAre("1.a", "1.b", "2.a", "2.b", "2.c",
                                          "2.d", "BC.1", "BC.2"));

  // "Sở Tư pháp" is not in the registry: kept, flagged, no lead invented.
  const v1::TaskSpec* justice = FindTask(plan, "1", "a");
  ASSERT_NE(justice, nullptr);
  EXPECT_THAT(justice->lead_agencies(), IsEmpty());
  EXPECT_THAT(justice->unknown_agencies(), ElementsAre("Sở Tư pháp"));
  EXPECT_THAT(justice->needs_review(), ElementsAre("lead"));
  EXPECT_EQ(Describe(justice->schedule()), "due 2026-06-30");
  EXPECT_EQ(justice->source_line(), 22);

  // "+ Đơn vị thực hiện:" without a lead line: the performers lead.
  const v1::TaskSpec* paperwork = FindTask(plan, "1", "b");
  ASSERT_NE(paperwork, nullptr);
  EXPECT_THAT(Strings(paperwork->lead_agencies()),
              ElementsAreArray(DtDepartmentsAndCommunes()));
  EXPECT_EQ(Describe(paperwork->schedule()), "due 2026-12-31");

  // A coordinator list wrapped after a comma, the next line capitalised.
  const v1::TaskSpec* civil = FindTask(plan, "2", "a");
  ASSERT_NE(civil, nullptr);
  EXPECT_THAT(civil->lead_agencies(), ElementsAre("dongthap.congan"));
  EXPECT_THAT(civil->coordinating_agencies(),
              ElementsAre("dongthap.soyte", "dongthap.bhxh"));
  EXPECT_EQ(Describe(civil->schedule()), "every quarter");
  EXPECT_THAT(Targets(*civil), ElementsAre("90% strive due 2026-12-31"));
  EXPECT_FALSE(civil->targets(0).due_inferred());

  const v1::TaskSpec* workers = FindTask(plan, "2", "b");
  ASSERT_NE(workers, nullptr);
  EXPECT_EQ(Describe(workers->schedule()),
            "not understood 'Sau khi Bộ Công an nâng cấp hệ thống'");
  EXPECT_THAT(workers->needs_review(), ElementsAre("schedule"));
  EXPECT_EQ(workers->due_date().year(), 0);

  const v1::TaskSpec* wallet = FindTask(plan, "2", "c");
  ASSERT_NE(wallet, nullptr);
  EXPECT_EQ(Describe(wallet->schedule()),
            "ongoing from 2026-04-01 until 2026-12-31");
  EXPECT_THAT(Targets(*wallet), ElementsAre("40% strive due 2026-09-30",
                                            "60% strive due 2026-12-31"));

  const v1::TaskSpec* unemployment = FindTask(plan, "2", "d");
  ASSERT_NE(unemployment, nullptr);
  EXPECT_THAT(unemployment->coordinating_agencies(),
              ElementsAre("dongthap.congan", "dongthap.nhnn13"));
  EXPECT_EQ(Describe(unemployment->schedule()), "due 2026-12-31");
  EXPECT_THAT(Targets(*unemployment),
              ElementsAre("95% at_least due 2026-12-31"));
  EXPECT_EQ(unemployment->source_line(), 48);

  const v1::TaskSpec* monthly = FindTask(plan, "BC", "1");
  ASSERT_NE(monthly, nullptr);
  EXPECT_EQ(Describe(monthly->schedule()), "every month before day 15");
  EXPECT_THAT(Strings(monthly->lead_agencies()),
              ElementsAreArray(DtDepartmentsAndCommunes()));
  const v1::TaskSpec* consolidated = FindTask(plan, "BC", "2");
  ASSERT_NE(consolidated, nullptr);
  EXPECT_EQ(Describe(consolidated->schedule()), "every month before day 20");
  EXPECT_THAT(consolidated->lead_agencies(), ElementsAre("dongthap.congan"));
}

TEST(PlanTextNewPlans, DashThatLostItsSpaceStillMarksAnAttributeLine) {
  const ParsedPlan parsed = MustParse(
      "Số: 58/KH-UBND\nĐồng Tháp, ngày 12 tháng 3 năm 2026\nKẾ HOẠCH\n"
      "II. NHIỆM VỤ\n1. Về dữ liệu\na) Làm sạch dữ liệu hộ tịch.\n"
      "-Đơn vị chủ trì: Công an tỉnh;\n-Đơn vị phối hợp: Sở Y tế;\n"
      "-Thời gian thực hiện: Quý II/2026.\n");
  const v1::TaskSpec* task = FindTask(parsed.request, "1", "a");
  ASSERT_NE(task, nullptr);
  EXPECT_EQ(task->title(), "Làm sạch dữ liệu hộ tịch.");
  EXPECT_THAT(task->lead_agencies(), ElementsAre("dongthap.congan"));
  EXPECT_THAT(task->coordinating_agencies(), ElementsAre("dongthap.soyte"));
  EXPECT_EQ(Describe(task->schedule()), "due 2026-06-30");
}

TEST(PlanTextNewPlans, NumberAndDateOnOneHeaderLine) {
  // The header's two columns pasted on one line.
  const ParsedPlan parsed = MustParse(absl::StrCat(
      "ỦY BAN NHÂN DÂN XÃ VĨNH THỦY        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT "
      "NAM\nSố: 245/KH-UBND        Vĩnh Thủy, ngày 10 tháng 7 năm 2026\n\n"
      "KẾ HOẠCH\nCao điểm năm 2026\n\n",
      kHeaderTsv,
      "\nI\tMỤC MỘT\t\t\t\t\t\n1\tViệc\t\tCông an xã\t\tTrong năm "
      "2026\tXong\n"));
  EXPECT_EQ(parsed.request.number(), "245/KH-UBND");
  EXPECT_EQ(Date(parsed.request.issued()), "2026-07-10");
  EXPECT_THAT(parsed.request.needs_review(), IsEmpty());
}

// Wordings the readers of timeframes and targets once got wrong, found
// while trying other wordings.
TEST(PlanTextRegressions, EarlyInTheYearIsNotTheYearEnd) {
  const ParsedPlan parsed = MustParse(VinhThuyTable(
      "I\tMỤC\t\t\t\t\t\n1\tViệc\t\tCông an xã\t\tĐầu năm 2027\tXong\n"
      "2\tViệc\t\tCông an xã\t\tTuần đầu tháng 8/2026\tXong\n"));
  for (const char* number : {"1", "2"}) {
    const v1::TaskSpec* task = FindTask(parsed.request, "I", number);
    ASSERT_NE(task, nullptr);
    // Either read as the early date meant or flagged; never the end of the
    // year (month) named.
    EXPECT_THAT(Describe(task->schedule()),
                Not(AnyOf(HasSubstr("2027-12-31"), HasSubstr("2026-08-31"))));
  }
}

TEST(PlanTextRegressions, EveryStageOfAStagedTargetIsKept) {
  const ParsedPlan parsed = MustParse(VinhThuyTable(
      "I\tMỤC\t\t\t\t\t\n1\tViệc\t\tCông an xã\t\tTrong năm 2026\tTối thiểu "
      "60% người dân sử dụng VNeID trước ngày 30/9/2026 và 80% trước ngày "
      "31/12/2026\n"));
  const v1::TaskSpec* task = FindTask(parsed.request, "I", "1");
  ASSERT_NE(task, nullptr);
  EXPECT_THAT(Targets(*task), ElementsAre("60% at_least due 2026-09-30",
                                          "80% at_least due 2026-12-31"));
}

TEST(PlanTextTable, AgencyColumnsTitledCoQuanDonVi) {
  const std::string text =
      "Số: 9/KH-UBND\nVĩnh Thủy, ngày 1 tháng 7 năm 2026\n"
      "STT\tNội dung\tVăn bản\tCơ quan, đơn vị chủ trì\tCơ quan, đơn vị "
      "phối hợp\tThời hạn\tSản phẩm\n"
      "1\tRà soát hộ tịch\t\tCông an xã\tTrạm y tế\tQuý III/2026\t\n";
  absl::StatusOr<ParsedPlan> parsed = ParsePlanText(text, Registry(), {});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  const v1::TaskSpec& task = parsed->request.sections(0).tasks(0);
  EXPECT_THAT(task.lead_agencies(), ::testing::ElementsAre("vinhthuy.congan"));
  EXPECT_THAT(task.coordinating_agencies(),
              ::testing::ElementsAre("vinhthuy.tramyte"));
  EXPECT_EQ(IsoDate(task.due_date()), "2026-09-30");
}

}  // namespace
}  // namespace tiendo::plantext
