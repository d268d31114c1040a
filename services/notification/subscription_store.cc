#include "services/notification/subscription_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/clock.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"
#include "services/notification/delivery_policy.h"
#include "services/notification/notification_message.h"
#include "services/notification/notification_schema.h"

namespace tiendo::notification {
namespace {

int64_t Micros(const google::protobuf::Timestamp& ts) {
  return absl::ToUnixMicros(FromProto(ts));
}

google::protobuf::Timestamp FromMicros(int64_t us) {
  return ToProto(absl::FromUnixMicros(us));
}

bool WantsKind(const v1::Subscription& s, v1::NotificationKind kind) {
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

// What is queued for the subscription's next digest, oldest first.
absl::StatusOr<std::vector<QueuedItem>> QueuedDigestItems(
    Database& db, const v1::Subscription& s) {
  absl::StatusOr<Statement> items = db.Prepare(
      "SELECT id, record FROM digest_items WHERE agency = ? AND "
      "subscription_id = ? ORDER BY id");
  if (!items.ok()) return items.status();
  items->Bind(s.agency(), s.id());
  std::vector<QueuedItem> queued;
  if (absl::Status read = items->ForEachRow([&](const Statement& row) {
        absl::StatusOr<v1::Notification> n =
            ParseStored<v1::Notification>(row, 1);
        if (!n.ok()) return n.status();
        queued.push_back({row.Int(0), *std::move(n)});
        return absl::OkStatus();
      });
      !read.ok()) {
    return read;
  }
  return queued;
}

// The day's digest as a pending delivery; false when that day's went out
// already.
absl::StatusOr<bool> InsertDigest(Database& db, const v1::Subscription& s,
                                  absl::CivilDay day,
                                  const v1::Notification& digest) {
  absl::StatusOr<Statement> insert = db.Prepare(
      "INSERT INTO deliveries(delivery_key, agency, subscription_id, "
      "channel, notification_id, state, next_attempt_us, created_us, "
      "record) VALUES(?, ?, ?, ?, 0, ?, ?, ?, ?) "
      "ON CONFLICT(delivery_key) DO NOTHING");
  if (!insert.ok()) return insert.status();
  const int64_t created = Micros(digest.created_at());
  insert->Bind(
      absl::StrCat("digest:", FormatDay(day), "→", s.agency(), "→", s.id()),
      s.agency(), s.id(), static_cast<int>(s.channel()),
      static_cast<int>(v1::Delivery::STATE_PENDING), created, created,
      Statement::Blob{digest.SerializeAsString()});
  if (absl::Status st = insert->Run(); !st.ok()) return st;
  return db.Changes() > 0;
}

// What was listed is done with, except what stays overdue (`keep`): it
// comes again in the next digest, as it reads now.
absl::Status RequeueForNextDigest(Database& db, const v1::Subscription& s,
                                  const std::vector<QueuedItem>& keep) {
  absl::StatusOr<Statement> clear = db.Prepare(
      "DELETE FROM digest_items WHERE agency = ? AND subscription_id = ?");
  if (!clear.ok()) return clear.status();
  clear->Bind(s.agency(), s.id());
  if (absl::Status st = clear->Run(); !st.ok()) return st;
  absl::StatusOr<Statement> insert = db.Prepare(
      "INSERT INTO digest_items(agency, subscription_id, item_key, task_id, "
      "occurrence_id, kind, record) VALUES(?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.status();
  for (const QueuedItem& item : keep) {
    insert->Reset();
    insert->Bind(s.agency(), s.id(), DigestItemKey(item.notification),
                 item.notification.task_id(), item.notification.occurrence_id(),
                 EnumWord(item.notification.kind()),
                 Statement::Blob{item.notification.SerializeAsString()});
    if (absl::Status st = insert->Run(); !st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SubscriptionStore::Init() {
  return MigrateSchema(db_, NotificationSchema()).status();
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
    if (absl::Status s = q->Run(); !s.ok()) return s;
    // The next digest is worked out afresh from the (new) digest time; a
    // subscription that no longer wants digests drops what it queued.
    return ForgetDigests(stored.agency(), stored.id(),
                         /*items=*/stored.digest_at().empty());
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<v1::Subscription>> SubscriptionStore::List(
    const std::string& agency, const PageRequest& page,
    std::string* next_page_token) {
  std::vector<v1::Subscription> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record, id FROM subscriptions WHERE agency = ? AND id > ? "
        "ORDER BY id LIMIT ?");
    if (!q.ok()) return q.status();
    q->Bind(agency, page.after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return CollectStoredPage(*q, 0, 1, cursor, out);
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
    return ForgetDigests(agency, id, /*items=*/true);
  });
}

absl::Status SubscriptionStore::ForgetDigests(const std::string& agency,
                                              const std::string& id,
                                              bool items) {
  absl::StatusOr<Statement> schedule = db_.Prepare(
      "DELETE FROM digest_schedule WHERE agency = ? AND subscription_id = ?");
  if (!schedule.ok()) return schedule.status();
  schedule->Bind(agency, id);
  if (absl::Status s = schedule->Run(); !s.ok()) return s;
  if (!items) return absl::OkStatus();
  absl::StatusOr<Statement> queued = db_.Prepare(
      "DELETE FROM digest_items WHERE agency = ? AND subscription_id = ?");
  if (!queued.ok()) return queued.status();
  queued->Bind(agency, id);
  return queued->Run();
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
  absl::StatusOr<Statement> queue = db_.Prepare(
      "INSERT INTO digest_items(agency, subscription_id, item_key, task_id, "
      "occurrence_id, kind, record) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) "
      "ON CONFLICT(agency, subscription_id, item_key) DO UPDATE SET "
      "kind = excluded.kind, record = excluded.record "
      "WHERE excluded.kind = 'overdue' OR digest_items.kind <> 'overdue'");
  if (!queue.ok()) return queue.status();
  const int64_t created = Micros(notification.created_at());
  int added = 0;
  for (const v1::Subscription& s : subscriptions) {
    if (s.channel() != v1::CHANNEL_WEBHOOK &&
        s.channel() != v1::CHANNEL_EMAIL) {
      continue;  // the inbox entry itself is the in-app delivery
    }
    if (!WantsKind(s, notification.kind())) continue;
    if (!s.digest_at().empty() && IsDigestKind(notification.kind())) {
      const std::string record = notification.SerializeAsString();
      queue->Reset();
      queue->Bind(notification.agency(), s.id(), DigestItemKey(notification),
                  notification.task_id(), notification.occurrence_id(),
                  EnumWord(notification.kind()), Statement::Blob{record});
      if (absl::Status st = queue->Run(); !st.ok()) return st;
      continue;
    }
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
    const std::string& agency, v1::Delivery::State state,
    const PageRequest& page, std::string* next_page_token) {
  absl::StatusOr<int64_t> after = AfterNumber(page);
  if (!after.ok()) return after.status();
  std::vector<v1::Delivery> out;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(absl::StrCat(
        "SELECT ", kDeliveryColumns,
        ", d.id FROM deliveries d WHERE d.agency = ?1 AND (?2 = 0 OR "
        "d.state = ?2) AND d.id > ?3 ORDER BY d.id LIMIT ?4"));
    if (!q.ok()) return q.status();
    q->Bind(agency, static_cast<int>(state), *after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return q->ForEachRow([&](const Statement& row) {
      if (cursor.Take(row.Text(11))) out.push_back(ReadDelivery(row));
    });
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
                     ", s.record, COALESCE(d.record, i.record) "
                     "FROM deliveries d "
                     "LEFT JOIN subscriptions s ON s.agency = d.agency AND "
                     "s.id = d.subscription_id "
                     "LEFT JOIN inbox i ON i.id = d.notification_id "
                     "WHERE d.state IN (?1, ?2) AND d.next_attempt_us <= ?3 "
                     "ORDER BY d.next_attempt_us, d.id LIMIT ?4"));
    if (!q.ok()) return q.status();
    q->Bind(static_cast<int>(v1::Delivery::STATE_PENDING),
            static_cast<int>(v1::Delivery::STATE_FAILED),
            absl::ToUnixMicros(now), limit);
    return q->ForEachRow([&](const Statement& row) -> absl::Status {
      DueDelivery& due = out.emplace_back();
      due.delivery = ReadDelivery(row);
      due.subscription_exists = !row.IsNull(11);
      if (due.subscription_exists) {
        absl::StatusOr<v1::Subscription> s =
            ParseStored<v1::Subscription>(row, 11);
        if (!s.ok()) return s.status();
        due.subscription = *std::move(s);
      }
      if (row.IsNull(12)) {
        return absl::DataLossError(absl::StrCat(
            "delivery ", due.delivery.delivery_key(), " has no notification"));
      }
      absl::StatusOr<v1::Notification> n =
          ParseStored<v1::Notification>(row, 12);
      if (!n.ok()) return n.status();
      due.notification = *std::move(n);
      due.notification.set_id(due.delivery.notification_id());
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return out;
}

absl::Status SubscriptionStore::DropFromDigests(
    const std::string& task_id, const std::string& occurrence_id) {
  absl::StatusOr<Statement> q =
      occurrence_id.empty()
          ? db_.Prepare("DELETE FROM digest_items WHERE task_id = ?")
          : db_.Prepare(
                "DELETE FROM digest_items WHERE task_id = ? AND "
                "occurrence_id = ?");
  if (!q.ok()) return q.status();
  if (occurrence_id.empty()) {
    q->Bind(task_id);
  } else {
    q->Bind(task_id, occurrence_id);
  }
  return q->Run();
}

absl::StatusOr<int> SubscriptionStore::ComposeDueDigests(
    absl::Time now, const std::function<bool(absl::CivilDay)>& is_working_day) {
  // The worker asks every poll: only subscriptions whose next digest is
  // due, or not scheduled yet, get a (write) transaction.
  std::vector<v1::Subscription> digesting;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT s.record FROM subscriptions s LEFT JOIN digest_schedule d "
        "ON d.agency = s.agency AND d.subscription_id = s.id "
        "WHERE d.next_us IS NULL OR d.next_us <= ? ORDER BY s.agency, s.id");
    if (!q.ok()) return q.status();
    q->Bind(absl::ToUnixMicros(now));
    std::vector<v1::Subscription> candidates;
    if (absl::Status s = CollectStored(*q, 0, candidates); !s.ok()) return s;
    for (v1::Subscription& s : candidates) {
      if (!s.digest_at().empty()) digesting.push_back(std::move(s));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  int composed = 0;
  for (const v1::Subscription& s : digesting) {
    absl::StatusOr<bool> sent = ComposeDigest(s, now, is_working_day);
    if (!sent.ok()) return sent.status();
    if (*sent) ++composed;
  }
  return composed;
}

absl::StatusOr<bool> SubscriptionStore::ComposeDigest(
    const v1::Subscription& s, absl::Time now,
    const std::function<bool(absl::CivilDay)>& is_working_day) {
  bool composed = false;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    composed = false;
    absl::StatusOr<absl::Time> next =
        NextDigestTime(s.digest_at(), now, is_working_day);
    if (!next.ok()) return next.status();
    absl::StatusOr<Statement> schedule = db_.Prepare(
        "SELECT next_us FROM digest_schedule WHERE agency = ? AND "
        "subscription_id = ?");
    if (!schedule.ok()) return schedule.status();
    schedule->Bind(s.agency(), s.id());
    absl::StatusOr<bool> scheduled = schedule->Step();
    if (!scheduled.ok()) return scheduled.status();
    absl::StatusOr<Statement> reschedule = db_.Prepare(
        "INSERT INTO digest_schedule(agency, subscription_id, next_us) "
        "VALUES(?, ?, ?) ON CONFLICT(agency, subscription_id) DO UPDATE SET "
        "next_us = excluded.next_us");
    if (!reschedule.ok()) return reschedule.status();
    reschedule->Bind(s.agency(), s.id(), absl::ToUnixMicros(*next));
    // A new subscription's first digest is the next one to come.
    if (!*scheduled) return reschedule->Run();
    if (absl::FromUnixMicros(schedule->Int(0)) > now) return absl::OkStatus();
    // A digest goes out at its time of a working day, or later that day
    // when the service was down then; one missed on an earlier day is not
    // sent at night or before today's time: today's digest lists it all.
    const absl::CivilDay day = LocalDay(now);
    absl::StatusOr<absl::Time> due_today =
        NextDigestTime(s.digest_at(), StartOfLocalDay(day) - absl::Seconds(1),
                       [day](absl::CivilDay d) { return d == day; });
    if (!is_working_day(day) || !due_today.ok() || now < *due_today) {
      return reschedule->Run();
    }

    absl::StatusOr<std::vector<QueuedItem>> queued = QueuedDigestItems(db_, s);
    if (!queued.ok()) return queued.status();
    DigestPlan plan = PlanDigest(s.agency(), day, *queued);
    if (plan.digest.items_size() > 0) {
      *plan.digest.mutable_created_at() = ToProto(now);
      absl::StatusOr<bool> inserted = InsertDigest(db_, s, day, plan.digest);
      if (!inserted.ok()) return inserted.status();
      composed = *inserted;
      // Today's digest went out already (the subscription was set again
      // today): what is queued waits for the next one.
      if (!composed) return reschedule->Run();
    }
    if (absl::Status st = RequeueForNextDigest(db_, s, plan.keep); !st.ok()) {
      return st;
    }
    return reschedule->Run();
  });
  if (!status.ok()) return status;
  return composed;
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
