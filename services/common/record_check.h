#ifndef TIENDO_SERVICES_COMMON_RECORD_CHECK_H_
#define TIENDO_SERVICES_COMMON_RECORD_CHECK_H_

#include <cstddef>
#include <string>

#include "tiendo/v1/events.pb.h"

namespace tiendo {

// The envelope schema versions this build reads. 0 is an envelope written
// before versions were stamped; 1 is today's.
inline constexpr int kNewestSchemaVersion = 1;

// Reads a Kafka record's value into `event`. Returns why no consumer may
// apply it, or "" when it is a tiendo.v1 event it can: an empty value (a
// tombstone), bytes that are not an EventEnvelope, an envelope without a
// payload this build knows (a newer event type), or a newer schema
// version. Such records go to the dead-letter topic with that reason,
// never skipped without a trace.
std::string RecordRejection(const void* value, size_t length,
                            v1::EventEnvelope& event);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_RECORD_CHECK_H_
