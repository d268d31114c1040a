// The monthly consolidated report: the month asked for, the instant its
// data is taken at, and the report of the scenario's province for June
// 2026 written out as Markdown, HTML, CSV and JSON.
#include "services/aggregation/monthly_report.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregation/execution_history.h"
#include "services/aggregation/rollup_view.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/proto_convert.h"
#include "tests/support/fixtures.h"
#include "tests/unit/aggregation/aggregation_scenario.h"

// Inside the scenario's namespace: its tasks, units and events are named
// as the comments name them.
namespace tiendo::aggregation::scenario {
namespace {

// The difficulty as Markdown must write it: "<CCCD>" is not a tag.
constexpr char kMdDifficulty[] =
    "Thiếu máy đọc thẻ \\<CCCD\\> \\& chíp, chờ \"Bộ Công an\" cấp";

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::Not;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;

TEST(MonthlyReportTest, ParseMonth) {
  absl::StatusOr<absl::CivilMonth> june = ParseMonth("2026-06");
  ASSERT_TRUE(june.ok()) << june.status();
  EXPECT_EQ(*june, absl::CivilMonth(2026, 6));
  EXPECT_EQ(*ParseMonth("2026-12"), absl::CivilMonth(2026, 12));
  for (const char* bad :
       {"", "2026", "2026-6", "2026-13", "2026-00", "26-06", "2026/06",
        "2026-06-01", "abcd-ef", "2026-+6", "+026-06", "2026- 6", "2026-0x"}) {
    absl::StatusOr<absl::CivilMonth> month = ParseMonth(bad);
    ASSERT_FALSE(month.ok()) << bad;
    EXPECT_EQ(month.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(month.status().message(),
              absl::StrCat("month: \"", bad,
                           "\" is not a month written YYYY-MM (2026-06)"));
  }
}

TEST(MonthlyReportTest, MonthDataTime) {
  // A month over: its last second, local time.
  EXPECT_EQ(MonthDataTime(absl::CivilMonth(2026, 6), Now()),
            Local(2026, 6, 30, 23, 59, 59));
  EXPECT_EQ(MonthDataTime(absl::CivilMonth(2026, 2), Now()),
            Local(2026, 2, 28, 23, 59, 59));
  EXPECT_EQ(MonthDataTime(absl::CivilMonth(2025, 12), Now()),
            Local(2025, 12, 31, 23, 59, 59));
  // The month now running: now.
  EXPECT_EQ(MonthDataTime(absl::CivilMonth(2026, 7), Now()), Now());
  // 00:00 on 1/8 local is after the last second of July.
  EXPECT_EQ(MonthDataTime(absl::CivilMonth(2026, 7), Local(2026, 8, 1)),
            Local(2026, 7, 31, 23, 59, 59));
}

class MonthlyReportRenderTest : public ::testing::Test {
 protected:
  MonthlyReportRenderTest() : units_(Units()) {
    ApplyTo(history_, Now());
    const absl::CivilMonth june(2026, 6);
    const RollupView at_end(history_, units_, MonthDataTime(june, Now()));
    const RollupView now(history_, units_, Now());
    report_ = BuildMonthlyReport(at_end, now, kProvince, june);
  }

  std::string Render(v1::ReportFormat format, std::string* type = nullptr) {
    std::string content_type;
    std::string text = RenderMonthlyReport(report_, format, &content_type);
    if (type != nullptr) *type = content_type;
    return text;
  }

  ExecutionHistory history_;
  UnitTree units_;
  v1::MonthlyReport report_;
};

// The province on 30/06 23:59:59 (today 30/06):
//   done VT1 (on time); blocked B1 (overdue since 30/04, the only one);
//   in progress P1 70, P2 50, VT2 50, VT3 50, A1 80, A2 50, B2 50;
//   not started P3, B3 (B3 is due 01/07)
//   percent (70+50+0+100+50+50+80+50+15+50+0) / 11 = 515/11 = 46.8
//   k1 as of 30/06 with what was sent in by 15/07 (communes send a month's
//   figures early the month after): vinh-thuy 950/1000 (sent 01/07) +
//   xa-a 910/1000 (its 880 corrected on 05/07); xa-b's 430/500 is of 10/07
//   and the province's own 9999/10000 is not added to its communes'
//   = 1860/2000 = 93%: 90% by 31/03 met, 7 short of 100% (due today)
//   k2 (P3's, 50% by 31/12): measured only on 10/07, so no value yet
// June's reports as of 15/07 12:00: 2 of 4 in (50%), 1 on time (25%).
TEST_F(MonthlyReportRenderTest, TheReportHoldsTheMonthsData) {
  EXPECT_EQ(report_.unit(), kProvince);
  EXPECT_EQ(report_.unit_name(), "Quảng Trị");
  EXPECT_EQ(report_.month(), "2026-06");
  EXPECT_TRUE(
      MessageDifferencer::Equals(report_.period_end(), Date(2026, 6, 30)));
  EXPECT_EQ(FromProto(report_.generated_at()), Now());
  EXPECT_EQ(FromProto(report_.data_at()), Local(2026, 6, 30, 23, 59, 59));
  EXPECT_EQ(report_.rollup().subtree_totals().total(), 11);
  EXPECT_EQ(report_.rollup().subtree_totals().overdue(), 1);
  EXPECT_EQ(report_.rollup().subtree_totals().in_progress(), 7);
  ASSERT_EQ(report_.kpis().indicators_size(), 2);
  EXPECT_EQ(report_.kpis().indicators(0).value().numerator(), 1860);
  EXPECT_EQ(report_.kpis().indicators(0).value().denominator(), 2000);
  EXPECT_EQ(report_.kpis().indicators(1).value().units_measured(), 0);
  ASSERT_EQ(report_.reporting().by_period_size(), 1);
  EXPECT_EQ(report_.reporting().by_period(0).period(), "2026-06");
  EXPECT_EQ(report_.reporting().late_or_missing_size(), 3);
  // Overdue on 30/06: B1's 30/04 milestone, 31 + 30 = 61 days.
  ASSERT_EQ(report_.overdue_by_agency_size(), 1);
  EXPECT_EQ(report_.overdue_by_agency(0).agency(), "xab.congan");
  ASSERT_EQ(report_.overdue_by_agency(0).items_size(), 1);
  EXPECT_EQ(report_.overdue_by_agency(0).items(0).days_overdue(), 61);
  // Open since 20/04: 10 + 31 + 30 = 71 days.
  ASSERT_EQ(report_.difficulties_size(), 1);
  EXPECT_EQ(report_.difficulties(0).days_open(), 71);
}

TEST_F(MonthlyReportRenderTest, Markdown) {
  std::string type;
  const std::string md = Render(v1::REPORT_FORMAT_MARKDOWN, &type);
  EXPECT_EQ(type, "text/markdown; charset=utf-8");
  EXPECT_EQ(Render(v1::REPORT_FORMAT_UNSPECIFIED), md);
  EXPECT_THAT(md, HasSubstr("# Báo cáo tổng hợp kết quả thực hiện tháng "
                            "6/2026 – Quảng Trị\n"));
  EXPECT_THAT(md, HasSubstr("tính đến 23:59 ngày 30/06/2026; tình hình báo "
                            "cáo định kỳ kỳ tháng 6/2026 tính đến 12:00 ngày "
                            "15/07/2026."));
  EXPECT_THAT(md, HasSubstr("\n## 1. Tổng quan\n"));
  EXPECT_THAT(md, HasSubstr("\n## 2. Kết quả thực hiện các chỉ tiêu\n"));
  EXPECT_THAT(md,
              HasSubstr("\n## 3. Tình hình báo cáo định kỳ kỳ tháng 6/2026\n"));
  EXPECT_THAT(md, HasSubstr("\n## 4. Nhiệm vụ quá hạn theo cơ quan chủ trì\n"));
  EXPECT_THAT(md,
              HasSubstr("\n## 5. Khó khăn, vướng mắc chưa được giải quyết\n"));

  // Headline numbers.
  EXPECT_THAT(md, HasSubstr("| Tổng số nhiệm vụ | 11 |\n"));
  EXPECT_THAT(md, HasSubstr("| Đã hoàn thành | 1 (đúng hạn 1, quá hạn 0) |\n"));
  EXPECT_THAT(md, HasSubstr("| Đang thực hiện | 7 |\n"));
  EXPECT_THAT(md, HasSubstr("| Quá hạn chưa hoàn thành | 1 |\n"));
  EXPECT_THAT(md, HasSubstr("| Tiến độ bình quân | 46,8% |\n"));
  // k1's running stage (100% by 30/06) is not met, k2 has no value.
  EXPECT_THAT(md, HasSubstr("| Chỉ tiêu đã đạt | 0/2 |\n"));
  EXPECT_THAT(md, HasSubstr("| Báo cáo định kỳ kỳ tháng 6/2026 | 2/4 đã báo "
                            "cáo (50%), đúng hạn 1 (25%) |\n"));

  // The KPI table, one row per stage.
  EXPECT_THAT(md, HasSubstr(absl::StrCat(
                      "| ", kK1Text,
                      " | 93% | 1860/2000 | 2 | 90% | 31/03/2026 | đạt "
                      "|\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat(
                      "| ", kK1Text,
                      " | 93% | 1860/2000 | 2 | 100% | 30/06/2026 | chưa "
                      "đạt, còn thiếu 7% |\n")));

  // June's reports per unit, and who is late or missing.
  EXPECT_THAT(md, HasSubstr("| Xã B | 1 | 1 | 0 | 100% | 0% |\n"));
  EXPECT_THAT(md, HasSubstr("| Xã B | tháng 6/2026 | 11/07/2026 | báo cáo "
                            "chậm 2 ngày (ngày 13/07/2026) |\n"));
  EXPECT_THAT(md, HasSubstr("| Xã A | tháng 6/2026 | 11/07/2026 | chưa báo "
                            "cáo (quá hạn 4 ngày) |\n"));
  EXPECT_THAT(md, HasSubstr("| Quảng Trị | tháng 6/2026 | 11/07/2026 | chưa "
                            "báo cáo (quá hạn 4 ngày) |\n"));
  // Vĩnh Thủy was on time.
  EXPECT_THAT(md, Not(HasSubstr("| Vĩnh Thủy | tháng 6/2026")));

  // Overdue work under its lead agency, and the open difficulty.
  EXPECT_THAT(md, HasSubstr("### xab.congan\n"));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("| I.1 ", kB1Title,
                                         " | Xã B | 30/04/2026 | 30/04/2026 "
                                         "| 61 |\n")));
  EXPECT_THAT(md, HasSubstr(absl::StrCat("| I.1 ", kB1Title, " | Xã B | ",
                                         kMdDifficulty,
                                         " | xab.congan | 20/04/2026 | 71 "
                                         "|\n")));
}

TEST_F(MonthlyReportRenderTest, HtmlEscapesText) {
  std::string type;
  const std::string html = Render(v1::REPORT_FORMAT_HTML, &type);
  EXPECT_EQ(type, "text/html; charset=utf-8");
  EXPECT_THAT(html, HasSubstr("<h2>1. Tổng quan</h2>"));
  EXPECT_THAT(html, HasSubstr("<h2>2. Kết quả thực hiện các chỉ tiêu</h2>"));
  EXPECT_THAT(html, HasSubstr("<td>Thiếu máy đọc thẻ &lt;CCCD&gt; &amp; chíp, "
                              "chờ &quot;Bộ Công an&quot; cấp</td>"));
  EXPECT_THAT(html, Not(HasSubstr("<CCCD>")));
  EXPECT_THAT(html, Not(HasSubstr(" & chíp")));
  EXPECT_THAT(html, HasSubstr("<td>Tổng số nhiệm vụ</td><td>11</td>"));
}

TEST_F(MonthlyReportRenderTest, CsvQuotesFields) {
  std::string type;
  const std::string csv = Render(v1::REPORT_FORMAT_CSV, &type);
  EXPECT_EQ(type, "text/csv; charset=utf-8");
  // RFC 4180: a field with a comma or a quote is quoted, quotes doubled;
  // the others are not; lines end with CRLF.
  EXPECT_THAT(csv,
              HasSubstr(absl::StrCat(
                  "\r\n\"I.1 ", kB1Title,
                  "\",Xã B,\"Thiếu máy đọc thẻ <CCCD> & chíp, chờ "
                  "\"\"Bộ Công an\"\" cấp\",xab.congan,20/04/2026,71\r\n")));
  EXPECT_THAT(csv, HasSubstr("\r\nTổng số nhiệm vụ,11\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\nĐã hoàn thành,\"1 (đúng hạn 1, quá hạn 0)\""
                             "\r\n"));
}

TEST_F(MonthlyReportRenderTest, JsonParsesBackToTheSameReport) {
  std::string type;
  const std::string json = Render(v1::REPORT_FORMAT_JSON, &type);
  EXPECT_EQ(type, "application/json");
  v1::MonthlyReport parsed;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json, &parsed);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(MessageDifferencer::Equals(parsed, report_))
      << parsed.DebugString();
  // Field names as in the proto.
  EXPECT_THAT(json, HasSubstr("\"late_or_missing\""));
}

