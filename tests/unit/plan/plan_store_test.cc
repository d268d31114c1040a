// The plan store with occurrences: reminder points per occurrence, the
// scanner announcing each point once (also across a reopen of the file),
// progress news per occurrence, RecordTrigger. SQLite in memory, or in a
// temporary file where reopening is the point.
#include "services/plan/plan_store.h"

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/outbox.h"
#include "services/common/sqlite.h"
#include "services/plan/plan_builder.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_database.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;
using ::tiendo::testing::QueuedEvent;
using ::tiendo::testing::StoreEnv;
using ::tiendo::testing::TestDbFile;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";

std::string Task(const std::string& number) {
  return absl::StrCat(kPlan, "#", number);
}

// The commune plan with one task of each shape: a dated milestone (I.1,
// due Tuesday 30/06/2026), the monthly report before the 12th (BC.1, twelve
// occurrences from May 2026), work waiting for an instruction (II.1) and
// ongoing work (II.2).
v1::CreatePlanRequest Request() {
  v1::CreatePlanRequest request;
  request.set_unit("vinh-thuy");
  request.set_number("1199/KH-UBND");
  *request.mutable_issued() = Date(2026, 5, 25);
  request.set_year(2026);
  request.set_title("Triển khai Đề án 06 năm 2026");
  request.set_standing_agency("vinhthuy.congan");
  request.set_unit_name("Xã Vĩnh Thủy");
  for (const auto& [code, name] :
       std::vector<std::pair<const char*, const char*>>{
           {"vinhthuy.congan", "Công an xã"},
           {"vinhthuy.kinhte", "Phòng Kinh tế"},
           {"vinhthuy.vhxh", "Phòng Văn hóa - Xã hội"}}) {
    v1::Agency* a = request.add_agencies();
    a->set_code(code);
    a->set_name(name);
  }
  v1::SectionSpec* one = request.add_sections();
  one->set_code("I");
  v1::TaskSpec* milestone = one->add_tasks();
  milestone->set_number("1");
  milestone->set_title("Làm sạch dữ liệu");
  milestone->add_lead_agencies("vinhthuy.kinhte");
  milestone->add_coordinating_agencies("vinhthuy.vhxh");
  *milestone->mutable_schedule()->add_milestones()->mutable_due() =
      Date(2026, 6, 30);
  *milestone->mutable_due_date() = Date(2026, 6, 30);

  v1::SectionSpec* two = request.add_sections();
  two->set_code("II");
  v1::TaskSpec* triggered = two->add_tasks();
  triggered->set_number("1");
  triggered->set_title("Triển khai phần mềm");
  triggered->add_lead_agencies("vinhthuy.congan");
  triggered->set_timeframe("Ngay khi có chỉ đạo của Bộ Công an");
  triggered->mutable_schedule()->set_triggered(true);
  v1::TaskSpec* ongoing = two->add_tasks();
  ongoing->set_number("2");
  ongoing->set_title("Tuyên truyền");
  ongoing->add_lead_agencies("vinhthuy.vhxh");
  ongoing->set_timeframe("Thường xuyên");
  ongoing->mutable_schedule()->mutable_ongoing();

  v1::SectionSpec* reports = request.add_sections();
  reports->set_code("BC");
  v1::TaskSpec* report = reports->add_tasks();
  report->set_number("1");
  report->set_title("Báo cáo định kỳ trước ngày 12 hằng tháng");
  report->set_kind(v1::TASK_KIND_REPORT);
  report->add_lead_agencies("vinhthuy.congan");
  report->add_coordinating_agencies("vinhthuy.kinhte");
  report->mutable_schedule()->mutable_recurrence()->set_every(v1::PERIOD_MONTH);
  report->mutable_schedule()->mutable_recurrence()->set_day(12);
  return request;
}

// Tests spell out each occurrence's schedule whole, though months look
// alike: a failure then shows the point that changed.
// "2026-06-09/3d/pending" (or "/overdue/", "/escalated/") per point of one
// occurrence, by time.
std::vector<std::string> Points(const v1::GetTaskResponse& view,
                                const std::string& occurrence_id) {
  static const std::map<int, std::string> kState = {
      {v1::ReminderPoint::STATE_PENDING, "pending"},
      {v1::ReminderPoint::STATE_SENT, "sent"},
      {v1::ReminderPoint::STATE_CANCELLED, "cancelled"},
      {v1::ReminderPoint::STATE_SUPERSEDED, "superseded"}};
  std::vector<std::string> out;
  for (const v1::ReminderPoint& p : view.reminders()) {
    if (p.occurrence_id() != occurrence_id) continue;
    const absl::CivilDay day =
        absl::ToCivilDay(absl::FromUnixSeconds(p.fire_at().seconds()),
                         absl::FixedTimeZone(7 * 60 * 60));
    out.push_back(absl::StrCat(absl::FormatCivilTime(day), "/",
                               p.escalation() ? "escalated"
                               : p.overdue()
                                   ? "overdue"
                                   : absl::StrCat(p.days_before(), "d"),
                               "/", kState.at(p.state())));
  }
  return out;
}

// The service's parts over one database; `path` empty for memory.
class Service {
 public:
  explicit Service(const std::string& path,
                   ReminderRules rules = ReminderRules())
      : env_(Local(2026, 5, 26, 8)) {
    absl::Status opened = env_.Open("plan", path);
    EXPECT_TRUE(opened.ok()) << opened;
    store_ =
        std::make_unique<PlanStore>(env_.db(), env_.outbox(), std::move(rules));
    absl::Status init = store_->Init();
    EXPECT_TRUE(init.ok()) << init;
  }

  PlanStore& store() { return *store_; }
  Database& db() { return env_.db(); }

  // Events queued and not yet taken, oldest first; takes them.
  std::vector<v1::EventEnvelope> Take(const std::string& topic) {
    std::vector<v1::EventEnvelope> events;
    for (const QueuedEvent& e : env_.Events(100000, /*take=*/true)) {
      if (e.topic == topic) events.push_back(e.envelope);
    }
    return events;
  }

  std::vector<v1::DeadlineApproaching> Announce(absl::Time now) {
    absl::StatusOr<int> sent = store_->AnnounceDueReminders(now);
    EXPECT_TRUE(sent.ok()) << sent.status();
    std::vector<v1::DeadlineApproaching> out;
    for (const v1::EventEnvelope& e : Take(kDeadlineApproachingTopic)) {
      out.push_back(e.deadline_approaching());
    }
    EXPECT_EQ(static_cast<int>(out.size()), sent.value_or(-1));
    return out;
  }

  absl::Status Apply(const v1::TaskUpdated& update, absl::Time now) {
    return env_.db().Transaction(
        [&] { return store_->ApplyTaskStatus(update, now); });
  }

  v1::GetTaskResponse View(const std::string& task) {
    absl::StatusOr<v1::GetTaskResponse> view = store_->GetTask(task);
    EXPECT_TRUE(view.ok()) << view.status();
    return view.value_or(v1::GetTaskResponse());
  }

 private:
  StoreEnv env_;
  std::unique_ptr<PlanStore> store_;
};

