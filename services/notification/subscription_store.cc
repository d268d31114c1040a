#include "services/notification/subscription_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"
#include "services/notification/delivery_policy.h"

namespace tiendo::notification {
namespace {

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return absl::ToUnixMicros(FromProto(ts));
}

google::protobuf::Timestamp FromMicros(int64_t us) {
  return ToProto(absl::FromUnixMicros(us));
}

bool WantsKind(const v1::Subscription& s, const std::string& kind) {
  return s.kinds().empty() ||
         std::find(s.kinds().begin(), s.kinds().end(), kind) != s.kinds().end();
}

constexpr char kDeliveryColumns[] =
    "d.delivery_key, d.agency, d.subscription_id, d.channel, d.state, "
    "d.attempts, d.next_attempt_us, d.last_error, d.sent_us, "
    "d.notification_id, d.created_us";

// Reads the columns of kDeliveryColumns starting at `first`.
v1::Delivery ReadDelivery(const Statement& q, int first = 0) {
  v1::Delivery d;
  d.set_delivery_key(q.Text(first));
  d.set_agency(q.Text(first + 1));
  d.set_subscription_id(q.Text(first + 2));
  d.set_channel(static_cast<v1::Channel>(q.Int(first + 3)));
  d.set_state(static_cast<v1::Delivery::State>(q.Int(first + 4)));
  d.set_attempts(static_cast<int32_t>(q.Int(first + 5)));
  *d.mutable_next_attempt_at() = FromMicros(q.Int(first + 6));
  d.set_last_error(q.Text(first + 7));
  // 0: not sent yet.
  if (!q.IsNull(first + 8) && q.Int(first + 8) != 0) {
    *d.mutable_sent_at() = FromMicros(q.Int(first + 8));
  }
  d.set_notification_id(q.Int(first + 9));
  *d.mutable_created_at() = FromMicros(q.Int(first + 10));
  return d;
}

}  // namespace

absl::Status SubscriptionStore::Init() {
  return db_.Transaction([&] {
    return db_.Exec(R"sql(
      CREATE TABLE IF NOT EXISTS subscriptions (
        agency TEXT NOT NULL,
        id TEXT NOT NULL,
        record BLOB NOT NULL,
        PRIMARY KEY (agency, id));
      CREATE TABLE IF NOT EXISTS deliveries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        delivery_key TEXT NOT NULL UNIQUE,
        agency TEXT NOT NULL,
        subscription_id TEXT NOT NULL,
        channel INTEGER NOT NULL,
        notification_id INTEGER NOT NULL,
        state INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_us INTEGER NOT NULL,
        last_error TEXT NOT NULL DEFAULT '',
        sent_us INTEGER,
        created_us INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS deliveries_due
        ON deliveries(state, next_attempt_us);
      CREATE INDEX IF NOT EXISTS deliveries_by_agency
        ON deliveries(agency, id);
    )sql");
  });
}

