#include "services/progress/report_limits.h"

#include <initializer_list>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/input_limits.h"

namespace tiendo::progress {
namespace {

absl::Status CheckMeasurement(const v1::Measurement& m,
                              const std::string& field) {
  return CheckLengths(absl::StrCat(field, "."),
                      {{"indicator", m.indicator()},
                       {"unit_of_measure", m.unit_of_measure()},
                       {"unit", m.unit()}},
                      limits::kIdBytes);
}

absl::Status CheckEvidence(const v1::Evidence& e, const std::string& field) {
  if (absl::Status s = CheckLengths(
          absl::StrCat(field, "."),
          {{"document_number", e.document_number()}, {"link", e.link()}},
          limits::kReferenceBytes);
      !s.ok()) {
    return s;
  }
  return CheckLength(absl::StrCat(field, ".description"), e.description(),
                     limits::kNoteBytes);
}

}  // namespace

absl::Status CheckReportLimits(const v1::ReportProgressRequest& request) {
  if (absl::Status s =
          CheckLengths("",
                       {{"task_id", request.task_id()},
                        {"agency", request.agency()},
                        {"request_id", request.request_id()},
                        {"occurrence_id", request.occurrence_id()}},
                       limits::kIdBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckLengths("",
                       {{"note", request.note()},
                        {"difficulty", request.difficulty()},
                        {"reopen_reason", request.reopen_reason()}},
                       limits::kNoteBytes);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckEach("evidence", request.evidence(),
                                 limits::kEvidencePerReport, CheckEvidence);
      !s.ok()) {
    return s;
  }
  return CheckEach("measurements", request.measurements(),
                   limits::kMeasurementsPerReport, CheckMeasurement);
}

absl::Status CheckMeasurementItemLimits(const v1::MeasurementItem& item,
                                        const std::string& field) {
  if (absl::Status s = CheckLengths(absl::StrCat(field, "."),
                                    {{"task_id", item.task_id()},
                                     {"agency", item.agency()},
                                     {"request_id", item.request_id()}},
                                    limits::kIdBytes);
      !s.ok()) {
    return s;
  }
  return CheckMeasurement(item.measurement(),
                          absl::StrCat(field, ".measurement"));
}

}  // namespace tiendo::progress