void Create(Service& service,
            const v1::CreatePlanRequest& request = Request()) {
  absl::StatusOr<PlanDraft> draft = BuildPlan(request);
  ASSERT_TRUE(draft.ok()) << draft.status();
  absl::Status created = service.store().CreatePlan(*draft);
  ASSERT_TRUE(created.ok()) << created;
  service.Take(kPlanChangedTopic);
}

std::vector<std::string> Keys(const std::vector<v1::DeadlineApproaching>& e) {
  std::vector<std::string> keys;
  for (const auto& x : e) keys.push_back(x.reminder_key());
  return keys;
}

v1::TaskUpdated Update(const std::string& task, uint64_t version,
                       const std::string& occurrence_key,
                       v1::OccurrenceStatus occurrence_status,
                       v1::TaskStatus status = v1::TASK_STATUS_IN_PROGRESS) {
  v1::TaskUpdated update;
  update.set_task_id(task);
  update.set_version(version);
  update.set_status(status);
  if (!occurrence_key.empty()) {
    update.set_occurrence_id(absl::StrCat(task, "@", occurrence_key));
    update.set_occurrence_status(occurrence_status);
  }
  return update;
}

// Applies the report of version `version` on task `number`: on its
// occurrence `key`, or on the task as a whole when `key` is empty.
absl::Status Report(Service& service, const std::string& number,
                    uint64_t version, const std::string& key,
                    v1::OccurrenceStatus occurrence_status, absl::Time now,
                    v1::TaskStatus status = v1::TASK_STATUS_IN_PROGRESS) {
  return service.Apply(
      Update(Task(number), version, key, occurrence_status, status), now);
}

TEST(PlanStoreTest, PointsPerOccurrence) {
  Service service("");
  Create(service);

  const v1::GetTaskResponse report = service.View(Task("BC.1"));
  ASSERT_EQ(report.task().occurrences_size(), 12);
  // Four points per month (3 and 1 days before the cut-off, overdue, and
  // the escalation to the provincial police seven days after the due
  // date: Vĩnh Thủy is a commune of Quảng Trị), fewer where two reminders
  // met on the same working day.
  EXPECT_THAT(Points(report, Task("BC.1@2026-05")),
              ElementsAre("2026-06-09/3d/pending", "2026-06-11/1d/pending",
                          "2026-06-12/overdue/pending",
                          "2026-06-19/escalated/pending"));
  // Due Sunday 11/10: escalated Monday 19/10.
  EXPECT_THAT(Points(report, Task("BC.1@2026-09")),
              ElementsAre("2026-10-09/1d/pending", "2026-10-12/overdue/pending",
                          "2026-10-19/escalated/pending"));
  EXPECT_THAT(Points(report, Task("BC.1@2027-04")),
              ElementsAre("2027-05-07/3d/pending", "2027-05-11/1d/pending",
                          "2027-05-12/overdue/pending",
                          "2027-05-19/escalated/pending"));
  // 12 x 4, less the September and January 2027 reports (two reminders
  // on one day) and March 2027 (11/4 is a Sunday).
  EXPECT_EQ(report.reminders_size(), 45);

  const v1::GetTaskResponse milestone = service.View(Task("I.1"));
  EXPECT_THAT(Points(milestone, Task("I.1@2026-06-30")),
              ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                          "2026-06-29/1d/pending", "2026-07-01/overdue/pending",
                          "2026-07-08/escalated/pending"));
  EXPECT_EQ(milestone.reminders_size(), 5);
  // The escalation point as GetTask gives it: overdue, seven days after.
  const v1::ReminderPoint& escalation = milestone.reminders(4);
  EXPECT_TRUE(escalation.escalation());
  EXPECT_TRUE(escalation.overdue());
  EXPECT_EQ(escalation.days_before(), -7);
  EXPECT_EQ(escalation.fire_at().seconds(),
            absl::ToUnixSeconds(Local(2026, 7, 8)));
  EXPECT_EQ(escalation.occurrence_id(), Task("I.1@2026-06-30"));
  EXPECT_FALSE(milestone.reminders(3).escalation());

  EXPECT_EQ(service.View(Task("II.1")).reminders_size(), 0);
  EXPECT_EQ(service.View(Task("II.2")).reminders_size(), 0);
}

TEST(PlanStoreTest, LeadTimesOfThePlanOverrideTheService) {
  Service service("", ReminderRules(LeadTimes{.work = {5}, .report = {2}}));
  v1::CreatePlanRequest request = Request();
  request.mutable_reminder_policy()->add_work_lead_days(10);
  request.mutable_reminder_policy()->add_work_lead_days(1);
  Create(service, request);

  ASSERT_TRUE(service.store().GetPlan(kPlan)->has_reminder_policy());
  EXPECT_THAT(Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
              ElementsAre("2026-06-19/10d/pending", "2026-06-29/1d/pending",
                          "2026-07-01/overdue/pending",
                          "2026-07-08/escalated/pending"));
  // Reports keep the service's lead time: 2 days before the cut-off 12/6.
  EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-05")),
              ElementsAre("2026-06-10/2d/pending", "2026-06-12/overdue/pending",
                          "2026-06-19/escalated/pending"));

  v1::CreatePlanRequest bad = Request();
  bad.mutable_reminder_policy()->add_report_lead_days(-2);
  absl::StatusOr<PlanDraft> draft = BuildPlan(bad);
  ASSERT_FALSE(draft.ok());
  EXPECT_THAT(std::string(draft.status().message()),
              StartsWith("reminder_policy.report_lead_days[0]: -2"));
}

