// The fuzzer's corpus (tests/fuzz/corpus) and the example plans, kept as a
// regression test: every input keeps every invariant the fuzz target
// checks.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/fuzz/plan_text_fuzz_target.h"

namespace tiendo::plantext {
namespace {

std::vector<std::filesystem::path> Inputs() {
  std::vector<std::filesystem::path> inputs;
  for (const char* dir : {"/tests/fuzz/corpus", "/examples/plans"}) {
    for (const auto& entry : std::filesystem::directory_iterator(
             std::string(TIENDO_SOURCE_DIR) + dir)) {
      if (entry.is_regular_file()) inputs.push_back(entry.path());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

TEST(FuzzCorpusTest, EveryStoredInputKeepsTheInvariants) {
  const std::vector<std::filesystem::path> inputs = Inputs();
  ASSERT_GE(inputs.size(), 8u);
  for (const std::filesystem::path& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string data = buffer.str();
    EXPECT_EQ(CheckPlanTextInput(reinterpret_cast<const uint8_t*>(data.data()),
                                 data.size()),
              "")
        << path;
  }
}

}  // namespace
}  // namespace tiendo::plantext
