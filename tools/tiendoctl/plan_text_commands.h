#ifndef TIENDO_TOOLS_TIENDOCTL_PLAN_TEXT_COMMANDS_H_
#define TIENDO_TOOLS_TIENDOCTL_PLAN_TEXT_COMMANDS_H_

#include <string>
#include <vector>

namespace tiendo::cli {

// plan parse FILE: reads a plan document offline and prints what would be
// imported.
int PlanParse(const std::vector<std::string>& args);
// plan import FILE for a document as written (ImportPlan).
int PlanImportText(const std::string& path, const std::string& text);
// plan links / plan link / plan cascade.
int PlanLinks();
int PlanLink();
int PlanCascade();
// unit list | unit add CODE; agency add | agency alias CODE ALIAS.
int UnitCommand(const std::vector<std::string>& args);
int AgencyCommand(const std::vector<std::string>& args);

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_PLAN_TEXT_COMMANDS_H_
