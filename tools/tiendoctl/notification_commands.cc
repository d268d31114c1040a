#include "tools/tiendoctl/notification_commands.h"

#include <iostream>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/clock.h"
#include "services/common/enum_words.h"
#include "services/common/proto_convert.h"
#include "tiendo/v1/notification.grpc.pb.h"
#include "tools/tiendoctl/cli.h"

ABSL_FLAG(std::string, id, "", "subscription id, unique per agency");
ABSL_FLAG(std::string, channel, "", "webhook | email | inbox");
ABSL_FLAG(std::string, address, "",
          "webhook URL (http/https) or e-mail address");
ABSL_FLAG(std::string, secret, "", "webhook signing secret (HMAC-SHA256)");
ABSL_FLAG(std::vector<std::string>, kinds, {},
          "notification kinds, comma-separated (reminder, overdue, blocked, "
          "at_risk, difficulty, report_due, digest); empty: all");
ABSL_FLAG(std::string, quiet, "",
          "quiet hours, local time FROM-UNTIL, e.g. 22:00-06:30");
ABSL_FLAG(std::string, digest_at, "",
          "daily digest at this local time (07:30) instead of one message "
          "each");
ABSL_FLAG(std::string, language, "", "vi (default) or en");
ABSL_FLAG(std::string, state, "", "pending | sent | failed | dead");
ABSL_FLAG(std::vector<std::string>, ids, {},
          "notification ids, comma-separated");

ABSL_DECLARE_FLAG(bool, json);
ABSL_DECLARE_FLAG(std::string, agency);
ABSL_DECLARE_FLAG(std::string, notification_service);

