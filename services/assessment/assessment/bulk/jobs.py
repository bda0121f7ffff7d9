"""Use cases of bulk imports seen from the API: accept uploads as a job, list and read jobs,
and read a job's problems (the importer runs the jobs: ``assessment.bulk.importer``).

An upload is spooled to a temporary file while it streams in (size limit enforced as it goes,
checksum computed), then stored in the service's own database in chunks, in the same
transaction as its job: a job that exists always has its files, and the importer, on any
replica, reads them back without any shared disk.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from assessment.access import access, administration_of, is_manager, require_open
from assessment.bulk.reading import detect_format
from assessment.frameworks import FrameworkCache
from assessment.models import ImportFile, ImportFileChunk, ImportJob, ImportProblem
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page

ALL_OR_NOTHING, ACCEPT_VALID = "all_or_nothing", "accept_valid"
MODES = (ALL_OR_NOTHING, ACCEPT_VALID)
QUEUED, RUNNING = "queued", "running"
SUCCEEDED, WITH_ERRORS, REJECTED, FAILED = (
    "succeeded",
    "completed_with_errors",
    "rejected",
    "failed",
)
FINISHED = (SUCCEEDED, WITH_ERRORS, REJECTED, FAILED)
STATUSES = (QUEUED, RUNNING, *FINISHED)
CHUNK_BYTES = 1024 * 1024
_PIECE = 64 * 1024
MAX_FILES = 50


@dataclass(frozen=True)
class Upload:
    """An uploaded file spooled to disk, with what was learnt while it streamed in."""

    name: str
    path: Path
    size: int
    sha256: str
    format: str


def safe_name(name: str | None, position: int) -> str:
    """Return a file name fit to show and store (no directories, no control characters)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(". ")
    return cleaned[:200] or f"file-{position + 1}"


def spool(
    stream: IO[bytes], *, name: str | None, position: int, limit: int, directory: Path
) -> Upload:
    """Copy an upload to a file under ``directory`` piece by piece; refuse it past ``limit``."""
    path = directory / f"upload-{position}"
    digest = hashlib.sha256()
    size = 0
    head = b""
    with path.open("wb") as out:
        while piece := stream.read(_PIECE):
            size += len(piece)
            if size > limit:
                raise ApiError(
                    413,
                    "payload_too_large",
                    f"each file is limited to {limit // (1024 * 1024)} MiB",
                    errors={"file": [f"more than {limit} bytes"]},
                )
            if len(head) < 512:
                head += piece[: 512 - len(head)]
            digest.update(piece)
            out.write(piece)
    display = safe_name(name, position)
    if size == 0:
        raise ApiError(422, "empty_upload", errors={"file": [f"{display}: the file is empty"]})
    return Upload(display, path, size, digest.hexdigest(), detect_format(head, display))


@dataclass
class Spool:
    """A temporary directory for one request's uploads, removed afterwards."""

    directory: Path

    @classmethod
    def open(cls) -> Spool:
        """Create the directory."""
        return cls(Path(tempfile.mkdtemp(prefix="assessment-upload-")))

    def close(self) -> None:
        """Remove the directory and what it holds."""
        shutil.rmtree(self.directory, ignore_errors=True)


def fingerprint_of(uploads: Sequence[Upload], *, mode: str, assessment_id: str | None) -> Any:
    """Return what identifies a bulk submission for ``Idempotency-Key`` (files by checksum)."""
    return {
        "assessment": assessment_id,
        "mode": mode,
        "files": [[u.name, u.sha256, u.size] for u in uploads],
    }


def submit_import(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str | None,
    mode: str,
    language: str,
    uploads: Sequence[Upload],
    language_source: str = "asked",
) -> ImportJob:
    """Accept uploaded files as an import job (queued; the importer runs it)."""
    if not uploads:
        raise ApiError(422, "validation_failed", errors={"file": ["send at least one file"]})
    if len(uploads) > MAX_FILES:
        raise ApiError(422, "validation_failed", errors={"file": [f"at most {MAX_FILES} files"]})
    administration = administration_of(principal)
    if not is_manager(principal):
        raise ApiError(403, "forbidden")
    with session.begin():
        if assessment_id is not None:
            seen = access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            if not seen.is_coordinator:
                raise ApiError(403, "forbidden")
            require_open(seen.assessment)
        job = ImportJob(
            administration_id=administration,
            assessment_id=assessment_id,
            mode=mode,
            language=language,
            language_source=language_source,
            status=QUEUED,
            created_by=principal.subject,
            cursor={},
            summary={},
        )
        session.add(job)
        session.flush()
        for position, upload in enumerate(uploads):
            _store_file(session, job.id, position, upload)
    return job


