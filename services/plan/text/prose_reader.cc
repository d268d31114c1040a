// The prose form of a plan: headings, task bullets, and after each task its
// "+ Đơn vị chủ trì:", "+ Đơn vị phối hợp:", "+ Thời gian thực hiện:" lines.
// Text comes from PDF extraction, so lines break mid-sentence, often with
// blank lines in between; only line starts carry structure.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/plan/text/dates.h"
#include "services/plan/text/fold.h"
#include "services/plan/text/plan_document.h"

namespace tiendo::plantext {
namespace {

// Structure levels, outermost first. A plain paragraph nests under
// whatever precedes it.
enum class Kind { kPart, kNumber, kLetter, kDash, kParen, kPlain, kAttribute };

enum class Attribute { kNone, kLead, kPerformer, kCoordinators, kTimeframe };

struct Item {
  Kind kind = Kind::kPlain;
  int line = 0;
  std::string label;  // "II", "2", "a", "3"
  std::string text;   // without the marker
  Attribute attribute = Attribute::kNone;
  int parent = -1;
  std::vector<int> children;
  // Attribute values attached to this item.
  std::string lead, performer, coordinators, timeframe;
  bool has_attributes = false;
};

int Level(Kind kind) { return static_cast<int>(kind); }

size_t CodePoints(absl::string_view text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

bool StartsUpper(absl::string_view text) {
  if (text.empty()) return false;
  int32_t i = 0;
  UChar32 c = 0;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i,
          static_cast<int32_t>(text.size()), c);
  return c > 0 && u_isupper(c);
}

// Fills item with a marker's kind, label and the text after the marker.
Item Marked(Kind kind, absl::string_view label, absl::string_view after) {
  Item item;
  item.kind = kind;
  item.label = std::string(label);
  item.text = std::string(absl::StripAsciiWhitespace(after));
  return item;
}

// "II. PHÂN CÔNG NHIỆM VỤ" (a part) or "2. Nhiệm vụ ..." (a number).
std::optional<Item> ClassifyDotted(absl::string_view line) {
  const size_t dot = line.find(". ");
  if (dot == absl::string_view::npos || dot == 0 || dot > 5) {
    return std::nullopt;
  }
  const absl::string_view label = line.substr(0, dot);
  bool roman = true;
  for (char c : label) roman = roman && absl::StrContains("IVX", c);
  if (roman && ParseRomanOrArabic(label).has_value()) {
    return Marked(Kind::kPart, label, line.substr(dot + 1));
  }
  int number = 0;
  if (absl::SimpleAtoi(label, &number) && number > 0 && number < 100) {
    return Marked(Kind::kNumber, label, line.substr(dot + 1));
  }
  return std::nullopt;
}

// "(3) Rà soát ..."
std::optional<Item> ClassifyParen(absl::string_view line) {
  if (!absl::StartsWith(line, "(")) return std::nullopt;
  const size_t close = line.find(')');
  int number = 0;
  if (close != absl::string_view::npos && close <= 3 &&
      absl::SimpleAtoi(line.substr(1, close - 1), &number) && number > 0) {
    return Marked(Kind::kParen, line.substr(1, close - 1),
                  line.substr(close + 1));
  }
  return std::nullopt;
}

// "a) Công tác ...", "đ) Tiếp tục ..."
std::optional<Item> ClassifyLetter(absl::string_view line) {
  const size_t close = line.find(") ");
  if (close == absl::string_view::npos || close < 1 || close > 2) {
    return std::nullopt;
  }
  const std::string label = Fold(line.substr(0, close)).folded;
  if (label.size() == 1 && absl::ascii_islower(label[0])) {
    return Marked(Kind::kLetter, line.substr(0, close), line.substr(close + 1));
  }
  return std::nullopt;
}

// The attribute a folded label names ("don vi chu tri"), or kNone.
Attribute AttributeNamed(absl::string_view label) {
  if (absl::StartsWith(label, "don vi chu tri") ||
      absl::StartsWith(label, "co quan chu tri")) {
    return Attribute::kLead;
  }
  if (absl::StartsWith(label, "don vi phoi hop") ||
      absl::StartsWith(label, "co quan phoi hop")) {
    return Attribute::kCoordinators;
  }
  if (absl::StartsWith(label, "don vi thuc hien")) return Attribute::kPerformer;
  if (absl::StartsWith(label, "thoi gian") ||
      absl::StartsWith(label, "thoi han")) {
    return Attribute::kTimeframe;
  }
  return Attribute::kNone;
}

// "Đơn vị chủ trì: Công an tỉnh" after its bullet: an attribute line.
std::optional<Item> ClassifyAttribute(absl::string_view body) {
  const std::string folded = Fold(body.substr(0, 80)).folded;
  const size_t colon = folded.find(':');
  if (colon == std::string::npos || colon >= 40) return std::nullopt;
  const Attribute attribute =
      AttributeNamed(absl::string_view(folded).substr(0, colon));
  if (attribute == Attribute::kNone) return std::nullopt;
  // The colon's byte offset in the original: Fold keeps ':' as is and the
  // folded prefix maps back through the same characters.
  const size_t original_colon = body.find(':');
  Item item;
  item.kind = Kind::kAttribute;
  item.attribute = attribute;
  item.text =
      std::string(absl::StripAsciiWhitespace(body.substr(original_colon + 1)));
  return item;
}

// "- ..." and "+ ...": an attribute line or a bullet. A dash that lost its
// space in extraction ("-Đơn vị chủ trì:") still marks an attribute line,
// but not a bullet.
std::optional<Item> ClassifyBullet(absl::string_view line) {
  const bool dash =
      absl::StartsWith(line, "- ") || absl::StartsWith(line, "– ");
  const bool bare_dash =
      !dash && (absl::StartsWith(line, "-") || absl::StartsWith(line, "–"));
  const bool plus = absl::StartsWith(line, "+");
  if (!dash && !bare_dash && !plus) return std::nullopt;
  absl::string_view body = line;
  if (!absl::ConsumePrefix(&body, "–")) body.remove_prefix(1);
  body = absl::StripAsciiWhitespace(body);
  if (std::optional<Item> attribute = ClassifyAttribute(body)) {
    return attribute;
  }
  if (!dash) return std::nullopt;
  Item item;
  item.kind = Kind::kDash;
  item.text = std::string(body);
  return item;
}

// Recognises the marker at the start of a line; fills kind, label and the
// text after the marker.
Item Classify(absl::string_view line) {
  for (auto* classify :
       {ClassifyDotted, ClassifyParen, ClassifyLetter, ClassifyBullet}) {
    if (std::optional<Item> item = classify(line)) return *std::move(item);
  }
  Item item;
  item.kind = Kind::kPlain;
  item.text = std::string(line);
  return item;
}

// A line that cannot end a paragraph: it ends with a comma or a joining
// word ("+ Đơn vị phối hợp: Công an tỉnh," then "Ngân hàng Nhà nước ...").
bool Unfinished(absl::string_view line) {
  line = absl::StripTrailingAsciiWhitespace(line);
  if (absl::EndsWith(line, ",") || absl::EndsWith(line, "(")) return true;
  const std::string folded = Fold(line).folded;
  const size_t space = folded.rfind(' ');
  const absl::string_view last =
      space == std::string::npos ? absl::string_view(folded)
                                 : absl::string_view(folded).substr(space + 1);
  for (absl::string_view word : {"va", "cac", "cua", "voi", "hoac", "cung"}) {
    if (last == word) return true;
  }
  return false;
}

void Append(std::string& text, absl::string_view more) {
  if (more.empty()) return;
  if (!text.empty()) text.push_back(' ');
  text.append(more.data(), more.size());
}

void AttachAttribute(Item& owner, const Item& attribute) {
  owner.has_attributes = true;
  switch (attribute.attribute) {
    case Attribute::kLead:
      Append(owner.lead, attribute.text);
      break;
    case Attribute::kPerformer:
      Append(owner.performer, attribute.text);
      break;
    case Attribute::kCoordinators:
      Append(owner.coordinators, attribute.text);
      break;
    case Attribute::kTimeframe:
      Append(owner.timeframe, attribute.text);
      break;
    case Attribute::kNone:
      break;
  }
}

// Step 1, lines into items: a marker starts an item; other lines continue
// the current one, except after a short finished line when the next starts
// with a capital ("- Về pháp lý" then "Thường xuyên rà soát ..."). Attribute
// lines go to the latest item that is not an attribute.
class ItemReader {
 public:
  absl::Status ReadLine(absl::string_view raw) {
    ++line_number_;
    const std::string nfc = ToNfc(absl::StripSuffix(raw, "\r"));
    const absl::string_view line = absl::StripAsciiWhitespace(nfc);
    if (line.empty()) return absl::OkStatus();
    Item item = Classify(line);
    item.line = line_number_;
    const bool new_plain = item.kind == Kind::kPlain && StartsParagraph(line);
    previous_line_ = std::string(line);
    if (item.kind == Kind::kPlain && !new_plain) {
      Continue(std::move(item), line);
      return absl::OkStatus();
    }
    if (item.kind == Kind::kAttribute) return StartAttribute(std::move(item));
    FinishAttribute();
    items_.push_back(std::move(item));
    return absl::OkStatus();
  }

