// Subscriptions and deliveries in the notification service's database, and
// the worker that attempts them, with a scripted sender and a simulated
// clock: one delivery per matching subscription and inbox entry, retries
// with backoff until the attempt cap, refusals dead at once, quiet hours
// held, e-mail pending without a sender, read state kept.
#include "services/notification/delivery_worker.h"

#include <deque>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "services/common/work_calendar.h"
#include "services/notification/inbox_store.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_database.h"

namespace tiendo::notification {
namespace {

using ::testing::HasSubstr;
using ::tiendo::testing::InMemoryDatabase;
using ::tiendo::testing::Local;

constexpr char kLead[] = "vinhthuy.congan";

v1::EventEnvelope Reminder(const std::string& key) {
  v1::EventEnvelope envelope;
  envelope.set_event_id(absl::StrCat("deadline-", key));
  envelope.set_unit("vinh-thuy");
  *envelope.mutable_occurred_at() = ToProto(Local(2026, 6, 8, 8));
  v1::DeadlineApproaching& e = *envelope.mutable_deadline_approaching();
  e.set_kind(v1::DeadlineApproaching::KIND_REMINDER);
  e.set_task_id("vinh-thuy:1199-KH-UBND#BC.1");
  e.set_unit("vinh-thuy");
  e.set_section("BC");
  e.set_number("1");
  e.set_task_title("Báo cáo kết quả thực hiện");
  *e.mutable_due_date() = testing::Date(2026, 6, 11);
  e.set_days_before(3);
  e.set_days_left(3);
  e.add_recipients(kLead);
  e.add_lead_agencies(kLead);
  e.set_standing_agency(kLead);
  e.set_reminder_key(absl::StrCat(key, "/3d"));
  return envelope;
}

class ScriptedSender final : public DeliverySender {
 public:
  AttemptResult Send(const DueDelivery& due) override {
    sent.push_back(due.delivery.delivery_key());
    delivered.push_back(due);
    if (script.empty()) return {Outcome::kSent, ""};
    AttemptResult r = script.front();
    script.pop_front();
    return r;
  }
  std::deque<AttemptResult> script;
  std::vector<std::string> sent;
  std::vector<DueDelivery> delivered;
};

class DeliveryWorkerTest : public ::testing::Test {
 protected:
  DeliveryWorkerTest() : clock_(Local(2026, 6, 8, 8), "") {}

  void SetUp() override {
    db_ = InMemoryDatabase();
    ASSERT_NE(db_, nullptr);
    subs_ = std::make_unique<SubscriptionStore>(*db_);
    ASSERT_TRUE(subs_->Init().ok());
    inbox_ = std::make_unique<InboxStore>(*db_, subs_.get());
    ASSERT_TRUE(inbox_->Init().ok());
    DeliveryWorker::Options options;
    options.backoff.max_attempts = 4;
    options.jitter = [] { return 1.0; };  // the full delay
    worker_ = std::make_unique<DeliveryWorker>(
        *subs_, clock_, changes_,
        std::map<v1::Channel, DeliverySender*>{{v1::CHANNEL_WEBHOOK, &hook_}},
        options);
  }

  void Subscribe(const std::string& id, v1::Channel channel,
                 const std::string& address) {
    v1::Subscription s;
    s.set_agency(kLead);
    s.set_id(id);
    s.set_channel(channel);
    s.set_address(address);
    s.set_secret("bí mật");
    ASSERT_TRUE(subs_->Set(s).ok());
  }

  void Add(const std::string& key) {
    ASSERT_TRUE(db_->Transaction([&] {
                     return inbox_->AddReminder(Reminder(key)).status();
                   })
                    .ok());
  }

  std::vector<v1::Delivery> Deliveries() {
    absl::StatusOr<std::vector<v1::Delivery>> list =
        subs_->ListDeliveries(kLead, v1::Delivery::STATE_UNSPECIFIED);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? *list : std::vector<v1::Delivery>{};
  }

  int Run() {
    absl::StatusOr<int> n = worker_->RunOnce();
    EXPECT_TRUE(n.ok()) << n.status();
    return n.ok() ? *n : -1;
  }

