// One province's plan year, as the aggregator receives it: the task
// definitions, every progress report turned into the TaskUpdated the
// progress service sends, and the owners' snapshots at the end. The roll-up,
// store and monthly report tests compute their expectations by hand from
// the facts written here.
//
// Units: quang-tri (province, shipped) with the communes vinh-thuy
// (shipped), xa-a and xa-b (learnt).
//
// Tasks (occurrence due dates in brackets):
//   quang-tri:KH-2026#II.1  P1  work, leads quangtri.congan and
//                               quangtri.vpubnd, [2026-06-30]; target k1
//                               90% by 31/03, 100% by 30/06
//   quang-tri:KH-2026#III.1 P3  ongoing, lead quangtri.congan; from v2
//                               (08/07) target k2 50% by 31/12
//   quang-tri:KH-2026#BC.1  P2  monthly report, lead quangtri.vpubnd,
//                               [2026-05 by 11/06, 2026-06 by 11/07]
//   <c>:KH-2026#I.1         C1  work implementing P1 with its target,
//                               [2026-04-30, 2026-06-30]
//   <c>:KH-2026#BC.1        C2  monthly report, as P2
//   vinh-thuy:KH-2026#III.1 VT3 ongoing, lead vinhthuy.vhxh
//   xa-b:KH-2026#III.2      B3  work without occurrences, due 01/07, lead
//                               xab.vpubnd; nobody reports on it
// Leads of C1 and C2: vinhthuy.congan, xaa.congan, xab.congan.
//
// Reports (local time), each one version more of its task:
//   20/04 10:00 xa-b I.1    30%, difficulty kDifficulty (2026-04-30)
//   28/04 09:00 vinh-thuy I.1 done (2026-04-30)
//   03/05 10:00 xa-a I.1    done (2026-04-30), late
//   15/05 09:00 vinh-thuy III.1 in progress 50%
//   01/06 09:00 vinh-thuy I.1 40% (2026-06-30); k1 800/1000 as of 31/05
//   01/06 10:00 xa-a I.1    30% (2026-06-30); k1 700/1000 as of 31/05
//   10/06 10:00 vinh-thuy BC.1 2026-05 in
//   11/06 15:00 quang-tri BC.1 2026-05 in
//   11/06 16:00 xa-b BC.1   2026-05 in
//   14/06 10:00 xa-a BC.1   2026-05 in, late
//   25/06 10:00 quang-tri II.1 70% (2026-06-30)
//   29/06 10:00 vinh-thuy I.1 done (2026-06-30)
//   30/06 20:00 xa-a I.1    60% (2026-06-30); k1 880/1000 as of 30/06
//   01/07 08:00 vinh-thuy I.1 k1 950/1000 as of 30/06
//   01/07 09:00 quang-tri II.1 k1 9999/10000 as of 30/06 for quang-tri
//   05/07 09:00 xa-a I.1    k1 910/1000 as of 30/06 (corrects 880)
//   08/07 09:00 (definition) quang-tri III.1 v2 with target k2
//   10/07 09:00 xa-b I.1    k1 430/500 as of 10/07
//   10/07 10:00 vinh-thuy BC.1 2026-06 in
//   10/07 11:00 quang-tri III.1 k2 30/60 as of 10/07
//   13/07 10:00 xa-b BC.1   2026-06 in, late
// kNow is 15/07 12:00.
#ifndef TIENDO_TESTS_UNIT_AGGREGATION_AGGREGATION_SCENARIO_H_
#define TIENDO_TESTS_UNIT_AGGREGATION_AGGREGATION_SCENARIO_H_

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "services/aggregation/aggregation_store.h"
#include "services/aggregation/execution_history.h"
#include "services/aggregation/unit_tree.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "tests/support/fixtures.h"
#include "tests/support/table_parts.h"
#include "tiendo/v1/common.pb.h"
#include "tiendo/v1/events.pb.h"
#include "tiendo/v1/progress.pb.h"