namespace tiendo::cli {
namespace {

std::unique_ptr<v1::NotificationService::Stub> Stub() {
  return v1::NotificationService::NewStub(
      Channel(absl::GetFlag(FLAGS_notification_service)));
}

std::string ChannelName(v1::Channel channel) {
  switch (channel) {
    case v1::CHANNEL_INBOX:
      return "inbox";
    case v1::CHANNEL_WEBHOOK:
      return "webhook";
    case v1::CHANNEL_EMAIL:
      return "email";
    default:
      return "?";
  }
}

std::string StateName(v1::Delivery::State state) {
  return absl::AsciiStrToLower(
      absl::StripPrefix(v1::Delivery::State_Name(state), "STATE_"));
}

// "reminder,overdue".
std::string KindWords(const v1::Subscription& s) {
  return absl::StrJoin(s.kinds(), ",", [](std::string* out, int kind) {
    out->append(EnumWord(static_cast<v1::NotificationKind>(kind)));
  });
}

}  // namespace

std::string SubscriptionFromFlags(v1::Subscription& s) {
  s.set_agency(absl::GetFlag(FLAGS_agency));
  s.set_id(absl::GetFlag(FLAGS_id));
  const std::string channel =
      absl::AsciiStrToLower(absl::GetFlag(FLAGS_channel));
  if (channel == "webhook") {
    s.set_channel(v1::CHANNEL_WEBHOOK);
  } else if (channel == "email" || channel == "e-mail") {
    s.set_channel(v1::CHANNEL_EMAIL);
  } else if (channel == "inbox") {
    s.set_channel(v1::CHANNEL_INBOX);
  } else {
    return absl::StrCat("--channel=", channel, ": use webhook, email or inbox");
  }
  s.set_address(absl::GetFlag(FLAGS_address));
  s.set_secret(absl::GetFlag(FLAGS_secret));
  for (const std::string& kind : absl::GetFlag(FLAGS_kinds)) {
    if (kind.empty()) continue;
    std::optional<v1::NotificationKind> value =
        EnumFromWord<v1::NotificationKind>(kind);
    if (!value) {
      return absl::StrCat("--kinds=", kind, ": unknown kind; use ",
                          EnumWords<v1::NotificationKind>());
    }
    s.add_kinds(*value);
  }
  if (const std::string quiet = absl::GetFlag(FLAGS_quiet); !quiet.empty()) {
    const std::vector<std::string> parts = absl::StrSplit(quiet, '-');
    if (parts.size() != 2) {
      return absl::StrCat("--quiet=", quiet,
                          ": use FROM-UNTIL, e.g. 22:00-06:30");
    }
    s.set_quiet_from(parts[0]);
    s.set_quiet_until(parts[1]);
  }
  s.set_digest_at(absl::GetFlag(FLAGS_digest_at));
  s.set_language(absl::GetFlag(FLAGS_language));
  return "";
}

int Subscribe() {
  if (absl::GetFlag(FLAGS_agency).empty() || absl::GetFlag(FLAGS_id).empty()) {
    return Usage("subscribe needs --agency, --id and --channel");
  }
  v1::SetSubscriptionRequest request;
  if (std::string why = SubscriptionFromFlags(*request.mutable_subscription());
      !why.empty()) {
    return Usage(why);
  }
  grpc::ClientContext context;
  SetDeadline(context);
  v1::SetSubscriptionResponse response;
  if (grpc::Status s = Stub()->SetSubscription(&context, request, &response);
      !s.ok()) {
    return RpcFailed("subscribe", s);
  }
  v1::Subscription& stored = *response.mutable_subscription();
  if (absl::GetFlag(FLAGS_json)) {
    stored.clear_secret();
    PrintJson(stored);
    return 0;
  }
  std::cout << "subscribed " << stored.agency() << " " << stored.id() << " ("
            << ChannelName(stored.channel()) << ")\n";
  return 0;
}

int Subscriptions() {
  if (absl::GetFlag(FLAGS_agency).empty()) {
    return Usage("subscriptions needs --agency");
  }
  v1::ListSubscriptionsRequest request;
  request.set_agency(absl::GetFlag(FLAGS_agency));
  v1::ListSubscriptionsResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return Stub()->ListSubscriptions(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("subscriptions", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  if (response.subscriptions().empty()) {
    std::cout << "no subscriptions for " << request.agency() << "\n";
  }
  for (const v1::Subscription& s : response.subscriptions()) {
    std::cout << absl::StrFormat(
        "%-16s %-8s %s  kinds=%s%s%s lang=%s\n", s.id(),
        ChannelName(s.channel()), s.address().empty() ? "-" : s.address(),
        s.kinds().empty() ? "all" : KindWords(s),
        s.quiet_from().empty()
            ? ""
            : absl::StrCat(" quiet=", s.quiet_from(), "-", s.quiet_until()),
        s.digest_at().empty() ? "" : absl::StrCat(" digest=", s.digest_at()),
        s.language());
  }
  return 0;
}

int Unsubscribe() {
  if (absl::GetFlag(FLAGS_agency).empty() || absl::GetFlag(FLAGS_id).empty()) {
    return Usage("unsubscribe needs --agency and --id");
  }
  v1::DeleteSubscriptionRequest request;
  request.set_agency(absl::GetFlag(FLAGS_agency));
  request.set_id(absl::GetFlag(FLAGS_id));
  v1::DeleteSubscriptionResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  if (grpc::Status s = Stub()->DeleteSubscription(&context, request, &response);
      !s.ok()) {
    return RpcFailed("unsubscribe", s);
  }
  if (!absl::GetFlag(FLAGS_json)) {
    std::cout << "unsubscribed " << request.agency() << " " << request.id()
              << "\n";
  }
  return 0;
}

int Deliveries() {
  if (absl::GetFlag(FLAGS_agency).empty()) {
    return Usage("deliveries needs --agency");
  }
  v1::ListDeliveriesRequest request;
  request.set_agency(absl::GetFlag(FLAGS_agency));
  if (const std::string state = absl::GetFlag(FLAGS_state); !state.empty()) {
    v1::Delivery::State parsed;
    if (!v1::Delivery::State_Parse(
            absl::StrCat("STATE_", absl::AsciiStrToUpper(state)), &parsed) ||
        parsed == v1::Delivery::STATE_UNSPECIFIED) {
      return Usage(absl::StrCat("--state=", state,
                                ": use pending, sent, failed or dead"));
    }
    request.set_state(parsed);
  }
  v1::ListDeliveriesResponse response;
  if (grpc::Status s = ListAll(request, &response,
                               [&](auto* c, const auto& r, auto* out) {
                                 return Stub()->ListDeliveries(c, r, out);
                               });
      !s.ok()) {
    return RpcFailed("deliveries", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
    return 0;
  }
  if (response.deliveries().empty()) {
    std::cout << "no deliveries for " << request.agency() << "\n";
  }
  for (const v1::Delivery& d : response.deliveries()) {
    std::string when;
    if (d.state() == v1::Delivery::STATE_SENT) {
      when = absl::StrCat("sent ", FormatLocal(FromProto(d.sent_at())));
    } else if (d.state() != v1::Delivery::STATE_DEAD) {
      when = absl::StrCat("next ", FormatLocal(FromProto(d.next_attempt_at())));
    }
    std::cout << absl::StrFormat(
        "#%d %-7s %-8s %s attempts=%d %s\n    %s%s\n", d.notification_id(),
        StateName(d.state()), ChannelName(d.channel()), d.subscription_id(),
        d.attempts(), when, d.delivery_key(),
        d.last_error().empty() ? "" : absl::StrCat("\n    ", d.last_error()));
  }
  return 0;
}

int NotificationsRead() {
  if (absl::GetFlag(FLAGS_agency).empty() || absl::GetFlag(FLAGS_ids).empty()) {
    return Usage("notifications read needs --agency and --ids");
  }
  v1::MarkReadRequest request;
  request.set_agency(absl::GetFlag(FLAGS_agency));
  for (const std::string& text : absl::GetFlag(FLAGS_ids)) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(text, &id)) {
      return Usage(absl::StrCat("--ids: \"", text, "\" is not a number"));
    }
    request.add_ids(id);
  }
  v1::MarkReadResponse response;
  grpc::ClientContext context;
  SetDeadline(context);
  if (grpc::Status s = Stub()->MarkRead(&context, request, &response);
      !s.ok()) {
    return RpcFailed("notifications read", s);
  }
  if (absl::GetFlag(FLAGS_json)) {
    PrintJson(response);
  } else {
    std::cout << "marked " << response.marked() << " read\n";
  }
  return 0;
}

}  // namespace tiendo::cli
