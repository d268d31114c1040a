#include "services/plan/cascade.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "services/common/utf8.h"
#include "services/plan/text/fold.h"

namespace tiendo::plan {
namespace {

// Words that say nothing about what a task is.
bool IsStopWord(absl::string_view word) {
  static const auto* kStop = new absl::flat_hash_set<std::string>{
      "va",  "cac", "cua", "cho", "de",   "voi",   "trong", "tren", "theo",
      "tai", "ve",  "la",  "co",  "duoc", "nhung", "mot",   "thuc", "hien",
      "the", "nay", "tu",  "den", "khi",  "dia",   "ban",   "nam",  "2026"};
  return word.size() < 2 || kStop->contains(word);
}

absl::flat_hash_set<std::string> Features(const v1::Task& task) {
  const std::string key = plantext::MatchKey(
      absl::StrCat(task.title(), " ", task.expected_result()));
  std::vector<std::string> words;
  for (absl::string_view word : absl::StrSplit(key, ' ', absl::SkipEmpty())) {
    if (!IsStopWord(word)) words.emplace_back(word);
  }
  absl::flat_hash_set<std::string> features(words.begin(), words.end());
  for (size_t i = 1; i < words.size(); ++i) {
    features.insert(absl::StrCat(words[i - 1], " ", words[i]));
  }
  return features;
}

double Dice(const absl::flat_hash_set<std::string>& a,
            const absl::flat_hash_set<std::string>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0;
  for (const std::string& f : a) common += b.contains(f) ? 1 : 0;
  return 2.0 * static_cast<double>(common) /
         static_cast<double>(a.size() + b.size());
}

double Score(const v1::Task& lower,
             const absl::flat_hash_set<std::string>& lower_features,
             const v1::Task& higher,
             const absl::flat_hash_set<std::string>& higher_features) {
  const double text = Dice(lower_features, higher_features);
  const double bonus = lower.section() == higher.section() ? 0.15 : 0.0;
  return std::min(1.0, text + bonus);
}

// The title's first line, at most max_bytes, cut on a character boundary
// (a string field must stay valid UTF-8).
std::string FirstLine(const std::string& text, size_t max_bytes) {
  absl::string_view line = absl::string_view(text).substr(0, text.find('\n'));
  return std::string(TruncateUtf8(line, max_bytes));
}

// The commune's People's Committee, which leads the cascaded tasks; an
// error for a unit that is no commune of the plan's unit or lacks one.
absl::StatusOr<std::string> CommitteeOf(const v1::Plan& plan,
                                        const plantext::RegistryUnit* unit,
                                        const std::string& commune) {
  if (unit == nullptr) {
    return absl::NotFoundError(
        absl::StrFormat("units: unit '%s' is not in the registry", commune));
  }
  if (unit->parent != plan.unit()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "units: '%s' is not a commune of %s", commune, plan.unit()));
  }
  std::string committee;
  for (const plantext::RegistryAgency& agency : unit->agencies) {
    if (agency.kind == "committee" && committee.empty())
      committee = agency.code;
  }
  if (committee.empty()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "units: '%s' has no People's Committee (an agency of kind "
        "\"committee\") in the registry",
        commune));
  }
  if (unit->standing_agency.empty()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "units: '%s' has no standing agency in the registry", commune));
  }
  return committee;
}

// The commune plan's header: the plan it implements, number and date
// left for review.
v1::CreatePlanRequest CommuneHeader(const v1::Plan& plan,
                                    const plantext::RegistryUnit& unit) {
  v1::CreatePlanRequest request;
  request.set_unit(unit.code);
  request.set_unit_name(unit.name);
  request.set_number(plan.number());
  request.set_year(plan.year());
  request.set_title(
      absl::StrCat("Kế hoạch của ", unit.name, " thực hiện: ", plan.title()));
  // A provincial plan without a number is named by its id.
  request.set_implements(plan.number().empty() ? plan.id() : plan.number());
  v1::DocumentRef* implements = request.mutable_implements_document();
  implements->set_kind("Kế hoạch");
  implements->set_number(plan.number());
  if (plan.issued().year() != 0) *implements->mutable_date() = plan.issued();
  implements->set_issuer(plan.unit_name());
  request.set_standing_agency(unit.standing_agency);
  request.add_needs_review("number");
  request.add_needs_review("issued");
  return request;
}

// Whether the task names one of the commune's agencies (their codes), as
// lead or coordinator.
bool NamesCommune(const v1::Task& task,
                  const std::set<std::string>& commune_codes) {
  bool names_commune = false;
  for (const std::string& code : task.lead_agencies()) {
    names_commune = names_commune || commune_codes.contains(code);
  }
  for (const std::string& code : task.coordinating_agencies()) {
    names_commune = names_commune || commune_codes.contains(code);
  }
  return names_commune;
}

