"""Benchmark of members' files: upload and download of a 10 MB file through the real gateway,
beside nginx serving the same file statically in the same run, and the portal's memory while a
50 MB upload is refused or stored.

    .venv/bin/python bench/files_bench.py                  # local file store (the default)
    .venv/bin/python bench/files_bench.py --store s3       # S3 API (moto's server: no MinIO here)
    .venv/bin/python bench/files_bench.py --rounds 1 --duration 3

What runs: the portal under gunicorn as deploy/local/stack.py starts it, on a fresh SQLite
database with the demo accounts, behind nginx from deploy/gateway/render.py; a second nginx
serves a folder statically (``sendfile``) with the same file. A member (the demo coordinator)
uploads the file as a contribution through the gateway, then wrk (bench/files.lua) downloads it
with the member's token (the authorization, the database read and the stream from the store),
alternating with wrk downloading the static copy.

1. Upload through the gateway, 10 MB, ``--uploads`` times in turn: MB/s (information; each one
   is spooled, type-checked, hashed and stored).
2. Download through the gateway beside the static nginx, ``--connections`` at once: MB/s; target
   >= 50 % of nginx's.
3. Memory of the portal's worker (a fresh single-worker portal, warmed up by a small upload): its
   resident memory (``VmRSS``, sampled every 5 ms) before and at its peak during a 50 MB upload
   sent straight to it, chunked
   (so the limit is met while reading, not from Content-Length), refused by the default 32 MiB
   limit; then on a portal allowing 64 MiB, a 50 MB upload stored. Target: grows < 20 MB each.

Everything it starts is stopped on exit; only 127.0.0.1 is used. Exit status 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from harness import (  # noqa: E402  (beside this file)
    Columns,
    Line,
    NginxPlatform,
    WrkResult,
    children,
    claimed_redis_database,
    default_redis_url,
    exit_on_sigterm,
    load_module,
    print_section,
    print_verdict,
    rss_mb,
    run_wrk,
)

MB = 1000 * 1000
MIB = 1024 * 1024
API = "/api/v1/portal/contributions"
MEMBER = "coordinator@demo.example"
PASSWORD = "demo-password-2026"
COLUMNS = Columns(66, 12, 34, 10)
FIELDS = {"kind": "resource", "title_en": "Benchmark file", "visibility": "members"}


def pdf_body(size: int) -> bytes:
    """Return a PDF-looking body of ``size`` bytes (random content: nothing compresses it)."""
    head = b"%PDF-1.7\n"
    return head + os.urandom(size - len(head))


class FilesPlatform(NginxPlatform):
    """The portal behind the gateway's nginx, and a static nginx beside it."""

    def __init__(self, workdir: Path, redis_url: str, store_env: dict[str, str]) -> None:
        super().__init__(workdir, ("gateway", "static", "portal", "assessment"))
        self.gateway = f"http://127.0.0.1:{self.ports['gateway']}"
        self.static = f"http://127.0.0.1:{self.ports['static']}"
        self.portal = f"http://127.0.0.1:{self.ports['portal']}"
        self.env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "DATA_DIR": str(workdir),
            "REDIS_URL": redis_url,
            "PORTAL_DATABASE_URL": f"sqlite:///{workdir / 'portal.db'}",
            "AUTH_ISSUER": self.gateway,
            "AUTH_JWKS_URL": f"{self.portal}/.well-known/jwks.json",
            "LOG_LEVEL": "WARNING",
            "WRITES_PER_CALLER": "0",
            **store_env,
        }

    def prepare(self) -> None:
        """Create the portal's tables and the demo accounts."""
        self.processes.run("init-db", ["flask", "--app", "portal", "init-db"], self.env, 300)
        self.processes.run("seed", ["flask", "--app", "portal", "seed-demo"], self.env, 300)

    def start_gateways(self, static_dir: Path) -> None:
        """Start the gateway (every route to the portal) and the static nginx."""
        target = f"127.0.0.1:{self.ports['portal']}"
        upstreams = {f"{s}_UPSTREAM": target for s in ("PORTAL", "ASSESSMENT", "REPORTS")}
        self.start_nginx("gateway", self.ports["gateway"], upstreams, self.env)
        prefix = self.workdir / "static-nginx"
        for sub in ["logs", *(f"tmp/{name}" for name in self.render.TEMP_PATHS)]:
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        server = (
            "access_log off;\nsendfile on;\ntcp_nopush on;\n"
            f"server {{\n    listen 127.0.0.1:{self.ports['static']};\n"
            f"    root {static_dir};\n    location / {{ }}\n}}\n"
        )
        conf = prefix / "nginx.conf"
        conf.write_text(self.render.main_config(prefix, server), encoding="utf-8")
        nginx = self.stack.find_nginx()
        self.processes.start(
            "static", [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], self.env
        )

    def start_portal(self, workers: int | None = None, **settings: str) -> None:
        """(Re)start the portal's gunicorn (``workers``: else stack.py's count)."""
        self.processes.stop("portal-web")
        argv = self.web_argv("portal")
        if workers is not None:
            argv[argv.index("--workers") + 1] = str(workers)
        self.processes.start("portal-web", argv, {**self.env, **settings})
        self.wait_for([f"{self.portal}/readyz"])

    def portal_workers(self) -> list[int]:
        """Return the pids of the portal's gunicorn workers."""
        master = self.processes.running["portal-web"].pid
        return children(master)


