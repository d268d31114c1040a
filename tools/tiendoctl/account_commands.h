#ifndef TIENDO_TOOLS_TIENDOCTL_ACCOUNT_COMMANDS_H_
#define TIENDO_TOOLS_TIENDOCTL_ACCOUNT_COMMANDS_H_

#include <string>
#include <vector>

namespace tiendo::cli {

// login --account=NAME [--password_file=F]: signs in; the token goes to the
// token file (owner-only), read by every later command.
int Login();
// logout: forgets the token.
int Logout();
// whoami: the account the token carries.
int WhoAmI();
// account create|token|list ...
int AccountCommand(const std::vector<std::string>& args);

// The token file: --token_file, else $TIENDO_TOKEN_FILE, else
// ~/.config/tiendo/token.
std::string TokenFile();

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_ACCOUNT_COMMANDS_H_
