#ifndef TIENDO_SERVICES_COMMON_AUDIT_LOG_H_
#define TIENDO_SERVICES_COMMON_AUDIT_LOG_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/common/sqlite.h"
#include "tiendo/v1/audit.pb.h"

namespace tiendo {

// The audit trail of a service, in its own database (table `audit`,
// append-only: nothing updates or deletes a row). Records are queued by the
// RPC that made them and written in batches by a thread of their own, one
// transaction each, so auditing adds no commit to a write's own path; Stop()
// writes what is queued. A crash can lose the records of the last moments
// (at most one batch interval, 100 ms), never a business write.
class AuditLog {
 public:
  AuditLog(Database& db, std::string service)
      : db_(db), service_(std::move(service)) {}
  ~AuditLog() { Stop(); }

  absl::Status Init();
  void Start();
  void Stop();

  // Queues a record (service, seq and time are filled in).
  void Append(v1::AuditRecord record);
  // Writes what is queued now (tests, shutdown).
  absl::Status Flush();

  // One page of the records the request asks for, oldest first; the next
  // page's token in `next_page_token` (empty on the last).
  absl::StatusOr<std::vector<v1::AuditRecord>> List(
      const v1::ListAuditRecordsRequest& request, std::string* next_page_token);

 private:
  void Run();

  Database& db_;
  const std::string service_;
  absl::Mutex mu_;
  std::vector<v1::AuditRecord> queued_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread writer_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_AUDIT_LOG_H_
