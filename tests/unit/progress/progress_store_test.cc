// The progress store on an in-memory SQLite database: what a report
// records, what a retry or a refusal leaves behind, measurement batches
// acknowledged per item, and target warnings through the outbox.
#include "services/progress/progress_store.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/outbox.h"
#include "tests/support/fixtures.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::progress {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::tiendo::testing::AddStagedTarget;
using ::tiendo::testing::CountRows;
using ::tiendo::testing::Date;
using ::tiendo::testing::Local;
using ::tiendo::testing::QueuedEvent;
using ::tiendo::testing::StoreEnv;

constexpr char kTask[] = "vinh-thuy:1199-KH-UBND#V.1";
constexpr char kApril[] = "vinh-thuy:1199-KH-UBND#V.1@2026-04-30";
constexpr char kJune[] = "vinh-thuy:1199-KH-UBND#V.1@2026-06-30";
constexpr char kOngoing[] = "vinh-thuy:1199-KH-UBND#III.1";
constexpr char kLead[] = "vinhthuy.vhxh";
constexpr char kCoordinator[] = "vinhthuy.tct06";
constexpr char kStanding[] = "vinhthuy.congan";

// Two milestones; k1 staged 90% by 31/03 and 100% by 30/06.
v1::Task StagedTask() {
  v1::Task task;
  task.set_id(kTask);
  task.set_unit("vinh-thuy");
  task.set_title("Chi trả an sinh xã hội không dùng tiền mặt");
  task.add_lead_agencies(kLead);
  task.add_coordinating_agencies(kCoordinator);
  task.set_standing_agency(kStanding);
  *task.mutable_due_date() = Date(2026, 6, 30);
  task.set_version(1);
  for (const auto& [id, due] : {std::pair{kApril, Date(2026, 4, 30)},
                                std::pair{kJune, Date(2026, 6, 30)}}) {
    v1::Occurrence* o = task.add_occurrences();
    o->set_id(id);
    o->set_kind(v1::Occurrence::KIND_MILESTONE);
    *o->mutable_due() = due;
  }
  AddStagedTarget(task, "đối tượng bảo trợ xã hội");
  return task;
}

// "Thường xuyên": no date, no occurrences.
v1::Task OngoingTask() {
  v1::Task task;
  task.set_id(kOngoing);
  task.set_unit("vinh-thuy");
  task.add_lead_agencies(kStanding);
  task.set_standing_agency(kStanding);
  task.set_version(1);
  return task;
}

v1::Measurement Measure(int64_t numerator, int64_t denominator,
                        v1::LocalDate as_of) {
  v1::Measurement m;
  m.set_indicator("k1");
  m.set_numerator(numerator);
  m.set_denominator(denominator);
  *m.mutable_as_of() = as_of;
  return m;
}

class ProgressStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::Status opened = env_.Open("progress");
    ASSERT_TRUE(opened.ok()) << opened;
    store_ = std::make_unique<ProgressStore>(env_.db(), env_.outbox());
    ASSERT_TRUE(store_->Init().ok());
    ASSERT_TRUE(env_.db()
                    .Transaction([&]() -> absl::Status {
                      if (absl::Status s = store_->UpsertTask(StagedTask());
                          !s.ok()) {
                        return s;
                      }
                      return store_->UpsertTask(OngoingTask());
                    })
                    .ok());
  }

  int64_t Rows(const std::string& table) { return CountRows(env_.db(), table); }

  std::vector<v1::EventEnvelope> Events() {
    std::vector<v1::EventEnvelope> events;
    for (const QueuedEvent& e : env_.Events(1000)) {
      EXPECT_EQ(e.topic, kTaskUpdatedTopic);
      events.push_back(e.envelope);
    }
    return events;
  }

  std::vector<v1::TargetAtRisk> Warnings() {
    std::vector<v1::TargetAtRisk> warnings;
    for (const v1::EventEnvelope& e : Events()) {
      if (e.has_target_at_risk()) warnings.push_back(e.target_at_risk());
    }
    return warnings;
  }

  absl::StatusOr<v1::ReportProgressResponse> MeasureK1(
      int64_t numerator, v1::LocalDate as_of,
      const std::string& request_id = "") {
    v1::ReportProgressRequest request;
    request.set_task_id(kTask);
    request.set_agency(kCoordinator);
    request.set_request_id(request_id);
    *request.add_measurements() = Measure(numerator, 100, as_of);
    return store_->Report(request, env_.clock().Now());
  }

  StoreEnv env_{Local(2026, 3, 5, 10)};
  std::unique_ptr<ProgressStore> store_;
};

