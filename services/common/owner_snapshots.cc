#include "services/common/owner_snapshots.h"

#include <grpcpp/grpcpp.h>

#include "services/common/unit_ref.h"
#include "tiendo/v1/plan.grpc.pb.h"
#include "tiendo/v1/progress.grpc.pb.h"

namespace tiendo {
namespace {

// A snapshot of a whole province is far above gRPC's default 4 MiB.
constexpr int kMaxSnapshotBytes = 1 << 30;

std::shared_ptr<grpc::Channel> Channel(const Owner& owner) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxSnapshotBytes);
  return grpc::CreateCustomChannel(owner.address, owner.credentials, args);
}

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(120));
}

}  // namespace

absl::StatusOr<std::vector<v1::UnitRef>> FetchUnits(const Owner& owner) {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ListUnitsResponse response;
  grpc::Status status =
      v1::PlanService::NewStub(Channel(owner))
          ->ListUnits(&context, v1::ListUnitsRequest(), &response);
  if (!status.ok()) {
    return absl::UnavailableError("plan service: " + status.error_message());
  }
  std::vector<v1::UnitRef> units;
  for (const v1::RegistryUnit& u : response.units()) {
    v1::UnitRef& ref = units.emplace_back();
    ref.set_code(u.code());
    ref.set_name(u.name());
    SetLevel(u.level(), ref);
    ref.set_parent(u.parent());
  }
  return units;
}

absl::StatusOr<std::vector<v1::Task>> FetchTasks(const Owner& owner) {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ListTasksResponse response;
  grpc::Status status =
      v1::PlanService::NewStub(Channel(owner))
          ->ListTasks(&context, v1::ListTasksRequest(), &response);
  if (!status.ok()) {
    return absl::UnavailableError("plan service: " + status.error_message());
  }
  return std::vector<v1::Task>(response.tasks().begin(),
                               response.tasks().end());
}

absl::StatusOr<std::vector<v1::TaskState>> FetchTaskStates(const Owner& owner,
                                                           bool as_reported) {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ListTaskStatesRequest request;
  request.set_as_reported(as_reported);
  v1::ListTaskStatesResponse response;
  grpc::Status status = v1::ProgressService::NewStub(Channel(owner))
                            ->ListTaskStates(&context, request, &response);
  if (!status.ok()) {
    return absl::UnavailableError("progress service: " +
                                  status.error_message());
  }
  return std::vector<v1::TaskState>(response.states().begin(),
                                    response.states().end());
}

absl::StatusOr<std::vector<v1::RecordedMeasurement>> FetchMeasurements(
    const Owner& owner) {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::ListMeasurementsResponse response;
  grpc::Status status =
      v1::ProgressService::NewStub(Channel(owner))
          ->ListMeasurements(&context, v1::ListMeasurementsRequest(),
                             &response);
  if (!status.ok()) {
    return absl::UnavailableError("progress service: " +
                                  status.error_message());
  }
  return std::vector<v1::RecordedMeasurement>(response.measurements().begin(),
                                              response.measurements().end());
}

}  // namespace tiendo
