#ifndef TIENDO_TESTS_SUPPORT_PROCESS_H_
#define TIENDO_TESTS_SUPPORT_PROCESS_H_

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace tiendo::testing {

// A child process started from a binary, its stdout and stderr in files.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { Stop(); }

  // Starts `binary args...`; stdout goes to stdout_path, stderr to
  // stderr_path (both appended).
  bool Start(const std::string& binary, const std::vector<std::string>& args,
             const std::string& stdout_path, const std::string& stderr_path);
  // SIGTERM, then SIGKILL if it has not exited within `grace`.
  void Stop(absl::Duration grace = absl::Seconds(10));
  // SIGKILL, no chance to clean up: a crash.
  void Kill();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that nothing listens on right now.
int PickFreePort();

// Polls `condition` until it holds or `timeout` passes.
bool WaitUntil(const std::function<bool()>& condition,
               absl::Duration timeout = absl::Seconds(60),
               absl::Duration every = absl::Milliseconds(50));

// The whole content of a file ("" if missing).
std::string ReadFile(const std::string& path);

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_SUPPORT_PROCESS_H_