TEST_F(ProgressStoreTest, RetriedRequestIdGetsTheFirstAnswerAndRecordsNothing) {
  v1::ReportProgressRequest request;
  request.set_task_id(kTask);
  request.set_agency(kCoordinator);
  request.set_status(v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(40);
  request.set_request_id("r-1");
  absl::StatusOr<v1::ReportProgressResponse> first =
      store_->Report(request, env_.clock().Now());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->report().occurrence_id(), kApril);
  EXPECT_EQ(first->state().version(), 1u);

  // The retry differs (a client bug, or a replay): the first answer stands.
  request.set_percent(70);
  env_.clock().Advance(absl::Hours(1));
  absl::StatusOr<v1::ReportProgressResponse> retried =
      store_->Report(request, env_.clock().Now());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->report().report_id(), first->report().report_id());
  EXPECT_EQ(retried->report().percent(), 40);
  EXPECT_EQ(retried->state().version(), 1u);
  EXPECT_EQ(Rows("reports"), 1);
  EXPECT_EQ(Rows("answered_requests"), 1);
  EXPECT_EQ(Events().size(), 1u);
  absl::StatusOr<v1::TaskState> state =
      store_->GetTaskState(kTask, env_.clock().Now());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->version(), 1u);
  EXPECT_EQ(state->occurrences(0).percent(), 40);
}

TEST_F(ProgressStoreTest, RefusedReportsRecordNothing) {
  v1::ReportProgressRequest stranger;
  stranger.set_task_id(kTask);
  stranger.set_agency("vinhthuy.tramyte");
  stranger.set_status(v1::TASK_STATUS_IN_PROGRESS);
  stranger.set_request_id("s-1");
  absl::StatusOr<v1::ReportProgressResponse> refused =
      store_->Report(stranger, env_.clock().Now());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("vinhthuy.tramyte"));

  absl::StatusOr<v1::ReportProgressResponse> above =
      MeasureK1(120, Date(2026, 3, 1), "m-1");
  EXPECT_EQ(above.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(above.status().message(),
            "measurements[0].numerator: 120 is above the denominator 100");
  absl::StatusOr<v1::ReportProgressResponse> future =
      MeasureK1(10, Date(2026, 3, 6), "m-2");
  EXPECT_EQ(future.status().message(),
            "measurements[0].as_of: 2026-03-06 is after today (2026-03-05)");

  v1::ReportProgressRequest unknown = stranger;
  unknown.set_task_id("vinh-thuy:1199-KH-UBND#IX.9");
  unknown.set_agency(kLead);
  EXPECT_EQ(store_->Report(unknown, env_.clock().Now()).status().code(),
            absl::StatusCode::kNotFound);

  EXPECT_EQ(Rows("reports"), 0);
  EXPECT_EQ(Rows("measurements"), 0);
  EXPECT_EQ(Rows("answered_requests"), 0);
  EXPECT_TRUE(Events().empty());
  // A refused request id is not remembered: corrected, it is accepted.
  ASSERT_TRUE(MeasureK1(12, Date(2026, 3, 1), "m-1").ok());
  EXPECT_EQ(Rows("measurements"), 1);
}

