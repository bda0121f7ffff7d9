"""Storing validated bulk answers: one upsert per respondent and indicator, a batch at a time.

PostgreSQL: the batch is copied (``COPY``) into a temporary table, then upserted into
``answers`` by one ``INSERT ... SELECT ... ON CONFLICT`` statement: the rows travel in one
stream and the server runs one statement, instead of one statement per answer (measured in
bench/bulk_import_bench.py: executemany stored about 20,000 answers/s, COPY-based storing is
near the plain COPY rate). SQLite: an executemany of the upsert in the caller's transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import sqlite

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


@functools.cache
def _sqlite_upsert() -> Any:
    """Return SQLite's answer upsert (a later upload replaces what an earlier one set)."""
    statement = sqlite.insert(Answer)
    return statement.on_conflict_do_update(
        index_elements=list(KEY), set_={name: statement.excluded[name] for name in SET}
    )


def store_answers(connection: Connection, answers: Sequence[ValidAnswer], *, job_id: str) -> int:
    """Upsert a batch of answers within the caller's transaction; return how many were stored.

    Within a batch the last answer of a respondent to an indicator wins, as it would across
    batches (and one statement may not touch the same row twice on PostgreSQL).
    """
    if not answers:
        return 0
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
    if connection.dialect.name == "postgresql":
        _copy_and_merge(connection, list(rows.values()))
    else:
        connection.execute(
            _sqlite_upsert(), [dict(zip(COLUMNS, r, strict=True)) for r in rows.values()]
        )
    return len(answers)


def _copy_and_merge(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    cursor: Any = connection.connection.cursor()
    try:
        cursor.execute(_CREATE_STAGE)
        with cursor.copy(_COPY) as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(_MERGE)
        # All-or-nothing stores every batch in one transaction: empty the stage for the next.
        cursor.execute(_EMPTY_STAGE)
    finally:
        cursor.close()
