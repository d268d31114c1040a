#include "services/plan/text/targets.h"

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

constexpr v1::TargetDirection kAtLeast = v1::TARGET_DIRECTION_AT_LEAST;
constexpr v1::TargetDirection kReach = v1::TARGET_DIRECTION_REACH;
constexpr v1::TargetDirection kStrive = v1::TARGET_DIRECTION_STRIVE;
constexpr v1::TargetDirection kMaintain = v1::TARGET_DIRECTION_MAINTAIN;

struct Expected {
  std::string indicator = "";
  double percent = 0;
  v1::TargetDirection direction = v1::TARGET_DIRECTION_UNSPECIFIED;
  // ISO date.
  std::string due = "";
  bool inferred = false;
  // The clause; not checked when empty.
  std::string text = "";
};

// Rows are written out one by one: neighbouring rows repeat a sentence on
// purpose, changing only the word the case is about.
struct Row {
  std::string name = "";
  std::string text = "";
  std::vector<Expected> want = {};
  int plan_year = 2026;
  // ISO date or empty for an unset fallback.
  std::string fallback = "2026-12-31";
};

v1::LocalDate Date(absl::string_view iso) {
  v1::LocalDate date;
  if (iso.size() != 10) return date;
  date.set_year(std::stoi(std::string(iso.substr(0, 4))));
  date.set_month(std::stoi(std::string(iso.substr(5, 2))));
  date.set_day(std::stoi(std::string(iso.substr(8, 2))));
  return date;
}

TargetContext Context(const Row& row) {
  TargetContext context;
  context.plan_year = row.plan_year;
  context.fallback_due = Date(row.fallback);
  return context;
}

void ExpectTargets(const std::vector<v1::Target>& got,
                   const std::vector<Expected>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("target " + std::to_string(i));
    EXPECT_EQ(got[i].indicator(), want[i].indicator);
    EXPECT_DOUBLE_EQ(got[i].percent(), want[i].percent);
    EXPECT_EQ(v1::TargetDirection_Name(got[i].direction()),
              v1::TargetDirection_Name(want[i].direction));
    EXPECT_EQ(IsoDate(got[i].due()), want[i].due);
    EXPECT_EQ(got[i].due_inferred(), want[i].inferred);
    if (!want[i].text.empty()) {
      EXPECT_EQ(got[i].text(), want[i].text);
    }
  }
}

// ---------------------------------------------------------------------------
// Seed texts.

// Vĩnh Thủy III.1, "Kết quả/sản phẩm" cell as it stands in the table.
constexpr char kVinhThuyIdentityCellHtml[] =
    "<ul style=\"list-style-type: none\"> <li>- <b>100%</b> công dân từ đủ "
    "14 tuổi đủ điều kiện, được cấp thẻ căn cước.</li> <li>- Tối thiểu "
    "<b>81%</b> công dân từ đủ 14 tuổi có tài khoản định danh điện tử.</li> "
    "<li>- Tối thiểu <b>80%</b> cơ quan, tổ chức, doanh nghiệp, hợp tác xã "
    "trên địa bàn được cấp tài khoản định danh điện tử.</li> </ul>";

// Đồng Tháp c) "Phục vụ phát triển kinh tế, xã hội" (1), lines as extracted
// from the PDF: wrapped mid-sentence, a blank line inside the sentence.
constexpr char kDongThapSocialProtection[] =
    "(1) Đẩy mạnh chi trả an sinh xã hội cho các đối tượng được hưởng chính \n"
    "\n"
    "sách bằng hình thức không dùng tiền mặt theo Chỉ thị số 21/CT-TTg ngày \n"
    "25/11/2022 của Thủ tướng Chính phủ (đối tượng Bảo trợ xã hội phấn đấu "
    "đạt tỷ \n"
    "lệ 90% trong Quý I năm 2026, 100% trong Quý II năm 2026; đối tượng "
    "Người \n"
    "có công và thân nhân người có công phấn đấu đạt tỷ lệ 100% đến hết Quý "
    "II \n"
    "năm 2026). \n"
    " + Đơn vị chủ trì: Sở Y tế (đối tượng Bảo trợ xã hội), Sở Nội vụ (đối "
    "tượng \n"
    "Người có công và thân nhân người có công);\n"
    "+ Thời gian thực hiện: Quí I/2026 và duy trì thường xuyên.";

constexpr char kSocialProtectionClause1[] =
    "đối tượng Bảo trợ xã hội phấn đấu đạt tỷ lệ 90% trong Quý I năm 2026, "
    "100% trong Quý II năm 2026";
constexpr char kSocialProtectionClause2[] =
    "đối tượng Người có công và thân nhân người có công phấn đấu đạt tỷ lệ "
    "100% đến hết Quý II năm 2026";

