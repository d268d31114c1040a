#include "services/common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace tiendo {
namespace {

// "Thủy": T h (1 byte each), ủ (3 bytes: E1 BB A7), y.
constexpr absl::string_view kThuy = "Th\xE1\xBB\xA7y";

TEST(TruncateUtf8Test, ShortTextIsKeptWhole) {
  EXPECT_EQ(TruncateUtf8("Vĩnh Thủy", 100), "Vĩnh Thủy");
  EXPECT_EQ(TruncateUtf8(kThuy, kThuy.size()), kThuy);
  EXPECT_EQ(TruncateUtf8("", 0), "");
}

TEST(TruncateUtf8Test, CutOnABoundaryKeepsEveryByte) {
  EXPECT_EQ(TruncateUtf8(kThuy, 2), "Th");
  EXPECT_EQ(TruncateUtf8(kThuy, 5), "Thủ");
}

TEST(TruncateUtf8Test, NeverSplitsAMultiByteCharacter) {
  // Cutting after the first or second byte of "ủ" drops the whole "ủ".
  EXPECT_EQ(TruncateUtf8(kThuy, 3), "Th");
  EXPECT_EQ(TruncateUtf8(kThuy, 4), "Th");
}

TEST(TruncateUtf8Test, ZeroBytesIsEmpty) {
  EXPECT_EQ(TruncateUtf8(kThuy, 0), "");
}

TEST(TruncateUtf8Test, FirstCharacterLongerThanTheLimitGivesEmpty) {
  EXPECT_EQ(TruncateUtf8("ủy", 1), "");
  EXPECT_EQ(TruncateUtf8("ủy", 2), "");
  EXPECT_EQ(TruncateUtf8("ủy", 3), "ủ");
}

TEST(TruncateUtf8Test, FourByteCharacter) {
  const std::string text =
      "a\xF0\x9F\x98\x80"
      "b";  // a😀b
  EXPECT_EQ(TruncateUtf8(text, 4), "a");
  EXPECT_EQ(TruncateUtf8(text, 5), "a\xF0\x9F\x98\x80");
}

TEST(TruncateUtf8Test, EveryPrefixOfVietnameseIsValid) {
  const std::string text = "Hoàn thành cấp căn cước điện tử cho người dân";
  for (size_t max = 0; max <= text.size(); ++max) {
    absl::string_view kept = TruncateUtf8(text, max);
    EXPECT_LE(kept.size(), max);
    EXPECT_GE(kept.size() + 3, max) << "cut more than one character";
    const unsigned char next =
        kept.size() < text.size() ? text[kept.size()] : 0;
    EXPECT_NE(next & 0xC0, 0x80) << "split a character at " << max;
  }
}

TEST(TruncateUtf8Test, InvalidRunOfContinuationBytesIsCutAtTheLimit) {
  const std::string text(10, '\x80');
  EXPECT_EQ(TruncateUtf8(text, 6).size(), 6u);
}

}  // namespace
}  // namespace tiendo
