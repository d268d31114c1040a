// The prose form of a plan: headings, task bullets, and after each task its
// "+ Đơn vị chủ trì:", "+ Đơn vị phối hợp:", "+ Thời gian thực hiện:" lines.
// Text comes from PDF extraction, so lines break mid-sentence, often with
// blank lines in between; only line starts carry structure.
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstring>
#include <optional>
#include <string>
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

// Recognises the marker at the start of a line; fills kind, label and the
// text after the marker.
Item Classify(absl::string_view line) {
  Item item;
  absl::string_view rest = line;
  // Roman part heading: "II. PHÂN CÔNG NHIỆM VỤ".
  {
    const size_t dot = rest.find(". ");
    if (dot != absl::string_view::npos && dot > 0 && dot <= 5) {
      const absl::string_view label = rest.substr(0, dot);
      bool roman = true;
      for (char c : label) roman = roman && absl::StrContains("IVX", c);
      if (roman && ParseRomanOrArabic(label).has_value()) {
        item.kind = Kind::kPart;
        item.label = std::string(label);
        item.text =
            std::string(absl::StripAsciiWhitespace(rest.substr(dot + 1)));
        return item;
      }
      int number = 0;
      if (absl::SimpleAtoi(label, &number) && number > 0 && number < 100) {
        item.kind = Kind::kNumber;
        item.label = std::string(label);
        item.text =
            std::string(absl::StripAsciiWhitespace(rest.substr(dot + 1)));
        return item;
      }
    }
  }
  // "(3) Rà soát ..."
  if (absl::StartsWith(rest, "(")) {
    const size_t close = rest.find(')');
    int number = 0;
    if (close != absl::string_view::npos && close <= 3 &&
        absl::SimpleAtoi(rest.substr(1, close - 1), &number) && number > 0) {
      item.kind = Kind::kParen;
      item.label = std::string(rest.substr(1, close - 1));
      item.text =
          std::string(absl::StripAsciiWhitespace(rest.substr(close + 1)));
      return item;
    }
  }
  // "a) Công tác ...", "đ) Tiếp tục ..."
  {
    const size_t close = rest.find(") ");
    if (close != absl::string_view::npos && close >= 1 && close <= 2) {
      const std::string label = Fold(rest.substr(0, close)).folded;
      if (label.size() == 1 && absl::ascii_islower(label[0])) {
        item.kind = Kind::kLetter;
        item.label = std::string(rest.substr(0, close));
        item.text =
            std::string(absl::StripAsciiWhitespace(rest.substr(close + 1)));
        return item;
      }
    }
  }
  // "- ..." and "+ ...": an attribute line or a bullet. A dash that lost
  // its space in extraction ("-Đơn vị chủ trì:") still marks an attribute
  // line, but not a bullet.
  const bool dash =
      absl::StartsWith(rest, "- ") || absl::StartsWith(rest, "– ");
  const bool bare_dash =
      !dash && (absl::StartsWith(rest, "-") || absl::StartsWith(rest, "–"));
  const bool plus = absl::StartsWith(rest, "+");
  if (dash || bare_dash || plus) {
    absl::string_view body = rest;
    if (!absl::ConsumePrefix(&body, "–")) body.remove_prefix(1);
    body = absl::StripAsciiWhitespace(body);
    const std::string folded = Fold(body.substr(0, 80)).folded;
    const size_t colon = folded.find(':');
    if (colon != std::string::npos && colon < 40) {
      const absl::string_view label =
          absl::string_view(folded).substr(0, colon);
      Attribute attribute = Attribute::kNone;
      if (absl::StartsWith(label, "don vi chu tri") ||
          absl::StartsWith(label, "co quan chu tri")) {
        attribute = Attribute::kLead;
      } else if (absl::StartsWith(label, "don vi phoi hop") ||
                 absl::StartsWith(label, "co quan phoi hop")) {
        attribute = Attribute::kCoordinators;
      } else if (absl::StartsWith(label, "don vi thuc hien")) {
        attribute = Attribute::kPerformer;
      } else if (absl::StartsWith(label, "thoi gian") ||
                 absl::StartsWith(label, "thoi han")) {
        attribute = Attribute::kTimeframe;
      }
      if (attribute != Attribute::kNone) {
        // The colon's byte offset in the original: Fold keeps ':' as is and
        // the folded prefix maps back through the same characters.
        const size_t original_colon = body.find(':');
        item.kind = Kind::kAttribute;
        item.attribute = attribute;
        item.text = std::string(
            absl::StripAsciiWhitespace(body.substr(original_colon + 1)));
        return item;
      }
    }
    if (dash) {
      item.kind = Kind::kDash;
      item.text = std::string(body);
      return item;
    }
  }
  item.kind = Kind::kPlain;
  item.text = std::string(rest);
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

}  // namespace