def sign_in(url: str) -> dict[str, str]:
    """Return the demo member's Authorization header."""
    answer = requests.post(
        f"{url}/api/v1/portal/auth/login",
        json={"email": MEMBER, "password": PASSWORD},
        timeout=30,
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def upload(url: str, headers: dict[str, str], body: bytes, name: str = "bench.pdf") -> Any:
    """Upload ``body`` as a contribution; return the response."""
    files = {"file": (name, body, "application/pdf")}
    return requests.post(f"{url}{API}", data=FIELDS, files=files, headers=headers, timeout=300)


class PeakRss:
    """Samples a process's resident memory (VmRSS) every few milliseconds in a thread; the
    peak high-water mark (VmHWM) would keep the password hashing's 64 MiB of the sign-in."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.before = rss_mb(pid)
        self.peak = self.before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb(self.pid))

    def stop(self) -> float:
        """Stop sampling; return the growth of the peak over the memory before (MB)."""
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb(self.pid))
        return self.peak - self.before


def chunks(body: bytes, size: int = 256 * 1024) -> Iterator[bytes]:
    """Yield ``body`` in pieces (requests then sends it chunked, without Content-Length)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def multipart(body: bytes) -> tuple[bytes, str]:
    """Return a multipart body holding ``body`` as the file, and its Content-Type."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in FIELDS.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
    )
    return b"".join(parts) + body + f"\r\n--{boundary}--\r\n".encode(), (
        f"multipart/form-data; boundary={boundary}"
    )


def memory_growth(
    platform: FilesPlatform, body: bytes, *, chunked: bool, **settings: str
) -> tuple[float, float, int]:
    """Start a one-worker portal, warm it up, send ``body``; return the worker's peak before
    and its growth (MB), and the answer's status."""
    platform.start_portal(workers=1, **settings)
    headers = sign_in(platform.portal)
    warm = upload(platform.portal, headers, pdf_body(600_000), "warm.pdf")
    assert warm.status_code == 201, warm.text
    (worker,) = platform.portal_workers()
    data, content_type = multipart(body)
    sent: Any = chunks(data) if chunked else data
    sampler = PeakRss(worker)
    answer = requests.post(
        f"{platform.portal}{API}",
        data=sent,
        headers={**headers, "Content-Type": content_type},
        timeout=300,
    )
    growth = sampler.stop()
    return sampler.before, growth, answer.status_code


def download_rounds(
    platform: FilesPlatform, path: str, auth: str, args: argparse.Namespace
) -> tuple[WrkResult, WrkResult]:
    """Alternate wrk on the gateway's download and on the static file; return the median runs."""
    script = BENCH_DIR / "files.lua"
    gateway: list[WrkResult] = []
    static: list[WrkResult] = []
    for _ in range(args.rounds):
        for url, runs, env in (
            (f"{platform.gateway}{path}", gateway, {"BENCH_AUTH": auth}),
            (f"{platform.static}/bench.pdf", static, {"BENCH_AUTH": ""}),
        ):
            wrk = {"seconds": args.duration, "connections": args.connections, "threads": 2}
            run_wrk(script, url, **{**wrk, "seconds": 1}, env=env)  # warm-up
            runs.append(run_wrk(script, url, **wrk, env=env))
            platform.processes.check_alive()
    return (
        sorted(gateway, key=lambda r: r.rate)[len(gateway) // 2],
        sorted(static, key=lambda r: r.rate)[len(static) // 2],
    )


def s3_settings() -> tuple[dict[str, str], subprocess.Popen[bytes]]:
    """Start moto's S3 server and make a bucket; return the portal's settings and the server."""
    import boto3

    stack = load_module(BENCH_DIR.parent / "deploy" / "local" / "stack.py", "bench_stack")
    free = stack.free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(free)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{free}"
    credentials = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret"}
    deadline = time.monotonic() + 20
    while stack.http_status(endpoint) is None:
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("moto_server did not start")
        time.sleep(0.2)
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket="bench-files")
    settings = {
        "PORTAL_FILE_STORE": "s3",
        "PORTAL_S3_ENDPOINT_URL": endpoint,
        "PORTAL_S3_BUCKET": "bench-files",
        **credentials,
    }
    return settings, server


def run(args: argparse.Namespace, redis_url: str, workdir: Path) -> list[Line]:
    """Set up, measure and print every figure; return them."""
    server = None
    store_env: dict[str, str] = {}
    if args.store == "s3":
        store_env, server = s3_settings()
    platform = FilesPlatform(workdir, redis_url, store_env)
    size = int(args.size_mb * MB)
    body = pdf_body(size)
    static_dir = workdir / "static"
    static_dir.mkdir()
    (static_dir / "bench.pdf").write_bytes(body)
    try:
        platform.prepare()
        platform.start_gateways(static_dir)
        platform.start_portal()
        platform.wait_for([f"{platform.gateway}/api/v1/portal/readyz"])
        headers = sign_in(platform.gateway)
        seconds = []
        first = None
        for _ in range(args.uploads):
            started = time.perf_counter()
            answer = upload(platform.gateway, headers, body)
            seconds.append(time.perf_counter() - started)
            if answer.status_code != 201:
                raise RuntimeError(f"upload refused: {answer.status_code} {answer.text[:300]}")
            first = first or answer.json()
        assert first is not None
        got = requests.get(
            f"{platform.gateway}{API}/{first['id']}/file", headers=headers, timeout=60
        )
        assert got.content == body, "the downloaded file differs from the uploaded one"
        gateway, static = download_rounds(
            platform, f"{API}/{first['id']}/file", headers["Authorization"], args
        )
        big = pdf_body(50 * MB)
        refused = memory_growth(platform, big, chunked=True)
        stored = memory_growth(platform, big, chunked=False, PORTAL_UPLOAD_MAX_BYTES=str(64 * MIB))
    finally:
        platform.processes.stop()
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    return report(args, size, seconds, gateway, static, refused, stored)


def report(
    args: argparse.Namespace,
    size: int,
    seconds: list[float],
    gateway: WrkResult,
    static: WrkResult,
    refused: tuple[float, float, int],
    stored: tuple[float, float, int],
) -> list[Line]:
    """Print the figures; return them."""
    upload_rate = size / statistics.median(seconds) / MB
    down, base = gateway.rate * size / MB, static.rate * size / MB
    errors = gateway.errors + static.errors
    lines = [
        Line(
            f"upload {args.size_mb:g} MB through the gateway ({args.store}), median of "
            f"{len(seconds)}",
            f"{upload_rate:,.0f} MB/s",
            "information",
        ),
        Line(
            f"download through the gateway, {args.connections} connections ({args.store})",
            f"{down:,.0f} MB/s",
            f"nginx static {base:,.0f} MB/s ({down / base:.0%})",
            ">= 50 %",
            down >= 0.5 * base and errors == 0,
        ),
        Line(
            f"  p95 of one download (gateway / static: {static.p95_us / 1000:,.0f} ms)",
            f"{gateway.p95_us / 1000:,.0f} ms",
            f"{errors} failed request(s)",
        ),
        Line(
            f"worker peak RSS growth, 50 MB chunked upload refused ({refused[2]})",
            f"{refused[1]:,.1f} MB",
            f"from {refused[0]:,.0f} MB (after 0.6 MB)",
            "< 20 MB",
            refused[1] < 20 and refused[2] == 413,
        ),
        Line(
            f"worker peak RSS growth, 50 MB upload stored, 64 MiB limit ({stored[2]})",
            f"{stored[1]:,.1f} MB",
            f"from {stored[0]:,.0f} MB (after 0.6 MB)",
            "< 20 MB",
            stored[1] < 20 and stored[2] == 201,
        ),
    ]
    print_section("Members' files through the gateway", lines, COLUMNS)
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=("local", "s3"), default="local")
    parser.add_argument("--size-mb", type=float, default=10.0, help="file size (MB)")
    parser.add_argument("--uploads", type=int, default=5, help="uploads to time")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4, help="downloads at once")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--redis-url", default=default_redis_url())
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 when every target is met."""
    args = parse_args(argv)
    exit_on_sigterm()
    with (
        claimed_redis_database(args.redis_url, ttl_s=3600) as redis_url,
        tempfile.TemporaryDirectory(prefix="sc-files-bench-") as tmp,
    ):
        lines = run(args, redis_url, Path(tmp))
    return print_verdict(lines)


if __name__ == "__main__":
    sys.exit(main())