def _store_file(session: Session, job_id: str, position: int, upload: Upload) -> None:
    row = ImportFile(
        job_id=job_id,
        position=position,
        name=upload.name,
        format=upload.format,
        size=upload.size,
        sha256=upload.sha256,
    )
    session.add(row)
    session.flush()
    with upload.path.open("rb") as source:
        seq = 0
        while data := source.read(CHUNK_BYTES):
            session.execute(insert(ImportFileChunk), {"file_id": row.id, "seq": seq, "data": data})
            seq += 1


def read_file_chunks(session: Session, file_id: int) -> Iterator[bytes]:
    """Yield a stored file's bytes chunk by chunk (one chunk in memory at a time)."""
    seqs = session.scalars(
        select(ImportFileChunk.seq)
        .where(ImportFileChunk.file_id == file_id)
        .order_by(ImportFileChunk.seq)
    ).all()
    for seq in seqs:
        yield (
            session.scalar(
                select(ImportFileChunk.data).where(
                    ImportFileChunk.file_id == file_id, ImportFileChunk.seq == seq
                )
            )
            or b""
        )


def get_job(*, session: Session, principal: Principal, job_id: str) -> ImportJob:
    """Return one of the administration's import jobs (another's is not found)."""
    job = session.get(ImportJob, job_id)
    if job is None or job.administration_id != administration_of(principal):
        raise NotFound()
    if not is_manager(principal) and job.created_by != principal.subject:
        raise NotFound()
    return job


def files_of(session: Session, job_id: str) -> list[ImportFile]:
    """Return a job's files in upload order."""
    return list(
        session.scalars(
            select(ImportFile).where(ImportFile.job_id == job_id).order_by(ImportFile.position)
        )
    )


def list_jobs(
    *,
    session: Session,
    principal: Principal,
    page: int,
    page_size: int,
    assessment_id: str | None = None,
    status: str | None = None,
) -> tuple[list[ImportJob], int]:
    """Return a page of the administration's import jobs, newest first."""
    query = select(ImportJob).where(ImportJob.administration_id == administration_of(principal))
    if not is_manager(principal):
        query = query.where(ImportJob.created_by == principal.subject)
    if assessment_id is not None:
        query = query.where(ImportJob.assessment_id == assessment_id)
    if status is not None:
        query = query.where(ImportJob.status == status)
    rows, total, _ = fetch_page(
        session,
        query.order_by(ImportJob.created_at.desc(), ImportJob.id),
        page=page,
        page_size=page_size,
    )
    return rows, total


def list_problems(
    *, session: Session, principal: Principal, job_id: str, page: int, page_size: int
) -> tuple[ImportJob, list[ImportProblem], int]:
    """Return a job and a page of its problems, in the order they were found."""
    job = get_job(session=session, principal=principal, job_id=job_id)
    rows, total, _ = fetch_page(
        session,
        select(ImportProblem).where(ImportProblem.job_id == job_id).order_by(ImportProblem.seq),
        page=page,
        page_size=page_size,
    )
    return job, rows, total


def all_problems(session: Session, job_id: str) -> Iterator[ImportProblem]:
    """Yield every problem of a job in order, a thousand rows at a time."""
    last = -1
    while True:
        rows = session.scalars(
            select(ImportProblem)
            .where(ImportProblem.job_id == job_id, ImportProblem.seq > last)
            .order_by(ImportProblem.seq)
            .limit(1000)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def describe(job: ImportJob, files: list[Any]) -> dict[str, Any]:
    """Return a job as the API shows it, with its progress and links."""
    total = job.rows_total
    percent = None
    if total:
        percent = min(100, int(100 * job.rows_done / total))
    elif total == 0 and job.status in FINISHED:
        percent = 100
    base = f"/api/v1/assessment/imports/{job.id}"
    links = {
        "self": base,
        "problems": f"{base}/problems",
        "error_report_csv": f"{base}/error-report?format=csv",
        "error_report_xlsx": f"{base}/error-report?format=xlsx",
    }
    if job.assessment_id:
        links["assessment"] = f"/api/v1/assessment/assessments/{job.assessment_id}"
    return {
        "id": job.id,
        "assessment_id": job.assessment_id,
        "mode": job.mode,
        "language": job.language,
        "status": job.status,
        "progress": {
            "rows_total": total,
            "rows_done": job.rows_done,
            "errors": job.errors_count,
            "answers_stored": job.answers_stored,
            "percent": percent,
        },
        "files": [
            {"name": f.name, "format": f.format, "size": f.size, "sha256": f.sha256} for f in files
        ],
        "problem": job.problem,
        "summary": job.summary or {},
        "created_by": job.created_by,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "links": links,
    }
