#ifndef TIENDO_TOOLS_TIENDOCTL_PROGRESS_COMMANDS_H_
#define TIENDO_TOOLS_TIENDOCTL_PROGRESS_COMMANDS_H_

#include <string>

#include "tiendo/v1/plan.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::cli {

// Adds what the occurrence, measurement, difficulty, evidence, period-report
// and reopen flags say to a report. Returns "" or what is wrong with a flag.
std::string AddReportDetails(v1::ReportProgressRequest& request);
// The occurrences of a task state, one line each.
void PrintOccurrences(const v1::TaskState& state);
// progress measurements --file=CSV: a feed of measurements, one batch RPC
// per 500 rows, with progress on stderr.
int ProgressMeasurements();
// plan trigger --task=ID --trigger=TEXT --happened=DATE --due=DATE
int PlanTrigger();

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_PROGRESS_COMMANDS_H_
