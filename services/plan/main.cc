// tiendo-plan: plans, tasks and the deadline scanner.
#include <grpcpp/grpcpp.h>

#include <fstream>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/audit_log.h"
#include "services/common/kafka.h"
#include "services/common/log.h"
#include "services/common/metrics.h"
#include "services/common/outbox.h"
#include "services/common/owner_snapshots.h"
#include "services/common/proto_convert.h"
#include "services/common/resyncer.h"
#include "services/common/service_runtime.h"
#include "services/common/sqlite.h"
#include "services/common/work_calendar.h"
#include "services/plan/account_grpc.h"
#include "services/plan/account_rules.h"
#include "services/plan/account_store.h"
#include "services/plan/deadline_scanner.h"
#include "services/plan/password.h"
#include "services/plan/plan_grpc.h"
#include "services/plan/plan_store.h"
#include "services/plan/reminder_schedule.h"
#include "services/plan/task_status_consumer.h"

ABSL_FLAG(std::string, reminder_lead_days, "7,3,1",
          "days before a work deadline at which reminders go out (a plan's "
          "reminder_policy overrides them)");
ABSL_FLAG(std::string, report_lead_days, "3,1",
          "days before a report's cut-off day (the day after its due date) "
          "at which reminders go out (a plan's reminder_policy overrides "
          "them)");
ABSL_FLAG(int, escalation_days, 7,
          "days an occurrence of a commune's task stays overdue before it "
          "also goes to the standing body of the unit above (the provincial "
          "police); 0: only in plans whose reminder_policy sets "
          "escalation_days");
ABSL_FLAG(std::string, holidays, "",
          "JSON file of public holidays per year, {\"2027\": "
          "[\"2027-01-01\", ...]}, merged with the shipped ones");
ABSL_FLAG(int, scan_interval_ms, 1000, "how often the deadline scanner runs");
ABSL_FLAG(std::string, progress_address, "127.0.0.1:50052",
          "progress service, asked for task states only when the event "
          "stream has a gap");

ABSL_FLAG(std::string, token_signing_key, "",
          "PEM private key the tokens of AccountService are signed with "
          "(its public key goes to every service's --token_keys)");
ABSL_FLAG(std::string, bootstrap_admin, "",
          "when no account exists yet: create this admin account, its "
          "password read from --bootstrap_admin_password_file");
ABSL_FLAG(std::string, bootstrap_admin_password_file, "",
          "file holding the first admin's password (never on a command line)");

