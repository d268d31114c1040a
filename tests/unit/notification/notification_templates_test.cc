#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/notification/templates.h"

namespace tiendo::notification {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string& SourceTemplatesDir() {
  static const std::string* const kDir = new std::string(
      std::string(TIENDO_SOURCE_DIR) + "/services/notification/templates");
  return *kDir;
}

TemplateFields ReminderFields() {
  return {
      {"agency", "Công an xã Vĩnh Thủy"},
      {"unit", "Xã Vĩnh Thủy"},
      {"section", "III"},
      {"number", "4"},
      {"title", "Thu nhận hồ sơ định danh điện tử"},
      {"occurrence", "tháng 5/2026"},
      {"due_date", "31/05/2026"},
      {"days_left", "3"},
      {"days_overdue", "0"},
      {"lead", "Công an xã"},
      {"standing", "Công an xã Vĩnh Thủy"},
      {"task_id", "vinh-thuy-2026#III.4"},
      {"occurrence_id", "vinh-thuy-2026#III.4@2026-05"},
  };
}

// The shipped files, with one replaced or added.
std::map<std::string, std::string> ShippedFilesWith(const std::string& name,
                                                    const std::string& text) {
  std::map<std::string, std::string> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(SourceTemplatesDir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path());
    std::string content((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
    files[std::filesystem::relative(entry.path(), SourceTemplatesDir())
              .string()] = content;
  }
  files[name] = text;
  return files;
}

TEST(NotificationTemplateTest, ShippedSetLoadsFromDirectoryAndCompiledIn) {
  absl::StatusOr<TemplateSet> from_dir =
      TemplateSet::LoadDirectory(SourceTemplatesDir());
  ASSERT_TRUE(from_dir.ok()) << from_dir.status();
  EXPECT_THAT(from_dir->Languages(), ElementsAre("en", "vi"));
  EXPECT_THAT(TemplateSet::Default().Languages(), ElementsAre("en", "vi"));
  for (const std::string& kind : TemplateSet::RequiredKinds()) {
    for (const char* language : {"vi", "en"}) {
      EXPECT_TRUE(from_dir->Has(kind, language)) << language << "/" << kind;
      EXPECT_TRUE(TemplateSet::Default().Has(kind, language))
          << language << "/" << kind;
      // The compiled-in copy is the source tree's.
      absl::StatusOr<RenderedMessage> a =
          from_dir->Render(kind, language, ReminderFields());
      absl::StatusOr<RenderedMessage> b =
          TemplateSet::Default().Render(kind, language, ReminderFields());
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(a->subject, b->subject);
      EXPECT_EQ(a->text, b->text);
    }
  }
}

TEST(NotificationTemplateTest, RendersVietnameseReminder) {
  absl::StatusOr<RenderedMessage> m =
      TemplateSet::Default().Render("reminder", "vi", ReminderFields());
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->subject,
            "Nhắc hạn: nhiệm vụ III.4 (Xã Vĩnh Thủy) – hạn 31/05/2026, còn 3 "
            "ngày");
  EXPECT_THAT(m->text, HasSubstr("Kính gửi Công an xã Vĩnh Thủy,\n\n"));
  EXPECT_THAT(m->text,
              HasSubstr("Nhiệm vụ III.4 \"Thu nhận hồ sơ định danh điện tử\" "
                        "(Xã Vĩnh Thủy), đợt tháng 5/2026, phải hoàn thành "
                        "trước hết ngày 31/05/2026 (còn 3 ngày)."));
  EXPECT_THAT(m->text, HasSubstr("Mã đợt: vinh-thuy-2026#III.4@2026-05"));
  EXPECT_THAT(m->text, Not(HasSubstr("{{")));
  EXPECT_FALSE(absl::EndsWith(m->text, "\n"));
  EXPECT_THAT(m->html, HasSubstr("<html lang=\"vi\">"));
  EXPECT_THAT(m->html, HasSubstr("<p>Kính gửi Công an xã Vĩnh Thủy,</p>"));
  EXPECT_THAT(m->html, HasSubstr("Mã nhiệm vụ: vinh-thuy-2026#III.4<br>\n"));
}

TEST(NotificationTemplateTest, RendersEnglishAndFallsBackToVietnamese) {
  TemplateFields fields = ReminderFields();
  fields["days_overdue"] = "2";
  absl::StatusOr<RenderedMessage> en =
      TemplateSet::Default().Render("overdue", "en", fields);
  ASSERT_TRUE(en.ok()) << en.status();
  EXPECT_EQ(en->subject,
            "Overdue: task III.4 (Xã Vĩnh Thủy) – due 31/05/2026, 2 days "
            "overdue");
  EXPECT_THAT(en->text, HasSubstr("is 2 days overdue (due 31/05/2026)"));
  EXPECT_THAT(en->html, HasSubstr("<html lang=\"en\">"));

  // A language without templates, or none, reads Vietnamese.
  for (const char* language : {"", "fr"}) {
    absl::StatusOr<RenderedMessage> m =
        TemplateSet::Default().Render("overdue", language, fields);
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(absl::StartsWith(m->subject, "Quá hạn: nhiệm vụ III.4"))
        << m->subject;
    EXPECT_THAT(m->html, HasSubstr("<html lang=\"vi\">"));
  }
  EXPECT_EQ(
      TemplateSet::Default().Render("nonsense", "vi", fields).status().code(),
      absl::StatusCode::kNotFound);
}

TEST(NotificationTemplateTest,
     UnknownPlaceholderFailsAtLoadNamingFileAndField) {
  absl::StatusOr<TemplateSet> set = TemplateSet::FromFiles(
      ShippedFilesWith("vi/reminder.txt",
                       "Nhắc hạn {{section}}.{{number}}\n\nHạn: {{due_date}}\n"
                       "Còn {{ dealine }} ngày\n"),
      "/etc/tiendo/templates");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(set.status().message()),
              HasSubstr("/etc/tiendo/templates/vi/reminder.txt:4: unknown "
                        "field {{dealine}}"));
  EXPECT_THAT(std::string(set.status().message()), HasSubstr("due_date"));
}

