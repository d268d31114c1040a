// End to end, with TLS on: watch streams are capped per account and in all,
// and an open stream holds no thread of the service. Streams up to an
// account's cap open; the next one of that account is refused with
// RESOURCE_EXHAUSTED while another account still gets one; with 200 roll-up
// streams open the aggregation service keeps a bounded number of threads,
// and every stream still delivers the roll-up a new report changes.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"
#include "tests/support/stack.h"

namespace tiendo::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kPlan[] = "vinh-thuy:1199-KH-UBND";
constexpr int kRollupCapPerAccount = 100;

// Threads of a process, from /proc/<pid>/status (-1 if unreadable).
int ThreadsOf(pid_t pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    absl::string_view rest = line;
    int threads = 0;
    if (absl::ConsumePrefix(&rest, "Threads:") &&
        absl::SimpleAtoi(absl::StripAsciiWhitespace(rest), &threads)) {
      return threads;
    }
  }
  return -1;
}

// One open server stream of a test client.
template <class Response>
struct OpenStream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<grpc::ClientReader<Response>> reader;
};

// Opens streams for one account over channels of its own, a few streams
// per connection as many clients would.
class Watcher {
 public:
  Watcher(const Stack& stack, const std::string& service,
          const v1::Account& account)
      : address_(stack.Address(service)),
        credentials_(TestCredentials(TestToken(account))) {}

  std::unique_ptr<v1::AggregationService::Stub> Aggregation() {
    return v1::AggregationService::NewStub(NextChannel());
  }
  std::unique_ptr<v1::NotificationService::Stub> Notification() {
    return v1::NotificationService::NewStub(NextChannel());
  }

 private:
  std::shared_ptr<grpc::Channel> NextChannel() {
    if (!channel_ || ++uses_ % 25 == 0) {
      grpc::ChannelArguments args;
      // A connection of its own, not shared with the other channels.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      channel_ = grpc::CreateCustomChannel(address_, credentials_, args);
    }
    return channel_;
  }

  std::string address_;
  std::shared_ptr<grpc::ChannelCredentials> credentials_;
  std::shared_ptr<grpc::Channel> channel_;
  int uses_ = 0;
};

std::unique_ptr<grpc::ClientContext> StreamContext() {
  auto context = std::make_unique<grpc::ClientContext>();
  SetDeadline(*context, absl::Seconds(120));
  return context;
}

OpenStream<v1::WatchRollupResponse> WatchRollup(Watcher& watcher) {
  OpenStream<v1::WatchRollupResponse> stream{StreamContext(), nullptr};
  v1::WatchRollupRequest request;
  request.set_unit("vinh-thuy");
  stream.reader =
      watcher.Aggregation()->WatchRollup(stream.context.get(), request);
  return stream;
}

OpenStream<v1::WatchNotificationsResponse> WatchInbox(Watcher& watcher) {
  OpenStream<v1::WatchNotificationsResponse> stream{StreamContext(), nullptr};
  v1::WatchNotificationsRequest request;
  request.set_agency("vinhthuy.congan");
  stream.reader =
      watcher.Notification()->WatchNotifications(stream.context.get(), request);
  return stream;
}

// A stream the service refused: no message, and the status it ended with.
template <class Response>
grpc::Status Refusal(OpenStream<Response>& stream) {
  Response message;
  EXPECT_FALSE(stream.reader->Read(&message));
  return stream.reader->Finish();
}

template <class Response>
void CloseAll(std::vector<OpenStream<Response>>& streams) {
  for (OpenStream<Response>& s : streams) s.context->TryCancel();
  for (OpenStream<Response>& s : streams) s.reader->Finish().IgnoreError();
  streams.clear();
}

class WatchStreamsTest : public ::testing::Test {
 protected:
  WatchStreamsTest() : stack_("2026-05-20T08:00:00+07:00") {
    stack_.SetExtraFlags("aggregation",
                         {absl::StrCat("--max_watch_streams_per_account=",
                                       kRollupCapPerAccount)});
  }