absl::StatusOr<v1::Subscription> SubscriptionStore::Set(
    const v1::Subscription& subscription) {
  if (absl::Status s = ValidateSubscription(subscription); !s.ok()) return s;
  v1::Subscription stored = subscription;
  if (stored.language().empty()) stored.set_language("vi");
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "INSERT INTO subscriptions(agency, id, record) VALUES(?, ?, ?) "
        "ON CONFLICT(agency, id) DO UPDATE SET record = excluded.record");
    if (!q.ok()) return q.status();
    const std::string record = stored.SerializeAsString();
    q->Bind(stored.agency(), stored.id(), Statement::Blob{record});
    return q->Run();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<v1::Subscription>> SubscriptionStore::List(
    const std::string& agency) {
  std::vector<v1::Subscription> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record FROM subscriptions WHERE agency = ? ORDER BY id");
    if (!q.ok()) return q.status();
    q->Bind(agency);
    return CollectStored(*q, 0, out);
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status SubscriptionStore::Delete(const std::string& agency,
                                       const std::string& id) {
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare("DELETE FROM subscriptions WHERE agency = ? AND id = ?");
    if (!q.ok()) return q.status();
    q->Bind(agency, id);
    if (absl::Status s = q->Run(); !s.ok()) return s;
    if (db_.Changes() == 0) {
      return absl::NotFoundError(
          absl::StrCat("id: ", agency, " has no subscription ", id));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<int> SubscriptionStore::AddDeliveries(
    const std::string& inbox_key, const v1::Notification& notification) {
  absl::StatusOr<Statement> subs =
      db_.Prepare("SELECT record FROM subscriptions WHERE agency = ?");
  if (!subs.ok()) return subs.status();
  subs->Bind(notification.agency());
  std::vector<v1::Subscription> subscriptions;
  if (absl::Status s = CollectStored(*subs, 0, subscriptions); !s.ok()) {
    return s;
  }
  absl::StatusOr<Statement> insert = db_.Prepare(
      "INSERT INTO deliveries(delivery_key, agency, subscription_id, channel, "
      "notification_id, state, next_attempt_us, created_us) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(delivery_key) DO NOTHING");
  if (!insert.ok()) return insert.status();
  const int64_t created = Micros(notification.created_at());
  int added = 0;
  for (const v1::Subscription& s : subscriptions) {
    if (s.channel() != v1::CHANNEL_WEBHOOK &&
        s.channel() != v1::CHANNEL_EMAIL) {
      continue;  // the inbox entry itself is the in-app delivery
    }
    if (!WantsKind(s, notification.kind())) continue;
    insert->Reset();
    insert->Bind(absl::StrCat(inbox_key, "→", s.id()), notification.agency(),
                 s.id(), static_cast<int>(s.channel()), notification.id(),
                 static_cast<int>(v1::Delivery::STATE_PENDING), created,
                 created);
    if (absl::Status st = insert->Run(); !st.ok()) return st;
    added += db_.Changes();
  }
  return added;
}

absl::StatusOr<std::vector<v1::Delivery>> SubscriptionStore::ListDeliveries(
    const std::string& agency, v1::Delivery::State state) {
  std::vector<v1::Delivery> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare(absl::StrCat("SELECT ", kDeliveryColumns,
                                 " FROM deliveries d WHERE d.agency = ?1 "
                                 "AND (?2 = 0 OR d.state = ?2) ORDER BY d.id"));
    if (!q.ok()) return q.status();
    q->Bind(agency, static_cast<int>(state));
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      out.push_back(ReadDelivery(*q));
    }
  });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<std::vector<DueDelivery>> SubscriptionStore::Due(absl::Time now,
                                                                int limit) {
  std::vector<DueDelivery> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        absl::StrCat("SELECT ", kDeliveryColumns,
                     ", s.record, i.record FROM deliveries d "
                     "LEFT JOIN subscriptions s ON s.agency = d.agency AND "
                     "s.id = d.subscription_id "
                     "JOIN inbox i ON i.id = d.notification_id "
                     "WHERE d.state IN (?1, ?2) AND d.next_attempt_us <= ?3 "
                     "ORDER BY d.next_attempt_us, d.id LIMIT ?4"));
    if (!q.ok()) return q.status();
    q->Bind(static_cast<int>(v1::Delivery::STATE_PENDING),
            static_cast<int>(v1::Delivery::STATE_FAILED),
            absl::ToUnixMicros(now), limit);
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      DueDelivery& due = out.emplace_back();
      due.delivery = ReadDelivery(*q);
      due.subscription_exists = !q->IsNull(11);
      if (due.subscription_exists) {
        absl::StatusOr<v1::Subscription> s =
            ParseStored<v1::Subscription>(*q, 11);
        if (!s.ok()) return s.status();
        due.subscription = *std::move(s);
      }
      absl::StatusOr<v1::Notification> n =
          ParseStored<v1::Notification>(*q, 12);
      if (!n.ok()) return n.status();
      due.notification = *std::move(n);
      due.notification.set_id(due.delivery.notification_id());
    }
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status SubscriptionStore::Update(const v1::Delivery& d) {
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "UPDATE deliveries SET state = ?, attempts = ?, next_attempt_us = ?, "
        "last_error = ?, sent_us = ? WHERE delivery_key = ?");
    if (!q.ok()) return q.status();
    std::optional<int64_t> sent;
    if (d.has_sent_at()) sent = Micros(d.sent_at());
    q->Bind(static_cast<int>(d.state()), d.attempts(),
            Micros(d.next_attempt_at()), d.last_error(),
            sent ? *sent : int64_t{0}, d.delivery_key());
    return q->Run();
  });
}

}  // namespace tiendo::notification
