"""Running import jobs: a claimed job's files read back, validated, stored, the job ended.

- ``accept_valid``: each batch commits its valid answers, its problems and the job's progress
  and cursor together, so the job always holds exactly the rows it reports as stored; a runner
  that takes over resumes at the cursor.
- ``all_or_nothing``: a first pass validates and commits problems and progress only; if it found
  none, a second pass stores every answer and ends the job in one transaction. A crash anywhere
  leaves nothing stored or everything.

Storing is idempotent (an upsert per respondent and indicator), so even a batch replayed after
a lost commit acknowledgement writes no duplicate. Claims and leases: ``bulk.lifecycle``; the
passes over the rows: ``bulk.passes``.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from assessment.bulk import jobs
from assessment.bulk.checks import Checker, Respondent, Target
from assessment.bulk.lifecycle import Interrupted, LeaseLost, claim_next, release
from assessment.bulk.passes import ImportRun
from assessment.bulk.reading import Limits
from assessment.frameworks import FrameworkCache
from assessment.models import Assessment, ImportJob, Participant
from shared.db import Database

__all__ = ["Interrupted", "LeaseLost", "Settings", "claim_next", "release", "run_job"]


@dataclass(frozen=True)
class Settings:
    """How the importer works."""

    secret: bytes
    limits: Limits = field(default_factory=Limits)
    lease_s: float = 60.0
    batch_size: int = 2000
    max_problems: int = 10_000


def run_job(
    *,
    db: Database,
    cache: FrameworkCache,
    settings: Settings,
    job_id: str,
    owner: str,
    should_stop: Callable[[], bool] | None = None,
) -> str:
    """Run a claimed job to its end; return its final status."""
    # A job makes a few objects per row, and each few batches the cyclic collector's full pass
    # went over the whole long-lived heap (the app, the frameworks) again: about a third of
    # the importer's CPU (bench/bulk_import_bench.py). Frozen, that heap is skipped; the rows
    # are still freed by reference counting as before.
    gc.freeze()
    try:
        return _run_job(
            db=db, cache=cache, settings=settings, job_id=job_id, owner=owner,
            should_stop=should_stop,
        )  # fmt: skip
    finally:
        gc.unfreeze()


def _run_job(
    *,
    db: Database,
    cache: FrameworkCache,
    settings: Settings,
    job_id: str,
    owner: str,
    should_stop: Callable[[], bool] | None,
) -> str:
    with db.session() as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.status in jobs.FINISHED or job.lease_owner != owner:
            return job.status if job is not None else jobs.FAILED
        files = jobs.files_of(session, job_id)
        checker = Checker(
            assessment_id=job.assessment_id,
            find_target=lambda aid: _target(db, cache, job.administration_id, aid),
        )
    with tempfile.TemporaryDirectory(prefix="assessment-import-") as tmp:
        paths = _spool_files(db, files, Path(tmp))
        run = ImportRun(
            db, cache, settings, job, owner, checker, list(zip(files, paths, strict=True))
        )
        run.should_stop = should_stop or (lambda: False)
        if job.rows_total is None:
            run.count_rows()
        if job.mode == jobs.ACCEPT_VALID:
            return run.accept_valid()
        return run.all_or_nothing()


def _spool_files(db: Database, files: Iterable[Any], directory: Path) -> list[Path]:
    paths = []
    with db.session() as session:
        for file in files:
            path = directory / f"file-{file.position}.{file.format}"  # openpyxl wants the suffix
            with path.open("wb") as out:
                for chunk in jobs.read_file_chunks(session, file.id):
                    out.write(chunk)
            paths.append(path)
    return paths


def _target(db: Database, cache: FrameworkCache, administration: str, aid: str) -> Target | None:
    with db.session() as session:
        assessment = session.get(Assessment, aid)
        if assessment is None or assessment.administration_id != administration:
            return None
        framework = cache.get(
            session=session, key=assessment.framework_key, version=assessment.framework_version
        )
        people: dict[str, Respondent] = {}
        for user_id, email, areas in session.execute(
            select(Participant.user_id, Participant.email, Participant.areas).where(
                Participant.assessment_id == aid
            )
        ):
            respondent = Respondent(user_id, frozenset(areas) if areas else None)
            people[user_id] = respondent
            if email:
                people.setdefault(email.lower(), respondent)
        return Target(aid, framework, assessment.status != "submitted", people)