TEST_F(ProgressStoreTest, ReportEventNamesOccurrenceAndState) {
  v1::ReportProgressRequest request;
  request.set_task_id(kTask);
  request.set_agency(kLead);
  request.set_status(v1::TASK_STATUS_DONE);
  request.set_occurrence_id(kApril);
  *request.add_measurements() = Measure(45, 100, Date(2026, 3, 4));
  v1::Evidence* evidence = request.add_evidence();
  evidence->set_document_number("85/BC-UBND");
  *evidence->mutable_document_date() = Date(2026, 3, 4);
  ASSERT_TRUE(store_->Report(request, env_.clock().Now()).ok());

  const std::vector<v1::EventEnvelope> events = Events();
  ASSERT_EQ(events.size(), 1u);
  const v1::TaskUpdated& u = events[0].task_updated();
  EXPECT_EQ(u.task_id(), kTask);
  EXPECT_EQ(u.version(), 1u);
  EXPECT_EQ(u.occurrence_id(), kApril);
  EXPECT_EQ(u.occurrence_status(), v1::OCCURRENCE_STATUS_DONE);
  EXPECT_EQ(u.status(), v1::TASK_STATUS_IN_PROGRESS);  // June is still open
  EXPECT_EQ(u.percent(), 50);
  EXPECT_EQ(u.measurement().numerator(), 45);
  EXPECT_EQ(u.measurement().unit(), "vinh-thuy");
  EXPECT_EQ(u.standing_agency(), kStanding);
  EXPECT_THAT(u.lead_agencies(), ElementsAre(kLead));
  EXPECT_THAT(u.coordinating_agencies(), ElementsAre(kCoordinator));
  EXPECT_EQ(u.reporting_agency(), kLead);

  absl::StatusOr<std::vector<v1::ProgressReport>> reports =
      store_->ListReports(kTask);
  ASSERT_TRUE(reports.ok());
  ASSERT_EQ(reports->size(), 1u);
  EXPECT_EQ((*reports)[0].evidence(0).document_number(), "85/BC-UBND");
  EXPECT_EQ((*reports)[0].measurements(0).indicator(), "k1");
  EXPECT_EQ((*reports)[0].occurrence_id(), kApril);
  EXPECT_EQ((*reports)[0].status(), v1::TASK_STATUS_DONE);
}

TEST_F(ProgressStoreTest, StatesShowComputedStatusesAndLatestMeasurements) {
  v1::ReportProgressRequest request;
  request.set_task_id(kTask);
  request.set_agency(kLead);
  request.set_status(v1::TASK_STATUS_IN_PROGRESS);
  request.set_percent(30);
  *request.add_measurements() = Measure(30, 100, Date(2026, 3, 1));
  ASSERT_TRUE(store_->Report(request, env_.clock().Now()).ok());

  absl::StatusOr<v1::TaskState> now =
      store_->GetTaskState(kTask, env_.clock().Now());
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_EQ(now->occurrences_size(), 2);
  EXPECT_EQ(now->occurrences(0).status(), v1::OCCURRENCE_STATUS_IN_PROGRESS);
  ASSERT_EQ(now->latest_measurements_size(), 1);
  EXPECT_EQ(now->latest_measurements(0).numerator(), 30);

  // Two days after 30 April, with nothing reported: overdue.
  env_.clock().Set(Local(2026, 5, 2, 10));
  absl::StatusOr<std::vector<v1::TaskState>> states =
      store_->ListTaskStates("vinh-thuy", env_.clock().Now());
  ASSERT_TRUE(states.ok()) << states.status();
  ASSERT_EQ(states->size(), 2u);
  const v1::TaskState& staged = (*states)[1];
  ASSERT_EQ(staged.task_id(), kTask);
  EXPECT_EQ(staged.occurrences(0).status(), v1::OCCURRENCE_STATUS_OVERDUE);
  EXPECT_EQ(staged.occurrences(1).status(), v1::OCCURRENCE_STATUS_NOT_STARTED);
  // The task-level summary stays what was reported, for roll-ups.
  EXPECT_EQ(staged.status(), v1::TASK_STATUS_IN_PROGRESS);
  EXPECT_EQ(staged.percent(), 15);
  EXPECT_EQ(staged.version(), 1u);
  const v1::TaskState& ongoing = (*states)[0];
  EXPECT_EQ(ongoing.task_id(), kOngoing);
  EXPECT_EQ(ongoing.occurrences_size(), 0);
  EXPECT_EQ(ongoing.status(), v1::TASK_STATUS_NOT_STARTED);
}

