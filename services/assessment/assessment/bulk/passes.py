"""The passes of an import job over its rows: count, validate, store (``bulk.importer``).

Batches are committed in order, each with its cursor, so what is committed is always a prefix
of the files. The server stores a batch while the next is read in the same thread: its COPY is
left open meanwhile (``_Commit``). (A writer thread committing a batch while the next was read
was measured no faster: the two threads took turns on the interpreter lock;
bench/bulk_import_bench.py.) What a job stored, for its summary: ``bulk.tally``.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, update
from sqlalchemy.orm import Session

from assessment.bulk import jobs
from assessment.bulk.checks import Checker, ValidAnswer
from assessment.bulk.lifecycle import Interrupted, LeaseLost, end_job, renew
from assessment.bulk.reading import (
    FileProblem,
    RowProblem,
    Where,
    count_rows,
    open_answers,
)
from assessment.bulk.storing import Prepared, Store
from assessment.bulk.tally import Tally, summarise
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import HistoryEntry, ImportJob, ImportProblem
from shared.db import Database
from shared.errors import ApiError
from shared.i18n import SUPPORTED
from shared.timestamps import utcnow

if TYPE_CHECKING:
    from assessment.bulk.importer import Settings


@dataclass(slots=True)
class Batch:
    """Items read together: where they end in which file (the cursor) and how many are rows."""

    position: int  # the file
    end: int  # items of that file read up to and including this batch
    items: list[Any]  # RawAnswer | RowProblem
    rows: int  # items that are rows (a file refused as a whole is not one)


class _Changed(RuntimeError):
    """The storing pass met problems the validation pass had not (the assessment changed)."""


class ImportRun:
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
        self.store = Store(job_id=job.id, dialect_name=db.engine.dialect.name)
        # A run that starts the job sees every answer it stores; a resumed one counts in SQL.
        self.tally = Tally(complete=not job.rows_done and not job.cursor)
        self.language_open = job.language_source == "default"

    # -- reading ----------------------------------------------------------------------------
    def _framework(self, key: str, version: str) -> Framework | None:
        with self.db.session() as session:
            try:
                return self.cache.get(session=session, key=key, version=version)
            except ApiError:
                return None

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

    def _adopt_language(self, language: str) -> None:
        # Nothing asked for a language: the problems speak the first workbook's.
        if language not in SUPPORTED:
            return
        self.language_open = False
        with self.db.transaction(write=True) as connection:
            connection.execute(
                update(ImportJob)
                .where(ImportJob.id == self.job_id, ImportJob.language_source == "default")
                .values(language=language, language_source="workbook")
            )

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
            renew(connection, self.job_id, self.owner, self.settings.lease_s)
            connection.execute(
                update(ImportJob).where(ImportJob.id == self.job_id).values(rows_total=total)
            )

    def batches(self, start_file: int, skip: int) -> Iterator[Batch]:
        """Yield the items of the files from a point on, ``batch_size`` at a time.

        ``skip`` items of the first file were committed by an earlier run.
        """
        for position, (file, path) in enumerate(self.files):
            if position >= start_file:
                first = skip if position == start_file else 0
                yield from self._file_batches(position, file.name, path, first)

    def _file_batches(self, position: int, name: str, path: Path, first: int) -> Iterator[Batch]:
        # A file refused as a whole counts as one item after those it gave, so a resumed run
        # does not report it again.
        size = self.settings.batch_size
        consumed = 0
        chunk: list[Any] = []
        try:
            facts, found = open_answers(
                path,
                name=name,
                framework_lookup=self._framework,
                secret=self.settings.secret,
                limits=self.settings.limits,
            )
            self._check_facts(facts, name)
            if self.language_open and facts.language:
                self._adopt_language(facts.language)
            consumed = sum(1 for _ in itertools.islice(found, first))
            for item in found:
                chunk.append(item)
                if len(chunk) >= size:
                    consumed += len(chunk)
                    yield Batch(position, consumed, chunk, len(chunk))
                    chunk = []
                    if self.should_stop():
                        raise Interrupted(self.job_id)
        except FileProblem as refused:
            if self.language_open and refused.language:
                self._adopt_language(refused.language)
            if chunk:
                consumed += len(chunk)
                yield Batch(position, consumed, chunk, len(chunk))
            if consumed >= first:  # not reported by an earlier run
                where = Where(file=name, sheet="", row=0, column="")
                yield Batch(
                    position, consumed + 1, [RowProblem(where, refused.code, refused.params)], 0
                )
            return
        if chunk:
            yield Batch(position, consumed + len(chunk), chunk, len(chunk))

    def judge(self, batch: Batch) -> tuple[list[ValidAnswer], list[RowProblem]]:
        """Split a batch into answers to store and problems."""
        return self.checker.split(batch.items)

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

    def _progress(self, connection: Connection, batch: Batch, stored: int, phase: str) -> None:
        self.rows_done += batch.rows
        self.cursor = {"phase": phase, "file": batch.position, "item": batch.end}
        values: dict[str, Any] = {
            "rows_done": self.rows_done,
            "errors_count": self.problems_seen,
            "cursor": self.cursor,
        }
        if stored:
            values["answers_stored"] = ImportJob.answers_stored + stored
        # Guarded by the lease, in the batch's transaction: if another runner took the job
        # meanwhile, the batch is rolled back with it (and the lease renewed in the same write).
        done = connection.execute(
            update(ImportJob)
            .where(ImportJob.id == self.job_id, ImportJob.lease_owner == self.owner)
            .values(lease_expires_at=utcnow() + timedelta(seconds=self.settings.lease_s), **values)
        )
        if done.rowcount != 1:
            raise LeaseLost(self.job_id)

    def _start(self) -> tuple[int, int]:
        return int(self.cursor.get("file", 0)), int(self.cursor.get("item", 0))

    def accept_valid(self) -> str:
        """Store each batch's valid rows with its progress; finish.

        On PostgreSQL a batch's COPY is left open while the next batch is read and judged (the
        server stores it meanwhile), then finished and committed with its progress: batches
        are still committed one by one, in order, each with its cursor.
        """
        start_file, skip = self._start()
        pending: _Commit | None = None
        try:
            for batch in self.batches(start_file, skip):
                valid, problems = self.judge(batch)
                prepared = self.store.prepare(valid)
                if pending is not None:
                    done, pending = pending, None
                    done.close()
                pending = _Commit(self, batch, valid, prepared, problems)
                if not pending.in_flight:
                    done, pending = pending, None
                    done.close()
        except BaseException:
            if pending is not None:  # read before what failed: committed, as without overlap
                pending.close()
            raise
        if pending is not None:
            pending.close()
        status = jobs.WITH_ERRORS if self.problems_seen else jobs.SUCCEEDED
        return self.finish(status)

    def all_or_nothing(self) -> str:
        """Validate everything first; store everything in one transaction if nothing is wrong."""
        start_file, skip = self._start()
        if self.cursor.get("phase", "validate") == "validate":
            for batch in self.batches(start_file, skip):
                _, problems = self.judge(batch)
                with self.db.transaction(write=True) as connection:
                    renew(connection, self.job_id, self.owner, self.settings.lease_s)
                    self._record_problems(connection, problems)
                    self._progress(connection, batch, 0, "validate")
        if self.problems_seen:
            return self.finish(jobs.REJECTED)
        late: list[RowProblem] = []
        try:
            with self.db.session(write=True) as session, session.begin():
                # Holding the job row from here to the commit: no other runner can claim it.
                renew(session, self.job_id, self.owner, self.settings.lease_s)
                connection = session.connection()
                stored = 0
                for batch in self.batches(0, 0):
                    valid, problems = self.judge(batch)
                    late.extend(problems[: self.settings.max_problems - len(late)])
                    if not late:
                        stored += self.store.store(connection, self.store.prepare(valid))
                        self.tally.add(valid)
                if late:  # the assessment changed since validation (e.g. a respondent left)
                    raise _Changed(self.job_id)
                session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == self.job_id)
                    .values(answers_stored=stored)
                )
                return self._finish_in(session, jobs.SUCCEEDED)
        except _Changed:
            self.tally = Tally(complete=False)  # rolled back: nothing of it is stored
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
            renew(session, self.job_id, self.owner, self.settings.lease_s)
            return self._finish_in(session, status)

    def _finish_in(self, session: Session, status: str) -> str:
        job = session.get(ImportJob, self.job_id, populate_existing=True)
        assert job is not None
        summary = summarise(session, self.checker, self.cache, job.id, self.tally)
        for assessment_id, facts in summary["assessments"].items():
            session.add(
                HistoryEntry(
                    assessment_id=assessment_id,
                    action="answers_imported",
                    actor=job.created_by,
                    detail={"import_id": job.id, "status": status, **facts},
                )
            )
        session.flush()
        end_job(session, job.id, status, summary=summary)
        return status


class _Commit:
    """One batch's transaction in accept-valid mode: its answers sent on opening; its problems,
    progress and cursor written and the whole committed on ``close``."""

    def __init__(
        self,
        run: ImportRun,
        batch: Batch,
        valid: list[ValidAnswer],
        prepared: Prepared,
        problems: list[RowProblem],
    ) -> None:
        self.run, self.batch, self.valid, self.problems = run, batch, valid, problems
        with contextlib.ExitStack() as stack:
            self.connection = stack.enter_context(run.db.transaction(write=True))
            if self.connection.dialect.name == "postgresql":
                # Each batch carries its own cursor, so a batch lost by a database crash before
                # its WAL reached the disk is lost with its cursor and done again on resume:
                # nothing to wait for at each commit.
                self.connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            self.sending = stack.enter_context(run.store.send(self.connection, prepared))
            self._stack = stack.pop_all()

    @property
    def in_flight(self) -> bool:
        """Whether the batch's answers may still be on their way to the server."""
        return self.sending.in_flight

    def close(self) -> None:
        """Wait for the answers, write the problems and the progress, commit."""
        run = self.run
        with self._stack:
            stored = self.sending.finish()
            run._record_problems(self.connection, self.problems)
            run._progress(self.connection, self.batch, stored, "store")
        run.tally.add(self.valid)


def _plain(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
