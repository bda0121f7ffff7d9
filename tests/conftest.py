"""Fixtures for the system tests: the whole platform running as real processes.

``stack`` (session scope) starts everything once (deploy/local/stack.py): Redis, the three
services' databases, demo data, the three gunicorns, the event relays, the Celery worker and the
gateway (nginx; in CI nginx is required, elsewhere the dispatcher stands in when nginx is
missing). ``gateway_url`` is its base URL, e.g. ``f"{gateway_url}/api/v1/portal/auth/login"``.

Where things come from:
- Redis: the server in REDIS_URL when set (`make test` always sets it), on a database claimed
  with the lock of shared/shared/testing.py so no other test flushes it; otherwise a Redis of
  the stack's own.
- Databases: PORTAL_DATABASE_URL etc. when set; else fresh PostgreSQL databases when
  TEST_DB=postgresql (at TEST_POSTGRES_URL); else SQLite files in the stack's temp folder.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy" / "local"))

from stack import SERVICES, Stack, free_port

from portal.demo import DEMO_PASSWORD
from shared.testing import claim_redis_database

# Tests hammer the API: the gateway's limits are nginx's real ones, only higher.
GENEROUS_LIMITS = {
    "GATEWAY_LOGIN_RATE": "100r/s",
    "GATEWAY_LOGIN_BURST": "1000",
    "GATEWAY_WRITE_RATE": "1000r/s",
    "GATEWAY_WRITE_BURST": "1000",
}
# The schedulers' commands (each loads a whole app) would compete with the tests for the CPU;
# no test needs them to run (tests/contract/test_local_schedulers.py tests the runner).
QUIET_SCHEDULERS = {"SCHEDULER_FIRST_RUN_S": "86400"}
# Cheap password hashing: many logins; hashes carry their parameters, so nothing else changes.
FAST_HASHING = {
    "PORTAL_ARGON2_TIME_COST": "1",
    "PORTAL_ARGON2_MEMORY_KIB": "8192",
    "PORTAL_ARGON2_PARALLELISM": "1",
}


def _claim_redis_database(base_url: str, cleanup: contextlib.ExitStack) -> str:
    """Claim and empty a Redis database on the server of ``base_url``; release it at the end."""
    url, release = claim_redis_database(base_url)
    cleanup.callback(release)
    return url


def _database_env(cleanup: contextlib.ExitStack) -> dict[str, str]:
    """Database URLs for the stack's processes (empty: the stack's SQLite files)."""
    names = {svc: f"{svc.upper()}_DATABASE_URL" for svc in SERVICES}
    given = {name: os.environ[name] for name in names.values() if os.environ.get(name)}
    if given:
        return given
    if not os.environ.get("TEST_DB", "sqlite").lower().startswith("postgres"):
        return {}
    from shared.testing import drop_postgres_database, fresh_postgres_database

    env = {}
    for svc, name in names.items():
        database = f"sc_stack_{svc}_{os.getpid()}"
        env[name] = fresh_postgres_database(database)
        cleanup.callback(drop_postgres_database, database)
    return env


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole platform, started once per test session, with the demo data seeded."""
    with contextlib.ExitStack() as cleanup:
        redis_url = None
        if os.environ.get("REDIS_URL"):
            redis_url = _claim_redis_database(os.environ["REDIS_URL"], cleanup)
        running = Stack(
            tmp_path_factory.mktemp("stack"),
            ports={name: free_port() for name in ("gateway", "redis", *SERVICES)},
            env={**GENEROUS_LIMITS, **FAST_HASHING, **QUIET_SCHEDULERS, **_database_env(cleanup)},
            gateway="nginx" if os.environ.get("CI") else "auto",
            seed_demo=True,
            redis_url=redis_url,
        )
        cleanup.callback(running.stop)  # runs before the databases are dropped
        running.start()
        yield running


@pytest.fixture(scope="session")
def gateway_url(stack: Stack) -> str:
    """Base URL of the running platform's gateway (no trailing slash)."""
    return str(stack.url)


@pytest.fixture(scope="session")
def sign_in(gateway_url: str) -> Callable[..., dict[str, str]]:
    """Return a function that signs in through the gateway and returns Authorization headers."""

    def headers(email: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        response = requests.post(
            f"{gateway_url}/api/v1/portal/auth/login",
            json={"email": email, "password": password},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return headers


@pytest.fixture(scope="session")
def wait_for() -> Callable[..., Any]:
    """Return ``wait(fetch, timeout_s=60, pause_s=0.25)``: ``fetch()``'s first truthy value."""

    def wait(fetch: Callable[[], Any], timeout_s: float = 60.0, pause_s: float = 0.25) -> Any:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = fetch()
            if value:
                return value
            time.sleep(pause_s)
        raise AssertionError(f"nothing after {timeout_s} s")

    return wait
