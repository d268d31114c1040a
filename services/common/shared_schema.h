#ifndef TIENDO_SERVICES_COMMON_SHARED_SCHEMA_H_
#define TIENDO_SERVICES_COMMON_SHARED_SCHEMA_H_

namespace tiendo {

// The tables of the shared adapters, as they first shipped. Each service's
// database schema (its numbered migrations) creates them; the adapters
// create them too when missing, for databases of their own (tests, tools).

// The outbox and the per-source event sequence (plan and progress).
extern const char kOutboxTablesSql[];
// Where each consumer goes on reading (every service).
extern const char kConsumerOffsetsTableSql[];
// Records no consumer can use, queued for the dead-letter topic.
extern const char kDeadLettersTableSql[];
// Per account, the lowest token generation still valid: the revocations a
// service learnt from tiendo.account-changed.v1 (every service but plan).
extern const char kTokenGenerationsTableSql[];

}  // namespace tiendo

#endif  // TIENDO_SERVICES_COMMON_SHARED_SCHEMA_H_
