"""Use cases of answering: bulk answers filled offline, withdrawing, disagreements, agreed answers
(saving one answer at once is ``autosave``)."""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from assessment import scoring
from assessment.access import Access, access, record, require_open
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import AgreedAnswer, Answer, Participant
from shared.auth import Principal
from shared.errors import ApiError
from shared.timestamps import utcnow


def stored_value(value: int | str) -> str:
    """Return the stored form of an answer value."""
    return str(value)


def answer_value(stored: str) -> int | str:
    """Return the answer value of its stored form."""
    return int(stored) if stored.isdigit() else stored


def check_indicator(framework: Framework, indicator: str, path: str = "indicator") -> str:
    """Return the indicator's area, or refuse an indicator the framework does not have."""
    found = framework.indicator(indicator)
    if found is None:
        raise ApiError(
            422, "unknown_indicator", errors={path: [f"unknown indicator {indicator!r}"]}
        )
    return found.area


_UPSERT_KEY = ("assessment_id", "indicator", "respondent_id")
_UPSERT_SET = ("value", "confidence", "comment", "evidence", "updated_at", "import_job_id")


@functools.cache
def _upsert_statement(dialect_name: str) -> Any:
    """Return the answer upsert of a dialect, built once (building costs more than running)."""
    table = Answer.__table__
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table).values(
        {name: bindparam(name) for name in (*_UPSERT_KEY, *_UPSERT_SET)}
    )
    statement = statement.on_conflict_do_update(
        index_elements=list(_UPSERT_KEY),
        set_={name: statement.excluded[name] for name in _UPSERT_SET},
    )
    return statement.returning(*table.columns)


def _upsert(connection: Connection, **values: Any) -> dict[str, Any]:
    """Insert or overwrite one respondent's answer in a single statement; return it as saved.

    One INSERT ... ON CONFLICT DO UPDATE ... RETURNING instead of a SELECT then an INSERT or
    UPDATE: half the round trips on the autosave path, and two first saves of the same answer
    racing each other no longer fail on the unique constraint. A Core statement, as the ORM's
    bulk-insert machinery would cost more than the database does.
    """
    statement = _upsert_statement(connection.dialect.name)
    saved = connection.execute(
        statement, {"import_job_id": None, **values, "updated_at": utcnow()}
    ).one()
    return dict(saved._mapping)


def clear_answer(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    indicator: str,
) -> None:
    """Withdraw the caller's answer to one indicator."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        require_open(seen.assessment)
        check_indicator(seen.framework, indicator)
        row = session.scalar(
            select(Answer).where(
                Answer.assessment_id == assessment_id,
                Answer.indicator == indicator,
                Answer.respondent_id == principal.subject,
            )
        )
        if row is not None:
            session.delete(row)


def list_answers(
    *, session: Session, seen: Access, principal: Principal, mine: bool
) -> list[Answer]:
    """Return the caller's answers, or everyone's for a coordinator who asks."""
    query = select(Answer).where(Answer.assessment_id == seen.assessment.id)
    if mine or not seen.is_coordinator:
        query = query.where(Answer.respondent_id == principal.subject)
    return list(session.scalars(query.order_by(Answer.indicator, Answer.respondent_id)))


def import_answers(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    respondents: list[dict[str, Any]],
) -> int:
    """Save many respondents' answers at once (filled offline): all valid, or nothing stored."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        if not seen.is_coordinator:
            raise ApiError(403, "forbidden")
        require_open(seen.assessment)
        errors: dict[str, list[str]] = {}
        for r, respondent in enumerate(respondents):
            for a, item in enumerate(respondent["answers"]):
                if seen.framework.indicator(item["indicator"]) is None:
                    errors[f"respondents.{r}.answers.{a}.indicator"] = [
                        f"unknown indicator {item['indicator']!r}"
                    ]
        if errors:
            raise ApiError(422, "unknown_indicator", errors=errors)
        saved = 0
        for respondent in respondents:
            _ensure_participant(session, seen, principal, respondent)
            for item in respondent["answers"]:
                _upsert(
                    session.connection(),
                    assessment_id=assessment_id,
                    indicator=item["indicator"],
                    respondent_id=respondent["user_id"],
                    value=stored_value(item["value"]),
                    confidence=item.get("confidence"),
                    comment=item.get("comment", ""),
                    evidence=item.get("evidence", ""),
                )
                saved += 1
        record(
            session,
            seen.assessment,
            "imported",
            principal.subject,
            respondents=len(respondents),
            answers=saved,
        )
    return saved


