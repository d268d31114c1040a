#ifndef TIENDO_TESTS_FUZZ_PLAN_TEXT_FUZZ_TARGET_H_
#define TIENDO_TESTS_FUZZ_PLAN_TEXT_FUZZ_TARGET_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace tiendo::plantext {

// Runs one input through every plan text reader (the whole-document parser
// in each format, and the timeframe, target, document and agency readers on
// the input's first line) and checks what they return. Returns a
// description of the first broken invariant, or "" when all hold. Used by
// the libFuzzer target and, on the stored corpus, by a unit test.
std::string CheckPlanTextInput(const uint8_t* data, size_t size);

}  // namespace tiendo::plantext

#endif  // TIENDO_TESTS_FUZZ_PLAN_TEXT_FUZZ_TARGET_H_
