#ifndef TIENDO_SERVICES_COMMON_SQLITE_H_
#define TIENDO_SERVICES_COMMON_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace tiendo {

// A prepared statement. Bind parameters are 1-based, columns 0-based, as in
// SQLite itself.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binds each argument to the next parameter: integers, doubles, strings
  // (as TEXT), Blob (as BLOB) and std::nullopt (as NULL).
  template <typename... Args>
  Statement& Bind(const Args&... args) {
    int index = 1;
    (BindOne(index++, args), ...);
    return *this;
  }

  // Makes the statement ready to run again with new bindings.
  void Reset();

  // Advances to the next row: true while there is a row.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  absl::Status Run();

  // Steps through every row, calling on_row with the statement standing on
  // it. Stops at the first error: SQLite's, or the one on_row returns.
  absl::Status ForEachRow(
      absl::FunctionRef<absl::Status(const Statement&)> on_row);
  // The same, for reading rows in a way that cannot fail.
  template <typename OnRow>
  requires std::is_void_v<std::invoke_result_t<OnRow&, const Statement&>>
      absl::Status ForEachRow(OnRow&& on_row) {
    return ForEachRow([&](const Statement& row) -> absl::Status {
      on_row(row);
      return absl::OkStatus();
    });
  }

  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

  struct Blob {
    absl::string_view bytes;
  };

 private:
  void BindOne(int index, std::nullopt_t);
  void BindOne(int index, const Blob& blob);
  void BindOne(int index, absl::string_view text);
  void BindOne(int index, const std::string& text) {
    BindOne(index, absl::string_view(text));
  }
  void BindOne(int index, const char* text) {
    BindOne(index, absl::string_view(text));
  }
  void BindOne(int index, double value);
  template <typename T>
  requires std::is_integral_v<T>
  void BindOne(int index, T value) {
    BindInt(index, static_cast<int64_t>(value));
  }
  void BindInt(int index, int64_t value);

  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// One SQLite database file in WAL mode with synchronous=FULL: a committed
// transaction survives a crash of the process or the machine. Access is
// serialised by the caller through Transaction() / Read().
class Database {
 public:
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path);
  ~Database();

  // Runs fn inside BEGIN IMMEDIATE ... COMMIT; rolls back when fn fails.
  absl::Status Transaction(absl::FunctionRef<absl::Status()> fn);
  // Runs fn with the database to itself, outside a transaction (reads).
  absl::Status Read(absl::FunctionRef<absl::Status()> fn);

  // Only inside Transaction() or Read().
  absl::Status Exec(absl::string_view sql);
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  int Changes() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}

  absl::Mutex mu_;
  sqlite3* db_;
};

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_SQLITE_H_
