"""A real webhook receiver on 127.0.0.1 (a thread): verifies X-Khaojing-Signature as a partner would, records posts."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, secret: str = "", port: int = 0):
        self.secret = secret
        self.accepted: list[tuple[dict[str, str], bytes]] = []
        self.rejected: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                timestamp = self.headers.get("X-Khaojing-Timestamp", "")
                sent = self.headers.get("X-Khaojing-Signature", "")
                # the partner's check, written from docs/partners/api.md (not with khaojing's code)
                expected = hmac.new(outer.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
                if not (fresh and hmac.compare_digest(expected, sent)):
                    outer.rejected.append(sent)
                    self.send_response(401)
                    self.end_headers()
                    return
                outer.accepted.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/khaojing"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
