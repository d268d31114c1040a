#!/usr/bin/env bash
# deploy/local/up on spare ports, a Python client generated from protos/
# calling every service, their metrics endpoints, then deploy/local/down
# stopping exactly what up started.
set -euo pipefail
root=$1
state=$(mktemp -d /tmp/tiendo-pytest-XXXXXX)
export TIENDO_STATE_DIR=$state TIENDO_KAFKA_PORT=29192 TIENDO_PORT_BASE=52051
trap '"$root/deploy/local/down" >/dev/null 2>&1; rm -rf "$state"' EXIT

"$root/deploy/local/up"
# Debian's python3 (python3-grpcio), not whatever python3 is first on PATH.
/usr/bin/python3 "$root/tools/pyclient/check_services.py" --port-base 52051
# Each service's /metrics is on its gRPC port + 1000 and counted those calls.
for port in 53051 53052 53053 53054; do
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