TEST(NotificationTemplateTest, LoadDirectoryReportsThePath) {
  const std::string dir =
      absl::StrCat(::testing::TempDir(), "/templates-", getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::copy(SourceTemplatesDir(), dir,
                        std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir + "/en/at_risk.txt");
    out << "Target {{indicator}} {{projected_percent}}\n\nBody\n";
  }
  absl::StatusOr<TemplateSet> set = TemplateSet::LoadDirectory(dir);
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()),
              HasSubstr(dir + "/en/at_risk.txt:1: unknown field "
                              "{{projected_percent}}"));
  // Editing the file back is all it takes: no rebuild.
  {
    std::ofstream out(dir + "/en/at_risk.txt");
    out << "Target {{indicator}} at {{projected}}%\n\nBody\n";
  }
  set = TemplateSet::LoadDirectory(dir);
  ASSERT_TRUE(set.ok()) << set.status();
  absl::StatusOr<RenderedMessage> m = set->Render(
      "at_risk", "en", {{"indicator", "VNeID"}, {"projected", "61,8"}});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->subject, "Target VNeID at 61,8%");
  std::filesystem::remove_all(dir);

  EXPECT_EQ(TemplateSet::LoadDirectory(dir).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(NotificationTemplateTest, MalformedFilesFailAtLoad) {
  auto error = [](const std::string& name, const std::string& text) {
    return std::string(TemplateSet::FromFiles(ShippedFilesWith(name, text), "t")
                           .status()
                           .message());
  };
  EXPECT_THAT(error("vi/reminder.txt", "Subject\nno blank line\n"),
              HasSubstr("t/vi/reminder.txt:2: a blank line"));
  EXPECT_THAT(error("vi/reminder.txt", "\n\nBody\n"),
              HasSubstr("t/vi/reminder.txt:1: the first line"));
  EXPECT_THAT(error("vi/reminder.txt", "S\n\nA {{unit\n"),
              HasSubstr("t/vi/reminder.txt:3: \"{{\" without"));
  EXPECT_THAT(error("en/Reminder.txt", "S\n\nB\n"),
              HasSubstr("t/en/Reminder.txt: not <language>/<kind>.txt"));

  std::map<std::string, std::string> files =
      ShippedFilesWith("en/x.txt", "S\n\nB");
  files.erase("vi/digest.txt");
  EXPECT_THAT(
      std::string(TemplateSet::FromFiles(files, "t").status().message()),
      HasSubstr("t/vi/digest.txt: missing"));
}

TEST(NotificationTemplateTest, FieldsAreCheckedPerKind) {
  // A difficulty's reporter is no field of a reminder.
  absl::StatusOr<TemplateSet> set = TemplateSet::FromFiles(
      ShippedFilesWith("vi/reminder.txt",
                       "Nhắc hạn {{section}}\n\n"
                       "{{#reporter}}{{reporter}}{{/reporter}}"
                       "\n"),
      "t");
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(std::string(set.status().message()),
              HasSubstr("t/vi/reminder.txt:3: unknown field {{reporter}}"));
  EXPECT_TRUE(TemplateSet::FromFiles(
                  ShippedFilesWith("vi/difficulty.txt",
                                   "Vướng mắc {{task_ref}}\n\n{{reporter}}\n"),
                  "t")
                  .ok());
}

TEST(NotificationTemplateTest, MustacheErrorsFailAtLoad) {
  auto error = [](const std::string& text) {
    return std::string(
        TemplateSet::FromFiles(ShippedFilesWith("vi/reminder.txt", text), "t")
            .status()
            .message());
  };
  EXPECT_THAT(error("S\n\n{{#lead}}Chủ trì: {{lead}}\n"),
              HasSubstr("t/vi/reminder.txt:3: "));
  EXPECT_THAT(error("S\n\nB\n{{! message }}\n{{> other}}\n"),
              HasSubstr("t/vi/reminder.txt:5: {{> other}}: partials"));
}

TEST(NotificationTemplateTest, EmptyFieldsLeaveTheirSectionOut) {
  absl::StatusOr<TemplateSet> set = TemplateSet::FromFiles(
      ShippedFilesWith("vi/reminder.txt",
                       "Nhắc {{section}}{{#lead}} ({{lead}}){{/lead}}\n\n"
                       "Kính gửi {{agency}},{{#lead}}\nChủ trì: "
                       "{{lead}}{{/lead}}\nHết.\n\n{{! message }}\n"
                       "NHẮC {{section}}{{^lead}}, chưa có đơn vị chủ trì"
                       "{{/lead}}.\n"),
      "t");
  ASSERT_TRUE(set.ok()) << set.status();
  absl::StatusOr<RenderedMessage> with =
      set->Render("reminder", "vi", {{"section", "III"}, {"lead", "A & B"}});
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->subject, "Nhắc III (A & B)");
  EXPECT_EQ(with->text, "Kính gửi ,\nChủ trì: A & B\nHết.");
  EXPECT_EQ(with->message, "NHẮC III.");
  absl::StatusOr<RenderedMessage> without =
      set->Render("reminder", "vi", {{"section", "III"}, {"lead", ""}});
  ASSERT_TRUE(without.ok());
  EXPECT_EQ(without->subject, "Nhắc III");
  EXPECT_EQ(without->text, "Kính gửi ,\nHết.");
  EXPECT_EQ(without->message, "NHẮC III, chưa có đơn vị chủ trì.");
}

