#!/usr/bin/env bash
# deploy/local/up on spare ports, a Python client generated from protos/
# calling every service, their metrics endpoints, then deploy/local/down
# stopping exactly what up started.
set -euo pipefail
root=$1
state=$(mktemp -d /tmp/tiendo-pytest-XXXXXX)
# Fixed ports below the kernel's ephemeral range (32768 and up), which the
# other tests running beside this one draw their free ports from.
export TIENDO_STATE_DIR=$state TIENDO_KAFKA_PORT=29192 TIENDO_PORT_BASE=26051
trap '"$root/deploy/local/down" >/dev/null 2>&1; rm -rf "$state"' EXIT

"$root/deploy/local/up" || { tail -n 20 "$state"/logs/*.log >&2; exit 1; }
# Debian's python3 (python3-grpcio), not whatever python3 is first on PATH.
/usr/bin/python3 "$root/tools/pyclient/check_services.py" --port-base 26051 \
  --tls-ca "$state/tls/ca.pem" --token-file "$state/admin.token"
# Each service's /metrics is on its gRPC port + 1000 and counted those calls.
for port in 27051 27052 27053 27054; do
  page=$(curl -fsS "http://127.0.0.1:$port/metrics")
  grep -q '^tiendo_grpc_server_handled_total{' <<<"$page" ||
    { echo "no RPC counts on http://127.0.0.1:$port/metrics" >&2; exit 1; }
done
pids=$(cat "$state"/run/*.pid)
"$root/deploy/local/down"
for pid in $pids; do
  if [ -d "/proc/$pid" ]; then
    echo "process $pid still running after down" >&2
    exit 1
  fi
done
echo "local deploy and python client: ok"
