#include "services/notification/notification_message.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "services/notification/message_fields.h"

namespace tiendo::notification {
namespace {

std::optional<absl::CivilDay> DueDay(const v1::Notification& n) {
  return DayOf(n.due_date());
}

int32_t FieldNumber(const TemplateFields& fields, const std::string& name) {
  auto it = fields.find(name);
  int32_t value = 0;
  if (it == fields.end() || !absl::SimpleAtoi(it->second, &value)) return 0;
  return value;
}

// The codes and flags the inbox message is written with.
void AddInboxFields(const v1::Notification& n, TemplateFields& fields) {
  fields["unit_code"] = n.unit();
  fields["lead_codes"] = absl::StrJoin(n.lead_agencies(), ", ");
  fields["standing_code"] = n.standing_agency();
  fields["short_title"] = Shorten(n.task_title(), kTitleBytes);
  fields["task_ref"] = TaskRef(n.task_id());
  fields["escalation"] = Flag(n.escalation());
  const std::string due = fields["due_date"];
  fields["due_today"] =
      Flag(!due.empty() && n.days_left() <= 0 && n.days_overdue() == 0);
  // A single milestone's label is its due date, which the text gives
  // anyway; a quarter or one of several milestones is worth naming.
  fields["named_occurrence"] =
      n.occurrence_label() == due ? "" : n.occurrence_label();
}

}  // namespace

TemplateFields NotificationFields(const v1::Notification& n) {
  TemplateFields fields;
  fields["agency"] = n.agency();
  fields["unit"] = n.unit();
  fields["section"] = n.section();
  fields["number"] = n.number();
  fields["title"] = n.task_title();
  fields["task_id"] = n.task_id();
  fields["occurrence"] = n.occurrence_label();
  fields["occurrence_id"] = n.occurrence_id();
  if (std::optional<absl::CivilDay> due = DueDay(n)) {
    fields["due_date"] = FormatDueDate(*due);
  }
  fields["days_left"] = absl::StrCat(n.days_left());
  fields["days_overdue"] = absl::StrCat(n.days_overdue());
  fields["lead"] = absl::StrJoin(n.lead_agencies(), ", ");
  fields["standing"] = n.standing_agency();
  AddInboxFields(n, fields);
  for (const auto& [name, value] : n.template_fields()) fields[name] = value;
  return fields;
}

std::string TemplateKind(const v1::Notification& n) {
  if (n.kind() == v1::NOTIFICATION_KIND_OVERDUE &&
      n.template_fields().contains("upper_standing")) {
    return "escalated";
  }
  return EnumWord(n.kind());
}

RenderedMessage RenderNotification(const v1::Notification& n,
                                   absl::string_view language,
                                   const TemplateSet& templates) {
  absl::StatusOr<RenderedMessage> rendered;
  if (n.kind() == v1::NOTIFICATION_KIND_DIGEST) {
    std::vector<DigestItem> items;
    for (const v1::Notification& item : n.items()) {
      std::optional<absl::CivilDay> due = DueDay(item);
      // By kind, not TemplateKind: the digest groups what is overdue.
      items.push_back({.kind = EnumWord(item.kind()),
                       .due_date = due.value_or(absl::CivilDay()),
                       .fields = NotificationFields(item)});
    }
    absl::StatusOr<absl::CivilDay> day =
        FromProto(n.digest_day(), "digest_day");
    rendered = day.ok() ? DigestComposer(templates).Compose(
                              language, n.agency(), *day, std::move(items))
                        : absl::StatusOr<RenderedMessage>(day.status());
  } else {
    rendered =
        templates.Render(TemplateKind(n), language, NotificationFields(n));
  }
  if (rendered.ok()) return *std::move(rendered);
  // A kind without a template still reaches the person: the inbox text.
  RenderedMessage fallback;
  fallback.subject = absl::StrCat("[tiendo] ", EnumWord(n.kind()), " ",
                                  n.section(), ".", n.number());
  fallback.text = n.message();
  fallback.html = absl::StrCat("<p>", HtmlEscape(n.message()), "</p>");
  return fallback;
}

bool IsDigestKind(v1::NotificationKind kind) {
  return kind == v1::NOTIFICATION_KIND_REMINDER ||
         kind == v1::NOTIFICATION_KIND_REPORT_DUE ||
         kind == v1::NOTIFICATION_KIND_BLOCKED ||
         kind == v1::NOTIFICATION_KIND_OVERDUE;
}

std::string DigestItemKey(const v1::Notification& n) {
  return n.occurrence_id().empty() ? n.task_id() : n.occurrence_id();
}

DigestPlan PlanDigest(const std::string& agency, absl::CivilDay day,
                      const std::vector<QueuedItem>& queued) {
  std::vector<DigestItem> items;
  items.reserve(queued.size());
  for (size_t i = 0; i < queued.size(); ++i) {
    const v1::Notification& n = queued[i].notification;
    std::optional<absl::CivilDay> due = DueDay(n);
    // A deadline notification always has its due date; one without cannot
    // be placed among the others and is left out.
    if (!due) continue;
    items.push_back({.kind = EnumWord(n.kind()),
                     .due_date = *due,
                     .fields = NotificationFields(n),
                     .source = static_cast<int64_t>(i)});
  }
  DigestPlan plan;
  plan.digest.set_agency(agency);
  plan.digest.set_kind(v1::NOTIFICATION_KIND_DIGEST);
  *plan.digest.mutable_digest_day() = ToProto(day);
  for (const DigestItem& item :
       DigestComposer::Arrange(std::move(items), day)) {
    const QueuedItem& source = queued[static_cast<size_t>(item.source)];
    v1::Notification& listed = *plan.digest.add_items();
    listed = source.notification;
    // The composer may have moved the item on (a reminder now overdue).
    listed.set_kind(EnumFromWord<v1::NotificationKind>(item.kind).value_or(
        source.notification.kind()));
    listed.set_days_left(FieldNumber(item.fields, "days_left"));
    listed.set_days_overdue(FieldNumber(item.fields, "days_overdue"));
    if (DigestComposer::RepeatsInNextDigest(item)) {
      plan.keep.push_back({source.id, listed});
    }
  }
  return plan;
}

}  // namespace tiendo::notification