absl::StatusOr<WrittenPlan> ReadProsePlan(absl::string_view text) {
  // 1. Lines into items: a marker starts an item; other lines continue the
  // current one, except after a short finished line when the next starts
  // with a capital ("- Về pháp lý" then "Thường xuyên rà soát ...").
  std::vector<Item> items;
  // For attribute continuation: the attribute being read, if any.
  std::optional<Item> attribute;
  int attribute_owner = -1;
  std::string previous_line;
  int line_number = 0;
  auto finish_attribute = [&]() {
    if (attribute.has_value() && attribute_owner >= 0) {
      AttachAttribute(items[attribute_owner], *attribute);
    }
    attribute.reset();
  };
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_number;
    const std::string nfc = ToNfc(absl::StripSuffix(raw, "\r"));
    const absl::string_view line = absl::StripAsciiWhitespace(nfc);
    if (line.empty()) continue;
    Item item = Classify(line);
    item.line = line_number;
    const bool new_plain = item.kind == Kind::kPlain &&
                           !previous_line.empty() &&
                           CodePoints(previous_line) < 50 &&
                           !Unfinished(previous_line) && StartsUpper(line);
    previous_line = std::string(line);
    if (item.kind == Kind::kPlain && !new_plain) {
      if (attribute.has_value()) {
        Append(attribute->text, line);
      } else if (!items.empty()) {
        Append(items.back().text, line);
      } else {
        items.push_back(std::move(item));
      }
      continue;
    }
    if (item.kind == Kind::kAttribute) {
      finish_attribute();
      // Attributes belong to the latest item that is not an attribute.
      attribute_owner = items.empty() ? -1 : static_cast<int>(items.size()) - 1;
      if (attribute_owner < 0) {
        return absl::InvalidArgumentError(
            absl::StrFormat("line %d: \"%s\" comes before any task",
                            line_number, line.substr(0, 40)));
      }
      attribute = std::move(item);
      continue;
    }
    finish_attribute();
    items.push_back(std::move(item));
  }
  finish_attribute();

  // 2. Nesting by level.
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

  // 3. The parts that hold tasks are those with attribute lines.
  auto part_of = [&](int i) {
    while (i >= 0 && items[i].kind != Kind::kPart) i = items[i].parent;
    return i;
  };
  std::vector<bool> task_part(items.size(), false);
  bool any_task = false;
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    if (items[i].has_attributes) {
      const int part = part_of(i);
      if (part >= 0) task_part[part] = true;
      any_task = true;
    }
  }
  if (!any_task) {
    return absl::InvalidArgumentError(
        "line 1: not a plan in prose form: no task is followed by "
        "\"Đơn vị chủ trì:\" or \"Thời gian thực hiện:\"");
  }

  WrittenPlan plan;
  plan.format = PlanFormat::kProse;
  for (int i = 0; i < static_cast<int>(items.size()); ++i) {
    const Item& item = items[i];
    const int part = part_of(i);
    const bool in_task_part = part >= 0 ? task_part[part] : item.has_attributes;
    const bool leaf = item.children.empty();
    // Leaves of a task part are tasks even without attribute lines (the
    // plan's general tasks), except paragraphs directly under the part
    // heading, which introduce it.
    const bool is_task =
        item.has_attributes ||
        (in_task_part && leaf && item.kind != Kind::kPart &&
         !(item.parent >= 0 && items[item.parent].kind == Kind::kPart));
    if (!is_task) {
      std::string marker;
      switch (item.kind) {
        case Kind::kPart:
        case Kind::kNumber:
          marker = absl::StrCat(item.label, ". ");
          break;
        case Kind::kLetter:
          marker = absl::StrCat(item.label, ") ");
          break;
        case Kind::kParen:
          marker = absl::StrCat("(", item.label, ") ");
          break;
        case Kind::kDash:
          marker = "- ";
          break;
        default:
          break;
      }
      plan.body.push_back({item.line, absl::StrCat(marker, item.text)});
      continue;
    }
    WrittenTask task;
    task.line = item.line;
    task.title = item.text;
    task.lead = item.lead.empty() ? item.performer : item.lead;
    if (!item.lead.empty() && !item.performer.empty()) {
      Append(task.coordinators, item.performer);
    }
    Append(task.coordinators, item.coordinators);
    task.timeframe = item.timeframe;
    // Section: the numbered and lettered headings above; number: the
    // position under the nearest heading.
    std::vector<std::string> section;
    std::string section_title;
    int dash_heading = -1;
    for (int a = item.parent; a >= 0; a = items[a].parent) {
      const Item& ancestor = items[a];
      if (ancestor.kind == Kind::kNumber || ancestor.kind == Kind::kLetter) {
        section.insert(section.begin(), ancestor.label);
        if (section_title.empty()) section_title = ancestor.text;
      } else if (ancestor.kind == Kind::kDash && dash_heading < 0) {
        dash_heading = a;
      }
    }
    task.section = absl::StrJoin(section, ".");
    task.section_title = section_title;
    auto index_in_parent = [&](int child) {
      const Item& parent = items[items[child].parent];
      int position = 0;
      for (int sibling : parent.children) {
        if (items[sibling].kind == items[child].kind) ++position;
        if (sibling == child) break;
      }
      return position;
    };
    std::string own;
    if (item.kind == Kind::kLetter || item.kind == Kind::kParen ||
        item.kind == Kind::kNumber) {
      own = item.label;
    } else if (item.parent >= 0) {
      own = absl::StrCat(index_in_parent(i));
    } else {
      own = absl::StrCat(plan.tasks.size() + 1);
    }
    if (dash_heading >= 0 && items[dash_heading].parent >= 0) {
      task.subsection_title = items[dash_heading].text;
      task.number = absl::StrCat(index_in_parent(dash_heading), ".", own);
    } else {
      task.number = own;
    }
    if (item.kind == Kind::kLetter && item.parent >= 0 &&
        items[item.parent].kind == Kind::kNumber) {
      // "1. Nhiệm vụ chung / a) ...": the section is the number alone.
      task.section = items[item.parent].label;
      task.section_title = items[item.parent].text;
    }
    plan.tasks.push_back(std::move(task));
  }
  return plan;
}

}  // namespace tiendo::plantext
