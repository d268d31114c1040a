#ifndef TIENDO_SERVICES_COMMON_CHANGE_NOTIFIER_H_
#define TIENDO_SERVICES_COMMON_CHANGE_NOTIFIER_H_

#include <cstdint>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace tiendo {

// Lets streaming RPCs sleep until the state they watch may have changed.
class ChangeNotifier {
 public:
  uint64_t generation() const {
    absl::MutexLock lock(&mu_);
    return generation_;
  }

  void Notify() {
    absl::MutexLock lock(&mu_);
    ++generation_;
  }

  // Waits until the generation differs from `seen` or the timeout passes;
  // returns the current generation. Streams wake up at least every timeout
  // to notice a cancelled client.
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return generation_ != seen;
    };
    mu_.AwaitWithTimeout(absl::Condition(&changed), timeout);
    return generation_;
  }

 private:
  mutable absl::Mutex mu_;
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_CHANGE_NOTIFIER_H_
