#include "services/common/plan_order.h"

#include <algorithm>

#include "absl/strings/numbers.h"

namespace tiendo {
namespace {

// The value of a roman numeral; 0 for anything else.
int RomanValue(absl::string_view s) {
  int total = 0;
  int previous = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    int v = 0;
    switch (*it) {
      case 'I':
        v = 1;
        break;
      case 'V':
        v = 5;
        break;
      case 'X':
        v = 10;
        break;
      case 'L':
        v = 50;
        break;
      case 'C':
        v = 100;
        break;
      default:
        return 0;
    }
    total += v < previous ? -v : v;
    previous = std::max(previous, v);
  }
  return total;
}

}  // namespace

int CompareNumbers(absl::string_view a, absl::string_view b) {
  int na = 0;
  int nb = 0;
  if (absl::SimpleAtoi(a, &na) && absl::SimpleAtoi(b, &nb) && na != nb) {
    return na < nb ? -1 : 1;
  }
  return a.compare(b);
}

int CompareSections(absl::string_view a, absl::string_view b) {
  const int ra = RomanValue(a);
  const int rb = RomanValue(b);
  if (ra > 0 && rb > 0) {
    if (ra != rb) return ra < rb ? -1 : 1;
    return a.compare(b);
  }
  if (ra > 0) return -1;
  if (rb > 0) return 1;
  return CompareNumbers(a, b);
}

}  // namespace tiendo
