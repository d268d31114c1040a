#ifndef TIENDO_SERVICES_COMMON_PLAN_ORDER_H_
#define TIENDO_SERVICES_COMMON_PLAN_ORDER_H_

#include "absl/strings/string_view.h"

namespace tiendo {

// The order plans number things in, for listing tasks as the plan does.
// Each returns <0, 0 or >0, like strcmp.

// Sections are roman numerals ("IV" after "III", "X" after "IX"), before
// any other code ("BC" for report obligations), which compare as
// CompareNumbers does.
int CompareSections(absl::string_view a, absl::string_view b);

// Task numbers ("2" before "10"): by value when both are whole numbers,
// else as text.
int CompareNumbers(absl::string_view a, absl::string_view b);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_PLAN_ORDER_H_
