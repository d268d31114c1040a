// Inbox entries, digests and subscriptions stored when notification kinds
// were words keep their kinds after the schema migration that made them
// enum values.
#include "services/notification/stored_kinds.h"

#include <google/protobuf/unknown_field_set.h>

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/schema_migrations.h"
#include "services/common/sqlite.h"
#include "services/common/stored_proto.h"
#include "services/notification/notification_schema.h"
#include "tests/support/test_database.h"

namespace tiendo::notification {
namespace {

using ::tiendo::testing::InMemoryDatabase;
// A notification as serialized when `kind` was a string in field 3.
v1::Notification WithKindWord(const std::string& word) {
  v1::Notification n;
  n.set_agency("vinhthuy.congan");
  n.set_task_id("vt#I.1");
  n.GetReflection()->MutableUnknownFields(&n)->AddLengthDelimited(3, word);
  return n;
}

std::string DigestRecordOfBefore() {
  v1::Notification digest = WithKindWord("digest");
  *digest.add_items() = WithKindWord("overdue");
  *digest.add_items() = WithKindWord("reminder");
  return digest.SerializeAsString();
}

std::string SubscriptionRecordOfBefore() {
  v1::Subscription s;
  s.set_agency("vinhthuy.congan");
  s.set_id("mail");
  auto* unknown = s.GetReflection()->MutableUnknownFields(&s);
  unknown->AddLengthDelimited(4, "reminder");
  unknown->AddLengthDelimited(4, "report_due");
  return s.SerializeAsString();
}

TEST(StoredKindsTest, WordsBecomeEnumValues) {
  v1::Notification n;
  ASSERT_TRUE(n.ParseFromString(DigestRecordOfBefore()));
  EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_UNSPECIFIED);
  EXPECT_TRUE(UpgradeKindWords(n));
  EXPECT_EQ(n.kind(), v1::NOTIFICATION_KIND_DIGEST);
  ASSERT_EQ(n.items_size(), 2);
  EXPECT_EQ(n.items(0).kind(), v1::NOTIFICATION_KIND_OVERDUE);
  EXPECT_EQ(n.items(1).kind(), v1::NOTIFICATION_KIND_REMINDER);
  EXPECT_EQ(n.GetReflection()->GetUnknownFields(n).field_count(), 0);
  EXPECT_FALSE(UpgradeKindWords(n)) << "a second pass changes nothing";
}

TEST(StoredKindsTest, MigrationUpgradesEveryStoredRecord) {
  std::unique_ptr<Database> db = InMemoryDatabase();
  ASSERT_NE(db, nullptr);
  Database& d = *db;
  ASSERT_TRUE(MigrateSchema(d, NotificationSchema(), 5).ok());
  ASSERT_TRUE(
      d.Exec(absl::StrCat("INSERT INTO inbox(agency, delivery_key, record) "
                          "VALUES('vinhthuy.congan', 'k1', X'",
                          absl::BytesToHexString(
                              WithKindWord("at_risk").SerializeAsString()),
                          "');"
                          "INSERT INTO subscriptions(agency, id, record) "
                          "VALUES('vinhthuy.congan', 'mail', X'",
                          absl::BytesToHexString(SubscriptionRecordOfBefore()),
                          "');"
                          "INSERT INTO deliveries(delivery_key, agency, "
                          "subscription_id, channel, notification_id, state, "
                          "next_attempt_us, created_us, record) VALUES('d1', "
                          "'vinhthuy.congan', 'mail', 1, 0, 0, 0, 0, X'",
                          absl::BytesToHexString(DigestRecordOfBefore()), "')"))
          .ok());

  absl::StatusOr<MigrationResult> migrated =
      MigrateSchema(d, NotificationSchema());
  ASSERT_TRUE(migrated.ok()) << migrated.status();
  // Migration 6 and those after it.
  EXPECT_EQ(migrated->applied, NotificationSchema().Latest() - 5);

  absl::StatusOr<Statement> q = d.Prepare(
      "SELECT (SELECT record FROM inbox), (SELECT record FROM subscriptions), "
      "(SELECT record FROM deliveries)");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(ParseStored<v1::Notification>(*q, 0)->kind(),
            v1::NOTIFICATION_KIND_AT_RISK);
  const v1::Subscription s = *ParseStored<v1::Subscription>(*q, 1);
  ASSERT_EQ(s.kinds_size(), 2);
  EXPECT_EQ(s.kinds(0), v1::NOTIFICATION_KIND_REMINDER);
  EXPECT_EQ(s.kinds(1), v1::NOTIFICATION_KIND_REPORT_DUE);
  const v1::Notification digest = *ParseStored<v1::Notification>(*q, 2);
  EXPECT_EQ(digest.kind(), v1::NOTIFICATION_KIND_DIGEST);
  EXPECT_EQ(digest.items(1).kind(), v1::NOTIFICATION_KIND_REMINDER);
}

}  // namespace
}  // namespace tiendo::notification
