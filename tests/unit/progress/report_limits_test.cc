// Progress reports past the documented size limits are refused naming the
// field and the limit.
#include "services/progress/report_limits.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/input_limits.h"

namespace tiendo::progress {
namespace {

using ::testing::HasSubstr;

v1::ReportProgressRequest Report() {
  v1::ReportProgressRequest r;
  r.set_task_id("vinh-thuy:1199-KH-UBND#I.1");
  r.set_agency("vinhthuy.congan");
  r.set_status(v1::TASK_STATUS_IN_PROGRESS);
  r.set_note("Đã rà soát 1.200 hồ sơ");
  return r;
}

std::string Refusal(const v1::ReportProgressRequest& r) {
  const absl::Status s = CheckReportLimits(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return std::string(s.message());
}

TEST(ReportLimitsTest, ReportWithinTheLimitsPasses) {
  v1::ReportProgressRequest r = Report();
  r.set_note(std::string(limits::kNoteBytes, 'a'));
  for (int i = 0; i < limits::kEvidencePerReport; ++i) {
    r.add_evidence()->set_document_number("12/BC-CA");
  }
  EXPECT_TRUE(CheckReportLimits(r).ok());
}

TEST(ReportLimitsTest, LongTextIsRefusedNamingTheFieldAndLimit) {
  v1::ReportProgressRequest r = Report();
  r.set_note(std::string(1 << 20, 'a'));
  EXPECT_EQ(Refusal(r), "note: 1048576 bytes, more than the 4000 allowed");

  r = Report();
  r.set_difficulty(std::string(limits::kNoteBytes + 1, 'a'));
  EXPECT_THAT(Refusal(r), HasSubstr("difficulty: 4001 bytes"));

  r = Report();
  r.set_agency(std::string(300, 'a'));
  EXPECT_THAT(Refusal(r), HasSubstr("agency: 300 bytes, more than the 256"));
}

TEST(ReportLimitsTest, NestedFieldsAndCountsAreNamed) {
  v1::ReportProgressRequest r = Report();
  r.add_evidence()->set_link("https://vinhthuy.gov.vn/bc");
  r.add_evidence()->set_link(std::string(3000, 'l'));
  EXPECT_THAT(Refusal(r), HasSubstr("evidence[1].link: 3000 bytes"));

  r = Report();
  for (int i = 0; i <= limits::kEvidencePerReport; ++i) {
    r.add_evidence()->set_document_number("12/BC-CA");
  }
  EXPECT_EQ(Refusal(r), "evidence: 21 items, more than the 20 allowed");

  r = Report();
  r.add_measurements()->set_indicator(std::string(500, 'i'));
  EXPECT_THAT(Refusal(r), HasSubstr("measurements[0].indicator: 500 bytes"));
}

TEST(ReportLimitsTest, MeasurementItemFieldsCarryTheItemIndex) {
  v1::MeasurementItem item;
  item.set_task_id("vinh-thuy:1199-KH-UBND#I.1");
  item.set_request_id(std::string(1000, 'r'));
  const absl::Status s = CheckMeasurementItemLimits(item, "items[3]");
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("items[3].request_id: 1000 bytes"));
}

}  // namespace
}  // namespace tiendo::progress
