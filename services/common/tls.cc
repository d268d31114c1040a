#include "services/common/tls.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace tiendo {
namespace {

// An empty path reads as empty text; a named file that cannot be read, or
// holds no PEM block, is an error naming it.
absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    const std::string& flag) {
  if (path.empty()) return std::string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat(flag, "=", path, ": cannot read the file"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN ") == std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(flag, "=", path, ": not a PEM file"));
  }
  return text.str();
}

}  // namespace

absl::StatusOr<TlsMaterial> ReadTlsMaterial(const TlsSettings& settings) {
  TlsMaterial material;
  absl::StatusOr<std::string> ca = ReadPem(settings.ca_file, "--tls_ca");
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = ReadPem(settings.cert_file, "--tls_cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(settings.key_file, "--tls_key");
  if (!key.ok()) return key.status();
  if (cert->empty() != key->empty()) {
    return absl::FailedPreconditionError(
        "--tls_cert and --tls_key go together: give both or neither");
  }
  material.ca = *std::move(ca);
  material.cert = *std::move(cert);
  material.key = *std::move(key);
  return material;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsSettings& settings) {
  if (settings.plaintext) return grpc::InsecureServerCredentials();
  absl::StatusOr<TlsMaterial> material = ReadTlsMaterial(settings);
  if (!material.ok()) return material.status();
  if (material->cert.empty()) {
    return absl::FailedPreconditionError(
        "TLS needs --tls_cert and --tls_key (deploy/local/up makes a local "
        "CA and certificates); --plaintext serves without TLS");
  }
  if (settings.require_client_cert && material->ca.empty()) {
    return absl::FailedPreconditionError(
        "--tls_client_auth needs --tls_ca to verify client certificates");
  }
  // Without mutual TLS a certificate is still asked for and verified when
  // presented: the services know each other by theirs.
  grpc::SslServerCredentialsOptions options(
      settings.require_client_cert
          ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
      : material->ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                             : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = material->ca;
  options.pem_key_cert_pairs.push_back({material->key, material->cert});
  return grpc::SslServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentials(
    const TlsSettings& settings) {
  if (settings.plaintext) return grpc::InsecureChannelCredentials();
  absl::StatusOr<TlsMaterial> material = ReadTlsMaterial(settings);
  if (!material.ok()) return material.status();
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = material->ca;
  options.pem_private_key = material->key;
  options.pem_cert_chain = material->cert;
  return grpc::SslCredentials(options);
}

}  // namespace tiendo
