#ifndef TIENDO_SERVICES_COMMON_MESSAGE_TABLE_H_
#define TIENDO_SERVICES_COMMON_MESSAGE_TABLE_H_

#include <cstdint>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"

namespace tiendo {

// The two tables of messages waiting for the broker (outbox,
// dead_letters) are queues keyed by an `id` column; these are their
// common operations. `table` is one of those names, never user input.

// The oldest `limit` rows of `select` (a query ending in "LIMIT ?"), each
// made a message by `to_message`.
absl::StatusOr<std::vector<OutboxMessage>> PeekMessageRows(
    Database& db, absl::string_view select, int limit,
    absl::FunctionRef<OutboxMessage(const Statement&)> to_message);

// Deletes the messages' rows, in one transaction.
absl::Status DeleteMessageRows(Database& db, absl::string_view table,
                               const std::vector<OutboxMessage>& messages);
// The same inside a transaction the caller runs.
absl::Status DeleteMessageRowsInTransaction(
    Database& db, absl::string_view table,
    const std::vector<OutboxMessage>& messages);

// How many rows wait in the table; only those matching `where` (an SQL
// condition of the code, never user input) when it is not empty.
absl::StatusOr<int64_t> CountMessageRows(Database& db, absl::string_view table,
                                         absl::string_view where = "");

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_MESSAGE_TABLE_H_
