#ifndef TIENDO_SERVICES_AGGREGATION_ROLLUP_VIEW_H_
#define TIENDO_SERVICES_AGGREGATION_ROLLUP_VIEW_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/functional/function_ref.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/aggregation/execution_history.h"
#include "services/aggregation/unit_tree.h"
#include "tiendo/v1/aggregation.pb.h"

namespace tiendo::aggregation {

// The weights of the emulation ranking's components (RankedUnit): on-time
// completion, reporting timeliness, target attainment.
v1::RankingWeights DefaultRankingWeights();

// Everything the aggregator answers, computed from the execution history
// as it stood at one instant `at`, with overdue judged against that
// instant's local date. A view borrows the history and the units; build one
// per query, under the lock that guards them.
//
// How tasks are counted (StatusCounts): each task once, in one of done,
// blocked (its status, or an occurrence with an open difficulty),
// in progress or not started; besides that overdue when not done and an
// occurrence (or, without occurrences, the task) is past its due date, on
// time or late when done, ongoing without any date.
class RollupView {
 public:
  RollupView(const ExecutionHistory& history, const UnitTree& units,
             absl::Time at);

  // The same history and units at another instant.
  RollupView WithInstant(absl::Time at) const {
    return RollupView(history_, units_, at);
  }
  // What was recorded by this view's instant, judged as of an earlier local
  // day: a month's figures as the communes sent them in after it ended.
  RollupView AsOfDay(absl::CivilDay day) const {
    RollupView view(history_, units_, at_);
    view.today_ = std::min(day, today_);
    return view;
  }

  absl::Time at() const { return at_; }
  absl::CivilDay today() const { return today_; }
  // Whether the unit is in the hierarchy or has tasks.
  bool Knows(const std::string& unit) const;

  v1::Rollup Rollup(const std::string& unit) const;
  v1::KpiReport Kpis(const std::string& unit) const;
  // `period` "2026-05", or empty for every period.
  v1::ReportingRates ReportingRates(const std::string& unit,
                                    const std::string& period) const;
  // The units directly below `unit` (the communes of a province), ranked.
  v1::Ranking Ranking(const std::string& unit,
                      const v1::RankingWeights& weights) const;
  // Overdue occurrences of the unit and the units below, under each lead
  // agency (those of tasks without a lead under the empty agency, first),
  // longest overdue first.
  std::vector<v1::AgencyOverdue> OverdueByAgency(const std::string& unit) const;
  // Difficulties raised and not resolved, oldest first.
  std::vector<v1::OpenDifficulty> OpenDifficulties(
      const std::string& unit) const;

 private:
  struct OccurrenceView {
    const v1::Occurrence* definition = nullptr;
    std::optional<absl::CivilDay> due;
    bool done = false;
    bool late = false;
    bool overdue = false;
    const ExecutionHistory::OccurrenceLevel* level = nullptr;
  };
  struct TaskView {
    std::string id;
    const v1::Task* definition = nullptr;
    const ExecutionHistory::Task* tracked = nullptr;
    v1::TaskStatus status = v1::TASK_STATUS_NOT_STARTED;
    int32_t percent = 0;
    uint64_t version = 0;
    bool done = false;
    bool late = false;
    bool overdue = false;
    bool blocked = false;
    bool ongoing = false;
    int32_t open_difficulties = 0;
    std::optional<absl::CivilDay> due;
    std::vector<OccurrenceView> occurrences;
    // The task-level state (nullptr before any report): a task without
    // occurrences keeps its open difficulty there.
    const ExecutionHistory::TaskLevel* level = nullptr;
  };
  // An indicator as roll-ups know it: the task it rolls up to and its code.
  using IndicatorKey = std::pair<std::string, std::string>;
  struct MeasuredValue {
    int64_t numerator = 0;
    int64_t denominator = 0;
    absl::CivilDay as_of;
    absl::Time at;
  };

