"""SIGTERM to a running process of the whole stack, as an orchestrator sends it, mid-load.

A web process drains: what it had in hand finishes, ``/readyz`` says not ready, a request that
still arrives gets a 503 problem with ``Retry-After``, never a failed connection or another 5xx;
its live streams are told to reconnect and end at once. An event process finishes the event in
hand and acknowledges only finished work; once restarted, every event is handled exactly once.
Each test starts the process again, so the session's stack is whole for the next one.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis
import requests
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from stack import Stack

from reports.models import Resource
from shared.bus import EventBus, processed_key, stream_name
from shared.events import new_event

pytestmark = pytest.mark.gateway

TITLES = {
    "en": "This server is restarting; try again in a moment",
    "fr": "Ce serveur redémarre ; réessayez dans un instant",
}
RECONNECT = 'retry: 3000\nevent: reconnect\ndata: {"retry_ms":3000}\n\n'
EXIT_S = 30  # a drained web process exits well within gunicorn's 25 s graceful timeout


class Balancer:
    """Plays the load balancer in front of one service: takes it out once it says it drains."""

    def __init__(self, gateway_url: str, service: str) -> None:
        self.url = f"{gateway_url}/api/v1/{service}/readyz"
        self.out = threading.Event()
        self.refusal: requests.Response | None = None
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.out.is_set():
            answer = requests.get(self.url, timeout=10)
            if answer.status_code != 200:
                self.refusal = answer
                self.out.set()
            time.sleep(0.1)

    def stop(self) -> None:
        self.out.set()
        self.thread.join(timeout=15)


def _is_drain_refusal(response: requests.Response, language: str = "en") -> bool:
    if response.status_code != 503 or "application/problem+json" not in response.headers.get(
        "Content-Type", ""
    ):
        return False
    problem = response.json()
    return (
        problem.get("code") == "shutting_down"
        and problem.get("title") == TITLES[language]
        and response.headers.get("Retry-After") == "2"
    )


def _client(
    url: str, headers: dict[str, str], language: str, balancer: Balancer, outcomes: list[Any]
) -> None:
    """Request ``url`` again and again until the balancer takes the service out."""
    session = requests.Session()
    while not balancer.out.is_set():
        try:
            response = session.get(
                url, headers={**headers, "Accept-Language": language}, timeout=30
            )
        except requests.RequestException as exc:
            outcomes.append(("failed", repr(exc)))
            continue
        if response.status_code == 200:
            outcomes.append("ok")
        elif _is_drain_refusal(response, language):
            outcomes.append("refused")
            balancer.out.set()  # the balancer also learns it from the answers it passes on
        else:
            outcomes.append((response.status_code, response.text[:200]))


@contextlib.contextmanager
def _load(url: str, headers: dict[str, str], balancer: Balancer) -> Iterator[list[list[Any]]]:
    """Run two English and two French clients; yield their outcomes (complete after the block)."""
    results: list[list[Any]] = [[] for _ in range(4)]
    languages = ["en", "fr", "en", "fr"]

    def run(index: int) -> None:
        _client(url, headers, languages[index], balancer, results[index])

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(4)]
    for thread in threads:
        thread.start()
    try:
        yield results
    except BaseException:
        balancer.out.set()
        raise
    finally:
        balancer.out.wait(60)
        for thread in threads:
            thread.join(timeout=60)


def _check_outcomes(results: list[list[Any]], balancer: Balancer) -> None:
    everything = [outcome for result in results for outcome in result]
    assert [o for o in everything if o not in ("ok", "refused")] == []
    assert all("ok" in result for result in results), "every client was served before the stop"
    assert balancer.refusal is None or _is_drain_refusal(balancer.refusal)
    assert "refused" in everything or balancer.refusal is not None


def _wait_for(condition: Callable[[], Any], timeout_s: float, what: str | Callable[[], str]) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"{what if isinstance(what, str) else what()}: not within {timeout_s} s")


def test_a_portal_web_process_stopped_under_load_refuses_cleanly_and_finishes_a_slow_login(
    stack: Stack, gateway_url: str
) -> None:
    balancer = Balancer(gateway_url, "portal")
    # In flight when the signal comes: a sign-in whose body is still arriving (sent straight to
    # the service: the gateway would wait for the whole body before passing it on).
    body = json.dumps({"email": "coordinator@demo.example", "password": "demo-password-2026"})
    port = urlsplit(stack.service_url("portal")).port
    slow = socket.create_connection(("127.0.0.1", port), timeout=30)
    slow.sendall(
        (
            "POST /api/v1/portal/auth/login HTTP/1.1\r\nHost: portal\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n{body[:12]}"
        ).encode()
    )
    try:
        with _load(f"{gateway_url}/.well-known/jwks.json", {}, balancer) as results:
            _wait_for(
                lambda: all(r.count("ok") >= 10 for r in results), 60, lambda: f"load: {results}"
            )
            stack.send_signal("portal-web", signal.SIGTERM)  # SIGTERM to the gunicorn master only
            balancer.out.wait(30)
        slow.sendall(body[12:].encode())
        answer = http.client.HTTPResponse(slow)
        answer.begin()
        assert answer.status == 200, answer.read()
        assert json.loads(answer.read())["access_token"]
        assert stack.wait("portal-web", EXIT_S) == 0
    finally:
        slow.close()
        balancer.stop()
        stack.restart("portal-web")
    _check_outcomes(results, balancer)
    assert requests.get(f"{gateway_url}/.well-known/jwks.json", timeout=10).status_code == 200


class Stream:
    """One live notification stream read in a thread: its text, and whether it ended."""

    def __init__(self, url: str, headers: dict[str, str], probe: Callable[[], bool]) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.connection.request("GET", parts.path, headers=headers)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        self.text = ""
        self.probe = probe
        self.ended_while_draining: bool | None = None
        self.opened = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        with contextlib.suppress(OSError, http.client.HTTPException):
            while line := self.response.readline():
                self.text += line.decode()
                if self.text.count("event: unread"):
                    self.opened.set()
        self.ended_while_draining = self.probe()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(timeout=5)
        self.connection.close()


def test_a_reports_web_process_stopped_tells_its_live_streams_to_reconnect_and_ends_them(
    stack: Stack, gateway_url: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    coordinator = sign_in("coordinator@demo.example")
    stream_url = f"{gateway_url}/api/v1/reports/notifications/stream"

    def draining() -> bool:
        answer = requests.get(f"{gateway_url}/api/v1/reports/readyz", timeout=10)
        return _is_drain_refusal(answer)

    streams = [Stream(stream_url, coordinator, draining) for _ in range(3)]
    balancer = Balancer(gateway_url, "reports")
    try:
        for stream in streams:
            assert stream.opened.wait(20), stream.text
        with _load(f"{gateway_url}/api/v1/reports/notifications", coordinator, balancer) as results:
            _wait_for(
                lambda: all(r.count("ok") >= 10 for r in results), 60, lambda: f"load: {results}"
            )
            stack.send_signal("reports-web", signal.SIGTERM)
            balancer.out.wait(30)
        for stream in streams:
            stream.thread.join(timeout=20)
            assert not stream.thread.is_alive(), "the server ended the stream"
            assert stream.text.endswith(
                'retry: 3000\nevent: reconnect\ndata: {"retry_ms":3000}\n\n'
            )
            assert stream.ended_while_draining, "ended as the drain began, not at the exit"
        assert stack.wait("reports-web", EXIT_S) == 0
    finally:
        for stream in streams:
            stream.close()
        balancer.stop()
        stack.restart("reports-web")
    _check_outcomes(results, balancer)
    again = Stream(stream_url, coordinator, lambda: False)  # what the browser does next
    try:
        assert again.opened.wait(20), again.text
    finally:
        again.close()


def _archived(item_id: str) -> Any:
    data = {
        "item_id": item_id,
        "kind": "guide",
        "visibility": "public",
        "languages": ["en"],
        "titles": {"en": "Withdrawn guide"},
        "tags": ["shutdown-test"],
        "url": f"/resources/{item_id}",
    }
    return new_event("content.archived", source="portal", data=data, subject=item_id)


def _event_id(fields: dict[bytes, bytes]) -> str:
    return str(json.loads(fields[b"event"])["id"])


def test_an_event_process_stopped_while_events_flow_loses_none_and_handles_each_once(
    stack: Stack,
) -> None:
    client = redis.Redis.from_url(stack.redis_url)
    bus, stream, group = EventBus(client), stream_name("portal"), "reports-content"
    run = uuid.uuid4().hex[:8]
    events = [_archived(f"stop-{run}-{n:03d}") for n in range(150)]
    published = threading.Event()
    halfway = threading.Event()

    def publish() -> None:
        for n, event in enumerate(events):
            bus.publish(stream, event)
            if n == 50:
                halfway.set()
            time.sleep(0.01)
        published.set()

    engine = create_engine(stack.database_urls["reports"])

    def rows() -> dict[str, str]:
        with Session(engine) as session:
            found = session.execute(
                select(Resource.item_id, Resource.event_id).where(
                    Resource.item_id.like(f"stop-{run}-%")
                )
            )
            return {str(item): str(event_id) for item, event_id in found}

    def marked() -> set[str]:
        return {e.id for e in events if client.exists(processed_key(group, e.id))}

    publisher = threading.Thread(target=publish, daemon=True)
    publisher.start()
    try:
        assert halfway.wait(30)
        stack.send_signal("reports-events", signal.SIGTERM)  # SIGTERM while events keep coming
        assert stack.wait("reports-events", EXIT_S) == 0
        # What was acknowledged as handled was handled to the end: its row is committed.
        by_event = {event_id: item for item, event_id in rows().items()}
        assert all(event_id in by_event for event_id in marked())
    finally:
        stack.restart("reports-events")
    assert published.wait(30)
    every = {e.id for e in events}
    _wait_for(lambda: marked() == every, 90, "every event handled after the restart")
    stored = rows()
    assert stored == {e.data["item_id"]: e.id for e in events}  # one row each, from its event
    pending = client.xpending_range(stream, group, min="-", max="+", count=10_000)
    pending_ids = {entry["message_id"] for entry in pending}
    left = {_event_id(f) for entry_id, f in client.xrange(stream) if entry_id in pending_ids}
    assert not left & every, "nothing of ours is left unacknowledged"
    dead = {_event_id(f) for _, f in client.xrange(f"{stream}:dlq")}
    assert not dead & every, "nor given up on"
    engine.dispose()
    client.close()
