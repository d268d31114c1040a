// Statement::ForEachRow: every row once, in order; an error from SQLite or
// from the caller ends the walk.
#include "services/common/sqlite.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_database.h"

namespace tiendo {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::tiendo::testing::InMemoryDatabase;

class ForEachRowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = InMemoryDatabase();
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Transaction([&] {
                     return db_->Exec(
                         "CREATE TABLE words(seq INTEGER, word TEXT);"
                         "INSERT INTO words VALUES(1, 'một'), (2, 'hai'), "
                         "(3, 'ba');");
                   })
                    .ok());
  }

  // Runs `read` over the words from `first` on, in order.
  absl::Status ReadWords(
      int first, absl::FunctionRef<absl::Status(const Statement&)> read) {
    return db_->Read([&]() -> absl::Status {
      absl::StatusOr<Statement> q = db_->Prepare(
          "SELECT seq, word FROM words WHERE seq >= ? ORDER BY seq");
      if (!q.ok()) return q.status();
      q->Bind(first);
      return q->ForEachRow(read);
    });
  }

  std::unique_ptr<Database> db_;
};

TEST_F(ForEachRowTest, VisitsEveryRowInOrder) {
  std::vector<std::string> words;
  ASSERT_TRUE(ReadWords(1, [&](const Statement& row) {
                words.push_back(absl::StrCat(row.Int(0), ":", row.Text(1)));
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(words, ElementsAre("1:một", "2:hai", "3:ba"));
}

TEST_F(ForEachRowTest, NoRowsCallsNothing) {
  std::vector<std::string> words;
  ASSERT_TRUE(ReadWords(4, [&](const Statement& row) {
                words.push_back(row.Text(1));
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(words, IsEmpty());
}

TEST_F(ForEachRowTest, CallbackErrorStopsTheWalk) {
  std::vector<std::string> words;
  const absl::Status status = ReadWords(1, [&](const Statement& row) {
    words.push_back(row.Text(1));
    if (row.Int(0) == 2) return absl::DataLossError("unreadable row 2");
    return absl::OkStatus();
  });
  EXPECT_EQ(status, absl::DataLossError("unreadable row 2"));
  EXPECT_THAT(words, ElementsAre("một", "hai"));
}

TEST_F(ForEachRowTest, CallbackThatCannotFailReadsEveryRow) {
  std::vector<int64_t> seqs;
  ASSERT_TRUE(db_->Read([&]() -> absl::Status {
                   absl::StatusOr<Statement> q =
                       db_->Prepare("SELECT seq FROM words ORDER BY seq DESC");
                   if (!q.ok()) return q.status();
                   return q->ForEachRow([&](const Statement& row) {
                     seqs.push_back(row.Int(0));
                   });
                 })
                  .ok());
  EXPECT_THAT(seqs, ElementsAre(3, 2, 1));
}

TEST_F(ForEachRowTest, SqliteErrorIsReturned) {
  // Too large for an integer: SQLite fails the step, not the prepare.
  const absl::Status status = db_->Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_->Prepare("SELECT abs(-9223372036854775807 - 1) FROM words");
    if (!q.ok()) return q.status();
    return q->ForEachRow([](const Statement&) {});
  });
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace tiendo
