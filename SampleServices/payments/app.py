"""Sample "payments" service: POST /pay calls ledger POST /entries.

Python 3 standard library only (http.server + urllib.request) so the operator's auto-instrumentation
(PYTHONPATH sitecustomize) instruments it without code changes.
Knobs: PORT, BIND_ADDRESS, LEDGER_URL, ERROR_RATIO (0..1), ADDED_LATENCY_MS.
"""
import json
import os
import random
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT") or "8080")
BIND_ADDRESS = os.environ.get("BIND_ADDRESS") or "0.0.0.0"
LEDGER_URL = os.environ.get("LEDGER_URL") or "http://ledger:8080"
ERROR_RATIO = float(os.environ.get("ERROR_RATIO") or "0")
ADDED_LATENCY_MS = int(os.environ.get("ADDED_LATENCY_MS") or "0")


def post_ledger(body):
    request = urllib.request.Request(
        LEDGER_URL + "/entries", data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 502  # unreachable downstream, reported like a gateway would


class PaymentsHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/health":
            self.respond(200, {"status": "ok"})
        else:
            self.respond(404, {"error": "not found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or "0")
        self.rfile.read(length)
        if self.path != "/pay":
            self.respond(404, {"error": "not found"})
            return
        if ADDED_LATENCY_MS > 0:
            time.sleep(ADDED_LATENCY_MS / 1000.0)
        downstream = post_ledger(b'{"amount":42}')
        failed = random.random() < ERROR_RATIO or downstream >= 500
        self.respond(500 if failed else 200, {"status": "failed" if failed else "ok", "ledger": downstream})

    def respond(self, status, payload):
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # keep the test output quiet; the spans are the record


if __name__ == "__main__":
    server = ThreadingHTTPServer((BIND_ADDRESS, PORT), PaymentsHandler)
    print(f"payments listening on {BIND_ADDRESS}:{PORT}", flush=True)
    server.serve_forever()
