"""Benchmark of the assessment service's hot paths, each figure beside a same-run baseline.

    .venv/bin/python bench/assessment_bench.py                      # SQLite in a temp dir
    .venv/bin/python bench/assessment_bench.py --database-url postgresql://postgres@127.0.0.1/postgres
    .venv/bin/python bench/assessment_bench.py --skip-http          # scoring only

1. Scoring on one core: ``score_assessment`` of the shipped framework over random answer sets,
   beside a bare Python loop over the same answers (the interpreter's floor); ``results.build``
   for information.
2. Saving an answer through the real gateway (nginx from deploy/gateway/render.py, gunicorn as
   deploy/local/stack.py starts it, EdDSA bearer tokens checked against a JWKS served over HTTP),
   beside a bare Flask hello-world app served the same way, with wrk.
3. The resident memory of each gunicorn worker after the run, beside the hello-world workers.

Everything it starts (JWKS thread, gunicorns, nginx, a PostgreSQL database) is stopped on exit,
Ctrl-C included; only 127.0.0.1 is used. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
LUA_SCRIPT = BENCH_DIR / "answers.lua"
VENV_BIN = Path(sys.executable).parent

SCORING_TARGET_PER_S = 20_000
RATIO_TARGET = 0.35
P95_TARGET_MS = 20.0
RSS_TARGET_MB = 120.0

ADMINISTRATION = "bench-administration"
AUDIENCE = "smartcustoms"
VALUES: tuple[int | str, ...] = (1, 2, 3, 4, 5, "dont_know", "not_applicable")
CONFIDENCES = (None, "low", "medium", "high")


# ---------------------------------------------------------------------------------- reporting
@dataclass
class Line:
    """One printed figure: what, its value, the baseline, the target and whether it is met."""

    label: str
    value: str
    baseline: str = ""
    target: str = ""
    passed: bool | None = None


def print_section(title: str, lines: list[Line]) -> None:
    """Print a section of figures as aligned columns."""
    print(f"\n{title}")
    for line in lines:
        verdict = {True: "PASS", False: "FAIL", None: ""}[line.passed]
        print(
            f"  {line.label:<34} {line.value:>22}   {line.baseline:<44} {line.target:<20} {verdict}"
        )
    sys.stdout.flush()


# ----------------------------------------------------------------------------- 1. scoring
def random_answer_sets(framework: Any, count: int, seed: int = 2026) -> list[dict[str, Any]]:
    """Return ``count`` random answer sets (about 90 % of the indicators answered)."""
    from assessment.scoring import Answer

    rng = random.Random(seed)
    keys = [indicator.key for indicator in framework.indicators]
    sets = []
    for _ in range(count):
        answers = {}
        for key in keys:
            if rng.random() < 0.1:
                continue
            answers[key] = Answer(rng.choice(VALUES), rng.choice(CONFIDENCES))
        sets.append(answers)
    return sets


def rate(
    work: Callable[[list[dict[str, Any]]], object], sets: list[dict[str, Any]], seconds: float
) -> float:
    """Return how many answer sets per CPU second ``work`` handles (runs it for ``seconds``)."""
    work(sets[:50])  # warm-up
    done = 0
    started = time.process_time()
    while True:
        work(sets)
        done += len(sets)
        elapsed = time.process_time() - started
        if elapsed >= seconds:
            return done / elapsed


def bare_loop(sets: list[dict[str, Any]]) -> float:
    """Sum the numeric answer values: the interpreter's floor for touching every answer."""
    total = 0.0
    for answers in sets:
        for answer in answers.values():
            value = answer.value
            if type(value) is int:
                total += value
    return total


