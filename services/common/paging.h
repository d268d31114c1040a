#ifndef TIENDO_SERVICES_COMMON_PAGING_H_
#define TIENDO_SERVICES_COMMON_PAGING_H_

// Paging of the List RPCs: the page-size rule and the opaque page token,
// shared by every handler so they all answer the same way.
//
// A token carries the key of the last row of the previous page; the next
// page is the rows whose key sorts after it (keyset paging), so rows
// inserted between two calls are neither skipped nor repeated.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo {

inline constexpr int kDefaultPageSize = 500;
inline constexpr int kMaxPageSize = 5000;

struct PageRequest {
  // Rows on the page.
  int size = std::numeric_limits<int>::max();
  // The previous page's last key; empty for the first page.
  std::string after;

  // What to bind to an SQL LIMIT: one row more than the page holds, whose
  // presence tells that a next page exists.
  int64_t Limit() const { return int64_t{size} + 1; }
};

// Every row at once, for callers inside a service.
inline PageRequest EveryRow() { return PageRequest(); }

// Reads a request's page_size and page_token: 0 is kDefaultPageSize, more
// than kMaxPageSize is clamped, negative is INVALID_ARGUMENT
// "page_size: ..."; a token not issued by EncodePageToken is
// INVALID_ARGUMENT "page_token: ...".
absl::StatusOr<PageRequest> ReadPageRequest(int32_t page_size,
                                            absl::string_view page_token);

// The opaque token for a page ending at the row with `last_key`.
std::string EncodePageToken(absl::string_view last_key);

// `after` as an integer key (a sequence or an id); 0 for the first page.
absl::StatusOr<int64_t> AfterNumber(const PageRequest& page);

// A key of two columns, a text and a number (e.g. a plan id and a task's
// ordinal in it), as one, and back; ("", 0) for the first page.
std::string JoinKey(absl::string_view text, int64_t number);
absl::StatusOr<std::pair<std::string, int64_t>> SplitKey(
    const PageRequest& page);

// Builds a page from rows read in key order with LIMIT page.Limit(): each
// row read is offered with its key; the one past the page's end is refused
// and sets the next page's token.
class PageCursor {
 public:
  PageCursor(const PageRequest& page, std::string* next_page_token)
      : size_(page.size), next_page_token_(next_page_token) {}

  // True when the row belongs on the page.
  bool Take(absl::string_view key);

 private:
  int size_;
  int taken_ = 0;
  std::string last_key_;
  std::string* next_page_token_;
};

// For a short list held in memory in a fixed order with no key of its own
// (the agency registry's units): keeps one page, the token being the
// position after it. An offset token can shift if rows are added in the
// middle between two calls; these lists change rarely and are small.
template <typename Row>
absl::StatusOr<std::vector<Row>> SliceByPosition(std::vector<Row> rows,
                                                 const PageRequest& page,
                                                 std::string* next_page_token) {
  absl::StatusOr<int64_t> start = AfterNumber(page);
  if (!start.ok()) return start.status();
  const auto begin = static_cast<size_t>(
      std::min<int64_t>(*start, static_cast<int64_t>(rows.size())));
  const size_t end = begin + std::min<size_t>(static_cast<size_t>(page.size),
                                              rows.size() - begin);
  if (end < rows.size() && next_page_token != nullptr) {
    *next_page_token = EncodePageToken(std::to_string(end));
  }
  return std::vector<Row>(std::make_move_iterator(rows.begin() + begin),
                          std::make_move_iterator(rows.begin() + end));
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_PAGING_H_