  SimulatedClock clock_;
  ChangeNotifier changes_;
  ScriptedSender hook_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SubscriptionStore> subs_;
  std::unique_ptr<InboxStore> inbox_;
  std::unique_ptr<DeliveryWorker> worker_;
};

TEST_F(DeliveryWorkerTest, OneDeliveryPerEntryAndOutgoingSubscription) {
  Subscribe("hook", v1::CHANNEL_WEBHOOK, "http://127.0.0.1:9/hook");
  Subscribe("mail", v1::CHANNEL_EMAIL, "congan@vinhthuy.gov.vn");
  Subscribe("app", v1::CHANNEL_INBOX, "");
  Add("p1");
  Add("p1");  // redelivered event
  std::vector<v1::Delivery> list = Deliveries();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].delivery_key(), "p1/3d→vinhthuy.congan→hook");
  EXPECT_EQ(list[1].delivery_key(), "p1/3d→vinhthuy.congan→mail");
  EXPECT_EQ(list[0].state(), v1::Delivery::STATE_PENDING);

  EXPECT_EQ(Run(), 2);
  list = Deliveries();
  EXPECT_EQ(list[0].state(), v1::Delivery::STATE_SENT);
  EXPECT_EQ(list[0].attempts(), 1);
  EXPECT_EQ(list[1].state(), v1::Delivery::STATE_PENDING);
  EXPECT_EQ(list[1].last_error(), "no SMTP server configured");
  EXPECT_EQ(Run(), 0);
  EXPECT_EQ(hook_.sent.size(), 1u);

  // A subscription to other kinds gets nothing.
  v1::Subscription only;
  only.set_agency(kLead);
  only.set_id("overdue-only");
  only.set_channel(v1::CHANNEL_WEBHOOK);
  only.set_address("http://127.0.0.1:9/x");
  only.add_kinds(v1::NOTIFICATION_KIND_OVERDUE);
  ASSERT_TRUE(subs_->Set(only).ok());
  Add("p2");
  EXPECT_EQ(Deliveries().size(), 4u);
}

TEST_F(DeliveryWorkerTest, RetriesWithBackoffThenSucceedsOrDies) {
  Subscribe("hook", v1::CHANNEL_WEBHOOK, "http://127.0.0.1:9/hook");
  Add("p1");
  hook_.script = {{Outcome::kRetry, "HTTP 503"},
                  {Outcome::kRetry, "HTTP 503"},
                  {Outcome::kRetry, "HTTP 503"}};
  EXPECT_EQ(Run(), 1);
  v1::Delivery d = Deliveries()[0];
  EXPECT_EQ(d.state(), v1::Delivery::STATE_FAILED);
  EXPECT_EQ(d.last_error(), "HTTP 503");
  EXPECT_EQ(FromProto(d.next_attempt_at()), clock_.Now() + absl::Seconds(2));
  EXPECT_EQ(Run(), 0);  // not due yet
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(FromProto(Deliveries()[0].next_attempt_at()),
            clock_.Now() + absl::Seconds(4));
  clock_.Advance(absl::Seconds(4));
  EXPECT_EQ(Run(), 1);
  clock_.Advance(absl::Seconds(8));
  EXPECT_EQ(Run(), 1);
  d = Deliveries()[0];
  EXPECT_EQ(d.state(), v1::Delivery::STATE_SENT);
  EXPECT_EQ(d.attempts(), 4);
  EXPECT_EQ(hook_.sent.size(), 4u);

  // Another that always fails is dead after max_attempts (4).
  Add("p2");
  for (int i = 0; i < 10; ++i) {
    hook_.script.push_back({Outcome::kRetry, "timeout: no answer"});
  }
  for (int i = 0; i < 6; ++i) {
    Run();
    clock_.Advance(absl::Minutes(10));
  }
  d = Deliveries()[1];
  EXPECT_EQ(d.state(), v1::Delivery::STATE_DEAD);
  EXPECT_EQ(d.attempts(), 4);
  EXPECT_THAT(d.last_error(), HasSubstr("timeout"));
}

TEST_F(DeliveryWorkerTest, RefusalIsDeadAtOnce) {
  Subscribe("hook", v1::CHANNEL_WEBHOOK, "http://127.0.0.1:9/hook");
  Add("p1");
  hook_.script = {{Outcome::kPermanent, "HTTP 400: bad"}};
  Run();
  clock_.Advance(absl::Hours(1));
  Run();
  const v1::Delivery d = Deliveries()[0];
  EXPECT_EQ(d.state(), v1::Delivery::STATE_DEAD);
  EXPECT_EQ(d.attempts(), 1);
  EXPECT_EQ(d.last_error(), "HTTP 400: bad");
  EXPECT_EQ(hook_.sent.size(), 1u);
}

