// Every store's database, made at each earlier shipped schema version (by
// applying its migrations 1..k, with and without the version stamped, as
// the code before versions made it), is brought by the current code to the
// schema a fresh database gets, with its rows intact.
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/aggregation/aggregation_store.h"
#include "services/common/clock.h"
#include "services/common/outbox.h"
#include "services/common/schema_migrations.h"
#include "services/notification/inbox_store.h"
#include "services/notification/notification_schema.h"
#include "services/plan/plan_store.h"
#include "services/progress/progress_schema.h"
#include "services/progress/progress_store.h"

namespace tiendo {
namespace {

using ::testing::HasSubstr;

// One store as its service opens it: its schema, and its Init().
class OpenedStore {
 public:
  virtual ~OpenedStore() = default;
  virtual Schema DatabaseSchema() = 0;
  virtual absl::Status Init() = 0;
};

class PlanUnderTest : public OpenedStore {
 public:
  explicit PlanUnderTest(Database& db)
      : outbox_(db, "plan", clock_), store_(db, outbox_) {}
  Schema DatabaseSchema() override { return store_.DatabaseSchema(); }
  absl::Status Init() override { return store_.Init(); }

 private:
  SystemClock clock_;
  Outbox outbox_;
  plan::PlanStore store_;
};

class ProgressUnderTest : public OpenedStore {
 public:
  explicit ProgressUnderTest(Database& db)
      : outbox_(db, "progress", clock_), store_(db, outbox_) {}
  Schema DatabaseSchema() override { return progress::ProgressSchema(); }
  absl::Status Init() override { return store_.Init(); }

 private:
  SystemClock clock_;
  Outbox outbox_;
  progress::ProgressStore store_;
};

class NotificationUnderTest : public OpenedStore {
 public:
  explicit NotificationUnderTest(Database& db) : store_(db) {}
  Schema DatabaseSchema() override {
    return notification::NotificationSchema();
  }
  absl::Status Init() override { return store_.Init(); }

 private:
  notification::InboxStore store_;
};

class AggregationUnderTest : public OpenedStore {
 public:
  explicit AggregationUnderTest(Database& db)
      : store_(db, aggregation::UnitTree::Default()) {}
  Schema DatabaseSchema() override { return store_.DatabaseSchema(); }
  absl::Status Init() override { return store_.Init(); }

