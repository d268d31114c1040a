#ifndef TIENDO_TOOLS_TIENDOCTL_AGGREGATION_COMMANDS_H_
#define TIENDO_TOOLS_TIENDOCTL_AGGREGATION_COMMANDS_H_

namespace tiendo::cli {

// rollup --unit=UNIT [--at=TIME] [--watch]
int Rollup();
// kpis --unit=UNIT [--at=TIME]
int Kpis();
// reporting --unit=UNIT [--period=2026-05] [--at=TIME]
int Reporting();
// ranking --unit=PROVINCE [--at=TIME]
int Ranking();
// report --unit=UNIT --month=2026-06 [--format=md|html|csv|json] [--out=F]
int Report();
// rebuild: progress lines (--json: one JSON object a line)
int Rebuild();
// units
int AggregationUnits();

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_AGGREGATION_COMMANDS_H_
