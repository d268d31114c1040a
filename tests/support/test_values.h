#ifndef TIENDO_TESTS_SUPPORT_TEST_VALUES_H_
#define TIENDO_TESTS_SUPPORT_TEST_VALUES_H_

// Small readings that unit tests of several services state their
// expectations with.

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace tiendo::testing {

// The instant an RFC 3339 text names; a test failure when it names none.
inline absl::Time Utc(const std::string& rfc3339) {
  absl::Time t;
  std::string err;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &err)) << err;
  return t;
}

// A status's message, as a string for matchers.
inline std::string Message(const absl::Status& status) {
  return std::string(status.message());
}

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_TEST_VALUES_H_
