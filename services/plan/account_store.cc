#include "services/plan/account_store.h"

#include "absl/strings/str_cat.h"
#include "services/common/stored_proto.h"
#include "services/common/topics.h"

namespace tiendo::plan {

absl::Status AccountStore::Create(const StoredAccount& stored) {
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "INSERT INTO accounts(name, record, password_hash) VALUES(?, ?, ?) "
        "ON CONFLICT(name) DO NOTHING");
    if (!q.ok()) return q.status();
    const std::string record = stored.account.SerializeAsString();
    q->Bind(stored.account.name(), Statement::Blob{record},
            stored.password_hash);
    if (absl::Status s = q->Run(); !s.ok()) return s;
    if (db_.Changes() == 0) {
      return absl::AlreadyExistsError(absl::StrCat(
          "account.name: ", stored.account.name(), " already exists"));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<StoredAccount> AccountStore::Find(const std::string& name) {
  StoredAccount stored;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record, password_hash FROM accounts WHERE name = ?");
    if (!q.ok()) return q.status();
    q->Bind(name);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(absl::StrCat("account: ", name, " unknown"));
    }
    absl::StatusOr<v1::Account> account = ParseStored<v1::Account>(*q, 0);
    if (!account.ok()) return account.status();
    stored.account = *std::move(account);
    stored.password_hash = q->Text(1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::StatusOr<std::vector<v1::Account>> AccountStore::List(
    const PageRequest& page, std::string* next_page_token) {
  std::vector<v1::Account> accounts;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT record, name FROM accounts WHERE name > ? ORDER BY name "
        "LIMIT ?");
    if (!q.ok()) return q.status();
    q->Bind(page.after, page.Limit());
    PageCursor cursor(page, next_page_token);
    return CollectStoredPage(*q, 0, 1, cursor, accounts);
  });
  if (!status.ok()) return status;
  return accounts;
}

absl::StatusOr<int64_t> AccountStore::Count() {
  int64_t count = 0;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare("SELECT COUNT(*) FROM accounts");
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    count = q->Int(0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

namespace {

v1::EventEnvelope AccountChangedEvent(const v1::Account& account) {
  v1::EventEnvelope envelope;
  envelope.set_type("tiendo.v1.AccountChanged");
  envelope.set_unit(account.unit());
  v1::AccountChanged& changed = *envelope.mutable_account_changed();
  changed.set_account(account.name());
  changed.set_token_generation(account.token_generation());
  return envelope;
}

}  // namespace

absl::StatusOr<v1::Account> AccountStore::RevokeTokens(
    const std::string& name) {
  v1::Account account;
  absl::Status status = db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> read =
        db_.Prepare("SELECT record FROM accounts WHERE name = ?");
    if (!read.ok()) return read.status();
    read->Bind(name);
    absl::StatusOr<bool> row = read->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(absl::StrCat("account: ", name, " unknown"));
    }
    absl::StatusOr<v1::Account> stored = ParseStored<v1::Account>(*read, 0);
    if (!stored.ok()) return stored.status();
    account = *std::move(stored);
    account.set_token_generation(account.token_generation() + 1);
    absl::StatusOr<Statement> write =
        db_.Prepare("UPDATE accounts SET record = ? WHERE name = ?");
    if (!write.ok()) return write.status();
    write->Bind(Statement::Blob{account.SerializeAsString()}, name);
    if (absl::Status s = write->Run(); !s.ok()) return s;
    return outbox_.Append(kAccountChangedTopic, name,
                          AccountChangedEvent(account));
  });
  if (!status.ok()) return status;
  return account;
}

absl::Status AccountStore::LoadRevocations(Revocations& revocations) {
  absl::StatusOr<std::vector<v1::Account>> accounts = List();
  if (!accounts.ok()) return accounts.status();
  for (const v1::Account& account : *accounts) {
    revocations.Raise(account.name(), account.token_generation());
  }
  return absl::OkStatus();
}

}  // namespace tiendo::plan
