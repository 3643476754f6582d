#!/usr/bin/env python3
"""A recording text-message gateway for the end-to-end tests: it takes the portal's messages as a
provider's HTTP gateway does (POST /send, JSON, a bearer key, the message id as the idempotency
key) and keeps them in memory; GET /messages?phone=N lists what was sent to N, oldest first.
Usage: sms-gateway.py PORT KEY"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, KEY = int(sys.argv[1]), sys.argv[2]
messages = []
lock = threading.Lock()


class Gateway(BaseHTTPRequestHandler):
    def answer(self, status, body=b""):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != "/send" or self.headers.get("Authorization") != f"Bearer {KEY}":
            return self.answer(401)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        key = self.headers.get("Idempotency-Key", "")
        with lock:
            # A message sent again under its key is taken once, as providers do.
            if key and not any(m.get("id") == key for m in messages):
                messages.append(body)
        self.answer(200, b"{}")

    def do_GET(self):
        url = urlparse(self.path)
        if url.path == "/healthz":
            return self.answer(200, b"{}")
        if url.path != "/messages":
            return self.answer(404)
        phone = parse_qs(url.query).get("phone", [""])[0]
        with lock:
            got = [m for m in messages if m.get("phone") == phone]
        self.answer(200, json.dumps(got, ensure_ascii=False).encode())

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Gateway).serve_forever()