  std::vector<Item> Finish() && {
    FinishAttribute();
    return std::move(items_);
  }

 private:
  // A plain line after a short finished line, starting with a capital.
  bool StartsParagraph(absl::string_view line) const {
    return !previous_line_.empty() && CodePoints(previous_line_) < 50 &&
           !Unfinished(previous_line_) && StartsUpper(line);
  }

  // A line that continues the attribute or the item being read.
  void Continue(Item item, absl::string_view line) {
    if (attribute_.has_value()) {
      Append(attribute_->text, line);
    } else if (!items_.empty()) {
      Append(items_.back().text, line);
    } else {
      items_.push_back(std::move(item));
    }
  }

  absl::Status StartAttribute(Item item) {
    FinishAttribute();
    if (items_.empty()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("line %d: \"%s\" comes before any task", line_number_,
                          previous_line_.substr(0, 40)));
    }
    attribute_owner_ = items_.size() - 1;
    attribute_ = std::move(item);
    return absl::OkStatus();
  }

  void FinishAttribute() {
    if (attribute_.has_value()) {
      AttachAttribute(items_[attribute_owner_], *attribute_);
    }
    attribute_.reset();
  }

  std::vector<Item> items_;
  // The attribute being read, if any, and the item it belongs to.
  std::optional<Item> attribute_;
  size_t attribute_owner_ = 0;
  std::string previous_line_;
  int line_number_ = 0;
};

// Step 2, nesting by level: each item's parent and children.
void Nest(std::vector<Item>& items) {
  std::vector<int> stack;
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    const int level = Level(items[i].kind);
    while (!stack.empty() && Level(items[stack.back()].kind) >= level &&
           !(items[i].kind == Kind::kPlain &&
             items[stack.back()].kind != Kind::kPlain)) {
      stack.pop_back();
    }
    // A plain paragraph nests under the item before it, whatever its level;
    // two plain paragraphs in a row are siblings.
    if (items[i].kind == Kind::kPlain) {
      while (!stack.empty() && items[stack.back()].kind == Kind::kPlain) {
        stack.pop_back();
      }
    }
    if (!stack.empty()) {
      items[i].parent = stack.back();
      items[stack.back()].children.push_back(i);
    }
    stack.push_back(i);
  }
}

