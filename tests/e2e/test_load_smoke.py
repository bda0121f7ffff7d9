"""A short run of the load test (bench/load/locustfile.py) through nginx with its default limits.

Fifteen locust users (anonymous browsers, respondents autosaving, coordinators submitting,
live listeners on the notification stream) send for 25 s from one address, as a workshop behind
one office address does, to the session's services through an nginx rendered from the gateway
template with its default flood guards (the session's own gateway has raised limits). No
request may fail (a 429 of a guard or a limit included), no service may log a server error, and
every user class must have been served. Latency is the benchmark's business
(bench/load_bench.py), not this test's.

One gateway error is let through: nginx finding that the reports service closed a kept-alive
connection just as nginx reused it ("upstream prematurely closed connection", gunicorn's 2 s
keep-alive against nginx's pool), on a GET, which nginx retries at once so the caller gets its
answer. The same race on a POST reaches the caller as a 502 and fails the test.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from stack import SERVICES, Stack, find_nginx, free_port

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "load"))

from load_observe import NGINX, RETRIED, access_statuses, log_sizes, scan_logs  # noqa: E402
from load_run import run_locust  # noqa: E402
from load_seed import WEIGHTS, accounts_needed, seed  # noqa: E402

from shared.testing import uses_postgresql  # noqa: E402

pytestmark = [
    pytest.mark.gateway,
    # A load run belongs on the production database; on SQLite it would only repeat the same
    # requests against a store that production never uses.
    pytest.mark.skipif(not uses_postgresql(), reason="load smoke: runs in the PostgreSQL pass"),
]
USERS = 15
SECONDS = 25


@contextlib.contextmanager
def _default_nginx(stack: Stack, prefix: Path) -> Iterator[str]:
    """Run nginx from the gateway template with its default limits before the stack's services."""
    nginx = find_nginx()
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is required in CI (apt-get install nginx-light)")
        pytest.skip("nginx is not installed")
    spec = importlib.util.spec_from_file_location("render_load", ROOT / "deploy/gateway/render.py")
    assert spec and spec.loader
    render = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(render)
    port = free_port()
    conf = render.render_local(
        prefix,
        {
            "GATEWAY_HOST": stack.host,
            "GATEWAY_PORT": str(port),
            **{f"{svc.upper()}_UPSTREAM": f"{stack.host}:{stack.ports[svc]}" for svc in SERVICES},
        },
    )
    proc = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{stack.host}:{port}"
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert proc.poll() is None, "nginx exited at start"
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{url}/gateway/healthz", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_workshop_from_one_address_is_served_without_a_failure(
    stack: Stack, tmp_path: Path
) -> None:
    if shutil.which("locust", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("locust is not installed in the virtualenv")
    prefix = tmp_path / "gateway"
    with _default_nginx(stack, prefix) as url:
        seed(url, accounts_needed(USERS), tmp_path / "seed.json")
        access_log, error_log = prefix / "logs" / "access.log", prefix / "logs" / "error.log"
        service_logs = sorted(stack.logs_dir.glob("*.log"))
        since = log_sizes([*service_logs, access_log, error_log])
        run = run_locust(
            url, tmp_path / "seed.json", tmp_path / "locust", users=USERS, spawn_rate=5,
            seconds=SECONDS,
        )  # fmt: skip
        stack.check_alive()
        errors = scan_logs(service_logs, access_log, error_log, since)
        statuses = access_statuses(access_log, since[access_log])

    assert run.samples, run.log.read_text()[-2000:]
    assert run.failures == {}, run.failures
    errors.pop(RETRIED, None)
    lost = "upstream prematurely closed connection while reading response header"
    nginx = [line for line in errors.pop(NGINX, []) if not (lost in line and '"GET ' in line)]
    assert nginx == []
    assert errors == {}, {name: lines[:3] for name, lines in errors.items()}
    assert not [status for status in statuses if status == 429 or status >= 500], statuses
    per_class = run.per_class()
    assert set(per_class) == set(WEIGHTS), per_class
    assert all(count > 0 for count in per_class.values()), per_class
    made = {(s.user_class, s.kind, s.name) for s in run.samples}
    answer = "/api/v1/assessment/assessments/<assessment_id>/answers/<indicator>"
    assert ("Respondent", "PUT", answer) in made  # autosaves with the session cookie
    assert ("Coordinator", "POST", "/api/v1/assessment/assessments") in made
    assert ("LiveListener", "SSE", "first event (unread) after connecting") in made
    assert ("AnonymousBrowser", "GET", "/catalogue/<slug>") in made
