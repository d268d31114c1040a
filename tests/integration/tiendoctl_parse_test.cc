// `tiendoctl plan parse` as a user runs it: the real binary, offline, on the
// seed documents; its --json output and its errors.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout, then stderr
};

CommandResult Tiendoctl(const std::string& args) {
  const std::string command =
      absl::StrCat(TIENDO_BIN_DIR, "/tiendoctl ", args, " 2>&1");
  CommandResult run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    run.out.append(buffer.data(), n);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string Example(const std::string& name) {
  return absl::StrCat(TIENDO_SOURCE_DIR, "/examples/plans/", name);
}

TEST(TiendoctlParseTest, CommuneTableAsJsonWithTheDocumentedNames) {
  const CommandResult run = Tiendoctl(
      absl::StrCat("plan parse ", Example("vinh-thuy-1199.txt"), " --json"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["plan"]["number"], "1199/KH-UBND");
  EXPECT_EQ(json["plan"]["issued"], "2026-05-25");
  EXPECT_EQ(json["plan"]["unit"], "vinh-thuy");
  EXPECT_EQ(json["plan"]["implements"], "1965/KH-UBND");
  ASSERT_EQ(json["tasks"].size(), 23u);
  // III.1: ongoing, three targets; III.4: due 2026-05-10.
  const nlohmann::json& census = json["tasks"][7];
  EXPECT_EQ(census["section"], "III");
  EXPECT_EQ(census["number"], "1");
  EXPECT_EQ(census["lead"], nlohmann::json::array({"vinhthuy.congan"}));
  EXPECT_TRUE(census["schedule"]["milestones"].empty());
  EXPECT_TRUE(census["schedule"]["ongoing"].is_object());
  EXPECT_TRUE(census["schedule"]["recurrence"].is_null());
  ASSERT_EQ(census["targets"].size(), 3u);
  EXPECT_EQ(census["targets"][1]["percent"], 81);
  EXPECT_EQ(census["targets"][1]["direction"], "at_least");
  EXPECT_EQ(census["targets"][1]["due"], "2026-12-31");
  const nlohmann::json& dna = json["tasks"][10];
  EXPECT_EQ(dna["number"], "4");
  EXPECT_EQ(dna["schedule"]["milestones"][0]["due"], "2026-05-10");
  EXPECT_EQ(dna["documents"][0]["kind"], "Quyết định");
  EXPECT_EQ(dna["documents"][0]["number"], "06/QĐ-TTg");
  EXPECT_EQ(dna["documents"][0]["date"], "2022-01-06");
  const nlohmann::json& report = json["tasks"][22];
  EXPECT_EQ(report["section"], "BC");
  EXPECT_EQ(report["schedule"]["recurrence"]["every"], "month");
  EXPECT_EQ(report["schedule"]["recurrence"]["day"], 12);
}

TEST(TiendoctlParseTest, ProvincialProsePlanReadsEveryTaskBullet) {
  const CommandResult run = Tiendoctl(
      absl::StrCat("plan parse ", Example("dong-thap-2026.txt"), " --json"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const nlohmann::json json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["plan"]["unit"], "dong-thap");
  EXPECT_EQ(json["plan"]["format"], "prose");
  int bullets = 0, reports = 0;
  for (const nlohmann::json& task : json["tasks"]) {
    (task["kind"] == "report" ? reports : bullets) += 1;
  }
  EXPECT_EQ(bullets, 39);
  EXPECT_EQ(reports, 2);
}

TEST(TiendoctlParseTest, HumanReadableSummaryAndErrorsWithLineNumbers) {
  const CommandResult text =
      Tiendoctl(absl::StrCat("plan parse ", Example("vinh-thuy-1199.txt")));
  ASSERT_EQ(text.exit_code, 0) << text.out;
  EXPECT_THAT(text.out, HasSubstr("23 tasks, 11 targets, 0 to review"));

  const std::string bad =
      absl::StrCat(TIENDO_SOURCE_DIR, "/tests/fuzz/corpus/impossible_date.txt");
  const CommandResult refused = Tiendoctl(absl::StrCat("plan parse ", bad));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.out, HasSubstr("line 5: timeframe: "));
  EXPECT_THAT(refused.out, HasSubstr("31/2/2026"));

  const CommandResult wrong_format = Tiendoctl(
      absl::StrCat("plan parse --format=pdf ", Example("dong-thap-2026.txt")));
  EXPECT_EQ(wrong_format.exit_code, 2);
  EXPECT_THAT(wrong_format.out, HasSubstr("unknown format 'pdf'"));
}

}  // namespace
}  // namespace tiendo::testing
