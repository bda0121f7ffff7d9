"""Use cases of report jobs: accept a submission, build, fail, list, read, download, regenerate;
and the operator's: list failed and stalled jobs, retry them."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, String, cast, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reports import peer_aggregates, testhooks
from reports.administrations import known_name
from reports.builder import RenderedFile, ReportDataError, build_files
from reports.config import SERVICE, STREAM
from reports.models import JobStatus, OutboxMessage, ReportFile, ReportJob
from reports.report_revisions import previous_of
from reports.resources import suggestible_resources
from reports.storage import FileMissing, FileStore, load_file, save_file
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.events import CloudEvent, load_payload, new_event
from shared.outbox import add_event
from shared.paging import fetch_page
from shared.timestamps import utcnow

Enqueue = Callable[[str], None]
# build(data, language, resources=..., public_url=...) -> files (``builder.build_files``)
Builder = Callable[..., list[RenderedFile]]

_log = logging.getLogger(__name__)
MAX_REASON = 2000


# -- from the event process ------------------------------------------------------------------
def accept_submission(event: CloudEvent, *, session: Session, enqueue: Enqueue) -> ReportJob:
    """Record the report job of an ``assessment.submitted`` event and queue its build."""
    data = load_payload(event)
    with session.begin():
        job = _get_or_create(
            session,
            data=data,
            language=data["language"],
            notify=list(data["notify"]),
            source_event_id=event.id,
        )
        # A job already building, ready or failed is someone else's business: a second
        # delivery only re-enqueues a job whose first enqueue may have been lost.
        pending = job.status == JobStatus.QUEUED
    if pending:
        enqueue(job.id)
    return job


def _find(session: Session, assessment_id: str, version: int, language: str) -> ReportJob | None:
    """Return the current report (latest revision) of a submission in ``language``, or None."""
    return session.scalar(
        select(ReportJob)
        .where(
            ReportJob.assessment_id == assessment_id,
            ReportJob.version == version,
            ReportJob.language == language,
        )
        .order_by(ReportJob.revision.desc())
        .limit(1)
    )


def _get_or_create(
    session: Session,
    *,
    data: Mapping[str, Any],
    language: str,
    notify: list[str],
    source_event_id: str | None,
) -> ReportJob:
    key = (str(data["assessment_id"]), int(data["version"]), language)
    existing = _find(session, *key)
    if existing is not None:
        return existing
    job = ReportJob(
        administration_id=str(data["administration_id"]),
        assessment_id=key[0],
        version=key[1],
        language=language,
        title=str(data.get("title", ""))[:300],
        data=dict(data),
        notify=sorted(set(notify)),
        source_event_id=source_event_id,
        status=JobStatus.QUEUED.value,
        attempts=0,
        files=[],
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:
        # Another delivery of the same event created it between our read and our insert.
        found = _find(session, *key)
        if found is None:
            raise
        return found
    return job


# -- from the worker -------------------------------------------------------------------------
def _locked(session: Session, job_id: str) -> ReportJob | None:
    return session.get(ReportJob, job_id, with_for_update=True, populate_existing=True)


def build_report(
    *,
    session: Session,
    store: FileStore,
    job_id: str,
    build: Builder = build_files,
    public_url: str = "",
) -> ReportJob | None:
    """Build and store a job's files, mark it ready and stage ``report.ready`` (idempotent).

    The portal resources matched to the recommendations are those of the read model when the
    report is built; ``public_url`` makes the portal's relative links absolute in the files.
    """
    with session.begin():
        job = _locked(session, job_id)
        if job is None or job.finished:
            return job
        job.status = JobStatus.BUILDING.value
        job.attempts += 1
        data, language = dict(job.data), job.language
        # The name as last announced by the portal, so a rebuild after a rename uses it.
        data["administration_name"] = known_name(
            session, job.administration_id, announced=data.get("administration_name")
        )
        catalogue = suggestible_resources(session)
        data[peer_aggregates.DATA_KEY] = peer_aggregates.distribution_for(session, data)
        # Read and recorded with BUILDING in one transaction: a peer-learning event deciding
        # whether to build a new revision (``reports.peer_rebuilds``) knows what this one shows.
        job.peer_distribution = data[peer_aggregates.DATA_KEY]
    testhooks.pause_mid_build()  # test hook: 0 s unless REPORTS_TEST_BUILD_DELAY_S is set
    try:
        rendered = build(data, language, resources=catalogue, public_url=public_url)
    except ReportDataError as exc:
        # Rebuilding the same data gives the same answer: fail now instead of retrying.
        return fail_report(session=session, job_id=job_id, reason=f"invalid report data: {exc}")
    with session.begin():
        job = _locked(session, job_id)
        if job is None or job.status == JobStatus.READY:
            return job  # a concurrent run of the same task finished first
        for file in rendered:
            save_file(session, store, report_id=job.id, rendered=file)
        job.status = JobStatus.READY.value
        job.reason = None
        job.finished_at = utcnow()
        _stage(
            session,
            "report.ready",
            job,
            formats=[file.format for file in rendered],
            revision=job.revision,
            supersedes=previous_of(session, job),
        )
    _log.info("report ready", extra={"report_id": job_id, "attempts": job.attempts})
    return job


def rebuild_files(
    *,
    session: Session,
    store: FileStore,
    job_id: str,
    build: Builder = build_files,
    public_url: str = "",
) -> ReportJob | None:
    """Build a ready report's files again from its submission (with the administration's name
    as known now) and replace them in one transaction; no new event, the report stays ready."""
    with session.begin():
        job = session.get(ReportJob, job_id)
        if job is None or job.status != JobStatus.READY:
            return None
        data, language = dict(job.data), job.language
        data["administration_name"] = known_name(
            session, job.administration_id, announced=data.get("administration_name")
        )
        catalogue = suggestible_resources(session)
        data[peer_aggregates.DATA_KEY] = peer_aggregates.distribution_for(session, data)
    rendered = build(data, language, resources=catalogue, public_url=public_url)
    with session.begin():
        job = _locked(session, job_id)
        if job is None or job.status != JobStatus.READY:
            return None
        for file in rendered:
            save_file(session, store, report_id=job.id, rendered=file)
        job.peer_distribution = data[peer_aggregates.DATA_KEY]
    _log.info("report files rebuilt", extra={"report_id": job_id})
    return job


def ready_reports_of(*, session: Session, administration_id: str) -> list[str]:
    """Return the ids of an administration's ready reports, oldest first."""
    return list(
        session.scalars(
            select(ReportJob.id)
            .where(
                ReportJob.administration_id == administration_id,
                ReportJob.status == JobStatus.READY.value,
            )
            .order_by(ReportJob.created_at, ReportJob.id)
        )
    )


