"""Real Celery worker processes on the test database and Redis, started and stopped per test."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from aiosmtpd.controller import Controller

from .smtp_inbox import Inbox, free_port


class Worker:
    """One ``celery -A reports.worker worker`` process group (main process and pool children)."""

    def __init__(self, process: subprocess.Popen, log_path) -> None:
        self.process = process
        self.log_path = log_path

    def alive(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, predicate, what: str, timeout_s: float = 30.0):
        """Return ``predicate()``'s first truthy value; fail with the log if the worker dies or
        nothing comes within ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = predicate()
            if found:
                return found
            assert self.alive(), self.log()
            time.sleep(0.1)
        pytest.fail(f"{what}: nothing within {timeout_s:.0f}s\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the whole worker at once: no warm shutdown, no chance to requeue anything."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if not self.alive():
            return
        self.process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        else:
            self.kill()  # any pool child left behind


@pytest.fixture
def start_worker(database_url, redis_url, tmp_path):
    """Return a function starting a real worker with extra settings; every one is stopped after."""
    started: list[Worker] = []

    def start(
        *, pool: str = "solo", concurrency: int = 1, queues: str | None = None, **settings: str
    ) -> Worker:
        """Start a worker; without ``queues`` it consumes every queue (builds and deliveries)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTS_")}
        env.update(
            REDIS_URL=redis_url,
            REPORTS_DATABASE_URL=database_url,
            DATA_DIR=str(tmp_path),
            LOG_FORMAT="json",
            LOG_LEVEL="INFO",
            AUTH_JWKS_URL="http://127.0.0.1:9/unused",
            **settings,
        )
        log_path = tmp_path / f"worker-{len(started)}.log"
        argv = [
            sys.executable, "-m", "celery", "-A", "reports.worker", "worker",
            "--pool", pool, "--concurrency", str(concurrency),
            "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h",
            *(["--queues", queues] if queues else []),
        ]  # fmt: skip
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                argv,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() takes the children too
            )
        worker = Worker(process, log_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def inbox(app):
    """A real local SMTP server the app sends its e-mails to; yields what it received."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(REPORTS_SMTP_HOST="127.0.0.1", REPORTS_SMTP_PORT=controller.port)
    yield handler
    controller.stop()