namespace tiendo::aggregation::scenario {

using ::tiendo::testing::Date;
using ::tiendo::testing::Local;

inline constexpr char kProvince[] = "quang-tri";
inline constexpr char kVinhThuy[] = "vinh-thuy";
inline constexpr char kXaA[] = "xa-a";
inline constexpr char kXaB[] = "xa-b";

inline constexpr char kP1[] = "quang-tri:KH-2026#II.1";
inline constexpr char kP2[] = "quang-tri:KH-2026#BC.1";
inline constexpr char kP3[] = "quang-tri:KH-2026#III.1";
inline constexpr char kVT1[] = "vinh-thuy:KH-2026#I.1";
inline constexpr char kVT2[] = "vinh-thuy:KH-2026#BC.1";
inline constexpr char kVT3[] = "vinh-thuy:KH-2026#III.1";
inline constexpr char kA1[] = "xa-a:KH-2026#I.1";
inline constexpr char kA2[] = "xa-a:KH-2026#BC.1";
inline constexpr char kB1[] = "xa-b:KH-2026#I.1";
inline constexpr char kB2[] = "xa-b:KH-2026#BC.1";
inline constexpr char kB3[] = "xa-b:KH-2026#III.2";

inline constexpr char kK1Text[] =
    "công dân từ đủ 14 tuổi có tài khoản định danh điện tử";
inline constexpr char kK2Text[] = "hộ gia đình dùng dịch vụ công trực tuyến";
// With what HTML and CSV must escape or quote.
inline constexpr char kDifficulty[] =
    "Thiếu máy đọc thẻ <CCCD> & chíp, chờ \"Bộ Công an\" cấp";
// With a comma, for CSV.
inline constexpr char kB1Title[] = "Cấp, kích hoạt tài khoản định danh";

inline absl::Time Defined() { return Local(2026, 1, 15, 9); }
inline absl::Time Now() { return Local(2026, 7, 15, 12); }

inline std::string Occ(const std::string& task, const std::string& key) {
  return absl::StrCat(task, "@", key);
}

inline v1::Occurrence Milestone(const std::string& task, v1::LocalDate due) {
  v1::Occurrence o;
  const std::string key =
      absl::StrFormat("%04d-%02d-%02d", due.year(), due.month(), due.day());
  o.set_id(Occ(task, key));
  o.set_key(key);
  o.set_kind(v1::Occurrence::KIND_MILESTONE);
  *o.mutable_due() = due;
  o.set_label(
      absl::StrFormat("%02d/%02d/%04d", due.day(), due.month(), due.year()));
  return o;
}

inline v1::Occurrence MonthPeriod(const std::string& task, int month,
                                  v1::LocalDate due) {
  v1::Occurrence o;
  const std::string key = absl::StrFormat("2026-%02d", month);
  o.set_id(Occ(task, key));
  o.set_key(key);
  o.set_kind(v1::Occurrence::KIND_PERIOD);
  *o.mutable_due() = due;
  *o.mutable_period_start() = Date(2026, month, 1);
  *o.mutable_period_end() =
      ToProto(absl::CivilDay(absl::CivilMonth(2026, month) + 1) - 1);
  o.set_label(absl::StrCat("tháng ", month, "/2026"));
  return o;
}

inline v1::Task BaseTask(const std::string& id, const std::string& unit,
                         const std::string& section,
                         const std::string& section_title,
                         const std::string& number, const std::string& title,
                         std::vector<std::string> leads) {
  v1::Task t;
  t.set_id(id);
  t.set_plan_id(absl::StrCat(unit, ":KH-2026"));
  t.set_unit(unit);
  t.set_section(section);
  t.set_section_title(section_title);
  t.set_number(number);
  t.set_title(title);
  for (const std::string& lead : leads) t.add_lead_agencies(lead);
  t.set_kind(v1::TASK_KIND_WORK);
  t.set_version(1);
  return t;
}

inline v1::Task ReportTask(const std::string& id, const std::string& unit,
                           const std::string& lead) {
  v1::Task t = BaseTask(id, unit, "BC", "Chế độ báo cáo", "1",
                        "Báo cáo định kỳ trước ngày 12 hằng tháng", {lead});
  t.set_kind(v1::TASK_KIND_REPORT);
  *t.mutable_due_date() = Date(2026, 7, 11);
  *t.add_occurrences() = MonthPeriod(id, 5, Date(2026, 6, 11));
  *t.add_occurrences() = MonthPeriod(id, 6, Date(2026, 7, 11));
  return t;
}

inline v1::Task CommuneWork(const std::string& id, const std::string& unit,
                            const std::string& lead, const std::string& title) {
  v1::Task t =
      BaseTask(id, unit, "I", "Nhiệm vụ trọng tâm", "1", title, {lead});
  *t.mutable_due_date() = Date(2026, 6, 30);
  *t.add_occurrences() = Milestone(id, Date(2026, 4, 30));
  *t.add_occurrences() = Milestone(id, Date(2026, 6, 30));
  // A cascaded plan copies the provincial target, code and wording.
  ::tiendo::testing::AddStagedTarget(t, kK1Text);
  t.add_implements(kP1);
  t.set_implements_confirmed(true);
  return t;
}

inline v1::Task P1() {
  v1::Task t = BaseTask(kP1, kProvince, "II", "Nhiệm vụ cụ thể", "1",
                        "Cấp tài khoản định danh điện tử cho công dân",
                        {"quangtri.congan", "quangtri.vpubnd"});
  *t.mutable_due_date() = Date(2026, 6, 30);
  *t.add_occurrences() = Milestone(kP1, Date(2026, 6, 30));
  ::tiendo::testing::AddStagedTarget(t, kK1Text);
  return t;
}

inline v1::Task P3(int version) {
  v1::Task t =
      BaseTask(kP3, kProvince, "III", "Nhiệm vụ thường xuyên", "1",
               "Tuyên truyền dịch vụ công trực tuyến", {"quangtri.congan"});
  t.set_timeframe("Thường xuyên");
  t.set_version(version);
  if (version >= 2) {
    v1::Target* k2 = t.add_targets();
    k2->set_indicator(kK2Text);
    k2->set_indicator_code("k2");
    k2->set_percent(50);
    k2->set_direction(v1::TARGET_DIRECTION_AT_LEAST);
    *k2->mutable_due() = Date(2026, 12, 31);
  }
  return t;
}

// Every task as first defined, in id order.
inline std::vector<v1::Task> Tasks() {
  std::vector<v1::Task> tasks;
  tasks.push_back(ReportTask(kP2, kProvince, "quangtri.vpubnd"));
  tasks.push_back(P1());
  tasks.push_back(P3(1));
  tasks.push_back(ReportTask(kVT2, kVinhThuy, "vinhthuy.congan"));
  tasks.push_back(CommuneWork(kVT1, kVinhThuy, "vinhthuy.congan",
                              "Cấp tài khoản định danh điện tử"));
  v1::Task vt3 = BaseTask(kVT3, kVinhThuy, "III", "Nhiệm vụ thường xuyên", "1",
                          "Duy trì tổ công tác Đề án 06", {"vinhthuy.vhxh"});
  vt3.set_timeframe("Thường xuyên");
  tasks.push_back(vt3);
  tasks.push_back(ReportTask(kA2, kXaA, "xaa.congan"));
  tasks.push_back(
      CommuneWork(kA1, kXaA, "xaa.congan", "Cấp tài khoản định danh điện tử"));
  tasks.push_back(ReportTask(kB2, kXaB, "xab.congan"));
  tasks.push_back(CommuneWork(kB1, kXaB, "xab.congan", kB1Title));
  v1::Task b3 = BaseTask(kB3, kXaB, "III", "Nhiệm vụ thường xuyên", "2",
                         "Rà soát dữ liệu hộ tịch", {"xab.vpubnd"});
  *b3.mutable_due_date() = Date(2026, 7, 1);
  tasks.push_back(b3);
  return tasks;
}

inline v1::UnitRef Ref(const std::string& code, const std::string& name,
                       const std::string& level, const std::string& parent) {
  v1::UnitRef u;
  u.set_code(code);
  u.set_name(name);
  u.set_level(
      EnumFromWord<v1::UnitLevel>(level).value_or(v1::UNIT_LEVEL_UNSPECIFIED));
  u.set_parent(parent);
  return u;
}

// The unit first, as PlanChanged carries it.
inline std::vector<v1::UnitRef> PathOf(const std::string& unit) {
  const v1::UnitRef vn = Ref("vn", "Việt Nam", "country", "");
  const v1::UnitRef province = Ref(kProvince, "Quảng Trị", "province", "vn");
  if (unit == kProvince) return {province, vn};
  const std::string name = unit == kVinhThuy ? "Vĩnh Thủy"
                           : unit == kXaA    ? "Xã A"
                                             : "Xã B";
  return {Ref(unit, name, "commune", kProvince), province, vn};
}

// The shipped units with xa-a and xa-b learnt.
inline UnitTree Units() {
  UnitTree tree = UnitTree::Default();
  tree.Learn(kXaA, "Xã A", "commune", kProvince);
  tree.Learn(kXaB, "Xã B", "commune", kProvince);
  return tree;
}

// What one report does to one occurrence (or to a task without any).
struct Report {
  std::string task_id{};
  // Empty for a task without occurrences.
  std::string key{};
  enum What { kProgress, kDone, kBlocked, kMeasureOnly } what = kProgress;
  int percent = 0;
  // For a task without occurrences.
  v1::TaskStatus task_status = v1::TASK_STATUS_UNSPECIFIED;
  std::string difficulty{};
  std::string agency{};
  std::vector<v1::Measurement> measurements{};
  absl::Time at{};
};

inline v1::Measurement K(const std::string& code, int64_t numerator,
                         int64_t denominator, v1::LocalDate as_of,
                         const std::string& unit = "") {
  v1::Measurement m;
  m.set_indicator(code);
  m.set_numerator(numerator);
  m.set_denominator(denominator);
  *m.mutable_as_of() = as_of;
  m.set_unit(unit);
  return m;
}

// The progress service in miniature: each task's state as reported, and
// the TaskUpdated each accepted report sends. Its rules are the progress
// service's (a task is done when every occurrence is, blocked while one
// has an open difficulty, in progress once one started; its percent the
// mean of its occurrences', done counting 100).
class Progress {
 public:
  explicit Progress(const std::vector<v1::Task>& tasks) {
    for (const v1::Task& t : tasks) {
      tasks_[t.id()] = t;
      v1::TaskState& s = states_[t.id()];
      s.set_task_id(t.id());
      s.set_unit(t.unit());
      s.set_status(v1::TASK_STATUS_NOT_STARTED);
      if (IsSet(t.due_date())) *s.mutable_due_date() = t.due_date();
      *s.mutable_lead_agencies() = t.lead_agencies();
      for (const v1::Occurrence& o : t.occurrences()) {
        v1::OccurrenceState* os = s.add_occurrences();
        *os->mutable_occurrence() = o;
        os->set_status(v1::OCCURRENCE_STATUS_NOT_STARTED);
      }
    }
  }

