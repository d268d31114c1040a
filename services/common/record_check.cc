#include "services/common/record_check.h"

#include "absl/strings/str_cat.h"

namespace tiendo {

std::string RecordRejection(const void* value, size_t length,
                            v1::EventEnvelope& event) {
  if (value == nullptr || length == 0) {
    return "empty record (a tombstone, or no value): not an event";
  }
  if (!event.ParseFromArray(value, static_cast<int>(length))) {
    return absl::StrCat("undecodable: ", length,
                        " bytes are not a tiendo.v1.EventEnvelope");
  }
  if (event.schema_version() > kNewestSchemaVersion) {
    return absl::StrCat("event ", event.event_id(), ": schema_version ",
                        event.schema_version(), " is newer than the ",
                        kNewestSchemaVersion, " this consumer reads");
  }
  if (event.payload_case() == v1::EventEnvelope::PAYLOAD_NOT_SET) {
    return absl::StrCat("event ", event.event_id(), ": type '", event.type(),
                        "' carries no payload this consumer knows");
  }
  return "";
}

}  // namespace tiendo
