"""Results of an assessment: team answers -> scores, explanations, feasibility, plan, progress.

Builds the JSON document the API returns, the submission freezes, and ``assessment.submitted``
carries to the report builder (``scoring`` and ``planning`` do the arithmetic).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment import answers as answering
from assessment import planning, scoring
from assessment.access import Access, participants
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import Assessment, ScoreSnapshot


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def combined_answers(
    session: Session, assessment: Assessment, framework: Framework
) -> tuple[dict[str, scoring.Answer], list[str]]:
    """Return the team's answer per indicator and the indicators with a wide disagreement."""
    by_indicator, agreed = answering.team_responses(session, assessment.id)
    combined: dict[str, scoring.Answer] = {}
    disagreements = []
    for indicator in framework.indicators:
        rows = by_indicator.get(indicator.key, [])
        chosen = agreed.get(indicator.key)
        if not rows and chosen is None:
            continue
        consensus = scoring.consolidate(
            indicator.key, rows, answering.as_scoring_answer(chosen) if chosen else None
        )
        if consensus.answer is not None:
            combined[indicator.key] = consensus.answer
        if consensus.disagreement and not consensus.agreed:
            disagreements.append(indicator.key)
    return combined, disagreements


def build(
    framework: Framework,
    answers: dict[str, scoring.Answer],
    targets: dict[str, float],
    *,
    previous: scoring.Result | None = None,
    disagreements: list[str] | None = None,
) -> dict[str, Any]:
    """Return the results document of ``answers`` (pure: no database)."""
    result = scoring.score_assessment(framework, answers)
    priorities = planning.prioritize(framework, answers, result, targets)
    return {
        "framework": {"key": framework.key, "version": framework.version},
        "areas": [_area(framework, area.key, result, answers, targets) for area in framework.areas],
        "overall": {
            "score": _round(result.overall),
            "indicative": True,
            "percentage": _round(result.overall_percentage, 1),
        },
        "feasibility": [
            {
                "use_case": row.use_case,
                "within_reach": row.within_reach,
                "missing": [
                    {"area": a, "needed": n, "current": _round(c)} for a, n, c in row.missing
                ],
            }
            for row in planning.feasibility(framework, result)
        ],
        "priorities": [_priority(p) for p in priorities],
        "roadmap": {
            phase: [p.recommendation.key for p in items]
            for phase, items in planning.roadmap(priorities).items()
        },
        "disagreements": disagreements or [],
        "progress": None if previous is None else planning.compare(previous, result),
    }


def _area(
    framework: Framework,
    key: str,
    result: scoring.Result,
    answers: dict[str, scoring.Answer],
    targets: dict[str, float],
) -> dict[str, Any]:
    area = result.areas[key]
    definition = framework.area(key)
    assert definition is not None
    target = float(targets.get(key, planning.DEFAULT_TARGET))
    return {
        "area": key,
        "name": definition.name,
        "score": _round(area.score),
        "level": area.level,
        "level_name": framework.level_names.get(area.level) if area.level else None,
        "percentage": _round(area.percentage, 1),
        "raw_score": _round(area.raw_score),
        "target": target,
        "gap": None if area.score is None else _round(max(0.0, target - area.score)),
        "cap": None
        if area.cap is None
        else {"indicator": area.cap.indicator, "answer": area.cap.answer, "limit": area.cap.limit},
        "coverage": _round(area.coverage, 3),
        "confidence": _round(area.confidence, 3),
        "applicable": area.applicable,
        "answered": area.answered,
        "dont_know": list(area.dont_know),
        "not_applicable": list(area.not_applicable),
        "unanswered": list(area.unanswered),
        "explanation": [
            {
                "indicator": c.indicator,
                "answer": c.answer,
                "counted_as": c.counted_as,
                "weight": c.weight,
                "critical": c.critical,
                "note": c.note,
            }
            for c in scoring.explain_area(definition, answers)
        ],
    }


def _priority(priority: planning.Priority) -> dict[str, Any]:
    recommendation = priority.recommendation
    return {
        "rank": priority.rank,
        "indicator": priority.indicator,
        "area": priority.area,
        "level": priority.level,
        "target": priority.target,
        "gap": _round(priority.gap),
        "score": priority.score,
        "critical": priority.critical,
        "quick_win": priority.quick_win,
        "recommendation": {
            "key": recommendation.key,
            "text": recommendation.text,
            "effort": recommendation.effort,
            "horizon": recommendation.horizon,
            "tags": list(recommendation.tags),
        },
    }


def serialize_answers(answers: dict[str, scoring.Answer]) -> dict[str, Any]:
    """Return answers as JSON (for snapshots and the interchange file)."""
    return {k: {"value": a.value, "confidence": a.confidence} for k, a in answers.items()}


def deserialize_answers(data: dict[str, Any]) -> dict[str, scoring.Answer]:
    """Return answers from their JSON form."""
    return {k: scoring.Answer(v["value"], v.get("confidence")) for k, v in data.items()}


