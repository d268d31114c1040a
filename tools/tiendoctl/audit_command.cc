#include "tools/tiendoctl/audit_command.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/clock.h"
#include "services/common/page_loop.h"
#include "services/common/proto_convert.h"
#include "tiendo/v1/audit.grpc.pb.h"
#include "tools/tiendoctl/cli.h"

ABSL_FLAG(std::string, since, "", "from this time (default: 24 hours ago)");

ABSL_DECLARE_FLAG(std::string, plan_service);
ABSL_DECLARE_FLAG(std::string, progress_service);
ABSL_DECLARE_FLAG(std::string, notification_service);
ABSL_DECLARE_FLAG(std::string, aggregation_service);
ABSL_DECLARE_FLAG(std::string, unit);
ABSL_DECLARE_FLAG(std::string, account);
ABSL_DECLARE_FLAG(bool, json);

namespace tiendo::cli {
namespace {

void Print(const v1::AuditRecord& r) {
  std::cout << absl::StrFormat(
      "%s  %-12s %-22s %-18s %s  %s  %s%s\n", FormatLocal(FromProto(r.at())),
      r.service(), r.account().empty() ? "(no credential)" : r.account(),
      r.code(), r.method(), r.subject(), r.peer(),
      r.message().empty() ? "" : absl::StrCat("  — ", r.message()));
}

}  // namespace

int Audit() {
  v1::ListAuditRecordsRequest request;
  absl::Time since = absl::Now() - absl::Hours(24);
  if (const std::string text = absl::GetFlag(FLAGS_since); !text.empty()) {
    std::optional<absl::Time> parsed = ParseTimeArg(text);
    if (!parsed) return Usage(absl::StrCat("--since=", text, ": not a time"));
    since = *parsed;
  }
  *request.mutable_since() = ToProto(since);
  request.set_unit(absl::GetFlag(FLAGS_unit));
  request.set_account(absl::GetFlag(FLAGS_account));
  std::vector<v1::AuditRecord> records;
  for (const std::string& address :
       {absl::GetFlag(FLAGS_plan_service),
        absl::GetFlag(FLAGS_progress_service),
        absl::GetFlag(FLAGS_notification_service),
        absl::GetFlag(FLAGS_aggregation_service)}) {
    auto stub = v1::AuditService::NewStub(Channel(address));
    grpc::Status status =
        ForEachPage<v1::ListAuditRecordsRequest, v1::ListAuditRecordsResponse>(
            request,
            [&](grpc::ClientContext* context,
                const v1::ListAuditRecordsRequest& page,
                v1::ListAuditRecordsResponse* response) {
              return stub->ListAuditRecords(context, page, response);
            },
            [&](const v1::ListAuditRecordsResponse& response) {
              records.insert(records.end(), response.records().begin(),
                             response.records().end());
            },
            [](grpc::ClientContext& context) { SetDeadline(context); });
    if (!status.ok()) {
      return RpcFailed(absl::StrCat("audit of ", address), status);
    }
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const v1::AuditRecord& a, const v1::AuditRecord& b) {
                     return FromProto(a.at()) < FromProto(b.at());
                   });
  for (const v1::AuditRecord& r : records) {
    if (absl::GetFlag(FLAGS_json)) {
      PrintJsonLine(r);
    } else {
      Print(r);
    }
  }
  return 0;
}

}  // namespace tiendo::cli
