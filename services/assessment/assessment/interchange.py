"""The JSON interchange file of an assessment: export, and import into a new assessment.

Format ``smartcustoms.assessment`` version 1 (documented in docs/assessment-interchange.md):
the framework reference, the assessment's settings, every respondent's answers, the agreed
answers and the results at export time. The administration is never in the file; an import
always lands in the importer's own administration, and results are recomputed, not trusted.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, ValidationError, fields, validate
from sqlalchemy.orm import Session

from assessment import access, results
from assessment import answers as answering
from assessment.actions.exchange import exported_plan
from assessment.frameworks import FrameworkCache
from assessment.models import AgreedAnswer, Answer, Assessment, Participant
from assessment.schemas import CONFIDENCES, AnswerValue
from shared.auth import Principal
from shared.errors import ApiError
from shared.text import MULTILINE, InputSchema
from shared.timestamps import to_rfc3339, utcnow

FORMAT = "smartcustoms.assessment"
FORMAT_VERSION = 1


class _Strict(InputSchema):
    class Meta:
        unknown = RAISE


class _FrameworkRef(_Strict):
    key = fields.String(required=True)
    version = fields.String(required=True)


class _Settings(_Strict):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    language = fields.String(required=True, validate=validate.OneOf(["en", "fr"]))
    targets = fields.Dict(
        keys=fields.String(), values=fields.Float(validate=validate.Range(1, 5)), load_default=dict
    )
    status = fields.String(load_default="in_progress")
    version = fields.Integer(load_default=0)
    created_at = fields.String(load_default=None, allow_none=True)
    submitted_at = fields.String(load_default=None, allow_none=True)


class _Respondent(_Strict):
    user_id = fields.String(required=True)
    name = fields.String(load_default="")
    role = fields.String(load_default="respondent")
    areas = fields.List(fields.String(), load_default=list)


class _Answer(_Strict):
    respondent = fields.String(required=True)
    indicator = fields.String(required=True)
    value = AnswerValue(required=True)
    confidence = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(CONFIDENCES)
    )
    comment = fields.String(load_default="", metadata={MULTILINE: True})
    evidence = fields.String(load_default="", metadata={MULTILINE: True})


class _Agreed(_Strict):
    indicator = fields.String(required=True)
    value = AnswerValue(required=True)
    confidence = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(CONFIDENCES)
    )
    comment = fields.String(load_default="", metadata={MULTILINE: True})


class InterchangeSchema(_Strict):
    """The interchange document (validated on import)."""

    format = fields.String(required=True, validate=validate.Equal(FORMAT))
    format_version = fields.Integer(required=True, validate=validate.Equal(FORMAT_VERSION))
    exported_at = fields.String(load_default=None, allow_none=True)
    framework = fields.Nested(_FrameworkRef, required=True)
    assessment = fields.Nested(_Settings, required=True)
    respondents = fields.List(fields.Nested(_Respondent), load_default=list)
    answers = fields.List(fields.Nested(_Answer), load_default=list)
    agreed = fields.List(fields.Nested(_Agreed), load_default=list)
    results = fields.Dict(load_default=None, allow_none=True)
    # Informative, like the results: an import creates no plan (its owners are another
    # administration's users when the file comes from elsewhere).
    action_plan = fields.Dict(load_default=None, allow_none=True)


def export_assessment(
    *,
    session: Session,
    seen: access.Access,
    cache: FrameworkCache,
    principal: Principal | None = None,
) -> dict[str, Any]:
    """Return the interchange document of an assessment the caller can see.

    The action plan is in it for ``principal`` (managers: every action; others: their own);
    without a principal, it is left out.
    """
    assessment = seen.assessment
    by_indicator, agreed = answering.team_answers(session, assessment.id)
    computed, _ = results.compute(
        session=session, assessment=assessment, framework=seen.framework, cache=cache
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": to_rfc3339(utcnow()),
        "framework": {"key": assessment.framework_key, "version": assessment.framework_version},
        "assessment": {
            "title": assessment.title,
            "language": assessment.language,
            "targets": assessment.targets or {},
            "status": assessment.status,
            "version": assessment.version,
            "created_at": to_rfc3339(assessment.created_at),
            "submitted_at": to_rfc3339(assessment.submitted_at)
            if assessment.submitted_at
            else None,
        },
        "respondents": [
            {"user_id": p.user_id, "name": p.name, "role": p.role, "areas": p.areas}
            for p in access.participants(session=session, assessment_id=assessment.id)
        ],
        "answers": [
            {
                "respondent": row.respondent_id,
                "indicator": row.indicator,
                "value": answering.answer_value(row.value),
                "confidence": row.confidence,
                "comment": row.comment,
                "evidence": row.evidence,
            }
            for key in sorted(by_indicator)
            for row in by_indicator[key]
        ],
        "agreed": [
            {
                "indicator": row.indicator,
                "value": answering.answer_value(row.value),
                "confidence": row.confidence,
                "comment": row.comment,
            }
            for row in agreed.values()
        ],
        "results": computed,
        "action_plan": None
        if principal is None
        else exported_plan(session=session, principal=principal, assessment_id=assessment.id),
    }


def import_assessment(
    *, session: Session, principal: Principal, cache: FrameworkCache, document: dict[str, Any]
) -> Assessment:
    """Create a new, open assessment in the caller's administration from an interchange file."""
    try:
        data = InterchangeSchema().load(document)
    except ValidationError as exc:
        raise ApiError(422, "invalid_interchange", errors=exc.normalized_messages()) from exc
    administration = access.administration_of(principal)
    with session.begin():
        framework = cache.get(
            session=session, key=data["framework"]["key"], version=data["framework"]["version"]
        )
        unknown = sorted(
            {
                a["indicator"]
                for a in data["answers"] + data["agreed"]
                if framework.indicator(a["indicator"]) is None
            }
        )
        if unknown:
            raise ApiError(422, "unknown_indicator", errors={"answers": unknown})
        settings = data["assessment"]
        assessment = Assessment(
            administration_id=administration,
            title=settings["title"],
            language=settings["language"],
            framework_key=framework.key,
            framework_version=framework.version,
            targets=settings["targets"],
            created_by=principal.subject,
        )
        session.add(assessment)
        session.flush()
        _add_team(session, assessment, principal, data)
        access.record(
            session, assessment, "imported", principal.subject, answers=len(data["answers"])
        )
    return assessment


