"""Running import jobs: claim one under a lease, validate and store its rows, finish it.

The job row is the queue (ADR 0004): a runner claims a queued job, or a running one whose
lease has expired (its runner died), and renews the lease with every batch it commits.

- ``accept_valid``: each batch commits its valid answers, its problems and the job's progress
  and cursor together, so the job always holds exactly the rows it reports as stored; a runner
  that takes over resumes at the cursor.
- ``all_or_nothing``: a first pass validates and commits problems and progress only; if it found
  none, a second pass stores every answer and finishes the job in one transaction. A crash
  anywhere leaves nothing stored or everything.

Storing is idempotent (an upsert per respondent and indicator), so even a batch replayed after
a lost commit acknowledgement writes no duplicate.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, insert, or_, select, update
from sqlalchemy.orm import Session

from assessment import events, results
from assessment.bulk import jobs
from assessment.bulk.checks import Checker, Respondent, Target, ValidAnswer
from assessment.bulk.reading import (
    FileProblem,
    Limits,
    RawAnswer,
    RowProblem,
    Where,
    count_rows,
    open_answers,
)
from assessment.bulk.storing import Store
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import (
    Answer,
    Assessment,
    HistoryEntry,
    ImportJob,
    ImportProblem,
    Participant,
)
from shared.db import Database
from shared.errors import ApiError
from shared.timestamps import to_rfc3339, utcnow

_log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class LeaseLost(RuntimeError):
    """Another runner holds the job now (this one was presumed dead)."""


class Interrupted(RuntimeError):
    """The runner is stopping; the job resumes from its committed cursor elsewhere."""


class _Changed(RuntimeError):
    """The storing pass met problems the validation pass had not (the assessment changed)."""


@dataclass(frozen=True)
class Settings:
    """How the importer works."""

    secret: bytes
    limits: Limits = field(default_factory=Limits)
    lease_s: float = 60.0
    batch_size: int = 2000
    max_problems: int = 10_000


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
            _finish(session, job_id, jobs.FAILED, problem={"code": "import_crashed"})
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


def _renew(connection: Connection | Session, job_id: str, owner: str, lease_s: float) -> None:
    """Extend the lease within the caller's transaction, or raise ``LeaseLost``."""
    done = connection.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id, ImportJob.lease_owner == owner)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease_s))
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLost(job_id)


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
        run = _Run(db, cache, settings, job, owner, checker, list(zip(files, paths, strict=True)))
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