TEST_F(DeliveryWorkerTest, QuietHoursHoldUntilTheyEnd) {
  v1::Subscription s;
  s.set_agency(kLead);
  s.set_id("hook");
  s.set_channel(v1::CHANNEL_WEBHOOK);
  s.set_address("http://127.0.0.1:9/hook");
  s.set_quiet_from("22:00");
  s.set_quiet_until("06:30");
  ASSERT_TRUE(subs_->Set(s).ok());
  clock_.Set(Local(2026, 6, 8, 23));
  Add("p1");
  Run();
  v1::Delivery d = Deliveries()[0];
  EXPECT_EQ(d.state(), v1::Delivery::STATE_PENDING);
  EXPECT_EQ(d.attempts(), 0);
  EXPECT_EQ(FromProto(d.next_attempt_at()), Local(2026, 6, 9, 6, 30));
  EXPECT_TRUE(hook_.sent.empty());
  clock_.Set(Local(2026, 6, 9, 6, 30));
  Run();
  EXPECT_EQ(Deliveries()[0].state(), v1::Delivery::STATE_SENT);
}

TEST_F(DeliveryWorkerTest, ReadStateIsKeptPerAgency) {
  Add("p1");
  Add("p2");
  absl::StatusOr<std::vector<v1::Notification>> inbox = inbox_->List(kLead, 0);
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->size(), 2u);
  EXPECT_FALSE((*inbox)[0].read());
  const int64_t first = (*inbox)[0].id();
  EXPECT_EQ(*inbox_->MarkRead("someone.else", {first}), 0);
  EXPECT_EQ(*inbox_->MarkRead(kLead, {first}), 1);
  EXPECT_EQ(*inbox_->MarkRead(kLead, {first}), 0);
  inbox = inbox_->List(kLead, 0);
  EXPECT_TRUE((*inbox)[0].read());
  EXPECT_FALSE((*inbox)[1].read());
}

TEST_F(DeliveryWorkerTest, SubscriptionsAreValidatedListedAndDeleted) {
  v1::Subscription bad;
  bad.set_agency(kLead);
  bad.set_id("hook");
  bad.set_channel(v1::CHANNEL_WEBHOOK);
  bad.set_address("not a url");
  absl::StatusOr<v1::Subscription> refused = subs_->Set(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("address"));
  Subscribe("hook", v1::CHANNEL_WEBHOOK, "https://gw.example/hook");
  Subscribe("hook", v1::CHANNEL_WEBHOOK, "https://gw.example/other");
  absl::StatusOr<std::vector<v1::Subscription>> list = subs_->List(kLead);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].address(), "https://gw.example/other");
  EXPECT_EQ((*list)[0].language(), "vi");
  EXPECT_TRUE(subs_->Delete(kLead, "hook").ok());
  EXPECT_EQ(subs_->Delete(kLead, "hook").code(), absl::StatusCode::kNotFound);
}

// Digests: a subscription with a digest time collects deadline notifications
// and gets one message a working day listing them; what stays overdue comes
// again the next day until it is done; alerts still go at once.
class DigestDeliveryTest : public DeliveryWorkerTest {
 protected:
  void SetUp() override {
    DeliveryWorkerTest::SetUp();
    v1::Subscription s;
    s.set_agency(kLead);
    s.set_id("daily");
    s.set_channel(v1::CHANNEL_WEBHOOK);
    s.set_address("http://127.0.0.1:9/hook");
    s.set_digest_at("07:30");
    ASSERT_TRUE(subs_->Set(s).ok());
  }

  // A reminder (or overdue notice) of occurrence `key` due on `due`.
  void AddDeadline(const std::string& key, v1::LocalDate due,
                   bool overdue = false) {
    v1::EventEnvelope e = Reminder(key);
    v1::DeadlineApproaching& d = *e.mutable_deadline_approaching();
    d.set_occurrence_id(absl::StrCat("vinh-thuy:1199-KH-UBND#BC.1@", key));
    *d.mutable_due_date() = due;
    if (overdue) {
      d.set_kind(v1::DeadlineApproaching::KIND_OVERDUE);
      d.set_reminder_key(absl::StrCat(key, "/overdue"));
    }
    ASSERT_TRUE(
        db_->Transaction([&] { return inbox_->AddReminder(e).status(); }).ok());
  }