// What a consumer rebuilds from must equal what the events told it: the
// event carries the occurrence's stored state and every measurement; the
// snapshot lists the same stored state (as reported) and every measurement
// with its report's time.
TEST_F(ProgressStoreTest, EventsAndSnapshotsCarryTheSameState) {
  v1::ReportProgressRequest request;
  request.set_task_id(kTask);
  request.set_agency(kLead);
  request.set_occurrence_id(kApril);
  request.set_status(v1::TASK_STATUS_BLOCKED);
  request.set_percent(20);
  request.set_difficulty("Thiếu danh sách đối tượng");
  *request.add_measurements() = Measure(40, 100, Date(2026, 2, 28));
  *request.add_measurements() = Measure(45, 100, Date(2026, 3, 4));
  ASSERT_TRUE(store_->Report(request, env_.clock().Now()).ok());

  // The report's event (a target warning may follow it).
  const std::vector<v1::EventEnvelope> events = Events();
  ASSERT_GE(events.size(), 1u);
  ASSERT_TRUE(events[0].has_task_updated());
  const v1::TaskUpdated& u = events[0].task_updated();
  ASSERT_EQ(u.measurements_size(), 2);
  EXPECT_EQ(u.measurements(0).numerator(), 40);
  EXPECT_EQ(u.measurements(1).numerator(), 45);
  EXPECT_EQ(u.measurement().numerator(), 45);
  const v1::OccurrenceState& o = u.occurrence_state();
  EXPECT_EQ(o.occurrence().id(), kApril);
  EXPECT_EQ(o.status(), v1::OCCURRENCE_STATUS_BLOCKED);
  EXPECT_EQ(o.percent(), 20);
  EXPECT_EQ(o.open_difficulty(), "Thiếu danh sách đối tượng");
  EXPECT_EQ(o.difficulty_raised_by(), kLead);
  EXPECT_EQ(o.difficulty_raised_on().day(), 5);

  // Past both due dates: the state as shown makes June overdue; as
  // reported it is what was stored, and April stays blocked either way.
  env_.clock().Set(Local(2026, 7, 5, 9));
  absl::StatusOr<std::vector<v1::TaskState>> reported =
      store_->ListTaskStates("vinh-thuy", env_.clock().Now(),
                             /*as_reported=*/true);
  ASSERT_TRUE(reported.ok()) << reported.status();
  const v1::TaskState& staged = (*reported)[1];
  ASSERT_EQ(staged.task_id(), kTask);
  EXPECT_EQ(staged.occurrences(0).SerializeAsString(), o.SerializeAsString());
  EXPECT_EQ(staged.occurrences(1).status(), v1::OCCURRENCE_STATUS_NOT_STARTED);
  absl::StatusOr<std::vector<v1::TaskState>> shown =
      store_->ListTaskStates("vinh-thuy", env_.clock().Now());
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ((*shown)[1].occurrences(1).status(), v1::OCCURRENCE_STATUS_OVERDUE);

  absl::StatusOr<std::vector<v1::RecordedMeasurement>> measured =
      store_->ListMeasurements("vinh-thuy");
  ASSERT_TRUE(measured.ok()) << measured.status();
  ASSERT_EQ(measured->size(), 2u);
  EXPECT_EQ((*measured)[0].task_id(), kTask);
  EXPECT_EQ((*measured)[0].measurement().indicator(), "k1");
  EXPECT_EQ((*measured)[0].measurement().unit(), "vinh-thuy");
  EXPECT_EQ((*measured)[0].measurement().as_of().day(), 28);
  EXPECT_EQ((*measured)[1].measurement().numerator(), 45);
  EXPECT_EQ((*measured)[1].report_id(), u.report_id());
  EXPECT_EQ((*measured)[1].recorded_at().seconds(),
            absl::ToUnixSeconds(Local(2026, 3, 5, 10)));
  absl::StatusOr<std::vector<v1::RecordedMeasurement>> elsewhere =
      store_->ListMeasurements("quang-tri");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(elsewhere->empty());

  // Resolving clears who raised it.
  v1::ReportProgressRequest resolve;
  resolve.set_task_id(kTask);
  resolve.set_agency(kLead);
  resolve.set_occurrence_id(kApril);
  resolve.set_resolve_difficulty(true);
  resolve.set_status(v1::TASK_STATUS_IN_PROGRESS);
  ASSERT_TRUE(store_->Report(resolve, env_.clock().Now()).ok());
  v1::OccurrenceState after;
  for (const v1::EventEnvelope& e : Events()) {
    if (e.has_task_updated()) after = e.task_updated().occurrence_state();
  }
  EXPECT_TRUE(after.open_difficulty().empty());
  EXPECT_TRUE(after.difficulty_raised_by().empty());
  EXPECT_FALSE(after.has_difficulty_raised_on());
}

