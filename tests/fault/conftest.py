"""Fixtures of the fault tests: the whole platform on a Redis and a PostgreSQL of its own.

``system`` (session scope) creates a private PostgreSQL cluster (the three service databases)
and a private Redis with AOF on, then starts every process of the platform on them with
deploy/local/stack.py: gunicorns behind nginx, event relays and consumers, the importer and the
Celery worker. A test may stop and restart either server, or kill a process of the stack, and
must leave the system running again: the next test starts from a recovered platform.

The settings below shorten what a test would otherwise wait for (a dead worker's task comes
back after the visibility timeout, webhook retries after their backoff); each is an ordinary
setting of the services, with the production default in its comment.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from platform_api import Coordinator
from private_servers import FaultSystem, PrivatePostgres, PrivateRedis
from stack import SERVICES, Stack, free_port

FAULT_SETTINGS = {
    # The gateway's limits stay nginx's own, only higher: the tests send many writes at once.
    "GATEWAY_LOGIN_RATE": "100r/s",
    "GATEWAY_LOGIN_BURST": "1000",
    "GATEWAY_WRITE_RATE": "1000r/s",
    "GATEWAY_WRITE_BURST": "1000",
    # Cheap password hashing (hashes carry their parameters).
    "PORTAL_ARGON2_TIME_COST": "1",
    "PORTAL_ARGON2_MEMORY_KIB": "8192",
    "PORTAL_ARGON2_PARALLELISM": "1",
    # A task held by a killed worker comes back after 30 s (production: 300 s), looked for
    # every second (production: 10 s). It must stay above the longest build (several seconds
    # on a busy machine), or a build still running is handed to a second worker process.
    "REPORTS_VISIBILITY_TIMEOUT_S": "30",
    "REPORTS_UNACKED_RESTORE_INTERVAL_S": "1",
    # Webhooks: the receivers are on this machine's loopback; retries after 1, 2, 4 s
    # (production: 10, 20, 40 s...), 4 attempts (production: 6), 3 s per attempt (production 5).
    "REPORTS_WEBHOOK_ALLOW_PRIVATE": "true",
    "REPORTS_WEBHOOK_BACKOFF_S": "1",
    "REPORTS_WEBHOOK_MAX_ATTEMPTS": "4",
    "REPORTS_WEBHOOK_TIMEOUT_S": "3",
}
# One web worker per service: fewer processes to start on a small machine (the stack's default
# is sized for serving, not for a test that sends one request at a time).
WEB_WORKERS = {"PORTAL_WEB_WORKERS": "1", "ASSESSMENT_WEB_WORKERS": "1", "REPORTS_WEB_WORKERS": "1"}


LOG_LINES = 30  # of each process, printed beside a failed test


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Print the end of every process's log beside a failed fault test (CI keeps nothing else)."""
    outcome = yield
    report = outcome.get_result()
    system = getattr(item, "funcargs", {}).get("system")
    if not report.failed or not isinstance(system, FaultSystem):
        return
    stack = system.stack
    logs = {name: stack.log_path(name) for name in stack.processes}
    logs["private-redis"] = system.redis.folder / "redis.log"
    for name, path in logs.items():
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_LINES:]
        except OSError as error:
            lines = [f"(no log: {error})"]
        report.sections.append((f"log of {name} ({path})", "\n".join(lines)))


@pytest.fixture(scope="session")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultSystem]:
    """The whole platform on a private Redis and a private PostgreSQL, started once."""
    with contextlib.ExitStack() as cleanup:
        postgres = PrivatePostgres()
        cleanup.callback(postgres.destroy)
        postgres.create()
        redis_server = PrivateRedis(tmp_path_factory.mktemp("fault-redis"))
        cleanup.callback(redis_server.stop)
        redis_server.start()
        databases = {
            f"{svc.upper()}_DATABASE_URL": postgres.sqlalchemy_url(svc) for svc in SERVICES
        }
        running = Stack(
            tmp_path_factory.mktemp("fault-stack"),
            ports={name: free_port() for name in ("gateway", *SERVICES)},
            env={**FAULT_SETTINGS, **databases},
            gateway="nginx" if os.environ.get("CI") else "auto",
            seed_demo=True,
            redis_url=redis_server.url,
            stop_grace_s=5.0,  # then SIGKILL: nothing of the stack is kept after the suite
        )
        cleanup.callback(running.stop)  # before the servers under it stop
        with pytest.MonkeyPatch.context() as patch:
            for name, value in WEB_WORKERS.items():
                patch.setenv(name, value)
            running.start()
        yield FaultSystem(running, redis_server, postgres)


@pytest.fixture
def coordinator(system: FaultSystem) -> Coordinator:
    """The demo administration's coordinator, signed in through the gateway (for one test)."""
    return Coordinator(system.gateway)