  v1::TaskUpdated Apply(const Report& r) {
    const v1::Task& task = tasks_.at(r.task_id);
    v1::TaskState& s = states_.at(r.task_id);
    const absl::CivilDay today = LocalDay(r.at);
    v1::TaskUpdated u;
    u.set_task_id(r.task_id);
    u.set_unit(task.unit());
    u.set_reporting_agency(r.agency);
    s.set_version(s.version() + 1);
    u.set_version(s.version());
    const std::string report_id =
        absl::StrCat("r-", r.task_id, "-", s.version());
    u.set_report_id(report_id);
    *u.mutable_reported_at() = ToProto(r.at);
    *s.mutable_updated_at() = ToProto(r.at);
    *u.mutable_lead_agencies() = task.lead_agencies();

    if (r.key.empty()) {
      if (r.task_status != v1::TASK_STATUS_UNSPECIFIED) {
        s.set_status(r.task_status);
        s.set_percent(r.task_status == v1::TASK_STATUS_DONE ? 100 : r.percent);
      }
    } else {
      v1::OccurrenceState* o = nullptr;
      for (v1::OccurrenceState& x : *s.mutable_occurrences()) {
        if (x.occurrence().key() == r.key) o = &x;
      }
      EXPECT_NE(o, nullptr) << r.task_id << "@" << r.key;
      if (o == nullptr) return u;
      switch (r.what) {
        case Report::kDone:
          o->set_status(v1::OCCURRENCE_STATUS_DONE);
          o->set_percent(100);
          *o->mutable_completed_on() = ToProto(today);
          o->clear_open_difficulty();
          o->clear_difficulty_raised_by();
          o->clear_difficulty_raised_on();
          if (task.kind() == v1::TASK_KIND_REPORT) {
            u.set_period_report(true);
            u.set_on_time(today <= *FromProto(o->occurrence().due(), "due"));
          }
          break;
        case Report::kProgress:
          o->set_status(v1::OCCURRENCE_STATUS_IN_PROGRESS);
          o->set_percent(r.percent);
          break;
        case Report::kBlocked:
          o->set_status(v1::OCCURRENCE_STATUS_BLOCKED);
          o->set_percent(r.percent);
          o->set_open_difficulty(r.difficulty);
          o->set_difficulty_raised_by(r.agency);
          *o->mutable_difficulty_raised_on() = ToProto(today);
          u.set_difficulty(r.difficulty);
          break;
        case Report::kMeasureOnly:
          break;
      }
      Summarize(s);
      u.set_occurrence_id(o->occurrence().id());
      u.set_occurrence_status(o->status());
      *u.mutable_occurrence_state() = *o;
    }
    u.set_status(s.status());
    u.set_percent(s.percent());
    if (s.has_completed_on()) *u.mutable_completed_on() = s.completed_on();
    u.set_completed_late(s.completed_late());
    for (v1::Measurement m : r.measurements) {
      if (m.unit().empty()) m.set_unit(task.unit());
      *u.add_measurements() = m;
      *u.mutable_measurement() = m;
      v1::RecordedMeasurement& rec = measurements_.emplace_back();
      rec.set_task_id(r.task_id);
      *rec.mutable_measurement() = m;
      rec.set_report_id(report_id);
      *rec.mutable_recorded_at() = ToProto(r.at);
    }
    return u;
  }

