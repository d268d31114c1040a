#include "tests/support/receivers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace tiendo::testing {

WebhookReceiver::WebhookReceiver() {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd_, 16) != 0) {
    std::perror("webhook receiver: cannot listen on 127.0.0.1");
    std::abort();
  }
  socklen_t len = sizeof(addr);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Serve(); });
}

WebhookReceiver::~WebhookReceiver() {
  stop_ = true;
  thread_.join();
  close(fd_);
}

std::string WebhookReceiver::url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/hook");
}

void WebhookReceiver::SetResponder(Responder responder) {
  absl::MutexLock lock(&mu_);
  responder_ = std::move(responder);
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  absl::MutexLock lock(&mu_);
  return requests_;
}

void WebhookReceiver::Serve() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int conn = accept(fd_, nullptr, nullptr);
    if (conn < 0) continue;
    Handle(conn);
    close(conn);
  }
}

void WebhookReceiver::Handle(int conn) {
  std::string data;
  size_t header_end = std::string::npos;
  size_t length = 0;
  char buf[4096];
  for (;;) {
    if (header_end != std::string::npos &&
        data.size() >= header_end + 4 + length) {
      break;
    }
    pollfd p{conn, POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return;
    const ssize_t n = read(conn, buf, sizeof(buf));
    if (n <= 0) return;
    data.append(buf, n);
    if (header_end == std::string::npos) {
      header_end = data.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        for (absl::string_view line : absl::StrSplit(
                 absl::string_view(data).substr(0, header_end), "\r\n")) {
          std::vector<absl::string_view> kv =
              absl::StrSplit(line, absl::MaxSplits(':', 1));
          if (kv.size() == 2 &&
              absl::EqualsIgnoreCase(kv[0], "content-length")) {
            (void)absl::SimpleAtoi(absl::StripAsciiWhitespace(kv[1]), &length);
          }
        }
      }
    }
  }
  ReceivedRequest r;
  bool first = true;
  for (absl::string_view line :
       absl::StrSplit(absl::string_view(data).substr(0, header_end), "\r\n")) {
    if (first) {
      first = false;
      continue;
    }
    std::vector<absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits(':', 1));
    if (kv.size() != 2) continue;
    r.headers[absl::AsciiStrToLower(kv[0])] =
        std::string(absl::StripAsciiWhitespace(kv[1]));
  }
  r.body = data.substr(header_end + 4, length);
  int status = 200;
  {
    absl::MutexLock lock(&mu_);
    int previous = 0;
    for (const ReceivedRequest& x : requests_) {
      if (x.headers.count("x-tiendo-delivery") &&
          x.headers.at("x-tiendo-delivery") == r.headers["x-tiendo-delivery"]) {
        ++previous;
      }
    }
    if (responder_) status = responder_(r, previous);
    r.answered = status;
    requests_.push_back(r);
  }
  const std::string reply_body = status >= 400 ? "refused by test" : "ok";
  const std::string reply = absl::StrCat(
      "HTTP/1.1 ", status, " X\r\nContent-Length: ", reply_body.size(),
      "\r\nConnection: close\r\n\r\n", reply_body);
  (void)write(conn, reply.data(), reply.size());
}

std::string HmacSha256ForTest(const std::string& key, const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest,
       &length);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 15];
  }
  return hex;
}

bool SignatureValid(const ReceivedRequest& request, const std::string& secret) {
  auto ts = request.headers.find("x-tiendo-timestamp");
  auto sig = request.headers.find("x-tiendo-signature");
  if (ts == request.headers.end() || sig == request.headers.end()) {
    return false;
  }
  return sig->second ==
         "sha256=" + HmacSha256ForTest(secret, ts->second + "." + request.body);
}

SmtpSink::~SmtpSink() {
  process_.Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool SmtpSink::Start() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::create_directories(dir_, ec);
  port_ = PickFreePort();
  if (!process_.Start(
          "/usr/bin/python3",
          {std::string(TIENDO_SOURCE_DIR) + "/tools/sinks/smtp_sink.py",
           absl::StrCat(port_), dir_},
          dir_ + ".out", dir_ + ".err")) {
    return false;
  }
  return WaitUntil(
      [&] { return absl::StrContains(ReadFile(dir_ + ".out"), "ready"); },
      absl::Seconds(30));
}

std::string SmtpSink::url() const {
  return absl::StrCat("smtp://127.0.0.1:", port_);
}

std::vector<nlohmann::json> SmtpSink::Mails() const {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> mails;
  mails.reserve(files.size());
  for (const auto& path : files) {
    mails.push_back(nlohmann::json::parse(ReadFile(path.string())));
  }
  return mails;
}

std::string SmtpSink::Log() const { return ReadFile(dir_ + ".err"); }

}  // namespace tiendo::testing
