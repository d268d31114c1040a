#include "services/plan/text/agency_registry.h"

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_registry.h"

namespace tiendo::plantext {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::tiendo::testing::ShippedRegistry;

// The departments of Đồng Tháp in registry order: what "các sở, ban, ngành
// tỉnh" stands for.
const std::vector<std::string> kDongThapDepartments = {
    "dongthap.vpubnd",     "dongthap.sokhcn", "dongthap.sonoivu",
    "dongthap.sotaichinh", "dongthap.soyte",  "dongthap.sogddt"};

// Every office, centre and mass organisation of Vĩnh Thủy: what "Các phòng,
// ban, trung tâm, đoàn thể, đơn vị" stands for.
const std::vector<std::string> kVinhThuyOffices = {
    "vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.hcc", "vinhthuy.tramyte",
    "vinhthuy.mttq"};

std::vector<std::string> Concat(std::vector<std::vector<std::string>> parts) {
  std::vector<std::string> all;
  for (const auto& part : parts)
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

const AgencyRegistry& Default() { return ShippedRegistry(); }

TEST(AgencyRegistryTest, DefaultRegistryLoads) {
  absl::StatusOr<AgencyRegistry> registry =
      AgencyRegistry::FromJson(DefaultRegistryJson());
  ASSERT_TRUE(registry.ok()) << registry.status();
  std::vector<std::string> codes;
  for (const RegistryUnit* unit : registry->Units())
    codes.push_back(unit->code);
  EXPECT_THAT(codes, ElementsAre("vn", "quang-tri", "vinh-thuy", "dong-thap",
                                 "my-phong"));

  const RegistryUnit* vinh_thuy = registry->Unit("vinh-thuy");
  ASSERT_NE(vinh_thuy, nullptr);
  EXPECT_EQ(vinh_thuy->name, "Vĩnh Thủy");
  EXPECT_EQ(vinh_thuy->level, "commune");
  EXPECT_EQ(vinh_thuy->parent, "quang-tri");
  EXPECT_EQ(vinh_thuy->standing_agency, "vinhthuy.congan");
  EXPECT_EQ(registry->Unit("dong-thap")->standing_agency, "dongthap.congan");
  EXPECT_EQ(registry->Unit("quang-tri")->standing_agency, "quangtri.congan");
  EXPECT_EQ(registry->Unit("nowhere"), nullptr);

  const RegistryAgency* police = registry->Agency("vinhthuy.congan");
  ASSERT_NE(police, nullptr);
  EXPECT_EQ(police->name, "Công an xã");
  EXPECT_EQ(police->kind, "police");
  EXPECT_EQ(police->unit, "vinh-thuy");
}

TEST(AgencyRegistryTest, KeepsTheAgencyCodesOfTheVinhThuyExample) {
  std::ifstream file(std::string(TIENDO_SOURCE_DIR) +
                     "/examples/vinh-thuy-1199.plan.json");
  ASSERT_TRUE(file.good());
  std::stringstream text;
  text << file.rdbuf();
  const nlohmann::json plan = nlohmann::json::parse(text.str());
  ASSERT_EQ(plan.at("agencies").size(), 7u);
  for (const nlohmann::json& agency : plan.at("agencies")) {
    const std::string code = agency.at("code");
    const std::string name = agency.at("name");
    SCOPED_TRACE(code);
    const RegistryAgency* found = Default().Agency(code);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->unit, "vinh-thuy");
    const RegistryAgency* by_name = Default().FindAgency("vinh-thuy", name);
    ASSERT_NE(by_name, nullptr);
    EXPECT_EQ(by_name->code, code);
  }
  EXPECT_EQ(Default().Unit("vinh-thuy")->standing_agency,
            plan.at("standingAgency"));
}

struct SeedCase {
  const char* unit;
  const char* phrase;
  std::vector<std::string> codes;
};

// Every agency cell and line of both seeds, as written (rows broken across a
// page joined with a space), and agencies their bodies name.
TEST(AgencyRegistryTest, EveryAgencyNamedInTheSeedsResolves) {
  const std::vector<SeedCase> cases = {
      // 000: Vĩnh Thủy, columns "Cơ quan chủ trì" and "Cơ quan phối hợp".
      {"vinh-thuy", "Công an xã", {"vinhthuy.congan"}},
      {"vinh-thuy", "Phòng Kinh tế", {"vinhthuy.kinhte"}},
      {"vinh-thuy", "Phòng Văn hóa - Xã hội", {"vinhthuy.vhxh"}},
      {"vinh-thuy", "Phòng Văn hóa - Xã hội", {"vinhthuy.vhxh"}},
      {"vinh-thuy", "Trung tâm Phục vụ hành chính công xã", {"vinhthuy.hcc"}},
      {"vinh-thuy", "Các phòng, ban, ngành liên quan", kVinhThuyOffices},
      {"vinh-thuy", "Các phòng, ban, trung tâm, đoàn thể, đơn vị",
       kVinhThuyOffices},
      {"vinh-thuy", "Công an xã, các phòng, ban, trung tâm, đoàn thể, đơn vị",
       Concat({{"vinhthuy.congan"}, kVinhThuyOffices})},
      {"vinh-thuy",
       "Công an xã, Phòng Văn hóa - Xã hội xã",
       {"vinhthuy.congan", "vinhthuy.vhxh"}},
      {"vinh-thuy", "Các ban, ngành có liên quan", kVinhThuyOffices},
      {"vinh-thuy",
       "Công an xã, Tổ Công tác Đề án 06",
       {"vinhthuy.congan", "vinhthuy.tct06"}},
      {"vinh-thuy",
       "Công an xã, Tổ Công tác Đề án 06, Trạm y tế",
       {"vinhthuy.congan", "vinhthuy.tct06", "vinhthuy.tramyte"}},
      // 000: body and recipients.
      {"vinh-thuy", "Phòng PC06, Công an tỉnh", {"quangtri.pc06"}},
      {"vinh-thuy",
       "Phòng Cảnh sát Quản lý hành chính về trật tự xã hội, Công an tỉnh",
       {"quangtri.pc06"}},
      {"vinh-thuy", "Công an tỉnh", {"quangtri.congan"}},
      {"vinh-thuy", "UBND tỉnh;", {"quangtri.ubnd"}},
      {"vinh-thuy", "Ủy ban nhân dân tỉnh Quảng Trị", {"quangtri.ubnd"}},
      {"vinh-thuy", "UBND xã", {"vinhthuy.ubnd"}},
      {"vinh-thuy", "UBND xã Vĩnh Thụy", {"vinhthuy.ubnd"}},
      {"vinh-thuy", "UBMTTQ VN và các đoàn thể;", {"vinhthuy.mttq"}},
      {"vinh-thuy", "Thành viên Tổ Công tác Đề án 06 xã;", {"vinhthuy.tct06"}},
      {"vinh-thuy", "Công an xã;", {"vinhthuy.congan"}},
      {"vinh-thuy", "Các phòng, ban, trung tâm thuộc xã;", kVinhThuyOffices},
      {"vinh-thuy", "Các phòng, ban, ngành, tổ chức chính trị xã hội",
       kVinhThuyOffices},
      {"vinh-thuy", "Công an cấp xã", {"vinhthuy.congan"}},
      {"vinh-thuy", "phòng Kinh tế xã", {"vinhthuy.kinhte"}},
      {"vinh-thuy", "Tổ Công tác Đề án 06 Trung ương", {"vn.tct06"}},
      {"vinh-thuy", "Tổ Công tác Đề án 06 tỉnh", {"quangtri.tct06"}},
      {"vinh-thuy", "Bộ Công an", {"vn.bocongan"}},
      {"vinh-thuy", "Bộ Xây dựng", {"vn.boxaydung"}},
      {"vinh-thuy", "Bộ Y tế", {"vn.boyte"}},
      {"vinh-thuy", "Văn phòng Ban Chấp hành Trung ương", {"vn.vptw"}},
      // 004: Đồng Tháp, "+ Đơn vị chủ trì:", "+ Đơn vị phối hợp:",
      // "+ Đơn vị thực hiện:", "- Đơn vị chủ trì:", "- Đơn vị phối hợp:".
      {"dong-thap", "Công an tỉnh;", {"dongthap.congan"}},
      {"dong-thap", "Văn phòng UBND tỉnh, các sở, ban, ngành tỉnh;",
       kDongThapDepartments},
      {"dong-thap", "Các sở, ban, ngành tỉnh, UBND cấp xã;",
       Concat({kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap", "Sở Khoa học và Công nghệ;", {"dongthap.sokhcn"}},
      {"dong-thap",
       "Công an tỉnh, Sở Nội vụ;",
       {"dongthap.congan", "dongthap.sonoivu"}},
      {"dong-thap",
       "Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ, \n\ncác sở, ban, ngành "
       "tỉnh, UBND cấp xã;",
       Concat({kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap",
       "Các sở, ngành tỉnh phụ trách, quản lý các CSDL chuyên ngành;",
       kDongThapDepartments},
      {"dong-thap",
       "Công an tỉnh, UBND cấp xã;",
       {"dongthap.congan", "myphong.ubnd"}},
      {"dong-thap",
       "Sở Khoa học và Công nghệ, các sở, ban, ngành tỉnh có liên quan;",
       {"dongthap.sokhcn", "dongthap.vpubnd", "dongthap.sonoivu",
        "dongthap.sotaichinh", "dongthap.soyte", "dongthap.sogddt"}},
      {"dong-thap", "Các sở, ban, ngành tỉnh có liên quan, UBND cấp xã;",
       Concat({kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap",
       "Công an tỉnh, Văn phòng UBND tỉnh, các sở, ban, ngành tỉnh, UBND cấp "
       "xã;",
       Concat({{"dongthap.congan"}, kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap", "Các sở, ban, ngành tỉnh, UBND cấp xã;",
       Concat({kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap",
       "Sở Khoa học và Công nghệ, Sở Tài chính và các cơ quan, đơn vị có liên "
       "quan; ",
       {"dongthap.sokhcn", "dongthap.sotaichinh", "dongthap.vpubnd",
        "dongthap.sonoivu", "dongthap.soyte", "dongthap.sogddt"}},
      {"dong-thap",
       "Sở Khoa học và Công nghệ, các sở, ban, ngành tỉnh có liên quan, UBND "
       "cấp xã;",
       {"dongthap.sokhcn", "dongthap.vpubnd", "dongthap.sonoivu",
        "dongthap.sotaichinh", "dongthap.soyte", "dongthap.sogddt",
        "myphong.ubnd"}},
      {"dong-thap", "Sở Tài chính;", {"dongthap.sotaichinh"}},
      {"dong-thap", "Văn phòng UBND tỉnh;", {"dongthap.vpubnd"}},
      {"dong-thap",
       "Sở Khoa học và Công nghệ, UBND cấp xã;",
       {"dongthap.sokhcn", "myphong.ubnd"}},
      {"dong-thap", "Các sở, ngành tỉnh;", kDongThapDepartments},
      {"dong-thap",
       "Sở Y tế (đối tượng Bảo trợ xã hội), Sở Nội vụ (đối tượng Người có "
       "công và thân nhân người có công);",
       {"dongthap.soyte", "dongthap.sonoivu"}},
      {"dong-thap",
       "Công an tỉnh, Ngân hàng Nhà nước Việt Nam chi nhánh khu vực 13 (chỉ "
       "đạo các Ngân hàng thương mại phối hợp), UBND cấp xã;",
       {"dongthap.congan", "dongthap.nhnn13", "myphong.ubnd"}},
      {"dong-thap", "Bảo hiểm xã hội tỉnh;", {"dongthap.bhxh"}},
      {"dong-thap",
       "Ngân hàng Nhà nước Việt Nam chi nhánh khu vực 13, \n\nUBND cấp xã;",
       {"dongthap.nhnn13", "myphong.ubnd"}},
      {"dong-thap",
       "Bộ Chỉ huy quân sự tỉnh, UBND cấp xã;",
       {"dongthap.bchqs", "myphong.ubnd"}},
      {"dong-thap", "Sở Y tế;", {"dongthap.soyte"}},
      {"dong-thap",
       "Bảo hiểm xã hội tỉnh, các sở, ban, ngành tỉnh, UBND cấp xã;",
       Concat({{"dongthap.bhxh"}, kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap", "Sở Giáo dục và Đào tạo;", {"dongthap.sogddt"}},
      {"dong-thap", "Các sở, ngành tỉnh, UBND cấp xã;",
       Concat({kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap", "UBND cấp xã;", {"myphong.ubnd"}},
      {"dong-thap", "Các cơ quan, đơn vị có liên quan, UBND cấp xã;",
       Concat({kDongThapDepartments, {"myphong.ubnd"}})},
      {"dong-thap",
       "Sở Y tế, UBND cấp xã;",
       {"dongthap.soyte", "myphong.ubnd"}},
      {"dong-thap", "Các sở, ban, ngành tỉnh;", kDongThapDepartments},
      // 004: body and recipients.
      {"dong-thap", "UBND tỉnh", {"dongthap.ubnd"}},
      {"dong-thap", "Tổ Công tác Đề án 06 tỉnh", {"dongthap.tct06"}},
      {"dong-thap", "Ban Chỉ đạo tỉnh", {"dongthap.bcd"}},
      {"dong-thap",
       "Ban Chỉ đạo về dữ liệu tỉnh Đồng Tháp",
       {"dongthap.bcddulieu"}},
      {"dong-thap", "Ban Chỉ đạo quốc gia về dữ liệu", {"vn.bcddulieu"}},
      {"dong-thap", "UBND các xã, phường;", {"myphong.ubnd"}},
      {"dong-thap", "Ủy ban nhân dân cấp xã", {"myphong.ubnd"}},
      {"dong-thap", "Công an cấp xã", {"myphong.congan"}},
      {"dong-thap",
       "Bộ Khoa học và Công nghệ, Bộ Công an",
       {"vn.bokhcn", "vn.bocongan"}},
      {"dong-thap", "Văn phòng Chính phủ;", {"vn.vpcp"}},
      {"dong-thap", "Bộ Công an (Cục Cảnh sát QLHC về TTXH);", {"vn.bocongan"}},
      {"dong-thap",
       "Cục Cảnh sát quản lý hành chính về trật tự xã hội - Bộ Công an",
       {"vn.c06"}},
      {"dong-thap",
       "Tổ Công tác triển khai Đề án 06, cải cách TTHC, \nCĐS gắn với Đề án "
       "06 Chính phủ;",
       {"vn.tct06"}},
      {"dong-thap",
       "Cơ quan Thường trực Tổ công tác Đề án 06 tỉnh",
       {"dongthap.congan"}},
      {"dong-thap",
       "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
       {"dongthap.pc06"}},
      {"dong-thap", "Ủy ban MTTQ tỉnh;", {"dongthap.mttq"}},
      {"dong-thap", "Các sở, ban, ngành, đoàn thể tỉnh;",
       Concat({kDongThapDepartments, {"dongthap.mttq"}})},
      {"dong-thap",
       "Báo và phát thanh truyền hình Đồng Tháp;",
       {"dongthap.baoptth"}},
  };
  for (const SeedCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.unit, ": ", c.phrase));
    const AgencyResolution resolution = Default().Resolve(c.unit, c.phrase);
    EXPECT_THAT(resolution.unknown, IsEmpty());
    EXPECT_THAT(resolution.codes, ElementsAreArray(c.codes));
  }
}

TEST(AgencyRegistryTest, ResolveListsTheExpandedGroups) {
  AgencyResolution r =
      Default().Resolve("dong-thap", "Các sở, ban, ngành tỉnh, UBND cấp xã");
  EXPECT_THAT(r.groups,
              ElementsAre("dongthap.sobannganh", "dongthap.ubndcapxa"));
  EXPECT_THAT(r.codes, ElementsAreArray(
                           Concat({kDongThapDepartments, {"myphong.ubnd"}})));

  r = Default().Resolve("dong-thap",
                        "Văn phòng UBND tỉnh, Sở Khoa học và Công nghệ, các "
                        "sở, ban, ngành tỉnh, UBND cấp xã");
  EXPECT_THAT(r.codes, ElementsAreArray(
                           Concat({kDongThapDepartments, {"myphong.ubnd"}})));
  EXPECT_THAT(r.groups,
              ElementsAre("dongthap.sobannganh", "dongthap.ubndcapxa"));

  r = Default().Resolve("vinh-thuy", "Công an xã, Phòng Kinh tế");
  EXPECT_THAT(r.groups, IsEmpty());

  // A group named twice is listed once.
  r = Default().Resolve("dong-thap", "Các sở, ngành tỉnh; các sở, ban, ngành");
  EXPECT_THAT(r.groups, ElementsAre("dongthap.sobannganh"));
  EXPECT_THAT(r.codes, ElementsAreArray(kDongThapDepartments));
}

TEST(AgencyRegistryTest, GroupWithoutMembersResolvesToItsOwnCode) {
  // Quảng Trị has no department registered.
  const AgencyResolution r =
      Default().Resolve("vinh-thuy", "Các sở, ban, ngành tỉnh, Công an tỉnh");
  EXPECT_THAT(r.codes, ElementsAre("quangtri.sobannganh", "quangtri.congan"));
  EXPECT_THAT(r.groups, ElementsAre("quangtri.sobannganh"));
  EXPECT_THAT(r.unknown, IsEmpty());
}

TEST(AgencyRegistryTest, ChildUnitGroupFollowsAddedCommunes) {
  AgencyRegistry registry = Default();
  RegistryUnit commune;
  commune.code = "xa-thu";
  commune.name = "Xã Thử";
  commune.level = "commune";
  commune.parent = "dong-thap";
  commune.agencies.push_back({"xathu.ubnd", "UBND xã", {}, "committee", ""});
  commune.agencies.push_back({"xathu.congan", "Công an xã", {}, "police", ""});
  ASSERT_TRUE(registry.AddUnit(commune).ok());
  EXPECT_THAT(registry.Resolve("dong-thap", "UBND cấp xã").codes,
              ElementsAre("myphong.ubnd", "xathu.ubnd"));
  EXPECT_THAT(registry.Resolve("dong-thap", "Công an cấp xã").codes,
              ElementsAre("myphong.congan", "xathu.congan"));
  EXPECT_EQ(registry.Agency("xathu.ubnd")->unit, "xa-thu");
  // The copy it came from is unchanged.
  EXPECT_THAT(Default().Resolve("dong-thap", "UBND cấp xã").codes,
              ElementsAre("myphong.ubnd"));
  std::vector<std::string> children;
  for (const RegistryUnit* unit : registry.Children("dong-thap")) {
    children.push_back(unit->code);
  }
  EXPECT_THAT(children, ElementsAre("my-phong", "xa-thu"));
}

TEST(AgencyRegistryTest, NamesAreLookedUpInTheUnitThenItsAncestors) {
  AgencyResolution r =
      Default().Resolve("vinh-thuy", "Công an tỉnh, Bộ Công an, Công an xã");
  EXPECT_THAT(r.codes,
              ElementsAre("quangtri.congan", "vn.bocongan", "vinhthuy.congan"));
  EXPECT_THAT(Default().Resolve("my-phong", "Sở Y tế").codes,
              ElementsAre("dongthap.soyte"));
  // Another province's agencies and a unit's descendants are not searched.
  r = Default().Resolve("vinh-thuy", "Sở Y tế");
  EXPECT_THAT(r.codes, IsEmpty());
  EXPECT_THAT(r.unknown, ElementsAre("Sở Y tế"));
  r = Default().Resolve("quang-tri", "Phòng Kinh tế");
  EXPECT_THAT(r.codes, IsEmpty());
  EXPECT_THAT(r.unknown, ElementsAre("Phòng Kinh tế"));
  // The same words in the unit and an ancestor: the unit's own wins; a
  // longer ancestor name wins over a shorter own one.
  EXPECT_THAT(Default().Resolve("vinh-thuy", "Công an cấp xã").codes,
              ElementsAre("vinhthuy.congan"));
  EXPECT_THAT(Default().Resolve("quang-tri", "Công an cấp xã").codes,
              ElementsAre("vinhthuy.congan"));
  EXPECT_THAT(Default().Resolve("vinh-thuy", "Tổ Công tác Đề án 06 tỉnh").codes,
              ElementsAre("quangtri.tct06"));
  EXPECT_THAT(Default().Resolve("vinh-thuy", "Tổ Công tác Đề án 06").codes,
              ElementsAre("vinhthuy.tct06"));
}

TEST(AgencyRegistryTest, FindAgencyTakesTheWholeName) {
  const RegistryAgency* police =
      Default().FindAgency("vinh-thuy", "Công an tỉnh");
  ASSERT_NE(police, nullptr);
  EXPECT_EQ(police->code, "quangtri.congan");
  const RegistryAgency* group =
      Default().FindAgency("dong-thap", "các sở, ban, ngành tỉnh có liên quan");
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->code, "dongthap.sobannganh");
  EXPECT_EQ(group->kind, "group");
  EXPECT_EQ(Default().Agency("dongthap.sobannganh"), group);
  EXPECT_EQ(Default().FindAgency("dong-thap", "Sở Y tế, Sở Nội vụ"), nullptr);
  EXPECT_EQ(Default().FindAgency("dong-thap", "Sở Du lịch"), nullptr);
  EXPECT_EQ(Default().FindAgency("dong-thap", ""), nullptr);
  EXPECT_EQ(Default().FindAgency("nowhere", "Công an tỉnh"), nullptr);
  const RegistryAgency* health =
      Default().FindAgency("dong-thap", "Sở Y tế tỉnh");
  ASSERT_NE(health, nullptr);
  EXPECT_EQ(health->code, "dongthap.soyte");
}

TEST(AgencyRegistryTest, ToleratesToneCaseNfdAndPunctuation) {
  const std::vector<std::string> spellings = {
      "PHÒNG VĂN HOÁ - XÃ HỘI",
      "phòng văn hoá – xã hội",
      "Phòng  Văn hoá-Xã hội.",
      // NFD: base letters followed by combining marks.
      "Pho\u0300ng Va\u0306n ho\u0301a - Xa\u0303 ho\u0323i",
  };
  for (const std::string& spelling : spellings) {
    SCOPED_TRACE(spelling);
    const AgencyResolution r = Default().Resolve("vinh-thuy", spelling);
    EXPECT_THAT(r.codes, ElementsAre("vinhthuy.vhxh"));
    EXPECT_THAT(r.unknown, IsEmpty());
  }
  EXPECT_THAT(Default().Resolve("vinh-thuy", "UBND XÃ VĨNH THUỶ").codes,
              ElementsAre("vinhthuy.ubnd"));
  EXPECT_THAT(Default().Resolve("dong-thap", "uỷ ban nhân dân tỉnh").codes,
              ElementsAre("dongthap.ubnd"));
  EXPECT_THAT(Default().Resolve("dong-thap", "Sở KH&CN").codes,
              ElementsAre("dongthap.sokhcn"));
}

TEST(AgencyRegistryTest, UnknownNamesAreKeptAsWritten) {
  AgencyResolution r = Default().Resolve("dong-thap", "Sở Du lịch");
  EXPECT_THAT(r.codes, IsEmpty());
  EXPECT_THAT(r.unknown, ElementsAre("Sở Du lịch"));

  r = Default().Resolve("dong-thap", "Sở Du lịch, Sở Y tế.");
  EXPECT_THAT(r.codes, ElementsAre("dongthap.soyte"));
  EXPECT_THAT(r.unknown, ElementsAre("Sở Du lịch"));

  r = Default().Resolve("dong-thap", "Sở Y tế và Sở Du lịch;");
  EXPECT_THAT(r.codes, ElementsAre("dongthap.soyte"));
  EXPECT_THAT(r.unknown, ElementsAre("Sở Du lịch"));

  // " và " splits unknown names only before what starts an agency's name.
  r = Default().Resolve("dong-thap", "Sở Du lịch và Sở Xây dựng");
  EXPECT_THAT(r.unknown, ElementsAre("Sở Du lịch", "Sở Xây dựng"));
  r = Default().Resolve("dong-thap", "Sở Văn hóa, Thể thao và Du lịch");
  EXPECT_THAT(r.unknown, ElementsAre("Sở Văn hóa", "Thể thao và Du lịch"));

  // Words before a known name are reported, the name still resolves.
  r = Default().Resolve("dong-thap", "Chủ tịch UBND tỉnh");
  EXPECT_THAT(r.codes, ElementsAre("dongthap.ubnd"));
  EXPECT_THAT(r.unknown, ElementsAre("Chủ tịch"));

  // A level word after a comma is not part of the name before it.
  r = Default().Resolve("dong-thap", "Sở Y tế, tỉnh");
  EXPECT_THAT(r.codes, ElementsAre("dongthap.soyte"));
  EXPECT_THAT(r.unknown, ElementsAre("tỉnh"));

  // Unknown names come back in NFC, once each.
  r = Default().Resolve("dong-thap",
                        "So\u031b\u0309 Du li\u0323ch; Sở Du lịch");
  EXPECT_THAT(r.unknown, ElementsAre("Sở Du lịch"));

  // An unknown unit knows no names.
  r = Default().Resolve("nowhere", "Công an xã, Sở Y tế");
  EXPECT_THAT(r.codes, IsEmpty());
  EXPECT_THAT(r.unknown, ElementsAre("Công an xã", "Sở Y tế"));
}

TEST(AgencyRegistryTest, RemarksAndPunctuationAreIgnored) {
  EXPECT_THAT(Default().Resolve("dong-thap", "").codes, IsEmpty());
  EXPECT_THAT(Default().Resolve("dong-thap", " ; . ").unknown, IsEmpty());
  EXPECT_THAT(Default().Resolve("dong-thap", "Công an tỉnh.").codes,
              ElementsAre("dongthap.congan"));
  EXPECT_THAT(
      Default().Resolve("dong-thap", "Sở Y tế (a (b) c), Sở Nội vụ").codes,
      ElementsAre("dongthap.soyte", "dongthap.sonoivu"));
  // An unbalanced parenthesis hides nothing.
  const AgencyResolution r =
      Default().Resolve("dong-thap", "Sở Y tế (đối tượng Bảo trợ");
  EXPECT_THAT(r.codes, ElementsAre("dongthap.soyte"));
  EXPECT_THAT(r.unknown, ElementsAre("đối tượng Bảo trợ"));
  // The same agency twice is listed once.
  EXPECT_THAT(Default()
                  .Resolve("dong-thap", "Công an tỉnh, Công an tỉnh Đồng Tháp")
                  .codes,
              ElementsAre("dongthap.congan"));
}

TEST(AgencyRegistryTest, FindUnitInPrefersCommunesAndLongerNames) {
  const auto code = [](absl::string_view text) -> std::string {
    const RegistryUnit* unit = Default().FindUnitIn(text);
    return unit == nullptr ? "" : unit->code;
  };
  EXPECT_EQ(code("UBND xã Vĩnh Thủy"), "vinh-thuy");
  EXPECT_EQ(code("(Kèm theo Kế hoạch số /KH-UBND ngày /5/2026 của UBND xã "
                 "Vĩnh Thụy)"),
            "vinh-thuy");
  EXPECT_EQ(code("VĨNH THUỶ, ngày 25 tháng 5 năm 2026"), "vinh-thuy");
  EXPECT_EQ(code("trên địa bàn tỉnh Đồng Tháp năm 2026"), "dong-thap");
  EXPECT_EQ(code("Thực hiện Kế hoạch số 1965/KH-UBND của Ủy ban nhân dân tỉnh "
                 "Quảng Trị ..., UBND xã Vĩnh Thủy triển khai"),
            "vinh-thuy");
  EXPECT_EQ(code("phường Mỹ Phong, tỉnh Đồng Tháp"), "my-phong");
  EXPECT_EQ(code("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), "vn");
  // Whole words only.
  EXPECT_EQ(code("Vĩnh Thủyên"), "");
  EXPECT_EQ(code("Hà Nội"), "");
  EXPECT_EQ(code(""), "");

  // The seeds' headings.
  EXPECT_EQ(code("Số: 1199/KH-UBND\n\nVĩnh Thủy, ngày 25 tháng 5 năm 2026\n\n"
                 "## KẾ HOẠCH"),
            "vinh-thuy");
  EXPECT_EQ(code(" KẾ HOẠCH\nThực hiện Đề án “Phát triển ứng dụng dữ liệu dân "
                 "cư, định danh\n\nvà xác thực điện tử phục vụ chuyển đổi số "
                 "quốc gia giai đoạn 2022 - 2025, \ntầm nhìn đến năm 2030” "
                 "trên địa bàn tỉnh Đồng Tháp năm 2026"),
            "dong-thap");

  absl::StatusOr<AgencyRegistry> registry = AgencyRegistry::FromJson(R"json({
    "units": [
      {"code": "ha", "name": "Hà", "level": "province", "agencies": []},
      {"code": "ha-tinh", "name": "Hà Tĩnh", "level": "province",
       "agencies": []}]})json");
  ASSERT_TRUE(registry.ok()) << registry.status();
  ASSERT_NE(registry->FindUnitIn("tỉnh Hà Tĩnh"), nullptr);
  EXPECT_EQ(registry->FindUnitIn("tỉnh Hà Tĩnh")->code, "ha-tinh");
  EXPECT_EQ(registry->FindUnitIn("tỉnh Hà")->code, "ha");
}

absl::Status LoadError(absl::string_view json) {
  return AgencyRegistry::FromJson(json).status();
}

TEST(AgencyRegistryTest, FromJsonErrorsNameTheEntry) {
  absl::Status s = LoadError("{\"units\": [");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("registry JSON"));
  EXPECT_THAT(s.message(), HasSubstr("parse error"));

  s = LoadError(R"({"units": [
      {"code": "a", "name": "A", "agencies": [{"code": "a.x", "name": "X"}]},
      {"code": "b", "name": "B", "parent": "a",
       "agencies": [{"code": "a.x", "name": "Y"}]}]})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "units[1].agencies[0].code: duplicate code 'a.x'");

  s = LoadError(R"({"units": [{"code": "a", "name": "A"},
                              {"code": "a", "name": "B"}]})");
  EXPECT_EQ(s.message(), "units[1].code: duplicate unit code 'a'");

  s = LoadError(
      R"({"units": [{"code": "a", "name": "A", "parent": "nowhere"}]})");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "units[0].parent: unknown unit 'nowhere'");

  s = LoadError(R"({"units": [{"code": "a", "name": "A", "parent": "b"},
                              {"code": "b", "name": "B", "parent": "a"}]})");
  EXPECT_THAT(s.message(), HasSubstr("units[0].parent: 'b' leads back to 'a'"));

  s = LoadError(R"({"units": [{"code": "a", "name": "A",
      "agencies": [{"code": "a.x", "name": "Sở Y tế"},
                   {"code": "a.y", "name": "Sở Nội vụ",
                    "aliases": ["SỞ Y TẾ"]}]}]})");
  EXPECT_EQ(s.message(),
            "units[0].agencies[1].aliases[0]: 'SỞ Y TẾ' already names 'a.x'");

  s = LoadError(R"({"units": [{"code": "a", "name": "A",
      "agencies": [{"code": "a.x", "name": "X", "alias": ["Z"]}]}]})");
  EXPECT_EQ(s.message(), "units[0].agencies[0]: unknown key 'alias'");

  s = LoadError(R"({"units": [{"code": "a", "name": "A", "aliases": "B"}]})");
  EXPECT_EQ(s.message(), "units[0].aliases: expected an array of strings");

  s = LoadError(R"({"units": [{"code": "a", "name": "A",
      "agencies": [{"code": "a.x"}]}]})");
  EXPECT_EQ(s.message(), "units[0].agencies[0].name: missing");

  s = LoadError(R"({"units": [{"code": "Vinh Thuy", "name": "A"}]})");
  EXPECT_THAT(s.message(),
              HasSubstr("units[0].code: invalid code 'Vinh Thuy'"));

  s = LoadError(R"({"units": [{"code": "a", "name": "A",
      "standing_agency": "a.z", "agencies": [{"code": "a.x", "name": "X"}]}]})");
  EXPECT_EQ(s.message(),
            "units[0].standing_agency: 'a.z' is not an agency of unit 'a'");

  s = LoadError(R"({"units": [{"code": "a", "name": "A",
      "groups": [{"code": "a.g", "name": "G", "members": ["a.x"]}]}]})");
  EXPECT_EQ(s.message(), "units[0].groups[0].members[0]: unknown agency 'a.x'");

  s = LoadError(R"({"units": [{"code": "a", "name": " - "}]})");
  EXPECT_EQ(s.message(), "units[0].name: ' - ' has no letters or digits");

  s = LoadError(R"([1, 2])");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  s = LoadError(R"({"units": [], "extra": 1})");
  EXPECT_EQ(s.message(), "registry: unknown key 'extra'");
}