namespace tiendo::plan {
namespace {

// The first admin, when the service has no account yet and one is asked
// for: how a new installation gets the account that creates the others.
absl::Status BootstrapAdmin(AccountStore& accounts) {
  const std::string name = absl::GetFlag(FLAGS_bootstrap_admin);
  if (name.empty()) return absl::OkStatus();
  absl::StatusOr<int64_t> count = accounts.Count();
  if (!count.ok()) return count.status();
  if (*count > 0) return absl::OkStatus();
  const std::string path = absl::GetFlag(FLAGS_bootstrap_admin_password_file);
  std::ifstream in(path);
  std::string password;
  if (path.empty() || !std::getline(in, password)) {
    return absl::InvalidArgumentError(
        "--bootstrap_admin_password_file: cannot read the password");
  }
  v1::CreateAccountRequest request;
  request.mutable_account()->set_name(name);
  request.mutable_account()->set_display_name("Quản trị hệ thống");
  request.mutable_account()->set_unit("vn");
  request.mutable_account()->add_roles(v1::ROLE_ADMIN);
  request.set_password(password);
  if (absl::Status s = CheckNewAccount(request); !s.ok()) return s;
  absl::StatusOr<std::string> hash = HashPassword(password);
  if (!hash.ok()) return hash.status();
  StoredAccount admin{.account = request.account(), .password_hash = *hash};
  *admin.account.mutable_created_at() = ToProto(absl::Now());
  if (absl::Status s = accounts.Create(admin); !s.ok()) return s;
  LogInfo("created the first admin account %s", name);
  return absl::OkStatus();
}

// Rebuilds what the plan knows of completion from the progress service.
absl::Status ResyncFromProgress(const Owner& progress, PlanStore& store,
                                Database& db, const Clock& clock) {
  absl::StatusOr<std::vector<v1::TaskState>> states = FetchTaskStates(progress);
  if (!states.ok()) return states.status();
  return db.Transaction([&]() -> absl::Status {
    for (const v1::TaskState& state : *states) {
      if (absl::Status s = store.ApplyTaskState(state, clock.Now()); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<ReminderRules> LoadReminderRules() {
  LeadTimes lead;
  absl::StatusOr<std::vector<int>> work = ParseLeadDays(
      absl::GetFlag(FLAGS_reminder_lead_days), "--reminder_lead_days");
  if (!work.ok()) return work.status();
  absl::StatusOr<std::vector<int>> report = ParseLeadDays(
      absl::GetFlag(FLAGS_report_lead_days), "--report_lead_days");
  if (!report.ok()) return report.status();
  lead.work = *std::move(work);
  lead.report = *std::move(report);
  lead.escalation_days = absl::GetFlag(FLAGS_escalation_days);
  if (lead.escalation_days < 0 || lead.escalation_days > 366) {
    return absl::InvalidArgumentError(
        absl::StrCat("--escalation_days: ", lead.escalation_days,
                     " is not a number of days from 0 to 366"));
  }
  absl::StatusOr<WorkCalendar> calendar =
      WorkCalendar::DefaultWithFile(absl::GetFlag(FLAGS_holidays));
  if (!calendar.ok()) return calendar.status();
  const std::vector<int> years = calendar->Years();
  LogInfo("holidays known for %s",
          years.empty() ? std::string("no year") : absl::StrJoin(years, ", "));
  return ReminderRules(std::move(lead), *std::move(calendar));
}

// The first admin when there is no account yet, and the revocations the
// accounts hold, before any call is served.
absl::Status OpenAccounts(AccountStore& accounts, Revocations& revocations) {
  if (absl::Status s = BootstrapAdmin(accounts); !s.ok()) return s;
  return accounts.LoadRevocations(revocations);
}

// The key AccountService signs tokens with (--token_signing_key).
absl::StatusOr<TokenSigner> LoadTokenSigner() {
  absl::StatusOr<TokenSigner> signer =
      TokenSigner::FromPemFile(absl::GetFlag(FLAGS_token_signing_key));
  if (!signer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--token_signing_key: ", signer.status().message()));
  }
  return signer;
}

MetricCounter RemindersSent() {
  return Metrics::Default().Counter(
      "tiendo_reminders_sent_total",
      "Reminder points announced: DeadlineApproaching events queued "
      "(reminders, overdue and escalation notices).");
}

int Main(int argc, char** argv) {
  BlockShutdownSignals();
  ServiceEnvironment env = InitService(argc, argv, "plan", 50051);

  absl::StatusOr<ReminderRules> rules = LoadReminderRules();
  if (!rules.ok()) {
    LogError("%s", rules.status().message());
    return 2;
  }

  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(env.db_path);
  if (!db.ok()) return Fail(db.status());
  Outbox outbox(**db, "plan", *env.clock);
  PlanStore store(**db, outbox, *std::move(rules));
  // The schema first: migrations create the outbox too.
  if (absl::Status s = store.Init(); !s.ok()) return Fail(s);
  if (absl::Status s = outbox.Init(); !s.ok()) return Fail(s);

  absl::StatusOr<TokenSigner> signer = LoadTokenSigner();
  if (!signer.ok()) return Fail(signer.status());
  AccountStore accounts(**db, outbox);
  Revocations& revocations = env.authenticator->revocations();
  if (absl::Status s = OpenAccounts(accounts, revocations); !s.ok()) {
    return Fail(s);
  }

  absl::StatusOr<std::unique_ptr<KafkaEventSink>> sink = KafkaEventSink::Create(
      env.brokers, "tiendo-plan", env.event_signer.get());
  if (!sink.ok()) return Fail(sink.status());
  OutboxPublisher publisher(outbox, **sink);
  const MetricCounter reminders = RemindersSent();
  DeadlineScanner scanner(
      store, *env.clock, publisher,
      absl::Milliseconds(absl::GetFlag(FLAGS_scan_interval_ms)),
      [reminders](int n) { reminders.Increment(n); });

  const Owner progress{absl::GetFlag(FLAGS_progress_address),
                       env.peer_credentials};
  Resyncer resyncer("task states from progress", [&] {
    return ResyncFromProgress(progress, store, **db, *env.clock);
  });
  TaskStatusConsumer handler(store, *env.clock, resyncer);
  KafkaEventConsumer consumer({.brokers = env.brokers,
                               .group_id = "tiendo-plan",
                               .topics = {kTaskUpdatedTopic},
                               .session_timeout_ms = env.session_timeout_ms,
                               .verifier = env.event_verifier.get(),
                               .signer = env.event_signer.get()},
                              **db, handler);

  PlanGrpcService plan_service(store, publisher, *env.authenticator);
  AccountGrpcService account_service(accounts, *signer, *env.authenticator,
                                     revocations, publisher,
                                     [] { return absl::Now(); });
  // The audit trail, after the store's own schema is in place.
  AuditLog audit(**db, "plan");
  if (absl::Status s = audit.Init(); !s.ok()) return Fail(s);
  audit.Start();
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::StartService(env, {&plan_service, &account_service}, audit,
                               [&scanner] { scanner.ScanNow(); });
  if (!server.ok()) return Fail(server.status());

  publisher.Start();
  resyncer.Start();
  if (absl::Status s = consumer.Start(); !s.ok()) return Fail(s);
  scanner.Start();
  (*server)->ServeWhen([&] {
    return consumer.Ready() && publisher.StuckFor() < env.outbox_stuck_after;
  });
  LogInfo("listening on %s (db %s, kafka %s)", env.listen, env.db_path,
          env.brokers);

  WaitForShutdownSignal();
  (*server)->Shutdown();
  scanner.Stop();
  consumer.Stop();
  resyncer.Stop();
  publisher.Stop();
  return 0;
}

}  // namespace
}  // namespace tiendo::plan

int main(int argc, char** argv) { return tiendo::plan::Main(argc, argv); }