constexpr char kDongThapHealthBook[] =
    "- Nâng cao tỷ lệ người dân sử dụng Sổ sức khỏe điện tử trên VNeID khi \n"
    "\n"
    "khám chữa bệnh, đạt tối thiểu 80% tổng số người dân đến khám chữa bệnh; "
    "tỷ lệ \n"
    "người dân tích hợp Bảo hiểm y tế, sổ sức khỏe điện tử, giấy chuyển "
    "tuyến, hẹn \n"
    "khám lại trên VNeID đạt tối thiểu 80% tổng số công dân thường trú.\n"
    "\n"
    "+ Đơn vị chủ trì: Sở Y tế, UBND cấp xã;";

const Expected kIdCard{
    "công dân từ đủ 14 tuổi đủ điều kiện, được cấp thẻ căn "
    "cước",
    100,
    kReach,
    "2026-12-31",
    true,
    "100% công dân từ đủ 14 tuổi đủ điều kiện, được cấp "
    "thẻ căn cước"};
const Expected kEidAccounts{
    "công dân từ đủ 14 tuổi có tài khoản định danh điện tử",
    81,
    kAtLeast,
    "2026-12-31",
    true,
    "Tối thiểu 81% công dân từ đủ 14 tuổi có tài khoản định danh điện tử"};
const Expected kOrganisations{
    "cơ quan, tổ chức, doanh nghiệp, hợp tác xã trên địa bàn được cấp tài "
    "khoản định danh điện tử",
    80, kAtLeast, "2026-12-31", true};
const Expected kPaymentRate{
    "tỷ lệ chi trả qua tài khoản",
    100,
    kStrive,
    "2026-12-31",
    false,
    "Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100%"};

std::vector<Row> RowsPart1() {
  return {
      // ----- Vĩnh Thủy, every target of the appendix.
      {"VinhThuyIdCardBarePercentIsReach",
       "- 100% công dân từ đủ 14 tuổi đủ điều kiện, được cấp thẻ căn cước.",
       {kIdCard}},
      {"VinhThuyEidAccountsToiThieuIsAtLeast",
       "- Tối thiểu 81% công dân từ đủ 14 tuổi có tài khoản định danh điện "
       "tử.",
       {kEidAccounts}},
      {"VinhThuyOrganisationsToiThieuIsAtLeast",
       "- Tối thiểu 80% cơ quan, tổ chức, doanh nghiệp, hợp tác xã trên địa "
       "bàn được cấp tài khoản định danh điện tử.",
       {kOrganisations}},
      {"VinhThuyIdentityCellThreeBulletsThreeTargets",
       "- 100% công dân từ đủ 14 tuổi đủ điều kiện, được cấp thẻ căn cước.\n"
       "- Tối thiểu 81% công dân từ đủ 14 tuổi có tài khoản định danh điện "
       "tử.\n"
       "- Tối thiểu 80% cơ quan, tổ chức, doanh nghiệp, hợp tác xã trên địa "
       "bàn được cấp tài khoản định danh điện tử.",
       {kIdCard, kEidAccounts, kOrganisations}},
      {"VinhThuyIdentityCellWithStrayHtmlTags",
       kVinhThuyIdentityCellHtml,
       {kIdCard, kEidAccounts, kOrganisations}},
      {"VinhThuyMeritPaymentOcrPhanDauIsStriveDueFromYearBeforePercent",
       "- Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100%",
       {kPaymentRate}},
      {"VinhThuyMeritCellTwoBulletsSecondIsReach",
       "- Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100%\n"
       "- 100% công dân có tài khoản định danh điện tử mức 2 thực hiện tích "
       "hợp số tài khoản ngân hàng vào chức năng “Tài khoản hưởng an sinh xã "
       "hội trên VNeID”",
       {kPaymentRate,
        {"công dân có tài khoản định danh điện tử mức 2 thực hiện tích hợp số "
         "tài khoản ngân hàng vào chức năng “Tài khoản hưởng an sinh xã hội "
         "trên VNeID”",
         100, kReach, "2026-12-31", true}}},
      {"VinhThuyMeritCellBulletsOnOneLineSplitAtWideDash",
       "- Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt 100%  - "
       "<b>100%</b> công dân có tài khoản định danh điện tử mức 2 thực hiện "
       "tích hợp số tài khoản ngân hàng",
       {kPaymentRate,
        {"công dân có tài khoản định danh điện tử mức 2 thực hiện tích hợp số "
         "tài khoản ngân hàng",
         100, kReach, "2026-12-31", true}}},
      {"VinhThuySocialProtectionCellInParagraphTags",
       "<p>- Phần đầu tỷ lệ chi trả qua tài khoản trong năm 2026 đạt "
       "100%.</p> <p>- <b>100%</b> công dân có tài khoản điện tử mức 2 thực "
       "hiện tích hợp số tài khoản ngân hàng vào chức năng “Tài khoản hưởng "
       "an sinh xã hội trên VNeID”</p>",
       {kPaymentRate,
        {"công dân có tài khoản điện tử mức 2 thực hiện tích hợp số tài khoản "
         "ngân hàng vào chức năng “Tài khoản hưởng an sinh xã hội trên VNeID”",
         100, kReach, "2026-12-31", true}}},
      {"VinhThuyPensionsPhanDauDatIsStriveRateBeforeLa",
       "- Phần đầu đạt tỷ lệ chi trả qua tài khoản trong năm 2026 là 91%.\n"
       "- 100% công dân có tài khoản hưởng lương hưu, trợ cấp và tài khoản "
       "định danh điện tử mức 2 thực hiện tích hợp số tài khoản ngân hàng vào "
       "chức năng “Tài khoản hưởng an sinh xã hội trên VNeID”",
       {{"tỷ lệ chi trả qua tài khoản", 91, kStrive, "2026-12-31", false,
         "Phần đầu đạt tỷ lệ chi trả qua tài khoản trong năm 2026 là 91%"},
        {"công dân có tài khoản hưởng lương hưu, trợ cấp và tài khoản định "
         "danh điện tử mức 2 thực hiện tích hợp số tài khoản ngân hàng vào "
         "chức năng “Tài khoản hưởng an sinh xã hội trên VNeID”",
         100, kReach, "2026-12-31", true}}},
  };
}

