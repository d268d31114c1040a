#ifndef TIENDO_SERVICES_COMMON_STORED_PROTO_H_
#define TIENDO_SERVICES_COMMON_STORED_PROTO_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/common/paging.h"
#include "services/common/sqlite.h"

namespace tiendo {

// Stores keep records as serialized protos in BLOB columns.

// Parses the record in `column` of the current row.
template <typename Message>
absl::StatusOr<Message> ParseStored(const Statement& q, int column) {
  Message message;
  if (!message.ParseFromString(q.Text(column))) {
    return absl::DataLossError(
        absl::StrCat("unreadable stored ", Message::descriptor()->name()));
  }
  return message;
}

// Steps through every row, parsing the record in `column` into `out`.
template <typename Message>
absl::Status CollectStored(Statement& q, int column,
                           std::vector<Message>& out) {
  for (;;) {
    absl::StatusOr<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<Message> message = ParseStored<Message>(q, column);
    if (!message.ok()) return message.status();
    out.push_back(*std::move(message));
  }
}

// Steps through rows read in key order with LIMIT page.Limit(), parsing
// the record in `column` of those on the page; `key_column` is the row's
// key for the next page's token.
template <typename Message>
absl::Status CollectStoredPage(Statement& q, int column, int key_column,
                               PageCursor& cursor, std::vector<Message>& out) {
  return q.ForEachRow([&](const Statement& row) -> absl::Status {
    if (!cursor.Take(row.Text(key_column))) return absl::OkStatus();
    absl::StatusOr<Message> message = ParseStored<Message>(row, column);
    if (!message.ok()) return message.status();
    out.push_back(*std::move(message));
    return absl::OkStatus();
  });
}

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_STORED_PROTO_H_
