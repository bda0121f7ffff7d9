"""Benchmark of report building, each figure beside a baseline measured in the same run.

    .venv/bin/python bench/reports_bench.py                          # SQLite in a temp dir
    .venv/bin/python bench/reports_bench.py --database-url postgresql://postgres@127.0.0.1/postgres
    .venv/bin/python bench/reports_bench.py --skip-worker            # build times only

1. One report, HTML + PDF + XLSX together (``builder.build_files``), over realistic reports
   (``bench/report_data.py``: the shipped framework, teams of respondents, comments, progress),
   half in French, half in English; beside WeasyPrint alone rendering the same final HTML with
   its defaults (``weasyprint.HTML(string=...).write_pdf()``), timed in the same loop.
2. A real worker (``celery -A reports.worker worker --pool prefork --concurrency 2``) on real
   Redis and the reports database: reports per minute from the first task queued to the last
   report stored, and the resident memory of each worker process after the run.

Only 127.0.0.1 is used; the worker, its Redis database and a PostgreSQL database are released
on exit, Ctrl-C included. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import report_data  # noqa: E402  (beside this file)
from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    children,
    claimed_redis_database,
    default_redis_url,
    fresh_database,
    p95,
    print_section,
    rss_mb,
)

MEDIAN_TARGET_S = 1.0
RATIO_TARGET = 2.0
RATE_TARGET_PER_MIN = 60.0
RSS_TARGET_MB = 250.0
QUEUE = "reports-bench"
COLUMNS = Columns(label=38, value=18, baseline=34, target=16)
RESOURCES = [
    {
        "item_id": f"res-{tag}",
        "kind": "guide",
        "visibility": "public" if n % 2 else "members",
        "languages": ["en", "fr"],
        "titles": {"en": f"Guide: {tag}", "fr": f"Guide\u00a0: {tag}"},
        "tags": [tag],
        "url": f"/resources/{tag}",
    }
    for n, tag in enumerate(
        ("governance", "data-quality", "analytics", "legal", "training", "cloud", "strategy")
    )
]


def payloads(count: int) -> list[tuple[dict[str, Any], str]]:
    """Return ``count`` realistic payloads with their report language (half French)."""
    return [
        (report_data.submission(seed, with_previous=seed % 3 != 0), "fr" if seed % 2 else "en")
        for seed in range(1, count + 1)
    ]


# ------------------------------------------------------------------------------- 1. building
def bench_build(count: int) -> list[Line]:
    """Time whole builds beside WeasyPrint alone on the same HTML."""
    import weasyprint

    from reports.builder import build_files

    cases = payloads(count)
    build_files(*cases[0], resources=RESOURCES)  # warm-up: imports, fonts, templates
    weasyprint.HTML(string="<p>warm-up</p>").write_pdf()
    totals, alone, cpu, pages = [], [], [], []
    for data, language in cases:
        started, cpu_started = time.perf_counter(), time.process_time()
        files = build_files(data, language, resources=RESOURCES, public_url="http://x.example")
        totals.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
        html = files[0].content.decode("utf-8")
        started = time.perf_counter()
        document = weasyprint.HTML(string=html).render()
        document.write_pdf()
        alone.append(time.perf_counter() - started)
        pages.append(len(document.pages))
    median, median_alone = statistics.median(totals), statistics.median(alone)
    ratio = median / median_alone
    return [
        Line(f"reports built ({count})", f"{min(pages)}-{max(pages)} pages", "", ""),
        Line(
            "build, median (wall)",
            f"{median * 1000:.0f} ms",
            f"WeasyPrint alone {median_alone * 1000:.0f} ms",
            f"< {MEDIAN_TARGET_S * 1000:.0f} ms",
            median < MEDIAN_TARGET_S,
        ),
        Line(
            "build, p95 (wall)",
            f"{p95(totals) * 1000:.0f} ms",
            f"WeasyPrint alone {p95(alone) * 1000:.0f} ms",
        ),
        Line("build, median (CPU of this process)", f"{statistics.median(cpu) * 1000:.0f} ms"),
        Line(
            "build / WeasyPrint alone (medians)",
            f"{ratio:.2f} x",
            "",
            f"<= {RATIO_TARGET:.1f} x",
            ratio <= RATIO_TARGET,
        ),
    ]


# --------------------------------------------------------------------------------- 2. worker
@contextlib.contextmanager
def reports_database(requested: str | None) -> Iterator[str]:
    """Yield a fresh reports database: a temp SQLite file, or a new PostgreSQL database."""
    with (
        tempfile.TemporaryDirectory(prefix="reports-bench-") as folder,
        fresh_database(
            requested, Path(folder) / "reports.db", f"reports_bench_{uuid.uuid4().hex[:8]}"
        ) as url,
    ):
        yield url


def _environment(database_url: str, redis_url: str, folder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTS_")}
    env.update(
        REDIS_URL=redis_url,
        REPORTS_DATABASE_URL=database_url,
        REPORTS_CELERY_QUEUE=QUEUE,
        DATA_DIR=folder,
        LOG_LEVEL="WARNING",
        LOG_FORMAT="json",
        AUTH_JWKS_URL="http://127.0.0.1:9/unused",
    )
    return env


@contextlib.contextmanager
def worker(
    env: dict[str, str], log_path: Path, concurrency: int
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a real prefork worker; warm shutdown on exit, then kill what is left."""
    command = [
        sys.executable, "-m", "celery", "-A", "reports.worker", "worker",
        "--pool", "prefork", "--concurrency", str(concurrency), "--queues", QUEUE,
        "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--hostname", f"bench-{uuid.uuid4().hex[:8]}@%h",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while b"ready." not in log_path.read_bytes():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def bench_worker(count: int, concurrency: int, database: str | None, redis_base: str) -> list[Line]:
    """Queue ``count`` report jobs for a real worker; measure the rate and the memory after."""
    os.environ.pop("REPORTS_CELERY_QUEUE", None)
    with (
        claimed_redis_database(redis_base) as redis_url,
        reports_database(database) as database_url,
        tempfile.TemporaryDirectory(prefix="reports-bench-") as folder,
    ):
        env = _environment(database_url, redis_url, folder)
        os.environ.update({k: env[k] for k in ("REDIS_URL", "REPORTS_DATABASE_URL", "DATA_DIR")})
        os.environ["REPORTS_CELERY_QUEUE"] = QUEUE
        from sqlalchemy import func, select

        from reports import create_app, jobs, resources
        from reports.migrations import SCHEMA
        from reports.models import JobStatus, ReportJob
        from shared.events import new_event
        from shared.migrations import upgrade

        upgrade(SCHEMA, database_url)  # the app refuses a database behind its code
        app = create_app()
        db = app.extensions["db"]
        with db.session(write=True) as session:
            for resource in RESOURCES:
                event = new_event("content.published", source="portal", data=resource)
                resources.apply_content_event(event, session=session)
        cases = payloads(30)
        events = []
        for n in range(count):
            data, language = cases[n % len(cases)]
            data = {**data, "assessment_id": f"asm-bench-{n}", "language": language}
            events.append(new_event("assessment.submitted", source="assessment", data=data))
        queued: list[str] = []
        for event in events:  # the jobs exist first: the clock times the worker alone
            with db.session(write=True) as session:
                jobs.accept_submission(event, session=session, enqueue=queued.append)
        with worker(env, Path(folder) / "worker.log", concurrency) as process:
            started = time.perf_counter()
            enqueue = jobs_enqueuer(app)
            for job_id in queued:
                enqueue(job_id)
            ready = 0
            while ready < count:
                time.sleep(0.5)
                with db.session() as session:
                    ready = int(
                        session.scalar(
                            select(func.count()).where(ReportJob.status == JobStatus.READY)
                        )
                        or 0
                    )
                    failed = session.scalar(
                        select(func.count()).where(ReportJob.status == JobStatus.FAILED)
                    )
                if failed:
                    raise RuntimeError(f"{failed} reports failed; see {folder}/worker.log")
                if process.poll() is not None:
                    raise RuntimeError((Path(folder) / "worker.log").read_text())
            elapsed = time.perf_counter() - started
            pool = children(process.pid)
            main_rss = rss_mb(process.pid)
            pool_rss = [rss_mb(pid) for pid in pool]
        app.extensions["celery"].close()
        db.dispose()
    per_minute = count / elapsed * 60
    largest = max([main_rss, *pool_rss])
    label = "SQLite" if not database else "PostgreSQL"
    return [
        Line(
            f"reports per minute ({count}, {label})",
            f"{per_minute:.0f} /min",
            f"{elapsed:.1f} s, concurrency {concurrency}",
            f">= {RATE_TARGET_PER_MIN:.0f} /min",
            per_minute >= RATE_TARGET_PER_MIN,
        ),
        Line(
            f"worker RSS after {count} reports",
            f"{largest:.0f} MB",
            "main "
            + f"{main_rss:.0f} MB, pool "
            + ", ".join(f"{value:.0f}" for value in pool_rss)
            + " MB",
            f"< {RSS_TARGET_MB:.0f} MB",
            largest < RSS_TARGET_MB,
        ),
    ]


def jobs_enqueuer(app: Any) -> Any:
    """Return the service's own enqueuer (sends the task with the request context headers)."""
    from reports.celery_app import build_enqueuer

    return build_enqueuer(app)


def main() -> int:
    """Run the benchmark and print PASS/FAIL beside each target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=30, help="reports timed one by one")
    parser.add_argument("--worker-reports", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (default SQLite)")
    parser.add_argument("--redis-url", default=default_redis_url())
    parser.add_argument("--skip-worker", action="store_true")
    args = parser.parse_args()
    lines = bench_build(args.reports)
    print_section(
        "1. One report: HTML + PDF + XLSX (beside WeasyPrint alone, same HTML)", lines, COLUMNS
    )
    if not args.skip_worker:
        worker_lines = bench_worker(
            args.worker_reports, args.concurrency, args.database_url, args.redis_url
        )
        print_section("2. A real worker on real Redis", worker_lines, COLUMNS)
        lines += worker_lines
    return 0 if all(line.passed is not False for line in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