TEST(MonthlyReportOverdueTest, WorkWithoutALeadHasItsOwnHeading) {
  v1::Task task = BaseTask("vinh-thuy:KH-2026#IV.1", kVinhThuy, "IV",
                           "Nhiệm vụ khác", "1", "Rà soát dữ liệu", {});
  *task.mutable_due_date() = Date(2026, 6, 30);
  ExecutionHistory history;
  history.ApplyDefinition(task, Defined());
  const UnitTree units = Units();
  const absl::CivilMonth july(2026, 7);
  const RollupView now(history, units, Now());
  const v1::MonthlyReport report =
      BuildMonthlyReport(RollupView(history, units, MonthDataTime(july, Now())),
                         now, kVinhThuy, july);
  std::string type;
  const std::string md =
      RenderMonthlyReport(report, v1::REPORT_FORMAT_MARKDOWN, &type);
  // July is not over on 15/07: its data is as of now, 15 days overdue.
  EXPECT_THAT(md, HasSubstr("### Chưa xác định cơ quan chủ trì\n"));
  EXPECT_THAT(md, HasSubstr("| IV.1 Rà soát dữ liệu | Vĩnh Thủy |  | "
                            "30/06/2026 | 15 |\n"));
  EXPECT_THAT(md, Not(HasSubstr("Không có nhiệm vụ quá hạn.")));
}

}  // namespace
}  // namespace tiendo::aggregation::scenario