TEST(PlanStoreTest, EachOccurrenceAnnouncedOncePerPointAcrossReopen) {
  const TestDbFile file("plan-store");
  const std::string& path = file.path();
  {
    Service service(path);
    Create(service);
    // 9/6 08:00: the May report's 3-day point only.
    std::vector<v1::DeadlineApproaching> sent =
        service.Announce(Local(2026, 6, 9, 8));
    ASSERT_EQ(sent.size(), 1u);
    const v1::DeadlineApproaching& may = sent[0];
    EXPECT_EQ(may.task_id(), Task("BC.1"));
    EXPECT_EQ(may.occurrence_id(), Task("BC.1@2026-05"));
    EXPECT_EQ(may.occurrence_label(), "tháng 5/2026");
    EXPECT_EQ(may.kind(), v1::DeadlineApproaching::KIND_REMINDER);
    EXPECT_EQ(may.days_before(), 3);
    EXPECT_EQ(may.days_left(), 2);
    EXPECT_EQ(may.due_date().month(), 6);
    EXPECT_EQ(may.due_date().day(), 11);
    EXPECT_TRUE(may.report());
    EXPECT_FALSE(may.blocked());
    EXPECT_EQ(may.reminder_key(), Task("BC.1@2026-05/3d"));
    EXPECT_THAT(may.recipients(),
                ElementsAre("vinhthuy.congan", "vinhthuy.kinhte"));
    // The same tick again sends nothing.
    EXPECT_TRUE(service.Announce(Local(2026, 6, 9, 8)).empty());
  }
  {
    // Restarted: what was sent stays sent.
    Service service(path);
    EXPECT_TRUE(service.Announce(Local(2026, 6, 9, 9)).empty());
    // The clock jumps to 2/7: the May report's 1-day, overdue and
    // escalation (19/6) points, the June report's 3-day point (9/7) not
    // yet; I.1's four points (23/6 .. 1/7) at once, its escalation (8/7)
    // not yet. One announcement per occurrence, the latest.
    std::vector<v1::DeadlineApproaching> sent =
        service.Announce(Local(2026, 7, 2, 8));
    EXPECT_THAT(Keys(sent),
                UnorderedElementsAre(Task("BC.1@2026-05/escalated"),
                                     Task("I.1@2026-06-30/overdue")));
    ASSERT_EQ(sent.size(), 2u);
    for (const v1::DeadlineApproaching& e : sent) {
      // Overdue reaches the commune police, already the report's lead.
      EXPECT_THAT(e.recipients(), ::testing::Contains("vinhthuy.congan"));
    }
    const bool i1_first = sent[0].task_id() == Task("I.1");
    const v1::DeadlineApproaching& late = i1_first ? sent[0] : sent[1];
    const v1::DeadlineApproaching& may = i1_first ? sent[1] : sent[0];
    EXPECT_EQ(late.kind(), v1::DeadlineApproaching::KIND_OVERDUE);
    EXPECT_EQ(may.kind(), v1::DeadlineApproaching::KIND_ESCALATED);
    // The May report's overdue notice was superseded: its coordinator
    // hears of the delay with the provincial police.
    EXPECT_THAT(
        may.recipients(),
        ElementsAre("vinhthuy.congan", "vinhthuy.kinhte", "quangtri.congan"));
    EXPECT_EQ(may.days_overdue(), 21);
    EXPECT_EQ(may.upper_unit(), "quang-tri");
    EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-05")),
                ElementsAre("2026-06-09/3d/sent", "2026-06-11/1d/superseded",
                            "2026-06-12/overdue/superseded",
                            "2026-06-19/escalated/sent"));
    EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-06")),
                ElementsAre("2026-07-09/3d/pending", "2026-07-10/1d/pending",
                            "2026-07-13/overdue/pending",
                            "2026-07-20/escalated/pending"));
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/superseded", "2026-06-26/3d/superseded",
                    "2026-06-29/1d/superseded", "2026-07-01/overdue/sent",
                    "2026-07-08/escalated/pending"));
    EXPECT_THAT(
        late.recipients(),
        ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh", "vinhthuy.congan"));
    EXPECT_EQ(late.days_overdue(), 2);
    EXPECT_EQ(late.occurrence_label(), "30/06/2026");
  }
  {
    Service service(path);
    EXPECT_TRUE(service.Announce(Local(2026, 7, 2, 9)).empty());
    // 9/7: I.1's escalation (8/7) and the June report's own point. I.1's
    // overdue notice went out before the restart: the escalation goes to
    // the lead and the police only, not to the coordinator vhxh.
    const std::vector<v1::DeadlineApproaching> sent =
        service.Announce(Local(2026, 7, 9, 8));
    EXPECT_THAT(Keys(sent),
                UnorderedElementsAre(Task("I.1@2026-06-30/escalated"),
                                     Task("BC.1@2026-06/3d")));
    for (const v1::DeadlineApproaching& e : sent) {
      if (e.task_id() != Task("I.1")) continue;
      EXPECT_THAT(
          e.recipients(),
          ElementsAre("vinhthuy.kinhte", "vinhthuy.congan", "quangtri.congan"));
      EXPECT_EQ(e.days_overdue(), 9);
    }
  }
}

TEST(PlanStoreTest, SmallBatchesStillAnnounceEachOccurrenceOnce) {
  Service service("");
  Create(service);
  // A year later everything is due: 12 report periods and I.1, one
  // announcement each, whatever the batch size: the escalation, the latest
  // point of each.
  absl::StatusOr<int> sent =
      service.store().AnnounceDueReminders(Local(2027, 6, 1, 8), 2);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_EQ(*sent, 13);
  std::map<std::string, int> per_occurrence;
  for (const v1::EventEnvelope& e : service.Take(kDeadlineApproachingTopic)) {
    ++per_occurrence[e.deadline_approaching().occurrence_id()];
    EXPECT_EQ(e.deadline_approaching().kind(),
              v1::DeadlineApproaching::KIND_ESCALATED);
    EXPECT_EQ(e.deadline_approaching().upper_standing_agency(),
              "quangtri.congan");
  }
  EXPECT_EQ(per_occurrence.size(), 13u);
  for (const auto& [id, n] : per_occurrence) EXPECT_EQ(n, 1) << id;
}

TEST(PlanStoreTest, DoneOccurrenceCancelsOnlyItsOwnPoints) {
  Service service("");
  Create(service);
  // The June report comes in early, on 1/7.
  ASSERT_TRUE(Report(service, "BC.1", 1, "2026-06", v1::OCCURRENCE_STATUS_DONE,
                     Local(2026, 7, 1, 8))
                  .ok());
  v1::GetTaskResponse view = service.View(Task("BC.1"));
  EXPECT_FALSE(view.done());
  // The escalation point too, like the others.
  EXPECT_THAT(Points(view, Task("BC.1@2026-06")),
              ElementsAre("2026-07-09/3d/cancelled", "2026-07-10/1d/cancelled",
                          "2026-07-13/overdue/cancelled",
                          "2026-07-20/escalated/cancelled"));
  EXPECT_THAT(Points(view, Task("BC.1@2026-07")),
              ElementsAre("2026-08-07/3d/pending", "2026-08-11/1d/pending",
                          "2026-08-12/overdue/pending",
                          "2026-08-19/escalated/pending"));
  EXPECT_THAT(Points(view, Task("BC.1@2026-05")),
              ElementsAre("2026-06-09/3d/pending", "2026-06-11/1d/pending",
                          "2026-06-12/overdue/pending",
                          "2026-06-19/escalated/pending"));

  // On 10/7 the June report's reminders (9/7, 10/7) stay silent; May and
  // I.1 have been overdue for over a week (since 12/6 and 1/7).
  EXPECT_THAT(Keys(service.Announce(Local(2026, 7, 10, 9))),
              UnorderedElementsAre(Task("BC.1@2026-05/escalated"),
                                   Task("I.1@2026-06-30/escalated")));

  // Reopened on 10/7 at noon (a redelivered older version first changes
  // nothing): only the point still ahead comes back.
  ASSERT_TRUE(Report(service, "BC.1", 1, "2026-06",
                     v1::OCCURRENCE_STATUS_IN_PROGRESS, Local(2026, 7, 10, 12))
                  .ok());
  EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-06")),
              ElementsAre("2026-07-09/3d/cancelled", "2026-07-10/1d/cancelled",
                          "2026-07-13/overdue/cancelled",
                          "2026-07-20/escalated/cancelled"));
  ASSERT_TRUE(Report(service, "BC.1", 2, "2026-06",
                     v1::OCCURRENCE_STATUS_IN_PROGRESS, Local(2026, 7, 10, 12))
                  .ok());
  EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-06")),
              ElementsAre("2026-07-09/3d/cancelled", "2026-07-10/1d/cancelled",
                          "2026-07-13/overdue/pending",
                          "2026-07-20/escalated/pending"));
  EXPECT_THAT(Keys(service.Announce(Local(2026, 7, 13, 8))),
              ElementsAre(Task("BC.1@2026-06/overdue")));
  // A week later it escalates; the coordinator heard of the overdue
  // notice, so only the lead (the commune police, also the standing body)
  // and the provincial police.
  const std::vector<v1::DeadlineApproaching> escalated =
      service.Announce(Local(2026, 7, 20, 8));
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(escalated[0].reminder_key(), Task("BC.1@2026-06/escalated"));
  EXPECT_THAT(escalated[0].recipients(),
              ElementsAre("vinhthuy.congan", "quangtri.congan"));
}