std::vector<Row> RowsPart2() {
  return {
      {"VinhThuyHealthBookRateBeforeDenominatorAfter",
       "- Phân đầu tỷ lệ người dân tích hợp Sổ sức khỏe điện tử trên VNeID "
       "đạt 80% trên tổng số công dân đủ điều kiện (tham gia bảo hiểm y tế, "
       "có tài khoản định danh điện tử mức 2) thường trú tại địa phương.\n"
       "- Đảm bảo 100% cơ sở khám chữa bệnh bảo hiểm y tế liên thông dữ liệu "
       "lên Cổng giám định bảo hiểm y tế; các cơ sở khám chữa bệnh bảo hiểm y "
       "tế ký số, liên thông, cập nhật dữ liệu khám chữa bệnh.",
       {{"tỷ lệ người dân tích hợp Sổ sức khỏe điện tử trên VNeID", 80, kStrive,
         "2026-12-31", true,
         "Phân đầu tỷ lệ người dân tích hợp Sổ sức khỏe điện tử trên VNeID "
         "đạt 80% trên tổng số công dân đủ điều kiện (tham gia bảo hiểm y tế, "
         "có tài khoản định danh điện tử mức 2) thường trú tại địa phương"},
        {"cơ sở khám chữa bệnh bảo hiểm y tế liên thông dữ liệu lên Cổng giám "
         "định bảo hiểm y tế",
         100, kReach, "2026-12-31", true,
         "Đảm bảo 100% cơ sở khám chữa bệnh bảo hiểm y tế liên thông dữ liệu "
         "lên Cổng giám định bảo hiểm y tế"}}},
      {"VinhThuyRaiseRateWithoutPercentHasNoTarget",
       "Nâng cao tỷ lệ tích hợp tài khoản ngân hàng của công dân vào chức "
       "năng “tài khoản hưởng an sinh xã hội” trên tài khoản định danh điện "
       "tử mức 2.",
       {}},
      {"VinhThuyPlanCellWithoutPercentHasNoTarget",
       "- Ban hành kế hoạch cụ thể, xác định “rõ người, rõ việc, rõ thời "
       "gian, rõ kết quả, rõ trách nhiệm”.\n- Đối với những nhiệm vụ chưa "
       "hiệu quả từ năm 2025, cần giao chỉ tiêu, thời hạn cụ thể.",
       {}},

      // ----- Đồng Tháp, every target of the prose plan.
      {"DongThapGuideCitizensBarePercentAfterSemicolonWrappedLine",
       "(2) Phát huy vai trò của Tổ công nghệ số cộng đồng tại các xã, "
       "phường; \nhướng dẫn 100% người dân, doanh nghiệp nộp hồ sơ qua các "
       "Cổng dịch vụ công \ntrực tuyến khi thực hiện thủ tục hành chính.\n"
       "+ Đơn vị chủ trì: Sở Khoa học và Công nghệ, UBND cấp xã;",
       {{"người dân, doanh nghiệp nộp hồ sơ qua các Cổng dịch vụ công trực "
         "tuyến khi thực hiện thủ tục hành chính",
         100, kReach, "2026-12-31", true,
         "hướng dẫn 100% người dân, doanh nghiệp nộp hồ sơ qua các Cổng dịch "
         "vụ công trực tuyến khi thực hiện thủ tục hành chính"}}},
      {"DongThapSocialProtectionStagesAndSubjectBeforeDirection",
       kDongThapSocialProtection,
       {{"đối tượng Bảo trợ xã hội", 90, kStrive, "2026-03-31", false,
         kSocialProtectionClause1},
        {"đối tượng Bảo trợ xã hội", 100, kStrive, "2026-06-30", false,
         kSocialProtectionClause1},
        {"đối tượng Người có công và thân nhân người có công", 100, kStrive,
         "2026-06-30", false, kSocialProtectionClause2}}},
      {"DongThapSocialProtectionAsOneParagraph",
       std::string("Đẩy mạnh chi trả an sinh xã hội theo Chỉ thị số "
                   "21/CT-TTg ngày 25/11/2022 của Thủ tướng Chính phủ (") +
           kSocialProtectionClause1 + "; " + kSocialProtectionClause2 + ").",
       {{"đối tượng Bảo trợ xã hội", 90, kStrive, "2026-03-31", false},
        {"đối tượng Bảo trợ xã hội", 100, kStrive, "2026-06-30", false},
        {"đối tượng Người có công và thân nhân người có công", 100, kStrive,
         "2026-06-30", false}}},
      {"DongThapTuitionPhanDauVaDuyTriIsStrive",
       "(5) Phấn đấu và duy trì 100% phụ huynh, học sinh tại các trường thực "
       "hiện \n\nthanh toán học phí không dùng tiền mặt bằng hình thức chuyển "
       "khoản.\n+ Đơn vị chủ trì: Sở Giáo dục và Đào tạo;",
       {{"phụ huynh, học sinh tại các trường thực hiện thanh toán học phí "
         "không dùng tiền mặt bằng hình thức chuyển khoản",
         100, kStrive, "2026-12-31", true,
         "Phấn đấu và duy trì 100% phụ huynh, học sinh tại các trường thực "
         "hiện thanh toán học phí không dùng tiền mặt bằng hình thức chuyển "
         "khoản"}}},
  };
}

