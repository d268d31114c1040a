// End to end: the provincial aggregator over two simulated months. The
// province Đồng Tháp has three communes (Mỹ Phong from the shipped
// registry, An Bình and Tân Phú added through the plan service); each
// commune's plan implements the provincial plan: an e-ID indicator (k1,
// staged 80% by 30/06 and 90% by 31/12), a milestone due 30/06 and the
// monthly report due before the 10th. The communes measure, report on time,
// late or not at all, and one raises a difficulty. Every number asserted
// below is computed by hand in the comments.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/proto_convert.h"
#include "tests/support/fixtures.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kProvince[] = "dong-thap";
constexpr char kProvincePlan[] = "dong-thap:12-KH-UBND";
constexpr char kIndicator[] = "công dân có tài khoản định danh điện tử";
const std::vector<std::string> kCommunes = {"an-binh", "my-phong", "tan-phu"};

std::string Police(const std::string& commune) {
  std::string code = commune;
  code.erase(std::remove(code.begin(), code.end(), '-'), code.end());
  return code + ".congan";
}

std::string CommunePlan(const std::string& commune) {
  return commune + ":34-KH-UBND";
}

std::string CommuneTask(const std::string& commune, const std::string& ref) {
  return absl::StrCat(CommunePlan(commune), "#", ref);
}

void AddStages(v1::TaskSpec& spec) {
  for (const auto& [percent, due] :
       std::vector<std::pair<double, v1::LocalDate>>{
           {80, Date(2026, 6, 30)}, {90, Date(2026, 12, 31)}}) {
    v1::Target* t = spec.add_targets();
    t->set_indicator(kIndicator);
    t->set_percent(percent);
    t->set_direction(v1::TARGET_DIRECTION_AT_LEAST);
    *t->mutable_due() = due;
  }
}

// III.1 the indicator (due 31/12), II.1 a milestone due 30/06, and for a
// commune BC.1, the monthly report before the 10th. A commune's tasks
// implement the province's.
v1::CreatePlanRequest PlanFor(const std::string& unit,
                              const std::string& number,
                              const std::string& police, bool commune) {
  v1::CreatePlanRequest r;
  r.set_unit(unit);
  r.set_number(number);
  *r.mutable_issued() = Date(2026, 5, 15);
  r.set_title("Kế hoạch thực hiện Đề án 06 năm 2026");
  r.set_standing_agency(police);
  v1::Agency* a = r.add_agencies();
  a->set_code(police);
  a->set_name("Công an");
  const std::string up = absl::StrCat(kProvincePlan, "#");

  v1::SectionSpec* ii = r.add_sections();
  ii->set_code("II");
  ii->set_title("CẢI CÁCH THỦ TỤC HÀNH CHÍNH");
  v1::TaskSpec* milestone = ii->add_tasks();
  milestone->set_number("1");
  milestone->set_title("Rà soát, cắt giảm thủ tục hành chính");
  milestone->add_lead_agencies(police);
  *milestone->mutable_due_date() = Date(2026, 6, 30);
  milestone->set_timeframe("Hoàn thành trước ngày 30/6/2026");
  if (commune) milestone->add_implements(up + "II.1");

  v1::SectionSpec* iii = r.add_sections();
  iii->set_code("III");
  iii->set_title("PHÁT TRIỂN TÀI KHOẢN ĐỊNH DANH ĐIỆN TỬ");
  v1::TaskSpec* kpi = iii->add_tasks();
  kpi->set_number("1");
  kpi->set_title("Phát triển tài khoản định danh điện tử");
  kpi->add_lead_agencies(police);
  *kpi->mutable_due_date() = Date(2026, 12, 31);
  kpi->set_timeframe("Trong năm 2026");
  AddStages(*kpi);
  if (commune) kpi->add_implements(up + "III.1");

  if (commune) {
    v1::SectionSpec* bc = r.add_sections();
    bc->set_code("BC");
    bc->set_title("CHẾ ĐỘ BÁO CÁO");
    v1::TaskSpec* report = bc->add_tasks();
    report->set_number("1");
    report->set_title("Báo cáo kết quả thực hiện hằng tháng");
    report->add_lead_agencies(police);
    report->set_kind(v1::TASK_KIND_REPORT);
    report->set_timeframe("Định kỳ trước ngày 10 hằng tháng");
    report->mutable_schedule()->mutable_recurrence()->set_every(
        v1::PERIOD_MONTH);
    report->mutable_schedule()->mutable_recurrence()->set_day(10);
    report->mutable_schedule()->set_text(report->timeframe());
  }
  return r;
}

