// The unit hierarchy roll-ups follow: loading it as data (errors name the
// entry), the registry shipped with the plan service, and what events
// teach it (new units, a unit moved, no cycles).
#include "services/aggregation/unit_tree.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::aggregation {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string ErrorOf(const std::string& json) {
  absl::StatusOr<UnitTree> tree = UnitTree::FromJson(json);
  EXPECT_FALSE(tree.ok()) << json;
  if (tree.ok()) return "";
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(tree.status().message());
}

TEST(UnitTreeTest, FromJsonRefusesWhatIsNotAListOfUnits) {
  EXPECT_THAT(ErrorOf("{"), HasSubstr("units: "));
  EXPECT_THAT(ErrorOf("[]"), HasSubstr("units: expected {\"units\": [...]}"));
  EXPECT_THAT(ErrorOf(R"({"units": {}})"),
              HasSubstr("units: expected {\"units\": [...]}"));
}

TEST(UnitTreeTest, FromJsonErrorsNameTheEntry) {
  // The second entry (index 1) has no code.
  EXPECT_EQ(ErrorOf(R"({"units": [{"code": "vn"}, {"name": "Không mã"}]})"),
            "units[1].code: required");
  // The third entry repeats the first one's code.
  EXPECT_EQ(ErrorOf(R"({"units": [{"code": "vn"}, {"code": "a", "parent": "vn"},
                                  {"code": "vn"}]})"),
            "units[2].code: duplicate code 'vn'");
  // Entries are named by their place in the list, not by code order: "b"
  // sorts before "z" but is the third entry.
  EXPECT_EQ(ErrorOf(R"({"units": [{"code": "vn"}, {"code": "z", "parent": "vn"},
                                  {"code": "b", "parent": "x"}]})"),
            "units[2].parent: unknown unit 'x'");
}

TEST(UnitTreeTest, FromJsonRefusesAUnitBelowItself) {
  EXPECT_EQ(ErrorOf(R"({"units": [{"code": "a", "parent": "a"}]})"),
            "units[0].parent: unit 'a' would be below itself");
  // a → b → c → a: the first entry on the cycle is named.
  EXPECT_EQ(ErrorOf(R"({"units": [{"code": "top"},
                                  {"code": "a", "parent": "c"},
                                  {"code": "b", "parent": "a"},
                                  {"code": "c", "parent": "b"}]})"),
            "units[1].parent: unit 'a' would be below itself");
}

TEST(UnitTreeTest, FromJsonKeepsNamesLevelsAndSortedChildren) {
  absl::StatusOr<UnitTree> tree = UnitTree::FromJson(R"({"units": [
      {"code": "p", "name": "Tỉnh P", "level": "province", "agencies": []},
      {"code": "x2", "name": "Xã 2", "level": "commune", "parent": "p"},
      {"code": "x1", "name": "Xã 1", "level": "commune", "parent": "p"}]})");
  ASSERT_TRUE(tree.ok()) << tree.status();
  const UnitTree::Unit* p = tree->Find("p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "Tỉnh P");
  EXPECT_EQ(p->level, "province");
  EXPECT_EQ(p->parent, "");
  EXPECT_THAT(p->children, ElementsAre("x1", "x2"));
  EXPECT_EQ(tree->Find("x2")->parent, "p");
  EXPECT_EQ(tree->Find("nowhere"), nullptr);
}

TEST(UnitTreeTest, DefaultLoadsTheShippedRegistry) {
  const UnitTree& tree = UnitTree::Default();
  const UnitTree::Unit* vn = tree.Find("vn");
  ASSERT_NE(vn, nullptr);
  EXPECT_EQ(vn->level, "country");
  EXPECT_EQ(vn->parent, "");
  EXPECT_THAT(vn->children, ElementsAre("dong-thap", "quang-tri"));

  const UnitTree::Unit* quang_tri = tree.Find("quang-tri");
  ASSERT_NE(quang_tri, nullptr);
  EXPECT_EQ(quang_tri->name, "Quảng Trị");
  EXPECT_EQ(quang_tri->level, "province");
  EXPECT_EQ(quang_tri->parent, "vn");
  EXPECT_THAT(quang_tri->children, ElementsAre("vinh-thuy"));

  const UnitTree::Unit* vinh_thuy = tree.Find("vinh-thuy");
  ASSERT_NE(vinh_thuy, nullptr);
  EXPECT_EQ(vinh_thuy->name, "Vĩnh Thủy");
  EXPECT_EQ(vinh_thuy->level, "commune");
  EXPECT_EQ(vinh_thuy->parent, "quang-tri");
  EXPECT_THAT(vinh_thuy->children, IsEmpty());

  ASSERT_NE(tree.Find("my-phong"), nullptr);
  EXPECT_EQ(tree.Find("my-phong")->parent, "dong-thap");
  EXPECT_EQ(tree.Find("dong-thap")->parent, "vn");

  std::vector<std::string> codes;
  for (const UnitTree::Unit* u : tree.Units()) codes.push_back(u->code);
  // In code order.
  EXPECT_THAT(codes, ElementsAre("dong-thap", "my-phong", "quang-tri",
                                 "vinh-thuy", "vn"));
}

TEST(UnitTreeTest, SubtreeStartsWithTheUnitAndHoldsEveryUnitBelow) {
  const UnitTree& tree = UnitTree::Default();
  const std::vector<std::string> all = tree.Subtree("vn");
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front(), "vn");
  EXPECT_THAT(all, UnorderedElementsAre("vn", "quang-tri", "vinh-thuy",
                                        "dong-thap", "my-phong"));
  EXPECT_THAT(tree.Subtree("quang-tri"), ElementsAre("quang-tri", "vinh-thuy"));
  EXPECT_THAT(tree.Subtree("my-phong"), ElementsAre("my-phong"));
  EXPECT_THAT(tree.Subtree("nowhere"), IsEmpty());
}

