#include "tools/tiendoctl/account_commands.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/clock.h"
#include "services/common/credential.h"
#include "services/common/proto_convert.h"
#include "tiendo/v1/account.grpc.pb.h"
#include "tools/tiendoctl/cli.h"

ABSL_FLAG(std::string, token_file, "",
          "where login keeps the token (default: $TIENDO_TOKEN_FILE, else "
          "~/.config/tiendo/token)");
ABSL_FLAG(std::string, account, "", "account name, e.g. vinhthuy.kinhte.lan");
ABSL_FLAG(std::string, password_file, "",
          "file whose first line is the password (default: read from stdin)");
ABSL_FLAG(std::vector<std::string>, roles, {},
          "reporter, planner, viewer, standing_body, admin");
ABSL_FLAG(std::vector<std::string>, agencies, {},
          "agency codes the account acts for");
ABSL_FLAG(std::string, display_name, "", "name as people read it");
ABSL_FLAG(bool, system, false, "a system: signs in with issued tokens only");
ABSL_FLAG(int, days, 0, "days an issued token is valid (default 8 hours)");

ABSL_DECLARE_FLAG(std::string, plan_service);
ABSL_DECLARE_FLAG(std::string, unit);
ABSL_DECLARE_FLAG(std::string, out);
ABSL_DECLARE_FLAG(bool, json);

namespace tiendo::cli {
namespace {

std::unique_ptr<v1::AccountService::Stub> Accounts() {
  return v1::AccountService::NewStub(
      Channel(absl::GetFlag(FLAGS_plan_service)));
}

// The password: the first line of --password_file, or of standard input
// (never a flag: command lines are visible to every user of the machine).
std::optional<std::string> ReadPassword() {
  const std::string path = absl::GetFlag(FLAGS_password_file);
  std::string password;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!std::getline(in, password)) return std::nullopt;
    return password;
  }
  if (isatty(STDIN_FILENO)) std::cerr << "password: " << std::flush;
  if (!std::getline(std::cin, password)) return std::nullopt;
  return password;
}

// Writes the token readable by its owner only.
bool WriteSecret(const std::string& path, const std::string& token) {
  const std::filesystem::path file(path);
  std::error_code error;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), error);
  }
  const mode_t old_mask = umask(077);
  std::ofstream out(path, std::ios::trunc);
  out << token << "\n";
  out.close();
  umask(old_mask);
  chmod(path.c_str(), 0600);
  return static_cast<bool>(out);
}

void PrintAccount(const v1::Account& a) {
  std::vector<std::string> roles;
  for (int role : a.roles()) roles.push_back(RoleWord(v1::Role(role)));
  std::cout << a.name() << (a.system() ? " (system)" : "") << "  unit "
            << a.unit() << "  roles " << absl::StrJoin(roles, ",")
            << "  agencies "
            << (a.agencies().empty() ? "-" : absl::StrJoin(a.agencies(), ","))
            << (a.display_name().empty() ? "" : "  " + a.display_name())
            << "\n";
}