// A task without occurrences keeps its open difficulty in its state, with
// who raised it and when, until a report resolves it.
TEST_F(ProgressStoreTest, OngoingTaskKeepsItsDifficulty) {
  v1::ReportProgressRequest blocked;
  blocked.set_task_id(kOngoing);
  blocked.set_agency(kStanding);
  blocked.set_status(v1::TASK_STATUS_BLOCKED);
  blocked.set_difficulty("Máy cấp căn cước hỏng");
  ASSERT_TRUE(store_->Report(blocked, env_.clock().Now()).ok());
  absl::StatusOr<v1::TaskState> state =
      store_->GetTaskState(kOngoing, env_.clock().Now());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->open_difficulty(), "Máy cấp căn cước hỏng");
  EXPECT_EQ(state->difficulty_raised_by(), kStanding);
  EXPECT_EQ(state->difficulty_raised_on().day(), 5);  // 5/3/2026

  v1::ReportProgressRequest resolve;
  resolve.set_task_id(kOngoing);
  resolve.set_agency(kStanding);
  resolve.set_status(v1::TASK_STATUS_IN_PROGRESS);
  ASSERT_TRUE(store_->Report(resolve, env_.clock().Now()).ok());
  state = store_->GetTaskState(kOngoing, env_.clock().Now());
  ASSERT_TRUE(state.ok());
  EXPECT_TRUE(state->open_difficulty().empty());
  EXPECT_TRUE(state->difficulty_raised_by().empty());
  EXPECT_FALSE(state->has_difficulty_raised_on());
}

TEST_F(ProgressStoreTest, MeasurementBatchAcknowledgesEachItem) {
  v1::ReportMeasurementsRequest batch;
  auto add = [&](const std::string& task, const std::string& agency,
                 v1::Measurement m, const std::string& id) {
    v1::MeasurementItem* item = batch.add_items();
    item->set_task_id(task);
    item->set_agency(agency);
    *item->mutable_measurement() = std::move(m);
    item->set_request_id(id);
  };
  add(kTask, kCoordinator, Measure(10, 100, Date(2026, 3, 1)), "n-0");
  add(kTask, kCoordinator, Measure(120, 100, Date(2026, 3, 2)), "n-1");
  v1::Measurement unknown = Measure(5, 100, Date(2026, 3, 2));
  unknown.set_indicator("k9");
  add(kTask, kCoordinator, unknown, "n-2");
  add(kTask, "vinhthuy.tramyte", Measure(5, 100, Date(2026, 3, 2)), "n-3");
  add(kTask, kLead, Measure(20, 100, Date(2026, 3, 3)), "n-4");
  add(kTask, kCoordinator, Measure(7, 0, Date(2026, 3, 3)), "n-5");
  add("vinh-thuy:1199-KH-UBND#IX.9", kLead, Measure(1, 2, Date(2026, 3, 3)),
      "n-6");
  // The first item again, in the same batch: acknowledged, recorded once.
  add(kTask, kCoordinator, Measure(10, 100, Date(2026, 3, 1)), "n-0");

  absl::StatusOr<v1::ReportMeasurementsResponse> response =
      store_->ReportMeasurements(batch, env_.clock().Now());
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->acks_size(), 8);
  EXPECT_EQ(response->accepted(), 3);
  EXPECT_EQ(response->refused(), 5);
  std::vector<bool> accepted;
  for (int i = 0; i < response->acks_size(); ++i) {
    EXPECT_EQ(response->acks(i).index(), i);
    accepted.push_back(response->acks(i).accepted());
  }
  EXPECT_THAT(accepted,
              ElementsAre(true, false, false, false, true, false, false, true));
  EXPECT_EQ(response->acks(1).error(),
            "items[1].measurement.numerator: 120 is above the denominator 100");
  EXPECT_EQ(response->acks(1).code(),
            static_cast<int>(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(response->acks(2).error(),
              HasSubstr("items[2].measurement.indicator: 'k9'"));
  EXPECT_THAT(response->acks(3).error(),
              HasSubstr("items[3].agency: agency 'vinhthuy.tramyte' is not "
                        "assigned"));
  EXPECT_EQ(response->acks(3).code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(response->acks(5).error(),
            "items[5].measurement.denominator: must be above 0, not 0");
  EXPECT_EQ(response->acks(6).code(),
            static_cast<int>(absl::StatusCode::kNotFound));
  EXPECT_EQ(response->acks(7).request_id(), "n-0");
  EXPECT_TRUE(response->acks(0).error().empty());

  // One report, one event and one version per accepted item.
  EXPECT_EQ(Rows("reports"), 2);
  EXPECT_EQ(Rows("measurements"), 2);
  const std::vector<v1::EventEnvelope> events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].task_updated().version(), 1u);
  EXPECT_EQ(events[0].task_updated().measurement().numerator(), 10);
  EXPECT_EQ(events[1].task_updated().version(), 2u);
  EXPECT_EQ(events[1].task_updated().measurement().numerator(), 20);
  absl::StatusOr<v1::TaskState> state =
      store_->GetTaskState(kTask, env_.clock().Now());
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->version(), 2u);
  EXPECT_EQ(state->latest_measurements(0).numerator(), 20);

  // The whole feed sent again changes nothing.
  absl::StatusOr<v1::ReportMeasurementsResponse> again =
      store_->ReportMeasurements(batch, env_.clock().Now());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->accepted(), 3);
  EXPECT_EQ(Rows("reports"), 2);
  EXPECT_EQ(Events().size(), 2u);
}

