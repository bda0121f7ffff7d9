"""Load test of the whole platform through the real gateway, with its default limits, from one
address: a workshop's realistic mix (bench/load/locustfile.py), per endpoint beside the same
service's lightest request measured in the same run, then the same run with one web service's
gunicorn workers doubled, to show where the next bottleneck is.

    .venv/bin/python bench/load_bench.py                         # PostgreSQL, 50 users, 180 s
    .venv/bin/python bench/load_bench.py --scale assessment      # which web service to double
    .venv/bin/python bench/load_bench.py --users 20 --duration 60 --scale none   # a quick look
    .venv/bin/python bench/load_bench.py --rounds 2 --duration 120   # a busy machine: alternate

Each run: fresh PostgreSQL databases (one per service, dropped afterwards; ``--sqlite`` for
SQLite files), the catalogue's database given ``--items`` synthetic published items (the portal
bench's bulk load) beside the demo content, then deploy/local/stack.py's ``Stack`` (nginx with
the template's default limits, three gunicorns, the event processes, the importer, the Celery
worker, real argon2 parameters) on a claimed Redis database. Through the gateway, as its
operator and a coordinator: an administration, its accounts and a workshop assessment with
every respondent invited (bench/load/load_seed.py). Then locust headless in its own process,
every user from 127.0.0.1. Around it: each service's ``/healthz`` and the gateway's own probed
every 0.5 s (10 s idle before, then under load), every process group's CPU from /proc once a
second (the stack's processes, locust, the run's PostgreSQL backends, the Redis server), and
the logs scanned for server errors afterwards (bench/load/load_observe.py says how).

With ``--rounds N`` the two configurations alternate N times (a busy moment of the shared
machine then weighs on both) and each one's steady requests are pooled across its rounds.
Targets (the default configuration; the scaled one is information): 0 failed requests and no
server error in any log over the whole run; in the steady window (every user signed in), p95 <
100 ms for each page and API read and < 50 ms for the answer save. Exit status 1 when one is
missed. After each run, ``--room`` live streams are opened at once (information).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import requests

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(REPO_ROOT / "deploy" / "local"))
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR / "load"))

from harness import (  # noqa: E402  (beside this file)
    Line,
    claimed_redis_database,
    default_redis_url,
    exit_on_sigterm,
    fresh_database,
    print_verdict,
)
from load_observe import (  # noqa: E402
    CpuSampler,
    Probe,
    access_statuses,
    log_sizes,
    open_streams,
    scan_logs,
)
from load_report import (  # noqa: E402
    PROBES,
    RunResult,
    compare,
    pool,
    print_baseline,
    print_cpu,
    print_endpoints,
    print_errors,
    print_processes,
    print_room,
    print_sign_ins,
    probe_rows,
)
from load_run import rows_of, run_locust  # noqa: E402
from load_seed import accounts_needed, seed  # noqa: E402
from stack import SERVICES, Stack, free_port, web_workers  # noqa: E402  (deploy/ is no package)

IDLE_PROBE_S = 10.0
STREAM_HEARTBEAT_S = 15.0  # REPORTS_SSE_HEARTBEAT_S's default
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def scaled_workers(service: str | None) -> Iterator[dict[str, str]]:
    """Double ``service``'s gunicorn workers (``<SVC>_WEB_WORKERS``) while inside; yield all."""
    name = f"{service.upper()}_WEB_WORKERS" if service else ""
    before = os.environ.get(name)
    if service:
        os.environ[name] = str(2 * int(web_workers(service)))
    try:
        yield {svc: web_workers(svc) for svc in SERVICES}
    finally:
        if service and before is None:
            os.environ.pop(name, None)
        elif service and before is not None:
            os.environ[name] = before