  // ListTaskStates(as_reported), in task id order.
  std::vector<v1::TaskState> States() const {
    std::vector<v1::TaskState> out;
    for (const auto& [id, s] : states_) out.push_back(s);
    return out;
  }
  // ListMeasurements, in the order recorded.
  const std::vector<v1::RecordedMeasurement>& Measurements() const {
    return measurements_;
  }

 private:
  static void Summarize(v1::TaskState& s) {
    bool all_done = true, blocked = false, started = false, late = false;
    int sum = 0;
    std::optional<absl::CivilDay> last;
    for (const v1::OccurrenceState& o : s.occurrences()) {
      const bool done = o.status() == v1::OCCURRENCE_STATUS_DONE;
      all_done = all_done && done;
      blocked = blocked || !o.open_difficulty().empty();
      started = started || done || o.percent() > 0 ||
                o.status() == v1::OCCURRENCE_STATUS_IN_PROGRESS ||
                o.status() == v1::OCCURRENCE_STATUS_BLOCKED;
      sum += done ? 100 : o.percent();
      if (done) {
        const absl::CivilDay c = *FromProto(o.completed_on(), "completed_on");
        late = late || c > *FromProto(o.occurrence().due(), "due");
        if (!last || c > *last) last = c;
      }
    }
    s.set_percent(sum / s.occurrences_size());
    s.clear_completed_on();
    s.set_completed_late(false);
    if (all_done) {
      s.set_status(v1::TASK_STATUS_DONE);
      *s.mutable_completed_on() = ToProto(*last);
      s.set_completed_late(late);
    } else if (blocked) {
      s.set_status(v1::TASK_STATUS_BLOCKED);
    } else if (started) {
      s.set_status(v1::TASK_STATUS_IN_PROGRESS);
    } else {
      s.set_status(v1::TASK_STATUS_NOT_STARTED);
    }
  }