TEST_F(ProgressStoreTest, FallingBehindWarnsOnceAndAgainAfterRecovery) {
  // One point: no trend yet.
  ASSERT_TRUE(MeasureK1(50, Date(2026, 1, 1)).ok());
  EXPECT_TRUE(Warnings().empty());

  // 55% a month later: the trend reaches 64.8% by 31/03 and 80% by 30/06.
  ASSERT_TRUE(MeasureK1(55, Date(2026, 1, 31)).ok());
  std::vector<v1::TargetAtRisk> warnings = Warnings();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].due().month(), 3);
  EXPECT_NEAR(warnings[0].projected_percent(), 50 + 89.0 / 6.0, 1e-9);
  EXPECT_EQ(warnings[1].due().month(), 6);
  EXPECT_NEAR(warnings[1].projected_percent(), 80, 1e-9);
  EXPECT_NEAR(warnings[1].gap(), 20, 1e-9);
  EXPECT_DOUBLE_EQ(warnings[1].current_percent(), 55);
  EXPECT_EQ(warnings[1].warning_key(),
            "vinh-thuy:1199-KH-UBND#V.1|k1|2026-06-30|2026-01-31");
  EXPECT_THAT(warnings[1].recipients(), ElementsAre(kLead, kStanding));
  absl::StatusOr<std::vector<std::string>> flagged =
      store_->StagesAtRisk(kTask, "k1");
  ASSERT_TRUE(flagged.ok());
  EXPECT_THAT(*flagged, ElementsAre("2026-03-31", "2026-06-30"));

  // Still behind: no second warning.
  ASSERT_TRUE(MeasureK1(60, Date(2026, 3, 2)).ok());
  EXPECT_EQ(Warnings().size(), 2u);

  // A jump to 95% puts both stages back on track: the flags clear.
  ASSERT_TRUE(MeasureK1(95, Date(2026, 3, 4)).ok());
  EXPECT_EQ(Warnings().size(), 2u);
  flagged = store_->StagesAtRisk(kTask, "k1");
  ASSERT_TRUE(flagged.ok());
  EXPECT_TRUE(flagged->empty());

  // A fall to 40% the next day warns again, under a new key.
  ASSERT_TRUE(MeasureK1(40, Date(2026, 3, 5)).ok());
  warnings = Warnings();
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_EQ(warnings[2].warning_key(),
            "vinh-thuy:1199-KH-UBND#V.1|k1|2026-03-31|2026-03-05");
  EXPECT_NEAR(warnings[2].projected_percent(), 71.39504563233376, 1e-9);
  EXPECT_DOUBLE_EQ(warnings[2].current_percent(), 40);
  // Every accepted measurement was a TaskUpdated too, with its version.
  int updates = 0;
  for (const v1::EventEnvelope& e : Events()) {
    if (e.has_task_updated()) {
      EXPECT_EQ(e.task_updated().version(), static_cast<uint64_t>(++updates));
    }
  }
  EXPECT_EQ(updates, 5);
}

