"""A draining app refuses new requests with a 503 problem; the worker's SIGTERM drains first."""

import signal
import time

import pytest
from flask import Flask

from shared import gunicorn_conf
from shared.draining import RETRY_AFTER_S, closing_event, is_draining, start_draining
from shared.gunicorn_conf import _Drain


@pytest.fixture
def app(probe_app):
    yield probe_app
    probe_app.extensions["db"].dispose()  # /readyz opened a pooled connection


def test_a_draining_app_answers_503_problems_in_the_callers_language_with_retry_after(app):
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    start_draining(app)
    for path in ("/readyz", "/api/v1/probe/readyz", "/api/v1/probe/boom"):
        for language, title in (
            ("en", "This server is restarting; try again in a moment"),
            ("fr", "Ce serveur redémarre ; réessayez dans un instant"),
        ):
            response = client.get(path, headers={"Accept-Language": language})
            assert response.status_code == 503, path
            assert response.content_type == "application/problem+json"
            assert response.headers["Retry-After"] == str(RETRY_AFTER_S)
            assert response.headers["Content-Language"] == language
            problem = response.get_json()
            assert (problem["code"], problem["status"], problem["title"]) == (
                "shutting_down",
                503,
                title,
            )
    written = client.post("/api/v1/probe/echo", json={"n": 1})
    assert written.status_code == 503 and written.get_json()["code"] == "shutting_down"


def test_a_draining_app_still_answers_its_liveness_check(app):
    start_draining(app)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/probe/healthz").status_code == 200


class _Worker:
    def __init__(self) -> None:
        self.wsgi = Flask("drained")
        self.stops: list[int] = []

    def graceful(self, signum, frame) -> None:
        self.stops.append(signum)


def _wait_for(condition, timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_sigterm_of_a_server_stop_drains_first_repeats_change_nothing_then_the_worker_stops():
    worker = _Worker()
    drain = _Drain(worker, worker.graceful, drain_s=0.5, server_stopping=lambda: True)
    previous = signal.signal(signal.SIGTERM, drain.on_term)
    try:
        signal.raise_signal(signal.SIGTERM)
        assert _wait_for(lambda: is_draining(worker.wsgi)) and worker.stops == []
        signal.raise_signal(signal.SIGTERM)  # the master's, after the process group's
        assert worker.stops == []
        # the drain signals the process again once it is over; the main thread stops the worker
        assert _wait_for(lambda: worker.stops == [signal.SIGTERM]), worker.stops
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert worker.stops == [signal.SIGTERM]


def test_a_worker_retired_while_the_server_goes_on_stops_without_refusing_requests():
    worker = _Worker()
    drain = _Drain(worker, worker.graceful, drain_s=30, server_stopping=lambda: False)
    previous = signal.signal(signal.SIGTERM, drain.on_term)
    try:
        signal.raise_signal(signal.SIGTERM)  # a reload (SIGHUP) retiring the old workers
        assert not is_draining(worker.wsgi)
        assert _wait_for(lambda: worker.stops == [signal.SIGTERM]), "stopped, no 30 s drain"
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert closing_event(worker.wsgi).is_set(), "its live streams end"
    assert not is_draining(worker.wsgi), "what reaches it before its loop ends is still served"


def test_the_master_marks_the_server_stopping_before_its_own_handler_runs():
    seen: list[tuple[str, bool]] = []

    class Arbiter:
        def handle_term(self):
            seen.append(("term", gunicorn_conf._server_stopping()))

        def handle_int(self):
            seen.append(("int", gunicorn_conf._server_stopping()))

        def handle_quit(self):
            seen.append(("quit", gunicorn_conf._server_stopping()))

    arbiter = Arbiter()
    gunicorn_conf.when_ready(arbiter)
    try:
        assert not gunicorn_conf._server_stopping()
        arbiter.handle_term()
        assert seen == [("term", True)]
    finally:
        gunicorn_conf._SERVER_STOPPING.value = 0


def test_without_a_drain_time_sigterm_stops_at_once():
    worker = _Worker()
    drain = _Drain(worker, worker.graceful, drain_s=0, server_stopping=lambda: True)
    drain.on_term(signal.SIGTERM, None)
    assert worker.stops == [signal.SIGTERM] and is_draining(worker.wsgi)
