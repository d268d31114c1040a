#include "services/common/audit_interceptor.h"

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "services/common/utf8.h"

namespace tiendo {
namespace {

// Fields whose values name things: the subject of a record.
const std::set<std::string>& SubjectFields() {
  static const auto* const fields = new std::set<std::string>{
      "task_id", "plan_id", "occurrence_id", "request_id", "agency", "unit",
      "account", "name",    "code",          "parent",     "id",     "alias"};
  return *fields;
}

constexpr size_t kMaxSubjectBytes = 1000;

void AddFields(const google::protobuf::Message& message,
               absl::string_view prefix, int depth,
               std::vector<std::string>& parts) {
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    const std::string name = absl::StrCat(prefix, field->name());
    if (field->cpp_type() ==
        google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (depth == 0 && !field->is_repeated()) {
        AddFields(reflection->GetMessage(message, field), name + ".", 1, parts);
      } else if (field->is_repeated()) {
        parts.push_back(absl::StrCat(
            name, ": ", reflection->FieldSize(message, field), " items"));
      }
      continue;
    }
    if (field->cpp_type() !=
            google::protobuf::FieldDescriptor::CPPTYPE_STRING ||
        field->is_repeated() || !SubjectFields().contains(field->name())) {
      continue;
    }
    parts.push_back(
        absl::StrCat(name, "=", reflection->GetString(message, field)));
  }
}

class AuditInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuditInterceptor(grpc::experimental::ServerRpcInfo* info, AuditLog& log,
                   const Authenticator& auth)
      : info_(info), log_(log), auth_(auth) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    // Only tiendo's own services carry protobuf messages here: the health
    // and reflection services read raw bytes.
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        subject_.empty() && IsTiendoMethod()) {
      const void* request = methods->GetRecvMessage();
      if (request != nullptr) {
        subject_ = AuditSubject(
            *static_cast<const google::protobuf::Message*>(request));
      }
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  bool IsTiendoMethod() const {
    return info_->method() != nullptr &&
           absl::StartsWith(info_->method(), "/tiendo.v1.");
  }

  void Record(const grpc::Status& status) {
    const std::string method =
        info_->method() != nullptr ? info_->method() : "";
    const bool refused =
        status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
        status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    if (!refused && !IsAuditedMethod(method)) return;
    grpc::ServerContextBase* context = info_->server_context();
    if (context == nullptr) return;
    v1::AuditRecord record;
    record.set_method(std::string(absl::StripPrefix(method, "/")));
    record.set_peer(context->peer());
    absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
    if (caller.ok()) {
      record.set_account(caller->account.name());
      record.set_unit(caller->account.unit());
      *record.mutable_agencies() = caller->account.agencies();
    }
    record.set_subject(subject_);
    record.set_code(absl::StatusCodeToString(
        static_cast<absl::StatusCode>(status.error_code())));
    record.set_message(
        std::string(TruncateUtf8(status.error_message(), kMaxSubjectBytes)));
    log_.Append(std::move(record));
  }

  grpc::experimental::ServerRpcInfo* info_;
  AuditLog& log_;
  const Authenticator& auth_;
  std::string subject_;
};

class AuditInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  AuditInterceptorFactory(AuditLog& log, const Authenticator& auth)
      : log_(log), auth_(auth) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new AuditInterceptor(info, log_, auth_);
  }

 private:
  AuditLog& log_;
  const Authenticator& auth_;
};

}  // namespace

bool IsAuditedMethod(absl::string_view method) {
  static const auto* const audited = new std::set<std::string, std::less<>>{
      "CreatePlan",         "ImportPlan",     "AddUnit",
      "AddAgency",          "AddAgencyAlias", "SetTaskLinks",
      "CascadePlan",        "RecordTrigger",  "ReportProgress",
      "ReportMeasurements", "MarkRead",       "SetSubscription",
      "DeleteSubscription", "Rebuild",        "SetTime",
      "AdvanceTime",        "Login",          "CreateAccount",
      "IssueToken"};
  const size_t slash = method.rfind('/');
  return slash != absl::string_view::npos &&
         audited->contains(method.substr(slash + 1));
}

std::string AuditSubject(const google::protobuf::Message& request) {
  std::vector<std::string> parts;
  AddFields(request, "", 0, parts);
  return std::string(
      TruncateUtf8(absl::StrJoin(parts, "; "), kMaxSubjectBytes));
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
NewAuditInterceptorFactory(AuditLog& log, const Authenticator& auth) {
  return std::make_unique<AuditInterceptorFactory>(log, auth);
}

}  // namespace tiendo
