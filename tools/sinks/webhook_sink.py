#!/usr/bin/python3
"""A webhook receiver for demos: what an SMS or Zalo gateway would run.

Accepts every POST with 200, checks X-Tiendo-Signature (HMAC-SHA256 of
"<X-Tiendo-Timestamp>.<body>" with SECRET) and writes each request to DIR as
NNNN.json: {"delivery", "signature_ok", "body"} with the body decoded.
Prints "ready" once listening; stops on SIGTERM.

usage: webhook_sink.py PORT SECRET DIR
"""
import hashlib
import hmac
import http.server
import json
import os
import signal
import sys
import threading


def main():
    port, secret, out_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
            timestamp = self.headers.get('X-Tiendo-Timestamp', '')
            expected = 'sha256=' + hmac.new(
                secret.encode(), timestamp.encode() + b'.' + body,
                hashlib.sha256).hexdigest()
            record = {
                'delivery': self.headers.get('X-Tiendo-Delivery', ''),
                'signature_ok': hmac.compare_digest(
                    expected, self.headers.get('X-Tiendo-Signature', '')),
                'body': json.loads(body.decode('utf-8')),
            }
            count[0] += 1
            path = os.path.join(out_dir, '%04d.json' % count[0])
            with open(path + '.tmp', 'w', encoding='utf-8') as f:
                json.dump(record, f, ensure_ascii=False, indent=1)
            os.rename(path + '.tmp', path)
            self.send_response(200)
            self.send_header('Content-Length', '2')
            self.end_headers()
            self.wfile.write(b'ok')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print('ready', flush=True)
    stop.wait()
    server.shutdown()


if __name__ == '__main__':
    main()
