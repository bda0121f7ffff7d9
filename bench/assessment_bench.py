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
import json
import os
import random
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    NginxPlatform,
    WrkResult,
    add_server_arguments,
    children,
    exit_on_sigterm,
    fresh_database,
    load_average,
    print_section,
    print_verdict,
    rss_mb,
    run_wrk,
    web_workers,
)

LUA_SCRIPT = BENCH_DIR / "answers.lua"
COLUMNS = Columns(label=34, value=22, baseline=44, target=20)

SCORING_TARGET_PER_S = 20_000
RATIO_TARGET = 0.35
P95_TARGET_MS = 20.0
RSS_TARGET_MB = 120.0

ADMINISTRATION = "bench-administration"
AUDIENCE = "smartcustoms"
VALUES: tuple[int | str, ...] = (1, 2, 3, 4, 5, "dont_know", "not_applicable")
CONFIDENCES = (None, "low", "medium", "high")


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
        COLUMNS,
    )
    return [Line("scoring", "", passed=scored >= SCORING_TARGET_PER_S)]


# ------------------------------------------------------------------------- 2. the HTTP stack
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


class Platform(NginxPlatform):
    """The assessment service and the hello-world app behind one nginx gateway."""

    def __init__(self, args: argparse.Namespace, workdir: Path, database_url: str) -> None:
        super().__init__(workdir, ("gateway", "assessment", "portal"))
        self.args = args
        self.database_url = database_url
        self.gateway = f"http://127.0.0.1:{self.ports['gateway']}"
        self.signer = Signer()
        self.jwks = JwksServer(self.signer.jwks)
        self.token = self.signer.token(self.gateway, "bench-coordinator", ("coordinator",))
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(workdir),
            "REDIS_URL": args.redis_url,
            "ASSESSMENT_DATABASE_URL": database_url,
            "AUTH_ISSUER": self.gateway,
            "AUTH_AUDIENCE": AUDIENCE,
            "AUTH_JWKS_URL": self.jwks.url,
            # One token sends every answer: the per-caller write limit (600 a minute, its cost
            # measured by edge_bench.py) would refuse most of them; it is not what is measured.
            "WRITES_PER_CALLER": "100000000",
        }
        self.masters: dict[str, int] = {}

    def start(self) -> None:
        """Start JWKS, database tables, both gunicorns and nginx; wait until all answer."""
        self.jwks.__enter__()
        self.processes.run("init-db", ["flask", "--app", "assessment", "init-db"], self.env)
        self.masters["assessment"] = self.processes.start(
            "assessment-web", self.web_argv("assessment"), self.env
        ).pid
        self.masters["hello"] = self.processes.start(
            "hello-web", self.web_argv("portal", "hello:create_app()"), self.env
        ).pid
        hello = f"127.0.0.1:{self.ports['portal']}"
        variables = {
            "PORTAL_UPSTREAM": hello,
            "ASSESSMENT_UPSTREAM": f"127.0.0.1:{self.ports['assessment']}",
            "REPORTS_UPSTREAM": hello,
            # generous limits: the gateway's rate limiting is not what is measured
            "GATEWAY_WRITE_RATE": "1000000r/s",
            "GATEWAY_WRITE_BURST": "1000000",
        }
        self.start_nginx("gateway", self.ports["gateway"], variables, self.env)
        self.wait_for(
            [
                f"{self.gateway}/api/v1/assessment/readyz",
                f"{self.gateway}/hello",
                f"http://127.0.0.1:{self.ports['assessment']}/readyz",
            ]
        )

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
        warm = run_wrk(LUA_SCRIPT, url, seconds=args.warmup, env=env, **options)
        if warm.errors:
            print(f"  note: {warm.errors} failed requests during the {name} warm-up")
    rounds = []
    for _ in range(args.rounds):
        hello, answers = (
            run_wrk(LUA_SCRIPT, url, seconds=args.duration, env=env, **options)
            for url, env in targets.values()
        )
        platform.processes.check_alive()
        rounds.append((hello, answers))
    return rounds


def http_lines(hello: WrkResult, answers: WrkResult) -> list[Line]:
    """Return the printed figures of the gateway measurement."""
    ratio = answers.rate / hello.rate
    p95_ms = answers.p95_us / 1000
    clean = answers.errors == 0 and hello.errors == 0
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
            answers.latency(),
            f"hello world {hello.latency()}",
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
    service = {pid: rss_mb(pid) for pid in children(platform.masters["assessment"])}
    hello = {pid: rss_mb(pid) for pid in children(platform.masters["hello"])}
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
        with fresh_database(
            args.database_url, workdir / "assessment.db", f"sc_bench_{os.getpid()}"
        ) as database_url:
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
        f"2. Through the gateway (nginx, gunicorn --workers {web_workers('assessment')}, "
        f"{args.connections} connections, "
        f"{args.duration:.0f} s after {args.warmup:.0f} s warm-up, median of {args.rounds} "
        f"round(s); database {engine}; JWKS fetched {fetches} time(s); no outbox write on "
        f"this path: answers are no event; {load_average(load_before)})",
        lines,
        COLUMNS,
    )
    print_section("3. Memory of the gunicorn workers after the run (VmRSS)", memory, COLUMNS)
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
    add_server_arguments(parser)
    parser.add_argument("--answer-sets", type=int, default=2000, help="random answer sets")
    parser.add_argument("--scoring-seconds", type=float, default=2.0, help="CPU s per rate")
    parser.add_argument("--skip-http", action="store_true", help="only the scoring figures")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 0 when every target is met."""
    args = parse_args(argv)
    exit_on_sigterm()
    lines = bench_scoring(args.answer_sets, args.scoring_seconds)
    if not args.skip_http:
        lines += bench_http(args)
    return print_verdict(lines)


if __name__ == "__main__":
    sys.exit(main())
