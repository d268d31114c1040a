#!/usr/bin/env bash
# The Kafka ACLs of a tiendo cluster whose brokers authenticate clients
# (SASL_SSL): each service's principal may write only its own topics and
# read only what it consumes; only the plan service writes plan-changed,
# deadline-approaching and account-changed, only the progress service writes task-updated; every
# consumer may write dead letters. Principals: User:tiendo-plan,
# User:tiendo-progress, User:tiendo-notification, User:tiendo-aggregation
# (the sasl.username of each service's --kafka_config_file).
#
#   deploy/kafka/acls.sh BOOTSTRAP [ADMIN_CLIENT_PROPERTIES]
#
# Runs kafka-acls.sh (Apache Kafka's tools on PATH). The services also sign
# their events (--event_signing_key), so a record that got in another way
# is still dead-lettered by every consumer.
set -euo pipefail
bootstrap=${1:?usage: acls.sh BOOTSTRAP [ADMIN_CLIENT_PROPERTIES]}
config=()
[ -n "${2:-}" ] && config=(--command-config "$2")
acl() { kafka-acls.sh --bootstrap-server "$bootstrap" "${config[@]}" --add "$@"; }

write() {  # service topic
  acl --allow-principal "User:tiendo-$1" --operation Write \
    --operation Describe --topic "$2"
  acl --allow-principal "User:tiendo-$1" --operation IdempotentWrite --cluster
}
read_topic() {  # service topic
  acl --allow-principal "User:tiendo-$1" --operation Read \
    --operation Describe --topic "$2"
  acl --allow-principal "User:tiendo-$1" --operation Read \
    --group "tiendo-$1"
}

write plan tiendo.plan-changed.v1
write plan tiendo.deadline-approaching.v1
write progress tiendo.task-updated.v1
write plan tiendo.account-changed.v1
read_topic plan tiendo.task-updated.v1
for t in tiendo.plan-changed.v1 tiendo.account-changed.v1; do
  read_topic progress "$t"
done
for t in tiendo.task-updated.v1 tiendo.deadline-approaching.v1 \
  tiendo.account-changed.v1; do
  read_topic notification "$t"
done
for t in tiendo.plan-changed.v1 tiendo.task-updated.v1 \
  tiendo.account-changed.v1; do
  read_topic aggregation "$t"
done
for s in plan progress notification aggregation; do
  write "$s" tiendo.dlq.v1
done
echo "tiendo ACLs added on $bootstrap"
