#ifndef TIENDO_SERVICES_PROGRESS_PROGRESS_SCHEMA_H_
#define TIENDO_SERVICES_PROGRESS_PROGRESS_SCHEMA_H_

#include "services/common/schema_migrations.h"

namespace tiendo::progress {

// The progress service's database: its numbered migrations, from the
// schema as first shipped.
Schema ProgressSchema();

}  // namespace tiendo::progress

#endif  // TIENDO_SERVICES_PROGRESS_PROGRESS_SCHEMA_H_
