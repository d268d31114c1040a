#include "services/common/owner_snapshots.h"

#include <grpcpp/grpcpp.h>

#include <iterator>

#include "absl/strings/str_cat.h"
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

// The first page's request of a List RPC: pages as large as allowed.
template <typename Request>
Request FirstPage() {
  Request request;
  request.set_page_size(kMaxPageSize);
  return request;
}

// The rows moved out of a merged answer, so a large snapshot is not held
// twice.
template <typename Item>
std::vector<Item> Rows(google::protobuf::RepeatedPtrField<Item>* rows) {
  return {std::make_move_iterator(rows->begin()),
          std::make_move_iterator(rows->end())};
}

absl::Status Unavailable(absl::string_view owner, const grpc::Status& status) {
  return absl::UnavailableError(
      absl::StrCat(owner, " service: ", status.error_message()));
}

}  // namespace

absl::StatusOr<std::vector<v1::UnitRef>> FetchUnits(const Owner& owner) {
  std::unique_ptr<v1::PlanService::Stub> stub =
      v1::PlanService::NewStub(Channel(owner));
  v1::ListUnitsResponse all;
  grpc::Status status = MergeAllPages(
      FirstPage<v1::ListUnitsRequest>(), &all,
      [&](grpc::ClientContext* c, const v1::ListUnitsRequest& r,
          v1::ListUnitsResponse* out) { return stub->ListUnits(c, r, out); },
      SetDeadline);
  if (!status.ok()) return Unavailable("plan", status);
  std::vector<v1::UnitRef> units;
  for (const v1::RegistryUnit& u : all.units()) {
    v1::UnitRef& ref = units.emplace_back();
    ref.set_code(u.code());
    ref.set_name(u.name());
    SetLevel(u.level(), ref);
    ref.set_parent(u.parent());
  }
  return units;
}

absl::StatusOr<std::vector<v1::Account>> FetchAccounts(const Owner& owner) {
  std::unique_ptr<v1::AccountService::Stub> stub =
      v1::AccountService::NewStub(Channel(owner));
  v1::ListAccountsResponse all;
  grpc::Status status = MergeAllPages(
      FirstPage<v1::ListAccountsRequest>(), &all,
      [&](grpc::ClientContext* c, const v1::ListAccountsRequest& r,
          v1::ListAccountsResponse* out) {
        return stub->ListAccounts(c, r, out);
      },
      SetDeadline);
  if (!status.ok()) return Unavailable("plan", status);
  return Rows(all.mutable_accounts());
}

absl::StatusOr<std::vector<v1::Task>> FetchTasks(const Owner& owner) {
  std::unique_ptr<v1::PlanService::Stub> stub =
      v1::PlanService::NewStub(Channel(owner));
  v1::ListTasksResponse all;
  grpc::Status status = MergeAllPages(
      FirstPage<v1::ListTasksRequest>(), &all,
      [&](grpc::ClientContext* c, const v1::ListTasksRequest& r,
          v1::ListTasksResponse* out) { return stub->ListTasks(c, r, out); },
      SetDeadline);
  if (!status.ok()) return Unavailable("plan", status);
  return Rows(all.mutable_tasks());
}

absl::StatusOr<std::vector<v1::TaskState>> FetchTaskStates(const Owner& owner,
                                                           bool as_reported) {
  std::unique_ptr<v1::ProgressService::Stub> stub =
      v1::ProgressService::NewStub(Channel(owner));
  v1::ListTaskStatesRequest request = FirstPage<v1::ListTaskStatesRequest>();
  request.set_as_reported(as_reported);
  v1::ListTaskStatesResponse all;
  grpc::Status status = MergeAllPages(
      request, &all,
      [&](grpc::ClientContext* c, const v1::ListTaskStatesRequest& r,
          v1::ListTaskStatesResponse* out) {
        return stub->ListTaskStates(c, r, out);
      },
      SetDeadline);
  if (!status.ok()) return Unavailable("progress", status);
  return Rows(all.mutable_states());
}

absl::StatusOr<std::vector<v1::RecordedMeasurement>> FetchMeasurements(
    const Owner& owner) {
  std::unique_ptr<v1::ProgressService::Stub> stub =
      v1::ProgressService::NewStub(Channel(owner));
  v1::ListMeasurementsResponse all;
  grpc::Status status = MergeAllPages(
      FirstPage<v1::ListMeasurementsRequest>(), &all,
      [&](grpc::ClientContext* c, const v1::ListMeasurementsRequest& r,
          v1::ListMeasurementsResponse* out) {
        return stub->ListMeasurements(c, r, out);
      },
      SetDeadline);
  if (!status.ok()) return Unavailable("progress", status);
  return Rows(all.mutable_measurements());
}

}  // namespace tiendo