TEST(AgencyRegistryTest, AddAliasMakesANewAliasResolve) {
  AgencyRegistry registry = Default();
  EXPECT_EQ(registry.FindAgency("vinh-thuy", "Đội Công an xã"), nullptr);
  ASSERT_TRUE(registry.AddAlias("vinhthuy.congan", "Đội Công an xã").ok());
  const RegistryAgency* found =
      registry.FindAgency("vinh-thuy", "đội công an xã");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->code, "vinhthuy.congan");
  AgencyResolution r =
      registry.Resolve("vinh-thuy", "Đội Công an xã, Trạm y tế");
  EXPECT_THAT(r.codes, ElementsAre("vinhthuy.congan", "vinhthuy.tramyte"));
  EXPECT_THAT(r.unknown, IsEmpty());

  // Groups take aliases too.
  ASSERT_TRUE(registry
                  .AddAlias("dongthap.sobannganh",
                            "Các cơ quan chuyên môn thuộc UBND tỉnh")
                  .ok());
  EXPECT_THAT(
      registry.Resolve("dong-thap", "các cơ quan chuyên môn thuộc UBND tỉnh")
          .codes,
      ElementsAreArray(kDongThapDepartments));

  // The registry it was copied from does not change.
  EXPECT_EQ(Default().FindAgency("vinh-thuy", "Đội Công an xã"), nullptr);

  EXPECT_EQ(registry.AddAlias("vinhthuy.nothing", "X").code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(registry.AddAlias("vinhthuy.congan", "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddAlias("vinhthuy.vhxh", "Phòng Kinh tế").code(),
            absl::StatusCode::kAlreadyExists);
  // An alias it already has changes nothing.
  EXPECT_TRUE(registry.AddAlias("vinhthuy.congan", "Đội Công an xã").ok());
  EXPECT_EQ(registry.Agency("vinhthuy.congan")->aliases.back(),
            "Đội Công an xã");
  EXPECT_EQ(registry.Agency("vinhthuy.congan")->aliases.size(),
            Default().Agency("vinhthuy.congan")->aliases.size() + 1);
}

TEST(AgencyRegistryTest, AddUnitAndAddAgencyValidate) {
  AgencyRegistry registry = Default();
  RegistryUnit unit;
  unit.code = "vinh-thuy";
  unit.name = "Vĩnh Thủy";
  EXPECT_EQ(registry.AddUnit(unit).code(), absl::StatusCode::kAlreadyExists);
  unit.code = "xa-moi";
  unit.parent = "nowhere";
  EXPECT_EQ(registry.AddUnit(unit).code(), absl::StatusCode::kNotFound);
  unit.parent = "dong-thap";
  unit.name = "";
  EXPECT_EQ(registry.AddUnit(unit).code(), absl::StatusCode::kInvalidArgument);
  unit.code = "";
  unit.name = "Xã Mới";
  EXPECT_EQ(registry.AddUnit(unit).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(
      registry.AddAgency("nowhere", {"x.y", "Y", {}, "office", ""}).code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(
      registry.AddAgency("vinh-thuy", {"vinhthuy.congan", "Z", {}, "", ""})
          .code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddAgency("vinh-thuy", {"", "Z", {}, "", ""}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      registry.AddAgency("vinh-thuy", {"vinhthuy.z", "", {}, "", ""}).code(),
      absl::StatusCode::kInvalidArgument);
  // A failed addition leaves the registry as it was.
  EXPECT_EQ(registry.ToJson(), Default().ToJson());

  // A new office joins the groups defined by kind.
  ASSERT_TRUE(registry
                  .AddAgency("vinh-thuy", {"vinhthuy.nongnghiep",
                                           "Phòng Nông nghiệp",
                                           {"Phòng NN"},
                                           "office",
                                           "ignored"})
                  .ok());
  EXPECT_EQ(registry.Agency("vinhthuy.nongnghiep")->unit, "vinh-thuy");
  EXPECT_THAT(registry.Resolve("vinh-thuy", "Phòng NN xã").codes,
              ElementsAre("vinhthuy.nongnghiep"));
  EXPECT_THAT(
      registry
          .Resolve("vinh-thuy", "Các phòng, ban, trung tâm, đoàn thể, đơn vị")
          .codes,
      ElementsAreArray(Concat({kVinhThuyOffices, {"vinhthuy.nongnghiep"}})));
}

TEST(AgencyRegistryTest, ToJsonRoundTrips) {
  AgencyRegistry registry = Default();
  ASSERT_TRUE(
      registry.AddAlias("dongthap.soyte", "Sở Y tế tỉnh Đồng Tháp").ok());
  const std::string json = registry.ToJson();
  // Pretty-printed with two spaces, Vietnamese kept as UTF-8.
  EXPECT_EQ(json.rfind("{\n  \"units\": [\n    {\n      \"code\": \"vn\"", 0),
            0u);
  EXPECT_THAT(json, HasSubstr("\"name\": \"Vĩnh Thủy\""));
  EXPECT_THAT(json, HasSubstr("\"Sở Y tế tỉnh Đồng Tháp\""));

  absl::StatusOr<AgencyRegistry> again = AgencyRegistry::FromJson(json);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ToJson(), json);
  ASSERT_EQ(again->Units().size(), registry.Units().size());
  for (size_t u = 0; u < registry.Units().size(); ++u) {
    const RegistryUnit& a = *registry.Units()[u];
    const RegistryUnit& b = *again->Units()[u];
    EXPECT_EQ(a.code, b.code);
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.aliases, b.aliases);
    EXPECT_EQ(a.level, b.level);
    EXPECT_EQ(a.parent, b.parent);
    EXPECT_EQ(a.standing_agency, b.standing_agency);
    ASSERT_EQ(a.agencies.size(), b.agencies.size());
    for (size_t j = 0; j < a.agencies.size(); ++j) {
      EXPECT_EQ(a.agencies[j].code, b.agencies[j].code);
      EXPECT_EQ(a.agencies[j].name, b.agencies[j].name);
      EXPECT_EQ(a.agencies[j].aliases, b.agencies[j].aliases);
      EXPECT_EQ(a.agencies[j].kind, b.agencies[j].kind);
      EXPECT_EQ(a.agencies[j].unit, b.agencies[j].unit);
    }
    ASSERT_EQ(a.groups.size(), b.groups.size());
    for (size_t k = 0; k < a.groups.size(); ++k) {
      EXPECT_EQ(a.groups[k].code, b.groups[k].code);
      EXPECT_EQ(a.groups[k].aliases, b.groups[k].aliases);
      EXPECT_EQ(a.groups[k].members, b.groups[k].members);
      EXPECT_EQ(a.groups[k].member_kinds, b.groups[k].member_kinds);
      EXPECT_EQ(a.groups[k].child_unit_kinds, b.groups[k].child_unit_kinds);
    }
  }
  EXPECT_THAT(again->Resolve("dong-thap", "Sở Y tế tỉnh Đồng Tháp").codes,
              ElementsAre("dongthap.soyte"));
  EXPECT_EQ(AgencyRegistry().ToJson(), "{\n  \"units\": []\n}\n");
}

TEST(AgencyRegistryTest, CopiesAndMovesKeepWorking) {
  AgencyRegistry original = Default();
  AgencyRegistry moved = std::move(original);
  EXPECT_THAT(moved.Resolve("vinh-thuy", "Công an xã").codes,
              ElementsAre("vinhthuy.congan"));
  AgencyRegistry assigned;
  assigned = moved;
  ASSERT_TRUE(moved.AddAlias("vinhthuy.congan", "CAX").ok());
  EXPECT_THAT(assigned.Resolve("vinh-thuy", "CAX").unknown, ElementsAre("CAX"));
  EXPECT_THAT(moved.Resolve("vinh-thuy", "CAX").codes,
              ElementsAre("vinhthuy.congan"));
}

TEST(AgencyRegistryTest, ResolveSurvivesArbitraryInput) {
  std::mt19937 random(20260525);
  const std::vector<std::string> pieces = {"Công an",
                                           " xã",
                                           ",",
                                           ";",
                                           "(",
                                           ")",
                                           " và ",
                                           "Sở",
                                           " Y tế",
                                           "\n",
                                           "các sở, ban, ngành",
                                           " tỉnh",
                                           "UBND cấp xã",
                                           "\xff",
                                           "\xe1\xbb",
                                           "Pho\u0300ng",
                                           " ",
                                           "-",
                                           "Vĩnh Thủy"};
  for (int round = 0; round < 2000; ++round) {
    std::string phrase;
    const int length = static_cast<int>(random() % 40);
    for (int i = 0; i < length; ++i) {
      if (random() % 4 == 0) {
        phrase.push_back(static_cast<char>(random() % 256));
      } else {
        phrase += pieces[random() % pieces.size()];
      }
    }
    for (const char* unit : {"vinh-thuy", "dong-thap", "vn", "nowhere"}) {
      const AgencyResolution r = Default().Resolve(unit, phrase);
      for (const std::string& code : r.codes) {
        EXPECT_NE(Default().Agency(code), nullptr) << code;
      }
      Default().FindAgency(unit, phrase);
    }
    Default().FindUnitIn(phrase);
  }

  // Long input stays linear: deep parentheses, long runs of names.
  std::string deep(200000, '(');
  deep += "Sở Y tế";
  EXPECT_THAT(Default().Resolve("dong-thap", deep).codes,
              ElementsAre("dongthap.soyte"));
  std::string nested;
  for (int i = 0; i < 50000; ++i) nested += "(";
  for (int i = 0; i < 50000; ++i) nested += ")";
  EXPECT_THAT(Default().Resolve("dong-thap", nested + "Sở Y tế").codes,
              ElementsAre("dongthap.soyte"));
  std::string many;
  for (int i = 0; i < 20000; ++i)
    many += "các sở, ban, ngành tỉnh, Sở Du lịch ";
  const AgencyResolution r = Default().Resolve("dong-thap", many);
  EXPECT_THAT(r.codes, ElementsAreArray(kDongThapDepartments));
  EXPECT_THAT(r.unknown, ElementsAre("Sở Du lịch"));
}

}  // namespace
}  // namespace tiendo::plantext
