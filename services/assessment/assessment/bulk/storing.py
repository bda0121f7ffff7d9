"""Storing validated bulk answers: one upsert per respondent and indicator, a batch at a time.

PostgreSQL: a batch of answers that are all new (a campaign's first import) is copied straight
into ``answers`` (``COPY``, under a savepoint); once a batch meets answers already there (a
corrected file), batches are copied into a temporary stage and upserted by one
``INSERT ... SELECT ... ON CONFLICT`` statement. Either way the rows travel in one stream and
the server runs one statement per batch, not one per answer (bench/bulk_import_bench.py:
executemany stored about 20,000 answers/s). SQLite: an executemany of the upsert.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg import errors as psycopg_errors
from sqlalchemy import Connection
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from assessment.bulk.checks import ValidAnswer
from assessment.models import Answer
from shared.timestamps import utcnow

KEY = ("assessment_id", "indicator", "respondent_id")
SET = ("value", "confidence", "comment", "evidence", "updated_at", "import_job_id")
COLUMNS = (*KEY, *SET)
# Written out (no SQL assembled at run time): the stage, and the merge into ``answers``.
_CREATE_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS import_answers_stage ("
    "assessment_id varchar(36), indicator varchar(64), respondent_id varchar(64), "
    "value varchar(16), confidence varchar(8), comment text, evidence text, "
    "updated_at timestamptz, import_job_id varchar(36)) ON COMMIT DELETE ROWS"
)
_COPY = (
    "COPY import_answers_stage (assessment_id, indicator, respondent_id, value, confidence, "
    "comment, evidence, updated_at, import_job_id) FROM STDIN"
)
_MERGE = (
    "INSERT INTO answers (assessment_id, indicator, respondent_id, value, confidence, comment, "
    "evidence, updated_at, import_job_id) "
    "SELECT assessment_id, indicator, respondent_id, value, confidence, comment, evidence, "
    "updated_at, import_job_id FROM import_answers_stage "
    "ON CONFLICT (assessment_id, indicator, respondent_id) DO UPDATE SET "
    "value = EXCLUDED.value, confidence = EXCLUDED.confidence, comment = EXCLUDED.comment, "
    "evidence = EXCLUDED.evidence, updated_at = EXCLUDED.updated_at, "
    "import_job_id = EXCLUDED.import_job_id"
)
_EMPTY_STAGE = "DELETE FROM import_answers_stage"
_COPY_ANSWERS = (
    "COPY answers (assessment_id, indicator, respondent_id, value, confidence, comment, "
    "evidence, updated_at, import_job_id) FROM STDIN"
)


@functools.cache
def _sqlite_upsert() -> Any:
    """Return SQLite's answer upsert (a later upload replaces what an earlier one set)."""
    statement = sqlite.insert(Answer)
    return statement.on_conflict_do_update(
        index_elements=list(KEY), set_={name: statement.excluded[name] for name in SET}
    )


@dataclass(frozen=True)
class Prepared:
    """A batch ready to send: its rows as COPY text (PostgreSQL) or parameters (SQLite)."""

    count: int  # answers in the batch (a repeated one included)
    copy_text: bytes
    parameters: list[dict[str, Any]]


class Store:
    """Stores the batches of one import job (and learns whether its answers are new).

    A first import of a campaign only adds answers: on PostgreSQL each batch is then copied
    straight into ``answers`` under a savepoint (the plain insert's speed). When a batch meets
    an answer already there (a corrected file re-uploaded), the savepoint is rolled back, that
    batch and the rest of the job go through the stage and the upsert.

    ``prepare`` (the reading thread) writes a batch as COPY text once, so the thread that
    stores it only streams bytes: no Python work per row competes with the reading for the
    interpreter there.
    """

    def __init__(self, *, job_id: str, dialect_name: str) -> None:
        self.job_id = job_id
        self.postgresql = dialect_name == "postgresql"
        self.fresh = True

    def prepare(self, answers: Sequence[ValidAnswer]) -> Prepared:
        """Return a batch as it is sent (the last answer of a respondent to an indicator wins)."""
        if self.postgresql:
            return Prepared(len(answers), _copy_text(answers, self.job_id), [])
        rows = _rows(answers, self.job_id)
        return Prepared(len(answers), b"", [dict(zip(COLUMNS, r, strict=True)) for r in rows])

    def store(self, connection: Connection, batch: Prepared) -> int:
        """Store a prepared batch within the caller's transaction; return how many it held."""
        if not batch.count:
            return 0
        if not self.postgresql:
            connection.execute(_sqlite_upsert(), batch.parameters)
            return batch.count
        if self.fresh:
            try:
                with connection.begin_nested():
                    _copy(connection, _COPY_ANSWERS, batch.copy_text)
                return batch.count
            except IntegrityError:
                self.fresh = False
        _copy_and_merge(connection, batch.copy_text)
        return batch.count

    def send(self, connection: Connection, batch: Prepared) -> Sending:
        """Start storing a batch within the caller's transaction; ``Sending.finish`` ends it.

        While the answers are new (PostgreSQL), the batch's rows are written to a ``COPY``
        left open, so the server takes them in while the caller reads the next batch;
        otherwise the batch is stored before this returns.
        """
        if not (self.postgresql and self.fresh and batch.count):
            return Sending(self, connection, batch, stored=self.store(connection, batch))
        sending = Sending(self, connection, batch, stored=None)
        try:
            sending.start()
        except BaseException:
            sending.__exit__(*sys.exc_info())
            raise
        return sending


