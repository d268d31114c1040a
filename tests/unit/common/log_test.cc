#include "services/common/log.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo {
namespace {

using ::testing::MatchesRegex;

// Captures the log lines of one test and puts stderr and text back after.
class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogOutput(&captured_);
    SetLogName("plan");
  }
  void TearDown() override {
    SetLogOutput(nullptr);
    SetLogFormat(LogFormat::kText);
    SetLogName("tiendo");
  }

  std::ostringstream captured_;
};

TEST_F(LogTest, TextLineHasLevelTimeServiceAndMessage) {
  LogInfo("imported %d tasks of %s", 42, "Vĩnh Thủy");
  LogWarning("late");
  LogError("lost");
  EXPECT_THAT(
      captured_.str(),
      MatchesRegex("I [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                   "\\.[0-9]{3}Z plan] imported 42 tasks of Vĩnh Thủy\n"
                   "W [^ ]+Z plan] late\n"
                   "E [^ ]+Z plan] lost\n"));
}

TEST_F(LogTest, JsonLineIsOneEscapedObject) {
  SetLogFormat(LogFormat::kJson);
  LogWarning("quoted \"%s\"\nnext line\t\\ Thủy", "x");
  const std::string out = captured_.str();
  ASSERT_EQ(out.find('\n'), out.size() - 1) << "one line: " << out;
  const nlohmann::json line = nlohmann::json::parse(out);
  EXPECT_EQ(line["level"], "warning");
  EXPECT_EQ(line["service"], "plan");
  EXPECT_EQ(line["message"], "quoted \"x\"\nnext line\t\\ Thủy");
  EXPECT_THAT(line["time"].get<std::string>(),
              MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
                           "[0-9]{2}\\.[0-9]{3}Z"));
}

TEST_F(LogTest, JsonKeepsTheOrderAndLevels) {
  SetLogFormat(LogFormat::kJson);
  LogInfo("a");
  LogError("b");
  std::istringstream lines(captured_.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_THAT(first, MatchesRegex("\\{\"time\":\"[^\"]+\",\"level\":\"info\","
                                  "\"service\":\"plan\",\"message\":\"a\"\\}"));
  EXPECT_EQ(nlohmann::json::parse(second)["level"], "error");
}

TEST_F(LogTest, JsonLineStaysValidWithInvalidUtf8) {
  SetLogFormat(LogFormat::kJson);
  LogInfo("cut \xE1\xBB");
  EXPECT_TRUE(nlohmann::json::accept(captured_.str())) << captured_.str();
}

}  // namespace
}  // namespace tiendo