int Pending(const v1::GetTaskResponse& view) {
  int n = 0;
  for (const v1::ReminderPoint& p : view.reminders()) {
    if (p.state() == v1::ReminderPoint::STATE_PENDING) ++n;
  }
  return n;
}

TEST(PlanStoreTest, UnknownOrForeignOccurrenceChangesNothing) {
  Service service("");
  Create(service);
  ASSERT_TRUE(Report(service, "BC.1", 1, "2026-99", v1::OCCURRENCE_STATUS_DONE,
                     Local(2026, 6, 1, 8))
                  .ok());
  EXPECT_EQ(Pending(service.View(Task("BC.1"))), 45);
  // A report on BC.1 naming an occurrence of I.1.
  v1::TaskUpdated foreign =
      Update(Task("BC.1"), 2, "", v1::OCCURRENCE_STATUS_UNSPECIFIED);
  foreign.set_occurrence_id(Task("I.1@2026-06-30"));
  foreign.set_occurrence_status(v1::OCCURRENCE_STATUS_DONE);
  ASSERT_TRUE(service.Apply(foreign, Local(2026, 6, 1, 8)).ok());
  EXPECT_EQ(Pending(service.View(Task("I.1"))), 5);
  EXPECT_EQ(Pending(service.View(Task("BC.1"))), 45);
  // An unknown task.
  ASSERT_TRUE(Report(service, "IX.1", 1, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
                     Local(2026, 6, 1, 8), v1::TASK_STATUS_DONE)
                  .ok());
}

TEST(PlanStoreTest, BlockedOccurrenceEscalatesUntilUnblocked) {
  Service service("");
  Create(service);
  v1::TaskUpdated blocked =
      Update(Task("BC.1"), 1, "2026-07", v1::OCCURRENCE_STATUS_BLOCKED,
             v1::TASK_STATUS_BLOCKED);
  blocked.set_difficulty("Chưa có số liệu từ thôn");
  ASSERT_TRUE(service.Apply(blocked, Local(2026, 8, 3, 8)).ok());

  // 7/8 (the 3-day point, moved off Sunday 9/8): the standing body hears
  // of the blocked July report before its deadline; May, June and I.1,
  // overdue for over a week, are escalated and go to it anyway.
  std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 8, 7, 8));
  ASSERT_EQ(sent.size(), 4u);
  const v1::DeadlineApproaching* july = nullptr;
  for (const auto& e : sent) {
    if (e.occurrence_id() == Task("BC.1@2026-07")) july = &e;
  }
  ASSERT_NE(july, nullptr);
  EXPECT_TRUE(july->blocked());
  EXPECT_EQ(july->kind(), v1::DeadlineApproaching::KIND_REMINDER);
  EXPECT_EQ(july->days_before(), 3);
  EXPECT_THAT(july->recipients(),
              ElementsAre("vinhthuy.congan", "vinhthuy.kinhte"));
  EXPECT_EQ(july->standing_agency(), "vinhthuy.congan");

  // The difficulty is resolved; the 1-day point is an ordinary reminder.
  v1::TaskUpdated resolved =
      Update(Task("BC.1"), 2, "2026-07", v1::OCCURRENCE_STATUS_IN_PROGRESS);
  resolved.set_difficulty_resolved(true);
  ASSERT_TRUE(service.Apply(resolved, Local(2026, 8, 10, 8)).ok());
  sent = service.Announce(Local(2026, 8, 11, 8));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reminder_key(), Task("BC.1@2026-07/1d"));
  EXPECT_FALSE(sent[0].blocked());
}

TEST(PlanStoreTest, BlockedReachesTheStandingBodyWhenItDoesNotLead) {
  Service service("");
  Create(service);
  // I.1 is led by the economy office; blocked, its reminder goes to the
  // commune police too.
  v1::TaskUpdated blocked =
      Update(Task("I.1"), 1, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
             v1::TASK_STATUS_BLOCKED);
  ASSERT_TRUE(service.Apply(blocked, Local(2026, 6, 1, 8)).ok());
  std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 6, 23, 8));
  ASSERT_EQ(sent.size(), 2u);  // I.1 7 days before, and the May report
  const auto& i1 = sent[0].task_id() == Task("I.1") ? sent[0] : sent[1];
  EXPECT_TRUE(i1.blocked());
  EXPECT_THAT(i1.recipients(), ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh",
                                           "vinhthuy.congan"));
  // A task-level report of progress unblocks every occurrence.
  ASSERT_TRUE(Report(service, "I.1", 2, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
                     Local(2026, 6, 24, 8), v1::TASK_STATUS_IN_PROGRESS)
                  .ok());
  sent = service.Announce(Local(2026, 6, 26, 8));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(sent[0].blocked());
  EXPECT_THAT(sent[0].recipients(),
              ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh"));
}

TEST(PlanStoreTest, TaskLevelDoneCancelsEveryOccurrence) {
  Service service("");
  Create(service);
  ASSERT_TRUE(Report(service, "BC.1", 1, "2026-06", v1::OCCURRENCE_STATUS_DONE,
                     Local(2026, 6, 1, 8))
                  .ok());
  ASSERT_TRUE(Report(service, "BC.1", 2, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
                     Local(2026, 6, 1, 8), v1::TASK_STATUS_DONE)
                  .ok());
  v1::GetTaskResponse view = service.View(Task("BC.1"));
  EXPECT_TRUE(view.done());
  for (const v1::ReminderPoint& p : view.reminders()) {
    EXPECT_EQ(p.state(), v1::ReminderPoint::STATE_CANCELLED)
        << p.occurrence_id();
  }
  for (const v1::DeadlineApproaching& e : service.Announce(Local(2027, 6, 1))) {
    EXPECT_NE(e.task_id(), Task("BC.1")) << e.reminder_key();
  }

  // Reopened as a whole on 1/3/2027: the future points come back, except
  // those of the June report, done on its own.
  ASSERT_TRUE(Report(service, "BC.1", 3, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
                     Local(2027, 3, 1, 8), v1::TASK_STATUS_IN_PROGRESS)
                  .ok());
  view = service.View(Task("BC.1"));
  EXPECT_FALSE(view.done());
  EXPECT_THAT(Points(view, Task("BC.1@2027-02")),
              ElementsAre("2027-03-09/3d/pending", "2027-03-11/1d/pending",
                          "2027-03-12/overdue/pending",
                          "2027-03-19/escalated/pending"));
  EXPECT_THAT(
      Points(view, Task("BC.1@2027-01")),
      ElementsAre("2027-02-04/1d/cancelled", "2027-02-12/overdue/cancelled",
                  "2027-02-19/escalated/cancelled"));
  EXPECT_EQ(Pending(view), 11);  // February 4, March 3, April 4
}

