"""CPU instructions per request of the assessment service, beside a bare Flask hello world.

    .venv/bin/python bench/instructions.py                         # SQLite in a temp dir
    .venv/bin/python bench/instructions.py --database-url postgresql://postgres@127.0.0.1/postgres

Wall-clock rates move with whatever else runs on a shared machine (same-config rounds of the
gateway bench vary by a quarter); the instructions a request costs the Python process do not.
Each target runs in its own process under valgrind's callgrind with instrumentation off; after a
warm-up the script switches it on (``callgrind_control -i on``), the process handles
``--requests`` requests through the app's WSGI callable (what gunicorn calls), and it is switched
off again before the process exits. The figure is the instructions counted divided by the
requests: the Python side of a request (Flask, validation, token check, database driver), not
nginx, gunicorn's socket work or the database server's own CPU.

Targets: ``hello`` (bench/hello.py's ``GET /hello``: the baseline), ``healthz`` (the service's
``GET /healthz``: the shared request hooks), ``answer`` (``PUT`` of an answer, as
assessment_bench.py's wrk script sends them: bearer token, JSON body, the guarded upsert).

Needs valgrind (``apt-get install valgrind``) and the project's ``.venv``; for information only
(no target): its use is telling where a request's CPU goes, before and after a change.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    add_server_arguments,
    fresh_database,
    load_module,
    print_section,
)

TARGETS = ("hello", "healthz", "answer")
COLUMNS = Columns(label=34, value=22, baseline=30, target=0)
ISSUER = "https://gateway.bench"


# ------------------------------------------------------------------ the measured process
def _environ(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> dict[str, Any]:
    """Return a WSGI environ as gunicorn builds it behind nginx."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.0",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "HTTP_HOST": "127.0.0.1:8080",
        "HTTP_CONNECTION": "close",
        "HTTP_X_REAL_IP": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "127.0.0.1",
        "HTTP_X_REQUEST_ID": "0123456789abcdef0123456789abcdef",
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    if body:
        environ["CONTENT_TYPE"] = "application/json"
        environ["CONTENT_LENGTH"] = str(len(body))
    return environ


def _caller(app: Any, requests: list[tuple[str, str, dict[str, str], bytes]]) -> Callable[[], None]:
    """Return a function sending the next request of ``requests`` (round robin) to ``app``."""
    position = [0]
    statuses: list[str] = []

    def start_response(status: str, _headers: Any, _exc_info: Any = None) -> None:
        statuses.append(status)

    def call() -> None:
        method, path, headers, body = requests[position[0] % len(requests)]
        position[0] += 1
        result = app(_environ(method, path, headers, body), start_response)
        try:
            for _chunk in result:
                pass
        finally:
            getattr(result, "close", lambda: None)()
        status = statuses.pop()
        if not status.startswith("2"):
            raise SystemExit(f"{method} {path} answered {status}")

    return call


def _hello_app() -> tuple[Any, list[tuple[str, str, dict[str, str], bytes]]]:
    hello = load_module(BENCH_DIR / "hello.py", "hello")
    return hello.create_app(), [("GET", "/hello", {}, b"")]


def _assessment_app(
    target: str, database_url: str, redis_url: str
) -> tuple[Any, list[tuple[str, str, dict[str, str], bytes]]]:
    from assessment import create_app
    from assessment.frameworks import repository_frameworks, sync_repository_frameworks
    from assessment.migrations import SCHEMA
    from shared.migrations import upgrade

    assessment_bench = load_module(BENCH_DIR / "assessment_bench.py", "assessment_bench")
    signer = assessment_bench.Signer()
    upgrade(SCHEMA, database_url)  # the app refuses a database behind its code
    app = create_app(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "AUTH_ISSUER": ISSUER,
            "AUTH_AUDIENCE": assessment_bench.AUDIENCE,
            "AUTH_JWKS": signer.jwks,
            "LOG_FORMAT": "text",
        }
    )
    database = app.extensions["db"]
    with database.session(write=True) as session:
        sync_repository_frameworks(session=session)
    if target == "healthz":
        return app, [("GET", "/healthz", {}, b"")]
    token = signer.token(ISSUER, "bench-coordinator", ("coordinator",))
    headers = {"Authorization": f"Bearer {token}"}
    created = app.test_client().post(
        "/api/v1/assessment/assessments", json={"title": "Benchmark"}, headers=headers
    )
    base = f"/api/v1/assessment/assessments/{created.get_json()['id']}/answers/"
    framework = next(f for f in repository_frameworks() if f.key == "ai-ml-readiness")
    requests = []
    for number, indicator in enumerate(framework.indicators):
        value = assessment_bench.VALUES[number % len(assessment_bench.VALUES)]
        confidence = assessment_bench.CONFIDENCES[number % len(assessment_bench.CONFIDENCES)]
        body = json.dumps({"value": value, "confidence": confidence}).encode()
        requests.append(("PUT", base + indicator.key, headers, body))
    return app, requests


