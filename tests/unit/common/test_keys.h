#ifndef TIENDO_TESTS_UNIT_COMMON_TEST_KEYS_H_
#define TIENDO_TESTS_UNIT_COMMON_TEST_KEYS_H_

namespace tiendo::testing {

// A P-256 key pair made with openssl for the unit tests of tokens and event
// signatures.
inline constexpr char kTestPrivateKey[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg360DMcBotAeUD3wX\n"
    "vukB+ZArE5qbMhk+SqU/K6wvuEShRANCAASCg1USeAb+LGzg9aSQh/ljZYUGhtBA\n"
    "fMS1GI3SOt4cDbjR1CFrFk35E5Mh8NxAM5+2XZMFhHqsJ55thH5bRExk\n"
    "-----END PRIVATE KEY-----\n";
inline constexpr char kTestPublicKey[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgoNVEngG/ixs4PWkkIf5Y2WFBobQ\n"
    "QHzEtRiN0jreHA240dQhaxZN+ROTIfDcQDOftl2TBYR6rCeebYR+W0RMZA==\n"
    "-----END PUBLIC KEY-----\n";

}  // namespace tiendo::testing

#endif  // TIENDO_TESTS_UNIT_COMMON_TEST_KEYS_H_
