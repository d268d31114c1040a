// The topic list lives in services/common/topics.h. The deploy files and the
// READMEs cannot include it, so this test reads them and fails when they
// name a topic the code does not have or miss one it has.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "services/common/topics.h"

namespace tiendo {
namespace {

std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(TIENDO_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in.good()) << relative;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Every "tiendo.<name>.v1" the file names.
std::set<std::string> TopicsNamedIn(const std::string& relative) {
  const std::string text = ReadSourceFile(relative);
  static const std::regex kTopic(R"(tiendo\.[a-z-]+\.v[0-9]+)");
  std::set<std::string> found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kTopic);
       it != std::sregex_iterator(); ++it) {
    found.insert(it->str());
  }
  return found;
}

std::set<std::string> CodeTopics() {
  return std::set<std::string>(kAllTopics.begin(), kAllTopics.end());
}

// Files that create or list the topics: they must name exactly all of them.
TEST(TopicListTest, DeployFilesAndReadmesListExactlyTheCodeTopics) {
  for (const char* file :
       {"README.md", "deploy/README.md", "deploy/k8s/kafka-topics-job.yaml",
        "deploy/docker/docker-compose.yml"}) {
    EXPECT_EQ(TopicsNamedIn(file), CodeTopics()) << file;
  }
}

// Files that mention some topics: they must name only real ones.
TEST(TopicListTest, OtherMentionsNameOnlyCodeTopics) {
  const std::set<std::string> code = CodeTopics();
  for (const char* file : {"protos/tiendo/v1/events.proto"}) {
    for (const std::string& topic : TopicsNamedIn(file)) {
      EXPECT_TRUE(code.contains(topic)) << file << " names " << topic;
    }
  }
}

}  // namespace
}  // namespace tiendo
