"""Realistic ``assessment.submitted`` payloads for the report benchmark and the reports tests.

Made the way the assessment service makes them: the shipped framework, a team of respondents
per indicator (some disagreeing, some "don't know", some comments with French accents), the
team's combined answer, ``results.build`` with a previous assessment for the progress, and the
payload of ``events.submitted_payload`` with its answer sheet.

    .venv/bin/python bench/report_data.py --write services/reports/tests/fixtures/submission.json
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assessment import events, results, scoring
from assessment.frameworks import repository_frameworks
from assessment.models import Assessment
from shared.events import new_event

COMMENTS = (
    "Données saisies dans SYDONIA, mais la qualité varie selon les bureaux.",
    "The risk unit keeps its own spreadsheet; nobody owns the master data.",
    "Un comité existe, il ne s'est pas réuni depuis l'an dernier.",
    "Pilot with the university planned for next year.",
    "Écart important entre la direction générale et les bureaux frontaliers.",
    "",
    "",
    "",
)
CONFIDENCES = (None, "low", "medium", "high")
TARGETS = {"strategy": 3.0, "governance": 4.0, "data": 4.0, "technical": 3.0, "skills": 3.0}


def _response(rng: random.Random, base: int) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.06:
        value: int | str = "dont_know"
    elif roll < 0.09:
        value = "not_applicable"
    else:
        value = min(5, max(1, base + rng.choice((-2, -1, 0, 0, 0, 1, 1, 2))))
    return {
        "value": value,
        "confidence": rng.choice(CONFIDENCES),
        "comment": rng.choice(COMMENTS),
    }


def _combined(responses: list[dict[str, Any]]) -> scoring.Answer:
    levels = sorted(float(r["value"]) for r in responses if scoring.is_level(r["value"]))
    if levels:
        return scoring.Answer(statistics.median(levels), "medium")
    values = [r["value"] for r in responses]
    if values.count("not_applicable") * 2 > len(values):
        return scoring.Answer("not_applicable")
    return scoring.Answer("dont_know")


def _previous(rng: random.Random, framework: Any) -> scoring.Result:
    answers = {
        indicator.key: scoring.Answer(rng.randint(1, 4), "medium")
        for indicator in framework.indicators
    }
    return scoring.score_assessment(framework, answers)


def submission(seed: int, *, language: str = "fr", with_previous: bool = True) -> dict[str, Any]:
    """Return one realistic ``assessment.submitted`` payload (validated by the event schema)."""
    rng = random.Random(seed)
    framework = next(f for f in repository_frameworks() if f.key == "ai-ml-readiness")
    area_base = {area.key: rng.randint(1, 4) for area in framework.areas}
    team: dict[str, list[dict[str, Any]]] = {}
    combined: dict[str, scoring.Answer] = {}
    for indicator in framework.indicators:
        if rng.random() < 0.05:
            continue  # left unanswered
        responses = [_response(rng, area_base[indicator.area]) for _ in range(rng.randint(1, 4))]
        team[indicator.key] = responses
        combined[indicator.key] = _combined(responses)
    disagreements = [
        key
        for key, responses in team.items()
        if scoring.consolidate(
            key, [scoring.Answer(r["value"], r["confidence"]) for r in responses]
        ).disagreement
    ]
    document = results.build(
        framework,
        combined,
        TARGETS,
        previous=_previous(rng, framework) if with_previous else None,
        disagreements=disagreements,
    )
    assessment = Assessment(
        id=f"asm-{seed}",
        administration_id="adm-1",
        title=f"Auto-évaluation {2026 + seed % 3}, n° {seed}",
        language=language,
        framework_key=framework.key,
        framework_version=framework.version,
        version=1 + seed % 2,
        submitted_at=datetime(2026, 3, 1 + seed % 28, 9, 30, tzinfo=UTC),
        submitted_by="coord-1",
    )
    sheet = [
        {
            "indicator": indicator.key,
            "area": indicator.area,
            "question": dict(indicator.question),
            "value": combined[indicator.key].value,
            "level_text": dict(indicator.levels.get(int(combined[indicator.key].value), {}))
            if scoring.is_level(combined[indicator.key].value)
            else {},
            "critical": indicator.critical,
            "agreed": False,
            "agreed_comment": "",
            "responses": team[indicator.key],
        }
        for indicator in framework.indicators
        if indicator.key in team
    ]
    payload = events.submitted_payload(
        assessment,
        document,
        ["coord-1", "resp-1"],
        "Direction générale des douanes et droits indirects",
        answers=sheet,
    )
    new_event("assessment.submitted", source="assessment", data=payload)  # validates it
    return json.loads(json.dumps(payload))


def main() -> None:
    """Write one payload as JSON (the reports tests' realistic fixture)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.write.parent.mkdir(parents=True, exist_ok=True)
    data = submission(args.seed)
    args.write.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.write} ({args.write.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