def _add_team(
    session: Session, assessment: Assessment, principal: Principal, data: dict[str, Any]
) -> None:
    people = {r["user_id"]: r for r in data["respondents"]}
    people.setdefault(
        principal.subject,
        {"user_id": principal.subject, "name": principal.name, "role": "coordinator", "areas": []},
    )
    for answer in data["answers"]:
        people.setdefault(
            answer["respondent"],
            {"user_id": answer["respondent"], "name": "", "role": "respondent", "areas": []},
        )
    for person in people.values():
        session.add(
            Participant(
                assessment_id=assessment.id,
                user_id=person["user_id"],
                name=person["name"],
                role=person["role"],
                areas=person["areas"],
                invited_by=principal.subject,
            )
        )
    for answer in data["answers"]:
        session.add(
            Answer(
                assessment_id=assessment.id,
                indicator=answer["indicator"],
                respondent_id=answer["respondent"],
                value=str(answer["value"]),
                confidence=answer["confidence"],
                comment=answer["comment"],
                evidence=answer["evidence"],
            )
        )
    for agreed in data["agreed"]:
        session.add(
            AgreedAnswer(
                assessment_id=assessment.id,
                indicator=agreed["indicator"],
                value=str(agreed["value"]),
                confidence=agreed["confidence"],
                comment=agreed["comment"],
                recorded_by=principal.subject,
            )
        )
