"""Celery tasks of the reports service (thin: the work is in ``reports.jobs``)."""

from __future__ import annotations

from typing import Any

import redis.exceptions
from celery import Task, shared_task
from flask import current_app
from sqlalchemy.exc import OperationalError

from reports import jobs
from reports.celery_app import BUILD_REPORT
from shared.logs import bind_context, bind_from_headers

# Worth another try later: the database or Redis was briefly unreachable.
TRANSIENT_ERRORS = (
    OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
MAX_RETRIES = 5


def _give_up(
    task: Task, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
) -> None:
    """Record the job as failed once Celery stops trying (retries exhausted, or a bug)."""
    bind_from_headers(task.request.headers)
    job_id = args[0] if args else kwargs.get("job_id")
    reason = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TRANSIENT_ERRORS):
        reason = f"gave up after {task.request.retries + 1} tries; last error: {reason}"
    try:
        with (
            task.flask_app.app_context(),
            task.flask_app.extensions["db"].session(write=True) as session,
        ):
            jobs.fail_report(session=session, job_id=str(job_id), reason=reason)
    finally:
        bind_context(None, None)


@shared_task(
    name=BUILD_REPORT,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    # Retries after 2, 4, 8, 16, 32 s: a database or Redis restart has 62 s to end before the
    # job is failed. Celery's jitter draws each wait from 0 up, which can end them all within a
    # few seconds of an outage (and failing the job then needs the same unreachable database).
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=False,
    max_retries=MAX_RETRIES,
    on_failure=_give_up,
)
def build_report(job_id: str) -> str | None:
    """Build the files of report job ``job_id`` (idempotent: a ready job is left alone)."""
    with current_app.extensions["db"].session(write=True) as session:
        job = jobs.build_report(
            session=session,
            store=current_app.extensions["reports.store"],
            job_id=job_id,
            # The gateway's public URL (the issuer's): links in a downloaded file must be whole.
            public_url=current_app.config["AUTH_ISSUER"],
        )
    return job.status if job is not None else None
