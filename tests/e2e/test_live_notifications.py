"""Live notifications through the real gateway: server-sent events arrive unbuffered, and open
streams do not keep the reports service from answering other requests."""

from __future__ import annotations

import contextlib
import http.client
import json
import queue
import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
import requests

pytestmark = pytest.mark.gateway


class Listener:
    """Reads one event stream in a thread and hands over its events as (fields, data)."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=40)
        self.connection.request("GET", parts.path, headers=headers)
        self.response = self.connection.getresponse()
        assert self.response.status == 200, self.response.read()
        self.events: queue.Queue[tuple[dict[str, str], dict]] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            while raw := self.response.readline():
                line = raw.decode().rstrip("\r\n")
                if line == "" and "data" in fields:
                    self.events.put((fields, json.loads(fields["data"])))
                    fields = {}
                elif line and not line.startswith(":"):
                    name, _, value = line.partition(": ")
                    fields[name] = value
        except (OSError, ValueError):  # closed by the test
            return

    def next(self, timeout_s: float) -> tuple[dict[str, str], dict]:
        return self.events.get(timeout=timeout_s)

    def close(self) -> None:
        # A shutdown ends the reader's blocking read at once (a plain close would wait for it).
        with contextlib.suppress(OSError):
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=5)
        self.connection.close()


def _submit_an_assessment(gateway_url: str, headers: dict[str, str]) -> str:
    api = f"{gateway_url}/api/v1/assessment"
    created = requests.post(
        f"{api}/assessments", json={"title": "Live", "language": "en"}, headers=headers, timeout=10
    )
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    framework = requests.get(
        f"{api}/frameworks/ai-ml-readiness/1.0", headers=headers, timeout=10
    ).json()["document"]
    for area in framework["areas"]:
        indicator = area["indicators"][0]
        saved = requests.put(
            f"{api}/assessments/{aid}/answers/{indicator['key']}",
            json={"value": 3},
            headers=headers,
            timeout=10,
        )
        assert saved.status_code == 200, saved.text
    submitted = requests.post(f"{api}/assessments/{aid}/submit", headers=headers, timeout=10)
    assert submitted.status_code == 200, submitted.text
    return aid


def test_a_report_notification_arrives_live_while_other_requests_still_answer(
    gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    respondent = sign_in("respondent@demo.example")
    stream_url = f"{gateway_url}/api/v1/reports/notifications/stream"
    mine = Listener(stream_url, coordinator)
    others = [Listener(stream_url, respondent) for _ in range(8)]
    try:
        fields, data = mine.next(10)
        assert fields["event"] == "unread" and isinstance(data["unread"], int)
        before = data["unread"]
        for other in others:
            assert other.next(10)[0]["event"] == "unread"
        # Nine streams are open: ordinary requests still answer at once.
        for _ in range(5):
            started = time.monotonic()
            listed = requests.get(
                f"{gateway_url}/api/v1/reports/notifications", headers=coordinator, timeout=5
            )
            assert listed.status_code == 200
            assert time.monotonic() - started < 1.0
        _submit_an_assessment(gateway_url, coordinator)
        fields, data = mine.next(60)
        assert fields["event"] == "notification"
        assert data["code"] == "report_ready" and data["title"] == "Your report is ready"
        assert data["unread"] == before + 1 and fields["id"] == data["id"]
    finally:
        for listener in (mine, *others):
            listener.close()


def test_the_reports_page_loads_its_live_script(
    gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    page = requests.get(f"{gateway_url}/reports/", headers=coordinator, timeout=10)
    assert page.status_code == 200
    assert 'src="/reports/assets/live.js"' in page.text
    assert 'data-stream="/api/v1/reports/notifications/stream?lang=en"' in page.text
    script = requests.get(f"{gateway_url}/reports/assets/live.js", timeout=10)
    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert "EventSource" in script.text
