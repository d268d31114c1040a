#ifndef TIENDO_TESTS_SUPPORT_TEST_DATABASE_H_
#define TIENDO_TESTS_SUPPORT_TEST_DATABASE_H_

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/sqlite.h"

namespace tiendo::testing {

// A fresh database in memory; null, with a test failure, when SQLite
// cannot open one.
inline std::unique_ptr<Database> InMemoryDatabase() {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

// A database file of its own for a test that reopens its store: named
// after `name` and the process, gone before the test (a file a crashed run
// left) and after it, with SQLite's WAL and shared-memory files.
class TestDbFile {
 public:
  explicit TestDbFile(const std::string& name)
      : path_(absl::StrCat(::testing::TempDir(), "/", name, "-", getpid(),
                           ".db")) {
    Remove();
  }
  ~TestDbFile() { Remove(); }
  TestDbFile(const TestDbFile&) = delete;
  TestDbFile& operator=(const TestDbFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  void Remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((path_ + suffix).c_str());
    }
  }

  std::string path_;
};

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_TEST_DATABASE_H_