std::vector<Row> RowsPart3() {
  return {
      {"DongThapDigitalSignatureInParenthesesIsStrive",
       " (2) Phát triển chữ ký số cá nhân (phấn đấu 50% người dân có tài "
       "khoản \nđịnh danh điện tử mức độ 2 có chữ ký số).",
       {{"người dân có tài khoản định danh điện tử mức độ 2 có chữ ký số", 50,
         kStrive, "2026-12-31", true,
         "phấn đấu 50% người dân có tài khoản định danh điện tử mức độ 2 có "
         "chữ ký số"}}},
      {"DongThapHealthBookTwoClausesAtLeastWithDenominators",
       kDongThapHealthBook,
       {{"tỷ lệ người dân sử dụng Sổ sức khỏe điện tử trên VNeID khi khám "
         "chữa bệnh",
         80, kAtLeast, "2026-12-31", true},
        {"tỷ lệ người dân tích hợp Bảo hiểm y tế, sổ sức khỏe điện tử, giấy "
         "chuyển tuyến, hẹn khám lại trên VNeID",
         80, kAtLeast, "2026-12-31", true,
         "tỷ lệ người dân tích hợp Bảo hiểm y tế, sổ sức khỏe điện tử, giấy "
         "chuyển tuyến, hẹn khám lại trên VNeID đạt tối thiểu 80% tổng số "
         "công dân thường trú"}}},

      // ----- Direction words.
      {"PhanDauDatToiThieuIsStrive",
       "Phấn đấu đạt tối thiểu 85% người dân sử dụng VNeID",
       {{"người dân sử dụng VNeID", 85, kStrive, "2026-12-31", true}}},
      {"DatToiThieuIsAtLeast",
       "Đạt tối thiểu 60% hồ sơ được tiếp nhận trực tuyến",
       {{"hồ sơ được tiếp nhận trực tuyến", 60, kAtLeast, "2026-12-31", true}}},
      {"DenominatorAfterPercentYieldsToSubject",
       "Số hồ sơ trực tuyến đạt tối thiểu 60% tổng số hồ sơ",
       {{"Số hồ sơ trực tuyến", 60, kAtLeast, "2026-12-31", true}}},
      {"DuyTriAloneIsMaintain",
       "Duy trì 100% trường học thu học phí không dùng tiền mặt",
       {{"trường học thu học phí không dùng tiền mặt", 100, kMaintain,
         "2026-12-31", true}}},
      {"ItNhatIsAtLeast",
       "Ít nhất 70% cán bộ được tập huấn",
       {{"cán bộ được tập huấn", 70, kAtLeast, "2026-12-31", true}}},
      {"DirectionEndsWithItsClauseAtSemicolon",
       "Tối thiểu 81% công dân có tài khoản; 100% công dân được cấp thẻ",
       {{"công dân có tài khoản", 81, kAtLeast, "2026-12-31", true},
        {"công dân được cấp thẻ", 100, kReach, "2026-12-31", true}}},
      {"DirectionEndsAtHardLineBreak",
       "Phấn đấu 90% hộ dân có điện\n100% công dân có tài khoản",
       {{"hộ dân có điện", 90, kStrive, "2026-12-31", true},
        {"công dân có tài khoản", 100, kReach, "2026-12-31", true}}},
      {"DirectionEndsAtBulletAfterSentence",
       "Phấn đấu 90% hồ sơ được số hóa. - 100% công dân được hướng dẫn",
       {{"hồ sơ được số hóa", 90, kStrive, "2026-12-31", true},
        {"công dân được hướng dẫn", 100, kReach, "2026-12-31", true}}},
      {"LandDatIsNotReachWordSubjectKeepsIt",
       "Cơ sở dữ liệu đất đai đạt 100% trong năm 2026",
       {{"Cơ sở dữ liệu đất đai", 100, kReach, "2026-12-31", false}}},

      {"TrenBeforePercentIsAtLeast",
       "Trên 80% người dân có tài khoản định danh điện tử",
       {{"người dân có tài khoản định danh điện tử", 80, kAtLeast, "2026-12-31",
         true}}},
      {"KhongDuoiIsAtLeast",
       "Không dưới 80% hồ sơ được số hóa",
       {{"hồ sơ được số hóa", 80, kAtLeast, "2026-12-31", true}}},
      {"KhongThapHonIsAtLeast",
       "Không thấp hơn 80% hồ sơ được số hóa",
       {{"hồ sơ được số hóa", 80, kAtLeast, "2026-12-31", true}}},
      {"DatTuTroLenIsAtLeastIndicatorAfterTroLen",
       "Đạt từ 80% trở lên số hộ gia đình có tài khoản ngân hàng",
       {{"số hộ gia đình có tài khoản ngân hàng", 80, kAtLeast, "2026-12-31",
         true}}},
      {"TroLenAfterPercentIsAtLeastSubjectBefore",
       "Số hộ gia đình có tài khoản đạt 80% trở lên",
       {{"Số hộ gia đình có tài khoản", 80, kAtLeast, "2026-12-31", true}}},
  };
}

