#include "services/common/revocations.h"

namespace tiendo {

void Revocations::Raise(const std::string& account, uint64_t generation) {
  absl::MutexLock lock(&mu_);
  uint64_t& valid_from = valid_from_[account];
  if (generation > valid_from) valid_from = generation;
}

bool Revocations::Revoked(const v1::Account& account) const {
  return account.token_generation() < ValidFrom(account.name());
}

uint64_t Revocations::ValidFrom(const std::string& account) const {
  absl::MutexLock lock(&mu_);
  auto it = valid_from_.find(account);
  return it == valid_from_.end() ? 0 : it->second;
}

}  // namespace tiendo
