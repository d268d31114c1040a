#include "tests/fuzz/plan_text_fuzz_target.h"

#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/plan/text/agency_registry.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/documents.h"
#include "services/plan/text/plan_text_parser.h"
#include "services/plan/text/targets.h"
#include "services/plan/text/timeframe.h"

namespace tiendo::plantext {
namespace {

const AgencyRegistry& Registry() {
  static const auto* registry =
      new AgencyRegistry(*AgencyRegistry::FromJson(DefaultRegistryJson()));
  return *registry;
}

bool ValidDate(const v1::LocalDate& date) {
  return MakeDate(date.year(), date.month(), date.day(), "").ok();
}

std::string CheckSchedule(const v1::Schedule& schedule) {
  for (const v1::Milestone& milestone : schedule.milestones()) {
    if (!ValidDate(milestone.due())) return "milestone with an invalid date";
  }
  if (schedule.has_ongoing()) {
    const v1::Ongoing& ongoing = schedule.ongoing();
    if (ongoing.start().year() != 0 && !ValidDate(ongoing.start())) {
      return "ongoing start invalid";
    }
    if (ongoing.until().year() != 0 && !ValidDate(ongoing.until())) {
      return "ongoing until invalid";
    }
  }
  if (schedule.has_recurrence() &&
      (schedule.recurrence().day() < 0 || schedule.recurrence().day() > 31)) {
    return "recurrence day out of range";
  }
  return "";
}

std::string CheckTarget(const v1::Target& target) {
  if (!(target.percent() >= 0 && target.percent() <= 100)) {
    return "target percent outside 0..100";
  }
  if (!ValidDate(target.due())) return "target without a valid due date";
  return "";
}

}  // namespace

std::string CheckPlanTextInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  for (PlanFormat format : {PlanFormat::kAuto, PlanFormat::kTable,
                            PlanFormat::kCsv, PlanFormat::kProse}) {
    ParseOptions options;
    options.format = format;
    options.unit = "vinh-thuy";
    options.year = 2026;
    absl::StatusOr<ParsedPlan> parsed =
        ParsePlanText(input, Registry(), options);
    if (!parsed.ok()) {
      if (parsed.status().message().empty()) return "error without a message";
      continue;
    }
    int tasks = 0;
    for (const v1::SectionSpec& section : parsed->request.sections()) {
      for (const v1::TaskSpec& task : section.tasks()) {
        ++tasks;
        if (task.number().empty()) return "task without a number";
        if (std::string e = CheckSchedule(task.schedule()); !e.empty()) {
          return e;
        }
        for (const v1::Target& target : task.targets()) {
          if (std::string e = CheckTarget(target); !e.empty()) return e;
        }
      }
    }
    if (tasks == 0) return "a plan without tasks was accepted";
    const std::string json = ParsedPlanJson(parsed->request, parsed->format);
    if (!nlohmann::json::accept(json)) return "parse --json is not JSON";
  }
  const std::string line = input.substr(0, input.find('\n'));
  absl::StatusOr<v1::Schedule> schedule =
      ParseTimeframe(line, {.plan_year = 2026});
  if (schedule.ok()) {
    if (std::string e = CheckSchedule(*schedule); !e.empty()) return e;
  }
  TargetContext context;
  context.plan_year = 2026;
  context.fallback_due = YearEnd(2026);
  absl::StatusOr<std::vector<v1::Target>> targets =
      ExtractTargets(line, context);
  if (targets.ok()) {
    for (const v1::Target& target : *targets) {
      if (std::string e = CheckTarget(target); !e.empty()) return e;
    }
  }
  absl::StatusOr<std::vector<v1::DocumentRef>> documents = ParseDocuments(line);
  if (documents.ok()) {
    for (const v1::DocumentRef& document : *documents) {
      if (document.has_date() && !ValidDate(document.date())) {
        return "document with an invalid date";
      }
    }
  }
  (void)Registry().Resolve("dong-thap", line);
  return "";
}

}  // namespace tiendo::plantext
