#include "services/aggregation/rollup_view.h"

#include <algorithm>
#include <cmath>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/clock.h"
#include "services/common/plan_order.h"
#include "services/common/proto_convert.h"

namespace tiendo::aggregation {
namespace {

bool SectionBefore(const std::string& a, const std::string& b) {
  return CompareSections(a, b) < 0;
}

std::string Trimmed(const std::string& text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

double Percent(int64_t numerator, int64_t denominator) {
  return denominator > 0 ? 100.0 * static_cast<double>(numerator) /
                               static_cast<double>(denominator)
                         : 0.0;
}

double Rate(int32_t part, int32_t whole) {
  return whole > 0 ? 100.0 * part / whole : 0.0;
}

absl::CivilDay LastDayOfMonth(absl::CivilMonth month) {
  return absl::CivilDay(month + 1) - 1;
}

// Whether any of the records was in by `at`: what is recorded later must
// not show in a view of the past, not even as an indicator without a value.
bool RecordedBy(const std::vector<ExecutionHistory::Measurement>& records,
                absl::Time at) {
  return std::any_of(
      records.begin(), records.end(),
      [at](const ExecutionHistory::Measurement& m) { return m.at <= at; });
}

// Reports expected, received and received on time, of a period or a unit.
struct ReportTally {
  int32_t expected = 0;
  int32_t received = 0;
  int32_t on_time = 0;
};

void FillRate(v1::ReportingRate& r, const ReportTally& t) {
  r.set_expected(t.expected);
  r.set_received(t.received);
  r.set_received_on_time(t.on_time);
  r.set_reporting_rate(std::round(Rate(t.received, t.expected) * 10) / 10);
  r.set_on_time_rate(std::round(Rate(t.on_time, t.expected) * 10) / 10);
}

// By period, then unit, then occurrence.
void SortLateReports(std::vector<v1::LateReport>& late) {
  std::sort(late.begin(), late.end(),
            [](const v1::LateReport& a, const v1::LateReport& b) {
              if (a.period() != b.period()) return a.period() < b.period();
              if (a.unit() != b.unit()) return a.unit() < b.unit();
              return a.occurrence_id() < b.occurrence_id();
            });
}

std::string RankingFormula(const v1::RankingWeights& weights) {
  return absl::StrFormat(
      "score = (%g × completion + %g × reporting + %g × targets) / (sum of "
      "the weights of the components the unit has); completion = work "
      "occurrences done on time / work occurrences due or done; reporting = "
      "periodic reports in on time / reports due or in; targets = mean over "
      "the unit's measured indicators of min(1, value / target of the stage "
      "now running, else the last); each in percent",
      weights.completion(), weights.reporting(), weights.targets());
}

// The weighted mean of the components the unit has.
void SetScore(const v1::RankingWeights& weights, v1::RankedUnit& r) {
  double sum = 0, weight = 0;
  if (r.has_completion()) {
    sum += weights.completion() * r.completion();
    weight += weights.completion();
  }
  if (r.has_reporting()) {
    sum += weights.reporting() * r.reporting();
    weight += weights.reporting();
  }
  if (r.has_targets()) {
    sum += weights.targets() * r.targets();
    weight += weights.targets();
  }
  r.set_score(weight > 0 ? std::round(sum / weight * 10) / 10 : 0);
}

// Best score first; equal scores share a rank (1, 2, 2, 4).
void AddRanked(std::vector<v1::RankedUnit> ranked, v1::Ranking& ranking) {
  std::sort(ranked.begin(), ranked.end(),
            [](const v1::RankedUnit& a, const v1::RankedUnit& b) {
              if (a.score() != b.score()) return a.score() > b.score();
              return a.unit() < b.unit();
            });
  // The previous unit is already moved into the answer: its rank and score
  // are kept aside.
  int32_t rank = 0;
  double previous_score = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (i == 0 || ranked[i].score() != previous_score) {
      rank = static_cast<int32_t>(i + 1);
    }
    previous_score = ranked[i].score();
    ranked[i].set_rank(rank);
    *ranking.add_units() = std::move(ranked[i]);
  }
}

// What names the work in a report's item (an overdue item, an open
// difficulty): the task, its unit, and the occurrence when there is one.
template <typename Item>
void NameWork(const std::string& task_id, const v1::Task& task,
              const std::string& unit_name, const v1::Occurrence* occurrence,
              Item& item) {
  item.set_task_id(task_id);
  item.set_unit(task.unit());
  item.set_unit_name(unit_name);
  item.set_section(task.section());
  item.set_number(task.number());
  item.set_title(task.title());
  if (occurrence != nullptr) {
    item.set_occurrence_id(occurrence->id());
    item.set_occurrence_label(occurrence->label());
  }
}

}  // namespace

v1::RankingWeights DefaultRankingWeights() {
  v1::RankingWeights w;
  w.set_completion(0.4);
  w.set_reporting(0.3);
  w.set_targets(0.3);
  return w;
}

RollupView::RollupView(const ExecutionHistory& history, const UnitTree& units,
                       absl::Time at)
    : history_(history), units_(units), at_(at), today_(LocalDay(at)) {}

bool RollupView::Knows(const std::string& unit) const {
  return units_.Find(unit) != nullptr || history_.TasksOfUnit(unit) != nullptr;
}

std::string RollupView::UnitName(const std::string& unit) const {
  const UnitTree::Unit* u = units_.Find(unit);
  return u == nullptr ? unit : u->name;
}

std::vector<std::string> RollupView::SubtreeOf(const std::string& unit) const {
  // A unit only the stream knows (no hierarchy) stands alone.
  return units_.Find(unit) != nullptr ? units_.Subtree(unit)
                                      : std::vector<std::string>{unit};
}

std::optional<RollupView::TaskView> RollupView::View(
    const std::string& id, const ExecutionHistory::Task& task) const {
  const v1::Task* definition = ExecutionHistory::DefinitionAt(task, at_);
  if (definition == nullptr) return std::nullopt;
  TaskView v;
  v.id = id;
  v.definition = definition;
  v.tracked = &task;
  v.level = ExecutionHistory::LevelAt(task, at_);
  if (const ExecutionHistory::TaskLevel* level = v.level) {
    v.status = level->status;
    v.percent = level->percent;
    v.version = level->version;
    v.late = level->completed_late;
  }
  v.done = v.status == v1::TASK_STATUS_DONE;
  if (v.done) v.percent = 100;
  if (!v.done) v.late = false;
  v.due = DayOf(definition->due_date());
  for (const v1::Occurrence& o : definition->occurrences()) {
    OccurrenceView ov;
    ov.definition = &o;
    ov.due = DayOf(o.due());
    ov.level = ExecutionHistory::OccurrenceAt(task, o.id(), at_);
    if (ov.level != nullptr) {
      ov.done = ov.level->status == v1::OCCURRENCE_STATUS_DONE;
      if (!ov.level->difficulty.empty()) ++v.open_difficulties;
    }
    // Done as a whole (a task-level report) finishes every occurrence.
    if (v.done && !ov.done) ov.done = true;
    if (ov.done) {
      std::optional<absl::CivilDay> completed =
          ov.level != nullptr ? ov.level->completed_on : std::nullopt;
      ov.late = ov.due && completed && *completed > *ov.due;
    } else {
      ov.overdue = ov.due && today_ > *ov.due;
    }
    if (ov.overdue) v.overdue = true;
    v.occurrences.push_back(ov);
  }
  if (!v.done && definition->occurrences().empty() && v.due &&
      today_ > *v.due) {
    v.overdue = true;
  }
  if (definition->occurrences().empty() && v.level != nullptr &&
      !v.level->difficulty.empty() && !v.done) {
    ++v.open_difficulties;
  }
  v.blocked = !v.done &&
              (v.status == v1::TASK_STATUS_BLOCKED || v.open_difficulties > 0);
  v.ongoing = definition->occurrences().empty() && !v.due;
  return v;
}

std::vector<RollupView::TaskView> RollupView::TasksOf(
    const std::vector<std::string>& units) const {
  std::vector<TaskView> out;
  for (const std::string& unit : units) {
    const absl::btree_set<std::string>* ids = history_.TasksOfUnit(unit);
    if (ids == nullptr) continue;
    for (const std::string& id : *ids) {
      const ExecutionHistory::Task* task = history_.Find(id);
      if (task == nullptr) continue;
      if (std::optional<TaskView> v = View(id, *task)) {
        out.push_back(*std::move(v));
      }
    }
  }
  return out;
}

void RollupView::Count(const TaskView& t, v1::StatusCounts& c) {
  c.set_total(c.total() + 1);
  if (t.done) {
    c.set_done(c.done() + 1);
    if (t.late) {
      c.set_done_late(c.done_late() + 1);
    } else {
      c.set_on_time(c.on_time() + 1);
    }
  } else if (t.blocked) {
    c.set_blocked(c.blocked() + 1);
  } else if (t.status == v1::TASK_STATUS_IN_PROGRESS) {
    c.set_in_progress(c.in_progress() + 1);
  } else {
    c.set_not_started(c.not_started() + 1);
  }
  if (t.overdue) c.set_overdue(c.overdue() + 1);
  if (t.ongoing) c.set_ongoing(c.ongoing() + 1);
  c.set_open_difficulties(c.open_difficulties() + t.open_difficulties);
  // The sum until Finish() divides it.
  c.set_percent_complete(c.percent_complete() + t.percent);
}

void RollupView::Finish(v1::StatusCounts& c) {
  if (c.total() > 0) {
    // One decimal, so equal states compare equal however they were summed.
    c.set_percent_complete(std::round(c.percent_complete() / c.total() * 10) /
                           10);
  }
}

v1::Rollup RollupView::Rollup(const std::string& unit) const {
  v1::Rollup rollup;
  rollup.set_unit(unit);
  rollup.set_unit_name(UnitName(unit));
  *rollup.mutable_as_of() = ToProto(today_);
  *rollup.mutable_at() = ToProto(at_);
  const std::vector<TaskView> all = TasksOf(SubtreeOf(unit));
  AddOwnCounts(unit, all, rollup);
  AddChildUnitCounts(unit, all, rollup);
  AddImplementedTasks(unit, all, rollup);
  return rollup;
}

void RollupView::AddOwnCounts(const std::string& unit,
                              const std::vector<TaskView>& all,
                              v1::Rollup& rollup) {
  absl::btree_map<std::string, v1::StatusCounts> by_agency;
  absl::btree_map<std::string, v1::SectionRollup> by_section;
  uint64_t reports = 0;
  for (const TaskView& t : all) {
    Count(t, *rollup.mutable_subtree_totals());
    if (t.definition->unit() != unit) continue;
    Count(t, *rollup.mutable_totals());
    for (const std::string& agency : t.definition->lead_agencies()) {
      Count(t, by_agency[agency]);
    }
    v1::SectionRollup& section = by_section[t.definition->section()];
    section.set_section(t.definition->section());
    if (section.title().empty())
      section.set_title(t.definition->section_title());
    Count(t, *section.mutable_counts());
    reports += t.version;
  }
  Finish(*rollup.mutable_totals());
  Finish(*rollup.mutable_subtree_totals());
  for (auto& [agency, counts] : by_agency) {
    Finish(counts);
    v1::AgencyRollup* a = rollup.add_by_lead_agency();
    a->set_agency(agency);
    *a->mutable_counts() = counts;
  }
  std::vector<v1::SectionRollup> sections;
  for (auto& [code, section] : by_section) {
    Finish(*section.mutable_counts());
    sections.push_back(section);
  }
  std::sort(sections.begin(), sections.end(),
            [](const v1::SectionRollup& a, const v1::SectionRollup& b) {
              return SectionBefore(a.section(), b.section());
            });
  for (v1::SectionRollup& s : sections) *rollup.add_by_section() = std::move(s);
  rollup.set_reports_applied(reports);
}

void RollupView::AddChildUnitCounts(const std::string& unit,
                                    const std::vector<TaskView>& all,
                                    v1::Rollup& rollup) const {
  const UnitTree::Unit* u = units_.Find(unit);
  if (u == nullptr) return;
  // Which child of `unit` each unit below lies under, found once per unit:
  // a country's roll-up has thousands of communes.
  absl::flat_hash_map<std::string, size_t> row_of;
  for (const std::string& child : u->children) {
    const size_t row = static_cast<size_t>(rollup.by_child_unit_size());
    v1::UnitRollup* c = rollup.add_by_child_unit();
    c->set_unit(child);
    c->set_name(UnitName(child));
    for (const std::string& below : units_.Subtree(child)) {
      row_of[below] = row;
    }
  }
  for (const TaskView& t : all) {
    auto it = row_of.find(t.definition->unit());
    if (it == row_of.end()) continue;
    Count(t, *rollup.mutable_by_child_unit(static_cast<int>(it->second))
                  ->mutable_counts());
  }
  for (v1::UnitRollup& c : *rollup.mutable_by_child_unit()) {
    Finish(*c.mutable_counts());
  }
}

void RollupView::AddImplementedTasks(const std::string& unit,
                                     const std::vector<TaskView>& all,
                                     v1::Rollup& rollup) {
  // The unit's tasks and, for each, the tasks below that implement it.
  absl::flat_hash_map<std::string, std::vector<const TaskView*>> implementing;
  for (const TaskView& t : all) {
    if (t.definition->unit() == unit) continue;
    for (const std::string& up : t.definition->implements()) {
      implementing[up].push_back(&t);
    }
  }
  for (const TaskView& own : all) {
    if (own.definition->unit() != unit) continue;
    auto below = implementing.find(own.id);
    if (below == implementing.end()) continue;
    v1::ImplementedTaskRollup implemented;
    absl::btree_set<std::string> implementing_units;
    for (const TaskView* t : below->second) {
      Count(*t, *implemented.mutable_counts());
      implementing_units.insert(t->definition->unit());
    }
    if (implementing_units.empty()) continue;
    implemented.set_task_id(own.id);
    implemented.set_section(own.definition->section());
    implemented.set_number(own.definition->number());
    implemented.set_title(own.definition->title());
    implemented.set_units(static_cast<int32_t>(implementing_units.size()));
    Finish(*implemented.mutable_counts());
    *rollup.add_by_implemented_task() = std::move(implemented);
  }
}

RollupView::IndicatorKey RollupView::Resolve(const v1::Task& task,
                                             const std::string& code) const {
  const v1::Target* own = nullptr;
  for (const v1::Target& t : task.targets()) {
    if (t.indicator_code() == code) own = &t;
  }
  const v1::Task* root = &task;
  // Plans cascade over a few levels; the bound guards a cycle of links.
  for (int depth = 0; depth < 8 && !root->implements().empty(); ++depth) {
    const ExecutionHistory::Task* up = history_.Find(root->implements(0));
    if (up == nullptr) break;
    const v1::Task* definition = ExecutionHistory::DefinitionAt(*up, at_);
    if (definition == nullptr || definition == &task) break;
    root = definition;
  }
  if (root == &task || own == nullptr) return {task.id(), code};
  const std::string wording = Trimmed(own->indicator());
  for (const v1::Target& t : root->targets()) {
    if (t.indicator_code() == code && Trimmed(t.indicator()) == wording) {
      return {root->id(), code};
    }
  }
  for (const v1::Target& t : root->targets()) {
    if (!wording.empty() && Trimmed(t.indicator()) == wording) {
      return {root->id(), t.indicator_code()};
    }
  }
  return {task.id(), code};
}

absl::btree_map<RollupView::IndicatorKey, std::vector<RollupView::IndicatorKey>>
RollupView::Contributors(const std::string& unit) const {
  // The tasks that can measure the unit or the units below: theirs, and
  // those of the units above (a provincial task fed per commune).
  std::vector<std::string> units = SubtreeOf(unit);
  for (const UnitTree::Unit* u = units_.Find(unit);
       u != nullptr && !u->parent.empty(); u = units_.Find(u->parent)) {
    units.push_back(u->parent);
    if (units.size() > 10000) break;  // a cycle in hand-edited data
  }
  absl::btree_map<IndicatorKey, std::vector<IndicatorKey>> out;
  for (const std::string& code : units) {
    const absl::btree_set<std::string>* ids = history_.TasksOfUnit(code);
    if (ids == nullptr) continue;
    for (const std::string& id : *ids) {
      const ExecutionHistory::Task* tracked = history_.Find(id);
      if (tracked == nullptr) continue;
      AddContributions(id, *tracked, out);
    }
  }
  return out;
}

void RollupView::AddContributions(
    const std::string& id, const ExecutionHistory::Task& task,
    absl::btree_map<IndicatorKey, std::vector<IndicatorKey>>& out) const {
  {
    const v1::Task* definition = ExecutionHistory::DefinitionAt(task, at_);
    if (definition == nullptr) return;
    absl::btree_set<std::string> codes;
    for (const v1::Target& t : definition->targets()) {
      if (!t.indicator_code().empty()) codes.insert(t.indicator_code());
    }
    for (const auto& [code, series] : task.measurements) {
      for (const auto& [measured_unit, records] : series) {
        if (RecordedBy(records, at_)) {
          codes.insert(code);
          break;
        }
      }
    }
    for (const std::string& code : codes) {
      out[Resolve(*definition, code)].push_back({id, code});
    }
  }
}

void RollupView::ForEachSeriesIn(
    const std::string& unit, const std::vector<IndicatorKey>& contributors,
    absl::FunctionRef<
        void(const std::string& measured_unit,
             const std::vector<ExecutionHistory::Measurement>& records)>
        on_series) const {
  for (const auto& [task_id, code] : contributors) {
    const ExecutionHistory::Task* task = history_.Find(task_id);
    if (task == nullptr) continue;
    auto series = task->measurements.find(code);
    if (series == task->measurements.end()) continue;
    for (const auto& [measured_unit, records] : series->second) {
      if (units_.IsWithin(measured_unit, unit) || measured_unit == unit) {
        on_series(measured_unit, records);
      }
    }
  }
}

absl::btree_map<std::string, RollupView::MeasuredValue> RollupView::MeasuredIn(
    const std::string& unit, const std::vector<IndicatorKey>& contributors,
    absl::CivilDay day) const {
  absl::btree_map<std::string, MeasuredValue> data;
  ForEachSeriesIn(
      unit, contributors,
      [&](const std::string& measured_unit,
          const std::vector<ExecutionHistory::Measurement>& records) {
        const ExecutionHistory::Measurement* m =
            ExecutionHistory::MeasurementAt(records, day, at_);
        if (m == nullptr) return;
        // Two tasks measuring one unit for the same indicator (a provincial
        // task fed per commune, and the commune's own task): the later
        // measurement counts, once.
        auto [it, inserted] = data.try_emplace(measured_unit);
        if (inserted || m->as_of > it->second.as_of ||
            (m->as_of == it->second.as_of && m->at > it->second.at)) {
          it->second = {m->numerator, m->denominator, m->as_of, m->at};
        }
      });
  return data;
}

v1::KpiValue RollupView::ValueOf(
    const std::string& unit,
    const absl::btree_map<std::string, MeasuredValue>& data,
    absl::CivilDay day) const {
  // Units with a measuring unit below them: they sum what is below and
  // their own measurement (a total typed in at that level) is not counted
  // twice.
  absl::flat_hash_set<std::string> covered;
  for (const auto& [measured, value] : data) {
    const UnitTree::Unit* u = units_.Find(measured);
    for (int depth = 0; u != nullptr && !u->parent.empty() && depth < 16;
         ++depth) {
      covered.insert(u->parent);
      u = units_.Find(u->parent);
    }
  }
  v1::KpiValue value;
  *value.mutable_as_of() = ToProto(day);
  int64_t numerator = 0;
  int64_t denominator = 0;
  int32_t measured = 0;
  std::vector<std::string> stack = {unit};
  while (!stack.empty()) {
    const std::string current = stack.back();
    stack.pop_back();
    if (covered.contains(current)) {
      if (const UnitTree::Unit* u = units_.Find(current)) {
        for (const std::string& child : u->children) stack.push_back(child);
      }
      continue;
    }
    auto it = data.find(current);
    if (it == data.end()) continue;
    numerator += it->second.numerator;
    denominator += it->second.denominator;
    ++measured;
  }
  value.set_numerator(numerator);
  value.set_denominator(denominator);
  value.set_percent(std::round(Percent(numerator, denominator) * 100) / 100);
  value.set_units_measured(measured);
  return value;
}

const v1::Target* RollupView::RunningStage(
    const std::vector<const v1::Target*>& stages) const {
  // The first not yet due (its due date not passed), else the last.
  for (const v1::Target* t : stages) {
    std::optional<absl::CivilDay> due = DayOf(t->due());
    if (!due || today_ <= *due) return t;
  }
  return stages.back();
}

std::vector<const v1::Target*> RollupView::StagesOf(
    const IndicatorKey& key) const {
  std::vector<const v1::Target*> stages;
  if (const ExecutionHistory::Task* root = history_.Find(key.first)) {
    if (const v1::Task* definition =
            ExecutionHistory::DefinitionAt(*root, at_)) {
      for (const v1::Target& t : definition->targets()) {
        if (t.indicator_code() == key.second) stages.push_back(&t);
      }
    }
  }
  std::sort(stages.begin(), stages.end(),
            [](const v1::Target* a, const v1::Target* b) {
              return DayOf(a->due()) < DayOf(b->due());
            });
  return stages;
}

v1::IndicatorKpi RollupView::Indicator(
    const std::string& unit, const IndicatorKey& key,
    const std::vector<IndicatorKey>& contributors) const {
  v1::IndicatorKpi kpi;
  kpi.set_indicator_id(absl::StrCat(key.first, "/", key.second));
  kpi.set_task_id(key.first);
  kpi.set_code(key.second);
  const std::vector<const v1::Target*> stages = StagesOf(key);
  if (!stages.empty()) kpi.set_indicator(stages.front()->indicator());

  const absl::btree_map<std::string, MeasuredValue> now =
      MeasuredIn(unit, contributors, today_);
  *kpi.mutable_value() = ValueOf(unit, now, today_);
  const double percent = kpi.value().percent();
  for (const v1::Target* t : stages) {
    v1::KpiStage* s = kpi.add_stages();
    s->set_target_percent(t->percent());
    *s->mutable_due() = t->due();
    s->set_direction(t->direction());
    std::optional<absl::CivilDay> due = DayOf(t->due());
    s->set_due_passed(due && today_ > *due);
    const bool measured = kpi.value().units_measured() > 0;
    s->set_met(measured && percent + 1e-9 >= t->percent());
    s->set_gap(std::round((t->percent() - percent) * 100) / 100);
  }

  // The series: the value at the end of each month from the first
  // measurement's month to this one.
  std::optional<absl::CivilDay> first;
  ForEachSeriesIn(
      unit, contributors,
      [&](const std::string&,
          const std::vector<ExecutionHistory::Measurement>& records) {
        for (const ExecutionHistory::Measurement& m : records) {
          if (m.at > at_ || m.as_of > today_) continue;
          if (!first || m.as_of < *first) first = m.as_of;
        }
      });
  if (first) {
    for (absl::CivilMonth month(*first); month <= absl::CivilMonth(today_);
         ++month) {
      const absl::CivilDay end = std::min(LastDayOfMonth(month), today_);
      *kpi.add_monthly() =
          ValueOf(unit, MeasuredIn(unit, contributors, end), end);
    }
  }
  if (const UnitTree::Unit* u = units_.Find(unit)) {
    for (const std::string& child : u->children) {
      v1::KpiValue value = ValueOf(child, now, today_);
      if (value.units_measured() == 0) continue;
      v1::UnitKpi* c = kpi.add_by_child_unit();
      c->set_unit(child);
      c->set_name(UnitName(child));
      *c->mutable_value() = std::move(value);
    }
  }
  return kpi;
}

v1::KpiReport RollupView::Kpis(const std::string& unit) const {
  v1::KpiReport report;
  report.set_unit(unit);
  *report.mutable_as_of() = ToProto(today_);
  *report.mutable_at() = ToProto(at_);
  const absl::btree_map<IndicatorKey, std::vector<IndicatorKey>> contributors =
      Contributors(unit);
  for (const auto& [key, from] : contributors) {
    // An indicator belongs to the unit's report when a task of the unit or
    // below has it, or a unit at or below it was measured for it.
    bool relevant = false;
    for (const auto& [task_id, code] : from) {
      const ExecutionHistory::Task* task = history_.Find(task_id);
      if (task == nullptr) continue;
      const v1::Task* definition = ExecutionHistory::DefinitionAt(*task, at_);
      if (definition != nullptr &&
          (definition->unit() == unit ||
           units_.IsWithin(definition->unit(), unit))) {
        relevant = true;
        break;
      }
      auto series = task->measurements.find(code);
      if (series == task->measurements.end()) continue;
      for (const auto& [measured_unit, records] : series->second) {
        if ((measured_unit == unit || units_.IsWithin(measured_unit, unit)) &&
            RecordedBy(records, at_)) {
          relevant = true;
        }
      }
      if (relevant) break;
    }
    if (!relevant) continue;
    *report.add_indicators() = Indicator(unit, key, from);
  }
  return report;
}

v1::ReportingRates RollupView::ReportingRates(const std::string& unit,
                                              const std::string& period) const {
  v1::ReportingRates rates;
  rates.set_unit(unit);
  *rates.mutable_as_of() = ToProto(today_);
  *rates.mutable_at() = ToProto(at_);
  absl::btree_map<std::string, ReportTally> by_period;
  absl::btree_map<std::string, ReportTally> by_unit;
  std::vector<v1::LateReport> late;
  for (const TaskView& t : TasksOf(SubtreeOf(unit))) {
    if (t.definition->kind() != v1::TASK_KIND_REPORT) continue;
    for (const OccurrenceView& o : t.occurrences) {
      const std::string& key = o.definition->key();
      if (!period.empty() && key != period) continue;
      // DHIS2 counts a report expected for its period; here only once it
      // is due (or in), so a period still open does not lower the rate.
      const bool expected = o.done || (o.due && today_ > *o.due);
      if (!expected) continue;
      for (ReportTally* tally :
           {&by_period[key], &by_unit[RowOf(unit, t.definition->unit())]}) {
        ++tally->expected;
        if (o.done) ++tally->received;
        if (o.done && !o.late) ++tally->on_time;
      }
      if (o.done && !o.late) continue;
      late.push_back(LateReportOf(t, o));
    }
  }
  for (const auto& [key, tally] : by_period) {
    v1::ReportingRate* r = rates.add_by_period();
    r->set_unit(unit);
    r->set_name(UnitName(unit));
    r->set_period(key);
    FillRate(*r, tally);
  }
  for (const auto& [row, tally] : by_unit) {
    v1::ReportingRate* r = rates.add_by_unit();
    r->set_unit(row);
    r->set_name(UnitName(row));
    r->set_period(period);
    FillRate(*r, tally);
  }
  SortLateReports(late);
  for (v1::LateReport& r : late) *rates.add_late_or_missing() = std::move(r);
  return rates;
}

std::string RollupView::RowOf(const std::string& unit,
                              const std::string& task_unit) const {
  if (task_unit == unit) return unit;
  if (const UnitTree::Unit* u = units_.Find(unit)) {
    for (const std::string& child : u->children) {
      if (units_.IsWithin(task_unit, child)) return child;
    }
  }
  return task_unit;
}

v1::LateReport RollupView::LateReportOf(const TaskView& t,
                                        const OccurrenceView& o) const {
  v1::LateReport r;
  r.set_unit(t.definition->unit());
  r.set_unit_name(UnitName(t.definition->unit()));
  r.set_task_id(t.id);
  r.set_occurrence_id(o.definition->id());
  r.set_period(o.definition->key());
  r.set_label(o.definition->label());
  if (o.due) *r.mutable_due() = ToProto(*o.due);
  r.set_received(o.done);
  std::optional<absl::CivilDay> completed =
      o.level != nullptr ? o.level->completed_on : std::nullopt;
  if (o.done && completed) *r.mutable_received_on() = ToProto(*completed);
  if (o.due) {
    const absl::CivilDay until = o.done && completed ? *completed : today_;
    r.set_days_late(static_cast<int32_t>(until - *o.due));
  }
  return r;
}

v1::Ranking RollupView::Ranking(const std::string& unit,
                                const v1::RankingWeights& weights) const {
  v1::Ranking ranking;
  ranking.set_unit(unit);
  *ranking.mutable_as_of() = ToProto(today_);
  *ranking.mutable_at() = ToProto(at_);
  *ranking.mutable_weights() = weights;
  ranking.set_formula(RankingFormula(weights));
  const UnitTree::Unit* u = units_.Find(unit);
  if (u == nullptr) return ranking;
  const absl::btree_map<IndicatorKey, std::vector<IndicatorKey>> contributors =
      Contributors(unit);
  std::vector<v1::RankedUnit> ranked;
  for (const std::string& child : u->children) {
    v1::RankedUnit r;
    r.set_unit(child);
    r.set_name(UnitName(child));
    SetTimeliness(child, r);
    SetTargetAttainment(child, contributors, r);
    SetScore(weights, r);
    ranked.push_back(std::move(r));
  }
  AddRanked(std::move(ranked), ranking);
  return ranking;
}

void RollupView::SetTimeliness(const std::string& child,
                               v1::RankedUnit& r) const {
  int32_t due = 0, on_time = 0, expected = 0, reports_on_time = 0;
  for (const TaskView& t : TasksOf(units_.Subtree(child))) {
    const bool report = t.definition->kind() == v1::TASK_KIND_REPORT;
    auto judge = [&](bool done, bool late, std::optional<absl::CivilDay> d) {
      if (!done && !(d && today_ > *d)) return;
      if (report) {
        ++expected;
        if (done && !late) ++reports_on_time;
      } else {
        ++due;
        if (done && !late) ++on_time;
      }
    };
    if (t.occurrences.empty()) {
      if (t.due || t.done) judge(t.done, t.late, t.due);
      continue;
    }
    for (const OccurrenceView& o : t.occurrences) judge(o.done, o.late, o.due);
  }
  r.set_occurrences_due(due);
  r.set_done_on_time(on_time);
  r.set_reports_expected(expected);
  r.set_reports_on_time(reports_on_time);
  if (due > 0) r.set_completion(std::round(Rate(on_time, due) * 10) / 10);
  if (expected > 0) {
    r.set_reporting(std::round(Rate(reports_on_time, expected) * 10) / 10);
  }
}

void RollupView::SetTargetAttainment(
    const std::string& child,
    const absl::btree_map<IndicatorKey, std::vector<IndicatorKey>>&
        contributors,
    v1::RankedUnit& r) const {
  double attainment = 0;
  int32_t indicators = 0;
  for (const auto& [key, from] : contributors) {
    const absl::btree_map<std::string, MeasuredValue> data =
        MeasuredIn(child, from, today_);
    if (data.empty()) continue;
    const v1::KpiValue value = ValueOf(child, data, today_);
    const std::vector<const v1::Target*> stages = StagesOf(key);
    if (value.units_measured() == 0 || stages.empty()) continue;
    const v1::Target* stage = RunningStage(stages);
    if (stage->percent() <= 0) continue;
    attainment += std::min(1.0, value.percent() / stage->percent());
    ++indicators;
  }
  r.set_indicators(indicators);
  if (indicators > 0) {
    r.set_targets(std::round(attainment / indicators * 1000) / 10);
  }
}

std::vector<v1::AgencyOverdue> RollupView::OverdueByAgency(
    const std::string& unit) const {
  const std::vector<std::string> subtree = SubtreeOf(unit);
  absl::btree_map<std::string, std::vector<v1::OverdueItem>> by_agency;
  for (const TaskView& t : TasksOf(subtree)) {
    if (!t.overdue) continue;
    auto add = [&](const v1::Occurrence* o, absl::CivilDay due) {
      v1::OverdueItem item;
      NameWork(t.id, *t.definition, UnitName(t.definition->unit()), o, item);
      *item.mutable_due() = ToProto(due);
      item.set_days_overdue(static_cast<int32_t>(today_ - due));
      *item.mutable_lead_agencies() = t.definition->lead_agencies();
      for (const std::string& agency : t.definition->lead_agencies()) {
        by_agency[agency].push_back(item);
      }
      // A lead the plan did not name or the registry did not know leaves
      // the work overdue all the same: it is listed under no agency rather
      // than left out of the report.
      if (t.definition->lead_agencies().empty()) {
        by_agency[""].push_back(item);
      }
    };
    if (t.occurrences.empty()) {
      if (t.due) add(nullptr, *t.due);
      continue;
    }
    for (const OccurrenceView& o : t.occurrences) {
      if (o.overdue) add(o.definition, *o.due);
    }
  }
  std::vector<v1::AgencyOverdue> out;
  for (auto& [agency, items] : by_agency) {
    std::stable_sort(items.begin(), items.end(),
                     [](const v1::OverdueItem& a, const v1::OverdueItem& b) {
                       if (a.days_overdue() != b.days_overdue()) {
                         return a.days_overdue() > b.days_overdue();
                       }
                       return a.occurrence_id() < b.occurrence_id();
                     });
    v1::AgencyOverdue& a = out.emplace_back();
    a.set_agency(agency);
    for (v1::OverdueItem& item : items) *a.add_items() = std::move(item);
  }
  return out;
}

std::vector<v1::OpenDifficulty> RollupView::OpenDifficulties(
    const std::string& unit) const {
  const std::vector<std::string> subtree = SubtreeOf(unit);
  std::vector<v1::OpenDifficulty> out;
  // One entry per open difficulty: of an occurrence, or of ongoing work
  // ("thường xuyên") that has none, whose difficulty is the task's.
  auto add = [&](const TaskView& t, const v1::Occurrence* occurrence,
                 const std::string& difficulty, const std::string& raised_by,
                 const std::optional<absl::CivilDay>& raised_on) {
    v1::OpenDifficulty& d = out.emplace_back();
    NameWork(t.id, *t.definition, UnitName(t.definition->unit()), occurrence,
             d);
    d.set_difficulty(difficulty);
    d.set_raised_by(raised_by);
    if (raised_on) {
      *d.mutable_raised_on() = ToProto(*raised_on);
      d.set_days_open(static_cast<int32_t>(today_ - *raised_on));
    }
  };
  for (const TaskView& t : TasksOf(subtree)) {
    if (t.occurrences.empty() && t.level != nullptr &&
        !t.level->difficulty.empty() && !t.done) {
      add(t, nullptr, t.level->difficulty, t.level->difficulty_raised_by,
          t.level->difficulty_raised_on);
    }
    for (const OccurrenceView& o : t.occurrences) {
      if (o.level == nullptr || o.level->difficulty.empty() || o.done) continue;
      add(t, o.definition, o.level->difficulty, o.level->difficulty_raised_by,
          o.level->difficulty_raised_on);
    }
  }
  std::stable_sort(
      out.begin(), out.end(),
      [](const v1::OpenDifficulty& a, const v1::OpenDifficulty& b) {
        return a.days_open() > b.days_open();
      });
  return out;
}

}  // namespace tiendo::aggregation
