"""A Redis and a PostgreSQL of the fault tests' own, stopped and started again on their data.

The machine's shared servers are never touched: each server here listens on a free port of its
own, keeps its data in a folder of its own, and is stopped and restarted by the test that
needs an outage. Redis runs with the append-only file on, as in production (docker-compose.yml).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis
from stack import Stack, _die_with_parent, find_redis_server, free_port, redis_ping

SERVICES = ("portal", "assessment", "reports")


class PrivateRedis:
    """One redis-server with AOF on in its own folder, on a free port."""

    def __init__(self, folder: Path) -> None:
        """Describe the server; nothing runs before ``start()``."""
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        """Start the server on its folder (the AOF there is loaded) and wait for PING."""
        self.folder.mkdir(parents=True, exist_ok=True)
        argv = [
            find_redis_server(),
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--dir", str(self.folder),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.folder / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(argv, start_new_session=True, preexec_fn=_die_with_parent)
        self.starts += 1
        deadline = time.monotonic() + 15
        while not redis_ping(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"private redis did not start: see {self.folder}/redis.log")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server as an orchestrator does (SIGTERM: the AOF is flushed) and wait."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def client(self) -> redis.Redis:
        """Return a new client of the server."""
        return redis.Redis.from_url(self.url, socket_timeout=5)


def _bin_dir() -> Path:
    """Return the folder of the PostgreSQL server programs (initdb, pg_ctl)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        raise RuntimeError("no PostgreSQL server programs (pg_ctl) on this machine")
    return versions[-1].parent


class PrivatePostgres:
    """One PostgreSQL cluster in a temporary folder, on a free port, with trust auth."""

    def __init__(self) -> None:
        """Describe the cluster; nothing runs before ``create()``."""
        self.bin = _bin_dir()
        self.port = free_port()
        # initdb refuses to run as root: the cluster then belongs to the postgres user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.root = Path(tempfile.mkdtemp(prefix="fault-postgres-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"

    def _run(self, *argv: str) -> None:
        subprocess.run([*self.as_user, *argv], check=True, capture_output=True, timeout=60)

    def create(self) -> None:
        """Create the cluster, start it and create one database per service."""
        if self.as_user:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run(
            str(self.bin / "initdb"),
            "-D", str(self.data),
            "-U", "postgres",
            "-A", "trust",
            "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        self.start()
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for service in SERVICES:
                connection.execute(f'CREATE DATABASE "{service}"')

    def start(self) -> None:
        """Start the server on its data folder and wait until it accepts connections."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast``: sessions are ended, open transactions rolled back)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and remove its folder."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def admin_url(self) -> str:
        """The libpq URL of the maintenance database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, service: str) -> str:
        """The libpq URL of a service's database (for the test's own queries)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{service}"

    def sqlalchemy_url(self, service: str) -> str:
        """The SQLAlchemy URL of a service's database (for the stack's processes)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{service}"

    def rows(self, service: str, sql: str, *params: object) -> list[tuple[object, ...]]:
        """Run one query on a service's database and return its rows."""
        with psycopg.connect(self.url(service), autocommit=True) as connection:
            return list(connection.execute(sql, params).fetchall())  # type: ignore[arg-type]


@dataclass
class FaultSystem:
    """The running platform and the two servers under it."""

    stack: Stack
    redis: PrivateRedis
    postgres: PrivatePostgres

    @property
    def gateway(self) -> str:
        """The gateway's base URL."""
        return str(self.stack.url)
