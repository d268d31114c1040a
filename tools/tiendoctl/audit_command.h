#ifndef TIENDO_TOOLS_TIENDOCTL_AUDIT_COMMAND_H_
#define TIENDO_TOOLS_TIENDOCTL_AUDIT_COMMAND_H_

namespace tiendo::cli {

// audit [--since=TIME] [--unit=UNIT] [--account=NAME]: the audit trails of
// the four services, merged in time order (admin).
int Audit();

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_AUDIT_COMMAND_H_
