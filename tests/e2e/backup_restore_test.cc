// End to end: tiendo-backup copies the four stores while progress reports
// are being written, and a fresh stack started on the restored copies
// answers as the original did at the backup's instant: every report
// acknowledged before the backup started is there, none twice.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/enum_words.h"
#include "services/common/page_loop.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
constexpr char kLoadedTask[] = "vinh-thuy:1199-KH-UBND#I.2";
const char* const kStores[] = {"plan", "progress", "notification",
                               "aggregation"};

struct Ran {
  int exit_code = -1;
  std::string output;
};

// Runs tiendo-backup with `args`, its standard output captured.
Ran Backup(const std::string& args) {
  const std::string command =
      absl::StrCat(TIENDO_BIN_DIR, "/tiendo-backup ", args, " 2>&1");
  Ran ran;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return ran;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    ran.output.append(buffer, n);
  }
  const int status = pclose(pipe);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

// Reports on kLoadedTask, one after the other, until stopped; remembers
// which were acknowledged.
class ReportLoad {
 public:
  explicit ReportLoad(Stack& stack) : stack_(stack) {}
  ~ReportLoad() { Stop(); }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::set<std::string> Acknowledged() const {
    absl::MutexLock lock(&mu_);
    return acknowledged_;
  }
  size_t Count() const { return Acknowledged().size(); }

 private:
  void Run() {
    auto progress = stack_.Progress();
    // Bounded: the test stops it long before.
    for (int i = 0; i < 5000 && !stop_; ++i) {
      v1::ReportProgressRequest request;
      request.set_task_id(kLoadedTask);
      request.set_agency("vinhthuy.kinhte");
      request.set_status(v1::TASK_STATUS_IN_PROGRESS);
      // The same percent every time: the roll-up is the same whichever
      // report is the last one a copy holds.
      request.set_percent(40);
      request.set_note(absl::StrCat("load ", i));
      request.set_request_id(absl::StrCat("load-", i));
      grpc::ClientContext context;
      SetDeadline(context);
      v1::ReportProgressResponse response;
      if (progress->ReportProgress(&context, request, &response).ok()) {
        absl::MutexLock lock(&mu_);
        acknowledged_.insert(request.request_id());
      }
    }
  }

  Stack& stack_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  std::set<std::string> acknowledged_;
};

std::vector<v1::ProgressReport> Reports(Stack& stack) {
  v1::ListReportsRequest request;
  request.set_task_id(kLoadedTask);
  v1::ListReportsResponse all;
  auto progress = stack.Progress();
  EXPECT_TRUE(
      MergeAllPages(
          request, &all,
          [&](grpc::ClientContext* context, const v1::ListReportsRequest& r,
              v1::ListReportsResponse* response) {
            return progress->ListReports(context, r, response);
          },
          [](grpc::ClientContext& context) { SetDeadline(context); })
          .ok());
  return {all.reports().begin(), all.reports().end()};
}

std::string Plans(Stack& stack) {
  v1::ListPlansResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  EXPECT_TRUE(stack.Plan()
                  ->ListPlans(&context, v1::ListPlansRequest(), &response)
                  .ok());
  return response.SerializeAsString();
}

v1::StatusCounts Totals(Stack& stack) {
  v1::GetRollupRequest request;
  request.set_unit("vinh-thuy");
  v1::GetRollupResponse rollup;
  grpc::ClientContext context;
  SetDeadline(context);
  if (!stack.Aggregation()->GetRollup(&context, request, &rollup).ok()) {
    return v1::StatusCounts();
  }
  return rollup.rollup().totals();
}

// Every notification of the plan's agencies, in order.
std::vector<std::string> Inboxes(Stack& stack) {
  std::vector<std::string> all;
  for (const char* agency :
       {"vinhthuy.congan", "vinhthuy.hcc", "vinhthuy.kinhte", "vinhthuy.mttq",
        "vinhthuy.tct", "vinhthuy.tramyte", "vinhthuy.vhxh"}) {
    for (const v1::Notification& n : stack.Inbox(agency)) {
      all.push_back(absl::StrCat(n.id(), " ", n.agency(), " ",
                                 EnumWord(n.kind()), " ", n.task_id()));
    }
  }
  return all;
}