std::vector<Row> RowsPart4() {
  return {
      {"RateBeforeTrenPercentIsAtLeast",
       "Tỷ lệ hồ sơ trực tuyến trên 80% trong năm 2026",
       {{"Tỷ lệ hồ sơ trực tuyến", 80, kAtLeast, "2026-12-31", false}}},
      {"PhanDauTuTroLenIsStrive",
       "Phấn đấu từ 90% trở lên người dân sử dụng VNeID",
       {{"người dân sử dụng VNeID", 90, kStrive, "2026-12-31", true}}},
      {"TroLenInsideIndicatorIsKept",
       "100% công dân từ 14 tuổi trở lên có tài khoản định danh điện tử",
       {{"công dân từ 14 tuổi trở lên có tài khoản định danh điện tử", 100,
         kReach, "2026-12-31", true}}},
      {"ChangeRateWithTrenIsNotATarget", "Tăng trên 20% số hồ sơ", {}},

      // ----- Stages: every percentage with its own deadline.
      {"StageAfterIndicatorSharesItAndDirection",
       "Tối thiểu 60% hộ gia đình sử dụng dịch vụ công trực tuyến trước ngày "
       "30/9/2026 và 80% trước ngày 31/12/2026",
       {{"hộ gia đình sử dụng dịch vụ công trực tuyến", 60, kAtLeast,
         "2026-09-30", false},
        {"hộ gia đình sử dụng dịch vụ công trực tuyến", 80, kAtLeast,
         "2026-12-31", false}}},
      {"StageBeforeIndicatorTakesTheNextOne",
       "60% trước 30/9/2026, 80% trước 31/12/2026 hộ gia đình có tài khoản "
       "định danh điện tử",
       {{"hộ gia đình có tài khoản định danh điện tử", 60, kReach, "2026-09-30",
         false},
        {"hộ gia đình có tài khoản định danh điện tử", 80, kReach, "2026-12-31",
         false}}},
      {"ThreeStagesOfAStriveTarget",
       "Phấn đấu đạt 50% hồ sơ được số hóa trong Quý I, 70% trong Quý II và "
       "100% trong Quý IV",
       {{"hồ sơ được số hóa", 50, kStrive, "2026-03-31", false},
        {"hồ sơ được số hóa", 70, kStrive, "2026-06-30", false},
        {"hồ sơ được số hóa", 100, kStrive, "2026-12-31", false}}},
      {"StageOfAnIndicatorAfterASubject",
       "Xã phấn đấu 90% hộ dân có tài khoản trong Quý I, 100% trong Quý II",
       {{"hộ dân có tài khoản", 90, kStrive, "2026-03-31", false},
        {"hộ dân có tài khoản", 100, kStrive, "2026-06-30", false}}},
      {"StagesOfARateFromTuTroLen",
       "Đạt tỷ lệ hồ sơ trực tuyến từ 60% trở lên trong Quý II, từ 80% trở "
       "lên trong Quý IV",
       {{"tỷ lệ hồ sơ trực tuyến", 60, kAtLeast, "2026-06-30", false},
        {"tỷ lệ hồ sơ trực tuyến", 80, kAtLeast, "2026-12-31", false}}},
      {"PercentWithoutIndicatorBesideTargetsKeepsBareRate",
       "- 100% công dân được cấp thẻ căn cước.\n- Tỷ lệ 90% trong năm 2026.",
       {{"công dân được cấp thẻ căn cước", 100, kReach, "2026-12-31", true},
        {"Tỷ lệ", 90, kReach, "2026-12-31", false}}},
      {"PercentWithoutSubjectBesideTargetsKeepsItsClause",
       "- 100% công dân được cấp thẻ căn cước.\n- Đạt 100%.",
       {{"công dân được cấp thẻ căn cước", 100, kReach, "2026-12-31", true},
        {"Đạt 100%", 100, kReach, "2026-12-31", true, "Đạt 100%"}}},
      {"StagesWithoutAnyIndicatorAreNotTargets",
       "Đạt 60% trước 30/9/2026, 80% trước 31/12/2026",
       {}},

      // ----- Due dates.
      {"DueQuarterSlashForm",
       "Phấn đấu 100% hồ sơ được số hóa trong Quý III/2026",
       {{"hồ sơ được số hóa", 100, kStrive, "2026-09-30", false}}},
      {"DueQuiSpellingWithArabicQuarter",
       "Đạt 95% hộ gia đình có tài khoản trong quí 2 năm 2027",
       {{"hộ gia đình có tài khoản", 95, kReach, "2027-06-30", false}}},
      {"DueUntilEndOfDay",
       "Duy trì 100% hệ thống vận hành thông suốt đến hết ngày 30/6/2026",
       {{"hệ thống vận hành thông suốt", 100, kMaintain, "2026-06-30", false}}},
      {"DueBeforeDate",
       "Phấn đấu 100% hộ gia đình được gắn biển số nhà trước ngày 31/12/2026",
       {{"hộ gia đình được gắn biển số nhà", 100, kStrive, "2026-12-31",
         false}}},
  };
}

