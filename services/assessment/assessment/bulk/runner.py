"""The importer process: ``flask --app assessment imports run`` claims and runs import jobs.

Scaled on its own (each replica runs one job at a time). SIGTERM stops it between two batches:
the lease is released so another replica resumes the job at once from its committed cursor.
Uploads push a wake-up on ``assessment:imports:wake``; without one (Redis down, a lost push)
the runner still finds queued jobs by polling the table.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
from pathlib import Path
from typing import Any, Protocol

import redis
from flask import Flask

from assessment.bulk import importer
from assessment.bulk.reading import Limits

WAKE_KEY = "assessment:imports:wake"
_log = logging.getLogger(__name__)


def settings_of(app: Flask) -> importer.Settings:
    """Return the importer settings from the app's config."""
    config = app.config
    return importer.Settings(
        secret=str(config["ASSESSMENT_WORKBOOK_SECRET"]).encode(),
        limits=Limits(max_bytes=int(config["ASSESSMENT_IMPORT_MAX_BYTES"])),
        lease_s=float(config["ASSESSMENT_IMPORT_LEASE_S"]),
        batch_size=int(config["ASSESSMENT_IMPORT_BATCH"]),
        max_problems=int(config["ASSESSMENT_IMPORT_MAX_PROBLEMS"]),
    )


def wake(client: redis.Redis) -> None:
    """Tell a waiting importer there is work (best effort: it polls anyway)."""
    try:
        client.lpush(WAKE_KEY, "1")
        client.ltrim(WAKE_KEY, 0, 9)
    except redis.RedisError:
        _log.warning("could not wake the importer; it will find the job by polling")


class Stopping(Protocol):
    """What says the runner is stopping (a ``threading.Event`` will do)."""

    def is_set(self) -> bool:
        """Return whether to stop."""
        ...


def run_once(app: Flask, *, owner: str, stop: Stopping | None = None) -> str | None:
    """Claim and run one job if there is one; return its final status."""
    db = app.extensions["db"]
    settings = settings_of(app)
    job_id = importer.claim_next(db=db, owner=owner, lease_s=settings.lease_s)
    if job_id is None:
        return None
    try:
        return importer.run_job(
            db=db,
            cache=app.extensions["frameworks"],
            settings=settings,
            job_id=job_id,
            owner=owner,
            should_stop=(stop.is_set if stop is not None else None),
        )
    except importer.LeaseLost:
        _log.warning("import lease lost to another runner", extra={"import_id": job_id})
    except importer.Interrupted:
        importer.release(app.extensions["db"], job_id, owner)
        _log.info("import paused for shutdown", extra={"import_id": job_id})
    except Exception:
        importer.release(app.extensions["db"], job_id, owner)
        _log.exception("import failed; it will be retried", extra={"import_id": job_id})
    return None


class _Heartbeat:
    """The stop flag the job checks between batches, touching the health file as it is read.

    (The container's health check is the file's age, as for the event processes: a runner
    stuck in one batch stops touching it.)
    """

    def __init__(self, path: str, stop: threading.Event) -> None:
        self.path = Path(path) if path else None
        self.stop = stop

    def is_set(self) -> bool:
        """Touch the health file; return whether to stop."""
        if self.path is not None:
            with contextlib.suppress(OSError):
                self.path.touch()
        return self.stop.is_set()


def run_importer(app: Flask, *, stop: threading.Event | None = None) -> None:
    """Run import jobs until SIGTERM/SIGINT (or ``stop``)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    owner = f"{socket.gethostname()}:{os.getpid()}"
    client: Any = app.extensions["redis"]
    poll_s = float(app.config["ASSESSMENT_IMPORT_POLL_S"])
    heartbeat = _Heartbeat(app.config.get("EVENTS_HEARTBEAT_FILE") or "", stop)
    _log.info("importer started", extra={"owner": owner})
    with app.app_context():
        while not stop.is_set():
            heartbeat.is_set()
            try:
                if run_once(app, owner=owner, stop=heartbeat) is not None:
                    continue
            except Exception:  # the database is down: wait and try again
                _log.exception("importer round failed")
            try:
                client.blpop([WAKE_KEY], timeout=max(1, int(poll_s)))
            except redis.RedisError:
                stop.wait(poll_s)
    _log.info("importer stopped")