@contextlib.contextmanager
def platform(args: argparse.Namespace, workdir: Path, redis_url: str) -> Iterator[Stack]:
    """Fresh databases, the catalogue's items, then the whole stack; everything gone after."""
    with contextlib.ExitStack() as cleanup:
        databases = {}
        for svc in SERVICES:
            name = f"sc_load_bench_{svc}_{os.getpid()}"
            url = cleanup.enter_context(
                fresh_database(None if args.sqlite else args.postgres_url, workdir / svc, name)
            )
            databases[f"{svc.upper()}_DATABASE_URL"] = url
        stack = Stack(
            workdir / "stack",
            ports={name: free_port() for name in ("gateway", "redis", *SERVICES)},
            env=databases,
            gateway="nginx",
            seed_demo=True,
            redis_url=redis_url,
        )
        stack.data_dir.mkdir(parents=True, exist_ok=True)
        if args.items:
            done = stack.run("flask", "--app", "portal", "init-db")
            if done.returncode != 0:
                raise RuntimeError(f"portal init-db failed:\n{done.stdout}\n{done.stderr}")
            import portal_bench  # beside this file: its synthetic catalogue

            portal_bench.bulk_load(databases["PORTAL_DATABASE_URL"], args.items)
        cleanup.callback(stack.stop)  # runs before the databases are dropped
        stack.start()
        yield stack


def _groups(stack: Stack) -> dict[int, str]:
    """The stack's process groups (each process leads its own) by name."""
    procs = stack._procs  # the stack keeps its Popen objects there; no public accessor
    return {proc.popen.pid: name for name, proc in procs.items() if proc.popen is not None}


def _matchers(databases: list[str], redis_url: str) -> dict[str, Callable[[str], bool]]:
    """Name the processes outside the stack by their command line: the run's PostgreSQL backends
    (their titles carry the database), the Redis server of ``redis_url``."""
    redis_port = str(urlsplit(redis_url).port or 6379)
    return {
        "postgresql (this run's backends)": lambda line: (
            line.startswith("postgres: ") and any(f" {name} " in line for name in databases)
        ),
        "redis-server (shared server)": lambda line: (
            "redis-server" in line and f":{redis_port}" in line
        ),
    }