TEST(BackupRestoreTest, RestoredStackAnswersAsAtTheBackup) {
  Stack original("2026-05-20T08:00:00+07:00");
  ASSERT_TRUE(original.Start()) << "logs in " << original.dir();
  grpc::ClientContext context;
  SetDeadline(context);
  v1::CreatePlanResponse plan;
  ASSERT_TRUE(
      original.Plan()->CreatePlan(&context, ExamplePlanRequest(), &plan).ok());
  ASSERT_TRUE(WaitUntil(
      [&] { return original.TaskState(absl::StrCat(kPlan, "#VI.1")).ok(); }));
  // III.4 was due 10/05: its overdue notice is in the inbox before the
  // load starts, and the load adds none.
  ASSERT_TRUE(WaitUntil([&] { return !Inboxes(original).empty(); }));

  ReportLoad load(original);
  load.Start();
  ASSERT_TRUE(WaitUntil([&] { return load.Count() >= 20; }));
  const std::set<std::string> before = load.Acknowledged();
  const std::string backups = absl::StrCat(original.dir(), "/backup");
  ASSERT_EQ(mkdir(backups.c_str(), 0700), 0);
  std::vector<std::string> sources;
  for (const char* store : kStores) {
    sources.push_back(absl::StrCat(original.dir(), "/", store, ".db"));
  }
  const Ran backup = Backup(absl::StrCat(
      "--json backup ", absl::StrJoin(sources, " "), " ", backups));
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_THAT(backup.output, HasSubstr("\"ok\":true"));
  EXPECT_THAT(backup.output, HasSubstr("progress.db\",\"pages\":"));
  // The writes went on during the copy.
  const size_t after_backup = load.Count();
  ASSERT_TRUE(WaitUntil([&] { return load.Count() >= after_backup + 5; }));
  load.Stop();
  const std::set<std::string> acknowledged = load.Acknowledged();

  // A store in use is never overwritten.
  const Ran refused =
      Backup(absl::StrCat("restore ", backups, "/progress.db ", sources[1]));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.output, HasSubstr("is in use"));

  Stack restored("2026-05-20T08:00:00+07:00");
  for (const char* store : kStores) {
    const Ran r =
        Backup(absl::StrCat("--json restore ", backups, "/", store, ".db ",
                            restored.dir(), "/", store, ".db"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  ASSERT_TRUE(restored.Start()) << "logs in " << restored.dir();

  // Every report acknowledged before the backup started, none twice, none
  // that was never sent; the task's state counts exactly those.
  const std::vector<v1::ProgressReport> reports = Reports(restored);
  std::set<std::string> ids;
  for (const v1::ProgressReport& r : reports) {
    EXPECT_TRUE(ids.insert(r.request_id()).second) << r.request_id();
    EXPECT_TRUE(acknowledged.count(r.request_id())) << r.request_id();
  }
  for (const std::string& id : before) EXPECT_TRUE(ids.count(id)) << id;
  EXPECT_LT(reports.size(), acknowledged.size());
  v1::TaskState state;
  ASSERT_TRUE(restored.TaskState(kLoadedTask, &state).ok());
  EXPECT_EQ(state.version(), reports.size());

  EXPECT_EQ(Plans(restored), Plans(original));
  EXPECT_TRUE(WaitUntil([&] { return Inboxes(restored) == Inboxes(original); }))
      << absl::StrJoin(Inboxes(restored), "\n");
  const v1::StatusCounts totals = Totals(original);
  EXPECT_TRUE(WaitUntil([&] {
    return Totals(restored).SerializeAsString() == totals.SerializeAsString();
  })) << Totals(restored).DebugString();
}

}  // namespace
}  // namespace tiendo::testing
