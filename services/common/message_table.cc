#include "services/common/message_table.h"

#include "absl/strings/str_cat.h"

namespace tiendo {

absl::StatusOr<std::vector<OutboxMessage>> PeekMessageRows(
    Database& db, absl::string_view select, int limit,
    absl::FunctionRef<OutboxMessage(const Statement&)> to_message) {
  std::vector<OutboxMessage> messages;
  absl::Status status = db.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db.Prepare(select);
    if (!q.ok()) return q.status();
    q->Bind(limit);
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) return absl::OkStatus();
      messages.push_back(to_message(*q));
    }
  });
  if (!status.ok()) return status;
  return messages;
}

absl::Status DeleteMessageRows(Database& db, absl::string_view table,
                               const std::vector<OutboxMessage>& messages) {
  if (messages.empty()) return absl::OkStatus();
  return db.Transaction(
      [&] { return DeleteMessageRowsInTransaction(db, table, messages); });
}

absl::Status DeleteMessageRowsInTransaction(
    Database& db, absl::string_view table,
    const std::vector<OutboxMessage>& messages) {
  absl::StatusOr<Statement> del =
      db.Prepare(absl::StrCat("DELETE FROM ", table, " WHERE id = ?"));
  if (!del.ok()) return del.status();
  for (const OutboxMessage& m : messages) {
    del->Reset();
    del->Bind(m.id);
    if (absl::Status s = del->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> CountMessageRows(Database& db, absl::string_view table,
                                         absl::string_view where) {
  int64_t count = 0;
  absl::Status status = db.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db.Prepare(
        absl::StrCat("SELECT COUNT(*) FROM ", table,
                     where.empty() ? "" : absl::StrCat(" WHERE ", where)));
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    count = q->Int(0);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return count;
}

}  // namespace tiendo
