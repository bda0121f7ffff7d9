"""Which report a revision supersedes and which listed reports are superseded (ADR 0012)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.models import ReportJob


def previous_of(session: Session, job: ReportJob) -> str | None:
    """Return the id of the revision ``job`` follows (same submission and language), or None."""
    if job.revision <= 1:
        return None
    return session.scalar(
        select(ReportJob.id).where(
            ReportJob.assessment_id == job.assessment_id,
            ReportJob.version == job.version,
            ReportJob.language == job.language,
            ReportJob.revision == job.revision - 1,
        )
    )


def latest_revisions(session: Session, jobs: Iterable[ReportJob]) -> dict[str, int]:
    """Return, per listed report id, the latest revision of its submission and language."""
    listed = list(jobs)
    assessments = {job.assessment_id for job in listed}
    if not assessments:
        return {}
    rows = session.execute(
        select(
            ReportJob.assessment_id,
            ReportJob.version,
            ReportJob.language,
            func.max(ReportJob.revision),
        )
        .where(ReportJob.assessment_id.in_(assessments))
        .group_by(ReportJob.assessment_id, ReportJob.version, ReportJob.language)
    ).all()
    latest = {(row[0], row[1], row[2]): int(row[3]) for row in rows}
    return {
        job.id: latest.get((job.assessment_id, job.version, job.language), job.revision)
        for job in listed
    }
