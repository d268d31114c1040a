#include "services/common/owner_snapshots.h"

#include <grpcpp/grpcpp.h>

#include "services/common/page_loop.h"
#include "services/common/paging.h"
#include "services/common/unit_ref.h"
#include "tiendo/v1/account.grpc.pb.h"
#include "tiendo/v1/plan.grpc.pb.h"
#include "tiendo/v1/progress.grpc.pb.h"

namespace tiendo {
namespace {

// A page of kMaxPageSize task states of a province can pass gRPC's default
// 4 MiB.
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
  std::unique_ptr<v1::PlanService::Stub> stub =
      v1::PlanService::NewStub(Channel(owner));
  std::vector<v1::UnitRef> units;
  v1::ListUnitsRequest request;
  request.set_page_size(kMaxPageSize);
  grpc::Status status =
      ForEachPage<v1::ListUnitsRequest, v1::ListUnitsResponse>(
          request,
          [&](grpc::ClientContext* context, const v1::ListUnitsRequest& r,
              v1::ListUnitsResponse* response) {
            return stub->ListUnits(context, r, response);
          },
          [&](const v1::ListUnitsResponse& response) {
            for (const v1::RegistryUnit& u : response.units()) {
              v1::UnitRef& ref = units.emplace_back();
              ref.set_code(u.code());
              ref.set_name(u.name());
              SetLevel(u.level(), ref);
              ref.set_parent(u.parent());
            }
          },
          SetDeadline);
  if (!status.ok()) {
    return absl::UnavailableError("plan service: " + status.error_message());
  }
  return units;
}

absl::StatusOr<std::vector<v1::Account>> FetchAccounts(const Owner& owner) {
  std::unique_ptr<v1::AccountService::Stub> stub =
      v1::AccountService::NewStub(Channel(owner));
  std::vector<v1::Account> accounts;
  v1::ListAccountsRequest request;
  request.set_page_size(kMaxPageSize);
  grpc::Status status =
      ForEachPage<v1::ListAccountsRequest, v1::ListAccountsResponse>(
          request,
          [&](grpc::ClientContext* context, const v1::ListAccountsRequest& r,
              v1::ListAccountsResponse* response) {
            return stub->ListAccounts(context, r, response);
          },
          [&](const v1::ListAccountsResponse& response) {
            accounts.insert(accounts.end(), response.accounts().begin(),
                            response.accounts().end());
          },
          SetDeadline);
  if (!status.ok()) {
    return absl::UnavailableError("plan service: " + status.error_message());
  }
  return accounts;
}

absl::StatusOr<std::vector<v1::Task>> FetchTasks(const Owner& owner) {
  std::unique_ptr<v1::PlanService::Stub> stub =
      v1::PlanService::NewStub(Channel(owner));
  std::vector<v1::Task> tasks;
  v1::ListTasksRequest request;
  request.set_page_size(kMaxPageSize);
  grpc::Status status =
      ForEachPage<v1::ListTasksRequest, v1::ListTasksResponse>(
          request,
          [&](grpc::ClientContext* context, const v1::ListTasksRequest& r,
              v1::ListTasksResponse* response) {
            return stub->ListTasks(context, r, response);
          },
          [&](const v1::ListTasksResponse& response) {
            tasks.insert(tasks.end(), response.tasks().begin(),
                         response.tasks().end());
          },
          SetDeadline);
  if (!status.ok()) {
    return absl::UnavailableError("plan service: " + status.error_message());
  }
  return tasks;
}

absl::StatusOr<std::vector<v1::TaskState>> FetchTaskStates(const Owner& owner,
                                                           bool as_reported) {
  std::unique_ptr<v1::ProgressService::Stub> stub =
      v1::ProgressService::NewStub(Channel(owner));
  std::vector<v1::TaskState> states;
  v1::ListTaskStatesRequest request;
  request.set_as_reported(as_reported);
  request.set_page_size(kMaxPageSize);
  grpc::Status status =
      ForEachPage<v1::ListTaskStatesRequest, v1::ListTaskStatesResponse>(
          request,
          [&](grpc::ClientContext* context, const v1::ListTaskStatesRequest& r,
              v1::ListTaskStatesResponse* response) {
            return stub->ListTaskStates(context, r, response);
          },
          [&](const v1::ListTaskStatesResponse& response) {
            states.insert(states.end(), response.states().begin(),
                          response.states().end());
          },
          SetDeadline);
  if (!status.ok()) {
    return absl::UnavailableError("progress service: " +
                                  status.error_message());
  }
  return states;
}

absl::StatusOr<std::vector<v1::RecordedMeasurement>> FetchMeasurements(
    const Owner& owner) {
  std::unique_ptr<v1::ProgressService::Stub> stub =
      v1::ProgressService::NewStub(Channel(owner));
  std::vector<v1::RecordedMeasurement> measurements;
  v1::ListMeasurementsRequest request;
  request.set_page_size(kMaxPageSize);
  grpc::Status status =
      ForEachPage<v1::ListMeasurementsRequest, v1::ListMeasurementsResponse>(
          request,
          [&](grpc::ClientContext* context,
              const v1::ListMeasurementsRequest& r,
              v1::ListMeasurementsResponse* response) {
            return stub->ListMeasurements(context, r, response);
          },
          [&](const v1::ListMeasurementsResponse& response) {
            measurements.insert(measurements.end(),
                                response.measurements().begin(),
                                response.measurements().end());
          },
          SetDeadline);
  if (!status.ok()) {
    return absl::UnavailableError("progress service: " +
                                  status.error_message());
  }
  return measurements;
}

}  // namespace tiendo