def previous_result(
    session: Session, assessment: Assessment, framework: Framework, cache: FrameworkCache
) -> scoring.Result | None:
    """Score the previous assessment's last submission against this assessment's framework."""
    if not assessment.previous_id:
        return None
    previous = session.get(Assessment, assessment.previous_id)
    snapshot = session.scalar(
        select(ScoreSnapshot)
        .where(ScoreSnapshot.assessment_id == assessment.previous_id)
        .order_by(ScoreSnapshot.version.desc())
        .limit(1)
    )
    if previous is None or snapshot is None:
        return None
    answers = deserialize_answers(snapshot.answers)
    if previous.framework_version != framework.version:
        answers = planning.remap_answers(
            answers, framework.mappings.get(previous.framework_version, {})
        )
    return scoring.score_assessment(framework, answers)


def compute(
    *, session: Session, assessment: Assessment, framework: Framework, cache: FrameworkCache
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the live results document and the combined answers of an assessment."""
    answers, disagreements = combined_answers(session, assessment, framework)
    previous = previous_result(session, assessment, framework, cache)
    document = build(
        framework,
        answers,
        dict(assessment.targets or {}),
        previous=previous,
        disagreements=disagreements,
    )
    return document, serialize_answers(answers)


def latest_snapshot(session: Session, assessment_id: str) -> ScoreSnapshot | None:
    """Return the results frozen at the last submission, if any."""
    return session.scalar(
        select(ScoreSnapshot)
        .where(ScoreSnapshot.assessment_id == assessment_id)
        .order_by(ScoreSnapshot.version.desc())
        .limit(1)
    )


def current(*, session: Session, seen: Access, cache: FrameworkCache) -> dict[str, Any]:
    """Return the results the caller sees: frozen at submission, live while open."""
    assessment = seen.assessment
    snapshot = latest_snapshot(session, assessment.id) if assessment.status == "submitted" else None
    if snapshot is not None:
        document = dict(snapshot.results)
    else:
        document, _ = compute(
            session=session, assessment=assessment, framework=seen.framework, cache=cache
        )
    document.update(status=assessment.status, version=assessment.version)
    return document


def detail(*, session: Session, seen: Access, principal: Any) -> dict[str, Any]:
    """Return an assessment with its team, the caller's areas and progress per area."""
    assessment = seen.assessment
    by_indicator, agreed = answering.team_answers(session, assessment.id)
    mine = not seen.is_coordinator
    progress = []
    for area in seen.framework.areas:
        keys = [i.key for i in area.indicators]
        if mine:
            done = sum(
                1
                for k in keys
                if any(r.respondent_id == principal.subject for r in by_indicator.get(k, []))
            )
        else:
            done = sum(1 for k in keys if k in by_indicator or k in agreed)
        progress.append({"area": area.key, "answered": done, "total": len(keys)})
    columns = {c.key: getattr(assessment, c.key) for c in Assessment.__table__.columns}
    return {
        **columns,
        "participants": participants(session=session, assessment_id=assessment.id),
        "progress": progress,
        "assigned_areas": sorted(seen.assigned_areas()),
        "can_manage": seen.is_coordinator,
    }


def consensus_rows(*, session: Session, seen: Access) -> list[dict[str, Any]]:
    """Return, per answered indicator, everyone's answer, the combined answer and the spread."""
    names = {
        p.user_id: p.name for p in participants(session=session, assessment_id=seen.assessment.id)
    }
    by_indicator, agreed = answering.team_answers(session, seen.assessment.id)
    rows = []
    for key, consensus in answering.consensus(session, seen).items():
        indicator = seen.framework.indicator(key)
        rows.append(
            {
                "indicator": key,
                "area": indicator.area if indicator else "",
                "answers": [
                    {
                        "respondent_id": r.respondent_id,
                        "name": names.get(r.respondent_id, ""),
                        "value": r.value,
                        "confidence": r.confidence,
                        "comment": r.comment,
                    }
                    for r in by_indicator.get(key, [])
                ],
                "combined": None if consensus.answer is None else consensus.answer.value,
                "spread": consensus.spread,
                "disagreement": consensus.disagreement,
                "agreed": agreed.get(key),
            }
        )
    return rows


def answer_sheet(
    session: Session, assessment: Assessment, framework: Framework, combined: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return, per answered indicator, the question, the team's answer and every response.

    ``combined`` is the team's answer per indicator (as ``compute`` serializes it). Responses are
    anonymous: the report shows what was answered and commented, not by whom.
    """
    by_indicator, agreed = answering.team_answers(session, assessment.id)
    sheet = []
    for indicator in framework.indicators:
        rows = by_indicator.get(indicator.key, [])
        chosen = agreed.get(indicator.key)
        team = combined.get(indicator.key)
        if not rows and chosen is None and team is None:
            continue
        value: Any = None if team is None else team["value"]
        described = int(value) if scoring.is_level(value) else 0  # a median may be 2.5
        sheet.append(
            {
                "indicator": indicator.key,
                "area": indicator.area,
                "question": dict(indicator.question),
                "value": value,
                "level_text": dict(indicator.levels.get(described, {})),
                "critical": indicator.critical,
                "agreed": chosen is not None,
                "agreed_comment": chosen.comment if chosen is not None else "",
                "responses": [
                    {
                        "value": answering.answer_value(r.value),
                        "confidence": r.confidence,
                        "comment": r.comment or "",
                    }
                    for r in sorted(rows, key=lambda r: r.id)
                ],
            }
        )
    return sheet
