#ifndef TIENDO_SERVICES_PLAN_ACCOUNT_STORE_H_
#define TIENDO_SERVICES_PLAN_ACCOUNT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/outbox.h"
#include "services/common/paging.h"
#include "services/common/revocations.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/account.pb.h"

namespace tiendo::plan {

// An account as stored: the account and its password hash ("" for a
// system, which signs in with issued tokens only).
struct StoredAccount {
  v1::Account account;
  std::string password_hash;
};

// The accounts table of the plan service's database (schema migration 5).
class AccountStore {
 public:
  // `outbox` carries AccountChanged events (revocations).
  AccountStore(Database& db, Outbox& outbox) : db_(db), outbox_(outbox) {}

  // ALREADY_EXISTS when the name is taken.
  absl::Status Create(const StoredAccount& stored);
  // NOT_FOUND when there is no such account.
  absl::StatusOr<StoredAccount> Find(const std::string& name);
  // One page of accounts by name; sets `next_page_token` when more follow.
  absl::StatusOr<std::vector<v1::Account>> List(
      const PageRequest& page = EveryRow(),
      std::string* next_page_token = nullptr);
  absl::StatusOr<int64_t> Count();
  // Raises the account's token generation, revoking every token signed so
  // far, and queues the AccountChanged that tells the other services, in
  // one transaction. NOT_FOUND when there is no such account.
  absl::StatusOr<v1::Account> RevokeTokens(const std::string& name);
  // Every account's token generation into `revocations` (at start).
  absl::Status LoadRevocations(Revocations& revocations);

 private:
  Database& db_;
  Outbox& outbox_;
};

}  // namespace tiendo::plan

#endif  // TIENDO_SERVICES_PLAN_ACCOUNT_STORE_H_
