#ifndef TIENDO_TESTS_SUPPORT_TABLE_PARTS_H_
#define TIENDO_TESTS_SUPPORT_TABLE_PARTS_H_

#include <initializer_list>
#include <utility>
#include <vector>

namespace tiendo::testing {

// The rows of a long table of test cases written as parts, each a function
// that fits on a screen, in order.
template <typename Row>
std::vector<Row> JoinParts(
    std::initializer_list<std::vector<Row> (*)()> parts) {
  std::vector<Row> rows;
  for (auto part : parts) {
    for (Row& row : part()) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_TABLE_PARTS_H_
