#include "tools/tiendoctl/cli.h"

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/common/clock.h"
#include "services/common/proto_convert.h"
#include "services/common/tls.h"
#include "services/common/utf8.h"
#include "tools/tiendoctl/account_commands.h"

ABSL_DECLARE_FLAG(int, timeout_s);
ABSL_FLAG(std::string, tls_ca, "",
          "PEM file of the CA that signed the services' certificates "
          "(default: $TIENDO_TLS_CA, else the system's trusted roots)");
ABSL_FLAG(std::string, tls_cert, "",
          "client certificate, when the services require one (default: "
          "$TIENDO_TLS_CERT)");
ABSL_FLAG(std::string, tls_key, "",
          "its private key (default: $TIENDO_TLS_KEY)");
ABSL_FLAG(bool, plaintext, false, "connect without TLS");

namespace tiendo::cli {

int Usage(const std::string& why) {
  std::cerr << "tiendoctl: " << why << "\n\n" << UsageText() << "\n";
  return 2;
}

namespace {

// The flag, or the environment variable when the flag is not given.
std::string FlagOrEnv(const absl::Flag<std::string>& flag, const char* env) {
  std::string value = absl::GetFlag(flag);
  if (value.empty()) {
    const char* from_env = std::getenv(env);
    if (from_env != nullptr) value = from_env;
  }
  return value;
}

std::shared_ptr<grpc::ChannelCredentials> Credentials() {
  TlsSettings settings;
  settings.plaintext = absl::GetFlag(FLAGS_plaintext);
  settings.ca_file = FlagOrEnv(FLAGS_tls_ca, "TIENDO_TLS_CA");
  settings.cert_file = FlagOrEnv(FLAGS_tls_cert, "TIENDO_TLS_CERT");
  settings.key_file = FlagOrEnv(FLAGS_tls_key, "TIENDO_TLS_KEY");
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      ChannelCredentials(settings);
  if (!credentials.ok()) {
    std::cerr << "tiendoctl: " << credentials.status().message() << "\n";
    std::exit(2);
  }
  // The signed-in token rides on every call (gRPC sends it over TLS only).
  std::ifstream file(TokenFile());
  std::string token;
  if (!settings.plaintext && std::getline(file, token) && !token.empty()) {
    return grpc::CompositeChannelCredentials(
        *credentials, grpc::AccessTokenCredentials(token));
  }
  return *std::move(credentials);
}

}  // namespace

std::shared_ptr<grpc::Channel> Channel(const std::string& address) {
  static const std::shared_ptr<grpc::ChannelCredentials> credentials =
      Credentials();
  return grpc::CreateChannel(address, credentials);
}

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(absl::GetFlag(FLAGS_timeout_s)));
}

int RpcFailed(const std::string& what, const grpc::Status& status) {
  // gRPC's codes are absl's, number for number.
  const std::string code = absl::StatusCodeToString(
      static_cast<absl::StatusCode>(status.error_code()));
  std::cerr << "error: " << what << ": " << (code.empty() ? "?" : code) << ": "
            << status.error_message() << "\n";
  return 1;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

// One message on one line (streams print one per event).
std::string ToJsonLine(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string line;
  (void)google::protobuf::util::MessageToJsonString(message, &line, options);
  return line;
}

void PrintJsonLine(const google::protobuf::Message& message) {
  std::cout << ToJsonLine(message) << std::endl;
}

void PrintJson(const google::protobuf::Message& message) {
  std::cout << ToJson(message);
  std::cout.flush();
}

std::string Day(const v1::LocalDate& date) {
  if (!IsSet(date)) return "—";
  return FormatDayVi(absl::CivilDay(date.year(), date.month(), date.day()));
}

std::string Title(const std::string& text, size_t max_bytes) {
  absl::string_view line = absl::string_view(text).substr(0, text.find('\n'));
  if (line.size() <= max_bytes) return std::string(line);
  return absl::StrCat(TruncateUtf8(line, max_bytes), "…");
}

std::optional<absl::Time> ParseTimeArg(const std::string& text) {
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  for (const char* format :
       {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d"}) {
    if (absl::ParseTime(format, text, LocalZone(), &t, &err)) return t;
  }
  return std::nullopt;
}

}  // namespace tiendo::cli