TEST(NotificationTemplateTest, OneTemplateGivesSubjectBodyAndInboxMessage) {
  TemplateFields fields = ReminderFields();
  fields["unit_code"] = "vinh-thuy";
  fields["short_title"] = fields["title"];
  fields["lead_codes"] = "vinhthuy.congan";
  absl::StatusOr<RenderedMessage> vi =
      TemplateSet::Default().Render("reminder", "vi", fields);
  ASSERT_TRUE(vi.ok());
  EXPECT_EQ(vi->message,
            "NHẮC HẠN: Nhiệm vụ III.4 \"Thu nhận hồ sơ định danh điện tử\" "
            "(vinh-thuy) phải hoàn thành trước hết ngày 31/05/2026, còn 3 "
            "ngày. Đơn vị chủ trì: vinhthuy.congan.");
  // The inbox is Vietnamese: a translation without a message part uses it.
  absl::StatusOr<RenderedMessage> en =
      TemplateSet::Default().Render("reminder", "en", fields);
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->message, vi->message);
  EXPECT_NE(en->subject, vi->subject);
}

TEST(NotificationTemplateTest, EscapesHtml) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  TemplateFields fields = ReminderFields();
  fields["title"] = "<script>alert(1)</script> & \"mức 2\"";
  fields["unit"] = "Xã <b>";
  absl::StatusOr<RenderedMessage> m =
      TemplateSet::Default().Render("reminder", "vi", fields);
  ASSERT_TRUE(m.ok());
  // The text keeps what people typed; the HTML shows it, never runs it.
  EXPECT_THAT(m->text, HasSubstr("\"<script>alert(1)</script> & \"mức 2\"\""));
  EXPECT_THAT(m->html, Not(HasSubstr("<script>")));
  EXPECT_THAT(m->html, Not(HasSubstr("<b>")));
  EXPECT_THAT(m->html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                                 "&quot;mức 2&quot;"));
  EXPECT_THAT(m->html,
              HasSubstr("<title>Nhắc hạn: nhiệm vụ III.4 (Xã &lt;b&gt;)"));
}