def fail_report(*, session: Session, job_id: str, reason: str) -> ReportJob | None:
    """Mark a job failed with ``reason`` and stage ``report.failed`` (once; never after ready)."""
    with session.begin():
        job = _locked(session, job_id)
        if job is None or job.finished:
            return job
        job.status = JobStatus.FAILED.value
        job.reason = reason[:MAX_REASON]
        job.finished_at = utcnow()
        _stage(
            session,
            "report.failed",
            job,
            reason=job.reason,
            revision=job.revision,
            supersedes=previous_of(session, job),
        )
    _log.error(
        "report failed",
        extra={"report_id": job_id, "attempts": job.attempts, "reason": reason[:MAX_REASON]},
    )
    return job


def _stage(session: Session, event_type: str, job: ReportJob, **extra: Any) -> None:
    data = {
        "report_id": job.id,
        "assessment_id": job.assessment_id,
        "administration_id": job.administration_id,
        "version": job.version,
        "language": job.language,
        "title": job.title,
        "notify": list(job.notify or []),
        **extra,
    }
    event = new_event(event_type, source=SERVICE, data=data, subject=job.id)
    add_event(session, OutboxMessage, STREAM, event)


# -- from the API ----------------------------------------------------------------------------
def _admin_of(principal: Principal) -> str:
    if not principal.administration_id:
        raise ApiError(403, "administration_required")
    return principal.administration_id


def _manages(principal: Principal) -> bool:
    """Return whether the caller sees every report of its administration (else only those of
    the assessments they took part in: the users the submission named to notify)."""
    return principal.has_any(Role.COORDINATOR, Role.CLIENT)


def _took_part(subject: str) -> ColumnElement[bool]:
    """Return the condition "``subject`` is in the job's ``notify`` list" (a JSON list of ids,
    matched in its text: the same on SQLite and PostgreSQL)."""
    escaped = json.dumps(subject).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return cast(ReportJob.notify, String).like(f"%{escaped}%", escape="\\")