class Sending:
    """A batch on its way: its ``COPY`` written, the server's answer not yet awaited.

    As a context manager, an error leaving it before ``finish`` cancels the ``COPY`` (the
    caller's transaction is then rolled back).
    """

    def __init__(
        self, store: Store, connection: Connection, batch: Prepared, *, stored: int | None
    ) -> None:
        self.store, self.connection, self.batch = store, connection, batch
        self.stored = stored
        self._savepoint: Any = None
        self._cursor: Any = None
        self._copy: Any = None  # the psycopg copy context, entered

    @property
    def in_flight(self) -> bool:
        """Whether the server may still be taking the batch in."""
        return self._copy is not None

    def start(self) -> None:
        """Open the savepoint and the ``COPY``, and write the batch's rows."""
        self._savepoint = self.connection.begin_nested()
        self._cursor = self.connection.connection.cursor()
        manager = self._cursor.copy(_COPY_ANSWERS)
        copy = manager.__enter__()
        self._copy = manager
        copy.write(self.batch.copy_text)

    def finish(self) -> int:
        """Wait for the server to have stored the batch; return how many answers it held."""
        if self.stored is not None:
            return self.stored
        manager, self._copy = self._copy, None
        try:
            try:
                manager.__exit__(None, None, None)
            finally:
                self._cursor.close()
                self._cursor = None
        except psycopg_errors.IntegrityError:
            # An answer already there (a corrected file): this batch and the rest of the job
            # go through the stage and the upsert.
            self._savepoint.rollback()
            self.store.fresh = False
            _copy_and_merge(self.connection, self.batch.copy_text)
        else:
            self._savepoint.commit()
        self.stored = self.batch.count
        return self.stored

    def __enter__(self) -> Sending:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        manager, self._copy = self._copy, None
        try:
            if manager is not None:
                manager.__exit__(kind, error, trace)
        finally:
            if self._cursor is not None:
                self._cursor.close()
                self._cursor = None


def _rows(answers: Sequence[ValidAnswer], job_id: str) -> list[tuple[Any, ...]]:
    # Within a batch the last answer of a respondent to an indicator wins, as it would across
    # batches (and one statement may not touch the same row twice on PostgreSQL).
    now = utcnow()
    rows: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for a in answers:
        rows[(a.assessment_id, a.indicator, a.respondent_id)] = (
            a.assessment_id,
            a.indicator,
            a.respondent_id,
            a.value,
            a.confidence,
            a.comment,
            a.evidence,
            now,
            job_id,
        )
    return list(rows.values())


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_SPECIAL = re.compile(r"[\\\t\n\r]")


def _field(value: Any) -> str:
    """Return a value in COPY's text format (NULL as \\N, the four special characters escaped)."""
    if value is None:
        return "\\N"
    text = value if isinstance(value, str) else str(value)
    return text.translate(_ESCAPES) if _SPECIAL.search(text) else text


def _copy_text(answers: Sequence[ValidAnswer], job_id: str) -> bytes:
    """Return answers as the text COPY reads: tab-separated fields, one line each."""
    tail = f"{utcnow().isoformat()}\t{_field(job_id)}"  # one time for the whole batch
    lines: dict[tuple[str, str, str], str] = {}
    people: dict[str, str] = {}  # each respondent id as written, escaped once per batch
    for a in answers:
        # Ids, keys, levels and confidences are checked values; free text may need escapes.
        respondent = a.respondent_id
        written = people.get(respondent)
        if written is None:
            written = people[respondent] = _field(respondent)
        lines[(a.assessment_id, a.indicator, respondent)] = "\t".join(
            (
                a.assessment_id,
                a.indicator,
                written,
                a.value,
                a.confidence or "\\N",
                _field(a.comment) if a.comment else "",
                _field(a.evidence) if a.evidence else "",
                tail,
            )
        )
    if not lines:
        return b""
    return ("\n".join(lines.values()) + "\n").encode("utf-8")


def _copy(connection: Connection, statement: str, payload: bytes) -> None:
    cursor: Any = connection.connection.cursor()
    try:
        with cursor.copy(statement) as copy:
            copy.write(payload)
    except psycopg_errors.IntegrityError as conflict:
        raise IntegrityError(statement, None, conflict) from conflict
    finally:
        cursor.close()


def _copy_and_merge(connection: Connection, payload: bytes) -> None:
    cursor: Any = connection.connection.cursor()
    try:
        cursor.execute(_CREATE_STAGE)
    finally:
        cursor.close()
    _copy(connection, _COPY, payload)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(_MERGE)
        # All-or-nothing stores every batch in one transaction: empty the stage for the next.
        cursor.execute(_EMPTY_STAGE)
    finally:
        cursor.close()
