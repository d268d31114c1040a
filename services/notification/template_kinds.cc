// The fields each kind of notification gives its template.

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/notification/templates.h"

namespace tiendo::notification {
namespace {

using Fields = std::vector<std::string>;

Fields Concat(const Fields& a, const Fields& b) {
  Fields out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// What NotificationFields gives every notification.
const Fields& CommonFields() {
  static const auto* const kFields = new Fields{
      // The recipient and the unit, as the plan names them.
      "agency", "unit",
      // The task as the plan writes it, and the ids needed to act on it.
      "section", "number", "title", "task_id", "lead", "standing",
      // The occurrence or period.
      "occurrence", "occurrence_id", "due_date", "days_left", "days_overdue",
      // The same by code and shortened, as the inbox writes them.
      "unit_code", "lead_codes", "standing_code", "short_title", "task_ref",
      // Flags: sent to the standing body as an escalation; due today; the
      // occurrence's label when it says more than the due date.
      "escalation", "due_today", "named_occurrence"};
  return *kFields;
}

const std::map<std::string, Fields, std::less<>>& FieldsByKind() {
  // Deadline notices also say whether the work is a periodic report and
  // whether a difficulty holds it up (an overdue one may be either).
  const Fields deadline = Concat(CommonFields(), {"report", "blocked"});
  static const auto* const kByKind =
      new std::map<std::string, Fields, std::less<>>{
          {"reminder", deadline},
          {"report_due", deadline},
          {"blocked", deadline},
          {"overdue", deadline},
          // Overdue long enough to go to the standing body of the unit above.
          {"escalated", Concat(deadline, {"upper_unit", "upper_standing",
                                          "upper_standing_code"})},
          {"difficulty", Concat(CommonFields(), {"reporter", "difficulty"})},
          {"difficulty_resolved", Concat(CommonFields(), {"reporter", "note"})},
          {"at_risk",
           Concat(CommonFields(), {"indicator", "percent", "projected",
                                   "target", "gap", "as_of"})},
          {"digest",
           {"agency", "date", "count", "overdue_count", "upcoming_count",
            "items", "overdue_items", "upcoming_items"}},
      };
  return *kByKind;
}

}  // namespace

const std::vector<std::string>& TemplateSet::FieldsOf(absl::string_view kind) {
  auto it = FieldsByKind().find(kind);
  return it == FieldsByKind().end() ? CommonFields() : it->second;
}

}  // namespace tiendo::notification
