"""The life of an import job in its table: claimed under a lease, renewed, released, ended.

The job row is the queue (ADR 0004): a runner claims a queued job, or a running one whose
lease has expired (its runner died), and renews the lease with every batch it commits. Ending a
job writes ``answer_import.finished`` to the outbox in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, or_, select, update
from sqlalchemy.orm import Session

from assessment import events
from assessment.bulk import jobs
from assessment.models import ImportJob
from shared.db import Database
from shared.timestamps import to_rfc3339, utcnow

MAX_ATTEMPTS = 5


class LeaseLost(RuntimeError):
    """Another runner holds the job now (this one was presumed dead)."""


class Interrupted(RuntimeError):
    """The runner is stopping; the job resumes from its committed cursor elsewhere."""


def claim_next(*, db: Database, owner: str, lease_s: float) -> str | None:
    """Take the oldest job that is queued or whose runner's lease expired; return its id."""
    now = utcnow()
    with db.session(write=True) as session, session.begin():
        query = (
            select(ImportJob.id, ImportJob.attempts)
            .where(
                ImportJob.status.in_((jobs.QUEUED, jobs.RUNNING)),
                or_(ImportJob.lease_expires_at.is_(None), ImportJob.lease_expires_at < now),
            )
            .order_by(ImportJob.created_at)
            .limit(1)
        )
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        found = session.execute(query).first()
        if found is None:
            return None
        job_id, attempts = found
        if attempts >= MAX_ATTEMPTS:
            # A file that kills its runner every time must not take every runner down forever.
            end_job(session, job_id, jobs.FAILED, problem={"code": "import_crashed"})
            return None
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id)
            .values(
                status=jobs.RUNNING,
                lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=lease_s),
                attempts=ImportJob.attempts + 1,
                started_at=func.coalesce(ImportJob.started_at, now),
            )
        )
    return str(job_id)


def renew(connection: Connection | Session, job_id: str, owner: str, lease_s: float) -> None:
    """Extend the lease within the caller's transaction, or raise ``LeaseLost``."""
    done = connection.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.lease_owner == owner)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(job_id)


def release(db: Database, job_id: str, owner: str) -> None:
    """Let another runner take the job at once (its committed work stays)."""
    with db.transaction(write=True) as connection:
        connection.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.lease_owner == owner)
            .values(lease_expires_at=utcnow(), lease_owner=None)
        )


def end_job(session: Session, job_id: str, status: str, **values: Any) -> None:
    """Give the job its final status and stage ``answer_import.finished`` with it."""
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(status=status, finished_at=utcnow(), lease_owner=None, **values)
    )
    job = session.get(ImportJob, job_id, populate_existing=True)
    assert job is not None
    events.stage(session, "answer_import.finished", finished_payload(job), subject=job.id)


def finished_payload(job: ImportJob) -> dict[str, Any]:
    """Return the ``answer_import.finished`` payload."""
    return {
        "import_id": job.id,
        "administration_id": job.administration_id,
        "assessment_id": job.assessment_id or "",
        "assessment_ids": sorted((job.summary or {}).get("assessments", {})),
        "status": job.status,
        "mode": job.mode,
        "language": job.language,
        "rows_total": job.rows_total or 0,
        "answers_stored": job.answers_stored,
        "errors_count": job.errors_count,
        "created_by": job.created_by,
        "finished_at": to_rfc3339(job.finished_at) if job.finished_at else "",
        "notify": [job.created_by],
    }