def bench_scoring(count: int, seconds: float) -> list[Line]:
    """Measure scoring throughput on one core beside the bare loop."""
    from assessment import results, scoring
    from assessment.frameworks import repository_frameworks

    framework = next(f for f in repository_frameworks() if f.key == "ai-ml-readiness")
    sets = random_answer_sets(framework, count)

    def score_all(batch: list[dict[str, Any]]) -> None:
        for answers in batch:
            scoring.score_assessment(framework, answers)

    def build_all(batch: list[dict[str, Any]]) -> None:
        for answers in batch:
            results.build(framework, answers, {})

    floor = rate(bare_loop, sets, seconds)
    scored = rate(score_all, sets, seconds)
    built = rate(build_all, sets[: max(1, count // 5)], seconds)
    label = f"{framework.key}@{framework.version}, {len(framework.indicators)} indicators"
    print_section(
        f"1. Scoring on one core ({label}; {count} random answer sets; per CPU second)",
        [
            Line(
                "score_assessment",
                f"{scored:,.0f} /s",
                f"bare loop {floor:,.0f} /s ({scored / floor:.1%} of it)",
                f">= {SCORING_TARGET_PER_S:,} /s",
                scored >= SCORING_TARGET_PER_S,
            ),
            Line("results.build (information)", f"{built:,.0f} /s", "full results document"),
        ],
    )
    return [Line("scoring", "", passed=scored >= SCORING_TARGET_PER_S)]


# ------------------------------------------------------------------------- 2. the HTTP stack
def _load(path: Path, name: str) -> ModuleType:
    """Import a file of deploy/ by path (deploy/ is no package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_PR_SET_PDEATHSIG = 1
try:
    _LIBC: Any = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the benchmark dies, even from SIGKILL (Linux)."""
    if _LIBC is not None and hasattr(_LIBC, "prctl"):
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class JwksServer:
    """Serves a JWKS document over HTTP on 127.0.0.1 from a thread (the issuer's stand-in)."""

    def __init__(self, document: dict[str, Any]) -> None:
        body = json.dumps(document).encode()
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                counter.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return

        self.fetches = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> JwksServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class Signer:
    """An Ed25519 signing key, its JWKS, and the tokens the portal would issue with it."""

    def __init__(self) -> None:
        import jwt
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        self._jwt = jwt
        self.key = Ed25519PrivateKey.generate()
        entry = dict(jwt.algorithms.OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True))
        entry.update(kid="bench-key", use="sig", alg="EdDSA")
        self.jwks = {"keys": [entry]}

    def token(self, issuer: str, subject: str, roles: tuple[str, ...]) -> str:
        """Return a token for ``subject`` of the benchmark's administration (valid 1 hour)."""
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "exp": now + 3600,
            "administration_id": ADMINISTRATION,
            "roles": list(roles),
            "name": "Benchmark Coordinator",
            "locale": "en",
        }
        token: str = self._jwt.encode(
            claims, self.key, algorithm="EdDSA", headers={"kid": "bench-key"}
        )
        return token


@contextlib.contextmanager
def bench_database(server_url: str | None, workdir: Path) -> Iterator[str]:
    """Yield a fresh database URL: a SQLite file in ``workdir``, or a new PostgreSQL database
    on ``server_url`` (dropped afterwards)."""
    if not server_url:
        yield f"sqlite:///{workdir / 'assessment.db'}"
        return
    import psycopg

    parts = urlsplit(server_url)
    plain = urlunsplit(("postgresql", parts.netloc, parts.path or "/postgres", parts.query, ""))
    name = f"sc_bench_{os.getpid()}"
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(("postgresql+psycopg", parts.netloc, f"/{name}", parts.query, ""))
    finally:
        with psycopg.connect(plain, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Processes:
    """Starts processes in their own process groups and stops them all (SIGTERM, then KILL)."""

    def __init__(self, logs: Path, env: dict[str, str]) -> None:
        self.logs = logs
        self.env = env
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        """Start ``argv`` with its output in ``<logs>/<name>.log``."""
        program = argv[0] if os.path.isabs(argv[0]) else str(VENV_BIN / argv[0])
        with open(self.logs / f"{name}.log", "ab") as log:
            popen = subprocess.Popen(
                [program, *argv[1:]],
                cwd=REPO_ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        self.running[name] = popen
        return popen

    def run(self, name: str, argv: list[str], timeout_s: float = 120) -> None:
        """Run a one-off command to completion; raise with its output when it fails."""
        popen = self.start(name, argv)
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

    def stop(self) -> None:
        """Stop every process group, politely first."""
        for popen in self.running.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for popen in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()
        self.running.clear()


def worker_rss_mb(master_pid: int) -> dict[int, float]:
    """Return the resident set size (VmRSS, MB) of each child process of ``master_pid``."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = {}
    for child in children:
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes[int(child)] = int(line.split()[1]) / 1024
    return sizes


@dataclass
class WrkResult:
    """What wrk's done() reported."""

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


def run_wrk(
    url: str, *, seconds: float, connections: int, threads: int, env: dict[str, str]
) -> WrkResult:
    """Run wrk against ``url`` with bench/answers.lua and return its figures."""
    argv = [
        "wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s",
        "--timeout", "5s", "-s", str(LUA_SCRIPT), url,
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


class Platform:
    """The assessment service and the hello-world app behind one nginx gateway."""

    def __init__(self, args: argparse.Namespace, workdir: Path, database_url: str) -> None:
        self.args = args
        self.workdir = workdir
        self.database_url = database_url
        self.stack = _load(REPO_ROOT / "deploy" / "local" / "stack.py", "bench_stack")
        self.render = _load(REPO_ROOT / "deploy" / "gateway" / "render.py", "bench_render")
        free = self.stack.free_port
        self.ports = {"gateway": free(), "assessment": free(), "portal": free()}
        self.gateway = f"http://127.0.0.1:{self.ports['gateway']}"
        self.signer = Signer()
        self.jwks = JwksServer(self.signer.jwks)
        self.token = self.signer.token(self.gateway, "bench-coordinator", ("coordinator",))
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(workdir),
            "REDIS_URL": args.redis_url,
            "ASSESSMENT_DATABASE_URL": database_url,
            "AUTH_ISSUER": self.gateway,
            "AUTH_AUDIENCE": AUDIENCE,
            "AUTH_JWKS_URL": self.jwks.url,
        }
        (workdir / "logs").mkdir(exist_ok=True)
        self.processes = Processes(workdir / "logs", env)
        self.masters: dict[str, int] = {}

    def web_argv(self, service: str, app: str) -> list[str]:
        """Return the gunicorn command of deploy/local/stack.py for ``service``, serving ``app``."""
        stack = self.stack.Stack(self.workdir / "stack", ports=self.ports, redis_url="redis://x")
        stack.run_dir.mkdir(parents=True, exist_ok=True)
        argv: list[str] = stack._web_argv(service)  # the one source of the web command line
        return [*argv[:-1], "--pythonpath", str(BENCH_DIR), app] if app else argv

    def start(self) -> None:
        """Start JWKS, database tables, both gunicorns and nginx; wait until all answer."""
        self.jwks.__enter__()
        self.processes.run("init-db", ["flask", "--app", "assessment", "init-db"])
        self.masters["assessment"] = self.processes.start(
            "assessment-web", self.web_argv("assessment", "")
        ).pid
        self.masters["hello"] = self.processes.start(
            "hello-web", self.web_argv("portal", "hello:create_app()")
        ).pid
        self._start_nginx()
        self._wait_for(
            [
                f"{self.gateway}/api/v1/assessment/readyz",
                f"{self.gateway}/hello",
                f"http://127.0.0.1:{self.ports['assessment']}/readyz",
            ]
        )

    def _start_nginx(self) -> None:
        nginx = self.stack.find_nginx()
        if nginx is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        prefix = self.workdir / "gateway"
        hello = f"127.0.0.1:{self.ports['portal']}"
        conf = self.render.render_local(
            prefix,
            {
                "GATEWAY_HOST": "127.0.0.1",
                "GATEWAY_PORT": str(self.ports["gateway"]),
                "PORTAL_UPSTREAM": hello,
                "ASSESSMENT_UPSTREAM": f"127.0.0.1:{self.ports['assessment']}",
                "REPORTS_UPSTREAM": hello,
                # generous limits: the gateway's rate limiting is not what is measured
                "GATEWAY_WRITE_RATE": "1000000r/s",
                "GATEWAY_WRITE_BURST": "1000000",
            },
        )
        argv = [nginx, "-p", str(prefix), "-c", str(conf)]
        self.processes.run("nginx-check", [*argv, "-t", "-q"])
        self.processes.start("gateway", [*argv, "-g", "daemon off;"])

    def _wait_for(self, urls: list[str], timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        for url in urls:
            while self.stack.http_status(url) != 200:
                self.processes.check_alive()
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{url} not ready after {timeout_s:.0f} s")
                time.sleep(0.2)

    def start_assessment(self) -> str:
        """Start an assessment through the gateway as the coordinator; return its id."""
        request = urllib.request.Request(
            f"{self.gateway}/api/v1/assessment/assessments",
            data=json.dumps({"title": "Benchmark assessment"}).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            created: dict[str, Any] = json.loads(response.read())
        return str(created["id"])

    def stop(self) -> None:
        """Stop everything started."""
        self.processes.stop()
        self.jwks.__exit__()


def _indicator_keys() -> list[str]:
    from assessment.frameworks import repository_frameworks

    framework = next(f for f in repository_frameworks() if f.key == "ai-ml-readiness")
    return [indicator.key for indicator in framework.indicators]


def measure_http(platform: Platform, args: argparse.Namespace) -> list[tuple[WrkResult, WrkResult]]:
    """Measure hello-world GETs and answer PUTs in alternating rounds; return each round's pair.

    Alternating keeps the two figures of a round under the same load from the rest of the
    machine; the round with the median ratio is the one reported.
    """
    assessment_id = platform.start_assessment()
    targets = {
        "hello": (f"{platform.gateway}/hello", {"BENCH_INDICATORS": ""}),
        "answers": (
            f"{platform.gateway}/",
            {
                "BENCH_TOKEN": platform.token,
                "BENCH_ANSWERS_PATH": f"/api/v1/assessment/assessments/{assessment_id}/answers/",
                "BENCH_INDICATORS": ",".join(_indicator_keys()),
            },
        ),
    }
    options: dict[str, Any] = {"connections": args.connections, "threads": args.threads}
    for name, (url, env) in targets.items():
        warm = run_wrk(url, seconds=args.warmup, env=env, **options)
        if warm.errors:
            print(f"  note: {warm.errors} failed requests during the {name} warm-up")
    rounds = []
    for _ in range(args.rounds):
        hello, answers = (
            run_wrk(url, seconds=args.duration, env=env, **options) for url, env in targets.values()
        )
        platform.processes.check_alive()
        rounds.append((hello, answers))
    return rounds


def http_lines(hello: WrkResult, answers: WrkResult) -> list[Line]:
    """Return the printed figures of the gateway measurement."""
    ratio = answers.rate / hello.rate
    p95_ms = answers.p95_us / 1000
    clean = answers.errors == 0 and hello.errors == 0

    def latency(result: WrkResult) -> str:
        return f"p50 {result.p50_us / 1000:.1f} ms, p95 {result.p95_us / 1000:.1f} ms"

    return [
        Line(
            "PUT answer: requests/s",
            f"{answers.rate:,.0f} /s",
            f"hello world {hello.rate:,.0f} /s ({ratio:.0%} of it)",
            f">= {RATIO_TARGET:.0%} of hello",
            ratio >= RATIO_TARGET and clean,
        ),
        Line(
            "PUT answer: latency",
            latency(answers),
            f"hello world {latency(hello)}",
            f"p95 < {P95_TARGET_MS:.0f} ms",
            p95_ms < P95_TARGET_MS and clean,
        ),
        Line(
            "failed requests",
            f"{answers.errors} of {answers.requests:,}",
            f"hello world {hello.errors} of {hello.requests:,}",
            "none",
            clean,
        ),
    ]


def round_line(number: int, hello: WrkResult, answers: WrkResult) -> Line:
    """Return the information line of one round."""
    return Line(
        f"  round {number} (information)",
        f"{answers.rate:,.0f} /s, p95 {answers.p95_us / 1000:.1f} ms",
        f"hello world {hello.rate:,.0f} /s ({answers.rate / hello.rate:.0%})",
    )


def memory_lines(platform: Platform) -> list[Line]:
    """Return the workers' resident memory after the run, beside the hello-world workers'."""
    service = worker_rss_mb(platform.masters["assessment"])
    hello = worker_rss_mb(platform.masters["hello"])
    baseline = "hello world " + ", ".join(f"{mb:.1f} MB" for mb in hello.values())
    return [
        Line(
            f"assessment worker pid {pid}",
            f"{mb:.1f} MB",
            baseline,
            f"< {RSS_TARGET_MB:.0f} MB",
            mb < RSS_TARGET_MB,
        )
        for pid, mb in sorted(service.items())
    ]


def bench_http(args: argparse.Namespace) -> list[Line]:
    """Start the platform, measure, print, stop."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="sc-bench-") as tmp:
        workdir = Path(tmp)
        with bench_database(args.database_url, workdir) as database_url:
            platform = Platform(args, workdir, database_url)
            try:
                platform.start()
                rounds = measure_http(platform, args)
                hello, answers = sorted(rounds, key=lambda pair: pair[1].rate / pair[0].rate)[
                    len(rounds) // 2
                ]
                lines = http_lines(hello, answers)
                if len(rounds) > 1:
                    lines += [round_line(n, *pair) for n, pair in enumerate(rounds, 1)]
                memory = memory_lines(platform)
                fetches = platform.jwks.fetches
            finally:
                platform.stop()
    engine = database_url.split(":", 1)[0].split("+")[0]
    print_section(
        f"2. Through the gateway (nginx, gunicorn --workers 2, {args.connections} connections, "
        f"{args.duration:.0f} s after {args.warmup:.0f} s warm-up, median of {args.rounds} "
        f"round(s); database {engine}; JWKS fetched {fetches} time(s); no outbox write on "
        f"this path: answers are no event; load average {load_before:.1f} -> "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        lines,
    )
    print_section("3. Memory of the gunicorn workers after the run (VmRSS)", memory)
    return lines + memory


# ------------------------------------------------------------------------------- entry point
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of warm-up per run")
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--rounds", type=int, default=1, help="alternating hello/answer rounds (median reported)"
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="PostgreSQL server URL: a fresh database is created there and dropped afterwards "
        "(default: SQLite in a temp dir)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis the service connects to (default: REDIS_URL or 127.0.0.1:6379)",
    )
    parser.add_argument("--answer-sets", type=int, default=2000, help="random answer sets")
    parser.add_argument("--scoring-seconds", type=float, default=2.0, help="CPU s per rate")
    parser.add_argument("--skip-http", action="store_true", help="only the scoring figures")
    return parser.parse_args(argv)


def _terminate(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 0 when every target is met."""
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    lines = bench_scoring(args.answer_sets, args.scoring_seconds)
    if not args.skip_http:
        lines += bench_http(args)
    failed = [line for line in lines if line.passed is False]
    print(f"\n{'FAIL' if failed else 'PASS'}: {len(failed)} target(s) missed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
