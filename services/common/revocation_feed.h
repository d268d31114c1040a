#ifndef TIENDO_SERVICES_COMMON_REVOCATION_FEED_H_
#define TIENDO_SERVICES_COMMON_REVOCATION_FEED_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/common/kafka.h"
#include "services/common/owner_snapshots.h"
#include "services/common/resyncer.h"
#include "services/common/revocations.h"
#include "services/common/sqlite.h"

namespace tiendo {

// Keeps a service's Revocations in step with the plan service's accounts:
// applies tiendo.account-changed.v1 records, read by the service's own
// consumer (give it this feed as its handler), and hands every other topic to
// the service's handler. The revocations are stored in the service's database
// in the same transaction as the consumer's offsets, so a restart loads them
// back (Load) before any call is served; a gap in the topic resyncs them from
// the plan service's accounts.
class RevocationFeed final : public EventHandler {
 public:
  RevocationFeed(EventHandler& inner, Database& db, Revocations& revocations,
                 Owner plan);
  ~RevocationFeed() override { Stop(); }

  // Reads the stored revocations into the Revocations. Call before serving.
  absl::Status Load();

  // Starts and stops the resync thread.
  void Start() { resyncer_.Start(); }
  void Stop() { resyncer_.Stop(); }

  absl::Status Apply(absl::string_view topic,
                     const v1::EventEnvelope& event) override;
  void Committed() override;
  void RolledBack() override;
  void StreamGap(absl::string_view topic, int32_t partition,
                 absl::string_view reason) override;

 private:
  absl::Status ResyncFromPlan();

  EventHandler& inner_;
  Database& db_;
  Revocations& revocations_;
  const Owner plan_;
  // Raised once the batch that stored them commits (consumer thread only).
  std::vector<std::pair<std::string, uint64_t>> pending_;
  Resyncer resyncer_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_REVOCATION_FEED_H_
