#include "services/common/sqlite.h"

#include "absl/strings/str_cat.h"

namespace tiendo {
namespace {

absl::Status SqliteError(sqlite3* db, absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("sqlite: ", what, ": ", sqlite3_errmsg(db)));
}

}  // namespace

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

void Statement::BindOne(int index, std::nullopt_t) {
  sqlite3_bind_null(stmt_, index);
}

void Statement::BindOne(int index, const Blob& blob) {
  sqlite3_bind_blob64(stmt_, index, blob.bytes.data(), blob.bytes.size(),
                      SQLITE_TRANSIENT);
}

void Statement::BindOne(int index, absl::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                      SQLITE_UTF8);
}

void Statement::BindOne(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
}

void Statement::BindInt(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, sqlite3_sql(stmt_));
}

absl::Status Statement::Run() {
  return ForEachRow([](const Statement&) {});
}

absl::Status Statement::ForEachRow(
    absl::FunctionRef<absl::Status(const Statement&)> on_row) {
  for (;;) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    if (absl::Status s = on_row(*this); !s.ok()) return s;
  }
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::Double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::Text(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return std::string();
  return std::string(static_cast<const char*>(data), size);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = absl::UnavailableError(
        absl::StrCat("cannot open database ", path, ": ",
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close(db);
    return status;
  }
  sqlite3_busy_timeout(db, 5000);
  std::unique_ptr<Database> database(new Database(db));
  absl::Status status = database->Read([&] {
    return database->Exec(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
        "PRAGMA foreign_keys=ON;");
  });
  if (!status.ok()) return status;
  return database;
}

Database::~Database() { sqlite3_close(db_); }

absl::Status Database::Transaction(absl::FunctionRef<absl::Status()> fn) {
  absl::MutexLock lock(&mu_);
  if (absl::Status s = Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  absl::Status status = fn();
  if (status.ok()) {
    status = Exec("COMMIT");
    if (status.ok()) return status;
  }
  Exec("ROLLBACK").IgnoreError();
  return status;
}

absl::Status Database::Read(absl::FunctionRef<absl::Status()> fn) {
  absl::MutexLock lock(&mu_);
  return fn();
}

absl::Status Database::Exec(absl::string_view sql) {
  std::string owned(sql);
  char* error = nullptr;
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    absl::Status status = absl::InternalError(
        absl::StrCat("sqlite: ", error ? error : "error", " in: ", sql));
    sqlite3_free(error);
    return status;
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt,
                         nullptr) != SQLITE_OK) {
    return SqliteError(db_, sql);
  }
  return Statement(db_, stmt);
}

int Database::Changes() const { return sqlite3_changes(db_); }

}  // namespace tiendo
