#include "services/progress/unit_parents.h"

namespace tiendo::progress {

absl::Status UnitParents::Upsert(
    const google::protobuf::RepeatedPtrField<v1::UnitRef>& units) {
  for (const v1::UnitRef& unit : units) {
    if (unit.code().empty()) continue;
    absl::StatusOr<Statement> q = db_.Prepare(
        "INSERT INTO units(code, parent) VALUES(?, ?) "
        "ON CONFLICT(code) DO UPDATE SET parent = excluded.parent");
    if (!q.ok()) return q.status();
    q->Bind(unit.code(), unit.parent());
    if (absl::Status s = q->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string UnitParents::ParentOf(const std::string& code) {
  std::string parent;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q =
        db_.Prepare("SELECT parent FROM units WHERE code = ?");
    if (!q.ok()) return q.status();
    q->Bind(code);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (*row) parent = q->Text(0);
    return absl::OkStatus();
  });
  // Unknown on a failed read: the scope check then refuses, as it should.
  return status.ok() ? parent : std::string();
}

absl::StatusOr<bool> UnitParents::Empty() {
  bool empty = true;
  absl::Status status = db_.Read([&]() -> absl::Status {
    absl::StatusOr<Statement> q = db_.Prepare("SELECT 1 FROM units LIMIT 1");
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    empty = !*row;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return empty;
}

}  // namespace tiendo::progress
