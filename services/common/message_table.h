#ifndef TIENDO_SERVICES_COMMON_MESSAGE_TABLE_H_
#define TIENDO_SERVICES_COMMON_MESSAGE_TABLE_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"

namespace tiendo {

// The two tables of messages waiting for the broker (outbox,
// dead_letters) are queues keyed by an `id` column; these are their
// common operations. `table` is one of those names, never user input.

// Deletes the messages' rows, in one transaction.
absl::Status DeleteMessageRows(Database& db, absl::string_view table,
                               const std::vector<OutboxMessage>& messages);

// How many rows wait in the table.
absl::StatusOr<int64_t> CountMessageRows(Database& db, absl::string_view table);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_MESSAGE_TABLE_H_