TEST(PlanStoreTest, ResyncFromASnapshot) {
  Service service("");
  Create(service);
  v1::TaskState state;
  state.set_task_id(Task("BC.1"));
  state.set_version(4);
  state.set_status(v1::TASK_STATUS_IN_PROGRESS);
  v1::OccurrenceState* may = state.add_occurrences();
  may->mutable_occurrence()->set_id(Task("BC.1@2026-05"));
  may->set_status(v1::OCCURRENCE_STATUS_DONE_LATE);
  v1::OccurrenceState* june = state.add_occurrences();
  june->mutable_occurrence()->set_id(Task("BC.1@2026-06"));
  june->set_status(v1::OCCURRENCE_STATUS_BLOCKED);
  ASSERT_TRUE(service.db()
                  .Transaction([&] {
                    return service.store().ApplyTaskState(state,
                                                          Local(2026, 6, 1, 8));
                  })
                  .ok());
  // May, done late, stays silent; June is reminded, blocked; I.1 is
  // overdue since 1/7, escalated on 8/7.
  const std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 7, 9, 8));
  EXPECT_THAT(Keys(sent),
              UnorderedElementsAre(Task("BC.1@2026-06/3d"),
                                   Task("I.1@2026-06-30/escalated")));
  for (const v1::DeadlineApproaching& e : sent) {
    EXPECT_EQ(e.blocked(), e.task_id() == Task("BC.1")) << e.reminder_key();
  }
}

v1::RecordTriggerRequest Trigger(const std::string& request_id) {
  v1::RecordTriggerRequest request;
  request.set_task_id(Task("II.1"));
  request.set_trigger("Bộ Công an có chỉ đạo ngày 3/7/2026");
  *request.mutable_happened_on() = Date(2026, 7, 3);
  *request.mutable_due() = Date(2026, 7, 20);
  request.set_request_id(request_id);
  return request;
}

// A plan of `unit` with one task, I.1, due Tuesday 30/06/2026, led by its
// standing body.
v1::CreatePlanRequest OneTaskPlan(const std::string& unit,
                                  const std::string& standing_agency) {
  v1::CreatePlanRequest request;
  request.set_unit(unit);
  request.set_number("100/KH-UBND");
  *request.mutable_issued() = Date(2026, 5, 25);
  request.set_year(2026);
  request.set_title("Triển khai Đề án 06 năm 2026");
  request.set_standing_agency(standing_agency);
  request.add_agencies()->set_code(standing_agency);
  v1::SectionSpec* one = request.add_sections();
  one->set_code("I");
  v1::TaskSpec* task = one->add_tasks();
  task->set_number("1");
  task->set_title("Làm sạch dữ liệu");
  task->add_lead_agencies(standing_agency);
  *task->mutable_schedule()->add_milestones()->mutable_due() =
      Date(2026, 6, 30);
  *task->mutable_due_date() = Date(2026, 6, 30);
  return request;
}

// Replaces the stored registry with `document`, as a registry edited since
// the plans were made.
absl::Status StoreRegistry(Service& service, const std::string& document) {
  return service.db().Transaction([&]() -> absl::Status {
    absl::StatusOr<Statement> save = service.db().Prepare(
        "INSERT INTO registry(id, document) VALUES(1, ?) "
        "ON CONFLICT(id) DO UPDATE SET document = excluded.document");
    if (!save.ok()) return save.status();
    save->Bind(document);
    return save->Run();
  });
}

const v1::DeadlineApproaching* Find(
    const std::vector<v1::DeadlineApproaching>& sent, const std::string& key) {
  for (const v1::DeadlineApproaching& e : sent) {
    if (e.reminder_key() == key) return &e;
  }
  return nullptr;
}

TEST(EscalationTest, OnlyWhereTheUnitAboveHasAStandingBody) {
  Service service("");
  // A province's plan: the country above has no standing body.
  Create(service, OneTaskPlan("quang-tri", "quangtri.congan"));
  EXPECT_THAT(
      Points(service.View("quang-tri:100-KH-UBND#I.1"),
             "quang-tri:100-KH-UBND#I.1@2026-06-30"),
      ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                  "2026-06-29/1d/pending", "2026-07-01/overdue/pending"));
  // A unit the registry does not know.
  Create(service, OneTaskPlan("xa-la", "xala.congan"));
  EXPECT_EQ(service.View("xa-la:100-KH-UBND#I.1").reminders_size(), 4);
  // A commune of Đồng Tháp.
  Create(service, OneTaskPlan("my-phong", "myphong.congan"));
  EXPECT_THAT(Points(service.View("my-phong:100-KH-UBND#I.1"),
                     "my-phong:100-KH-UBND#I.1@2026-06-30"),
              ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                          "2026-06-29/1d/pending", "2026-07-01/overdue/pending",
                          "2026-07-08/escalated/pending"));

  std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 7, 8, 8));
  EXPECT_THAT(Keys(sent), UnorderedElementsAre(
                              "quang-tri:100-KH-UBND#I.1@2026-06-30/overdue",
                              "xa-la:100-KH-UBND#I.1@2026-06-30/overdue",
                              "my-phong:100-KH-UBND#I.1@2026-06-30/"
                              "escalated"));
  const v1::DeadlineApproaching* commune =
      Find(sent, "my-phong:100-KH-UBND#I.1@2026-06-30/escalated");
  ASSERT_NE(commune, nullptr);
  EXPECT_EQ(commune->upper_unit(), "dong-thap");
  EXPECT_EQ(commune->upper_standing_agency(), "dongthap.congan");
  EXPECT_THAT(commune->recipients(),
              ElementsAre("myphong.congan", "dongthap.congan"));
}

