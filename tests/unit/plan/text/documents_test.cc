#include "services/plan/text/documents.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gtest/gtest.h"
#include "services/plan/text/dates.h"
#include "tests/support/table_parts.h"

namespace tiendo::plantext {
namespace {

struct Expected {
  std::string kind = "";
  std::string number = "";
  // ISO date, empty when unset.
  std::string date = "";
  std::string issuer = "";
  // The reference as written; not checked when empty.
  std::string text = "";
};

// Rows are written out one by one: neighbouring rows repeat a reference on
// purpose, changing only the part the case is about.
struct Row {
  std::string name = "";
  std::string text = "";
  std::vector<Expected> want = {};
};

const Expected kDecision06{"Quyết định", "06/QĐ-TTg", "2022-01-06",
                           "Thủ tướng Chính phủ",
                           "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ "
                           "tướng Chính phủ"};
const Expected kDirective07{"Chỉ thị", "07/CT-TTg", "2025-03-14",
                            "Thủ tướng Chính phủ",
                            "Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ "
                            "tướng Chính phủ"};
const Expected kCircular08{"Thông tư", "08/2024/TT-BXD", "2024-08-30",
                           "Bộ Xây dựng"};

std::vector<Row> RowsPart1() {
  return {
      // ----- Vĩnh Thủy, column "Văn bản chỉ đạo" and references in the
      // other columns.
      {"VinhThuyDecision06WithIssuer",
       "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ",
       {kDecision06}},
      {"VinhThuyDirective07InParagraphTag",
       "<p>Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng Chính phủ</p>",
       {kDirective07}},
      {"VinhThuyOneCuaClosesAListOfFour",
       "<p>Quyết định số 06/QĐ-TTg ngày 06/01/2022, Quyết định số 422/QĐ-TTg "
       "ngày 04/4/2022, Quyết định số 206/QĐ-TTg ngày 28/02/2024, Chỉ thị số "
       "24/CT-TTg ngày 13/9/2025 của Thủ tướng Chính phủ</p>",
       {{"Quyết định", "06/QĐ-TTg", "2022-01-06", "Thủ tướng Chính phủ",
         "Quyết định số 06/QĐ-TTg ngày 06/01/2022"},
        {"Quyết định", "422/QĐ-TTg", "2022-04-04", "Thủ tướng Chính phủ"},
        {"Quyết định", "206/QĐ-TTg", "2024-02-28", "Thủ tướng Chính phủ"},
        {"Chỉ thị", "24/CT-TTg", "2025-09-13", "Thủ tướng Chính phủ",
         "Chỉ thị số 24/CT-TTg ngày 13/9/2025 của Thủ tướng Chính phủ"}}},
      {"VinhThuyThreeLettersThreeIssuers",
       "<p>Công văn số 693-CV/VPTW ngày 02/3/2026 của Văn phòng Ban Chấp "
       "hành Trung ương</p> <p>Công văn số 1692/UBND-HCC ngày 31/3/2026 của "
       "UBND tỉnh</p> <p>Công văn số 1040/TCT ngày 07/02/2026 của Tổ Công "
       "tác Đề án 06 tỉnh</p>",
       {{"Công văn", "693-CV/VPTW", "2026-03-02",
         "Văn phòng Ban Chấp hành Trung ương"},
        {"Công văn", "1692/UBND-HCC", "2026-03-31", "UBND tỉnh"},
        {"Công văn", "1040/TCT", "2026-02-07", "Tổ Công tác Đề án 06 tỉnh"}}},
      {"VinhThuyDirectiveAndTwoCirculars",
       "Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng Chính phủ\n"
       "Thông tư số 08/2024/TT-BXD ngày 30/8/2024 của Bộ Xây dựng\n"
       "Thông tư số 09/2025/TT-BXD ngày 13/6/2025 của Bộ Xây dựng",
       {kDirective07,
        kCircular08,
        {"Thông tư", "09/2025/TT-BXD", "2025-06-13", "Bộ Xây dựng"}}},
      {"VinhThuyTwoReferencesOnOneLine",
       "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ  Chỉ "
       "thị số 07/CT-TTg ngày 14/3/2025 của Thủ tướng Chính phủ",
       {kDecision06, kDirective07}},
      {"VinhThuyLetterNumberCutAcrossTableRows",
       "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ  "
       "Công văn số 1698/BNV-\nTTCNTT ngày 24/4/2025",
       {kDecision06, {"Công văn", "1698/BNV-TTCNTT", "2025-04-24", ""}}},
      {"NumberCutByStraySpacesIsJoined",
       "Công văn số 1698/BNV-  TTCNTT ngày 24/4/2025",
       {{"Công văn", "1698/BNV-TTCNTT", "2025-04-24", "",
         "Công văn số 1698/BNV- TTCNTT ngày 24/4/2025"}}},
      {"VinhThuyPoliceLetterDateOnNextLineNoIssuer",
       "- Thông tin phục vụ thu mẫu ADN thân nhân liệt sĩ theo đề nghị của "
       "Công an tỉnh tại Công văn số 225/CAT-PC06\nngày 15/01/2026 về phối "
       "hợp cung cấp số liệu, thông tin liệt sĩ và thân nhân",
       {{"Công văn", "225/CAT-PC06", "2026-01-15", "",
         "Công văn số 225/CAT-PC06 ngày 15/01/2026"}}},
      {"VinhThuyIssuerCutAcrossTableRows",
       "Chỉ thị số 07/CT-TTg ngày 14/3/2025 của Thủ\ntướng Chính phủ",
       {kDirective07}},
      {"VinhThuyProvincePlanIssuerEndsBeforeVeViec",
       "Thực hiện Kế hoạch số 1965/KH-UBND ngày 20/4/2026 của Ủy ban nhân "
       "dân tỉnh Quảng Trị về việc triển khai thực hiện Đề án 06",
       {{"Kế hoạch", "1965/KH-UBND", "2026-04-20",
         "Ủy ban nhân dân tỉnh Quảng Trị",
         "Kế hoạch số 1965/KH-UBND ngày 20/4/2026 của Ủy ban nhân dân tỉnh "
         "Quảng Trị"}}},
      {"VinhThuyBlankNumberAndDayKeptAsWritten",
       "(Kèm theo Kế hoạch số /KH-UBND ngày /5/2026 của UBND xã Vĩnh Thụy)",
       {{"Kế hoạch", "/KH-UBND", "", "UBND xã Vĩnh Thụy",
         "Kế hoạch số /KH-UBND ngày /5/2026 của UBND xã Vĩnh Thụy"}}},
  };
}

std::vector<Row> RowsPart2() {
  return {
      {"VinhThuyTaskTextListJoinedByVaAndSemicolon",
       "Triển khai hiệu quả các DVC theo yêu cầu của Đề án 06, Quyết định số "
       "422/QĐ-TTg ngày 04/4/2022 và Quyết định số 206/QĐ-TTg ngày "
       "28/02/2024 của Thủ tướng Chính phủ phê duyệt các danh mục nhóm DVC "
       "trực tuyến; Chỉ thị số 24/CT-TTg ngày 13/9/2025 của Thủ tướng Chính "
       "phủ về việc thúc đẩy triển khai các giải pháp công nghệ.",
       {{"Quyết định", "422/QĐ-TTg", "2022-04-04", "Thủ tướng Chính phủ"},
        {"Quyết định", "206/QĐ-TTg", "2024-02-28", "Thủ tướng Chính phủ"},
        {"Chỉ thị", "24/CT-TTg", "2025-09-13", "Thủ tướng Chính phủ"}}},
      {"VinhThuyCircularInTaskSentence",
       "Triển khai giải pháp định danh địa điểm, đánh số nhà theo Thông tư số "
       "08/2024/TT-BXD ngày 30/8/2024 của Bộ Xây dựng.",
       {kCircular08}},
      {"VinhThuyDirective05",
       "Chỉ thị số 05/CT-TTg ngày 13/02/2026 của Thủ tướng Chính phủ",
       {{"Chỉ thị", "05/CT-TTg", "2026-02-13", "Thủ tướng Chính phủ"}}},

      // ----- Đồng Tháp body, lines as extracted from the PDF.
      {"DongThapIntroWrappedLines",
       "Thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng \n"
       "Chính phủ phê duyệt Đề án “Phát triển ứng dụng dữ liệu dân cư, định "
       "danh và \n"
       "xác thực điện tử phục vụ chuyển đổi số quốc gia giai đoạn 2022 - "
       "2025, tầm \n"
       "nhìn đến năm 2030” (sau đây gọi tắt là Đề án 06); Thông báo số "
       "712/TB-VPCP \n"
       "ngày 21/12/2025 của Văn phòng Chính phủ về kết luận Hội nghị sơ kết "
       "01 năm \n"
       "triển khai Chương trình hành động của Chính phủ thực hiện Nghị quyết "
       "số 57-\n"
       "NQ/TW, 05 năm thực hiện Chương trình tổng thể cải cách hành chính",
       {kDecision06,
        {"Thông báo", "712/TB-VPCP", "2025-12-21", "Văn phòng Chính phủ"},
        {"Nghị quyết", "57-NQ/TW", "", ""}}},
      {"DongThapDecision2439IssuerOnNextLine",
       "kiến trúc dữ liệu quốc gia tại Quyết định số 2439/QĐ-TTg ngày "
       "04/11/2025 của \nThủ tướng Chính phủ.",
       {{"Quyết định", "2439/QĐ-TTg", "2025-11-04", "Thủ tướng Chính phủ"}}},
      {"DongThapDirective21DateOnNextLine",
       "sách bằng hình thức không dùng tiền mặt theo Chỉ thị số 21/CT-TTg "
       "ngày \n25/11/2022 của Thủ tướng Chính phủ (đối tượng Bảo trợ xã hội "
       "phấn đấu đạt tỷ ",
       {{"Chỉ thị", "21/CT-TTg", "2022-11-25", "Thủ tướng Chính phủ"}}},
      {"DongThapLetter912NumberOnNextLine",
       "dụng VNeID phục vụ tạo lập Sổ sức khỏe điện tử theo chỉ đạo tại Công "
       "văn số \n912/UBND-KSTT ngày 04/9/2025 của UBND tỉnh.",
       {{"Công văn", "912/UBND-KSTT", "2025-09-04", "UBND tỉnh"}}},
      {"DongThapLawNamedWithoutNumberIsNoReference",
       "Thường xuyên rà soát các văn bản quy phạm pháp luật có liên quan đến "
       "Đề án 06, Luật Dữ liệu thuộc phạm vi, chức năng quản lý",
       {}},

      // ----- Forms and rules.
      {"NumberRightAfterKindWithoutSo",
       "Quyết định 06/QĐ-TTg ngày 06/01/2022",
       {{"Quyết định", "06/QĐ-TTg", "2022-01-06", ""}}},
      {"NumberAfterSoWithColon",
       "Kế hoạch số: 1199/KH-UBND ngày 25/5/2026",
       {{"Kế hoạch", "1199/KH-UBND", "2026-05-25", ""}}},
      {"LongDateForm",
       "Kế hoạch số 1199/KH-UBND ngày 25 tháng 5 năm 2026 của UBND xã Vĩnh "
       "Thủy",
       {{"Kế hoạch", "1199/KH-UBND", "2026-05-25", "UBND xã Vĩnh Thủy"}}},
      {"DashAndDotDates",
       "Nghị định số 13/2023/NĐ-CP ngày 17-4-2023 của Chính phủ; Thông tư số "
       "01/2024/TT-BCA ngày 1.2.2024 của Bộ Công an",
       {{"Nghị định", "13/2023/NĐ-CP", "2023-04-17", "Chính phủ"},
        {"Thông tư", "01/2024/TT-BCA", "2024-02-01", "Bộ Công an"}}},
  };
}

std::vector<Row> RowsPart3() {
  return {
      {"LowerCaseKindGetsCanonicalName",
       "theo quyết định số 12/QĐ-UBND ngày 3/1/2026",
       {{"Quyết định", "12/QĐ-UBND", "2026-01-03", ""}}},
      {"OtherKinds",
       "Hướng dẫn số 05/HD-BCĐ ngày 10/3/2026; Công điện số 01/CĐ-TTg ngày "
       "2/1/2026; Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; "
       "Luật số 26/2023/QH15",
       {{"Hướng dẫn", "05/HD-BCĐ", "2026-03-10", ""},
        {"Công điện", "01/CĐ-TTg", "2026-01-02", ""},
        {"Nghị quyết", "57-NQ/TW", "2024-12-22", "Bộ Chính trị"},
        {"Luật", "26/2023/QH15", "", ""}}},
      {"NumberWithoutDateStillTakesIssuer",
       "Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá phát triển khoa "
       "học",
       {{"Nghị quyết", "57-NQ/TW", "", "Bộ Chính trị",
         "Nghị quyết số 57-NQ/TW của Bộ Chính trị"}}},
      {"JointCircularIsOneKind",
       "Thông tư liên tịch số 02/2015/TTLT-BCA-BTP ngày 5/2/2015",
       {{"Thông tư liên tịch", "02/2015/TTLT-BCA-BTP", "2015-02-05", ""}}},
      {"LawWithNameBeforeNumber",
       "Luật Căn cước số 26/2023/QH15 ngày 27/11/2023",
       {{"Luật", "26/2023/QH15", "2023-11-27", "",
         "Luật Căn cước số 26/2023/QH15 ngày 27/11/2023"}}},
      {"KindWordsInProseAreNoReferences",
       "Ban hành Kế hoạch trong tháng 5/2026; theo hướng dẫn của Bộ Y tế; "
       "Báo cáo số liệu; Kế hoạch kiểm soát TTHC; Quyết định của UBND xã",
       {}},
      {"DigitsOnlyAfterSoIsNoDocumentNumber", "Kế hoạch số 5 năm 2026", {}},
      {"CommaEndsIssuerEachKeepsItsOwn",
       "Công văn số 1692/UBND-HCC ngày 31/3/2026 của UBND tỉnh, Công văn số "
       "1040/TCT ngày 07/02/2026 của Tổ Công tác Đề án 06 tỉnh",
       {{"Công văn", "1692/UBND-HCC", "2026-03-31", "UBND tỉnh"},
        {"Công văn", "1040/TCT", "2026-02-07", "Tổ Công tác Đề án 06 tỉnh"}}},
      {"SemicolonDoesNotShareIssuer",
       "Quyết định số 06/QĐ-TTg ngày 06/01/2022; Công văn số 1040/TCT ngày "
       "07/02/2026 của Tổ Công tác Đề án 06 tỉnh",
       {{"Quyết định", "06/QĐ-TTg", "2022-01-06", ""},
        {"Công văn", "1040/TCT", "2026-02-07", "Tổ Công tác Đề án 06 tỉnh"}}},
      {"LineBreakDoesNotShareIssuer",
       "Quyết định số 06/QĐ-TTg ngày 06/01/2022\nChỉ thị số 07/CT-TTg ngày "
       "14/3/2025 của Thủ tướng Chính phủ",
       {{"Quyết định", "06/QĐ-TTg", "2022-01-06", ""}, kDirective07}},
      {"IssuerWithVeTratTuIsKept",
       "Công văn số 12/C06-TTDLDC ngày 5/1/2026 của Cục Cảnh sát quản lý "
       "hành chính về trật tự xã hội về việc hướng dẫn",
       {{"Công văn", "12/C06-TTDLDC", "2026-01-05",
         "Cục Cảnh sát quản lý hành chính về trật tự xã hội"}}},
      {"IssuerWithVaBetweenCapitalsIsKept",
       "Quyết định số 3/QĐ-BKHCN ngày 2/1/2026 của Bộ Khoa học và Công nghệ "
       "và các văn bản liên quan",
       {{"Quyết định", "3/QĐ-BKHCN", "2026-01-02",
         "Bộ Khoa học và Công nghệ"}}},
      {"TabSeparatesCells",
       "Công văn số 1698/BNV-\tPhòng Văn hóa - Xã hội",
       {{"Công văn", "1698/BNV-", "", ""}}},
      {"EmptyText", "", {}},
      {"NumberWithoutKindIsNoReference", "số 06/QĐ-TTg ngày 06/01/2022", {}},
  };
}

std::vector<Row> Rows() {
  return ::tiendo::testing::JoinParts<Row>(
      {&RowsPart1, &RowsPart2, &RowsPart3});
}

class ParseDocumentsTest : public ::testing::TestWithParam<Row> {};

TEST_P(ParseDocumentsTest, FindsExpectedReferences) {
  const Row& row = GetParam();
  absl::StatusOr<std::vector<v1::DocumentRef>> got = ParseDocuments(row.text);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), row.want.size());
  for (size_t i = 0; i < row.want.size(); ++i) {
    SCOPED_TRACE("reference " + std::to_string(i));
    const v1::DocumentRef& doc = (*got)[i];
    const Expected& want = row.want[i];
    EXPECT_EQ(doc.kind(), want.kind);
    EXPECT_EQ(doc.number(), want.number);
    EXPECT_EQ(IsoDate(doc.date()), want.date);
    EXPECT_EQ(doc.issuer(), want.issuer);
    if (!want.text.empty()) {
      EXPECT_EQ(doc.text(), want.text);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, ParseDocumentsTest, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& param_info) {
                           return param_info.param.name;
                         });

TEST(ParseDocumentsErrorTest, ImpossibleDateIsInvalidArgumentNamingIt) {
  absl::StatusOr<std::vector<v1::DocumentRef>> got =
      ParseDocuments("Quyết định số 01/QĐ-UBND ngày 31/02/2026 của UBND xã");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(got.status().message().find("31/02/2026"), absl::string_view::npos);
}

std::string ReadExample(absl::string_view name) {
  std::ifstream file(std::string(TIENDO_SOURCE_DIR) + "/examples/plans/" +
                     std::string(name));
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

std::vector<std::string> Summaries(
    const std::vector<v1::DocumentRef>& documents) {
  std::vector<std::string> out;
  for (const v1::DocumentRef& doc : documents) {
    out.push_back(absl::StrCat(doc.kind(), " ", doc.number(), " ",
                               IsoDate(doc.date()), " ", doc.issuer()));
  }
  return out;
}

TEST(ParseDocumentsSeedTest, WholeDongThapPlanInOrder) {
  const std::string plan = ReadExample("dong-thap-2026.txt");
  ASSERT_FALSE(plan.empty());
  absl::StatusOr<std::vector<v1::DocumentRef>> got = ParseDocuments(plan);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(Summaries(*got),
            (std::vector<std::string>{
                "Quyết định 06/QĐ-TTg 2022-01-06 Thủ tướng Chính phủ",
                "Thông báo 712/TB-VPCP 2025-12-21 Văn phòng Chính phủ",
                "Nghị quyết 57-NQ/TW  ",
                "Quyết định 06/QĐ-TTg 2022-01-06 Thủ tướng Chính phủ",
                "Quyết định 2439/QĐ-TTg 2025-11-04 Thủ tướng Chính phủ",
                "Chỉ thị 21/CT-TTg 2022-11-25 Thủ tướng Chính phủ",
                "Công văn 912/UBND-KSTT 2025-09-04 UBND tỉnh",
            }));
}

TEST(ParseDocumentsSeedTest, WholeVinhThuyPlanHasEveryDistinctReference) {
  const std::string plan = ReadExample("vinh-thuy-1199.txt");
  ASSERT_FALSE(plan.empty());
  absl::StatusOr<std::vector<v1::DocumentRef>> got = ParseDocuments(plan);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> distinct;
  for (const std::string& summary : Summaries(*got)) {
    if (std::find(distinct.begin(), distinct.end(), summary) ==
        distinct.end()) {
      distinct.push_back(summary);
    }
  }
  // In the raw table a reference cut at a page break ends at the cell's tab
  // ("Công văn số 1698/BNV-", "Quyết định số 06/QĐ-TTg ngày"); the plan
  // reader joins such cells before asking, as the rows above show.
  EXPECT_EQ(distinct,
            (std::vector<std::string>{
                "Kế hoạch 1965/KH-UBND 2026-04-20 Ủy ban nhân dân tỉnh Quảng "
                "Trị",
                "Kế hoạch /KH-UBND  UBND xã Vĩnh Thụy",
                "Quyết định 06/QĐ-TTg 2022-01-06 Thủ tướng Chính phủ",
                "Chỉ thị 07/CT-TTg 2025-03-14 Thủ tướng Chính phủ",
                "Quyết định 422/QĐ-TTg 2022-04-04 Thủ tướng Chính phủ",
                "Quyết định 206/QĐ-TTg 2024-02-28 Thủ tướng Chính phủ",
                "Chỉ thị 24/CT-TTg 2025-09-13 Thủ tướng Chính phủ",
                "Công văn 693-CV/VPTW 2026-03-02 Văn phòng Ban Chấp hành "
                "Trung ương",
                "Công văn 1692/UBND-HCC 2026-03-31 UBND tỉnh",
                "Công văn 1040/TCT 2026-02-07 Tổ Công tác Đề án 06 tỉnh",
                "Thông tư 08/2024/TT-BXD 2024-08-30 Bộ Xây dựng",
                "Thông tư 09/2025/TT-BXD 2025-06-13 Bộ Xây dựng",
                "Công văn 225/CAT-PC06  ",
                "Chỉ thị 07/CT-TTg 2025-03-14 Thủ",
                "Chỉ thị 05/CT-TTg 2026-02-13 Thủ tướng Chính phủ",
                "Công văn 1698/BNV-  ",
                "Quyết định 06/QĐ-TTg  ",
            }));
}

// Adversarial shapes a fuzzer finds. Each must finish fast (linear work).
TEST(ParseDocumentsRobustnessTest, PathologicalInputsFinishQuickly) {
  auto repeat = [](absl::string_view unit, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i) out.append(unit.data(), unit.size());
    return out;
  };
  const std::vector<std::string> inputs = {
      repeat("Quyết định số ", 20000),
      repeat("Công văn số 1/A- ", 20000),
      "Quyết định số 06/QĐ-TTg của " + repeat("Thủ ", 50000),
      "Công văn số 1/A-" + repeat(" B-", 50000),
      repeat("Quyết định số 1/A ngày ", 20000),
      repeat("Kế hoạch 1/A, ", 20000) + "của UBND",
      repeat("<p", 50000),
      repeat("\xff\xfe số /", 30000),
      "Luật " + repeat("a ", 50000) + "số 1/A",
  };
  for (const std::string& input : inputs) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<v1::DocumentRef>> got = ParseDocuments(input);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(5)) << input.substr(0, 40);
  }
}

}  // namespace
}  // namespace tiendo::plantext
