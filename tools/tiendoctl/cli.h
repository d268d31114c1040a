#ifndef TIENDO_TOOLS_TIENDOCTL_CLI_H_
#define TIENDO_TOOLS_TIENDOCTL_CLI_H_

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "services/common/page_loop.h"
#include "services/common/paging.h"
#include "tiendo/v1/common.pb.h"

namespace tiendo::cli {

// The usage text, defined next to the command table.
const char* UsageText();

// Prints why and the usage; returns the exit code for bad usage (2).
int Usage(const std::string& why);
std::shared_ptr<grpc::Channel> Channel(const std::string& address);
// Applies --timeout_s to a call.
void SetDeadline(grpc::ClientContext& context);
// Calls a List RPC page after page (each with --timeout_s) and gathers
// every row into `response`: `call(context, request, response)` makes one
// call.
template <typename Request, typename Response, typename Call>
grpc::Status ListAll(Request request, Response* response, Call call) {
  return MergeAllPages(std::move(request), response, call, SetDeadline);
}
// Prints "error: what: CODE: message"; returns 1.
int RpcFailed(const std::string& what, const grpc::Status& status);

std::string ToJson(const google::protobuf::Message& message);
std::string ToJsonLine(const google::protobuf::Message& message);
void PrintJsonLine(const google::protobuf::Message& message);
void PrintJson(const google::protobuf::Message& message);

// "2026-05-28" and "2026-05-28T08:00" are local times; anything else must
// be RFC 3339 with an offset.
std::optional<absl::Time> ParseTimeArg(const std::string& text);

// "31/12/2026", or "—" for an unset date.
std::string Day(const v1::LocalDate& date);
// The first line of a text, cut to max_bytes on a character boundary.
std::string Title(const std::string& text, size_t max_bytes = 70);

}  // namespace tiendo::cli

#endif  // TIENDO_TOOLS_TIENDOCTL_CLI_H_
