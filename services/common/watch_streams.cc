#include "services/common/watch_streams.h"

#include <algorithm>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "services/common/service_runtime.h"

namespace tiendo {
namespace {

constexpr char kServicePeers[] = "the services";

// How long Stop() may wait for the thread to notice it.
constexpr absl::Duration kStopCheck = absl::Milliseconds(100);

}  // namespace

absl::StatusOr<WatchStreamLimits> WatchStreamLimitsFromFlags() {
  const WatchStreamLimits limits{
      .total = absl::GetFlag(FLAGS_max_watch_streams),
      .per_account = absl::GetFlag(FLAGS_max_watch_streams_per_account)};
  if (limits.total < 0 || limits.per_account < 0) {
    return absl::InvalidArgumentError(
        "--max_watch_streams, --max_watch_streams_per_account: must not be "
        "negative");
  }
  return limits;
}

std::string WatchAccount(const Credential& caller) {
  return caller.service ? kServicePeers : caller.account.name();
}

grpc::Status StreamStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

WatchStreams::WatchStreams(WatchStreamLimits limits,
                           const ChangeNotifier& changes, absl::Duration period)
    : limits_(limits), changes_(changes), period_(period) {}

WatchStreams::~WatchStreams() { Stop(); }

void WatchStreams::Start() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = false;
  }
  // Read here, not on the thread: a change made once Start returns is seen.
  const uint64_t seen = changes_.generation();
  if (!thread_.joinable()) thread_ = std::thread([this, seen] { Run(seen); });
}

void WatchStreams::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::Status WatchStreams::Add(WatchStream* stream,
                               const std::string& account) {
  absl::MutexLock lock(&mu_);
  if (static_cast<int>(streams_.size()) >= limits_.total) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "watch streams: ", streams_.size(),
        " open in all, the cap of the service (--max_watch_streams=",
        limits_.total, ")"));
  }
  int& mine = per_account_[account];
  if (mine >= limits_.per_account) {
    const std::string who = account == kServicePeers
                                ? std::string(kServicePeers)
                                : absl::StrCat("account ", account);
    return absl::ResourceExhaustedError(
        absl::StrCat("watch streams: ", who, " has ", mine,
                     " open, the cap per account "
                     "(--max_watch_streams_per_account=",
                     limits_.per_account, ")"));
  }
  ++mine;
  streams_.emplace(stream, account);
  return absl::OkStatus();
}

void WatchStreams::Remove(WatchStream* stream) {
  absl::MutexLock lock(&mu_);
  if (auto it = streams_.find(stream); it != streams_.end()) {
    auto count = per_account_.find(it->second);
    if (--count->second == 0) per_account_.erase(count);
    streams_.erase(it);
  }
  auto done = [this, stream]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return refreshing_ != stream;
  };
  mu_.Await(absl::Condition(&done));
}

bool WatchStreams::BeginRefresh(WatchStream* stream) {
  absl::MutexLock lock(&mu_);
  if (!streams_.contains(stream)) return false;
  refreshing_ = stream;
  return true;
}

void WatchStreams::EndRefresh() {
  absl::MutexLock lock(&mu_);
  refreshing_ = nullptr;
}

void WatchStreams::RefreshAll() {
  absl::MutexLock pass(&pass_mu_);
  std::vector<WatchStream*> snapshot;
  {
    absl::MutexLock lock(&mu_);
    snapshot.reserve(streams_.size());
    for (const auto& entry : streams_) snapshot.push_back(entry.first);
  }
  // Outside mu_, so streams come and go while others refresh; a stream
  // removed meanwhile is skipped.
  for (WatchStream* stream : snapshot) {
    if (!BeginRefresh(stream)) continue;
    stream->Refresh();
    EndRefresh();
  }
  absl::MutexLock lock(&mu_);
  ++passes_;
}

void WatchStreams::Run(uint64_t seen) {
  absl::Time due = absl::Now() + period_;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
    }
    const absl::Duration wait =
        std::clamp(due - absl::Now(), absl::ZeroDuration(), kStopCheck);
    const uint64_t generation = changes_.WaitForChange(seen, wait);
    if (generation == seen && absl::Now() < due) continue;
    seen = generation;
    due = absl::Now() + period_;
    RefreshAll();
  }
}

int WatchStreams::open() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(streams_.size());
}

int64_t WatchStreams::passes() const {
  absl::MutexLock lock(&mu_);
  return passes_;
}

}  // namespace tiendo