  // The occurrences each digest sent so far listed, as "key:kind:days".
  std::vector<std::vector<std::string>> Digests() {
    std::vector<std::vector<std::string>> out;
    for (const DueDelivery& due : hook_.delivered) {
      if (due.notification.kind() != v1::NOTIFICATION_KIND_DIGEST) continue;
      std::vector<std::string>& lines = out.emplace_back();
      for (const v1::Notification& n : due.notification.items()) {
        const std::string key =
            n.occurrence_id().substr(n.occurrence_id().rfind('@') + 1);
        lines.push_back(absl::StrCat(key, ":", EnumWord(n.kind()), ":",
                                     n.kind() == v1::NOTIFICATION_KIND_OVERDUE
                                         ? n.days_overdue()
                                         : n.days_left()));
      }
    }
    return out;
  }
};

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_F(DigestDeliveryTest, OneMessageAWorkingDayOverdueRepeatsUntilDone) {
  // Monday 8 June, 08:00: the first look only schedules Tuesday 07:30.
  EXPECT_EQ(Run(), 0);
  AddDeadline("a", testing::Date(2026, 6, 11));
  AddDeadline("b", testing::Date(2026, 6, 12));
  AddDeadline("c", testing::Date(2026, 6, 8), /*overdue=*/true);
  // Queued, not sent: no delivery yet, but the inbox has all three.
  EXPECT_THAT(Deliveries(), IsEmpty());
  EXPECT_EQ(Run(), 0);
  absl::StatusOr<std::vector<v1::Notification>> inbox = inbox_->List(kLead, 0);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->size(), 3u);

  clock_.Set(Local(2026, 6, 9, 7, 29));
  EXPECT_EQ(Run(), 0);
  clock_.Set(Local(2026, 6, 9, 7, 30));
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(Run(), 0);  // once a day
  ASSERT_EQ(Deliveries().size(), 1u);
  EXPECT_EQ(Deliveries()[0].delivery_key(),
            "digest:2026-06-09→vinhthuy.congan→daily");
  EXPECT_EQ(Deliveries()[0].state(), v1::Delivery::STATE_SENT);

  // Wednesday: c again, one day more overdue; a and b were told.
  clock_.Set(Local(2026, 6, 10, 7, 30));
  EXPECT_EQ(Run(), 1);
  // c is done on Wednesday.
  ASSERT_TRUE(db_->Transaction([&] {
                   v1::TaskUpdated done;
                   done.set_task_id("vinh-thuy:1199-KH-UBND#BC.1");
                   done.set_version(1);
                   done.set_status(v1::TASK_STATUS_IN_PROGRESS);
                   done.set_occurrence_id("vinh-thuy:1199-KH-UBND#BC.1@c");
                   done.set_occurrence_status(v1::OCCURRENCE_STATUS_DONE_LATE);
                   return inbox_->ApplyTaskUpdate(done);
                 })
                  .ok());
  // Thursday: nothing new to list, no digest.
  clock_.Set(Local(2026, 6, 11, 7, 30));
  EXPECT_EQ(Run(), 0);
  // a's due date passed on Thursday: Friday's overdue notice is listed.
  clock_.Set(Local(2026, 6, 12, 0, 0));
  AddDeadline("a", testing::Date(2026, 6, 11), /*overdue=*/true);
  clock_.Set(Local(2026, 6, 12, 7, 30));
  EXPECT_EQ(Run(), 1);
  // The weekend has no digest; Monday lists a, four days overdue.
  clock_.Set(Local(2026, 6, 13, 7, 30));
  EXPECT_EQ(Run(), 0);
  clock_.Set(Local(2026, 6, 15, 7, 30));
  EXPECT_EQ(Run(), 1);

  EXPECT_THAT(
      Digests(),
      ElementsAre(ElementsAre("c:overdue:1", "a:reminder:2", "b:reminder:3"),
                  ElementsAre("c:overdue:2"), ElementsAre("a:overdue:1"),
                  ElementsAre("a:overdue:4")));
}