TEST(NotificationTemplateTest, FieldValuesCannotBreakTheSubjectLine) {
  TemplateFields fields = ReminderFields();
  fields["unit"] = "Xã\r\nBcc: x@y.vn";
  absl::StatusOr<RenderedMessage> m =
      TemplateSet::Default().Render("reminder", "vi", fields);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->subject.find_first_of("\r\n"), std::string::npos);
}

TEST(NotificationTemplateTest, FormatsDueDates) {
  EXPECT_EQ(FormatDueDate(absl::CivilDay(2026, 5, 31)), "31/05/2026");
  EXPECT_EQ(FormatDueDate(absl::CivilDay(2026, 1, 2)), "02/01/2026");
}

DigestItem Item(std::string kind, absl::CivilDay due, std::string section,
                std::string number) {
  DigestItem item;
  item.kind = std::move(kind);
  item.due_date = due;
  item.fields = {
      {"unit", "Xã Vĩnh Thủy"},
      {"section", section},
      {"number", number},
      {"title", absl::StrCat("Nhiệm vụ ", section, ".", number)},
      {"task_id", absl::StrCat("vt#", section, ".", number)},
      {"occurrence_id", absl::StrCat("vt#", section, ".", number, "@",
                                     absl::FormatCivilTime(due))},
  };
  return item;
}

std::vector<std::string> Ids(const std::vector<DigestItem>& items) {
  std::vector<std::string> ids;
  for (const DigestItem& item : items) {
    ids.push_back(absl::StrCat(item.kind, " ", item.fields.at("section"), ".",
                               item.fields.at("number")));
  }
  return ids;
}

TEST(DigestTest, OverdueFirstThenRemindersByDueDate) {
  const absl::CivilDay day(2026, 6, 2);
  std::vector<DigestItem> items = {
      Item("reminder", absl::CivilDay(2026, 6, 30), "I", "1"),
      Item("report_due", absl::CivilDay(2026, 6, 11), "IV", "2"),
      Item("overdue", absl::CivilDay(2026, 5, 31), "II", "3"),
      Item("reminder", absl::CivilDay(2026, 6, 11), "III", "10"),
      Item("reminder", absl::CivilDay(2026, 6, 11), "III", "9"),
      Item("overdue", absl::CivilDay(2026, 5, 15), "X", "1"),
      // Its due date passed while it waited for the digest.
      Item("reminder", absl::CivilDay(2026, 6, 1), "V", "1"),
  };
  std::vector<DigestItem> arranged = DigestComposer::Arrange(items, day);
  EXPECT_THAT(Ids(arranged),
              ElementsAre("overdue X.1", "overdue II.3", "overdue V.1",
                          "reminder III.9", "reminder III.10",
                          "report_due IV.2", "reminder I.1"));
  EXPECT_EQ(arranged[0].fields.at("days_overdue"), "18");
  EXPECT_EQ(arranged[0].fields.at("due_date"), "15/05/2026");
  EXPECT_EQ(arranged[3].fields.at("days_left"), "9");
}

TEST(DigestTest, OneItemPerOccurrenceOverdueWins) {
  const absl::CivilDay day(2026, 6, 2);
  DigestItem reminder = Item("reminder", absl::CivilDay(2026, 6, 5), "I", "1");
  DigestItem blocked = Item("blocked", absl::CivilDay(2026, 6, 5), "I", "1");
  DigestItem overdue_a =
      Item("overdue", absl::CivilDay(2026, 5, 29), "II", "1");
  DigestItem reminder_b =
      Item("reminder", absl::CivilDay(2026, 5, 29), "II", "1");
  EXPECT_THAT(Ids(DigestComposer::Arrange(
                  {reminder, blocked, reminder_b, overdue_a}, day)),
              ElementsAre("overdue II.1", "reminder I.1"));
}

