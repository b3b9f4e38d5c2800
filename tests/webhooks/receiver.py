"""A real HTTP server on 127.0.0.1 that receives webhooks, checks signatures and answers as told."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from headset.webhooks import verify


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    is_signature_valid: bool


@dataclass
class Receiver:
    """Answers the queued status codes in turn, then 200; `delay` holds every answer back."""

    secret: str
    now_unix: Callable[[], int]
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                signature = self.headers.get("Headset-Signature", "")
                receiver.received.append(
                    Received(
                        headers=dict(self.headers.items()),
                        body=body,
                        is_signature_valid=verify(
                            receiver.secret, signature, body, receiver.now_unix()
                        ),
                    )
                )
                time.sleep(receiver.delay)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = b"upstream broke" if status >= 400 else b"ok"
                try:
                    self.send_response(status)
                    if 300 <= status < 400:
                        self.send_header("Location", "/elsewhere")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the deliverer stopped waiting (the timeout test): nobody to answer

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the test output is for assertions."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits up to one interval.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