TEST(EscalationTest, EventOfTheEscalationPoint) {
  Service service("");
  Create(service);
  // 1/7: I.1 is overdue; the May report, overdue since 12/6, escalated on
  // 19/6, is announced once, escalated, to its coordinator too (its
  // overdue notice is superseded, never sent).
  std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 7, 1, 8));
  EXPECT_THAT(Keys(sent), UnorderedElementsAre(Task("BC.1@2026-05/escalated"),
                                               Task("I.1@2026-06-30/overdue")));
  const v1::DeadlineApproaching* may =
      Find(sent, Task("BC.1@2026-05/escalated"));
  ASSERT_NE(may, nullptr);
  EXPECT_EQ(may->kind(), v1::DeadlineApproaching::KIND_ESCALATED);
  EXPECT_THAT(
      may->recipients(),
      ElementsAre("vinhthuy.congan", "vinhthuy.kinhte", "quangtri.congan"));
  EXPECT_EQ(may->days_overdue(), 20);
  EXPECT_TRUE(may->report());
  EXPECT_THAT(
      Points(service.View(Task("BC.1")), Task("BC.1@2026-05")),
      ElementsAre("2026-06-09/3d/superseded", "2026-06-11/1d/superseded",
                  "2026-06-12/overdue/superseded",
                  "2026-06-19/escalated/sent"));
  const v1::DeadlineApproaching* overdue =
      Find(sent, Task("I.1@2026-06-30/overdue"));
  ASSERT_NE(overdue, nullptr);
  EXPECT_EQ(overdue->upper_unit(), "");
  EXPECT_EQ(overdue->upper_standing_agency(), "");
  // Not escalated: nobody above to name.
  EXPECT_EQ(overdue->agency_names().count("quangtri.congan"), 0u);
  EXPECT_EQ(overdue->agency_names().at("vinhthuy.kinhte"), "Phòng Kinh tế");

  // 8/7, seven days after the overdue day: I.1 escalates.
  sent = service.Announce(Local(2026, 7, 8, 8));
  ASSERT_EQ(sent.size(), 1u);
  const v1::DeadlineApproaching& e = sent[0];
  EXPECT_EQ(e.kind(), v1::DeadlineApproaching::KIND_ESCALATED);
  EXPECT_EQ(e.reminder_key(), Task("I.1@2026-06-30/escalated"));
  EXPECT_EQ(e.task_id(), Task("I.1"));
  EXPECT_EQ(e.unit(), "vinh-thuy");
  EXPECT_EQ(e.occurrence_id(), Task("I.1@2026-06-30"));
  EXPECT_EQ(e.occurrence_label(), "30/06/2026");
  EXPECT_EQ(e.due_date().month(), 6);
  EXPECT_EQ(e.due_date().day(), 30);
  EXPECT_EQ(e.days_overdue(), 8);
  EXPECT_EQ(e.days_left(), -8);
  EXPECT_EQ(e.days_before(), 0);
  EXPECT_EQ(e.upper_unit(), "quang-tri");
  EXPECT_EQ(e.upper_standing_agency(), "quangtri.congan");
  EXPECT_EQ(e.standing_agency(), "vinhthuy.congan");
  EXPECT_THAT(e.lead_agencies(), ElementsAre("vinhthuy.kinhte"));
  // The coordinator vhxh heard of the overdue notice on 1/7.
  EXPECT_THAT(e.recipients(), ElementsAre("vinhthuy.kinhte", "vinhthuy.congan",
                                          "quangtri.congan"));
  EXPECT_FALSE(e.blocked());
  EXPECT_FALSE(e.report());
  // Named as the plan writes them, the provincial police as the registry
  // does, with its province.
  EXPECT_EQ(e.unit_name(), "Xã Vĩnh Thủy");
  EXPECT_EQ(e.agency_names().at("vinhthuy.kinhte"), "Phòng Kinh tế");
  EXPECT_EQ(e.agency_names().at("vinhthuy.congan"), "Công an xã");
  EXPECT_EQ(e.agency_names().at("quangtri.congan"), "Công an tỉnh Quảng Trị");
  EXPECT_THAT(
      Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
      ElementsAre("2026-06-23/7d/superseded", "2026-06-26/3d/superseded",
                  "2026-06-29/1d/superseded", "2026-07-01/overdue/sent",
                  "2026-07-08/escalated/sent"));
  EXPECT_TRUE(service.Announce(Local(2026, 7, 8, 9)).empty());
}

TEST(EscalationTest, NoStandingBodyAboveAnyMoreSupersedesIt) {
  Service service("");
  Create(service);
  // Since the plan was made, Quảng Trị's standing body was taken out of
  // the registry.
  const std::string document =
      absl::StrReplaceAll(plantext::DefaultRegistryJson(),
                          {{"\"standing_agency\": \"quangtri.congan\",", ""}});
  ASSERT_NE(document, plantext::DefaultRegistryJson());
  ASSERT_TRUE(StoreRegistry(service, document).ok());

  // The May report's overdue and escalation points are due at once: the
  // escalation has nobody to go to, so the overdue notice goes out.
  std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 7, 1, 8));
  EXPECT_THAT(Keys(sent), UnorderedElementsAre(Task("BC.1@2026-05/overdue"),
                                               Task("I.1@2026-06-30/overdue")));
  for (const v1::DeadlineApproaching& e : sent) {
    EXPECT_EQ(e.kind(), v1::DeadlineApproaching::KIND_OVERDUE);
    EXPECT_EQ(e.upper_standing_agency(), "");
  }
  EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-05")),
              ElementsAre("2026-06-09/3d/superseded",
                          "2026-06-11/1d/superseded", "2026-06-12/overdue/sent",
                          "2026-06-19/escalated/superseded"));
  // I.1's escalation alone: nothing is announced.
  EXPECT_TRUE(service.Announce(Local(2026, 7, 8, 8)).empty());
  EXPECT_THAT(
      Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
      ElementsAre("2026-06-23/7d/superseded", "2026-06-26/3d/superseded",
                  "2026-06-29/1d/superseded", "2026-07-01/overdue/sent",
                  "2026-07-08/escalated/superseded"));
}

TEST(EscalationTest, DelayOfThePlanAndOfTheService) {
  {
    // Three days: 30/6 + 1 + 3 = Saturday 4/7, moved to Monday 6/7; the
    // May report, due 11/6, on Monday 15/6.
    Service service("");
    v1::CreatePlanRequest request = Request();
    request.mutable_reminder_policy()->set_escalation_days(3);
    Create(service, request);
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                    "2026-06-29/1d/pending", "2026-07-01/overdue/pending",
                    "2026-07-06/escalated/pending"));
    EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-05")),
                ElementsAre("2026-06-09/3d/pending", "2026-06-11/1d/pending",
                            "2026-06-12/overdue/pending",
                            "2026-06-15/escalated/pending"));
    EXPECT_THAT(Keys(service.Announce(Local(2026, 6, 15, 8))),
                ElementsAre(Task("BC.1@2026-05/escalated")));
  }
  {
    // Negative: never, though the service escalates after 7 days.
    Service service("");
    v1::CreatePlanRequest request = Request();
    request.mutable_reminder_policy()->set_escalation_days(-1);
    Create(service, request);
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                    "2026-06-29/1d/pending", "2026-07-01/overdue/pending"));
    EXPECT_EQ(service.View(Task("BC.1")).reminders_size(), 33);
    for (const v1::DeadlineApproaching& e :
         service.Announce(Local(2027, 6, 1, 8))) {
      EXPECT_EQ(e.kind(), v1::DeadlineApproaching::KIND_OVERDUE)
          << e.reminder_key();
    }
  }
  {
    // --escalation_days=0: none, unless the plan asks (ten days: Saturday
    // 11/7, moved to Monday 13/7).
    const ReminderRules quiet(LeadTimes{.escalation_days = 0});
    Service service("", quiet);
    Create(service);
    EXPECT_EQ(service.View(Task("I.1")).reminders_size(), 4);
    Service asked("", quiet);
    v1::CreatePlanRequest request = Request();
    request.mutable_reminder_policy()->set_escalation_days(10);
    Create(asked, request);
    EXPECT_THAT(
        Points(asked.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                    "2026-06-29/1d/pending", "2026-07-01/overdue/pending",
                    "2026-07-13/escalated/pending"));
  }
}

