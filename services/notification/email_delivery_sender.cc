#include "services/notification/email_delivery_sender.h"

#include "absl/strings/str_cat.h"

namespace tiendo::notification {

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
  if (n.due_date().year() != 0) {
    fields["due_date"] = FormatDueDate(absl::CivilDay(
        n.due_date().year(), n.due_date().month(), n.due_date().day()));
  }
  fields["days_left"] = absl::StrCat(n.days_before());
  fields["days_overdue"] = absl::StrCat(n.days_overdue());
  fields["note"] = n.message();
  return fields;
}

AttemptResult EmailDeliverySender::Send(const DueDelivery& due) {
  const v1::Notification& n = due.notification;
  const std::string language =
      due.subscription.language().empty() ? "vi" : due.subscription.language();
  std::string subject, text, html;
  absl::StatusOr<RenderedMessage> rendered =
      templates_.Render(n.kind(), language, NotificationFields(n));
  if (rendered.ok()) {
    subject = rendered->subject;
    text = rendered->text;
    html = rendered->html;
  } else {
    // A kind without a template still reaches the person: the inbox text.
    subject =
        absl::StrCat("[tiendo] ", n.kind(), " ", n.section(), ".", n.number());
    text = n.message();
    html = absl::StrCat("<p>", HtmlEscape(n.message()), "</p>");
  }
  const SendResult result =
      email_.Send(due.subscription.address(), subject, text, html,
                  due.delivery.delivery_key());
  AttemptResult attempt;
  switch (result.outcome) {
    case SendResult::Outcome::kDelivered:
      attempt.outcome = Outcome::kSent;
      break;
    case SendResult::Outcome::kRetry:
      attempt.outcome = Outcome::kRetry;
      attempt.error = result.error;
      break;
    case SendResult::Outcome::kPermanent:
      attempt.outcome = Outcome::kPermanent;
      attempt.error = result.error;
      break;
  }
  return attempt;
}

}  // namespace tiendo::notification