class _Run:
    """One runner's pass over one job."""

    def __init__(
        self,
        db: Database,
        cache: FrameworkCache,
        settings: Settings,
        job: ImportJob,
        owner: str,
        checker: Checker,
        files: list[tuple[Any, Path]],
    ) -> None:
        self.db, self.cache, self.settings = db, cache, settings
        self.job_id, self.owner, self.mode = job.id, owner, job.mode
        self.checker, self.files = checker, files
        self.cursor = dict(job.cursor or {})
        self.problems_seen = job.errors_count
        self.rows_done = job.rows_done
        self.should_stop: Callable[[], bool] = lambda: False
        self.store = Store(job_id=job.id)

    # -- reading ----------------------------------------------------------------------------
    def _framework(self, key: str, version: str) -> Framework | None:
        with self.db.session() as session:
            try:
                return self.cache.get(session=session, key=key, version=version)
            except ApiError:
                return None

    def items(self, start_file: int = 0, skip: int = 0) -> Iterator[tuple[int, int, Any]]:
        """Yield (file position, item index, RawAnswer | RowProblem) from a point on."""
        for position, (file, path) in enumerate(self.files):
            if position < start_file:
                continue
            first = skip if position == start_file else 0
            try:
                facts, found = open_answers(
                    path,
                    name=file.name,
                    framework_lookup=self._framework,
                    secret=self.settings.secret,
                    limits=self.settings.limits,
                )
                self._check_facts(facts, file.name)
                for index, item in enumerate(found):
                    if index >= first:
                        yield position, index, item
            except FileProblem as refused:
                if first == 0:
                    where = Where(file=file.name, sheet="", row=0, column="")
                    yield position, -1, RowProblem(where, refused.code, refused.params)

    def _check_facts(self, facts: Any, name: str) -> None:
        target_id = self.checker.assessment_id or facts.assessment_id
        if not facts.framework_key or not target_id:
            return
        target = self.checker.target(target_id)
        if target is None:
            return
        expected = f"{target.framework.key} {target.framework.version}"
        found = f"{facts.framework_key} {facts.framework_version}"
        if found != expected:
            raise FileProblem("wrong_framework", expected=expected, found=found)

    def count_rows(self) -> None:
        """Record how many rows the files hold (for progress), before any is stored."""
        total = 0
        for file, path in self.files:
            with contextlib.suppress(FileProblem):  # reported when the file is read
                total += count_rows(
                    path,
                    name=file.name,
                    framework_lookup=self._framework,
                    secret=self.settings.secret,
                    limits=self.settings.limits,
                )

        with self.db.transaction(write=True) as connection:
            _renew(connection, self.job_id, self.owner, self.settings.lease_s)
            connection.execute(
                update(ImportJob).where(ImportJob.id == self.job_id).values(rows_total=total)
            )

    def batches(self, start_file: int, skip: int) -> Iterator[list[tuple[int, int, Any]]]:
        """Yield the items from a point on, ``batch_size`` at a time."""
        batch: list[tuple[int, int, Any]] = []
        for item in self.items(start_file, skip):
            batch.append(item)
            if len(batch) >= self.settings.batch_size:
                yield batch
                batch = []
                if self.should_stop():
                    raise Interrupted(self.job_id)
        if batch:
            yield batch

    def judge(
        self, batch: list[tuple[int, int, Any]]
    ) -> tuple[list[ValidAnswer], list[RowProblem]]:
        """Split a batch into answers to store and problems."""
        valid: list[ValidAnswer] = []
        problems: list[RowProblem] = []
        for _, _, item in batch:
            if isinstance(item, RawAnswer):
                verdict = self.checker.check(item)
                if isinstance(verdict, ValidAnswer):
                    valid.append(verdict)
                else:
                    problems.extend(verdict)
            else:
                problems.append(item)
        return valid, problems

    # -- writing ----------------------------------------------------------------------------
    def _record_problems(self, connection: Connection, problems: list[RowProblem]) -> None:
        room = max(0, self.settings.max_problems - self.problems_seen)
        kept = problems[:room]
        if kept:
            connection.execute(
                insert(ImportProblem),
                [
                    {
                        "job_id": self.job_id,
                        "seq": self.problems_seen + n,
                        "file": p.where.file,
                        "sheet": p.where.sheet,
                        "row": p.where.row,
                        "column": p.where.column,
                        "code": p.code,
                        "params": {k: _plain(v) for k, v in p.params.items()},
                    }
                    for n, p in enumerate(kept)
                ],
            )
        self.problems_seen += len(problems)

    def _progress(
        self, connection: Connection, batch: list[tuple[int, int, Any]], stored: int, phase: str
    ) -> None:
        position, index, _ = batch[-1]
        self.rows_done += sum(1 for _, i, _ in batch if i >= 0)
        self.cursor = {"phase": phase, "file": position, "item": index + 1}
        values: dict[str, Any] = {
            "rows_done": self.rows_done,
            "errors_count": self.problems_seen,
            "cursor": self.cursor,
        }
        if stored:
            values["answers_stored"] = ImportJob.answers_stored + stored
        connection.execute(update(ImportJob).where(ImportJob.id == self.job_id).values(**values))

    def _start(self) -> tuple[int, int]:
        return int(self.cursor.get("file", 0)), int(self.cursor.get("item", 0))

    def accept_valid(self) -> str:
        """Store each batch's valid rows with its progress; finish."""
        start_file, skip = self._start()
        for batch in self.batches(start_file, skip):
            valid, problems = self.judge(batch)
            with self.db.transaction(write=True) as connection:
                _renew(connection, self.job_id, self.owner, self.settings.lease_s)
                stored = self.store.store(connection, valid)
                self._record_problems(connection, problems)
                self._progress(connection, batch, stored, "store")
        status = jobs.WITH_ERRORS if self.problems_seen else jobs.SUCCEEDED
        return self.finish(status)

    def all_or_nothing(self) -> str:
        """Validate everything first; store everything in one transaction if nothing is wrong."""
        start_file, skip = self._start()
        if self.cursor.get("phase", "validate") == "validate":
            for batch in self.batches(start_file, skip):
                _, problems = self.judge(batch)
                with self.db.transaction(write=True) as connection:
                    _renew(connection, self.job_id, self.owner, self.settings.lease_s)
                    self._record_problems(connection, problems)
                    self._progress(connection, batch, 0, "validate")
        if self.problems_seen:
            return self.finish(jobs.REJECTED)
        late: list[RowProblem] = []
        try:
            with self.db.session(write=True) as session, session.begin():
                # Holding the job row from here to the commit: no other runner can claim it.
                _renew(session, self.job_id, self.owner, self.settings.lease_s)
                connection = session.connection()
                stored = 0
                for batch in self.batches(0, 0):
                    valid, problems = self.judge(batch)
                    late.extend(problems[: self.settings.max_problems - len(late)])
                    if not late:
                        stored += self.store.store(connection, valid)
                if late:  # the assessment changed since validation (e.g. a respondent left)
                    raise _Changed(self.job_id)
                session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == self.job_id)
                    .values(answers_stored=stored)
                )
                return self._finish_in(session, jobs.SUCCEEDED)
        except _Changed:
            with self.db.transaction(write=True) as connection:
                self._record_problems(connection, late)
                connection.execute(
                    update(ImportJob)
                    .where(ImportJob.id == self.job_id)
                    .values(errors_count=self.problems_seen)
                )
            return self.finish(jobs.REJECTED)

    def finish(self, status: str) -> str:
        """Finish the job in its own transaction."""
        with self.db.session(write=True) as session, session.begin():
            _renew(session, self.job_id, self.owner, self.settings.lease_s)
            return self._finish_in(session, status)

    def _finish_in(self, session: Session, status: str) -> str:
        job = session.get(ImportJob, self.job_id, populate_existing=True)
        assert job is not None
        summary = _summary(session, self.checker, self.cache, job.id)
        for assessment_id, facts in summary["assessments"].items():
            session.add(
                HistoryEntry(
                    assessment_id=assessment_id,
                    action="answers_imported",
                    actor=job.created_by,
                    detail={"import_id": job.id, "status": status, **facts},
                )
            )
        _finish(session, job.id, status, summary=summary)
        session.flush()
        job = session.get(ImportJob, self.job_id, populate_existing=True)
        assert job is not None
        events.stage(session, "answer_import.finished", finished_payload(job), subject=job.id)
        return status


