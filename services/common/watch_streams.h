#ifndef TIENDO_SERVICES_COMMON_WATCH_STREAMS_H_
#define TIENDO_SERVICES_COMMON_WATCH_STREAMS_H_

#include <grpcpp/support/server_callback.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/common/change_notifier.h"
#include "services/common/credential.h"

namespace tiendo {

// What the registry asks of a live watch stream: look again at what it
// watches and send what is new.
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  virtual void Refresh() = 0;
};

// How many watch streams may be open at once (--max_watch_streams,
// --max_watch_streams_per_account).
struct WatchStreamLimits {
  int total = 2000;
  int per_account = 20;
};

// The limits of --max_watch_streams and --max_watch_streams_per_account, or
// INVALID_ARGUMENT naming a negative one.
absl::StatusOr<WatchStreamLimits> WatchStreamLimitsFromFlags();

// The account a stream counts against: the credential's account name, or
// "the services" for every tiendo service peer together.
std::string WatchAccount(const Credential& caller);

// The live watch streams of a service. It caps how many are open, in all
// and per account, and refreshes every stream from one thread when the
// service's state changes and at least every `period` (the day rolling
// over changes what a stream shows without any event). No stream holds a
// thread of its own while it waits.
class WatchStreams {
 public:
  WatchStreams(WatchStreamLimits limits, const ChangeNotifier& changes,
               absl::Duration period = absl::Seconds(1));
  ~WatchStreams();
  WatchStreams(const WatchStreams&) = delete;
  WatchStreams& operator=(const WatchStreams&) = delete;

  // Starts and stops the refreshing thread (the destructor stops it).
  void Start();
  void Stop();

  // Registers `stream` for `account`, or RESOURCE_EXHAUSTED naming the cap
  // it would pass and its value.
  absl::Status Add(WatchStream* stream, const std::string& account);
  // Unregisters `stream` (nothing if it is not registered). Once this
  // returns no refresh of it runs or will run, so it may be deleted.
  void Remove(WatchStream* stream);
  // Asks every registered stream to refresh, one after another.
  void RefreshAll();

  int open() const;
  // Refresh passes made so far (by the thread or RefreshAll).
  int64_t passes() const;

 private:
  // Refreshes on every change of the generation after `seen`.
  void Run(uint64_t seen);
  // Marks `stream` as being refreshed, unless it was removed meanwhile.
  bool BeginRefresh(WatchStream* stream);
  void EndRefresh();

  const WatchStreamLimits limits_;
  const ChangeNotifier& changes_;
  const absl::Duration period_;

  mutable absl::Mutex mu_;
  std::map<WatchStream*, std::string> streams_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int> per_account_ ABSL_GUARDED_BY(mu_);
  // The stream a refresh is running on; Remove waits for it to end.
  WatchStream* refreshing_ ABSL_GUARDED_BY(mu_) = nullptr;
  int64_t passes_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // One pass at a time, whoever asks for it.
  absl::Mutex pass_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  std::thread thread_;
};

// The gRPC status of the same code and message.
grpc::Status StreamStatus(const absl::Status& status);

// A server stream that sends a message whenever its subclass has a new one.
// One write is in flight at a time; a refresh asked for during a write is
// remembered and done when the write completes. A client that leaves or
// cancels finishes the stream; OnDone unregisters and deletes it. Every
// reaction runs under the stream's mutex, so Next() never runs twice at
// once and nothing is written after Finish.
template <class Response>
class WatchReactor : public grpc::ServerWriteReactor<Response>,
                     public WatchStream {
 public:
  // Registers with `streams` and sends the first message at once; past a
  // cap the stream finishes with the refusal. Call it once, last thing
  // in the handler that made the reactor.
  void Open(WatchStreams& streams, const std::string& account) {
    // Known before Add, so OnDone unregisters whatever happens next.
    streams_ = &streams;
    absl::Status admitted = streams.Add(this, account);
    absl::MutexLock lock(&mu_);
    if (!admitted.ok()) {
      FinishLocked(StreamStatus(admitted));
      return;
    }
    // The registry may have refreshed it already, since Add.
    RefreshLocked();
  }

  void Refresh() final {
    absl::MutexLock lock(&mu_);
    RefreshLocked();
  }

 protected:
  // The next message when there is something new since the last one sent,
  // nothing when there is not; an error ends the stream with it.
  virtual absl::StatusOr<std::optional<Response>> Next() = 0;
  // Whether Next() has more to send without a refresh (messages queued).
  virtual bool MoreReady() const { return false; }

 private:
  void OnWriteDone(bool ok) final {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    // A failed write: the client is gone; the status is not read.
    if (!ok) finish_wanted_ = true;
    if (finish_wanted_) {
      FinishLocked(grpc::Status::OK);
      return;
    }
    if (refresh_wanted_ || MoreReady()) SendNextLocked();
  }

  void OnCancel() final {
    absl::MutexLock lock(&mu_);
    finish_wanted_ = true;
    // A write in flight completes (failed) first; OnWriteDone finishes.
    if (!writing_) FinishLocked(grpc::Status::OK);
  }

  void OnDone() final {
    // After Remove no refresh of this stream runs, and gRPC makes no more
    // reactions after OnDone: nothing can reach it once deleted.
    if (streams_ != nullptr) streams_->Remove(this);
    delete this;
  }

  void RefreshLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finish_wanted_) return;
    if (writing_) {
      refresh_wanted_ = true;
      return;
    }
    SendNextLocked();
  }

  void SendNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    refresh_wanted_ = false;
    absl::StatusOr<std::optional<Response>> next = Next();
    if (!next.ok()) {
      FinishLocked(StreamStatus(next.status()));
      return;
    }
    if (!next->has_value()) return;
    message_ = **std::move(next);
    writing_ = true;
    this->StartWrite(&message_);
  }

  void FinishLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    finish_wanted_ = true;
    if (finished_) return;
    finished_ = true;
    this->Finish(status);
  }

  absl::Mutex mu_;
  // Set once before any refresh can reach this stream from the registry.
  WatchStreams* streams_ = nullptr;
  // The message being written: gRPC reads it until OnWriteDone.
  Response message_ ABSL_GUARDED_BY(mu_);
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool refresh_wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool finish_wanted_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

// A stream refused before it began (credential, request, cap): it finishes
// with the refusal at once and deletes itself when gRPC is done with it.
template <class Response>
class RefusedWriteReactor : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RefusedWriteReactor(const grpc::Status& status) {
    this->Finish(status);
  }
  void OnDone() final { delete this; }
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_WATCH_STREAMS_H_