int CreateAccount() {
  v1::CreateAccountRequest request;
  v1::Account& account = *request.mutable_account();
  account.set_name(absl::GetFlag(FLAGS_account));
  account.set_unit(absl::GetFlag(FLAGS_unit));
  account.set_display_name(absl::GetFlag(FLAGS_display_name));
  account.set_system(absl::GetFlag(FLAGS_system));
  for (const std::string& word : absl::GetFlag(FLAGS_roles)) {
    std::optional<v1::Role> role = RoleFromWord(word);
    if (!role) return Usage(absl::StrCat("--roles: ", word, " is not a role"));
    account.add_roles(*role);
  }
  for (const std::string& agency : absl::GetFlag(FLAGS_agencies)) {
    account.add_agencies(agency);
  }
  if (account.name().empty() || account.unit().empty()) {
    return Usage("account create needs --account, --unit and --roles");
  }
  if (!account.system()) {
    std::optional<std::string> password = ReadPassword();
    if (!password) return Usage("account create: no password given");
    request.set_password(*password);
  }
  grpc::ClientContext context;
  SetDeadline(context);
  v1::CreateAccountResponse response;
  if (grpc::Status s = Accounts()->CreateAccount(&context, request, &response);
      !s.ok()) {
    return RpcFailed("account create", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    PrintAccount(response.account());
  }
  return 0;
}

int IssueToken() {
  v1::IssueTokenRequest request;
  request.set_account(absl::GetFlag(FLAGS_account));
  const std::string out = absl::GetFlag(FLAGS_out);
  if (request.account().empty() || out.empty()) {
    return Usage("account token needs --account and --out=FILE");
  }
  if (const int days = absl::GetFlag(FLAGS_days); days > 0) {
    request.mutable_valid_for()->set_seconds(int64_t{86400} * days);
  }
  grpc::ClientContext context;
  SetDeadline(context);
  v1::IssueTokenResponse response;
  if (grpc::Status s = Accounts()->IssueToken(&context, request, &response);
      !s.ok()) {
    return RpcFailed("account token", s);
  }
  if (!WriteSecret(out, response.token())) {
    std::cerr << "error: cannot write " << out << "\n";
    return 1;
  }
  std::cout << "token for " << request.account() << " in " << out
            << " (owner only), valid until "
            << FormatLocal(FromProto(response.expires_at())) << "\n";
  return 0;
}

int RevokeTokens() {
  v1::RevokeTokensRequest request;
  request.set_account(absl::GetFlag(FLAGS_account));
  if (request.account().empty()) return Usage("account revoke needs --account");
  grpc::ClientContext context;
  SetDeadline(context);
  v1::RevokeTokensResponse response;
  if (grpc::Status s = Accounts()->RevokeTokens(&context, request, &response);
      !s.ok()) {
    return RpcFailed("account revoke", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  std::cout << "every token of " << request.account()
            << " signed so far is revoked (generation "
            << response.account().token_generation() << ")\n";
  return 0;
}

int ListAccounts() {
  v1::ListAccountsRequest request;
  v1::ListAccountsResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return Accounts()->ListAccounts(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("account list", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  for (const v1::Account& a : response.accounts()) PrintAccount(a);
  return 0;
}

}  // namespace

std::string TokenFile() {
  if (std::string flag = absl::GetFlag(FLAGS_token_file); !flag.empty()) {
    return flag;
  }
  if (const char* env = std::getenv("TIENDO_TOKEN_FILE")) return env;
  const char* config = std::getenv("XDG_CONFIG_HOME");
  if (config != nullptr && *config != '\0') {
    return absl::StrCat(config, "/tiendo/token");
  }
  const char* home = std::getenv("HOME");
  return absl::StrCat(home != nullptr ? home : ".", "/.config/tiendo/token");
}

int Login() {
  v1::LoginRequest request;
  request.set_account(absl::GetFlag(FLAGS_account));
  if (request.account().empty()) return Usage("login needs --account");
  std::optional<std::string> password = ReadPassword();
  if (!password) return Usage("login: no password given");
  request.set_password(*password);
  grpc::ClientContext context;
  SetDeadline(context);
  v1::LoginResponse response;
  if (grpc::Status s = Accounts()->Login(&context, request, &response);
      !s.ok()) {
    return RpcFailed("login", s);
  }
  const std::string path = TokenFile();
  if (!WriteSecret(path, response.token())) {
    std::cerr << "error: cannot write " << path << "\n";
    return 1;
  }
  std::cout << "signed in as " << response.account().name() << " until "
            << FormatLocal(FromProto(response.expires_at())) << " (token in "
            << path << ")\n";
  return 0;
}

int Logout() {
  std::error_code error;
  std::filesystem::remove(TokenFile(), error);
  std::cout << "signed out\n";
  return 0;
}

int WhoAmI() {
  grpc::ClientContext context;
  SetDeadline(context);
  v1::WhoAmIResponse response;
  if (grpc::Status s =
          Accounts()->WhoAmI(&context, v1::WhoAmIRequest(), &response);
      !s.ok()) {
    return RpcFailed("whoami", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    PrintAccount(response.account());
  }
  return 0;
}

int AccountCommand(const std::vector<std::string>& args) {
  const std::string sub = args.empty() ? "" : args[0];
  if (sub == "create") return CreateAccount();
  if (sub == "token") return IssueToken();
  if (sub == "revoke") return RevokeTokens();
  if (sub == "list") return ListAccounts();
  return Usage("account needs create, token, revoke or list");
}

}  // namespace tiendo::cli