TEST_F(ProgressStoreTest, TaskWithOneMilestoneIsDoneWhenItIs) {
  v1::Task task = OngoingTask();
  task.set_id("vinh-thuy:1199-KH-UBND#I.1");
  *task.mutable_due_date() = Date(2026, 5, 31);
  v1::Occurrence* o = task.add_occurrences();
  o->set_id("vinh-thuy:1199-KH-UBND#I.1@2026-05-31");
  o->set_kind(v1::Occurrence::KIND_MILESTONE);
  *o->mutable_due() = Date(2026, 5, 31);
  ASSERT_TRUE(
      env_.db().Transaction([&] { return store_->UpsertTask(task); }).ok());

  v1::ReportProgressRequest request;
  request.set_task_id(task.id());
  request.set_agency(kStanding);
  request.set_status(v1::TASK_STATUS_DONE);
  request.set_percent(100);
  absl::StatusOr<v1::ReportProgressResponse> done =
      store_->Report(request, env_.clock().Now());
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->state().status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(done->state().completed_on().month(), 3);
  EXPECT_FALSE(done->state().completed_late());
  EXPECT_EQ(done->state().occurrences(0).status(), v1::OCCURRENCE_STATUS_DONE);
  const std::vector<v1::EventEnvelope> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].task_updated().status(), v1::TASK_STATUS_DONE);
  EXPECT_EQ(events[0].task_updated().occurrence_id(),
            "vinh-thuy:1199-KH-UBND#I.1@2026-05-31");
}

}  // namespace
}  // namespace tiendo::progress

namespace tiendo::progress {
namespace {

// Keyset paging: a report recorded between two pages is on a later page,
// and no report is skipped or listed twice.
TEST_F(ProgressStoreTest, ReportsPageByKeyWithAnInsertBetweenPages) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(MeasureK1(10 + i, Date(2026, 3, 1)).ok());
  }
  PageRequest page;
  page.size = 2;
  std::vector<std::string> seen;
  std::vector<std::string> seen_measurements;
  std::string token;
  int pages = 0;
  do {
    page.after = token.empty() ? "" : ReadPageRequest(2, token)->after;
    std::string next;
    absl::StatusOr<std::vector<v1::ProgressReport>> reports =
        store_->ListReports(kTask, page, &next);
    ASSERT_TRUE(reports.ok()) << reports.status();
    EXPECT_LE(reports->size(), 2u);
    for (const v1::ProgressReport& r : *reports) seen.push_back(r.report_id());
    if (++pages == 2) {
      ASSERT_TRUE(MeasureK1(99, Date(2026, 3, 2)).ok());
    }
    token = next;
  } while (!token.empty());
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 6u);
  EXPECT_EQ(pages, 3);

  page.after.clear();
  std::string next;
  do {
    next.clear();
    absl::StatusOr<std::vector<v1::RecordedMeasurement>> measurements =
        store_->ListMeasurements("vinh-thuy", page, &next);
    ASSERT_TRUE(measurements.ok()) << measurements.status();
    for (const v1::RecordedMeasurement& m : *measurements) {
      seen_measurements.push_back(m.report_id());
    }
    if (!next.empty()) page.after = ReadPageRequest(2, next)->after;
  } while (!next.empty());
  EXPECT_EQ(seen_measurements, seen);
}

TEST_F(ProgressStoreTest, TaskStatesPageByTaskId) {
  PageRequest page;
  page.size = 1;
  std::string next;
  absl::StatusOr<std::vector<v1::TaskState>> first = store_->ListTaskStates(
      "vinh-thuy", env_.clock().Now(), false, page, &next);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ((*first)[0].task_id(), kOngoing);  // "#III.1" < "#V.1"
  ASSERT_FALSE(next.empty());
  page.after = ReadPageRequest(1, next)->after;
  next.clear();
  absl::StatusOr<std::vector<v1::TaskState>> second = store_->ListTaskStates(
      "vinh-thuy", env_.clock().Now(), false, page, &next);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].task_id(), kTask);
  EXPECT_EQ(next, "");
}

TEST_F(ProgressStoreTest, ReportsRefuseATokenOfAnotherShape) {
  PageRequest page;
  page.after = "not-a-sequence";
  absl::StatusOr<std::vector<v1::ProgressReport>> reports =
      store_->ListReports(kTask, page);
  EXPECT_EQ(reports.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reports.status().message(), HasSubstr("page_token:"));
}

}  // namespace
}  // namespace tiendo::progress
