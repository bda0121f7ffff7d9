"""The benchmarks' common harness: figure rows and the verdict, percentiles, the load average,
SIGTERM as an exit, child processes that die with the benchmark, wrk runs (with
bench/wrk_result.lua's ``BENCH_RESULT`` line), services of deploy/local/stack.py behind nginx
gateways from deploy/gateway/render.py, fresh databases and a claimed Redis database.

The benchmark scripts import it from beside them, as reports_bench.py imports report_data.py::

    BENCH_DIR = Path(__file__).resolve().parent
    sys.path.insert(0, str(BENCH_DIR))

    from harness import Line, print_section  # noqa: E402  (beside this file)
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent


# ---------------------------------------------------------------------------------- reporting
@dataclass
class Line:
    """One printed figure: what, its value, the baseline, the target and whether it is met."""

    label: str
    value: str
    baseline: str = ""
    target: str = ""
    passed: bool | None = None


class Columns(NamedTuple):
    """The widths of a section's columns: label, value (right-aligned), baseline, target."""

    label: int
    value: int
    baseline: int
    target: int


def print_section(title: str, lines: list[Line], columns: Columns) -> None:
    """Print a section of figures as aligned columns."""
    print(f"\n{title}")
    for line in lines:
        verdict = {True: "PASS", False: "FAIL", None: ""}[line.passed]
        print(
            f"  {line.label:<{columns.label}} {line.value:>{columns.value}}   "
            f"{line.baseline:<{columns.baseline}} {line.target:<{columns.target}} {verdict}"
        )
    sys.stdout.flush()


def print_verdict(lines: list[Line]) -> int:
    """Print PASS or FAIL with the targets missed; return the exit status (1 when one is)."""
    failed = [line for line in lines if line.passed is False]
    print(f"\n{'FAIL' if failed else 'PASS'}: {len(failed)} target(s) missed")
    return 1 if failed else 0


def p95(values: list[float]) -> float:
    """Return the 95th percentile (inclusive method; the value itself for a single one)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def load_average(before: float | None = None) -> str:
    """Return "load average [<before> -> ]<now> on <n> cores" (1-minute load averages)."""
    now = f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    return f"load average {now}" if before is None else f"load average {before:.1f} -> {now}"


# ---------------------------------------------------------------------------- the run itself
def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def exit_on_sigterm() -> None:
    """Make SIGTERM exit with 128 + 15 through the finally blocks, which stop what was started."""
    signal.signal(signal.SIGTERM, _terminate)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--database-url`` (a PostgreSQL server, else SQLite) and ``--redis-url``."""
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL: a fresh database is created there and dropped afterwards "
        "(default: SQLite in a temp dir)",
    )
    parser.add_argument(
        "--redis-url",
        default=default_redis_url(),
        help="Redis the service connects to (default: REDIS_URL or 127.0.0.1:6379)",
    )


def add_database_kind_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--postgres-url`` and ``--redis-url`` for a bench run on each database kind."""
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="PostgreSQL server: a fresh database is created there and dropped afterwards",
    )
    parser.add_argument(
        "--redis-url",
        default=default_redis_url(),
        help="Redis server (a free database 9-15 on it is claimed and emptied)",
    )


def bench_each_database_kind(
    args: argparse.Namespace, bench_kind: Callable[[str, argparse.Namespace, str], list[Line]]
) -> int:
    """Run ``bench_kind`` for each kind of ``args.databases`` on one claimed Redis database
    (SIGTERM exits through the clean-ups); print the verdict and return the exit status."""
    exit_on_sigterm()
    lines: list[Line] = []
    with claimed_redis_database(args.redis_url, ttl_s=3600) as redis_url:
        for kind in args.databases.split(","):
            lines += bench_kind(kind.strip(), args, redis_url)
    return print_verdict(lines)


def default_redis_url() -> str:
    """Return ``REDIS_URL``, else the local Redis's database 0."""
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@contextlib.contextmanager
def claimed_redis_database(base_url: str, ttl_s: int | None = None) -> Iterator[str]:
    """Claim and empty a free Redis database (9-15) for the run; yield its URL; release it."""
    from shared.testing import claim_redis_database

    if ttl_s is None:
        url, release = claim_redis_database(base_url)
    else:
        url, release = claim_redis_database(base_url, ttl_s=ttl_s)
    try:
        yield url
    finally:
        release()


