"""The in-process portal benchmarks' common part (forum_bench.py, members_bench.py): the portal's
WSGI app on a fresh database, a signed-in member, the SQL statements of a request, the targets
timed in alternating rounds beside ``/healthz`` and their figures.

Imported from beside them, as they import harness.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import Line, add_database_kind_arguments, fresh_database, p95

HEALTHZ = "/api/v1/portal/healthz"
# What one request of a path answers, for the figures (client, headers, path, statements).
Shape = Callable[[Any, dict[str, str], str, "Statements"], str]


# ------------------------------------------------------------------------------ the app
def make_app(database_url: str, redis_url: str) -> Any:
    """Upgrade the database, seed the demo accounts and return the portal app (not testing)."""
    from portal import create_app
    from portal.demo import seed_demo
    from portal.migrations import SCHEMA
    from shared import migrations

    migrations.upgrade(SCHEMA, database_url)
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "AUTH_ISSUER": "http://127.0.0.1/bench",
            "LOG_LEVEL": "WARNING",
            "PORTAL_KEY_ACTIVATION_S": 0,
            "PORTAL_ARGON2_TIME_COST": 1,
            "PORTAL_ARGON2_MEMORY_KIB": 1024,
            "PORTAL_ARGON2_PARALLELISM": 1,
        }
    )
    database = app.extensions["db"]
    with database.session(write=True) as session:
        seed_demo(session=session, passwords=app.extensions["portal.passwords"])
    return app


@contextmanager
def portal_app(
    kind: str, args: argparse.Namespace, redis_url: str, name: str
) -> Iterator[tuple[Any, str]]:
    """Yield the portal app on a fresh database of ``kind`` (``sc_<name>_bench_<pid>``) and the
    database's URL."""
    with (
        tempfile.TemporaryDirectory(prefix=f"sc-{name}-bench-") as tmp,
        fresh_database(
            None if kind == "sqlite" else args.postgres_url,
            Path(tmp) / "portal.db",
            f"sc_{name}_bench_{os.getpid()}",
        ) as database_url,
    ):
        os.environ.setdefault("DATA_DIR", tmp)
        app = make_app(database_url, redis_url)
        try:
            yield app, database_url
        finally:
            app.extensions["db"].dispose()


def sign_in(client: Any) -> dict[str, str]:
    """Return a demo member's Authorization header."""
    from portal.demo import DEMO_PASSWORD

    response = client.post(
        "/api/v1/portal/auth/login",
        json={"email": "coordinator@demo.example", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}


class Statements:
    """Records the SQL statements of the app's engine while ``recording`` is on."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.recording = False
        self.seen: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if self.recording:
            self.seen.append((statement, parameters))

    @contextmanager
    def record(self) -> Iterator[list[tuple[str, Any]]]:
        """Record the statements of the block."""
        self.seen = []
        self.recording = True
        try:
            yield self.seen
        finally:
            self.recording = False


def explain(app: Any, client: Any, headers: dict[str, str], path: str, stats: Statements) -> None:
    """Print PostgreSQL's plan (EXPLAIN ANALYZE) of each statement of one request."""
    with stats.record() as seen:
        client.get(path, headers=headers)
    engine = app.extensions["db"].engine
    print(f"\n  EXPLAIN {path}")
    with engine.connect() as connection:
        for statement, parameters in seen:
            if not statement.lstrip().upper().startswith("SELECT"):
                continue
            cursor = connection.connection.cursor()
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {statement}", parameters)
            for (line,) in cursor.fetchall():
                print(f"    {line}")
            cursor.close()
            print("    --")


# --------------------------------------------------------------------------- the measure
def measure(
    client: Any, headers: dict[str, str], paths: dict[str, list[str]], args: argparse.Namespace
) -> dict[str, list[float]]:
    """Time every target's requests in alternating rounds; return the times in ms by name."""
    times: dict[str, list[float]] = {name: [] for name in paths}
    for rotation in paths.values():  # warm up: five requests per target
        for n in range(5):
            client.get(rotation[n % len(rotation)], headers=headers)
    per_round = max(1, args.requests // args.rounds)
    for _ in range(args.rounds):
        for name, rotation in paths.items():
            for n in range(per_round):
                path = rotation[n % len(rotation)]
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    times[name] = []  # absent: reported with its status
                    break
                times[name].append(elapsed)
    return times


@dataclass
class Run:
    """One database's targets: their times in ms and what they answered, the load before."""

    times: dict[str, list[float]]
    shapes: dict[str, str]
    load_before: float


def measure_targets(
    app: Any,
    paths: dict[str, list[str]],
    shape: Shape,
    args: argparse.Namespace,
    explained: Iterable[str] | None = None,
) -> Run:
    """Measure each target (paths rotated over) as a member; with ``args.explain`` on
    PostgreSQL print the plans of the targets ``explained`` (default: every measured one)."""
    client = app.test_client()
    headers = sign_in(client)
    stats = Statements(app.extensions["db"].engine)
    for rotation in paths.values():  # the first request also reads revocations
        client.get(rotation[0], headers=headers)
    shapes = {name: shape(client, headers, p[0], stats) for name, p in paths.items()}
    load_before = os.getloadavg()[0]
    times = measure(client, headers, paths, args)
    if args.explain and app.extensions["db"].engine.dialect.name == "postgresql":
        chosen = set(paths) - {"baseline"} if explained is None else set(explained)
        for name, rotation in paths.items():
            if name in chosen and times[name]:
                explain(app, client, headers, rotation[0], stats)
    return Run(times, shapes, load_before)


def latency(values: list[float]) -> str:
    """Return the median and p95 of ``values`` (ms)."""
    return f"p50 {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms"


def target_lines(run: Run, target_ms: float) -> list[Line]:
    """Return each target's figure beside the baseline's (an absent one fails with its status)."""
    base = f"/healthz {latency(run.times['baseline'])}"
    target = f"p95 < {target_ms:.0f} ms"
    lines = []
    for name, values in run.times.items():
        if name == "baseline":
            continue
        if not values:
            lines.append(Line(name, run.shapes[name], base, target, False))
            continue
        shown = f"{base}; {run.shapes[name]}"
        lines.append(Line(name, latency(values), shown, target, p95(values) < target_ms))
    return lines


def add_round_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--requests``, ``--rounds``, ``--explain`` and the database servers' arguments."""
    parser.add_argument("--requests", type=int, default=300, help="requests per target")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plans")
    add_database_kind_arguments(parser)
