#include "services/aggregation/aggregation_grpc.h"

#include "absl/strings/str_cat.h"
#include "services/aggregation/monthly_report.h"
#include "services/common/access.h"
#include "services/common/paging.h"
#include "services/common/proto_convert.h"
#include "services/common/service_runtime.h"

namespace tiendo::aggregation {

absl::StatusOr<Credential> AggregationGrpcService::ViewerOf(
    const grpc::ServerContextBase& context, const std::string& unit) const {
  absl::StatusOr<Credential> caller = auth_.Require(context, v1::ROLE_VIEWER);
  if (!caller.ok()) return caller.status();
  if (absl::Status s = RequireWithin(
          *caller, unit,
          [this](const std::string& code) { return store_.ParentOf(code); },
          "unit");
      !s.ok()) {
    return s;
  }
  return caller;
}
namespace {

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

}  // namespace

grpc::Status AggregationGrpcService::Check(
    const std::string& unit, const google::protobuf::Timestamp* at,
    absl::Time& when) const {
  if (unit.empty()) return Invalid("unit: required");
  const absl::Time now = clock_.Now();
  when = now;
  if (at != nullptr) {
    when = FromProto(*at);
    if (when > now) {
      return Invalid(absl::StrCat("at: ", FormatLocal(when),
                                  " is in the future (now ", FormatLocal(now),
                                  ")"));
    }
  }
  const bool known =
      store_.Query(when, [&](const RollupView& v) { return v.Knows(unit); });
  if (!known) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        absl::StrCat("unit: unknown unit '", unit, "'"));
  }
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::GetRollup(
    grpc::ServerContext* context, const v1::GetRollupRequest* request,
    v1::GetRollupResponse* response) {
  if (absl::Status s = RequireViewerOf(*context, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::Time at;
  if (grpc::Status s = Check(request->unit(),
                             request->has_at() ? &request->at() : nullptr, at);
      !s.ok()) {
    return s;
  }
  v1::Rollup& rollup = *response->mutable_rollup();
  rollup = store_.Query(
      at, [&](const RollupView& v) { return v.Rollup(request->unit()); });
  *rollup.mutable_computed_at() = ToProto(clock_.Now());
  return grpc::Status::OK;
}

namespace {

// A unit's roll-up as a stream: a message whenever it really changed.
class RollupWatch final : public WatchReactor<v1::WatchRollupResponse> {
 public:
  RollupWatch(const AggregationStore& store, const Clock& clock,
              std::string unit)
      : store_(store), clock_(clock), unit_(std::move(unit)) {}

 private:
  absl::StatusOr<std::optional<v1::WatchRollupResponse>> Next() override {
    const absl::Time now = clock_.Now();
    v1::WatchRollupResponse message;
    v1::Rollup& rollup = *message.mutable_rollup();
    rollup =
        store_.Query(now, [&](const RollupView& v) { return v.Rollup(unit_); });
    // Compare without the instants: send only real changes (the day
    // rolling over can change overdue counts without any event).
    v1::Rollup comparable = rollup;
    comparable.clear_at();
    comparable.clear_computed_at();
    std::string key = comparable.SerializeAsString();
    if (key == last_sent_) return std::nullopt;
    *rollup.mutable_computed_at() = ToProto(now);
    last_sent_ = std::move(key);
    return message;
  }

  const AggregationStore& store_;
  const Clock& clock_;
  const std::string unit_;
  std::string last_sent_;  // the last roll-up sent, without its instants
};

}  // namespace

grpc::ServerWriteReactor<v1::WatchRollupResponse>*
AggregationGrpcService::WatchRollup(grpc::CallbackServerContext* context,
                                    const v1::WatchRollupRequest* request) {
  using Refused = RefusedWriteReactor<v1::WatchRollupResponse>;
  absl::StatusOr<Credential> caller = ViewerOf(*context, request->unit());
  if (!caller.ok()) return new Refused(ToGrpc(caller.status()));
  absl::Time at;
  if (grpc::Status s = Check(request->unit(), nullptr, at); !s.ok()) {
    return new Refused(s);
  }
  auto* watch = new RollupWatch(store_, clock_, request->unit());
  watch->Open(watches_, WatchAccount(*caller));
  return watch;
}

grpc::Status AggregationGrpcService::GetKpis(grpc::ServerContext* context,
                                             const v1::GetKpisRequest* request,
                                             v1::GetKpisResponse* response) {
  if (absl::Status s = RequireViewerOf(*context, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::Time at;
  if (grpc::Status s = Check(request->unit(),
                             request->has_at() ? &request->at() : nullptr, at);
      !s.ok()) {
    return s;
  }
  *response->mutable_kpis() = store_.Query(
      at, [&](const RollupView& v) { return v.Kpis(request->unit()); });
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::GetReportingRates(
    grpc::ServerContext* context, const v1::GetReportingRatesRequest* request,
    v1::GetReportingRatesResponse* response) {
  if (absl::Status s = RequireViewerOf(*context, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::Time at;
  if (grpc::Status s = Check(request->unit(),
                             request->has_at() ? &request->at() : nullptr, at);
      !s.ok()) {
    return s;
  }
  if (!request->period().empty()) {
    // Monthly periods are what the plans report on; a quarter or a year
    // ("2026-Q2", "2026") is a period key too.
    const std::string& p = request->period();
    if (p.size() < 4 || !std::isdigit(static_cast<unsigned char>(p[0]))) {
      return Invalid(
          absl::StrCat("period: \"", p, "\" is not a period key like 2026-05"));
    }
  }
  *response->mutable_rates() = store_.Query(at, [&](const RollupView& v) {
    return v.ReportingRates(request->unit(), request->period());
  });
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::GetRanking(
    grpc::ServerContext* context, const v1::GetRankingRequest* request,
    v1::GetRankingResponse* response) {
  if (absl::Status s = RequireViewerOf(*context, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::Time at;
  if (grpc::Status s = Check(request->unit(),
                             request->has_at() ? &request->at() : nullptr, at);
      !s.ok()) {
    return s;
  }
  *response->mutable_ranking() = store_.Query(at, [&](const RollupView& v) {
    return v.Ranking(request->unit(), weights_);
  });
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::GetMonthlyReport(
    grpc::ServerContext* context, const v1::GetMonthlyReportRequest* request,
    v1::GetMonthlyReportResponse* response) {
  if (absl::Status s = RequireViewerOf(*context, request->unit()); !s.ok()) {
    return ToGrpc(s);
  }
  absl::Time now;
  if (grpc::Status s = Check(request->unit(), nullptr, now); !s.ok()) return s;
  absl::StatusOr<absl::CivilMonth> month = ParseMonth(request->month());
  if (!month.ok()) return Invalid(std::string(month.status().message()));
  if (absl::CivilDay(*month) > LocalDay(now)) {
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        absl::StrCat("month: ", request->month(), " has not begun (today is ",
                     FormatDayVi(LocalDay(now)), ")"));
  }
  const absl::Time data_at = MonthDataTime(*month, now);
  *response->mutable_report() =
      store_.Query(data_at, [&](const RollupView& end) {
        RollupView current = end.WithInstant(now);
        return BuildMonthlyReport(end, current, request->unit(), *month);
      });
  std::string content_type;
  response->set_rendered(RenderMonthlyReport(response->report(),
                                             request->format(), &content_type));
  response->set_content_type(content_type);
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::ListUnits(
    grpc::ServerContext* context,
    const v1::AggregationServiceListUnitsRequest* request,
    v1::AggregationServiceListUnitsResponse* response) {
  absl::StatusOr<Credential> caller = auth_.Authenticate(*context);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::StatusOr<PageRequest> page =
      ReadPageRequest(request->page_size(), request->page_token());
  if (!page.ok()) return ToGrpc(page.status());
  // Held in memory in the unit tree's order, with no key to resume after:
  // paged by position (a short list, changed only by the registry).
  absl::StatusOr<std::vector<v1::AggregationUnit>> units = SliceByPosition(
      store_.Units(), *page, response->mutable_next_page_token());
  if (!units.ok()) return ToGrpc(units.status());
  for (v1::AggregationUnit& u : *units) *response->add_units() = std::move(u);
  return grpc::Status::OK;
}

grpc::Status AggregationGrpcService::Rebuild(
    grpc::ServerContext* context, const v1::RebuildRequest*,
    grpc::ServerWriter<v1::RebuildResponse>* writer) {
  absl::StatusOr<Credential> caller = auth_.Require(*context, v1::ROLE_ADMIN);
  if (!caller.ok()) return ToGrpc(caller.status());
  absl::Status status =
      rebuilder_.Rebuild([writer](const v1::RebuildProgress& p) {
        v1::RebuildResponse message;
        *message.mutable_progress() = p;
        writer->Write(message);
      });
  if (!status.ok()) return ToGrpc(status);
  v1::RebuildResponse message;
  v1::RebuildProgress& done = *message.mutable_progress();
  done.set_phase(v1::RebuildProgress::PHASE_DONE);
  done.set_done(1);
  done.set_total(1);
  done.set_finished(true);
  writer->Write(message);
  return grpc::Status::OK;
}

}  // namespace tiendo::aggregation
