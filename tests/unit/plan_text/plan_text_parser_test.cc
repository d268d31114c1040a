#include "services/plan/text/plan_text_parser.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "gtest/gtest.h"

namespace tiendo::plantext {
namespace {

std::string ReadSource(const std::string& path) {
  std::ifstream in(std::string(TIENDO_SOURCE_DIR) + "/" + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PlanTextDump, Dump) {
  auto registry = AgencyRegistry::FromJson(DefaultRegistryJson());
  ASSERT_TRUE(registry.ok());
  const char* file = getenv("DUMP_FILE");
  if (file == nullptr) GTEST_SKIP();
  ParseOptions options;
  if (getenv("DUMP_UNIT")) options.unit = getenv("DUMP_UNIT");
  if (getenv("DUMP_YEAR")) options.year = atoi(getenv("DUMP_YEAR"));
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  auto parsed = ParsePlanText(s.str(), *registry, options);
  if (!parsed.ok()) {
    std::cout << parsed.status() << "\n";
    return;
  }
  std::cout << ParsedPlanJson(parsed->request, parsed->format) << "\n";
}

}  // namespace
}  // namespace tiendo::plantext
