"""Saving one answer (autosave): the service's hottest write, in one guarded statement.

Every rule of ``access.answering`` (the caller's administration, an open assessment, a
participant or a manager, an assigned area) is a condition of a single
``INSERT ... SELECT ... ON CONFLICT DO UPDATE ... RETURNING``: the answer is written only where
the rules hold, in one round trip, with no transaction to open and commit around it on
PostgreSQL. Only a refused save runs ``access.answering`` to say why (404, 409 or 403), so a
refusal is explained exactly as before.

What never changes about an assessment (its administration and pinned framework version) is
remembered per process in ``AssessmentFacts``; what may change (status, participants, assigned
areas) is read by the statement itself. On PostgreSQL the statement takes a share lock on the
assessment's row, so a submission (which locks it for update) and a save never interleave: a
save that waited sees the assessment submitted and writes nothing.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    String,
    Text,
    and_,
    bindparam,
    exists,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect

from assessment.access import answering, is_manager
from assessment.answers import check_indicator, stored_value
from assessment.frameworks import FrameworkCache
from assessment.models import Answer, Assessment, Participant
from shared.auth import Principal
from shared.db import DriverStatement
from shared.errors import ApiError, NotFound
from shared.timestamps import UtcDateTime, utcnow

KEY = ("assessment_id", "indicator", "respondent_id")
UPDATED = ("value", "confidence", "comment", "evidence", "updated_at")


@dataclass(frozen=True, slots=True)
class Facts:
    """What never changes about an assessment once started."""

    administration_id: str
    framework_key: str
    framework_version: str


class AssessmentFacts:
    """Each process's memory of assessments' immutable facts (bounded, least recent out)."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._items: OrderedDict[str, Facts] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, connection: Connection, assessment_id: str) -> Facts | None:
        """Return the assessment's facts (None: no such assessment), read once per process."""
        found = self._items.get(assessment_id)
        if found is not None:
            return found
        row = connection.execute(
            select(
                Assessment.administration_id, Assessment.framework_key, Assessment.framework_version
            ).where(Assessment.id == assessment_id)
        ).first()
        if row is None:
            return None  # not remembered: it may be created later
        facts = Facts(*row)
        with self._lock:
            self._items[assessment_id] = facts
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return facts


def _area_assigned(dialect_name: str) -> ColumnElement[bool]:
    """Return "the participant was given no areas (so all), or :area among them", per dialect.

    (No areas: SQL NULL, JSON null or an empty list; each form is safe to evaluate on all.)
    """
    if dialect_name == "postgresql":
        return or_(
            text(
                "COALESCE(jsonb_array_length(CASE WHEN jsonb_typeof(participants.areas::jsonb)"
                " = 'array' THEN participants.areas::jsonb END), 0) = 0"
            ),
            text("participants.areas::jsonb ? :area"),
        )
    return or_(
        text("COALESCE(json_array_length(participants.areas), 0) = 0"),
        text("EXISTS (SELECT 1 FROM json_each(participants.areas) WHERE json_each.value = :area)"),
    )


@functools.cache
def _guarded_upsert(dialect: Dialect) -> DriverStatement:
    """Return the dialect's guarded answer upsert, built and compiled once per dialect.

    (Building and executing it through SQLAlchemy each time cost more CPU than PostgreSQL
    spends on the statement itself.)
    """
    dialect_name = dialect.name
    assessments, participants = Assessment.__table__, Participant.__table__
    takes_part = exists(
        select(participants.c.id).where(
            participants.c.assessment_id == assessments.c.id,
            participants.c.user_id == bindparam("respondent_id", type_=String),
            _area_assigned(dialect_name),
        )
    )
    source = select(
        assessments.c.id,
        bindparam("indicator", type_=String),
        bindparam("respondent_id", type_=String),
        bindparam("value", type_=String),
        bindparam("confidence", type_=String),
        bindparam("comment", type_=Text),
        bindparam("evidence", type_=Text),
        bindparam("updated_at", type_=UtcDateTime()),
    ).where(
        and_(
            assessments.c.id == bindparam("assessment_id", type_=String),
            assessments.c.administration_id == bindparam("administration_id", type_=String),
            assessments.c.status != "submitted",
            or_(bindparam("manager", type_=Boolean), takes_part),
        )
    )
    if dialect_name == "postgresql":
        source = source.with_for_update(read=True, of=assessments)
    module = postgresql if dialect_name == "postgresql" else sqlite
    table = Answer.__table__
    statement = module.insert(table).from_select([*KEY, *UPDATED], source)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY),
        # A typed answer is no longer the one an upload set.
        set_={**{name: statement.excluded[name] for name in UPDATED}, "import_job_id": None},
    )
    # Only whether a row was written: the answer saved is what was sent (a wider RETURNING
    # costs result metadata for every column on each save).
    return DriverStatement(statement.returning(table.c.id), dialect)


def save_answer(
    *,
    connection: Connection,
    principal: Principal,
    cache: FrameworkCache,
    facts: AssessmentFacts,
    assessment_id: str,
    indicator: str,
    value: int | str,
    confidence: str | None = None,
    comment: str = "",
    evidence: str = "",
) -> dict[str, Any]:
    """Save the caller's answer to one indicator at once (autosave; last write wins).

    ``connection``: ``Database.statement`` (autocommit on PostgreSQL, a write transaction on
    SQLite). Returns the answer as saved; refusals are the problems ``access.answering`` gives.
    """
    known = facts.get(connection, assessment_id)
    if known is None or known.administration_id != principal.administration_id:
        raise NotFound()
    framework = cache.get(
        session=connection, key=known.framework_key, version=known.framework_version
    )
    area = check_indicator(framework, indicator)
    parameters = {
        "assessment_id": assessment_id,
        "administration_id": known.administration_id,
        "manager": is_manager(principal),
        "area": area,
        "indicator": indicator,
        "respondent_id": principal.subject,
        "value": stored_value(value),
        "confidence": confidence,
        "comment": comment,
        "evidence": evidence,
        "updated_at": utcnow(),
    }
    saved = _guarded_upsert(connection.dialect).first(connection, parameters)
    if saved is None:
        _refuse(connection, principal, cache, assessment_id, indicator, area)
    return {name: parameters[name] for name in (*KEY, *UPDATED)}


def _refuse(
    connection: Connection,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    indicator: str,
    area: str,
) -> None:
    """Raise why the guarded upsert wrote nothing (the same rules, read one by one)."""
    may = answering(
        connection=connection, principal=principal, assessment_id=assessment_id, cache=cache
    )
    if area not in may.areas:
        raise ApiError(403, "area_not_assigned", errors={"indicator": [indicator]})
    raise ApiError(409, "assessment_changed", "the assessment changed meanwhile: save again")