TEST(DigestTest, OverdueItemsRepeatInEachDaysDigest) {
  const TemplateSet& templates = TemplateSet::Default();
  DigestComposer composer(templates);
  DigestItem overdue = Item("overdue", absl::CivilDay(2026, 5, 31), "III", "4");
  DigestItem reminder = Item("reminder", absl::CivilDay(2026, 6, 5), "I", "2");

  // Monday: both listed.
  absl::StatusOr<RenderedMessage> monday =
      composer.Compose("vi", "Công an xã Vĩnh Thủy", absl::CivilDay(2026, 6, 1),
                       {overdue, reminder});
  ASSERT_TRUE(monday.ok()) << monday.status();
  EXPECT_EQ(monday->subject,
            "Tổng hợp nhắc việc ngày 01/06/2026: 1 quá hạn, 1 sắp đến hạn");
  EXPECT_THAT(monday->text,
              HasSubstr("Quá hạn (1):\n1. Quá hạn: nhiệm vụ III.4 (Xã Vĩnh "
                        "Thủy) – hạn 31/05/2026, quá 1 ngày\n\n"
                        "Sắp đến hạn (1):\n1. Nhắc hạn: nhiệm vụ I.2 (Xã Vĩnh "
                        "Thủy) – hạn 05/06/2026, còn 4 ngày"));

  // What the caller keeps for tomorrow: the overdue item only.
  std::vector<DigestItem> kept;
  for (const DigestItem& item : DigestComposer::Arrange(
           {overdue, reminder}, absl::CivilDay(2026, 6, 1))) {
    if (DigestComposer::RepeatsInNextDigest(item)) kept.push_back(item);
  }
  ASSERT_EQ(kept.size(), 1u);

  // Tuesday: the overdue item again, one more day overdue; no new reminder.
  absl::StatusOr<RenderedMessage> tuesday = composer.Compose(
      "vi", "Công an xã Vĩnh Thủy", absl::CivilDay(2026, 6, 2), kept);
  ASSERT_TRUE(tuesday.ok());
  EXPECT_THAT(tuesday->text,
              HasSubstr("1. Quá hạn: nhiệm vụ III.4 (Xã Vĩnh Thủy) – hạn "
                        "31/05/2026, quá 2 ngày"));
  EXPECT_THAT(tuesday->text, HasSubstr("Sắp đến hạn (0):\n–"));
  EXPECT_THAT(tuesday->html, HasSubstr("Quá hạn (1):<br>\n1. Quá hạn"));

  // English digest lists the items in English.
  absl::StatusOr<RenderedMessage> en = composer.Compose(
      "en", "Commune police", absl::CivilDay(2026, 6, 2), kept);
  ASSERT_TRUE(en.ok());
  EXPECT_EQ(en->subject, "Daily digest for 02/06/2026: 1 overdue, 0 coming up");
  EXPECT_THAT(en->text, HasSubstr("1. Overdue: task III.4 (Xã Vĩnh Thủy) – "
                                  "due 31/05/2026, 2 days overdue"));
}

absl::Time Local(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), LocalZone());
}

TEST(DigestTest, NextDigestTimeSkipsWeekendAndHolidays) {
  // Friday 05/06/2026 08:00, past 07:30: next is Monday 08/06 07:30.
  absl::StatusOr<absl::Time> next =
      NextDigestTime("07:30", Local(2026, 6, 5, 8, 0));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, Local(2026, 6, 8, 7, 30));
  // Friday before 07:30: the same day.
  EXPECT_EQ(*NextDigestTime("07:30", Local(2026, 6, 5, 6, 0)),
            Local(2026, 6, 5, 7, 30));
  // Exactly at the time: the next one, so a digest is never sent twice.
  EXPECT_EQ(*NextDigestTime("07:30", Local(2026, 6, 5, 7, 30)),
            Local(2026, 6, 8, 7, 30));
  // Saturday night.
  EXPECT_EQ(*NextDigestTime("7:05", Local(2026, 6, 6, 23, 0)),
            Local(2026, 6, 8, 7, 5));
  // A holiday Monday (plugged in) moves it to Tuesday.
  auto working = [](absl::CivilDay day) {
    return IsWeekday(day) && day != absl::CivilDay(2026, 6, 8);
  };
  EXPECT_EQ(*NextDigestTime("07:30", Local(2026, 6, 5, 8, 0), working),
            Local(2026, 6, 9, 7, 30));
  // Midnight in Hanoi is 17:00 UTC the day before.
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                             *NextDigestTime("00:00", Local(2026, 6, 1, 12, 0)),
                             absl::UTCTimeZone()),
            "2026-06-01T17:00:00Z");
}

TEST(DigestTest, NextDigestTimeRejectsBadTimes) {
  for (const char* bad :
       {"", "7", "07:3", "24:00", "07:60", "ab:cd", "07:30:00"}) {
    EXPECT_EQ(NextDigestTime(bad, Local(2026, 6, 5, 8, 0)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(NextDigestTime("07:30", Local(2026, 6, 5, 8, 0),
                           [](absl::CivilDay) { return false; })
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tiendo::notification
