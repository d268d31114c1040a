#include "services/notification/stored_kinds.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/unknown_field_set.h>
#include <google/protobuf/wire_format_lite.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/common/enum_words.h"

namespace tiendo::notification {
namespace {

using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

// The text values of unknown field `number`, removed from `fields`.
std::vector<std::string> TakeWords(UnknownFieldSet& fields, int number) {
  std::vector<std::string> words;
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& f = fields.field(i);
    if (f.number() == number &&
        f.type() == UnknownField::TYPE_LENGTH_DELIMITED) {
      words.push_back(f.length_delimited());
    }
  }
  if (!words.empty()) fields.DeleteByNumber(number);
  return words;
}

v1::NotificationKind KindOf(const std::string& word) {
  return EnumFromWord<v1::NotificationKind>(word).value_or(
      v1::NOTIFICATION_KIND_UNSPECIFIED);
}

// The text values of field `number` in serialized `bytes`, read off the
// wire: a repeated enum parses such values as packed numbers, so they
// cannot be recovered after parsing.
std::vector<std::string> WordsOnTheWire(const std::string& bytes, int number) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  std::vector<std::string> words;
  while (const uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == number &&
        WireFormatLite::GetTagWireType(tag) ==
            WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      if (!WireFormatLite::ReadString(&in, &words.emplace_back())) break;
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      break;
    }
  }
  return words;
}

// The record upgraded, nullopt when it needs nothing.
using Upgrade = std::function<absl::StatusOr<std::optional<std::string>>(
    const std::string&)>;

// Rewrites the record of every row `select` gives (rowid, record) with
// `upgrade`, through `update` (record, rowid).
absl::Status UpgradeTable(Database& db, const char* select, const char* update,
                          const Upgrade& upgrade) {
  absl::StatusOr<Statement> rows = db.Prepare(select);
  if (!rows.ok()) return rows.status();
  absl::StatusOr<Statement> write = db.Prepare(update);
  if (!write.ok()) return write.status();
  for (;;) {
    absl::StatusOr<bool> more = rows->Step();
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    absl::StatusOr<std::optional<std::string>> record = upgrade(rows->Text(1));
    if (!record.ok()) {
      return absl::DataLossError(
          absl::StrCat(record.status().message(), " in row ", rows->Int(0)));
    }
    if (!record->has_value()) continue;
    write->Reset();
    write->Bind(Statement::Blob{**record}, rows->Int(0));
    if (absl::Status s = write->Run(); !s.ok()) return s;
  }
}

absl::StatusOr<std::optional<std::string>> UpgradeNotificationRecord(
    const std::string& bytes) {
  v1::Notification n;
  if (!n.ParseFromString(bytes)) {
    return absl::DataLossError("unreadable stored Notification");
  }
  if (!UpgradeKindWords(n)) return std::nullopt;
  return n.SerializeAsString();
}

absl::StatusOr<std::optional<std::string>> UpgradeSubscriptionRecord(
    const std::string& bytes) {
  absl::StatusOr<v1::Subscription> s = SubscriptionOfBefore(bytes);
  if (!s.ok()) return s.status();
  return s->SerializeAsString();
}

}  // namespace

bool UpgradeKindWords(v1::Notification& notification) {
  bool changed = false;
  UnknownFieldSet* fields =
      notification.GetReflection()->MutableUnknownFields(&notification);
  for (const std::string& word : TakeWords(*fields, 3)) {
    if (notification.kind() == v1::NOTIFICATION_KIND_UNSPECIFIED) {
      notification.set_kind(KindOf(word));
    }
    changed = true;
  }
  for (v1::Notification& item : *notification.mutable_items()) {
    changed = UpgradeKindWords(item) || changed;
  }
  return changed;
}

absl::StatusOr<v1::Subscription> SubscriptionOfBefore(
    const std::string& record) {
  v1::Subscription subscription;
  if (!subscription.ParseFromString(record)) {
    return absl::DataLossError("unreadable stored Subscription");
  }
  subscription.clear_kinds();
  for (const std::string& word : WordsOnTheWire(record, 4)) {
    const v1::NotificationKind kind = KindOf(word);
    if (kind != v1::NOTIFICATION_KIND_UNSPECIFIED) subscription.add_kinds(kind);
  }
  return subscription;
}

absl::Status UpgradeStoredKinds(Database& db) {
  if (absl::Status s =
          UpgradeTable(db, "SELECT id, record FROM inbox",
                       "UPDATE inbox SET record = ?1 WHERE id = ?2",
                       UpgradeNotificationRecord);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          UpgradeTable(db, "SELECT id, record FROM digest_items",
                       "UPDATE digest_items SET record = ?1 WHERE id = ?2",
                       UpgradeNotificationRecord);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = UpgradeTable(
          db, "SELECT id, record FROM deliveries WHERE record IS NOT NULL",
          "UPDATE deliveries SET record = ?1 WHERE id = ?2",
          UpgradeNotificationRecord);
      !s.ok()) {
    return s;
  }
  return UpgradeTable(db, "SELECT rowid, record FROM subscriptions",
                      "UPDATE subscriptions SET record = ?1 WHERE rowid = ?2",
                      UpgradeSubscriptionRecord);
}

}  // namespace tiendo::notification