// The commune's copy of a provincial task: led by its committee with its
// standing agency, implementing the task, the lead left for review.
void CopyTask(const v1::Task& task, const std::string& committee,
              const std::string& standing_agency, v1::TaskSpec& spec) {
  spec.set_number(task.number());
  spec.set_title(task.title());
  spec.add_lead_agencies(committee);
  if (standing_agency != committee) {
    spec.add_coordinating_agencies(standing_agency);
  }
  *spec.mutable_directing_documents() = task.directing_documents();
  spec.set_expected_result(task.expected_result());
  if (task.due_date().year() != 0) *spec.mutable_due_date() = task.due_date();
  spec.set_timeframe(task.timeframe());
  *spec.mutable_schedule() = task.schedule();
  *spec.mutable_targets() = task.targets();
  *spec.mutable_documents() = task.documents();
  spec.add_needs_review("lead");
  spec.add_implements(task.id());
  spec.set_implements_confirmed(true);
  spec.set_kind(task.kind());
  spec.set_subsection_title(task.subsection_title());
}

}  // namespace

double TaskSimilarity(const v1::Task& lower, const v1::Task& higher) {
  return Score(lower, Features(lower), higher, Features(higher));
}

std::vector<v1::TaskLinkProposal> ProposeLinks(
    const std::vector<v1::Task>& tasks, const std::vector<v1::Task>& higher,
    int limit, double min_score) {
  std::vector<absl::flat_hash_set<std::string>> higher_features;
  higher_features.reserve(higher.size());
  for (const v1::Task& task : higher) higher_features.push_back(Features(task));
  std::vector<v1::TaskLinkProposal> proposals;
  for (const v1::Task& task : tasks) {
    const auto features = Features(task);
    std::vector<std::pair<double, size_t>> scored;
    for (size_t i = 0; i < higher.size(); ++i) {
      const bool report = task.kind() == v1::TASK_KIND_REPORT;
      if (report != (higher[i].kind() == v1::TASK_KIND_REPORT)) continue;
      const double score = Score(task, features, higher[i], higher_features[i]);
      if (score >= min_score) scored.emplace_back(score, i);
    }
    // Best first; equal scores keep the higher plan's order.
    std::stable_sort(
        scored.begin(), scored.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    v1::TaskLinkProposal& proposal = proposals.emplace_back();
    proposal.set_task_id(task.id());
    for (int i = 0; i < limit && i < static_cast<int>(scored.size()); ++i) {
      v1::TaskLinkCandidate* candidate = proposal.add_candidates();
      const v1::Task& match = higher[scored[i].second];
      candidate->set_task_id(match.id());
      candidate->set_score(scored[i].first);
      candidate->set_title(FirstLine(match.title(), 200));
    }
  }
  return proposals;
}

absl::StatusOr<v1::CreatePlanRequest> CascadeToCommune(
    const v1::Plan& plan, const std::vector<v1::Task>& tasks,
    const plantext::AgencyRegistry& registry, const std::string& commune) {
  const plantext::RegistryUnit* unit = registry.Unit(commune);
  absl::StatusOr<std::string> committee = CommitteeOf(plan, unit, commune);
  if (!committee.ok()) return committee.status();
  v1::CreatePlanRequest request = CommuneHeader(plan, *unit);
  std::set<std::string> commune_codes;
  for (const plantext::RegistryAgency& agency : unit->agencies) {
    commune_codes.insert(agency.code);
  }
  std::map<std::string, int> sections;
  for (const v1::Task& task : tasks) {
    if (!NamesCommune(task, commune_codes)) continue;
    auto [it, inserted] =
        sections.emplace(task.section(), request.sections_size());
    if (inserted) {
      v1::SectionSpec* section = request.add_sections();
      section->set_code(task.section());
      section->set_title(task.section_title());
    }
    CopyTask(task, *committee, unit->standing_agency,
             *request.mutable_sections(it->second)->add_tasks());
  }
  if (request.sections_size() == 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "plan %s has no task that names the communes", plan.id()));
  }
  for (const std::string& code :
       std::set<std::string>{*committee, unit->standing_agency}) {
    v1::Agency* agency = request.add_agencies();
    agency->set_code(code);
    const plantext::RegistryAgency* known = registry.Agency(code);
    agency->set_name(known != nullptr ? known->name : code);
  }
  return request;
}

}  // namespace tiendo::plan
