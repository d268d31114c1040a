#ifndef TIENDO_SERVICES_COMMON_OWNER_SNAPSHOTS_H_
#define TIENDO_SERVICES_COMMON_OWNER_SNAPSHOTS_H_

#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tiendo/v1/account.pb.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo {

// The owners' snapshots a consumer rebuilds its replica from after a gap in
// the event stream (see EventHandler::StreamGap). Not for the normal path.

// An owner service: where it listens and what this service presents to it
// (TLS, and the service's own credential).
struct Owner {
  std::string address;
  std::shared_ptr<grpc::ChannelCredentials> credentials;
};

// The units of the plan service's registry.
absl::StatusOr<std::vector<v1::UnitRef>> FetchUnits(const Owner& owner);
// Every account (its name and token generation matter to the services),
// from the plan service.
absl::StatusOr<std::vector<v1::Account>> FetchAccounts(const Owner& owner);
// Every task definition, from the plan service.
absl::StatusOr<std::vector<v1::Task>> FetchTasks(const Owner& owner);
// Every task state, from the progress service; with `as_reported`,
// occurrence statuses as stored rather than computed with its clock.
absl::StatusOr<std::vector<v1::TaskState>> FetchTaskStates(
    const Owner& owner, bool as_reported = false);
// Every accepted measurement, from the progress service.
absl::StatusOr<std::vector<v1::RecordedMeasurement>> FetchMeasurements(
    const Owner& owner);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_OWNER_SNAPSHOTS_H_
