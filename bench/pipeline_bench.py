"""Benchmark of the whole pipeline, submit to ``report.ready``, beside the report build time of
the same reports measured in the same run.

    .venv/bin/python bench/pipeline_bench.py                        # SQLite in a temp dir
    .venv/bin/python bench/pipeline_bench.py --database-url postgresql://postgres@127.0.0.1/postgres
    .venv/bin/python bench/pipeline_bench.py --count 5              # a quick look

The whole platform runs as real processes, started by deploy/local/stack.py's ``Stack`` the way
tests/conftest.py starts it (nginx gateway, three gunicorns, the three event processes with their
outbox relays and consumers, the reports Celery worker, the demo data). As
coordinator@demo.example, each submission starts an assessment through the gateway and answers
every indicator of the framework (not timed); after an idle gap the clock starts just before
``POST /api/v1/assessment/assessments/<id>/submit`` and stops when the ``report.ready`` event of
that assessment is on the reports service's stream (``reports:events``, read with XREAD BLOCK,
matched on ``data.assessment_id``). On the way: the assessment service's outbox row, its relay
to ``assessment:events``, the reports consumer creating the job and queueing the Celery task,
the worker building HTML + PDF + XLSX and storing them with ``report.ready`` in its outbox, and
the reports relay. Submissions are sequential, so each one meets an idle system.

1. Submit -> ``report.ready`` (p50, p95; target p95 < 3 s), beside the build of the same report
   as its job records it (``created_at`` -> ``finished_at`` of the report job, read through the
   reports API: the Celery hop, the build and the storing of the files; the job records no
   separate build start), and the difference per submission: what the pipeline adds.
2. Where the time goes (information, medians): the submit request, the assessment relay, the
   reports consumer, the build, the reports relay.

Everything it starts (the stack, a claimed Redis database, PostgreSQL databases) is stopped or
released on exit, Ctrl-C included; only 127.0.0.1 is used. Exit status 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import redis
import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO_ROOT / "deploy" / "local"))
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    claimed_redis_database,
    default_redis_url,
    exit_on_sigterm,
    load_average,
    p95,
    print_section,
    print_verdict,
    web_workers,
)
from stack import DEMO_PASSWORD, SERVICES, Stack, free_port  # noqa: E402  (deploy/ is no package)

P95_TARGET_S = 3.0
COLUMNS = Columns(label=38, value=16, baseline=40, target=14)
COORDINATOR = "coordinator@demo.example"
ASSESSMENT_STREAM = "assessment:events"  # shared.bus.stream_name("assessment")
REPORTS_STREAM = "reports:events"  # reports.config.STREAM
READY_TIMEOUT_S = 120.0
# As tests/conftest.py: nginx's real limits, only higher; cheap password hashing.
GENEROUS_LIMITS = {
    "GATEWAY_LOGIN_RATE": "100r/s",
    "GATEWAY_LOGIN_BURST": "1000",
    "GATEWAY_WRITE_RATE": "1000r/s",
    "GATEWAY_WRITE_BURST": "1000",
}
FAST_HASHING = {
    "PORTAL_ARGON2_TIME_COST": "1",
    "PORTAL_ARGON2_MEMORY_KIB": "8192",
    "PORTAL_ARGON2_PARALLELISM": "1",
}
VALUES: tuple[int | str, ...] = (1, 2, 2, 3, 3, 3, 4, 4, 5, "dont_know")
CONFIDENCES = (None, "low", "medium", "high")
COMMENTS = (
    "",
    "",
    "Données saisies dans SYDONIA, mais la qualité varie selon les bureaux.",
    "The risk unit keeps its own spreadsheet; nobody owns the master data.",
)


# ---------------------------------------------------------------------------------- reporting
def ms(seconds: float) -> str:
    """Format seconds as whole milliseconds."""
    return f"{seconds * 1000:,.0f} ms"


# ------------------------------------------------------------------------------ the platform
def _postgres_env(server_url: str, cleanup: contextlib.ExitStack) -> dict[str, str]:
    """Fresh PostgreSQL databases for the three services on ``server_url``, dropped at the end
    (as tests/conftest.py's ``_database_env`` makes them)."""
    os.environ["TEST_POSTGRES_URL"] = server_url  # where shared.testing creates them
    from shared.testing import drop_postgres_database, fresh_postgres_database

    env = {}
    for svc in SERVICES:
        database = f"sc_pipeline_bench_{svc}_{os.getpid()}"
        env[f"{svc.upper()}_DATABASE_URL"] = fresh_postgres_database(database)
        cleanup.callback(drop_postgres_database, database)
    return env


@contextlib.contextmanager
def running_platform(args: argparse.Namespace) -> Iterator[tuple[Stack, str]]:
    """Start the whole platform (demo data seeded) behind nginx; yield it and its Redis URL."""
    with contextlib.ExitStack() as cleanup:
        redis_url = cleanup.enter_context(claimed_redis_database(args.redis_url, ttl_s=3600))
        databases = _postgres_env(args.database_url, cleanup) if args.database_url else {}
        folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="sc-pipeline-bench-"))
        running = Stack(
            Path(folder) / "stack",
            ports={name: free_port() for name in ("gateway", "redis", *SERVICES)},
            env={**GENEROUS_LIMITS, **FAST_HASHING, **databases},
            gateway="nginx",
            seed_demo=True,
            redis_url=redis_url,
        )
        cleanup.callback(running.stop)  # runs before the databases are dropped
        running.start()
        yield running, redis_url


