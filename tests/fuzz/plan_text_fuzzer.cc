// libFuzzer entry point for the plan text readers (tools/fuzz builds it
// with clang).
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/plan_text_fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string broken = tiendo::plantext::CheckPlanTextInput(data, size);
  if (!broken.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