std::vector<Row> RowsPart5() {
  return {
      {"DueMonth",
       "Tối thiểu 70% hồ sơ được tiếp nhận trực tuyến trong tháng 9/2026",
       {{"hồ sơ được tiếp nhận trực tuyến", 70, kAtLeast, "2026-09-30",
         false}}},
      {"DueBareYear",
       "100% xã có điểm phục vụ dịch vụ công năm 2027",
       {{"xã có điểm phục vụ dịch vụ công", 100, kReach, "2027-12-31", false}}},
      {"DueHalfYear",
       "Đạt 60% người dân dùng sổ sức khỏe điện tử trong 6 tháng đầu năm "
       "2026",
       {{"người dân dùng sổ sức khỏe điện tử", 60, kReach, "2026-06-30",
         false}}},
      {"DueYearlessDateTakesPlanYear",
       "100% cán bộ được tập huấn trước ngày 15/8",
       {{"cán bộ được tập huấn", 100, kReach, "2027-08-15", false}},
       2027,
       "2027-12-31"},
      {"DueYearlessQuarterTakesPlanYear",
       "Đạt 60% hộ dân có tài khoản trong Quý II",
       {{"hộ dân có tài khoản", 60, kReach, "2026-06-30", false}}},
      {"DueTimePhraseBeforePercentInRatePhrase",
       "Tỷ lệ hồ sơ trực tuyến trong Quý IV năm 2026 đạt 70%",
       {{"Tỷ lệ hồ sơ trực tuyến", 70, kReach, "2026-12-31", false}}},
      {"NoTimePhraseTakesFallbackAndIsInferred",
       "Tối thiểu 81% công dân có tài khoản định danh điện tử",
       {{"công dân có tài khoản định danh điện tử", 81, kAtLeast, "2026-05-10",
         true}},
       2026,
       "2026-05-10"},
      {"UnsetFallbackStillMarksInferred",
       "100% công dân được cấp thẻ căn cước",
       {{"công dân được cấp thẻ căn cước", 100, kReach, "", true}},
       2026,
       ""},
      {"StartTimeIsNotADeadline",
       "Từ Quý I năm 2026 duy trì 100% hồ sơ được số hóa",
       {{"hồ sơ được số hóa", 100, kMaintain, "2026-12-31", true}}},
      {"DocumentDateIsNotADeadline",
       "Theo Quyết định số 06/QĐ-TTg ngày 06/01/2022, phấn đấu 100% công dân "
       "được hướng dẫn",
       {{"công dân được hướng dẫn", 100, kStrive, "2026-12-31", true}}},

      // ----- Number forms.
      {"PercentWithSpaceBeforeSign",
       "Tối thiểu 81 % công dân có tài khoản",
       {{"công dân có tài khoản", 81, kAtLeast, "2026-12-31", true}}},
      {"DecimalComma",
       "Đạt 81,5% hộ gia đình có tài khoản",
       {{"hộ gia đình có tài khoản", 81.5, kReach, "2026-12-31", true}}},
      {"DecimalDot",
       "Đạt 81.5% hộ gia đình có tài khoản",
       {{"hộ gia đình có tài khoản", 81.5, kReach, "2026-12-31", true}}},
      {"ZeroPercentIsATarget",
       "Đảm bảo 0% hồ sơ quá hạn",
       {{"hồ sơ quá hạn", 0, kReach, "2026-12-31", true}}},

      // ----- Not targets.
      {"OverHundredPercentIsNotATarget", "Đạt 120% kế hoạch năm", {}},
      {"ThousandsSeparatorIsNotAPercentage", "Đạt 1.000% kế hoạch", {}},
      {"ChangeRateIsNotATarget",
       "Giảm 30% thời gian giải quyết thủ tục hành chính",
       {}},
      {"PercentInsideQuotedTitleIsNotATarget",
       "Triển khai chiến dịch “100% hồ sơ trực tuyến” trên địa bàn",
       {}},
      {"PercentWithoutIndicatorIsNotATarget", "Đạt 100%.", {}},
      {"BareRateWordIsNoIndicator", "Tỷ lệ 90% trong năm 2026", {}},
      {"NoPercentNoTarget", "Hoàn thành trước ngày 31/12/2026", {}},
      {"EmptyText", "", {}},
      {"LoneSignsAndDigits", "% %% 5 % ,% .%", {}},
  };
}