# ------------------------------------------------------------------------------ one submission
@dataclass
class Timing:
    """One submission's clock readings, in seconds from just before the submit request."""

    assessment_id: str
    submit_http: float
    submitted_seen: float  # ``assessment.submitted`` of it on assessment:events
    job_created: float  # the report job's created_at (the reports consumer)
    job_finished: float  # its finished_at (the worker, files stored)
    ready_seen: float  # ``report.ready`` of it on reports:events
    formats: list[str]

    @property
    def build(self) -> float:
        """The build as the job records it: created_at -> finished_at."""
        return self.job_finished - self.job_created

    @property
    def overhead(self) -> float:
        """What the pipeline adds to the build."""
        return self.ready_seen - self.build


class Client:
    """The coordinator's calls through the gateway, and the event streams read from Redis."""

    def __init__(self, gateway: str, redis_url: str) -> None:
        self.gateway = gateway
        self.http = requests.Session()
        self.redis = redis.Redis.from_url(redis_url)
        self.rng = random.Random(2026)
        self._login()
        self.indicators: dict[tuple[str, str], list[str]] = {}

    def close(self) -> None:
        """Close the connections."""
        self.http.close()
        self.redis.close()

    def _login(self) -> None:
        response = self.http.post(
            f"{self.gateway}/api/v1/portal/auth/login",
            json={"email": COORDINATOR, "password": DEMO_PASSWORD},
            timeout=10,
        )
        response.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def call(self, method: str, path: str, expected: int = 200, **kwargs: Any) -> Any:
        """Send one request to the gateway; return the JSON body (raise on another status)."""
        response = self.http.request(method, f"{self.gateway}{path}", timeout=30, **kwargs)
        if response.status_code == 401:  # the token expired (1 h): sign in again, once
            self._login()
            response = self.http.request(method, f"{self.gateway}{path}", timeout=30, **kwargs)
        if response.status_code != expected:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else None

    def _indicator_keys(self, framework: str, version: str) -> list[str]:
        if (framework, version) not in self.indicators:
            document = self.call("GET", f"/api/v1/assessment/frameworks/{framework}/{version}")
            self.indicators[(framework, version)] = [
                indicator["key"]
                for area in document["document"]["areas"]
                for indicator in area["indicators"]
            ]
        return self.indicators[(framework, version)]

    def prepare(self, number: int) -> tuple[str, int]:
        """Start an assessment and answer every indicator; return its id and the count."""
        language = "fr" if number % 2 else "en"
        created = self.call(
            "POST",
            "/api/v1/assessment/assessments",
            expected=201,
            json={"title": f"Pipeline benchmark {number}", "language": language},
        )
        keys = self._indicator_keys(created["framework_key"], created["framework_version"])
        for key in keys:
            answer = {
                "value": self.rng.choice(VALUES),
                "confidence": self.rng.choice(CONFIDENCES),
                "comment": self.rng.choice(COMMENTS),
            }
            self.call(
                "PUT", f"/api/v1/assessment/assessments/{created['id']}/answers/{key}", json=answer
            )
        return str(created["id"]), len(keys)

    def last_ids(self) -> dict[str, str]:
        """Return the id of the newest entry of each stream watched (``0-0`` when empty)."""
        ids = {}
        for stream in (ASSESSMENT_STREAM, REPORTS_STREAM):
            newest: Any = self.redis.xrevrange(stream, count=1)
            ids[stream] = newest[0][0].decode() if newest else "0-0"
        return ids

    def submit(self, assessment_id: str) -> Timing:
        """Submit, then read both streams until this assessment's ``report.ready`` shows."""
        after = self.last_ids()
        started_wall, started = time.time(), time.perf_counter()
        self.call("POST", f"/api/v1/assessment/assessments/{assessment_id}/submit", json={})
        submit_http = time.perf_counter() - started
        seen = self._wait_for_events(assessment_id, after, started)
        report = self.call("GET", f"/api/v1/reports/reports/{seen['report_id']}")
        created = datetime.fromisoformat(report["created_at"]).timestamp() - started_wall
        finished = datetime.fromisoformat(report["finished_at"]).timestamp() - started_wall
        return Timing(
            assessment_id,
            submit_http,
            seen["assessment.submitted"],
            created,
            finished,
            seen["report.ready"],
            list(seen["formats"]),
        )

    def _wait_for_events(
        self, assessment_id: str, after: dict[str, str], started: float
    ) -> dict[str, Any]:
        """XREAD BLOCK from ``after`` until ``report.ready`` of ``assessment_id``; return when
        (seconds from ``started``) each of its events was seen, with the report's id."""
        seen: dict[str, Any] = {}
        deadline = started + READY_TIMEOUT_S
        while "report.ready" not in seen:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"no report.ready for {assessment_id} in {READY_TIMEOUT_S} s")
            response: Any = self.redis.xread(dict(after.items()), block=1000)
            now = time.perf_counter() - started
            for stream, entries in response or []:
                for entry_id, fields in entries:
                    after[stream.decode()] = entry_id.decode()
                    event = json.loads(fields[b"event"])
                    if event["data"].get("assessment_id") != assessment_id:
                        continue
                    if event["type"] == "report.failed":
                        raise RuntimeError(f"report failed: {event['data'].get('reason')}")
                    if event["type"] == "report.ready":
                        seen.update(
                            report_id=event["data"]["report_id"], formats=event["data"]["formats"]
                        )
                    seen.setdefault(event["type"], now)
        return seen


