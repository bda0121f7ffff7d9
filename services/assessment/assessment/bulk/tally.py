"""What an import job stored, per assessment, for the summary it ends with (``bulk.passes``)."""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessment import results
from assessment.bulk.checks import Checker, ValidAnswer
from assessment.frameworks import FrameworkCache
from assessment.models import Answer, Assessment

_ASSESSMENT_OF = operator.attrgetter("assessment_id")
_RESPONDENT_OF = operator.attrgetter("respondent_id")


class Tally:
    """The answers and respondents a run stored, per assessment."""

    def __init__(self, *, complete: bool) -> None:
        self.complete = complete
        self.answers: Counter[str] = Counter()
        self.respondents: dict[str, set[str]] = defaultdict(set)

    def add(self, answers: list[ValidAnswer]) -> None:
        """Count a stored batch."""
        self.answers.update(map(_ASSESSMENT_OF, answers))
        if len(self.answers) == 1:  # one assessment, as most jobs: no per-answer loop here
            (only,) = self.answers
            self.respondents[only].update(map(_RESPONDENT_OF, answers))
            return
        for a in answers:
            self.respondents[a.assessment_id].add(a.respondent_id)


def summarise(
    session: Session, checker: Checker, cache: FrameworkCache, job_id: str, tally: Tally
) -> dict[str, Any]:
    """Count what the job stored per assessment, with the scores the assessment now has."""
    if tally.complete:
        counts = [(a, n, len(tally.respondents[a])) for a, n in tally.answers.items()]
    else:
        counts = [
            (str(a), int(n), int(r))
            for a, n, r in session.execute(
                select(
                    Answer.assessment_id,
                    func.count(),
                    func.count(func.distinct(Answer.respondent_id)),
                )
                .where(Answer.import_job_id == job_id)
                .group_by(Answer.assessment_id)
            )
        ]
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
