#ifndef TIENDO_SERVICES_NOTIFICATION_TEMPLATES_H_
#define TIENDO_SERVICES_NOTIFICATION_TEMPLATES_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/html.h"
#include "services/notification/template_file.h"

namespace tiendo::notification {

// One message ready for a channel.
struct RenderedMessage {
  std::string subject;
  std::string text;
  // A complete, minimal HTML document: the text, escaped, one <p> per
  // paragraph.
  std::string html;
  // The one-paragraph text of the inbox entry and of webhooks.
  std::string message;
};

// The message templates, one file per kind and language:
//   <dir>/<language>/<kind>.txt
// each a mustache template (TemplateFile): the subject on the first line,
// a blank line, the body, and after a "{{! message }}" line the message the
// inbox and webhooks carry, so every channel says the same thing from one
// file. The fields a template may name are FieldsOf(kind), checked at load
// so a typo in an edited template stops the service at start instead of
// sending "{{dealine}}" to people.
//
// Templates are data so wording can change without a rebuild: the shipped
// set (services/notification/templates) is compiled in as Default(), and a
// directory of the same shape replaces it (LoadDirectory).
class TemplateSet {
 public:
  // The language used when a subscription names none, or one with no
  // template for the kind; the inbox is written in it.
  static constexpr char kDefaultLanguage[] = "vi";

  // The fields a template of `kind` may name: what NotificationFields and
  // the composing of deliveries give a notification of that kind.
  static const std::vector<std::string>& FieldsOf(absl::string_view kind);
  // Kinds the default language must provide: the notification kinds of
  // v1::Subscription.kinds.
  static const std::vector<std::string>& RequiredKinds();

  // The shipped templates, compiled in. Aborts if they do not load, which
  // the unit tests rule out.
  static const TemplateSet& Default();

  // Reads every <language>/<kind>.txt under dir. Errors name the file, the
  // line and, for an unknown field, the field.
  static absl::StatusOr<TemplateSet> LoadDirectory(const std::string& dir);

  // The same from file contents keyed by "<language>/<kind>.txt"; `origin`
  // prefixes the names in errors (a directory, or "built-in").
  static absl::StatusOr<TemplateSet> FromFiles(
      const std::map<std::string, std::string>& files,
      const std::string& origin);

  // Whether `language` has its own template for `kind` (without falling
  // back to Vietnamese).
  bool Has(absl::string_view kind, absl::string_view language) const;
  // Languages with at least one template, sorted.
  std::vector<std::string> Languages() const;

  // The message for a notification of `kind` in `language` (falls back to
  // kDefaultLanguage, and so does a message part the language's file
  // leaves out). NotFound for a kind no template covers.
  absl::StatusOr<RenderedMessage> Render(absl::string_view kind,
                                         absl::string_view language,
                                         const TemplateFields& fields) const;

 private:
  const TemplateFile* Find(absl::string_view kind,
                           absl::string_view language) const;

  // "<language>/<kind>" -> template.
  std::map<std::string, TemplateFile> templates_;
};

// "31/05/2026": how dates are written in every message.
std::string FormatDueDate(absl::CivilDay day);

// One pending notification of an agency, waiting for its digest.
struct DigestItem {
  // "reminder", "overdue", "blocked", "report_due", ...: the template its
  // line in the digest is written with.
  std::string kind;
  // Due date of the occurrence; days_left / days_overdue are recomputed
  // from it for the digest's day.
  absl::CivilDay due_date;
  // The fields of the notification as for its own template. "occurrence_id"
  // (or else "task_id") identifies it: items with the same one are merged.
  TemplateFields fields;
  // The caller's reference to what the item came from; Arrange keeps it.
  int64_t source = 0;
};

// Writes one agency's daily digest: instead of a message per reminder, one
// message listing what is overdue and what is coming up.
//
// Overdue items repeat: an occurrence still overdue appears in every day's
// digest (with its days overdue counted to that day) until it is done,
// rather than as a new message each day. The caller therefore passes, each
// day, the notifications queued since the last digest together with the
// agency's overdue occurrences not yet done, and after sending keeps the
// items for which RepeatsInNextDigest() holds.
class DigestComposer {
 public:
  explicit DigestComposer(const TemplateSet& templates)
      : templates_(templates) {}

  // The items as the digest of `day` lists them: one per occurrence (an
  // overdue item wins over another kind for the same occurrence, otherwise
  // the first given stays), reminders, report reminders and blocked work
  // whose due date has passed shown as overdue, due_date / days_left /
  // days_overdue recomputed for `day`; overdue first (longest overdue first),
  // then the others by due date, ties by section, number and task id.
  static std::vector<DigestItem> Arrange(std::vector<DigestItem> items,
                                         absl::CivilDay day);

  // Whether an item, once listed in a digest, belongs in the next one too.
  static bool RepeatsInNextDigest(const DigestItem& item);

  // The digest message of `agency` for `day`: template "digest" with date,
  // agency, count, overdue_count, upcoming_count, and the numbered lines of
  // overdue_items / upcoming_items (each the subject of the item's own
  // template), items being all of them. `extra` adds or overrides fields of
  // the digest template.
  absl::StatusOr<RenderedMessage> Compose(
      absl::string_view language, absl::string_view agency, absl::CivilDay day,
      std::vector<DigestItem> items, const TemplateFields& extra = {}) const;

 private:
  const TemplateSet& templates_;
};

// Monday to Friday. Holidays come from a calendar the caller plugs in
// instead (for example WorkCalendar::IsWorkingDay).
bool IsWeekday(absl::CivilDay day);

// The first instant strictly after `now` that is `digest_at` ("07:30",
// local time, Asia/Ho_Chi_Minh) on a day for which is_working_day holds.
// InvalidArgument for a malformed digest_at; FailedPrecondition if no
// working day comes within a year.
absl::StatusOr<absl::Time> NextDigestTime(
    absl::string_view digest_at, absl::Time now,
    const std::function<bool(absl::CivilDay)>& is_working_day = IsWeekday);

// The embedded bundle of services/notification/templates (generated by
// CMake): each file as a line "=== tiendo template <language>/<kind>.txt ==="
// followed by its content.
const std::string& DefaultTemplatesBundle();

}  // namespace tiendo::notification

#endif  // TIENDO_SERVICES_NOTIFICATION_TEMPLATES_H_
