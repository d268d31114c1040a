// The scanning toolbox the text readers share: byte classes, markup and
// white space, phrase and list-marker matching, and reading numbers out of
// regular-expression groups.
#include "services/plan/text/text_scan.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"
#include "re2/re2.h"
#include "services/plan/text/fold.h"

namespace tiendo::plantext {
namespace {

TEST(TextScanTest, ByteClasses) {
  EXPECT_TRUE(IsDigitByte('0'));
  EXPECT_TRUE(IsDigitByte('9'));
  EXPECT_FALSE(IsDigitByte('a'));
  EXPECT_FALSE(IsDigitByte('\xC3'));
  EXPECT_TRUE(IsWordByte('a'));
  EXPECT_TRUE(IsWordByte('7'));
  EXPECT_TRUE(IsWordByte('\xC3'));  // a byte of "ế"
  EXPECT_FALSE(IsWordByte(' '));
  EXPECT_FALSE(IsWordByte(','));
  EXPECT_TRUE(IsSpaceByte(' '));
  EXPECT_TRUE(IsSpaceByte('\n'));
  EXPECT_TRUE(IsSpaceByte('\t'));
  EXPECT_FALSE(IsSpaceByte('x'));
}

TEST(TextScanTest, ToIntReadsTheDigitsOfAGroup) {
  const std::string text = "ngay 30/6/2026";
  re2::StringPiece g[4];
  const RE2 re("ngay (\\d+)/(\\d+)/(\\d+)", Latin1());
  ASSERT_TRUE(re.Match(Piece(text), 0, text.size(), RE2::ANCHOR_BOTH, g, 4));
  EXPECT_EQ(ToInt(g[1]), std::optional<int>(30));
  EXPECT_EQ(ToInt(g[2]), std::optional<int>(6));
  EXPECT_EQ(ToInt(g[3]), std::optional<int>(2026));
  EXPECT_EQ(OffsetOf(text, g[3]), 10u);
}

TEST(TextScanTest, ToIntFailsWithNullopt) {
  // A group that did not take part in the match.
  const std::string text = "nam";
  re2::StringPiece g[2];
  const RE2 re("nam(?: (\\d+))?", Latin1());
  ASSERT_TRUE(re.Match(Piece(text), 0, text.size(), RE2::ANCHOR_BOTH, g, 2));
  EXPECT_FALSE(Matched(g[1]));
  EXPECT_EQ(ToInt(g[1]), std::nullopt);
  // Digits that do not fit an int, and text that is no number.
  const std::string huge = "99999999999999999999";
  EXPECT_EQ(ToInt(re2::StringPiece(huge.data(), huge.size())), std::nullopt);
  const std::string word = "abc";
  EXPECT_EQ(ToInt(re2::StringPiece(word.data(), word.size())), std::nullopt);
  // An empty group that did match holds no number either.
  EXPECT_EQ(ToInt(re2::StringPiece(text.data(), 0)), std::nullopt);
}

TEST(TextScanTest, StripMarkupKeepsWhatIsNotATag) {
  EXPECT_EQ(StripMarkup("<b>100%</b>"), "100%");
  EXPECT_EQ(StripMarkup("<li>- a</li><li>- b</li>"), "\n- a\n\n- b\n");
  EXPECT_EQ(StripMarkup("tỷ lệ < 50%"), "tỷ lệ < 50%");
  EXPECT_EQ(StripMarkup("A&amp;B&nbsp;C"), "A&B C");
}

TEST(TextScanTest, CollapseMakesEveryWhiteSpaceRunOneSpace) {
  EXPECT_EQ(Collapse("  Chỉ thị \n số\xC2\xA0 07  "), "Chỉ thị số 07");
  EXPECT_EQ(Collapse(""), "");
}

TEST(TextScanTest, PhraseAtMatchesWholeWords) {
  const std::string s = "dat  ty le 90%";
  EXPECT_EQ(PhraseAt(s, 0, s.size(), "dat ty le"), 10u);
  EXPECT_EQ(PhraseAt(s, 0, s.size(), "da"), kNone);
  const std::string date = "date";
  EXPECT_EQ(PhraseAt(date, 0, date.size(), "dat"), kNone);
}

TEST(TextScanTest, ListItemEndFindsMarkers) {
  for (const std::string s : {"- a", "+ a", "1. a", "a) a", "(2) a"}) {
    EXPECT_EQ(ListItemEnd(s, 0, s.size()), s.size() - 1) << s;
  }
  const std::string plain = "a";
  EXPECT_EQ(ListItemEnd(plain, 0, plain.size()), kNone);
}

TEST(TextScanTest, JoinWrappedLinesJoinsLowerCaseContinuations) {
  FoldedText f = Fold("phấn đấu đạt tỷ \nlệ 90%\nCông an xã");
  JoinWrappedLines(f);
  EXPECT_EQ(f.folded, "phan dau dat ty  le 90%\ncong an xa");
}

}  // namespace
}  // namespace tiendo::plantext
