#ifndef TIENDO_SERVICES_COMMON_EVENT_SIGNATURE_H_
#define TIENDO_SERVICES_COMMON_EVENT_SIGNATURE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace tiendo {

// Events are signed by the service that owns their topic, so a consumer
// applies only what that service wrote: a record produced by anyone else
// who reaches the broker (a forged TaskUpdated, a DeadlineApproaching with
// a phishing link) is dead-lettered with the reason. Each producing service
// signs the record's value (ECDSA P-256, SHA-256, through OpenSSL) and sends
// its name and the signature as record headers.
inline constexpr char kSignerHeader[] = "tiendo-signer";
inline constexpr char kSignatureHeader[] = "tiendo-signature";

class EventSigner {
 public:
  // `name`: the signing service ("plan", "progress"); `pem`: its EC P-256
  // private key.
  static absl::StatusOr<std::unique_ptr<EventSigner>> FromPem(
      std::string name, absl::string_view pem);
  static absl::StatusOr<std::unique_ptr<EventSigner>> FromPemFile(
      std::string name, const std::string& path);
  ~EventSigner();

  // The signature of a record's value.
  absl::StatusOr<std::string> Sign(absl::string_view value) const;
  const std::string& name() const { return name_; }

 private:
  EventSigner(std::string name, void* key)
      : name_(std::move(name)), key_(key) {}
  std::string name_;
  void* key_;  // EVP_PKEY, kept out of this header
};

class EventVerifier {
 public:
  // `keys`: signer name -> PEM public key; `owners`: topic -> the signer
  // whose records it carries.
  static absl::StatusOr<std::unique_ptr<EventVerifier>> FromPems(
      const std::map<std::string, std::string>& keys,
      const std::map<std::string, std::string>& owners);
  // "plan=FILE" entries, as the --event_keys flag gives them.
  static absl::StatusOr<std::unique_ptr<EventVerifier>> FromFlag(
      const std::vector<std::string>& entries,
      const std::map<std::string, std::string>& owners);
  ~EventVerifier();

  // Why a record of `topic` must not be applied ("" when its signer is the
  // topic's owner and the signature verifies). A topic with no owner
  // listed needs no signature.
  std::string Rejection(absl::string_view topic, absl::string_view signer,
                        absl::string_view signature,
                        absl::string_view value) const;

 private:
  EventVerifier() = default;
  std::map<std::string, void*> keys_;  // signer -> EVP_PKEY
  std::map<std::string, std::string, std::less<>> owners_;
};

// The owner of each topic tiendo's services consume: plan-changed and
// deadline-approaching are the plan service's, task-updated the progress
// service's.
std::map<std::string, std::string> TopicOwners();

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_EVENT_SIGNATURE_H_
