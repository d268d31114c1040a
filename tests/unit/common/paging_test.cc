#include "services/common/paging.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PagingTest, ZeroPageSizeIsTheDefault) {
  absl::StatusOr<PageRequest> page = ReadPageRequest(0, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, kDefaultPageSize);
  EXPECT_EQ(page->after, "");
  EXPECT_EQ(page->Limit(), kDefaultPageSize + 1);
}

TEST(PagingTest, LargePageSizeIsClamped) {
  absl::StatusOr<PageRequest> page = ReadPageRequest(1'000'000, "");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->size, kMaxPageSize);
  EXPECT_EQ(ReadPageRequest(7, "")->size, 7);
}

TEST(PagingTest, NegativePageSizeNamesTheField) {
  absl::StatusOr<PageRequest> page = ReadPageRequest(-1, "");
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(page.status().message(), HasSubstr("page_size:"));
}

TEST(PagingTest, TokenCarriesTheLastKeyOpaquely) {
  const std::string token = EncodePageToken("vinh-thuy:1199#III.1");
  EXPECT_EQ(token.find("vinh-thuy"), std::string::npos);
  absl::StatusOr<PageRequest> page = ReadPageRequest(10, token);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->after, "vinh-thuy:1199#III.1");
}

TEST(PagingTest, MalformedTokenNamesTheField) {
  for (const std::string& token :
       {std::string("%%%"), std::string("bm90IGEgdG9rZW4"),
        EncodePageToken("")}) {
    absl::StatusOr<PageRequest> page = ReadPageRequest(0, token);
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument)
        << token;
    EXPECT_THAT(page.status().message(), HasSubstr("page_token:"));
  }
}

TEST(PagingTest, NumberKeys) {
  EXPECT_EQ(*AfterNumber(PageRequest()), 0);
  EXPECT_EQ(*AfterNumber(*ReadPageRequest(0, EncodePageToken("42"))), 42);
  absl::StatusOr<int64_t> bad =
      AfterNumber(*ReadPageRequest(0, EncodePageToken("x")));
  EXPECT_THAT(bad.status().message(), HasSubstr("page_token:"));
}

TEST(PagingTest, TwoColumnKeys) {
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(0, EncodePageToken(JoinKey("plan:a", 17)));
  ASSERT_TRUE(page.ok());
  absl::StatusOr<std::pair<std::string, int64_t>> key = SplitKey(*page);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->first, "plan:a");
  EXPECT_EQ(key->second, 17);
  EXPECT_EQ(SplitKey(PageRequest())->first, "");
  EXPECT_FALSE(SplitKey(*ReadPageRequest(0, EncodePageToken("x"))).ok());
}

TEST(PagingTest, CursorStopsAfterOnePageAndPointsPastIt) {
  PageRequest request;
  request.size = 2;
  std::string next;
  PageCursor cursor(request, &next);
  std::vector<std::string> rows;
  for (const char* key : {"a", "b", "c"}) {
    if (cursor.Take(key)) rows.push_back(key);
  }
  EXPECT_THAT(rows, ElementsAre("a", "b"));
  EXPECT_EQ(ReadPageRequest(0, next)->after, "b");
}

TEST(PagingTest, CursorOnTheLastPageLeavesNoToken) {
  PageRequest request;
  request.size = 3;
  std::string next;
  PageCursor cursor(request, &next);
  EXPECT_TRUE(cursor.Take("a"));
  EXPECT_TRUE(cursor.Take("b"));
  EXPECT_EQ(next, "");
}

TEST(PagingTest, SliceByPositionWalksTheWholeList) {
  std::vector<int> all = {1, 2, 3, 4, 5};
  std::vector<int> seen;
  std::string token;
  do {
    PageRequest page = *ReadPageRequest(2, token);
    token.clear();
    absl::StatusOr<std::vector<int>> part = SliceByPosition(all, page, &token);
    ASSERT_TRUE(part.ok()) << part.status();
    EXPECT_LE(part->size(), 2u);
    seen.insert(seen.end(), part->begin(), part->end());
  } while (!token.empty());
  EXPECT_EQ(seen, all);
}

}  // namespace
}  // namespace tiendo