# ------------------------------------------------------------------------------- measurement
def run_submissions(client: Client, args: argparse.Namespace, stack: Stack) -> list[Timing]:
    """Warm up, then time ``args.count`` sequential submissions; return the timed ones."""
    timings = []
    for number in range(args.warmup + args.count):
        assessment_id, answered = client.prepare(number)
        time.sleep(args.idle)  # let the answers' writes and the previous report settle
        timing = client.submit(assessment_id)
        stack.check_alive()
        kind = "warm-up" if number < args.warmup else f"{number - args.warmup + 1}/{args.count}"
        print(
            f"  {kind:>8}: {answered} answers, submit -> report.ready {ms(timing.ready_seen)}, "
            f"build {ms(timing.build)}",
            flush=True,
        )
        if number >= args.warmup:
            timings.append(timing)
    return timings


def result_lines(timings: list[Timing]) -> list[Line]:
    """Return the headline figures: end to end beside the build of the same reports."""
    e2e = [t.ready_seen for t in timings]
    build = [t.build for t in timings]
    overhead = [t.overhead for t in timings]
    e2e_p95 = p95(e2e)
    formats = sorted({", ".join(t.formats) for t in timings})
    return [
        Line(
            "submit -> report.ready, p50",
            ms(statistics.median(e2e)),
            f"build alone (job record) {ms(statistics.median(build))}",
        ),
        Line(
            "submit -> report.ready, p95",
            ms(e2e_p95),
            f"build alone (job record) {ms(p95(build))}",
            f"p95 < {P95_TARGET_S:.0f} s",
            e2e_p95 < P95_TARGET_S,
        ),
        Line("submit -> report.ready, max", ms(max(e2e)), f"build alone {ms(max(build))}"),
        Line(
            "pipeline overhead (e2e - build), p50",
            ms(statistics.median(overhead)),
            f"{statistics.median(overhead) / statistics.median(e2e):.0%} of the e2e p50",
        ),
        Line("pipeline overhead (e2e - build), p95", ms(p95(overhead))),
        Line("formats of every report", " / ".join(formats) or "-"),
    ]


