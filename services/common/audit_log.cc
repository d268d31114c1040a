#include "services/common/audit_log.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/common/log.h"
#include "services/common/paging.h"
#include "services/common/proto_convert.h"
#include "services/common/stored_proto.h"

namespace tiendo {
namespace {

constexpr char kAuditTableSql[] = R"sql(
  CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    unit TEXT NOT NULL,
    account TEXT NOT NULL,
    record BLOB NOT NULL);
  CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
)sql";

}  // namespace

absl::Status AuditLog::Init() {
  return db_.Transaction([&] { return db_.Exec(kAuditTableSql); });
}

void AuditLog::Start() {
  writer_ = std::thread([this] { Run(); });
}

void AuditLog::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (writer_.joinable()) writer_.join();
  if (absl::Status s = Flush(); !s.ok()) {
    LogError("audit: %s", s.message());
  }
}

void AuditLog::Append(v1::AuditRecord record) {
  record.set_service(service_);
  if (!record.has_at()) *record.mutable_at() = ToProto(absl::Now());
  absl::MutexLock lock(&mu_);
  queued_.push_back(std::move(record));
}

absl::Status AuditLog::Flush() {
  std::vector<v1::AuditRecord> batch;
  {
    absl::MutexLock lock(&mu_);
    batch.swap(queued_);
  }
  if (batch.empty()) return absl::OkStatus();
  return db_.Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "INSERT INTO audit(at, unit, account, record) VALUES(?, ?, ?, ?)");
    if (!q.ok()) return q.status();
    for (const v1::AuditRecord& record : batch) {
      const std::string bytes = record.SerializeAsString();
      q->Reset();
      q->Bind(absl::ToUnixMicros(FromProto(record.at())), record.unit(),
              record.account(), Statement::Blob{bytes});
      if (absl::Status s = q->Run(); !s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

void AuditLog::Run() {
  for (;;) {
    bool stopping = false;
    {
      absl::MutexLock lock(&mu_);
      mu_.AwaitWithTimeout(absl::Condition(&stopping_),
                           absl::Milliseconds(100));
      stopping = stopping_;
    }
    if (absl::Status s = Flush(); !s.ok()) LogError("audit: %s", s.message());
    if (stopping) return;
  }
}

absl::StatusOr<std::vector<v1::AuditRecord>> AuditLog::List(
    const v1::ListAuditRecordsRequest& request, std::string* next_page_token) {
  if (absl::Status s = Flush(); !s.ok()) return s;
  absl::StatusOr<PageRequest> page = ReadPageRequest(
      request.page_size() != 0 ? request.page_size() : request.limit(),
      request.page_token());
  if (!page.ok()) return page.status();
  absl::StatusOr<int64_t> after = AfterNumber(*page);
  if (!after.ok()) return after.status();
  PageCursor cursor(*page, next_page_token);
  std::vector<v1::AuditRecord> records;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare(
        "SELECT seq, record FROM audit WHERE at >= ? AND (?2 = '' OR unit = "
        "?2) AND (?3 = '' OR account = ?3) AND seq > ?4 ORDER BY seq "
        "LIMIT ?5");
    if (!q.ok()) return q.status();
    q->Bind(request.has_since() ? absl::ToUnixMicros(FromProto(request.since()))
                                : int64_t{0},
            request.unit(), request.account(), *after, page->Limit());
    return q->ForEachRow([&](const Statement& row) -> absl::Status {
      if (!cursor.Take(absl::StrCat(row.Int(0)))) return absl::OkStatus();
      absl::StatusOr<v1::AuditRecord> record =
          ParseStored<v1::AuditRecord>(row, 1);
      if (!record.ok()) return record.status();
      record->set_seq(row.Int(0));
      records.push_back(*std::move(record));
      return absl::OkStatus();
    });
  });
  if (!status.ok()) return status;
  return records;
}

}  // namespace tiendo