def _token(base: str, seed_file: Path) -> str:
    """Sign in as the first live listener of the seed; return its bearer token."""
    plan = json.loads(seed_file.read_text(encoding="utf-8"))
    answer = requests.post(
        f"{base}/api/v1/portal/auth/login",
        json={"email": plan["listeners"][0]["email"], "password": plan["password"]},
        timeout=30,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def one_run(args: argparse.Namespace, label: str, service: str | None, redis: str) -> RunResult:
    """Start a platform (``service``'s workers doubled), seed it, load it, measure it."""
    with (
        scaled_workers(service) as workers,
        tempfile.TemporaryDirectory(prefix="sc-load-bench-") as folder,
    ):
        workdir = Path(folder)
        print(f"\n{label}: starting the platform (workers {workers}) ...", flush=True)
        with platform(args, workdir, redis) as stack:
            started = time.perf_counter()
            seed(stack.url, accounts_needed(args.users), workdir / "seed.json")
            print(f"  seeded in {time.perf_counter() - started:.0f} s; idle probes ...", flush=True)
            host, port = stack.host, stack.ports["gateway"]
            with Probe(host, port, tuple(PROBES.values())) as idle:
                time.sleep(IDLE_PROBE_S)
            access_log = stack.data_dir / "gateway" / "logs" / "access.log"
            error_log = stack.data_dir / "gateway" / "logs" / "error.log"
            service_logs = sorted(stack.logs_dir.glob("*.log"))
            since = log_sizes([*service_logs, access_log, error_log])
            names = [f"sc_load_bench_{svc}_{os.getpid()}" for svc in SERVICES]
            sampler = CpuSampler(_groups(stack), _matchers(names, redis))
            print(f"  locust: {args.users} users for {args.duration} s ...", flush=True)
            with sampler, Probe(host, port, tuple(PROBES.values())) as probe:
                run = run_locust(
                    stack.url,
                    workdir / "seed.json",
                    workdir / "locust",
                    users=args.users,
                    spawn_rate=args.spawn_rate,
                    seconds=args.duration,
                    on_start=lambda pid: sampler.groups.__setitem__(pid, "locust (load generator)"),
                )
            stack.check_alive()
            errors = scan_logs(service_logs, access_log, error_log, since)
            statuses = access_statuses(access_log, since[access_log])
            # The run's streams free their slots at their next heartbeat's failed write.
            time.sleep(STREAM_HEARTBEAT_S + 2)
            room = open_streams(host, port, _token(stack.url, workdir / "seed.json"), args.room)
    start, end = run.steady_start, run.ended_at
    cpu, machine = sampler.window(start, end)
    return RunResult(
        label=label,
        workers=workers,
        run=run,
        steady=rows_of(run.samples, start, end),
        probe_load=probe_rows(probe.samples, start, end),
        probe_idle=probe_rows(idle.samples, 0, time.time()),
        cpu=cpu,
        machine_cpu=machine,
        errors=errors,
        statuses=statuses,
        processes={group.name: group.processes for group in cpu},
        room=room,
    )


def report(result: RunResult) -> list[Line]:
    """Print one run's tables; return its verdict lines."""
    lines = print_endpoints(result)
    print_baseline(result)
    print_sign_ins(result)
    lines += print_errors(result)
    print_cpu(result)
    print_processes(result)
    print_room(result)
    counts = ", ".join(f"{name} {n}" for name, n in sorted(result.run.per_class().items()))
    print(f"  requests per user class (whole run): {counts}")
    return lines


def busiest_web(result: RunResult) -> str:
    """Return the web service whose gunicorn used the most CPU in ``result``."""
    web = [group for group in result.cpu if group.name.endswith("-web")]
    return web[0].name.removesuffix("-web") if web else "portal"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent locust users")
    parser.add_argument("--spawn-rate", type=float, default=5, help="users started per second")
    parser.add_argument("--duration", type=int, default=180, help="seconds of locust per run")
    parser.add_argument("--items", type=int, default=2000, help="synthetic catalogue items")
    parser.add_argument(
        "--room", type=int, default=30, help="live streams opened at once after the run"
    )
    parser.add_argument(
        "--scale",
        default="auto",
        choices=["auto", "none", *SERVICES],
        help="the web service whose workers the second run doubles (auto: the busiest)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternating rounds of both configurations, pooled"
    )
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="PostgreSQL server")
    parser.add_argument("--sqlite", action="store_true", help="SQLite files instead")
    parser.add_argument("--redis-url", default=default_redis_url(), help="Redis server")
    args = parser.parse_args(argv)
    if args.users < 1 or args.duration < 30 or args.rounds < 1:
        parser.error("--users and --rounds must be at least 1, --duration at least 30")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target of the default configuration is met."""
    args = parse_args(argv)
    exit_on_sigterm()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    load_before = os.getloadavg()
    print(f"load test: {args.users} users, {args.duration} s, {engine}, {args.items} items")
    print(f"load average before: {' '.join(f'{v:.1f}' for v in load_before)}", flush=True)
    with claimed_redis_database(args.redis_url, ttl_s=3600) as redis:
        defaults = [one_run(args, "Round 1, default workers", None, redis)]
        lines = report(defaults[0])
        service = busiest_web(defaults[0]) if args.scale == "auto" else args.scale
        scaled: list[RunResult] = []
        for number in range(1, args.rounds + 1):  # alternating: the machine's noise hits both
            if number > 1:
                defaults.append(one_run(args, f"Round {number}, default workers", None, redis))
                report(defaults[-1])
            if service != "none":
                label = f"Round {number}, {service} web workers doubled"
                scaled.append(one_run(args, label, service, redis))
                report(scaled[-1])
        if args.rounds > 1:
            pooled = pool(defaults, f"Default workers, {args.rounds} rounds pooled")
            lines = print_endpoints(pooled) + print_errors(pooled)
        if scaled:
            compare(pool(defaults, "default workers"), pool(scaled, f"{service} doubled"), service)
    print(f"\nload average after: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    return print_verdict(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