std::vector<Row> RowsPart6() {
  return {
      {"TooManyPercentagesInOneClauseIsATableNotTargets",
       "Tỷ lệ: 1% xã A, 2% xã B, 3% xã C, 4% xã D, 5% xã E, 6% xã F, 7% xã "
       "G, 8% xã H, 9% xã I, 10% xã K, 11% xã L, 12% xã M, 13% xã N, 14% xã "
       "O, 15% xã P, 16% xã Q, 17% xã R",
       {}},
  };
}

std::vector<Row> Rows() {
  return ::tiendo::testing::JoinParts<Row>(
      {&RowsPart1, &RowsPart2, &RowsPart3, &RowsPart4, &RowsPart5, &RowsPart6});
}

class ExtractTargetsTest : public ::testing::TestWithParam<Row> {};

TEST_P(ExtractTargetsTest, FindsExpectedTargets) {
  const Row& row = GetParam();
  absl::StatusOr<std::vector<v1::Target>> got =
      ExtractTargets(row.text, Context(row));
  ASSERT_TRUE(got.ok()) << got.status();
  ExpectTargets(*got, row.want);
}

INSTANTIATE_TEST_SUITE_P(Rows, ExtractTargetsTest, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& param_info) {
                           return param_info.param.name;
                         });

TEST(ExtractTargetsErrorTest, ImpossibleDueDateIsInvalidArgumentNamingIt) {
  TargetContext context;
  context.plan_year = 2026;
  absl::StatusOr<std::vector<v1::Target>> got = ExtractTargets(
      "Phấn đấu 100% hộ gia đình có biển số trước ngày 31/2/2026", context);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(got.status().message().find("31/2/2026"), absl::string_view::npos);
}

TEST(ExtractTargetsErrorTest, ImpossibleMonthInDueIsInvalidArgument) {
  TargetContext context;
  context.plan_year = 2026;
  EXPECT_FALSE(
      ExtractTargets("Đạt 90% hộ dân có điện trong tháng 13/2026", context)
          .ok());
}

