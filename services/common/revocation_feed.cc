#include "services/common/revocation_feed.h"

#include "absl/strings/str_cat.h"
#include "services/common/shared_schema.h"
#include "services/common/topics.h"

namespace tiendo {

namespace {

// Inside a transaction: raises the stored generation, never lowers it.
absl::Status Store(Database& db, const std::string& account,
                   uint64_t generation) {
  absl::StatusOr<Statement> q = db.Prepare(
      "INSERT INTO token_generations(account, generation) VALUES(?, ?) "
      "ON CONFLICT(account) DO UPDATE SET generation = "
      "MAX(generation, excluded.generation)");
  if (!q.ok()) return q.status();
  q->Bind(account, static_cast<int64_t>(generation));
  return q->Run();
}

}  // namespace

RevocationFeed::RevocationFeed(EventHandler& inner, Database& db,
                               Revocations& revocations, Owner plan)
    : inner_(inner),
      db_(db),
      revocations_(revocations),
      plan_(std::move(plan)),
      resyncer_("token revocations from plan",
                [this] { return ResyncFromPlan(); }) {}

absl::Status RevocationFeed::Load() {
  return db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT account, generation FROM token_generations");
    if (!q.ok()) return q.status();
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      revocations_.Raise(q->Text(0), static_cast<uint64_t>(q->Int(1)));
    }
  });
}

absl::Status RevocationFeed::Apply(absl::string_view topic,
                                   const v1::EventEnvelope& event) {
  if (topic != kAccountChangedTopic) return inner_.Apply(topic, event);
  if (!event.has_account_changed()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not an AccountChanged: ", event.type()));
  }
  const v1::AccountChanged& changed = event.account_changed();
  if (changed.account().empty()) {
    return absl::InvalidArgumentError("AccountChanged without an account");
  }
  if (absl::Status s =
          Store(db_, changed.account(), changed.token_generation());
      !s.ok()) {
    return s;
  }
  pending_.emplace_back(changed.account(), changed.token_generation());
  return absl::OkStatus();
}

void RevocationFeed::Committed() {
  for (const auto& [account, generation] : pending_) {
    revocations_.Raise(account, generation);
  }
  pending_.clear();
  inner_.Committed();
}

void RevocationFeed::RolledBack() {
  pending_.clear();
  inner_.RolledBack();
}

void RevocationFeed::StreamGap(absl::string_view topic, int32_t partition,
                               absl::string_view reason) {
  if (topic == kAccountChangedTopic) {
    resyncer_.Request();
    return;
  }
  inner_.StreamGap(topic, partition, reason);
}

absl::Status RevocationFeed::ResyncFromPlan() {
  absl::StatusOr<std::vector<v1::Account>> accounts = FetchAccounts(plan_);
  if (!accounts.ok()) return accounts.status();
  absl::Status stored = db_.Transaction([&]() -> absl::Status {
    for (const v1::Account& account : *accounts) {
      if (absl::Status s =
              Store(db_, account.name(), account.token_generation());
          !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  });
  if (!stored.ok()) return stored;
  for (const v1::Account& account : *accounts) {
    revocations_.Raise(account.name(), account.token_generation());
  }
  return absl::OkStatus();
}

}  // namespace tiendo