def run_target(target: str, requests: int, warmup: int, database_url: str, redis_url: str) -> None:
    """In the measured process: warm up, say READY, wait, send the requests, say DONE, wait."""
    if target == "hello":
        app, sequence = _hello_app()
    else:
        app, sequence = _assessment_app(target, database_url, redis_url)
    call = _caller(app, sequence)
    for _ in range(warmup):
        call()
    print("READY", flush=True)
    sys.stdin.readline()
    for _ in range(requests):
        call()
    print("DONE", flush=True)
    sys.stdin.readline()


# ------------------------------------------------------------------------------ the driver
def _control(pid: int, switch: str) -> None:
    subprocess.run(["callgrind_control", "-i", switch, str(pid)], check=True, capture_output=True)


def _expect(process: subprocess.Popen[str], word: str) -> None:
    assert process.stdout is not None
    while True:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"the measured process ended before {word}")
        if line.strip() == word:
            return


def _counted(path: Path) -> int:
    """Return the instructions callgrind counted (its ``totals:`` line)."""
    for line in path.read_text().splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {path}")


def measure(target: str, args: argparse.Namespace, database_url: str, workdir: Path) -> float:
    """Return the instructions per request of ``target``."""
    out = workdir / f"callgrind.{target}.out"
    argv = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
        sys.executable,
        __file__,
        "--child",
        target,
        "--requests",
        str(args.requests),
        "--warmup",
        str(args.warmup),
        "--database-url",
        database_url,
        "--redis-url",
        args.redis_url,
    ]
    with subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdin is not None
        try:
            _expect(process, "READY")
            _control(process.pid, "on")
            process.stdin.write("go\n")
            process.stdin.flush()
            _expect(process, "DONE")
            _control(process.pid, "off")
            process.stdin.write("exit\n")
            process.stdin.flush()
            process.wait(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
    return _counted(out) / args.requests


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests counted per target")
    parser.add_argument("--warmup", type=int, default=200, help="requests before counting")
    add_server_arguments(parser)
    parser.add_argument("--targets", default=",".join(TARGETS), help="comma-separated targets")
    parser.add_argument(
        "--keep", type=Path, default=None, help="keep callgrind's files here (callgrind_annotate)"
    )
    parser.add_argument("--child", choices=TARGETS, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Measure every target; print each beside hello world's."""
    args = parse_args(argv)
    if args.child:
        run_target(args.child, args.requests, args.warmup, args.database_url, args.redis_url)
        return 0
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="sc-instr-") as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        with fresh_database(
            args.database_url, workdir / "assessment.db", f"sc_instr_{os.getpid()}"
        ) as database_url:
            counts = {
                target: measure(target, args, database_url, workdir)
                for target in args.targets.split(",")
            }
    hello = counts.get("hello")
    lines = [
        Line(
            target,
            f"{count:,.0f} instr",
            f"{count / hello:.2f}x hello world" if hello else "",
        )
        for target, count in counts.items()
    ]
    engine = database_url.split(":", 1)[0].split("+")[0]
    print_section(
        f"Instructions per request in the Python process ({args.requests} requests after "
        f"{args.warmup} of warm-up; database {engine}; {time.monotonic() - started:.0f} s)",
        lines,
        COLUMNS,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