def list_reports(
    *,
    session: Session,
    principal: Principal,
    page: int,
    page_size: int,
    assessment_id: str | None = None,
    status: str | None = None,
) -> tuple[list[ReportJob], int]:
    """Return one page of the administration's reports, newest first, and the total count."""
    query = select(ReportJob).where(ReportJob.administration_id == _admin_of(principal))
    if not _manages(principal):
        query = query.where(_took_part(principal.subject))
    if assessment_id:
        query = query.where(ReportJob.assessment_id == assessment_id)
    if status:
        query = query.where(ReportJob.status == status)
    rows, total, _ = fetch_page(
        session,
        query.order_by(ReportJob.created_at.desc(), ReportJob.id),
        page=page,
        page_size=page_size,
    )
    return rows, total


def get_report(*, session: Session, principal: Principal, report_id: str) -> ReportJob:
    """Return one report of the caller's administration (404 for any other)."""
    job = session.get(ReportJob, report_id)
    if job is None or job.administration_id != _admin_of(principal):
        raise NotFound()
    if not _manages(principal) and principal.subject not in (job.notify or []):
        raise NotFound()
    return job


def get_file(
    *, session: Session, store: FileStore, principal: Principal, report_id: str, fmt: str
) -> tuple[ReportFile, bytes]:
    """Return the metadata and bytes of one format of a ready report (404 otherwise)."""
    job = get_report(session=session, principal=principal, report_id=report_id)
    if job.status != JobStatus.READY:
        raise NotFound()
    try:
        found = load_file(session, store, report_id=job.id, fmt=fmt)
    except FileMissing as exc:
        raise NotFound() from exc
    if found is None:
        raise NotFound()
    return found


def regenerate_report(
    *, session: Session, principal: Principal, report_id: str, language: str, enqueue: Enqueue
) -> tuple[ReportJob, bool]:
    """Queue the report of the same submission in ``language``; return it and whether queued.

    The report is found or created by (assessment, version, language), so repeating the request
    returns the same job; a failed one is queued again.
    """
    with session.begin():
        source = get_report(session=session, principal=principal, report_id=report_id)
        job = _get_or_create(
            session,
            data=source.data,
            language=language,
            notify=[*source.notify, principal.subject],
            source_event_id=None,
        )
        _requeue_if_failed(job)
        pending = job.status == JobStatus.QUEUED
    if pending:
        enqueue(job.id)
    return job, pending


def _requeue_if_failed(job: ReportJob) -> None:
    if job.status == JobStatus.FAILED:
        job.status = JobStatus.QUEUED.value
        job.reason = None
        job.finished_at = None


# -- from the operator (``flask --app reports jobs ...``) ------------------------------------
class Retry(StrEnum):
    """What retrying one job did."""

    REQUEUED = "requeued"  # it had failed: queued again and enqueued
    REENQUEUED = "re-enqueued"  # queued or building but stalled: its task enqueued again
    IN_PROGRESS = "in progress"  # queued or building recently: left alone
    READY = "ready"  # left alone
    MISSING = "missing"


def list_failed(*, session: Session, since: datetime | None = None) -> list[ReportJob]:
    """Return the failed jobs (finished since ``since``), the latest failure first."""
    query = select(ReportJob).where(ReportJob.status == JobStatus.FAILED.value)
    if since is not None:
        query = query.where(ReportJob.finished_at >= since)
    return list(session.scalars(query.order_by(ReportJob.finished_at.desc(), ReportJob.id)))


def list_stalled(*, session: Session, before: datetime) -> list[ReportJob]:
    """Return the queued or building jobs untouched since ``before`` (lost tasks), oldest first."""
    pending = or_(
        ReportJob.status == JobStatus.QUEUED.value, ReportJob.status == JobStatus.BUILDING.value
    )
    query = select(ReportJob).where(pending, ReportJob.updated_at < before)
    return list(session.scalars(query.order_by(ReportJob.updated_at, ReportJob.id)))


def retry_report(
    *, session: Session, job_id: str, enqueue: Enqueue, stalled_before: datetime
) -> Retry:
    """Queue a failed job again, or enqueue the task of one stalled since ``stalled_before``.

    As the API's regenerate does for a failed job, and a second delivery of the submission for
    a queued one; a job building or queued more recently, or ready, is left alone.
    """
    with session.begin():
        job = _locked(session, job_id)
        if job is None:
            return Retry.MISSING
        if job.status == JobStatus.READY:
            return Retry.READY
        if job.status == JobStatus.FAILED:
            _requeue_if_failed(job)
            outcome = Retry.REQUEUED
        elif job.updated_at < stalled_before:
            outcome = Retry.REENQUEUED
        else:
            return Retry.IN_PROGRESS
    enqueue(job_id)
    _log.info("report job retried", extra={"report_id": job_id, "outcome": outcome.value})
    return outcome