@contextlib.contextmanager
def fresh_database(server_url: str | None, sqlite_file: Path, name: str) -> Iterator[str]:
    """Yield a new database: SQLite at ``sqlite_file``, or ``name`` on ``server_url`` (dropped)."""
    if not server_url:
        yield f"sqlite:///{sqlite_file}"
        return
    import psycopg

    parts = urlsplit(server_url)
    plain = urlunsplit(("postgresql", parts.netloc, parts.path or "/postgres", parts.query, ""))
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(("postgresql+psycopg", parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -------------------------------------------------------------------------------- processes
_PR_SET_PDEATHSIG = 1
try:
    _LIBC: Any = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the benchmark dies, even from SIGKILL (Linux)."""
    if _LIBC is not None and hasattr(_LIBC, "prctl"):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Processes:
    """Starts processes in their own process groups and stops them (SIGTERM, then KILL)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """Start ``argv`` (a bare name from the venv) with its output in ``<logs>/<name>.log``."""
        program = argv[0] if os.path.isabs(argv[0]) else str(VENV_BIN / argv[0])
        with open(self.logs / f"{name}.log", "ab") as log:
            popen = subprocess.Popen(
                [program, *argv[1:]],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.running[name] = popen
        return popen

    def run(self, name: str, argv: list[str], env: dict[str, str], timeout_s: float = 120) -> None:
        """Run a one-off command to completion; raise with its log when it fails."""
        popen = self.start(name, argv, env)
        code = popen.wait(timeout=timeout_s)
        del self.running[name]
        if code != 0:
            raise RuntimeError(f"{name} exited with {code}\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        """Return the end of a process's log."""
        path = self.logs / f"{name}.log"
        text = path.read_text(errors="replace").splitlines() if path.exists() else []
        return "\n".join(text[-lines:])

    def check_alive(self) -> None:
        """Raise when a started process has exited."""
        for name, popen in self.running.items():
            if popen.poll() is not None:
                raise RuntimeError(f"{name} exited with {popen.returncode}\n{self.tail(name)}")

    def stop(self, *names: str) -> None:
        """Stop the named processes' groups (all when none is named), politely first."""
        chosen = {n: p for n, p in self.running.items() if not names or n in names}
        for popen in chosen.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for name, popen in chosen.items():
            with contextlib.suppress(subprocess.TimeoutExpired):
                popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()
            del self.running[name]


def rss_mb(pid: int) -> float:
    """Return a process's resident memory in MB (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """Return the pids of a process's children (gunicorn's workers, a prefork pool)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(value) for value in path.read_text().split()] if path.exists() else []


# -------------------------------------------------------------------------------------- wrk
@dataclass
class WrkResult:
    """What wrk's done() reported (bench/wrk_result.lua)."""

    requests: int
    duration_us: int
    p50_us: int
    p95_us: int
    p99_us: int
    max_us: int
    mean_us: float
    errors_connect: int
    errors_read: int
    errors_write: int
    errors_status: int
    errors_timeout: int

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / (self.duration_us / 1e6)

    @property
    def errors(self) -> int:
        """Failed requests of any kind (non-2xx/3xx answers included)."""
        return (
            self.errors_connect
            + self.errors_read
            + self.errors_write
            + self.errors_status
            + self.errors_timeout
        )

    def latency(self) -> str:
        """Median and p95 in ms."""
        return f"p50 {self.p50_us / 1000:.1f} ms, p95 {self.p95_us / 1000:.1f} ms"


def run_wrk(
    script: Path,
    url: str,
    *,
    seconds: float,
    connections: int,
    threads: int,
    env: dict[str, str],
) -> WrkResult:
    """Run wrk with the Lua ``script`` against ``url``; return its ``BENCH_RESULT`` figures."""
    argv = [
        "wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", "5s", "-s", str(script), url,
    ]  # fmt: skip
    done = subprocess.run(
        argv,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return WrkResult(**json.loads(line.removeprefix("BENCH_RESULT ")))
    raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


# --------------------------------------------------------------------- services behind nginx
def load_module(path: Path, name: str) -> ModuleType:
    """Import a file by path as module ``name`` (deploy/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def web_workers(service: str) -> str:
    """Return the gunicorn worker count deploy/local/stack.py gives ``service``."""
    stack = load_module(REPO_ROOT / "deploy" / "local" / "stack.py", "bench_stack")
    workers: str = stack.web_workers(service)
    return workers


class NginxPlatform:
    """Services started with deploy/local/stack.py's command lines behind render.py's nginx."""

    def __init__(self, workdir: Path, port_names: tuple[str, ...]) -> None:
        self.workdir = workdir
        self.stack = load_module(REPO_ROOT / "deploy" / "local" / "stack.py", "bench_stack")
        self.render = load_module(REPO_ROOT / "deploy" / "gateway" / "render.py", "bench_render")
        self.ports: dict[str, int] = {name: self.stack.free_port() for name in port_names}
        (workdir / "logs").mkdir(exist_ok=True)
        self.processes = Processes(workdir / "logs")

    def web_argv(self, service: str, app: str = "") -> list[str]:
        """Return stack.py's gunicorn command for ``service`` (serving bench/'s ``app``, if any)."""
        stack = self.stack.Stack(self.workdir / "stack", ports=self.ports, redis_url="redis://x")
        stack.run_dir.mkdir(parents=True, exist_ok=True)
        argv: list[str] = stack._web_argv(service)  # the one source of the web command line
        return [*argv[:-1], "--pythonpath", str(BENCH_DIR), app] if app else argv

    def start_nginx(
        self, name: str, port: int, variables: dict[str, str], env: dict[str, str]
    ) -> str:
        """Start an nginx of the gateway template in ``<workdir>/<name>``; return its URL."""
        nginx = self.stack.find_nginx()
        if nginx is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        prefix = self.workdir / name
        conf = self.render.render_local(
            prefix, {"GATEWAY_HOST": "127.0.0.1", "GATEWAY_PORT": str(port), **variables}
        )
        argv = [nginx, "-p", str(prefix), "-c", str(conf)]
        self.processes.run(f"{name}-check", [*argv, "-t", "-q"], env)
        self.processes.start(name, [*argv, "-g", "daemon off;"], env)
        return f"http://127.0.0.1:{port}"

    def wait_for(self, urls: list[str], timeout_s: float = 60) -> None:
        """Wait until every URL answers 200; raise when a process exits or time runs out."""
        deadline = time.monotonic() + timeout_s
        for url in urls:
            while self.stack.http_status(url) != 200:
                self.processes.check_alive()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} not ready after {timeout_s:.0f} s")
                time.sleep(0.2)
