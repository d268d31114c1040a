// tiendo-backup: copies the stores' SQLite files while the services run
// (SQLite's online backup API), and puts a copy back in place of a stopped
// service's store.
//
//   tiendo-backup [--json] backup SRC DST          one store to a file
//   tiendo-backup [--json] backup SRC... DIR       each store into DIR
//   tiendo-backup [--json] restore BACKUP STORE    refused while in use
#include <sys/stat.h>

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/sqlite_backup.h"

namespace tiendo {
namespace {

constexpr char kUsage[] =
    "usage: tiendo-backup [--json] backup SRC DST\n"
    "       tiendo-backup [--json] backup SRC... DIR\n"
    "       tiendo-backup [--json] restore BACKUP STORE\n";

struct Command {
  bool json = false;
  std::string mode;
  std::vector<std::string> paths;
};

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string Quote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppend(&out, "\\u00", c < 0x10 ? "0" : "",
                      absl::Hex(static_cast<int>(c)));
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string Json(const CopyReport& r) {
  return absl::StrCat("{\"source\":", Quote(r.source),
                      ",\"destination\":", Quote(r.destination),
                      ",\"pages\":", r.pages, ",\"bytes\":", r.bytes,
                      ",\"schema_version\":", r.schema_version,
                      ",\"millis\":", absl::ToInt64Milliseconds(r.took), "}");
}

std::string Text(const std::string& mode, const CopyReport& r) {
  return absl::StrCat(mode, " ", r.source, " -> ", r.destination, ": ", r.pages,
                      " pages, ", r.bytes, " bytes, schema version ",
                      r.schema_version, ", ", absl::FormatDuration(r.took));
}

// Pairs (source, destination) the command names, or why it is wrong.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> Copies(
    const Command& c) {
  if (c.paths.size() < 2 || (c.mode != "backup" && c.mode != "restore") ||
      (c.mode == "restore" && c.paths.size() != 2)) {
    return absl::InvalidArgumentError(kUsage);
  }
  const std::string& last = c.paths.back();
  std::vector<std::pair<std::string, std::string>> copies;
  if (c.mode == "backup" && IsDirectory(last)) {
    for (size_t i = 0; i + 1 < c.paths.size(); ++i) {
      copies.emplace_back(c.paths[i], last + "/" + BaseName(c.paths[i]));
    }
  } else if (c.paths.size() == 2) {
    copies.emplace_back(c.paths[0], last);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(last, " is not a directory\n", kUsage));
  }
  return copies;
}

int Run(const Command& c) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> copies =
      Copies(c);
  if (!copies.ok()) {
    std::fputs(std::string(copies.status().message()).c_str(), stderr);
    return 2;
  }
  std::vector<std::string> done;
  std::string error;
  for (const auto& [from, to] : *copies) {
    absl::StatusOr<CopyReport> r = c.mode == "backup"
                                       ? BackupDatabase(from, to)
                                       : RestoreDatabase(from, to);
    if (!r.ok()) {
      error = std::string(r.status().message());
      break;
    }
    done.push_back(c.json ? Json(*r) : Text(c.mode, *r));
  }
  if (c.json) {
    std::printf("{\"mode\":%s,\"ok\":%s,\"databases\":[%s]%s}\n",
                Quote(c.mode).c_str(), error.empty() ? "true" : "false",
                absl::StrJoin(done, ",").c_str(),
                error.empty() ? "" : (",\"error\":" + Quote(error)).c_str());
  } else {
    for (const std::string& line : done) std::printf("%s\n", line.c_str());
  }
  if (!error.empty())
    std::fprintf(stderr, "tiendo-backup: %s\n", error.c_str());
  return error.empty() ? 0 : 1;
}

}  // namespace
}  // namespace tiendo

int main(int argc, char** argv) {
  tiendo::Command command;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      command.json = true;
    } else if (arg == "--help" || arg == "-h") {
      std::fputs(tiendo::kUsage, stdout);
      return 0;
    } else if (command.mode.empty()) {
      command.mode = arg;
    } else {
      command.paths.push_back(arg);
    }
  }
  return tiendo::Run(command);
}