  std::map<std::string, v1::Task> tasks_;
  std::map<std::string, v1::TaskState> states_;
  std::vector<v1::RecordedMeasurement> measurements_;
};

// Reports alike in shape are kept literal: each is one dated fact of the
// scenario that the expected figures are worked out from.
// The reports of the scenario in the order they arrive: April to mid June,
// then late June to July.
inline std::vector<Report> ReportsToMidJune() {
  using R = Report;
  return {
      {.task_id = kB1,
       .key = "2026-04-30",
       .what = R::kBlocked,
       .percent = 30,
       .difficulty = kDifficulty,
       .agency = "xab.congan",
       .at = Local(2026, 4, 20, 10)},
      {.task_id = kVT1,
       .key = "2026-04-30",
       .what = R::kDone,
       .agency = "vinhthuy.congan",
       .at = Local(2026, 4, 28, 9)},
      {.task_id = kA1,
       .key = "2026-04-30",
       .what = R::kDone,
       .agency = "xaa.congan",
       .at = Local(2026, 5, 3, 10)},
      {.task_id = kVT3,
       .percent = 50,
       .task_status = v1::TASK_STATUS_IN_PROGRESS,
       .agency = "vinhthuy.vhxh",
       .at = Local(2026, 5, 15, 9)},
      {.task_id = kVT1,
       .key = "2026-06-30",
       .percent = 40,
       .agency = "vinhthuy.congan",
       .measurements = {K("k1", 800, 1000, Date(2026, 5, 31))},
       .at = Local(2026, 6, 1, 9)},
      {.task_id = kA1,
       .key = "2026-06-30",
       .percent = 30,
       .agency = "xaa.congan",
       .measurements = {K("k1", 700, 1000, Date(2026, 5, 31))},
       .at = Local(2026, 6, 1, 10)},
      {.task_id = kVT2,
       .key = "2026-05",
       .what = R::kDone,
       .agency = "vinhthuy.congan",
       .at = Local(2026, 6, 10, 10)},
      {.task_id = kP2,
       .key = "2026-05",
       .what = R::kDone,
       .agency = "quangtri.vpubnd",
       .at = Local(2026, 6, 11, 15)},
      {.task_id = kB2,
       .key = "2026-05",
       .what = R::kDone,
       .agency = "xab.congan",
       .at = Local(2026, 6, 11, 16)},
      {.task_id = kA2,
       .key = "2026-05",
       .what = R::kDone,
       .agency = "xaa.congan",
       .at = Local(2026, 6, 14, 10)},
  };
}

inline std::vector<Report> ReportsFromLateJune() {
  using R = Report;
  return {
      {.task_id = kP1,
       .key = "2026-06-30",
       .percent = 70,
       .agency = "quangtri.congan",
       .at = Local(2026, 6, 25, 10)},
      {.task_id = kVT1,
       .key = "2026-06-30",
       .what = R::kDone,
       .agency = "vinhthuy.congan",
       .at = Local(2026, 6, 29, 10)},
      {.task_id = kA1,
       .key = "2026-06-30",
       .percent = 60,
       .agency = "xaa.congan",
       .measurements = {K("k1", 880, 1000, Date(2026, 6, 30))},
       .at = Local(2026, 6, 30, 20)},
      {.task_id = kVT1,
       .key = "2026-06-30",
       .what = R::kMeasureOnly,
       .agency = "vinhthuy.congan",
       .measurements = {K("k1", 950, 1000, Date(2026, 6, 30))},
       .at = Local(2026, 7, 1, 8)},
      {.task_id = kP1,
       .key = "2026-06-30",
       .what = R::kMeasureOnly,
       .agency = "quangtri.congan",
       .measurements = {K("k1", 9999, 10000, Date(2026, 6, 30), kProvince)},
       .at = Local(2026, 7, 1, 9)},
      {.task_id = kA1,
       .key = "2026-06-30",
       .what = R::kMeasureOnly,
       .agency = "xaa.congan",
       .measurements = {K("k1", 910, 1000, Date(2026, 6, 30))},
       .at = Local(2026, 7, 5, 9)},
      {.task_id = kB1,
       .key = "2026-04-30",
       .what = R::kMeasureOnly,
       .agency = "xab.congan",
       .measurements = {K("k1", 430, 500, Date(2026, 7, 10))},
       .at = Local(2026, 7, 10, 9)},
      {.task_id = kVT2,
       .key = "2026-06",
       .what = R::kDone,
       .agency = "vinhthuy.congan",
       .at = Local(2026, 7, 10, 10)},
      {.task_id = kP3,
       .what = R::kMeasureOnly,
       .agency = "quangtri.congan",
       .measurements = {K("k2", 30, 60, Date(2026, 7, 10))},
       .at = Local(2026, 7, 10, 11)},
      {.task_id = kB2,
       .key = "2026-06",
       .what = R::kDone,
       .agency = "xab.congan",
       .at = Local(2026, 7, 13, 10)},
  };
}

inline std::vector<Report> Reports() {
  return ::tiendo::testing::JoinParts<Report>(
      {&ReportsToMidJune, &ReportsFromLateJune});
}

// One event as the consumer applies it.
struct Event {
  absl::Time at;
  // Set for a definition, else `update`.
  std::optional<v1::Task> definition;
  std::vector<v1::UnitRef> unit_path;
  v1::TaskUpdated update;
};

// Every event of the year in the order the consumer sees them.
inline std::vector<Event> Events() {
  std::vector<Event> events;
  for (const v1::Task& t : Tasks()) {
    events.push_back({.at = Defined(),
                      .definition = t,
                      .unit_path = PathOf(t.unit()),
                      .update = {}});
  }
  Progress progress(Tasks());
  bool redefined = false;
  for (const Report& r : Reports()) {
    if (!redefined && r.at > Local(2026, 7, 8, 9)) {
      events.push_back({.at = Local(2026, 7, 8, 9),
                        .definition = P3(2),
                        .unit_path = PathOf(kProvince),
                        .update = {}});
      redefined = true;
    }
    events.push_back({.at = r.at,
                      .definition = std::nullopt,
                      .unit_path = {},
                      .update = progress.Apply(r)});
  }
  return events;
}

// What the owners hold after the whole year: every task at its latest
// definition, every state as reported, every measurement.
inline OwnerSnapshot Snapshot() {
  OwnerSnapshot snapshot;
  // What ListUnits of the plan service gives: the shipped units and the
  // two communes added to its registry.
  snapshot.units = PathOf(kVinhThuy);
  snapshot.units.push_back(PathOf(kXaA).front());
  snapshot.units.push_back(PathOf(kXaB).front());
  for (v1::Task t : Tasks()) {
    if (t.id() == kP3) t = P3(2);
    snapshot.tasks.push_back(t);
  }
  Progress progress(Tasks());
  for (const Report& r : Reports()) progress.Apply(r);
  snapshot.states = progress.States();
  snapshot.measurements = progress.Measurements();
  return snapshot;
}

// Applies the events up to and including `until` to a history, as the
// store does once they are committed.
inline void ApplyTo(ExecutionHistory& history, absl::Time until) {
  for (const Event& e : Events()) {
    if (e.at > until) continue;
    if (e.definition) {
      history.ApplyDefinition(*e.definition, e.at);
      continue;
    }
    history.ApplyUpdate(e.update, e.at);
    for (const v1::Measurement& m : e.update.measurements()) {
      history.ApplyMeasurement(e.update.task_id(), m, e.update.report_id(),
                               e.at);
    }
  }
}

}  // namespace tiendo::aggregation::scenario

#endif  // TIENDO_TESTS_UNIT_AGGREGATION_AGGREGATION_SCENARIO_H_