  std::optional<TaskView> View(const std::string& id,
                               const ExecutionHistory::Task& task) const;
  // Views of the tasks of the given units' plans, in task id order.
  std::vector<TaskView> TasksOf(const std::vector<std::string>& units) const;
  static void Count(const TaskView& task, v1::StatusCounts& counts);
  static void Finish(v1::StatusCounts& counts);
  // The task an indicator of `task` rolls up to: along the first
  // "implements" link while the linked task is known, matched by code and
  // wording (a cascaded plan copies both), else by wording.
  IndicatorKey Resolve(const v1::Task& task, const std::string& code) const;
  // Every (task, code) measured or targeted that can count for `unit`
  // (tasks of the unit, of the units below and above it), by the indicator
  // it rolls up to.
  absl::btree_map<IndicatorKey, std::vector<IndicatorKey>> Contributors(
      const std::string& unit) const;
  void AddContributions(
      const std::string& id, const ExecutionHistory::Task& task,
      absl::btree_map<IndicatorKey, std::vector<IndicatorKey>>& out) const;
  // The latest measurement per unit within `unit`'s subtree, of the
  // contributors, as of `day`.
  absl::btree_map<std::string, MeasuredValue> MeasuredIn(
      const std::string& unit, const std::vector<IndicatorKey>& contributors,
      absl::CivilDay day) const;
  // Calls on_series with the records of each contributor's indicator for
  // each unit measured: `unit` itself or a unit below it.
  void ForEachSeriesIn(
      const std::string& unit, const std::vector<IndicatorKey>& contributors,
      absl::FunctionRef<
          void(const std::string& measured_unit,
               const std::vector<ExecutionHistory::Measurement>& records)>
          on_series) const;
  // The value of `unit`: the sum of the units below that measured, or its
  // own measurement when none below did.
  v1::KpiValue ValueOf(const std::string& unit,
                       const absl::btree_map<std::string, MeasuredValue>& data,
                       absl::CivilDay day) const;
  // The stages of the indicator's target, by due date.
  std::vector<const v1::Target*> StagesOf(const IndicatorKey& key) const;
  // Of non-empty `stages`, the one now running: the first whose due date
  // has not passed, else the last.
  const v1::Target* RunningStage(
      const std::vector<const v1::Target*>& stages) const;
  v1::IndicatorKpi Indicator(
      const std::string& unit, const IndicatorKey& key,
      const std::vector<IndicatorKey>& contributors) const;
  std::string UnitName(const std::string& unit) const;
  // Parts of Rollup: the unit's own totals, by lead agency and by section
  // (and the subtree's totals); the totals under each child unit; the
  // unit's tasks that tasks below implement.
  static void AddOwnCounts(const std::string& unit,
                           const std::vector<TaskView>& all,
                           v1::Rollup& rollup);
  void AddChildUnitCounts(const std::string& unit,
                          const std::vector<TaskView>& all,
                          v1::Rollup& rollup) const;
  static void AddImplementedTasks(const std::string& unit,
                                  const std::vector<TaskView>& all,
                                  v1::Rollup& rollup);
  // Which row of a reporting-rate table a unit's reports count in: its
  // ancestor among the children of `unit`, or `unit` itself.
  std::string RowOf(const std::string& unit,
                    const std::string& task_unit) const;
  // A report occurrence due and not in, or in late.
  v1::LateReport LateReportOf(const TaskView& t, const OccurrenceView& o) const;
  // Parts of Ranking: work done and reports in on time, and the mean
  // attainment of the running stages of the indicators measured.
  void SetTimeliness(const std::string& child, v1::RankedUnit& r) const;
  void SetTargetAttainment(
      const std::string& child,
      const absl::btree_map<IndicatorKey, std::vector<IndicatorKey>>&
          contributors,
      v1::RankedUnit& r) const;
  // The unit and every unit below it.
  std::vector<std::string> SubtreeOf(const std::string& unit) const;

  const ExecutionHistory& history_;
  const UnitTree& units_;
  const absl::Time at_;
  absl::CivilDay today_;
};

}  // namespace tiendo::aggregation

#endif  // TIENDO_SERVICES_AGGREGATION_ROLLUP_VIEW_H_
