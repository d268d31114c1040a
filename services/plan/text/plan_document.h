#ifndef TIENDO_SERVICES_PLAN_TEXT_PLAN_DOCUMENT_H_
#define TIENDO_SERVICES_PLAN_TEXT_PLAN_DOCUMENT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiendo/v1/plan.pb.h"

namespace tiendo::plantext {

// How a plan's tasks are written.
enum class PlanFormat {
  kAuto,
  // The appendix table as pasted from the signed document: tab-separated,
  // headers repeated at page breaks, HTML inside cells.
  kTable,
  // A spreadsheet export with the same seven columns.
  kCsv,
  // Task bullets followed by "+ Đơn vị chủ trì:" lines.
  kProse,
};

absl::StatusOr<PlanFormat> ParsePlanFormat(absl::string_view name);
absl::string_view PlanFormatName(PlanFormat format);
// The API's names of the formats: kAuto is PLAN_FORMAT_UNSPECIFIED.
v1::PlanFormat PlanFormatToProto(PlanFormat format);
PlanFormat PlanFormatFromProto(v1::PlanFormat format);

// One task as written, before anything is interpreted. Cell texts are plain
// text (HTML removed), paragraphs separated by '\n'.
struct WrittenTask {
  // 1-based line of the task's first row or bullet, for error messages.
  int line = 0;
  std::string section;        // "I", "2.b"
  std::string section_title;  // "CẢI CÁCH TTHC GẮN VỚI ĐỀ ÁN 06"
  std::string subsection_title;
  std::string number;  // "3", "2.1", "a"
  std::string title;
  std::string documents;
  std::string lead;
  std::string coordinators;
  std::string timeframe;
  std::string result;
};

// A paragraph of the plan outside the task list, kept for the header and
// for obligations written in the body.
struct BodyParagraph {
  int line = 0;
  std::string text;
};

// A plan document split into its parts.
struct WrittenPlan {
  PlanFormat format = PlanFormat::kAuto;
  // Lines before the task list (and, for prose, the other parts), as
  // paragraphs.
  std::vector<BodyParagraph> body;
  std::vector<WrittenTask> tasks;
};

// Chooses the format from the text: a tab-separated row with the seven
// column titles means kTable, a comma- or semicolon-separated one kCsv,
// "Đơn vị chủ trì:" lines kProse. InvalidArgument when none fits.
absl::StatusOr<PlanFormat> DetectFormat(absl::string_view text);

// Reads a document in the given format. Errors are InvalidArgument with
// "line N: ..." naming what is wrong.
absl::StatusOr<WrittenPlan> ReadTablePlan(absl::string_view text);
absl::StatusOr<WrittenPlan> ReadCsvPlan(absl::string_view text);
absl::StatusOr<WrittenPlan> ReadProsePlan(absl::string_view text);

// HTML inside a table cell to plain text: </p>, <br>, </li> end a line,
// other tags are dropped, entities decoded, spaces collapsed, lines trimmed.
std::string CellText(absl::string_view html);

}  // namespace tiendo::plantext

#endif  // TIENDO_SERVICES_PLAN_TEXT_PLAN_DOCUMENT_H_