TEST(EscalationTest, CancelledWhenDoneAndBackWhenReopenedInTime) {
  {
    // I.1 done early, on 25/6: every point cancelled, the escalation too.
    Service service("");
    Create(service);
    ASSERT_TRUE(Report(service, "I.1", 1, "2026-06-30",
                       v1::OCCURRENCE_STATUS_DONE, Local(2026, 6, 25, 8))
                    .ok());
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/cancelled", "2026-06-26/3d/cancelled",
                    "2026-06-29/1d/cancelled", "2026-07-01/overdue/cancelled",
                    "2026-07-08/escalated/cancelled"));
    // Reopened on 3/7: only the escalation is still ahead.
    ASSERT_TRUE(Report(service, "I.1", 2, "2026-06-30",
                       v1::OCCURRENCE_STATUS_IN_PROGRESS, Local(2026, 7, 3, 8))
                    .ok());
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/cancelled", "2026-06-26/3d/cancelled",
                    "2026-06-29/1d/cancelled", "2026-07-01/overdue/cancelled",
                    "2026-07-08/escalated/pending"));
    // The overdue notice never went out: the coordinator hears of it now.
    const std::vector<v1::DeadlineApproaching> sent =
        service.Announce(Local(2026, 7, 8, 8));
    const v1::DeadlineApproaching* i1 =
        Find(sent, Task("I.1@2026-06-30/escalated"));
    ASSERT_NE(i1, nullptr);
    EXPECT_THAT(i1->recipients(),
                ElementsAre("vinhthuy.kinhte", "vinhthuy.vhxh",
                            "vinhthuy.congan", "quangtri.congan"));
  }
  {
    // Done late on 2/7, after the overdue notice: the escalation is
    // cancelled, and stays so when reopened after its day.
    Service service("");
    Create(service);
    EXPECT_THAT(Keys(service.Announce(Local(2026, 7, 1, 8))),
                ::testing::Contains(Task("I.1@2026-06-30/overdue")));
    ASSERT_TRUE(Report(service, "I.1", 1, "2026-06-30",
                       v1::OCCURRENCE_STATUS_DONE_LATE, Local(2026, 7, 2, 8))
                    .ok());
    EXPECT_TRUE(service.Announce(Local(2026, 7, 8, 8)).empty());
    ASSERT_TRUE(Report(service, "I.1", 2, "2026-06-30",
                       v1::OCCURRENCE_STATUS_IN_PROGRESS, Local(2026, 7, 9, 8))
                    .ok());
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/superseded", "2026-06-26/3d/superseded",
                    "2026-06-29/1d/superseded", "2026-07-01/overdue/sent",
                    "2026-07-08/escalated/cancelled"));
    // 9/7: only the June report's own point.
    EXPECT_THAT(Keys(service.Announce(Local(2026, 7, 9, 9))),
                ElementsAre(Task("BC.1@2026-06/3d")));
  }
}

TEST(EscalationTest, DatabaseOfThePreviousVersionOpens) {
  const TestDbFile file("plan-store-escalation");
  const std::string& path = file.path();
  {
    // Made as before escalation existed: no escalation points.
    Service service(path, ReminderRules(LeadTimes{.escalation_days = 0}));
    Create(service);
    EXPECT_THAT(Keys(service.Announce(Local(2026, 6, 9, 8))),
                ElementsAre(Task("BC.1@2026-05/3d")));
  }
  {
    Service service(path);
    ASSERT_TRUE(service.store().Init().ok());
    // The points stored stay as they were, with their keys.
    EXPECT_THAT(
        Points(service.View(Task("I.1")), Task("I.1@2026-06-30")),
        ElementsAre("2026-06-23/7d/pending", "2026-06-26/3d/pending",
                    "2026-06-29/1d/pending", "2026-07-01/overdue/pending"));
    EXPECT_THAT(Points(service.View(Task("BC.1")), Task("BC.1@2026-05")),
                ElementsAre("2026-06-09/3d/sent", "2026-06-11/1d/pending",
                            "2026-06-12/overdue/pending"));
    // New occurrences escalate.
    ASSERT_TRUE(service.store().RecordTrigger(Trigger("t-1")).ok());
    EXPECT_THAT(Points(service.View(Task("II.1")), Task("II.1@trigger-1")),
                ElementsAre("2026-07-13/7d/pending", "2026-07-17/1d/pending",
                            "2026-07-21/overdue/pending",
                            "2026-07-28/escalated/pending"));
    EXPECT_THAT(Keys(service.Announce(Local(2026, 7, 2, 8))),
                UnorderedElementsAre(Task("BC.1@2026-05/overdue"),
                                     Task("I.1@2026-06-30/overdue")));
  }
}

TEST(RecordTriggerTest, AddsAnOccurrenceWithReminders) {
  Service service("");
  Create(service);
  absl::StatusOr<v1::Task> task = service.store().RecordTrigger(Trigger("t-1"));
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->version(), 2u);
  ASSERT_EQ(task->occurrences_size(), 1);
  const v1::Occurrence& o = task->occurrences(0);
  EXPECT_EQ(o.id(), Task("II.1@trigger-1"));
  EXPECT_EQ(o.kind(), v1::Occurrence::KIND_TRIGGERED);
  EXPECT_EQ(o.label(), "theo Bộ Công an có chỉ đạo ngày 3/7/2026");
  EXPECT_EQ(o.due().day(), 20);

  // Due Monday 20/7: 7 days before is Monday 13/7; 3 days before (Friday
  // 17/7) and 1 day before (Sunday 19/7, moved to 17/7) meet; escalated
  // Tuesday 28/7.
  const v1::GetTaskResponse view = service.View(Task("II.1"));
  EXPECT_EQ(view.task().version(), 2u);
  EXPECT_THAT(Points(view, Task("II.1@trigger-1")),
              ElementsAre("2026-07-13/7d/pending", "2026-07-17/1d/pending",
                          "2026-07-21/overdue/pending",
                          "2026-07-28/escalated/pending"));

  std::vector<v1::EventEnvelope> changed = service.Take(kPlanChangedTopic);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].plan_changed().change(),
            v1::PlanChanged::CHANGE_UPDATED);
  EXPECT_EQ(changed[0].plan_changed().task().version(), 2u);
  EXPECT_EQ(changed[0].plan_changed().task().occurrences(0).id(),
            Task("II.1@trigger-1"));
  EXPECT_EQ(changed[0].plan_changed().plan_number(), "1199/KH-UBND");

  // A retry gets the first answer and changes nothing.
  absl::StatusOr<v1::Task> retried =
      service.store().RecordTrigger(Trigger("t-1"));
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->version(), 2u);
  EXPECT_EQ(retried->occurrences_size(), 1);
  EXPECT_TRUE(service.Take(kPlanChangedTopic).empty());
  EXPECT_EQ(service.View(Task("II.1")).reminders_size(), 4);

  // A second instruction is a second occurrence.
  v1::RecordTriggerRequest again = Trigger("t-2");
  *again.mutable_happened_on() = Date(2026, 9, 1);
  *again.mutable_due() = Date(2026, 9, 30);
  absl::StatusOr<v1::Task> second = service.store().RecordTrigger(again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->version(), 3u);
  ASSERT_EQ(second->occurrences_size(), 2);
  EXPECT_EQ(second->occurrences(1).key(), "trigger-2");

  // Its points are announced like any other.
  std::vector<std::string> triggered;
  for (const v1::DeadlineApproaching& e :
       service.Announce(Local(2026, 7, 14, 8))) {
    if (e.task_id() == Task("II.1")) triggered.push_back(e.reminder_key());
  }
  EXPECT_THAT(triggered, ElementsAre(Task("II.1@trigger-1/7d")));
}