  void SetUp() override {
    ASSERT_TRUE(stack_.Start())
        << "stack did not start; logs in " << stack_.dir();
    const v1::CreatePlanRequest plan = ExamplePlanRequest();
    grpc::ClientContext context;
    SetDeadline(context);
    v1::CreatePlanResponse created;
    grpc::Status s = stack_.Plan()->CreatePlan(&context, plan, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    const std::string last = absl::StrCat(kPlan, "#VI.1");
    ASSERT_TRUE(WaitUntil([&] { return stack_.TaskState(last).ok(); }));
  }

  Stack stack_;
};

TEST_F(WatchStreamsTest, InboxStreamsAreCappedPerAccount) {
  // III.4 was due 10/05/2026: its overdue notice reaches the commune
  // police's inbox, so every stream of that inbox gets a first message.
  absl::Time next_day;
  std::string err;
  ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, "2026-05-21T08:00:00+07:00",
                              &next_day, &err))
      << err;
  ASSERT_TRUE(stack_.SetClock(next_day));
  ASSERT_TRUE(
      WaitUntil([&] { return !stack_.Inbox("vinhthuy.congan").empty(); }));
  const v1::Account lan = TestAccount("congan.lan", "vinh-thuy",
                                      {v1::ROLE_REPORTER}, {"vinhthuy.congan"});
  const v1::Account hoa = TestAccount("congan.hoa", "vinh-thuy",
                                      {v1::ROLE_REPORTER}, {"vinhthuy.congan"});
  Watcher lan_watcher(stack_, "notification", lan);
  std::vector<OpenStream<v1::WatchNotificationsResponse>> open;
  for (int i = 0; i < 20; ++i) {  // the default cap per account
    open.push_back(WatchInbox(lan_watcher));
    v1::WatchNotificationsResponse first;
    ASSERT_TRUE(open.back().reader->Read(&first)) << "stream " << i;
    EXPECT_GT(first.notification().id(), 0);
  }
  OpenStream<v1::WatchNotificationsResponse> extra = WatchInbox(lan_watcher);
  const grpc::Status refused = Refusal(extra);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(),
              HasSubstr("account congan.lan has 20 open"));
  EXPECT_THAT(refused.error_message(),
              HasSubstr("--max_watch_streams_per_account=20"));

  Watcher hoa_watcher(stack_, "notification", hoa);
  OpenStream<v1::WatchNotificationsResponse> other = WatchInbox(hoa_watcher);
  v1::WatchNotificationsResponse first;
  EXPECT_TRUE(other.reader->Read(&first));
  open.push_back(std::move(other));
  CloseAll(open);
}

TEST_F(WatchStreamsTest, RollupStreamsAreCappedAndHoldNoThreads) {
  const pid_t aggregation = stack_.Pid("aggregation");
  const int threads_before = ThreadsOf(aggregation);
  ASSERT_GT(threads_before, 0);
  const v1::Account an = TestAccount("xem.an", "vinh-thuy", {v1::ROLE_VIEWER});
  const v1::Account binh =
      TestAccount("xem.binh", "quang-tri", {v1::ROLE_VIEWER});
  Watcher an_watcher(stack_, "aggregation", an);
  Watcher binh_watcher(stack_, "aggregation", binh);
  std::vector<OpenStream<v1::WatchRollupResponse>> open;
  v1::WatchRollupResponse message;
  for (int i = 0; i < kRollupCapPerAccount; ++i) {
    open.push_back(WatchRollup(an_watcher));
    ASSERT_TRUE(open.back().reader->Read(&message)) << "stream " << i;
  }
  OpenStream<v1::WatchRollupResponse> extra = WatchRollup(an_watcher);
  const grpc::Status refused = Refusal(extra);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(),
              HasSubstr(absl::StrCat("account xem.an has ",
                                     kRollupCapPerAccount, " open")));
  // Another account still gets its streams: 200 open in all.
  for (int i = 0; i < kRollupCapPerAccount; ++i) {
    open.push_back(WatchRollup(binh_watcher));
    ASSERT_TRUE(open.back().reader->Read(&message)) << "stream " << i;
  }
  const int threads_open = ThreadsOf(aggregation);
  std::cout << "aggregation threads: " << threads_before << " before, "
            << threads_open << " with " << open.size() << " streams open\n";
  EXPECT_LT(threads_open, 60);

  // A report changes the roll-up: every stream sends it.
  v1::ReportProgressRequest report;
  report.set_task_id(absl::StrCat(kPlan, "#I.2"));
  report.set_agency("vinhthuy.kinhte");
  report.set_status(v1::TASK_STATUS_IN_PROGRESS);
  report.set_percent(40);
  report.set_request_id("watch-1");
  ASSERT_TRUE(stack_.Report(report).ok());
  for (OpenStream<v1::WatchRollupResponse>& s : open) {
    // A stream opened while the plan was still arriving may first send
    // the roll-ups before the report; the one with the report comes.
    do {
      ASSERT_TRUE(s.reader->Read(&message));
    } while (message.rollup().reports_applied() == 0);
    EXPECT_EQ(message.rollup().reports_applied(), 1u);
  }
  CloseAll(open);
}

}  // namespace
}  // namespace tiendo::testing