 private:
  aggregation::AggregationStore store_;
};

// Rows written at some version, and what must be found of them after.
struct Row {
  int since;           // the first version with the table
  std::string insert;  // SQL
  std::string count;   // SQL counting the row (or what it became) after
  // The last version with the table (a later migration takes it over).
  int until = std::numeric_limits<int>::max();
};

struct StoreCase {
  std::string name;
  std::function<std::unique_ptr<OpenedStore>(Database&)> open;
  std::vector<Row> rows;
};

std::string Task(const std::string& id) {
  v1::Task task;
  task.set_id(id);
  task.set_version(1);
  task.set_unit("vinh-thuy");
  return task.SerializeAsString();
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "x'";
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out + "'";
}

std::vector<StoreCase> Cases() {
  return {
      {"plan",
       [](Database& db) { return std::make_unique<PlanUnderTest>(db); },
       {{1, "INSERT INTO plans VALUES('p1', 'vinh-thuy', x'0a02')",
         "SELECT COUNT(*) FROM plans WHERE id = 'p1' AND record = x'0a02'"},
        {1,
         "INSERT INTO outbox(topic, key, type, payload) VALUES('t', 'k', "
         "'e', x'01')",
         "SELECT COUNT(*) FROM outbox WHERE key = 'k'"},
        {2, "INSERT INTO registry VALUES(1, '{}')",
         "SELECT COUNT(*) FROM registry WHERE document = '{}'"}}},
      {"progress",
       [](Database& db) { return std::make_unique<ProgressUnderTest>(db); },
       {{1,
         "INSERT INTO reports(report_id, task_id, record) VALUES('r1', "
         "'t1', x'08')",
         "SELECT COUNT(*) FROM reports WHERE report_id = 'r1'"},
        {1, "INSERT INTO consumer_offsets VALUES('tiendo.plan.v1', 0, 7)",
         "SELECT COUNT(*) FROM consumer_offsets WHERE next_offset = 7"},
        {2,
         "INSERT INTO measurements(task_id, indicator, unit, as_of, "
         "numerator, denominator, report_id) VALUES('t1', 'k1', 'u', "
         "'2026-06-30', 1, 2, 'r1')",
         "SELECT COUNT(*) FROM measurements WHERE numerator = 1"}}},
      {"notification",
       [](Database& db) { return std::make_unique<NotificationUnderTest>(db); },
       {{1,
         "INSERT INTO inbox(agency, delivery_key, record) VALUES('a', "
         "'k1', x'')",
         "SELECT COUNT(*) FROM inbox WHERE delivery_key = 'k1'"},
        {3, "INSERT INTO subscriptions VALUES('a', 's1', x'')",
         "SELECT COUNT(*) FROM subscriptions WHERE id = 's1'"},
        {3,
         "INSERT INTO deliveries(delivery_key, agency, subscription_id, "
         "channel, notification_id, state, next_attempt_us, created_us) "
         "VALUES('d1', 'a', 's1', 1, 1, 1, 5, 5)",
         "SELECT COUNT(*) FROM deliveries WHERE delivery_key = 'd1' AND "
         "record IS NULL"}}},
      {"aggregation",
       [](Database& db) { return std::make_unique<AggregationUnderTest>(db); },
       // The first schema's latest definition per task becomes the first
       // entry of the task's history.
       {{1,
         "INSERT INTO task_definitions VALUES('t1', 1, " + Hex(Task("t1")) +
             ")",
         "SELECT COUNT(*) FROM changes WHERE task_id = 't1'", 2}}},
  };
}

std::unique_ptr<Database> OpenDb() {
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status();
  return db.ok() ? *std::move(db) : nullptr;
}

int64_t Count(Database& db, const std::string& sql) {
  int64_t n = -1;
  EXPECT_TRUE(db.Read([&]() -> absl::Status {
                  absl::StatusOr<Statement> q = db.Prepare(sql);
                  if (!q.ok()) return q.status();
                  absl::StatusOr<bool> row = q->Step();
                  if (!row.ok()) return row.status();
                  n = q->Int(0);
                  return absl::OkStatus();
                }).ok())
      << sql;
  return n;
}

// The schema as SQLite keeps it, one line per table, index and sequence.
std::vector<std::string> Shape(Database& db) {
  std::vector<std::string> shape;
  EXPECT_TRUE(db.Read([&]() -> absl::Status {
                  absl::StatusOr<Statement> q = db.Prepare(
                      "SELECT type || ' ' || name || ' ON ' || tbl_name || "
                      "': ' || IFNULL(sql, '') FROM sqlite_master "
                      "ORDER BY type, name");
                  if (!q.ok()) return q.status();
                  for (;;) {
                    absl::StatusOr<bool> row = q->Step();
                    if (!row.ok()) return row.status();
                    if (!*row) return absl::OkStatus();
                    shape.push_back(q->Text(0));
                  }
                }).ok());
  return shape;
}

std::vector<std::string> FreshShape(const StoreCase& c) {
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<OpenedStore> store = c.open(*db);
  EXPECT_TRUE(store->Init().ok());
  EXPECT_EQ(*SchemaVersion(*db), store->DatabaseSchema().Latest());
  return Shape(*db);
}

absl::Status Exec(Database& db, const std::string& sql) {
  return db.Transaction([&] { return db.Exec(sql); });
}

// A database of version k with the rows of its tables; `unversioned`: as
// made by the code before versions were kept.
void MakeOlder(Database& db, const StoreCase& c, int k, bool unversioned) {
  std::unique_ptr<OpenedStore> store = c.open(db);
  absl::StatusOr<MigrationResult> made =
      MigrateSchema(db, store->DatabaseSchema(), k);
  ASSERT_TRUE(made.ok()) << made.status();
  ASSERT_EQ(*SchemaVersion(db), k);
  for (const Row& row : c.rows) {
    if (row.since > k || row.until < k) continue;
    ASSERT_TRUE(Exec(db, row.insert).ok()) << row.insert;
  }
  if (unversioned) {
    ASSERT_TRUE(Exec(db, "PRAGMA user_version = 0").ok());
  }
}

class SchemaMigrationTest : public ::testing::TestWithParam<StoreCase> {};

TEST_P(SchemaMigrationTest, EveryEarlierVersionIsBroughtUpToDate) {
  const StoreCase& c = GetParam();
  const std::vector<std::string> fresh = FreshShape(c);
  std::unique_ptr<Database> probe = OpenDb();
  const int latest = c.open(*probe)->DatabaseSchema().Latest();
  ASSERT_GE(latest, 2);
  for (bool unversioned : {false, true}) {
    for (int k = 1; k < latest; ++k) {
      SCOPED_TRACE(testing::Message() << c.name << " at version " << k
                                      << (unversioned ? " unversioned" : ""));
      std::unique_ptr<Database> db = OpenDb();
      MakeOlder(*db, c, k, unversioned);
      std::unique_ptr<OpenedStore> store = c.open(*db);
      absl::Status opened = store->Init();
      ASSERT_TRUE(opened.ok()) << opened;
      EXPECT_EQ(*SchemaVersion(*db), latest);
      EXPECT_EQ(Shape(*db), fresh);
      for (const Row& row : c.rows) {
        if (row.since > k || row.until < k) continue;
        EXPECT_EQ(Count(*db, row.count), 1) << row.count;
      }
      // Opening again changes nothing.
      ASSERT_TRUE(store->Init().ok());
      EXPECT_EQ(Shape(*db), fresh);
    }
  }
}

TEST_P(SchemaMigrationTest, NewerDatabaseIsRefused) {
  const StoreCase& c = GetParam();
  std::unique_ptr<Database> db = OpenDb();
  std::unique_ptr<OpenedStore> store = c.open(*db);
  ASSERT_TRUE(store->Init().ok());
  const int latest = store->DatabaseSchema().Latest();
  ASSERT_TRUE(
      Exec(*db, "PRAGMA user_version = " + std::to_string(latest + 1)).ok());
  absl::Status opened = store->Init();
  EXPECT_EQ(opened.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(opened.message(), HasSubstr("newer than this program knows"));
  EXPECT_THAT(opened.message(), HasSubstr(c.name));
}

INSTANTIATE_TEST_SUITE_P(Stores, SchemaMigrationTest,
                         ::testing::ValuesIn(Cases()),
                         [](const auto& param_info) {
                           return param_info.param.name;
                         });

// A migration that fails leaves the database at the version before it, and
// nothing of it behind.
TEST(MigrateSchemaTest, FailedMigrationIsRolledBack) {
  std::unique_ptr<Database> db = OpenDb();
  Schema schema;
  schema.name = "toy";
  schema.migrations.push_back(
      SqlMigration(1, "a", "a", "CREATE TABLE a (x INTEGER)"));
  schema.migrations.push_back(SqlMigration(
      2, "b", "b",
      "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES(1)"));
  absl::StatusOr<MigrationResult> result = MigrateSchema(*db, schema);
  EXPECT_THAT(result.status().message(), HasSubstr("toy schema migration 2"));
  EXPECT_EQ(*SchemaVersion(*db), 1);
  EXPECT_EQ(Count(*db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'b'"),
            0);
}

TEST(MigrateSchemaTest, MisnumberedMigrationsAreRefused) {
  std::unique_ptr<Database> db = OpenDb();
  Schema schema;
  schema.name = "toy";
  schema.migrations.push_back(SqlMigration(2, "a", "a", "SELECT 1"));
  EXPECT_FALSE(MigrateSchema(*db, schema).ok());
}

}  // namespace
}  // namespace tiendo
