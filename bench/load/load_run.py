"""Running locust headless on ``locustfile.py`` in its own process, and the figures of its run.

    run = run_locust(gateway_url, seed_file, workdir, users=50, spawn_rate=5, seconds=180)
    rows = endpoint_rows(run.samples, run.steady_start, run.ended_at)

locust runs in a subprocess (it patches sockets with gevent, which must not happen to the
caller) with ``--csv`` (its own statistics, kept beside the summary) and the summary file of
``locustfile.py``: every request with its user class, from which the rows here are computed
exactly (no histogram buckets), over a chosen window of time.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOAD_DIR = Path(__file__).resolve().parent
LOCUSTFILE = LOAD_DIR / "locustfile.py"
SIGN_INS = ("/login", "/api/v1/portal/auth/login")
SETTLE_S = 5.0  # after the last sign-in, before the steady window starts


@dataclass
class Sample:
    """One request as the locustfile recorded it."""

    at: float
    user_class: str
    kind: str
    name: str
    ms: float
    status: int
    failed: bool


@dataclass
class LocustRun:
    """What one locust run left: its samples, its moments and where its files are."""

    samples: list[Sample]
    failures: dict[str, int]
    started_at: float
    spawned_at: float
    ended_at: float
    exit_code: int
    log: Path
    pid: int

    @property
    def steady_start(self) -> float:
        """Where the steady window starts: every user spawned and signed in, then a settle."""
        signed = [s.at for s in self.samples if s.name in SIGN_INS]
        return max([self.spawned_at, *signed]) + SETTLE_S

    def per_class(self) -> dict[str, int]:
        """Return how many requests each user class made."""
        counts: dict[str, int] = {}
        for sample in self.samples:
            counts[sample.user_class] = counts.get(sample.user_class, 0) + 1
        return counts


def locust_argv(
    host: str, csv_prefix: Path, users: int, spawn_rate: float, seconds: int
) -> list[str]:
    """Return locust's command line for a headless run of the locustfile."""
    return [
        str(Path(sys.executable).parent / "locust"),
        "-f", str(LOCUSTFILE),
        "--headless", "--only-summary",
        "-u", str(users), "-r", str(spawn_rate), "-t", f"{seconds}s",
        "--host", host,
        "--csv", str(csv_prefix),
        "--loglevel", "WARNING",
    ]  # fmt: skip


def run_locust(
    host: str,
    seed_file: Path,
    workdir: Path,
    *,
    users: int,
    spawn_rate: float,
    seconds: int,
    on_start: Any = None,
) -> LocustRun:
    """Run locust against ``host`` and return its run (``on_start(pid)``: once it started)."""
    workdir.mkdir(parents=True, exist_ok=True)
    summary = workdir / "summary.json"
    summary.unlink(missing_ok=True)
    log = workdir / "locust.log"
    env = {
        **os.environ,
        "LOAD_SEED_FILE": str(seed_file),
        "LOAD_SUMMARY_FILE": str(summary),
        "PYTHONUNBUFFERED": "1",
    }
    argv = locust_argv(host, workdir / "locust", users, spawn_rate, seconds)
    with open(log, "wb") as output:
        popen = subprocess.Popen(
            argv, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    if on_start is not None:
        on_start(popen.pid)
    try:
        code = popen.wait(timeout=seconds + 120)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait()
        raise RuntimeError(f"locust did not stop; see {log}") from None
    if not summary.exists():
        raise RuntimeError(f"locust exited with {code} and no summary:\n{log.read_text()[-3000:]}")
    body = json.loads(summary.read_text(encoding="utf-8"))
    return LocustRun(
        samples=[Sample(*row) for row in body["samples"]],
        failures=body["failures"],
        started_at=body["started_at"],
        spawned_at=body["spawned_at"] or body["started_at"],
        ended_at=body["ended_at"],
        exit_code=code,
        log=log,
        pid=popen.pid,
    )


def percentile(values: list[float], share: float) -> float:
    """Return the nearest-rank percentile (``share`` in 0-1) of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Row:
    """One endpoint's figures over a window."""

    kind: str
    name: str
    count: int
    failures: int
    rate: float
    p50: float
    p95: float
    p99: float

    @property
    def error_percent(self) -> float:
        """Failed requests in % of all."""
        return 100 * self.failures / self.count if self.count else 0.0


def rows_of(
    samples: list[Sample], start: float, end: float, seconds: float | None = None
) -> list[Row]:
    """Return a row per (type, name) for the samples between ``start`` and ``end`` (rates over
    ``seconds``, by default the window's length)."""
    groups: dict[tuple[str, str], list[Sample]] = {}
    for sample in samples:
        if start <= sample.at <= end:
            groups.setdefault((sample.kind, sample.name), []).append(sample)
    seconds = max(end - start if seconds is None else seconds, 1e-9)
    rows = []
    for (kind, name), group in sorted(groups.items(), key=lambda item: item[0][1]):
        times = [s.ms for s in group]
        rows.append(
            Row(
                kind,
                name,
                len(group),
                sum(s.failed for s in group),
                len(group) / seconds,
                percentile(times, 0.50),
                percentile(times, 0.95),
                percentile(times, 0.99),
            )
        )
    return rows