// After the service was away: a digest missed on an earlier day is folded
// into today's, sent at its time (never at night); one missed earlier today
// goes at once.
TEST_F(DigestDeliveryTest, MissedDigestsAreFoldedIntoTodays) {
  EXPECT_EQ(Run(), 0);  // Monday 08:00: Tuesday 07:30 is next
  AddDeadline("a", testing::Date(2026, 6, 19));
  clock_.Set(Local(2026, 6, 12, 0, 5));  // Friday, past midnight
  EXPECT_EQ(Run(), 0);
  EXPECT_THAT(Deliveries(), IsEmpty());
  clock_.Set(Local(2026, 6, 12, 7, 30));
  EXPECT_EQ(Run(), 1);
  // Back at 10:00 on Monday after a weekend and a morning away.
  AddDeadline("b", testing::Date(2026, 6, 19));
  clock_.Set(Local(2026, 6, 15, 10, 0));
  EXPECT_EQ(Run(), 1);
  EXPECT_THAT(Digests(), ElementsAre(ElementsAre("a:reminder:7"),
                                     ElementsAre("b:reminder:4")));
  ASSERT_EQ(Deliveries().size(), 2u);
  EXPECT_EQ(Deliveries()[1].delivery_key(),
            "digest:2026-06-15→vinhthuy.congan→daily");
}

// Public holidays are days off for digests too: nothing on Quốc khánh
// (Tuesday 1 and Wednesday 2 September 2026), Thursday's digest lists it.
TEST_F(DigestDeliveryTest, NoDigestOnPublicHolidays) {
  DeliveryWorker::Options options;
  options.jitter = [] { return 1.0; };
  const WorkCalendar& calendar = WorkCalendar::Default();
  options.is_working_day = [&calendar](absl::CivilDay day) {
    return calendar.IsWorkingDay(day);
  };
  DeliveryWorker worker(
      *subs_, clock_, changes_,
      std::map<v1::Channel, DeliverySender*>{{v1::CHANNEL_WEBHOOK, &hook_}},
      options);
  clock_.Set(Local(2026, 8, 31, 8));  // Monday
  ASSERT_TRUE(worker.RunOnce().ok());
  AddDeadline("a", testing::Date(2026, 9, 10));
  for (int day : {1, 2}) {
    clock_.Set(Local(2026, 9, day, 7, 30));
    absl::StatusOr<int> handled = worker.RunOnce();
    ASSERT_TRUE(handled.ok());
    EXPECT_EQ(*handled, 0) << day << "/9";
  }
  clock_.Set(Local(2026, 9, 3, 7, 30));
  EXPECT_EQ(*worker.RunOnce(), 1);
  EXPECT_THAT(Digests(), ElementsAre(ElementsAre("a:reminder:7")));
}

TEST_F(DigestDeliveryTest, AlertsGoAtOnce) {
  v1::EventEnvelope envelope;
  envelope.set_event_id("evt-difficulty");
  v1::TaskUpdated& u = *envelope.mutable_task_updated();
  u.set_task_id("vinh-thuy:1199-KH-UBND#IV.3");
  u.set_version(1);
  u.set_report_id("rep-1");
  u.set_difficulty("Thiếu kinh phí");
  u.add_lead_agencies(kLead);
  ASSERT_TRUE(
      db_->Transaction([&] { return inbox_->AddNotices(envelope).status(); })
          .ok());
  ASSERT_EQ(Deliveries().size(), 1u);
  EXPECT_EQ(Run(), 1);
  EXPECT_EQ(hook_.delivered.at(0).notification.kind(),
            v1::NOTIFICATION_KIND_DIFFICULTY);
}

TEST_F(DigestDeliveryTest, InboxSubscriptionCannotDigest) {
  v1::Subscription s;
  s.set_agency(kLead);
  s.set_id("app");
  s.set_channel(v1::CHANNEL_INBOX);
  s.set_digest_at("07:30");
  absl::StatusOr<v1::Subscription> stored = subs_->Set(s);
  ASSERT_FALSE(stored.ok());
  EXPECT_THAT(stored.status().message(), HasSubstr("digest_at"));
}
}  // namespace
}  // namespace tiendo::notification
