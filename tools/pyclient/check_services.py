#!/usr/bin/python3
"""Calls every tiendo service through Python stubs generated from protos/.

Generates the code with Debian's protoc and grpc_python_plugin into a
temporary directory, then checks each service's health (SERVING) and makes
one call to each service API. Exit status 0 when all answered.

  tools/pyclient/check_services.py [--port-base 50051] [--tls-ca CA.pem]

The services speak TLS: --tls-ca (default $TIENDO_TLS_CA) is the CA that
signed their certificates, and --token-file (default $TIENDO_TOKEN_FILE) a
signed-in account's token, as deploy/local/up prints them.
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROTOS = os.path.join(ROOT, "protos")


def protoc(include, files, out_dir):
    subprocess.run(
        ["protoc", f"-I{include}", f"--python_out={out_dir}",
         f"--grpc_python_out={out_dir}",
         "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + files,
        check=True)


def generate(out_dir):
    tiendo = sorted(os.path.join("tiendo/v1", n)
                    for n in os.listdir(os.path.join(PROTOS, "tiendo/v1"))
                    if n.endswith(".proto"))
    protoc(PROTOS, tiendo, out_dir)
    # The health proto's Python module would be grpc.health.v1, which the
    # installed grpc package shadows: compile it as a top-level module.
    health_dir = os.path.join(out_dir, "health_proto")
    os.mkdir(health_dir)
    with open(os.path.join(PROTOS, "grpc/health/v1/health.proto")) as src, \
            open(os.path.join(health_dir, "health.proto"), "w") as dst:
        dst.write(src.read())
    protoc(health_dir, ["health.proto"], out_dir)
    sys.path.insert(0, out_dir)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-base", type=int, default=50051)
    parser.add_argument("--tls-ca", default=os.environ.get("TIENDO_TLS_CA"))
    parser.add_argument("--token-file",
                        default=os.environ.get("TIENDO_TOKEN_FILE"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        generate(out)
        import grpc
        import health_pb2
        import health_pb2_grpc
        from tiendo.v1 import (aggregation_pb2, aggregation_pb2_grpc,
                               notification_pb2, notification_pb2_grpc,
                               plan_pb2, plan_pb2_grpc, progress_pb2,
                               progress_pb2_grpc)

        ports = {"plan": args.port_base, "progress": args.port_base + 1,
                 "notification": args.port_base + 2,
                 "aggregation": args.port_base + 3}
        root_certs = None
        if args.tls_ca:
            with open(args.tls_ca, "rb") as ca:
                root_certs = ca.read()
        credentials = grpc.ssl_channel_credentials(root_certificates=root_certs)
        if args.token_file:
            with open(args.token_file) as token:
                credentials = grpc.composite_channel_credentials(
                    credentials,
                    grpc.access_token_call_credentials(token.read().strip()))
        failures = 0
        for name, port in ports.items():
            channel = grpc.secure_channel(f"127.0.0.1:{port}", credentials)
            health = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(), timeout=10)
            status = health_pb2.HealthCheckResponse.ServingStatus.Name(health.status)
            if name == "plan":
                reply = plan_pb2_grpc.PlanServiceStub(channel).ListPlans(
                    plan_pb2.ListPlansRequest(), timeout=10)
                summary = f"{len(reply.plans)} plans"
            elif name == "progress":
                reply = progress_pb2_grpc.ProgressServiceStub(channel).ListTaskStates(
                    progress_pb2.ListTaskStatesRequest(), timeout=10)
                summary = f"{len(reply.states)} task states"
            elif name == "notification":
                reply = notification_pb2_grpc.NotificationServiceStub(
                    channel).ListNotifications(
                        notification_pb2.ListNotificationsRequest(
                            agency="vinhthuy.congan"), timeout=10)
                summary = f"{len(reply.notifications)} notifications"
            else:
                reply = aggregation_pb2_grpc.AggregationServiceStub(
                    channel).GetRollup(
                        aggregation_pb2.GetRollupRequest(unit="vinh-thuy"),
                        timeout=10)
                rollup = reply.rollup
                summary = f"roll-up of {rollup.unit}: {rollup.totals.total} tasks"
            print(f"{name:13} health {status:12} {summary}")
            if status != "SERVING":
                failures += 1
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