TEST(UnitTreeTest, IsWithinFollowsParents) {
  const UnitTree& tree = UnitTree::Default();
  EXPECT_TRUE(tree.IsWithin("vinh-thuy", "vinh-thuy"));
  EXPECT_TRUE(tree.IsWithin("vinh-thuy", "quang-tri"));
  EXPECT_TRUE(tree.IsWithin("vinh-thuy", "vn"));
  EXPECT_FALSE(tree.IsWithin("quang-tri", "vinh-thuy"));
  EXPECT_FALSE(tree.IsWithin("my-phong", "quang-tri"));
  EXPECT_FALSE(tree.IsWithin("vinh-thuy", "dong-thap"));
  EXPECT_FALSE(tree.IsWithin("nowhere", "vn"));
}

TEST(UnitTreeTest, LearnAddsAUnitUnderItsParent) {
  UnitTree tree = UnitTree::Default();
  tree.Learn("xa-a", "Xã A", "commune", "quang-tri");
  const UnitTree::Unit* a = tree.Find("xa-a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "Xã A");
  EXPECT_EQ(a->level, "commune");
  EXPECT_EQ(a->parent, "quang-tri");
  EXPECT_THAT(tree.Find("quang-tri")->children,
              ElementsAre("vinh-thuy", "xa-a"));
  EXPECT_TRUE(tree.IsWithin("xa-a", "vn"));
  // The shipped tree is not changed by a copy learning.
  EXPECT_EQ(UnitTree::Default().Find("xa-a"), nullptr);

  // Learning it again with nothing new changes nothing; an empty name or
  // level keeps what is known.
  tree.Learn("xa-a", "", "", "quang-tri");
  EXPECT_EQ(tree.Find("xa-a")->name, "Xã A");
  EXPECT_EQ(tree.Find("xa-a")->level, "commune");
  EXPECT_THAT(tree.Find("quang-tri")->children,
              ElementsAre("vinh-thuy", "xa-a"));
}

TEST(UnitTreeTest, LearnAParentNotKnownYet) {
  UnitTree tree = UnitTree::Default();
  tree.Learn("xa-moi", "Xã Mới", "commune", "huyen-x");
  // The parent stands on its own, named by its code, until it is learnt.
  const UnitTree::Unit* h = tree.Find("huyen-x");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->name, "huyen-x");
  EXPECT_EQ(h->parent, "");
  EXPECT_THAT(h->children, ElementsAre("xa-moi"));
  EXPECT_FALSE(tree.IsWithin("xa-moi", "quang-tri"));

  tree.Learn("huyen-x", "Huyện X", "district", "quang-tri");
  EXPECT_EQ(tree.Find("huyen-x")->name, "Huyện X");
  EXPECT_TRUE(tree.IsWithin("xa-moi", "quang-tri"));
  EXPECT_THAT(
      tree.Subtree("quang-tri"),
      UnorderedElementsAre("quang-tri", "vinh-thuy", "huyen-x", "xa-moi"));
}

TEST(UnitTreeTest, LearnMovesAUnitToItsNewParent) {
  UnitTree tree = UnitTree::Default();
  tree.Learn("xa-a", "Xã A", "commune", "quang-tri");
  tree.Learn("xa-a", "Xã A", "commune", "dong-thap");
  EXPECT_EQ(tree.Find("xa-a")->parent, "dong-thap");
  EXPECT_THAT(tree.Find("quang-tri")->children, ElementsAre("vinh-thuy"));
  EXPECT_THAT(tree.Find("dong-thap")->children,
              ElementsAre("my-phong", "xa-a"));
  EXPECT_FALSE(tree.IsWithin("xa-a", "quang-tri"));
  EXPECT_TRUE(tree.IsWithin("xa-a", "dong-thap"));
}

TEST(UnitTreeTest, LearnNeverMakesACycle) {
  UnitTree tree = UnitTree::Default();
  // quang-tri under its own commune would put it below itself: the parent
  // stays, the name is still brought up to date.
  tree.Learn("quang-tri", "Tỉnh Quảng Trị", "province", "vinh-thuy");
  EXPECT_EQ(tree.Find("quang-tri")->parent, "vn");
  EXPECT_EQ(tree.Find("quang-tri")->name, "Tỉnh Quảng Trị");
  EXPECT_THAT(tree.Find("vinh-thuy")->children, IsEmpty());
  EXPECT_THAT(tree.Subtree("quang-tri"), ElementsAre("quang-tri", "vinh-thuy"));

  // The country under a commune of its own, and a unit its own parent.
  tree.Learn("vn", "", "", "my-phong");
  EXPECT_EQ(tree.Find("vn")->parent, "");
  tree.Learn("vinh-thuy", "", "", "vinh-thuy");
  EXPECT_EQ(tree.Find("vinh-thuy")->parent, "quang-tri");
  EXPECT_EQ(tree.Subtree("vn").size(), 5u);
}

TEST(UnitTreeTest, AddIfMissingKeepsWhatIsKnown) {
  UnitTree tree = UnitTree::Default();
  tree.AddIfMissing("vinh-thuy");
  EXPECT_EQ(tree.Find("vinh-thuy")->parent, "quang-tri");
  tree.AddIfMissing("la");
  ASSERT_NE(tree.Find("la"), nullptr);
  EXPECT_EQ(tree.Find("la")->name, "la");
  EXPECT_EQ(tree.Find("la")->parent, "");
  tree.AddIfMissing("");
  EXPECT_EQ(tree.Find(""), nullptr);
}

}  // namespace
}  // namespace tiendo::aggregation
