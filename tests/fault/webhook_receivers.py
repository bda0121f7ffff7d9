"""Real local webhook receivers for the fault tests: each records every POST it gets."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from stack import free_port


@dataclass
class Received:
    """One POST a receiver got: when, its headers and body, and when it was answered."""

    at: float
    headers: dict[str, str]
    body: bytes
    answered_at: float | None = None

    @property
    def webhook_id(self) -> str:
        """The delivery's ``webhook-id`` (the same on every attempt of one delivery)."""
        return self.headers.get("webhook-id", "")

    @property
    def event_id(self) -> str:
        """The id of the event the body carries."""
        return str(json.loads(self.body)["id"])


class Receiver:
    """An HTTP server answering 204 to each POST; the first attempt of a delivery may be slow."""

    def __init__(self, first_attempt_delay_s: float = 0.0) -> None:
        """Listen on a free loopback port; a delivery's first POST waits the delay first."""
        self.first_attempt_delay_s = first_attempt_delay_s
        self.requests: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver.lock:
                    record = Received(time.monotonic(), headers, body)
                    seen = {r.webhook_id for r in receiver.requests}
                    receiver.requests.append(record)
                if record.webhook_id not in seen:
                    time.sleep(receiver.first_attempt_delay_s)
                try:
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender gave up waiting and closed the connection
                    return
                record.answered_at = time.monotonic()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/smart-customs"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def of_event(self, event_id: str) -> list[Received]:
        """Return the POSTs that carried event ``event_id``, in order."""
        with self.lock:
            return [r for r in self.requests if r.event_id == event_id]

    def close(self) -> None:
        """Stop listening (a request still sleeping is left to its daemon thread)."""
        self.server.shutdown()
        self.server.server_close()


def unreachable_url() -> str:
    """Return a loopback URL where nothing listens (a receiver that is down)."""
    return f"http://127.0.0.1:{free_port()}/hooks/smart-customs"