def _ensure_participant(
    session: Session, seen: Access, principal: Principal, respondent: dict[str, Any]
) -> None:
    exists = session.scalar(
        select(Participant.id).where(
            Participant.assessment_id == seen.assessment.id,
            Participant.user_id == respondent["user_id"],
        )
    )
    if exists is None:
        session.add(
            Participant(
                assessment_id=seen.assessment.id,
                user_id=respondent["user_id"],
                name=respondent.get("name", ""),
                role="respondent",
                areas=[],
                invited_by=principal.subject,
            )
        )


def record_agreed(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    indicator: str,
    value: int | str,
    confidence: str | None = None,
    comment: str = "",
) -> AgreedAnswer:
    """Record the answer the team agreed on for an indicator (coordinators)."""
    with session.begin():
        seen = access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        if not seen.is_coordinator:
            raise ApiError(403, "forbidden")
        require_open(seen.assessment)
        check_indicator(seen.framework, indicator)
        row = session.scalar(
            select(AgreedAnswer).where(
                AgreedAnswer.assessment_id == assessment_id, AgreedAnswer.indicator == indicator
            )
        )
        if row is None:
            row = AgreedAnswer(assessment_id=assessment_id, indicator=indicator)
            session.add(row)
        row.value, row.confidence, row.comment = stored_value(value), confidence, comment
        row.recorded_by = principal.subject
    return row


def team_answers(
    session: Session, assessment_id: str
) -> tuple[dict[str, list[Answer]], dict[str, AgreedAnswer]]:
    """Return every respondent's answers and the agreed answers, by indicator."""
    by_indicator: dict[str, list[Answer]] = defaultdict(list)
    # In respondent order: the same team always reads the same way, whatever order the
    # database stored the rows in (a bulk import copies them in file order).
    query = (
        select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.respondent_id)
    )
    for row in session.scalars(query):
        by_indicator[row.indicator].append(row)
    agreed = {
        row.indicator: row
        for row in session.scalars(
            select(AgreedAnswer).where(AgreedAnswer.assessment_id == assessment_id)
        )
    }
    return by_indicator, agreed


def team_responses(
    session: Session, assessment_id: str
) -> tuple[dict[str, list[scoring.Answer]], dict[str, AgreedAnswer]]:
    """Return the respondents' answers by indicator for scoring, and the agreed answers.

    Counted by the database (indicator, value, confidence): equal answers share one object,
    so a campaign of thousands of respondents is scored without loading a row per answer.
    """
    counts = session.execute(
        select(Answer.indicator, Answer.value, Answer.confidence, func.count())
        .where(Answer.assessment_id == assessment_id)
        .group_by(Answer.indicator, Answer.value, Answer.confidence)
    )
    by_indicator: dict[str, list[scoring.Answer]] = defaultdict(list)
    for indicator, value, confidence, count in counts:
        by_indicator[indicator].extend([scoring.Answer(answer_value(value), confidence)] * count)
    agreed = {
        row.indicator: row
        for row in session.scalars(
            select(AgreedAnswer).where(AgreedAnswer.assessment_id == assessment_id)
        )
    }
    return by_indicator, agreed


def as_scoring_answer(row: Answer | AgreedAnswer) -> scoring.Answer:
    """Return the scoring view of a stored answer."""
    return scoring.Answer(answer_value(row.value), row.confidence)


def consensus(session: Session, seen: Access) -> dict[str, scoring.Consensus]:
    """Return the team's combined answer and spread for every answered indicator."""
    by_indicator, agreed = team_answers(session, seen.assessment.id)
    keys = [i.key for i in seen.framework.indicators if i.key in by_indicator or i.key in agreed]
    return {
        key: scoring.consolidate(
            key,
            [as_scoring_answer(r) for r in by_indicator.get(key, [])],
            as_scoring_answer(agreed[key]) if key in agreed else None,
        )
        for key in keys
    }