def breakdown_lines(timings: list[Timing]) -> list[Line]:
    """Return where the time goes, step by step (medians over the timed submissions)."""

    def median(values: list[float]) -> str:
        return ms(statistics.median(values))

    return [
        Line("submit request (HTTP, outbox row)", median([t.submit_http for t in timings])),
        Line(
            "-> assessment.submitted on stream",
            median([t.submitted_seen - t.submit_http for t in timings]),
            "assessment relay (after the response)",
        ),
        Line(
            "-> report job created",
            median([t.job_created - t.submitted_seen for t in timings]),
            "reports consumer (wall clocks compared)",
        ),
        Line(
            "-> report job ready",
            median([t.build for t in timings]),
            "Celery hop + build + files stored",
        ),
        Line(
            "-> report.ready on stream",
            median([t.ready_seen - t.job_finished for t in timings]),
            "reports relay (wall clocks compared)",
        ),
    ]


# ------------------------------------------------------------------------------- entry point
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20, help="timed submissions")
    parser.add_argument("--warmup", type=int, default=2, help="submissions before, not counted")
    parser.add_argument("--idle", type=float, default=0.5, help="seconds idle before each submit")
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL: fresh databases for the three services are created there "
        "and dropped afterwards (default: SQLite files in a temp dir)",
    )
    parser.add_argument(
        "--redis-url",
        default=default_redis_url(),
        help="Redis server (a free database 9-15 on it is claimed and emptied)",
    )
    args = parser.parse_args(argv)
    if args.count < 1 or args.warmup < 0 or args.idle < 0:
        parser.error("--count must be at least 1, --warmup and --idle not negative")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when the target is met."""
    args = parse_args(argv)
    exit_on_sigterm()
    # Ctrl-C even when started in the background of a script (SIGINT then comes ignored).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print("starting the platform (deploy/local/stack.py) ...", flush=True)
    with running_platform(args) as (stack, redis_url):
        load_before = os.getloadavg()[0]
        print(f"ready at {stack.url}; {args.warmup} warm-up + {args.count} submissions", flush=True)
        client = Client(stack.url, redis_url)
        try:
            timings = run_submissions(client, args, stack)
        finally:
            client.close()
    engine = "PostgreSQL" if args.database_url else "SQLite"
    lines = result_lines(timings)
    print_section(
        f"1. Submit -> report.ready through the gateway ({args.count} sequential submissions "
        f"after {args.warmup} warm-up, {args.idle:g} s idle before each; {engine}; nginx, "
        f"gunicorn --workers {web_workers('assessment')}, celery --concurrency 2; "
        f"{load_average(load_before)})",
        lines,
        COLUMNS,
    )
    print_section(
        "2. Where the time goes (medians, information)", breakdown_lines(timings), COLUMNS
    )
    return print_verdict(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # everything is stopped by then: the context managers ran
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
