"""The reports web process as deployed (gunicorn gthread + shared.gunicorn_conf): open live
streams neither block other requests nor hold up a graceful stop; a stopping worker drains
(running requests finish, new ones get a 503 problem, live streams are told to reconnect)."""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reports.migrations import SCHEMA
from shared.migrations import upgrade
from shared.testing import TEST_AUDIENCE, TEST_ISSUER

pytestmark = pytest.mark.integration

STREAM = "/api/v1/reports/notifications/stream"
DRAIN_S = 2


@pytest.fixture
def jwks_url(jwks):
    body = json.dumps(jwks).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()
    server.server_close()


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web(database_url, redis_url, jwks_url, tmp_path):
    """Start the reports web process the way deploy/local/stack.py does; stop it after."""
    upgrade(SCHEMA, database_url)  # as the init job does: the web process refuses an old schema
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTS_")}
    env.update(
        REDIS_URL=redis_url,
        REPORTS_DATABASE_URL=database_url,
        DATA_DIR=str(tmp_path),
        AUTH_JWKS_URL=jwks_url,
        AUTH_ISSUER=TEST_ISSUER,
        AUTH_AUDIENCE=TEST_AUDIENCE,
        LOG_FORMAT="text",
        REPORTS_SSE_HEARTBEAT_S="0.5",
        WEB_DRAIN_S=str(DRAIN_S),
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    log_path = tmp_path / "web.log"
    argv = [
        str(gunicorn), "--workers", "1", "--worker-class", "gthread", "--threads", "16",
        "--config", "python:shared.gunicorn_conf", "--no-control-socket",
        "--bind", f"127.0.0.1:{port}", "reports:create_app()",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    process.port = port
    process.log_path = log_path
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        with contextlib.suppress(OSError), contextlib.closing(connection):
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                break
        assert process.poll() is None, log_path.read_text()
        time.sleep(0.1)
    yield process
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _open_stream(port, token):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", STREAM, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.readline() == b"retry: 3000\n"
    return connection, response


def test_open_streams_leave_threads_for_other_requests_and_end_on_a_graceful_stop(web, make_token):
    token = make_token("coord-1", "adm-1", ("coordinator",))
    streams = [_open_stream(web.port, token) for _ in range(12)]  # the per-process cap
    connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=5)
    for _ in range(5):
        started = time.monotonic()
        connection.request(
            "GET", "/api/v1/reports/notifications", headers={"Authorization": f"Bearer {token}"}
        )
        answer = connection.getresponse()
        assert answer.status == 200 and json.loads(answer.read())["unread"] == 0
        assert time.monotonic() - started < 1.0
    extra = http.client.HTTPConnection("127.0.0.1", web.port, timeout=5)
    extra.request("GET", STREAM, headers={"Authorization": f"Bearer {token}"})
    refused = extra.getresponse()
    assert refused.status == 503 and refused.getheader("Retry-After") == "3"
    extra.close()
    connection.close()

    web.send_signal(signal.SIGTERM)
    for stream, response in streams:
        rest = response.read()  # each stream was ended by the server, not cut
        assert rest.endswith(b'retry: 3000\nevent: reconnect\ndata: {"retry_ms":3000}\n\n')
        stream.close()
    assert web.poll() is None, "the streams end as the drain starts, not when the worker exits"
    # not gunicorn's 25 s graceful timeout: the drain, then the worker has nothing left to wait for
    assert web.wait(timeout=DRAIN_S + 10) == 0, web.log_path.read_text()


def _get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    with contextlib.closing(connection):
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()


def test_a_draining_worker_finishes_the_request_in_flight_and_refuses_new_ones_in_each_language(
    web, make_token
):
    token = make_token("coord-1", "adm-1", ("coordinator",))
    body = json.dumps({"url": "https://hooks.example.org/in-flight"}).encode()
    in_flight = socket.create_connection(("127.0.0.1", web.port), timeout=10)
    head = (
        "POST /api/v1/reports/webhooks HTTP/1.1\r\nHost: reports\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    in_flight.sendall(head.encode() + body[:10])  # the rest comes once the worker drains
    assert _get(web.port, "/readyz")[0] == 200
    time.sleep(1.0)  # the worker has the request (and is reading its body) before the signal

    web.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    while (ready := _get(web.port, "/readyz"))[0] == 200:
        assert time.monotonic() < deadline, "readiness never went down"
        time.sleep(0.05)
    status, headers, raw = ready
    assert (status, headers["Content-Type"], headers["Retry-After"]) == (
        503,
        "application/problem+json",
        "2",
    )
    assert json.loads(raw)["code"] == "shutting_down"
    for language, title in (
        ("en", "This server is restarting; try again in a moment"),
        ("fr", "Ce serveur redémarre ; réessayez dans un instant"),
    ):
        status, headers, raw = _get(
            web.port,
            "/api/v1/reports/notifications",
            Authorization=f"Bearer {token}",
            **{"Accept-Language": language},
        )
        problem = json.loads(raw)
        assert (status, problem["status"], problem["code"], problem["title"]) == (
            503,
            503,
            "shutting_down",
            title,
        )
        assert headers["Retry-After"] == "2" and headers["Content-Language"] == language
    assert _get(web.port, "/healthz")[0] == 200  # alive: only not taking new work

    in_flight.sendall(body[10:])
    answer = http.client.HTTPResponse(in_flight)
    answer.begin()
    created = json.loads(answer.read())
    assert answer.status == 201 and created["url"] == "https://hooks.example.org/in-flight"
    in_flight.close()
    assert web.wait(timeout=DRAIN_S + 10) == 0, web.log_path.read_text()


def test_a_reload_retires_the_old_worker_without_refusing_a_single_request(web, make_token):
    token = make_token("coord-1", "adm-1", ("coordinator",))
    path, auth = "/api/v1/reports/notifications", {"Authorization": f"Bearer {token}"}
    assert _get(web.port, path, **auth)[0] == 200
    stream, response = _open_stream(web.port, token)
    web.send_signal(signal.SIGHUP)  # new workers, the old ones told to stop: the server goes on
    statuses = []
    deadline = time.monotonic() + DRAIN_S + 3  # past the drain a stopping server would do
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", web.port, timeout=60)
        with contextlib.closing(connection):
            connection.request("GET", path, headers=auth)
            statuses.append(connection.getresponse().status)
    assert statuses and set(statuses) == {200}
    assert response.read().endswith(b'event: reconnect\ndata: {"retry_ms":3000}\n\n')
    stream.close()
    assert web.poll() is None
    assert b"draining" not in web.log_path.read_bytes()
