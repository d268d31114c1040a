#ifndef TIENDO_SERVICES_COMMON_RESYNCER_H_
#define TIENDO_SERVICES_COMMON_RESYNCER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace tiendo {

// Rebuilds a replica from its owning service when the event stream cannot be
// trusted (see EventHandler::StreamGap). Requests coalesce; a failed resync
// (the owner is down) is retried with backoff until it succeeds.
class Resyncer {
 public:
  Resyncer(std::string what, std::function<absl::Status()> resync)
      : what_(std::move(what)), resync_(std::move(resync)) {}
  ~Resyncer() { Stop(); }

  void Start();
  void Stop();
  void Request();
  // Completed resyncs since start.
  int completed() const;

 private:
  void Run();

  const std::string what_;
  const std::function<absl::Status()> resync_;
  mutable absl::Mutex mu_;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  int completed_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_RESYNCER_H_
