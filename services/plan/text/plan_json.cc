// The JSON of `tiendoctl plan parse --json`. Field names are part of the
// interface (README.md); dates are "YYYY-MM-DD", absent parts are null.
#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/plan_text_parser.h"

namespace tiendo::plantext {
namespace {

using Json = nlohmann::ordered_json;

Json DateOrNull(const v1::LocalDate& date) {
  if (date.year() == 0) return nullptr;
  return IsoDate(date);
}

std::string EnumSuffix(const std::string& name, absl::string_view prefix) {
  std::string out = name.substr(std::min(name.size(), prefix.size()));
  return absl::AsciiStrToLower(out);
}

Json DocumentJson(const v1::DocumentRef& document) {
  Json out;
  out["kind"] = document.kind();
  out["number"] = document.number();
  out["date"] = DateOrNull(document.date());
  out["issuer"] = document.issuer();
  out["text"] = document.text();
  return out;
}

Json ScheduleJson(const v1::Schedule& schedule) {
  Json out;
  out["milestones"] = Json::array();
  for (const v1::Milestone& milestone : schedule.milestones()) {
    out["milestones"].push_back(
        {{"due", IsoDate(milestone.due())}, {"text", milestone.text()}});
  }
  if (schedule.has_ongoing()) {
    out["ongoing"] = {{"start", DateOrNull(schedule.ongoing().start())},
                      {"until", DateOrNull(schedule.ongoing().until())},
                      {"until_expected", schedule.ongoing().until_expected()}};
  } else {
    out["ongoing"] = nullptr;
  }
  if (schedule.has_recurrence()) {
    out["recurrence"] = {
        {"every",
         EnumSuffix(v1::Period_Name(schedule.recurrence().every()), "PERIOD_")},
        {"day", schedule.recurrence().day()}};
  } else {
    out["recurrence"] = nullptr;
  }
  out["triggered"] = schedule.triggered();
  out["trigger"] = schedule.trigger();
  out["text"] = schedule.text();
  out["not_understood"] = Json::array();
  for (const std::string& part : schedule.not_understood()) {
    out["not_understood"].push_back(part);
  }
  return out;
}

Json TargetJson(const v1::Target& target) {
  Json out;
  out["indicator"] = target.indicator();
  out["percent"] = target.percent();
  out["direction"] = EnumSuffix(v1::TargetDirection_Name(target.direction()),
                                "TARGET_DIRECTION_");
  out["due"] = DateOrNull(target.due());
  out["due_inferred"] = target.due_inferred();
  out["text"] = target.text();
  return out;
}

Json Strings(const google::protobuf::RepeatedPtrField<std::string>& values) {
  Json out = Json::array();
  for (const std::string& value : values) out.push_back(value);
  return out;
}

}  // namespace

std::string ParsedPlanJson(const v1::CreatePlanRequest& request,
                           PlanFormat format) {
  Json plan;
  plan["number"] = request.number();
  plan["issued"] = DateOrNull(request.issued());
  plan["unit"] = request.unit();
  plan["implements"] = request.implements();
  plan["unit_name"] = request.unit_name();
  plan["title"] = request.title();
  plan["year"] = request.year();
  plan["format"] = std::string(PlanFormatName(format));
  plan["standing_agency"] = request.standing_agency();
  plan["implements_document"] =
      request.has_implements_document()
          ? DocumentJson(request.implements_document())
          : Json(nullptr);
  plan["needs_review"] = Strings(request.needs_review());
  plan["agencies"] = Json::array();
  for (const v1::Agency& agency : request.agencies()) {
    plan["agencies"].push_back(
        {{"code", agency.code()}, {"name", agency.name()}});
  }

  Json tasks = Json::array();
  for (const v1::SectionSpec& section : request.sections()) {
    for (const v1::TaskSpec& task : section.tasks()) {
      Json out;
      out["section"] = section.code();
      out["number"] = task.number();
      out["title"] = task.title();
      out["lead"] = Strings(task.lead_agencies());
      out["coordinators"] = Strings(task.coordinating_agencies());
      out["documents"] = Json::array();
      for (const v1::DocumentRef& document : task.documents()) {
        out["documents"].push_back(DocumentJson(document));
      }
      out["schedule"] = ScheduleJson(task.schedule());
      out["targets"] = Json::array();
      for (const v1::Target& target : task.targets()) {
        out["targets"].push_back(TargetJson(target));
      }
      out["needs_review"] = Strings(task.needs_review());
      out["kind"] = EnumSuffix(v1::TaskKind_Name(task.kind()), "TASK_KIND_");
      out["section_title"] = section.title();
      out["subsection_title"] = task.subsection_title();
      out["due"] = DateOrNull(task.due_date());
      out["result"] = task.expected_result();
      out["unknown_agencies"] = Strings(task.unknown_agencies());
      out["implements"] = Strings(task.implements());
      out["line"] = task.source_line();
      tasks.push_back(std::move(out));
    }
  }
  Json root;
  root["plan"] = std::move(plan);
  root["tasks"] = std::move(tasks);
  return root.dump(2);
}

}  // namespace tiendo::plantext