// The marker an item was written with, for body text: "II. ", "a) ".
std::string MarkerOf(const Item& item) {
  switch (item.kind) {
    case Kind::kPart:
    case Kind::kNumber:
      return absl::StrCat(item.label, ". ");
    case Kind::kLetter:
      return absl::StrCat(item.label, ") ");
    case Kind::kParen:
      return absl::StrCat("(", item.label, ") ");
    case Kind::kDash:
      return "- ";
    default:
      return "";
  }
}

// Steps 3 and 4 over the nested items: which items are tasks, and the
// tasks and body paragraphs of the plan.
class Outline {
 public:
  explicit Outline(std::vector<Item> items) : items_(std::move(items)) {}

  // The parts that hold tasks are those with attribute lines; without any
  // attribute line the text is no plan in prose form.
  absl::Status FindTaskParts() {
    task_part_.assign(items_.size(), false);
    bool any_task = false;
    for (int i = 0; i < static_cast<int>(items_.size()); ++i) {
      if (!items_[i].has_attributes) continue;
      const int part = PartOf(i);
      if (part >= 0) task_part_[part] = true;
      any_task = true;
    }
    if (!any_task) {
      return absl::InvalidArgumentError(
          "line 1: not a plan in prose form: no task is followed by "
          "\"Đơn vị chủ trì:\" or \"Thời gian thực hiện:\"");
    }
    return absl::OkStatus();
  }

