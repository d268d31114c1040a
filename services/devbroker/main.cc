// tiendo-devbroker: the embedded Kafka broker for one machine. It runs
// librdkafka's mock cluster, which speaks the real Kafka protocol, on a fixed
// port and creates tiendo's topics. Like the mock cluster it keeps events in
// memory only (the newest 5 MiB per partition) and forgets them on restart;
// consumers detect that and resync from the owning services.
#include <dlfcn.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/log.h"
#include "services/common/topics.h"

ABSL_FLAG(int, port, 19092, "TCP port the broker listens on (127.0.0.1)");
ABSL_FLAG(int, partitions, 6, "partitions of each topic");
ABSL_FLAG(std::string, topics, absl::StrJoin(tiendo::kAllTopics, ","),
          "comma-separated topics to create");

namespace {

// The port the next listening socket of the mock cluster gets. The mock
// cluster always binds 127.0.0.1 to an ephemeral port and has no setting for
// it; the broker must be at a known address, so the one bind() it makes is
// redirected here. The binary exports bind() (see CMakeLists.txt) so that
// librdkafka's call resolves to this definition.
int requested_port = 0;

}  // namespace

extern "C" int bind(int fd, const struct sockaddr* addr, socklen_t len) {
  using BindFn = int (*)(int, const struct sockaddr*, socklen_t);
  static BindFn real_bind = reinterpret_cast<BindFn>(dlsym(RTLD_NEXT, "bind"));
  if (requested_port != 0 && addr->sa_family == AF_INET &&
      reinterpret_cast<const sockaddr_in*>(addr)->sin_port == 0) {
    sockaddr_in fixed = *reinterpret_cast<const sockaddr_in*>(addr);
    fixed.sin_port = htons(static_cast<uint16_t>(requested_port));
    requested_port = 0;
    // A restarted broker must get its port back despite connections of the
    // previous one lingering in TIME_WAIT.
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    return real_bind(fd, reinterpret_cast<const sockaddr*>(&fixed),
                     sizeof fixed);
  }
  return real_bind(fd, addr, len);
}

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Embedded Kafka broker (librdkafka mock cluster) for tiendo.");
  absl::ParseCommandLine(argc, argv);
  tiendo::InitLogging("devbroker");

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  requested_port = absl::GetFlag(FLAGS_port);
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (rk == nullptr) {
    tiendo::LogError("cannot create the broker handle: %s", err);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(rk, 1);
  if (cluster == nullptr) {
    tiendo::LogError("cannot start the mock cluster (port %d in use?)",
                     absl::GetFlag(FLAGS_port));
    return 1;
  }
  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  const int wanted = absl::GetFlag(FLAGS_port);
  if (wanted != 0 &&
      bootstrap.find(":" + std::to_string(wanted)) == std::string::npos) {
    tiendo::LogError("broker listens on %s, not on port %d (port in use?)",
                     bootstrap, wanted);
    return 1;
  }
  for (absl::string_view topic :
       absl::StrSplit(absl::GetFlag(FLAGS_topics), ',', absl::SkipEmpty())) {
    const std::string name(topic);
    rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(
        cluster, name.c_str(), absl::GetFlag(FLAGS_partitions), 1);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      tiendo::LogError("cannot create topic %s: %s", name, rd_kafka_err2str(e));
      return 1;
    }
  }
  // The first line on stdout is the bootstrap address: scripts and tests
  // wait for it.
  std::printf("%s\n", bootstrap.c_str());
  std::fflush(stdout);
  tiendo::LogInfo("listening on %s, %d partitions per topic", bootstrap,
                  absl::GetFlag(FLAGS_partitions));

  int signal = 0;
  sigwait(&signals, &signal);
  tiendo::LogInfo("signal %d: stopping", signal);
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