class AggregationTest : public ::testing::Test {
 protected:
  AggregationTest() : stack_("2026-05-15T08:00:00+07:00") {}

  void SetUp() override {
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
    for (const char* commune : {"an-binh", "tan-phu"}) {
      v1::AddUnitRequest unit;
      unit.set_code(commune);
      unit.set_name(std::string(commune) == "an-binh" ? "An Bình" : "Tân Phú");
      unit.set_level(v1::UNIT_LEVEL_COMMUNE);
      unit.set_parent(kProvince);
      unit.set_standing_agency_code(Police(commune));
      unit.set_standing_agency_name("Công an xã");
      v1::AddUnitResponse added;
      grpc::ClientContext context;
      SetDeadline(context);
      grpc::Status s = stack_.Plan()->AddUnit(&context, unit, &added);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    Create(PlanFor(kProvince, "12/KH-UBND", "dongthap.congan", false));
    for (const std::string& c : kCommunes) {
      Create(PlanFor(c, "34/KH-UBND", Police(c), true));
    }
    // The aggregator has every task when the province counts them: 2 of
    // its own and 3 per commune.
    ASSERT_TRUE(WaitUntil([&] {
      return Rollup(kProvince).subtree_totals().total() == 11;
    })) << Rollup(kProvince).DebugString();
    for (const std::string& c : kCommunes) {
      ASSERT_TRUE(WaitUntil(
          [&] { return stack_.TaskState(CommuneTask(c, "BC.1")).ok(); }));
    }
  }

  void Create(const v1::CreatePlanRequest& request) {
    v1::CreatePlanResponse created;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s = stack_.Plan()->CreatePlan(&context, request, &created);
    ASSERT_TRUE(s.ok()) << request.unit() << ": " << s.error_message();
  }

  void At(int month, int day, int hour = 9) {
    ASSERT_TRUE(stack_.SetClock(Local(2026, month, day, hour)));
  }

  void Measure(const std::string& commune, int64_t numerator,
               int64_t denominator, v1::LocalDate as_of) {
    v1::ReportProgressRequest r;
    r.set_task_id(CommuneTask(commune, "III.1"));
    r.set_agency(Police(commune));
    r.set_status(v1::TASK_STATUS_IN_PROGRESS);
    v1::Measurement* m = r.add_measurements();
    m->set_indicator("k1");
    m->set_numerator(numerator);
    m->set_denominator(denominator);
    *m->mutable_as_of() = as_of;
    grpc::Status s = stack_.Report(r);
    ASSERT_TRUE(s.ok()) << commune << ": " << s.error_message();
  }

  void SubmitReport(const std::string& commune, const std::string& period) {
    v1::ReportProgressRequest r;
    r.set_task_id(CommuneTask(commune, "BC.1"));
    r.set_agency(Police(commune));
    r.set_occurrence_id(CommuneTask(commune, "BC.1@") + period);
    r.set_status(v1::TASK_STATUS_DONE);
    r.set_period_report(true);
    grpc::Status s = stack_.Report(r);
    ASSERT_TRUE(s.ok()) << commune << " " << period << ": "
                        << s.error_message();
  }

  void Done(const std::string& commune, const std::string& ref) {
    v1::ReportProgressRequest r;
    r.set_task_id(CommuneTask(commune, ref));
    r.set_agency(Police(commune));
    r.set_status(v1::TASK_STATUS_DONE);
    grpc::Status s = stack_.Report(r);
    ASSERT_TRUE(s.ok()) << commune << " " << ref << ": " << s.error_message();
  }

  v1::Rollup Rollup(const std::string& unit,
                    std::optional<absl::Time> at = std::nullopt) {
    v1::GetRollupRequest request;
    request.set_unit(unit);
    if (at) *request.mutable_at() = ToProto(*at);
    v1::GetRollupResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetRollup(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    response.mutable_rollup()->clear_computed_at();
    return response.rollup();
  }

  v1::KpiReport Kpis(const std::string& unit,
                     std::optional<absl::Time> at = std::nullopt) {
    v1::GetKpisRequest request;
    request.set_unit(unit);
    if (at) *request.mutable_at() = ToProto(*at);
    v1::GetKpisResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetKpis(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.kpis();
  }

  v1::ReportingRates Reporting(const std::string& unit,
                               const std::string& period,
                               std::optional<absl::Time> at = std::nullopt) {
    v1::GetReportingRatesRequest request;
    request.set_unit(unit);
    request.set_period(period);
    if (at) *request.mutable_at() = ToProto(*at);
    v1::GetReportingRatesResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetReportingRates(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.rates();
  }

  v1::Ranking Ranking(std::optional<absl::Time> at = std::nullopt) {
    v1::GetRankingRequest request;
    request.set_unit(kProvince);
    if (at) *request.mutable_at() = ToProto(*at);
    v1::GetRankingResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetRanking(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.ranking();
  }

  v1::GetMonthlyReportResponse Report(const std::string& month,
                                      v1::ReportFormat format) {
    v1::GetMonthlyReportRequest request;
    request.set_unit(kProvince);
    request.set_month(month);
    request.set_format(format);
    v1::GetMonthlyReportResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetMonthlyReport(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  // Every answer for the province and its communes, for comparisons.
  std::vector<std::string> Everything() {
    std::vector<std::string> out;
    for (const std::string& unit :
         {std::string(kProvince), kCommunes[0], kCommunes[1], kCommunes[2]}) {
      v1::Rollup r = Rollup(unit);
      r.clear_at();
      out.push_back(r.DebugString());
      v1::KpiReport k = Kpis(unit);
      k.clear_at();
      out.push_back(k.DebugString());
      v1::ReportingRates p = Reporting(unit, "");
      p.clear_at();
      out.push_back(p.DebugString());
    }
    v1::Ranking ranking = Ranking();
    ranking.clear_at();
    out.push_back(ranking.DebugString());
    // This month's report: as of now. (A past month's is as of its end,
    // where a rebuilt history is only as fine as the snapshots: every
    // measurement, but each task's state from its last report on.)
    v1::MonthlyReport july = Report("2026-07", v1::REPORT_FORMAT_JSON).report();
    july.clear_generated_at();
    july.clear_data_at();
    july.mutable_rollup()->clear_at();
    july.mutable_kpis()->clear_at();
    july.mutable_reporting()->clear_at();
    out.push_back(july.DebugString());
    return out;
  }

  // Two simulated months, as the test's comment at the top tells.
  void Play() {
    At(6, 1);
    Measure("my-phong", 700, 1000, Date(2026, 5, 31));
    Measure("an-binh", 1500, 2000, Date(2026, 5, 31));
    Measure("tan-phu", 300, 500, Date(2026, 5, 31));
    At(6, 8);
    SubmitReport("my-phong", "2026-05");  // due 9/6: on time
    At(6, 12);
    SubmitReport("an-binh", "2026-05");  // 3 days late; Tân Phú never
    At(6, 20);
    Done("my-phong", "II.1");  // due 30/6: on time
    At(6, 25);
    {
      v1::ReportProgressRequest r;
      r.set_task_id(CommuneTask("tan-phu", "II.1"));
      r.set_agency(Police("tan-phu"));
      r.set_status(v1::TASK_STATUS_BLOCKED);
      r.set_difficulty("Thiếu kinh phí, <chưa> bố trí & phân bổ");
      ASSERT_TRUE(stack_.Report(r).ok());
    }
    At(6, 30, 12);
    Measure("my-phong", 820, 1000, Date(2026, 6, 30));
    Measure("an-binh", 1700, 2000, Date(2026, 6, 30));
    Measure("tan-phu", 380, 500, Date(2026, 6, 30));
  }

  void PlayJuly() {
    At(7, 5);
    Done("an-binh", "II.1");  // 5 days late
    At(7, 8);
    SubmitReport("my-phong", "2026-06");  // due 9/7: on time
    SubmitReport("an-binh", "2026-06");
    At(7, 15);
    SubmitReport("tan-phu", "2026-06");  // 6 days late
    At(7, 20, 8);
  }

  // The aggregator has applied everything sent so far: the progress
  // service's versions all show in the roll-up's report counts.
  void WaitApplied(uint64_t commune_reports) {
    ASSERT_TRUE(WaitUntil([&] {
      uint64_t n = 0;
      for (const std::string& c : kCommunes) n += Rollup(c).reports_applied();
      return n == commune_reports;
    })) << "reports applied: "
        << Rollup(kCommunes[0]).reports_applied();
  }

  Stack stack_;
};

TEST_F(AggregationTest, ProvinceSumsItsCommunesAndAnswersAsOfAndAfterRebuild) {
  Play();
  // 3 + 2 + 1 + 1 + 3 reports by 30/06.
  WaitApplied(10);
  const absl::Time end_of_june = Local(2026, 6, 30, 23);
  At(6, 30, 23);
  const v1::Rollup june_rollup = Rollup(kProvince);
  const v1::KpiReport june_kpis = Kpis(kProvince);
  const v1::ReportingRates june_rates = Reporting(kProvince, "");

  PlayJuly();
  WaitApplied(14);

  // KPI at the province on 20/07: (820 + 1700 + 380) / (1000 + 2000 + 500)
  // = 2900 / 3500 = 82.857%; stage 80% by 30/06 met, 90% by 31/12 not
  // (gap 90 - 82.86 = 7.14). May: (700 + 1500 + 300) / 3500 = 71.43%.
  const v1::KpiReport kpis = Kpis(kProvince);
  ASSERT_EQ(kpis.indicators_size(), 1) << kpis.DebugString();
  const v1::IndicatorKpi& k = kpis.indicators(0);
  EXPECT_EQ(k.indicator_id(), absl::StrCat(kProvincePlan, "#III.1/k1"));
  EXPECT_EQ(k.value().numerator(), 2900);
  EXPECT_EQ(k.value().denominator(), 3500);
  EXPECT_DOUBLE_EQ(k.value().percent(), 82.86);
  EXPECT_EQ(k.value().units_measured(), 3);
  ASSERT_EQ(k.stages_size(), 2);
  EXPECT_TRUE(k.stages(0).met());
  EXPECT_TRUE(k.stages(0).due_passed());
  EXPECT_FALSE(k.stages(1).met());
  EXPECT_DOUBLE_EQ(k.stages(1).gap(), 7.14);
  ASSERT_EQ(k.monthly_size(), 3);  // May, June, July (to the 20th)
  EXPECT_EQ(k.monthly(0).numerator(), 2500);
  EXPECT_DOUBLE_EQ(k.monthly(0).percent(), 71.43);
  EXPECT_EQ(k.monthly(1).numerator(), 2900);
  EXPECT_EQ(k.monthly(2).numerator(), 2900);
  ASSERT_EQ(k.by_child_unit_size(), 3);
  EXPECT_EQ(k.by_child_unit(0).unit(), "an-binh");
  EXPECT_EQ(k.by_child_unit(0).value().numerator(), 1700);
  EXPECT_DOUBLE_EQ(k.by_child_unit(0).value().percent(), 85);

  // May reports: 3 expected (due 9/6), 2 in (Mỹ Phong, An Bình), 1 on time:
  // 66.7% and 33.3%. June: 3 expected (due 9/7), 3 in, 2 on time: 100%,
  // 66.7%.
  const v1::ReportingRates rates = Reporting(kProvince, "");
  ASSERT_EQ(rates.by_period_size(), 2) << rates.DebugString();
  EXPECT_EQ(rates.by_period(0).period(), "2026-05");
  EXPECT_EQ(rates.by_period(0).expected(), 3);
  EXPECT_EQ(rates.by_period(0).received(), 2);
  EXPECT_EQ(rates.by_period(0).received_on_time(), 1);
  EXPECT_DOUBLE_EQ(rates.by_period(0).reporting_rate(), 66.7);
  EXPECT_DOUBLE_EQ(rates.by_period(0).on_time_rate(), 33.3);
  EXPECT_EQ(rates.by_period(1).expected(), 3);
  EXPECT_EQ(rates.by_period(1).received(), 3);
  EXPECT_DOUBLE_EQ(rates.by_period(1).on_time_rate(), 66.7);
  // Late or missing: An Bình's May (3 days), Tân Phú's May (missing, 41
  // days on 20/07: 20/07 - 9/06), Tân Phú's June (6 days).
  std::vector<std::string> late;
  for (const v1::LateReport& r : rates.late_or_missing()) {
    late.push_back(absl::StrCat(r.unit(), " ", r.period(), " ",
                                r.received() ? "in" : "missing", " ",
                                r.days_late()));
  }
  EXPECT_THAT(late,
              ElementsAre("an-binh 2026-05 in 3", "tan-phu 2026-05 missing 41",
                          "tan-phu 2026-06 in 6"));

  // Ranking (weights 0.4 completion, 0.3 reporting, 0.3 targets; the target
  // stage now running is 90% by 31/12):
  //   my-phong: II.1 on time 100; reports 2/2 100; 82/90 = 91.1
  //             -> 40 + 30 + 27.33 = 97.3
  //   an-binh:  II.1 late 0; reports 1/2 50; 85/90 = 94.4
  //             -> 0 + 15 + 28.33 = 43.3
  //   tan-phu:  II.1 overdue 0; reports 0/2 0; 76/90 = 84.4
  //             -> 0 + 0 + 25.33 = 25.3
  const v1::Ranking ranking = Ranking();
  ASSERT_EQ(ranking.units_size(), 3) << ranking.DebugString();
  EXPECT_EQ(ranking.units(0).unit(), "my-phong");
  EXPECT_EQ(ranking.units(0).rank(), 1);
  EXPECT_DOUBLE_EQ(ranking.units(0).score(), 97.3);
  EXPECT_DOUBLE_EQ(ranking.units(0).targets(), 91.1);
  EXPECT_EQ(ranking.units(1).unit(), "an-binh");
  EXPECT_DOUBLE_EQ(ranking.units(1).score(), 43.3);
  EXPECT_DOUBLE_EQ(ranking.units(1).reporting(), 50);
  EXPECT_EQ(ranking.units(2).unit(), "tan-phu");
  EXPECT_DOUBLE_EQ(ranking.units(2).score(), 25.3);
  EXPECT_DOUBLE_EQ(ranking.units(2).completion(), 0);

  // Roll-up: 11 tasks. Done: Mỹ Phong II.1 and An Bình II.1 (late); Tân
  // Phú II.1 blocked and overdue; overdue too: the provincial II.1 (nobody
  // reported) and Tân Phú's BC.1 (its May report is missing).
  const v1::Rollup rollup = Rollup(kProvince);
  EXPECT_EQ(rollup.subtree_totals().total(), 11);
  EXPECT_EQ(rollup.subtree_totals().done(), 2);
  EXPECT_EQ(rollup.subtree_totals().done_late(), 1);
  EXPECT_EQ(rollup.subtree_totals().on_time(), 1);
  EXPECT_EQ(rollup.subtree_totals().blocked(), 1);
  EXPECT_EQ(rollup.subtree_totals().overdue(), 3);
  EXPECT_EQ(rollup.subtree_totals().open_difficulties(), 1);
  EXPECT_EQ(rollup.totals().total(), 2);
  ASSERT_EQ(rollup.by_child_unit_size(), 3);
  ASSERT_EQ(rollup.by_implemented_task_size(), 2);
  EXPECT_EQ(rollup.by_implemented_task(0).task_id(),
            absl::StrCat(kProvincePlan, "#II.1"));
  EXPECT_EQ(rollup.by_implemented_task(0).units(), 3);
  EXPECT_EQ(rollup.by_implemented_task(0).counts().done(), 2);

  // As of the end of June the answers are what they were then.
  v1::Rollup then = Rollup(kProvince, end_of_june);
  EXPECT_TRUE(MessageDifferencer::Equals(then, june_rollup))
      << then.DebugString() << "\nvs\n"
      << june_rollup.DebugString();
  v1::KpiReport kpis_then = Kpis(kProvince, end_of_june);
  EXPECT_TRUE(MessageDifferencer::Equals(kpis_then, june_kpis));
  v1::ReportingRates rates_then = Reporting(kProvince, "", end_of_june);
  EXPECT_TRUE(MessageDifferencer::Equals(rates_then, june_rates))
      << rates_then.DebugString() << "\nvs\n"
      << june_rates.DebugString();

  // The monthly report of June: as of 30/06 Tân Phú's May report is 21
  // days overdue and its difficulty 5 days open; its June report came in 6
  // days late.
  const v1::GetMonthlyReportResponse md =
      Report("2026-06", v1::REPORT_FORMAT_MARKDOWN);
  EXPECT_THAT(md.content_type(), HasSubstr("text/markdown"));
  EXPECT_THAT(md.rendered(), HasSubstr("## 1. Tổng quan"));
  EXPECT_THAT(md.rendered(), HasSubstr("## 2. Kết quả thực hiện các chỉ tiêu"));
  EXPECT_THAT(md.rendered(),
              HasSubstr("| 82,9% | 2900/3500 | 3 | 80% | 30/06/2026 | đạt |"));
  EXPECT_THAT(
      md.rendered(),
      HasSubstr("| Tân Phú | tháng 6/2026 | 09/07/2026 | báo cáo chậm 6 ngày"));
  EXPECT_THAT(md.rendered(), HasSubstr("### tanphu.congan"));
  EXPECT_THAT(md.rendered(), HasSubstr("| 21 |"));
  const v1::MonthlyReport& june = md.report();
  ASSERT_EQ(june.difficulties_size(), 1);
  EXPECT_EQ(june.difficulties(0).days_open(), 5);
  EXPECT_EQ(june.difficulties(0).raised_by(), "tanphu.congan");
  const std::string html = Report("2026-06", v1::REPORT_FORMAT_HTML).rendered();
  EXPECT_THAT(
      html, HasSubstr("<h2>3. Tình hình báo cáo định kỳ kỳ tháng 6/2026</h2>"));
  EXPECT_THAT(html,
              HasSubstr("Thiếu kinh phí, &lt;chưa&gt; bố trí &amp; phân bổ"));
  const std::string csv = Report("2026-06", v1::REPORT_FORMAT_CSV).rendered();
  EXPECT_THAT(csv, HasSubstr("\"Thiếu kinh phí, <chưa> bố trí & phân bổ\""));

  // Rebuilt from the owners' snapshots, every answer is the same.
  const std::vector<std::string> before = Everything();
  v1::RebuildRequest request;
  grpc::ClientContext context;
  auto reader = stack_.Aggregation()->Rebuild(&context, request);
  v1::RebuildResponse p;
  bool finished = false;
  int messages = 0;
  while (reader->Read(&p)) {
    ++messages;
    finished = finished || p.progress().finished();
  }
  ASSERT_TRUE(reader->Finish().ok());
  EXPECT_TRUE(finished);
  EXPECT_GE(messages, 3);
  const std::vector<std::string> after = Everything();
  ASSERT_EQ(before.size(), after.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(before[i], after[i]) << "answer " << i;
  }
}

TEST_F(AggregationTest, BadQueriesAreRefusedNamingTheField) {
  v1::GetMonthlyReportRequest request;
  request.set_unit(kProvince);
  request.set_month("06/2026");
  v1::GetMonthlyReportResponse response;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetMonthlyReport(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("month"));
  }
  request.set_month("2026-08");  // the clock is in May
  {
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s =
        stack_.Aggregation()->GetMonthlyReport(&context, request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  }
  v1::GetRollupRequest rollup;
  rollup.set_unit("xa-khong-co");
  v1::GetRollupResponse r;
  {
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s = stack_.Aggregation()->GetRollup(&context, rollup, &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_THAT(s.error_message(), HasSubstr("xa-khong-co"));
  }
  rollup.set_unit(kProvince);
  *rollup.mutable_at() = ToProto(Local(2027, 1, 1));
  {
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status s = stack_.Aggregation()->GetRollup(&context, rollup, &r);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("at:"));
  }
}

}  // namespace
}  // namespace tiendo::testing