def _finish(session: Session, job_id: str, status: str, **values: Any) -> None:
    session.execute(
        update(ImportJob)
        .where(ImportJob.id == job_id)
        .values(status=status, finished_at=utcnow(), lease_owner=None, **values)
    )


def _summary(
    session: Session, checker: Checker, cache: FrameworkCache, job_id: str
) -> dict[str, Any]:
    """Count what the job stored per assessment, with the scores the assessment now has."""
    counts = session.execute(
        select(
            Answer.assessment_id,
            func.count(),
            func.count(func.distinct(Answer.respondent_id)),
        )
        .where(Answer.import_job_id == job_id)
        .group_by(Answer.assessment_id)
    ).all()
    assessments: dict[str, Any] = {}
    for assessment_id, answers, respondents in counts:
        target = checker.target(assessment_id)
        assessment = session.get(Assessment, assessment_id)
        entry: dict[str, Any] = {"answers": int(answers), "respondents": int(respondents)}
        if target is not None and assessment is not None:
            document, _ = results.compute(
                session=session, assessment=assessment, framework=target.framework, cache=cache
            )
            entry["overall"] = document["overall"]["score"]
            entry["areas"] = {a["area"]: a["score"] for a in document["areas"]}
        assessments[assessment_id] = entry
    return {"assessments": assessments}


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


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