std::string ReadExample(absl::string_view name) {
  std::ifstream file(std::string(TIENDO_SOURCE_DIR) + "/examples/plans/" +
                     std::string(name));
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

TEST(ExtractTargetsSeedTest, WholeDongThapPlanGivesItsEightTargets) {
  const std::string plan = ReadExample("dong-thap-2026.txt");
  ASSERT_FALSE(plan.empty());
  TargetContext context;
  context.plan_year = 2026;
  context.fallback_due = YearEnd(2026);
  absl::StatusOr<std::vector<v1::Target>> got = ExtractTargets(plan, context);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> summary;
  for (const v1::Target& target : *got) {
    summary.push_back(absl::StrCat(target.percent(), " ", IsoDate(target.due()),
                                   " ", target.indicator()));
  }
  EXPECT_EQ(summary,
            (std::vector<std::string>{
                "100 2026-12-31 người dân, doanh nghiệp nộp hồ sơ qua các "
                "Cổng dịch vụ công trực tuyến khi thực hiện thủ tục hành "
                "chính",
                "90 2026-03-31 đối tượng Bảo trợ xã hội",
                "100 2026-06-30 đối tượng Bảo trợ xã hội",
                "100 2026-06-30 đối tượng Người có công và thân nhân người "
                "có công",
                "100 2026-12-31 phụ huynh, học sinh tại các trường thực hiện "
                "thanh toán học phí không dùng tiền mặt bằng hình thức "
                "chuyển khoản",
                "50 2026-12-31 người dân có tài khoản định danh điện tử mức "
                "độ 2 có chữ ký số",
                "80 2026-12-31 tỷ lệ người dân sử dụng Sổ sức khỏe điện tử "
                "trên VNeID khi khám chữa bệnh",
                "80 2026-12-31 tỷ lệ người dân tích hợp Bảo hiểm y tế, sổ "
                "sức khỏe điện tử, giấy chuyển tuyến, hẹn khám lại trên "
                "VNeID"}));
}

TEST(ExtractTargetsSeedTest, WholeVinhThuyPlanGivesItsElevenTargets) {
  const std::string plan = ReadExample("vinh-thuy-1199.txt");
  ASSERT_FALSE(plan.empty());
  TargetContext context;
  context.plan_year = 2026;
  context.fallback_due = YearEnd(2026);
  absl::StatusOr<std::vector<v1::Target>> got = ExtractTargets(plan, context);
  ASSERT_TRUE(got.ok()) << got.status();
  std::vector<std::string> summary;
  for (const v1::Target& target : *got) {
    summary.push_back(absl::StrCat(
        target.percent(), " ", v1::TargetDirection_Name(target.direction())));
  }
  EXPECT_EQ(summary, (std::vector<std::string>{
                         "100 TARGET_DIRECTION_REACH",
                         "81 TARGET_DIRECTION_AT_LEAST",
                         "80 TARGET_DIRECTION_AT_LEAST",
                         "100 TARGET_DIRECTION_STRIVE",
                         "100 TARGET_DIRECTION_REACH",
                         "100 TARGET_DIRECTION_STRIVE",
                         "100 TARGET_DIRECTION_REACH",
                         "91 TARGET_DIRECTION_STRIVE",
                         "100 TARGET_DIRECTION_REACH",
                         "80 TARGET_DIRECTION_STRIVE",
                         "100 TARGET_DIRECTION_REACH",
                     }));
}

// Adversarial shapes a fuzzer finds: long runs of the characters the
// patterns look for. Each must finish fast (linear work).
TEST(ExtractTargetsRobustnessTest, PathologicalInputsFinishQuickly) {
  std::vector<std::string> inputs;
  auto repeat = [](absl::string_view unit, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i) out.append(unit.data(), unit.size());
    return out;
  };
  inputs.push_back(repeat("1% ", 40000));
  inputs.push_back(repeat("(", 100000) + "50% dân" + repeat(")", 100000));
  inputs.push_back("50% " + repeat("năm 2026 ", 20000));
  inputs.push_back("phấn đấu " + repeat("tỷ lệ ", 30000) + "đạt 90%");
  inputs.push_back(repeat("\n", 100000) + "a 5% b" + repeat(" \n", 50000));
  inputs.push_back(repeat("<b", 50000) + "%");
  inputs.push_back(repeat("- ", 80000) + "10% x");
  inputs.push_back(repeat("\xff\xfe%", 30000));
  inputs.push_back("100% " + repeat("đạt ", 30000));
  TargetContext context;
  context.plan_year = 2026;
  for (const std::string& input : inputs) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<v1::Target>> got =
        ExtractTargets(input, context);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(5)) << input.substr(0, 40);
  }
}

}  // namespace
}  // namespace tiendo::plantext