  WrittenPlan Write() const {
    WrittenPlan plan;
    plan.format = PlanFormat::kProse;
    for (int i = 0; i < static_cast<int>(items_.size()); ++i) {
      const Item& item = items_[i];
      if (IsTask(i)) {
        plan.tasks.push_back(TaskOf(i, plan.tasks.size()));
      } else {
        plan.body.push_back({item.line, MarkerOf(item) + item.text});
      }
    }
    return plan;
  }

 private:
  int PartOf(int i) const {
    while (i >= 0 && items_[i].kind != Kind::kPart) i = items_[i].parent;
    return i;
  }

  // Leaves of a task part are tasks even without attribute lines (the
  // plan's general tasks), except paragraphs directly under the part
  // heading, which introduce it.
  bool IsTask(int i) const {
    const Item& item = items_[i];
    const int part = PartOf(i);
    const bool in_task_part =
        part >= 0 ? task_part_[part] : item.has_attributes;
    const bool leaf = item.children.empty();
    return item.has_attributes ||
           (in_task_part && leaf && item.kind != Kind::kPart &&
            !(item.parent >= 0 && items_[item.parent].kind == Kind::kPart));
  }

  // The position of an item among its parent's children of its kind, from 1.
  int IndexInParent(int child) const {
    const Item& parent = items_[items_[child].parent];
    int position = 0;
    for (int sibling : parent.children) {
      if (items_[sibling].kind == items_[child].kind) ++position;
      if (sibling == child) break;
    }
    return position;
  }

  WrittenTask TaskOf(int i, size_t tasks_before) const {
    const Item& item = items_[i];
    WrittenTask task;
    task.line = item.line;
    task.title = item.text;
    task.lead = item.lead.empty() ? item.performer : item.lead;
    if (!item.lead.empty() && !item.performer.empty()) {
      Append(task.coordinators, item.performer);
    }
    Append(task.coordinators, item.coordinators);
    task.timeframe = item.timeframe;
    const int dash_heading = PlaceTask(i, task);
    NumberTask(i, dash_heading, tasks_before, task);
    return task;
  }

  // Section: the numbered and lettered headings above the task. Returns
  // the nearest dash heading above it, or -1.
  int PlaceTask(int i, WrittenTask& task) const {
    std::vector<std::string> section;
    std::string section_title;
    int dash_heading = -1;
    for (int a = items_[i].parent; a >= 0; a = items_[a].parent) {
      const Item& ancestor = items_[a];
      if (ancestor.kind == Kind::kNumber || ancestor.kind == Kind::kLetter) {
        section.insert(section.begin(), ancestor.label);
        if (section_title.empty()) section_title = ancestor.text;
      } else if (ancestor.kind == Kind::kDash && dash_heading < 0) {
        dash_heading = a;
      }
    }
    task.section = absl::StrJoin(section, ".");
    task.section_title = section_title;
    return dash_heading;
  }

  // Number: the position under the nearest heading.
  void NumberTask(int i, int dash_heading, size_t tasks_before,
                  WrittenTask& task) const {
    const Item& item = items_[i];
    std::string own;
    if (item.kind == Kind::kLetter || item.kind == Kind::kParen ||
        item.kind == Kind::kNumber) {
      own = item.label;
    } else if (item.parent >= 0) {
      own = absl::StrCat(IndexInParent(i));
    } else {
      own = absl::StrCat(tasks_before + 1);
    }
    if (dash_heading >= 0 && items_[dash_heading].parent >= 0) {
      task.subsection_title = items_[dash_heading].text;
      task.number = absl::StrCat(IndexInParent(dash_heading), ".", own);
    } else {
      task.number = own;
    }
    if (item.kind == Kind::kLetter && item.parent >= 0 &&
        items_[item.parent].kind == Kind::kNumber) {
      // "1. Nhiệm vụ chung / a) ...": the section is the number alone.
      task.section = items_[item.parent].label;
      task.section_title = items_[item.parent].text;
    }
  }

  const std::vector<Item> items_;
  std::vector<bool> task_part_;
};

}  // namespace

absl::StatusOr<WrittenPlan> ReadProsePlan(absl::string_view text) {
  ItemReader reader;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    if (absl::Status read = reader.ReadLine(raw); !read.ok()) return read;
  }
  std::vector<Item> items = std::move(reader).Finish();
  Nest(items);
  Outline outline(std::move(items));
  if (absl::Status found = outline.FindTaskParts(); !found.ok()) return found;
  return outline.Write();
}

}  // namespace tiendo::plantext
