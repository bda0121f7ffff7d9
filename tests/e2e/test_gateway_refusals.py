"""The gateway's own refusals in front of the real services: methods and flood guards.

Both gateways (nginx, rendered from deploy/gateway/gateway.conf.template with its default
limits, and the stdlib dispatcher of deploy/local/dispatcher.py) are started here in front of
the session's services, beside the stack's own gateway (whose limits tests raise).

- A method a path does not take answers ``405`` ``application/problem+json`` with ``Allow``
  (the service's answer, passed through; for TRACE and CONNECT, which nginx refuses before
  routing, the service is asked), or ``404`` problem for a path nothing answers (the rule of
  the services and of the gateway for unknown paths). Never HTML, never 501.
- The limits per address are flood guards: a room of officers behind one address signs in
  together; a flood above a (small, configured) guard gets the gateway's ``429`` problem.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import Message
from pathlib import Path
from types import ModuleType

import pytest
import requests
from stack import SERVICES, Stack, free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-enough-password"
pytestmark = pytest.mark.gateway

# Methods no route of these paths takes: protocol-level ones nginx refuses itself (TRACE,
# CONNECT), WebDAV and made-up ones, and writes where a path takes none.
METHODS = ("TRACE", "CONNECT", "PROPFIND", "MKCOL", "FOO", "PUT", "PATCH", "DELETE")
# Paths that exist (405 with Allow) and paths nothing answers (404).
EXISTING = (
    "/",  # portal page
    "/login",  # portal page with a form (GET, POST)
    "/assessment/",  # assessment page
    "/api/v1/assessment/assessments",  # API (GET, POST)
    "/api/v1/portal/auth/login",  # API (POST)
    "/gateway/healthz",  # the gateway's own (GET, HEAD)
)
UNKNOWN = (
    "/no-such-page",  # routed to the portal, which knows no such page
    "/api/v1/nowhere/things",  # no service: the gateway's own 404
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
# Small guards, so that a flood is quick to send.
FLOOD_GUARD = {
    "GATEWAY_LOGIN_RATE": "6r/m",
    "GATEWAY_LOGIN_BURST": "3",
    "GATEWAY_WRITE_RATE": "6r/m",
    "GATEWAY_WRITE_BURST": "3",
}


def _load_render() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gateway_render_e2e", ROOT / "deploy" / "gateway" / "render.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _nginx_bin() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI (apt-get install nginx-light)")
        pytest.skip("nginx is not installed")
    return found


def _wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the gateway exited at start"
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.05)
    pytest.fail(f"gateway not answering at {url}")


@contextlib.contextmanager
def _started_gateway(
    kind: str, stack: Stack, prefix: Path, limits: dict[str, str] | None = None
) -> Iterator[str]:
    """Run a gateway of ``kind`` in front of the stack's services; yield its base URL."""
    port = free_port()
    upstreams = {svc: f"{stack.host}:{stack.ports[svc]}" for svc in SERVICES}
    if kind == "nginx":
        overrides = {
            "GATEWAY_HOST": stack.host,
            "GATEWAY_PORT": str(port),
            **{f"{svc.upper()}_UPSTREAM": upstreams[svc] for svc in SERVICES},
            **(limits or {}),
        }
        conf = _load_render().render_local(prefix, overrides)
        argv = [_nginx_bin(), "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    else:
        argv = [sys.executable, str(ROOT / "deploy" / "local" / "dispatcher.py")]
        argv += ["--host", stack.host, "--port", str(port)]
        for svc in SERVICES:
            argv += [f"--{svc}", upstreams[svc]]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{stack.host}:{port}"
    try:
        _wait_up(f"{url}/gateway/healthz", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module", params=["nginx", "dispatcher"])
def gateway(
    request: pytest.FixtureRequest, stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Each gateway with its default limits, in front of the session's services."""
    with _started_gateway(request.param, stack, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture
def guarded_nginx(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx with the small ``FLOOD_GUARD`` limits (fresh counters for each test)."""
    with _started_gateway("nginx", stack, tmp_path_factory.mktemp("guarded"), FLOOD_GUARD) as url:
        yield url


def _send(
    base: str, method: str, path: str, headers: dict[str, str] | None = None
) -> tuple[int, Message, bytes]:
    """Send one request as it is (http.client: CONNECT and made-up methods included)."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.msg, response.read()
    finally:
        conn.close()


def _assert_refusal(
    status: int, headers: Message, body: bytes, request_id: str, expected: int
) -> dict[str, object]:
    assert status == expected, (status, body[:200])
    assert headers["Content-Type"].startswith("application/problem+json"), headers["Content-Type"]
    problem = json.loads(body)
    assert {"type", "title", "status", "detail", "code", "request_id"} <= set(problem)
    assert problem["status"] == expected
    assert problem["code"] == ("method_not_allowed" if expected == 405 else "not_found")
    assert problem["request_id"] == request_id
    assert headers["X-Request-ID"] == request_id
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    return problem


@pytest.mark.parametrize("method", METHODS)
def test_a_method_a_path_does_not_take_is_a_405_problem_with_allow(
    gateway: str, method: str
) -> None:
    for index, path in enumerate(EXISTING):
        request_id = f"method-{method.lower()}-{index}"
        status, headers, body = _send(gateway, method, path, {"X-Request-ID": request_id})
        _assert_refusal(status, headers, body, request_id, 405)
        allowed = {m.strip() for m in (headers["Allow"] or "").split(",") if m.strip()}
        assert allowed, f"{method} {path}: no Allow"
        assert method not in allowed
        assert allowed & {"GET", "POST"}, (path, allowed)
        if path == "/gateway/healthz":
            assert allowed == {"GET", "HEAD"}


@pytest.mark.parametrize("method", METHODS)
def test_a_method_on_a_path_nothing_answers_is_a_404_problem(gateway: str, method: str) -> None:
    for index, path in enumerate(UNKNOWN):
        request_id = f"unknown-{method.lower()}-{index}"
        status, headers, body = _send(gateway, method, path, {"X-Request-ID": request_id})
        _assert_refusal(status, headers, body, request_id, 404)
        assert headers["Allow"] is None


@pytest.mark.parametrize("method", ["TRACE", "CONNECT"])
def test_a_refused_method_never_reaches_a_service_with_credentials_or_as_a_page(
    gateway: str, method: str, sign_in: Callable[..., dict[str, str]]
) -> None:
    # A browser's Accept and a signed-in caller's credentials: still the problem document, and
    # nothing of the request comes back.
    token = sign_in("coordinator@demo.example")["Authorization"]
    headers = {
        "X-Request-ID": f"refused-{method.lower()}",
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Authorization": token,
        "Cookie": "session=secret-cookie-value",
    }
    for path in ("/", "/login", "/api/v1/assessment/assessments"):
        status, answer, body = _send(gateway, method, path, headers)
        _assert_refusal(status, answer, body, headers["X-Request-ID"], 405)
        assert b"secret-cookie-value" not in body and token.encode() not in body


def test_a_room_signs_in_together_from_one_address(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory, sign_in: Callable[..., dict[str, str]]
) -> None:
    # 40 officers of one administration (one address) sign in within seconds through nginx with
    # its default limits: the gateway refuses none of them.
    coordinator = sign_in("coordinator@demo.example")
    portal = f"{stack.url}/api/v1/portal"
    administration = requests.get(f"{portal}/me", headers=coordinator, timeout=10).json()[
        "administration_id"
    ]
    workshop = uuid.uuid4().hex[:8]
    emails = [f"officer-{workshop}-{n}@demo.example" for n in range(40)]
    for email in emails:
        created = requests.post(
            f"{portal}/administrations/{administration}/users",
            json={
                "email": email,
                "display_name": "Officer",
                "password": PASSWORD,
                "roles": ["respondent"],
            },
            headers=coordinator,
            timeout=10,
        )
        assert created.status_code == 201, created.text

    def login(url: str, email: str) -> requests.Response:
        return requests.post(
            f"{url}/api/v1/portal/auth/login",
            json={"email": email, "password": PASSWORD},
            timeout=30,
        )

    with (
        _started_gateway("nginx", stack, tmp_path_factory.mktemp("room")) as url,
        ThreadPoolExecutor(max_workers=20) as pool,
    ):
        answers = list(pool.map(lambda email: login(url, email), emails))
    assert [r.status_code for r in answers] == [200] * 40, [r.text for r in answers][:3]
    assert all(r.json()["access_token"] for r in answers)


def _assert_gateway_429(response: requests.Response) -> None:
    assert response.status_code == 429
    assert response.headers["Server"] == "nginx"
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"] == "/problems/rate-limited"
    assert problem["code"] == "rate_limited" and problem["status"] == 429
    assert "Retry-After" in problem["detail"] and "bulk-answers" in problem["detail"]
    assert problem["request_id"] == response.headers["X-Request-ID"]
    assert int(response.headers["Retry-After"]) >= 1
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name


def test_a_sign_in_flood_above_the_guard_gets_the_gateways_429(guarded_nginx: str) -> None:
    login = f"{guarded_nginx}/api/v1/portal/auth/login"
    answers = [
        requests.post(
            login,
            json={"email": f"flood-{n}@nowhere.example", "password": "wrong-password-123"},
            timeout=10,
        )
        for n in range(8)
    ]
    assert answers[0].status_code == 401  # through to the portal
    limited = [r for r in answers if r.status_code == 429]
    assert limited, [r.status_code for r in answers]
    _assert_gateway_429(limited[0])


def test_a_write_flood_above_the_guard_gets_the_gateways_429(guarded_nginx: str) -> None:
    api = f"{guarded_nginx}/api/v1/assessment/assessments"
    answers = [requests.post(api, json={"title": "x"}, timeout=10) for _ in range(8)]
    assert answers[0].status_code == 401  # through to the service
    limited = [r for r in answers if r.status_code == 429]
    assert limited, [r.status_code for r in answers]
    _assert_gateway_429(limited[0])
    assert requests.get(api, timeout=10).status_code == 401  # reads are not limited
