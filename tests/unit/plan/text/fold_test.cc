#include "services/plan/text/fold.h"

#include "gtest/gtest.h"

namespace tiendo::plantext {
namespace {

TEST(FoldTest, RemovesTonesAndVowelMarksAndLowersCase) {
  EXPECT_EQ(Fold("Quý I/2027").folded, "quy i/2027");
  EXPECT_EQ(Fold("Quí").folded, "qui");
  EXPECT_EQ(Fold("Phấn đấu").folded, "phan dau");
  EXPECT_EQ(Fold("Phần đầu").folded, "phan dau");
  EXPECT_EQ(Fold("ĐẢM BẢO").folded, "dam bao");
  EXPECT_EQ(Fold("hằng tháng").folded, "hang thang");
  EXPECT_EQ(Fold("hàng tháng").folded, "hang thang");
  EXPECT_EQ(Fold("“rõ người” – x").folded, "\"ro nguoi\" - x");
}

TEST(FoldTest, OriginMapsBackToTheTextAsWritten) {
  const FoldedText text = Fold("Tối thiểu 81% công dân");
  const size_t at = text.folded.find("cong dan");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(text.Original(at, at + 8), "công dân");
  EXPECT_EQ(text.Original(0, text.folded.size()), "Tối thiểu 81% công dân");
}

TEST(FoldTest, NonBreakingSpaceIsASpace) {
  EXPECT_EQ(Fold("a\u00a0b").folded, "a b");
}

TEST(MatchKeyTest, ToleratesCaseSpacingPunctuationAndToneVariants) {
  EXPECT_EQ(MatchKey("Phòng Văn hoá - Xã hội"),
            MatchKey("phòng  văn hóa –xã hội"));
  EXPECT_EQ(MatchKey("Vĩnh Thuỷ"), MatchKey("Vĩnh Thủy"));
  EXPECT_EQ(MatchKey("hoà"), MatchKey("hòa"));
  // NFD input (decomposed marks) gives the same key as NFC.
  EXPECT_EQ(MatchKey("Thu\u0309y"), MatchKey("Thủy"));
  EXPECT_EQ(MatchKey("  Công an xã; "), "cong an xa");
}

TEST(ToNfcTest, ComposesAndReplacesInvalidBytes) {
  EXPECT_EQ(ToNfc("Thu\u0309y"), "Thủy");
  EXPECT_EQ(ToNfc(std::string("a\xff") + "b"), "a\uFFFDb");
}

}  // namespace
}  // namespace tiendo::plantext