TEST(RecordTriggerTest, NewWorkForATaskDoneBefore) {
  Service service("");
  Create(service);
  ASSERT_TRUE(Report(service, "II.1", 1, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
                     Local(2026, 6, 1, 8), v1::TASK_STATUS_DONE)
                  .ok());
  EXPECT_TRUE(service.View(Task("II.1")).done());
  ASSERT_TRUE(service.store().RecordTrigger(Trigger("t-1")).ok());
  EXPECT_FALSE(service.View(Task("II.1")).done());
  // A later report that says nothing of completion keeps the new points.
  v1::TaskUpdated note =
      Update(Task("II.1"), 2, "", v1::OCCURRENCE_STATUS_UNSPECIFIED,
             v1::TASK_STATUS_UNSPECIFIED);
  note.set_note("Đã nhận văn bản");
  ASSERT_TRUE(service.Apply(note, Local(2026, 7, 4, 8)).ok());
  EXPECT_THAT(Points(service.View(Task("II.1")), Task("II.1@trigger-1")),
              ElementsAre("2026-07-13/7d/pending", "2026-07-17/1d/pending",
                          "2026-07-21/overdue/pending",
                          "2026-07-28/escalated/pending"));
}

TEST(RecordTriggerTest, Refusals) {
  Service service("");
  Create(service);
  auto refused = [&](const v1::RecordTriggerRequest& request,
                     absl::StatusCode code) {
    absl::StatusOr<v1::Task> task = service.store().RecordTrigger(request);
    EXPECT_EQ(task.status().code(), code) << task.status();
    return std::string(task.status().message());
  };
  v1::RecordTriggerRequest request = Trigger("");
  request.set_task_id(Task("IX.9"));
  EXPECT_EQ(refused(request, absl::StatusCode::kNotFound),
            absl::StrCat("task_id: no task '", Task("IX.9"), "'"));
  request.clear_task_id();
  EXPECT_EQ(refused(request, absl::StatusCode::kInvalidArgument),
            "task_id: required");

  request = Trigger("");
  request.set_task_id(Task("I.1"));
  EXPECT_THAT(refused(request, absl::StatusCode::kFailedPrecondition),
              StartsWith("task_id: task " + Task("I.1")));

  request = Trigger("");
  request.set_trigger("");
  EXPECT_THAT(refused(request, absl::StatusCode::kInvalidArgument),
              StartsWith("trigger: required"));

  request = Trigger("");
  *request.mutable_due() = Date(2026, 7, 1);
  EXPECT_EQ(refused(request, absl::StatusCode::kInvalidArgument),
            "due: 2026-07-01 is before happened_on 2026-07-03");

  // Nothing was stored by the refusals.
  EXPECT_EQ(service.View(Task("II.1")).task().version(), 1u);
  EXPECT_TRUE(service.Take(kPlanChangedTopic).empty());

  // A request id is one request: reused for another task, refused.
  ASSERT_TRUE(service.store().RecordTrigger(Trigger("same")).ok());
  request = Trigger("same");
  request.set_task_id(Task("I.1"));
  EXPECT_THAT(refused(request, absl::StatusCode::kInvalidArgument),
              StartsWith("request_id: 'same' was already used for task"));
}

TEST(PlanStoreTest, OlderDatabaseIsMigrated) {
  Service service("");
  // A database of schema version 2, made before versions were kept:
  // points keyed by task.
  ASSERT_TRUE(service.db()
                  .Transaction([&] {
                    return service.db().Exec(
                        "DROP TABLE reminders; DROP TABLE occurrences; "
                        "DROP TABLE trigger_requests; DROP TABLE dead_letters; "
                        "DROP TABLE accounts; "
                        "PRAGMA user_version = 0; "
                        "CREATE TABLE reminders (task_id TEXT NOT NULL, "
                        "days_before INTEGER NOT NULL, overdue INTEGER NOT "
                        "NULL, fire_at INTEGER NOT NULL, state INTEGER NOT "
                        "NULL, PRIMARY KEY (task_id, days_before, overdue));"
                        "CREATE INDEX reminders_due ON reminders(state, "
                        "fire_at);");
                  })
                  .ok());
  v1::Task task;
  task.set_id(Task("I.1"));
  task.set_plan_id(kPlan);
  task.set_unit("vinh-thuy");
  task.set_title("Ban hành Kế hoạch");
  task.add_lead_agencies("vinhthuy.congan");
  *task.mutable_due_date() = Date(2026, 5, 31);
  const std::string record = task.SerializeAsString();
  ASSERT_TRUE(service.db()
                  .Transaction([&]() -> absl::Status {
                    absl::Status s = service.db().Exec(
                        "INSERT INTO plans VALUES('vinh-thuy:1199-KH-UBND', "
                        "'vinh-thuy', x'')");
                    if (!s.ok()) return s;
                    absl::StatusOr<Statement> t = service.db().Prepare(
                        "INSERT INTO tasks(id, plan_id, unit, ordinal, record) "
                        "VALUES(?, ?, 'vinh-thuy', 0, ?)");
                    if (!t.ok()) return t.status();
                    t->Bind(task.id(), kPlan, Statement::Blob{record});
                    if (s = t->Run(); !s.ok()) return s;
                    absl::StatusOr<Statement> r = service.db().Prepare(
                        "INSERT INTO reminders VALUES(?, ?, ?, ?, ?)");
                    if (!r.ok()) return r.status();
                    for (const auto& [days, overdue, day, state] :
                         std::vector<std::tuple<int, int, int, int>>{
                             {7, 0, 24, 2}, {3, 0, 28, 1}, {1, 0, 30, 1}}) {
                      r->Reset();
                      r->Bind(task.id(), days, overdue,
                              absl::ToUnixSeconds(Local(2026, 5, day)), state);
                      if (s = r->Run(); !s.ok()) return s;
                    }
                    r->Reset();
                    r->Bind(task.id(), 0, 1,
                            absl::ToUnixSeconds(Local(2026, 6, 1)), 1);
                    return r->Run();
                  })
                  .ok());

  absl::Status migrated = service.store().Init();
  ASSERT_TRUE(migrated.ok()) << migrated;
  EXPECT_THAT(
      Points(service.View(Task("I.1")), Task("I.1@2026-05-31")),
      ElementsAre("2026-05-24/7d/sent", "2026-05-28/3d/pending",
                  "2026-05-30/1d/pending", "2026-06-01/overdue/pending"));
  // Initialising again changes nothing.
  ASSERT_TRUE(service.store().Init().ok());
  EXPECT_EQ(service.View(Task("I.1")).reminders_size(), 4);
  const std::vector<v1::DeadlineApproaching> sent =
      service.Announce(Local(2026, 6, 1, 8));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reminder_key(), Task("I.1@2026-05-31/overdue"));
  EXPECT_EQ(sent[0].occurrence_label(), "31/05/2026");
  EXPECT_EQ(sent[0].due_date().day(), 31);
}

}  // namespace
}  // namespace tiendo::plan
