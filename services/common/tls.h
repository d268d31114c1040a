#ifndef TIENDO_SERVICES_COMMON_TLS_H_
#define TIENDO_SERVICES_COMMON_TLS_H_

#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace tiendo {

// Where a process finds its TLS material (PEM files) and how strict it is.
// Every gRPC port serves TLS unless `plaintext` is set explicitly.
struct TlsSettings {
  bool plaintext = false;
  std::string ca_file;    // CA certificates that sign the peers' certificates
  std::string cert_file;  // this process's certificate chain
  std::string key_file;   // its private key
  // Servers require and verify a client certificate (mutual TLS).
  bool require_client_cert = false;
};

// The PEM texts of the settings' files, read once.
struct TlsMaterial {
  std::string ca;
  std::string cert;
  std::string key;
};

// Reads the files; an error names the file and the flag to fix.
absl::StatusOr<TlsMaterial> ReadTlsMaterial(const TlsSettings& settings);

// The credentials a server listens with: TLS with the certificate and key
// (and client certificates verified against the CA when required), or
// insecure ones when plaintext.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsSettings& settings);

// The credentials a client connects with: TLS verifying the server against
// the CA (the system's roots when no CA is given), presenting the
// certificate when one is given (mutual TLS); insecure when plaintext.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const TlsSettings& settings);

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_TLS_H_
