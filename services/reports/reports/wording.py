"""Every text of a report, marked for the reports catalog (the report is in its job's language).

The catalog (``reports/translations/<lang>/LC_MESSAGES/messages.po``) translates the English texts
below; ``labels`` gives the short ones by key to the templates and the workbook, and the sentence
functions put values (already written the language's way) into their plural form.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from shared.translations import N_, NP_, Texts, texts_for

# The report's catalog first, then the layout's (shared).
DOMAINS = ("reports", "shared")

# Key -> English text (the catalog's id), or (context, text) where one English word has two
# translations ("medium" effort, "medium" confidence).
LABELS: dict[str, str | tuple[str, str]] = {
    "heading": N_("Self-assessment report"),
    "subtitle": N_("Readiness self-assessment of a customs administration"),
    "administration": N_("Administration"),
    # TRANSLATORS: the cover's name for an administration whose name has not arrived yet.
    "unnamed": N_("your administration"),
    "submitted": N_("Submitted on"),
    "framework": N_("Framework"),
    "assessment_version": N_("Assessment version"),
    "about": N_("About this report"),
    "quote.open": N_("“"),
    "quote.close": N_("”"),
    "summary": N_("Executive summary"),
    "profile": N_("Profile by area against targets"),
    "areas": N_("Scores by area"),
    "area": N_("Area"),
    "level": N_("Level"),
    "level_name": N_("Level name"),
    "score": N_("Score"),
    "percentage": N_("Score (%)"),
    "target": N_("Target level"),
    "gap": N_("Gap to target"),
    "coverage": N_("Coverage"),
    "confidence": N_("Confidence"),
    "overall": N_("Overall (indicative)"),
    "current_level": N_("Current level"),
    "priorities": N_("Prioritized recommendations and roadmap"),
    "rank": N_("Rank"),
    "recommendation": N_("Recommendation"),
    "effort": N_("Effort"),
    "horizon": N_("Horizon"),
    "quick_win": N_("Quick win"),
    "tags": N_("Tags"),
    "resources": N_("Resources on the portal"),
    "resources_intro": N_(
        "Under a recommendation: the portal's resources whose tags match it (sign in to open those "
        "of the members' area)."
    ),
    "no_resources": N_("No portal resource matches these recommendations yet."),
    "members_only": N_("members' area"),
    "roadmap": N_("Roadmap"),
    "roadmap_intro": N_(
        "The recommendations in priority order (the rank), in three phases; quick wins always start"
        " in the first phase."
    ),
    "phase.0-6": N_("First steps and quick wins"),
    "phase.6-18": N_("Consolidation"),
    "phase.18-36": N_("Transformation"),
    "phase_empty": N_("Nothing planned in this phase."),
    "progress": N_("Progress since the previous assessment"),
    "previous": N_("Previous score"),
    "change": N_("Change"),
    "not_comparable": N_("not comparable"),
    "by_indicator": N_("By indicator"),
    "progress_intro": N_(
        "For each indicator: the answer in the previous assessment and now, the change, and the "
        "actions of the previous plan that address it."
    ),
    "level_then": N_("Then"),
    "level_now": N_("Now"),
    "action": N_("Action"),
    "actions": N_("Actions"),
    "status": N_("Status"),
    "owner": N_("Owner"),
    "target_date": N_("Target date"),
    "evidence": N_("Evidence"),
    "no_action": N_("No action planned."),
    "status.planned": NP_("action status", "planned"),
    "status.in_progress": NP_("action status", "in progress"),
    "status.done": NP_("action status", "done"),
    "status.dropped": NP_("action status", "dropped"),
    "evidence.note": NP_("evidence", "note"),
    "evidence.link": NP_("evidence", "link"),
    "evidence.contribution": NP_("evidence", "portal contribution"),
    "strengths": N_("Strengths"),
    "strengths_intro": N_("The highest answers of the area (level 3 or above)."),
    "no_strengths": N_("No question of this area reached level 3 yet."),
    "gaps": N_("Gaps"),
    "gaps_intro": N_("Answers below the target level, the widest first."),
    "no_gaps": N_("No answer is below the target level."),
    "dont_know": N_("“Don't know” answers"),
    "dont_know_intro": N_("Questions nobody could answer: each counts as level 1 until known."),
    "no_dont_know": N_("None."),
    "disagreements": N_("Where respondents disagreed"),
    "disagreements_intro": N_("Answers spread widely: worth a discussion before acting."),
    "no_disagreements": N_("No wide disagreement."),
    "why": N_("Why this level"),
    "answers_given": N_("Answers given"),
    "comments": N_("Comments"),
    "agreed": N_("Agreed answer"),
    "question": N_("Question"),
    "team_answer": N_("Team answer"),
    "counted_as": N_("Counted as"),
    "weight": N_("Weight"),
    "critical": N_("Critical"),
    "note": N_("Note"),
    "respondents": N_("Respondents' answers"),
    "indicator": N_("Indicator"),
    "yes": N_("yes"),
    "no": N_("no"),
    "not_recorded": N_("not recorded"),
    "answer.dont_know": N_("Don't know"),
    "answer.not_applicable": N_("Not applicable"),
    "answer.none": N_("Not answered"),
    "note.answered": N_("answered"),
    "note.dont_know": N_("don't know: counted as level 1"),
    "note.not_applicable": N_("not applicable: excluded"),
    "note.unanswered": N_("not answered"),
    "note.caps_area": N_("caps the area's score"),
    "effort.low": NP_("effort", "low"),
    "effort.medium": NP_("effort", "medium"),
    "effort.high": NP_("effort", "high"),
    "confidence.low": NP_("confidence", "low"),
    "confidence.medium": NP_("confidence", "medium"),
    "confidence.high": NP_("confidence", "high"),
    "why.none": N_("No question of this area was answered: no level can be given."),
    "summary.all_reached": N_("Every area has reached its target level."),
    "summary.no_priorities": N_("No recommendation: every answer meets its target."),
    "disclaimer": N_(
        "This is a self-assessment for internal planning and discussion, not a benchmark: do not "
        "use it to rank or compare administrations."
    ),
    "method": N_(
        "How to read it: each answer is a level from 1 (Initial) to 5 (Transformational). An area's"
        " score is the weighted mean of its answers; a critical question caps the area at one level"
        " above its own answer. Coverage is the share of applicable questions answered; confidence "
        "combines the known answers with the confidence respondents declared."
    ),
    "sheet.scores": N_("Scores"),
    "sheet.answers": N_("Answers"),
    "sheet.priorities": N_("Priorities"),
    "sheet.roadmap": N_("Roadmap"),
    "sheet.progress": N_("Progress"),
    "phase": N_("Phase"),
    # TRANSLATORS: a colon as the language writes it (French puts a no-break space before it).
    "colon": N_(":"),
}

LEVEL_NAMES = (
    N_("Initial"),
    N_("Developing"),
    N_("Operational"),
    N_("Advanced"),
    N_("Transformational"),
)


def texts(language: str) -> Texts:
    """Return the report's catalogs and Babel formats in ``language``."""
    return texts_for(language, *DOMAINS)


@functools.cache
def labels(language: str) -> Mapping[str, str]:
    """Return the short texts of a report by key, in ``language`` (read-only, kept)."""
    t = texts(language)
    return MappingProxyType(
        {
            key: t.pgettext(*text) if isinstance(text, tuple) else t.gettext(text)
            for key, text in LABELS.items()
        }
    )


# -- sentences with values (each a whole sentence for the translator, its plural by count) -----
def months(t: Texts, start: str, end: str) -> str:
    """Return a horizon as a range of months (``6-18`` as ``6 to 18 months``)."""
    return t.gettext("%(start)s\u2013%(end)s months", start=start, end=end)


def why_score(t: Texts, *, score: str, answered: int, applicable: int) -> str:
    """Return how an area's score is made, from how many of its questions."""
    return t.ngettext(
        "The score of %(score)s is the weighted mean of the answers to %(answered)s of the "
        "%(count)s applicable question; a \u201cdon't know\u201d counts as level 1.",
        "The score of %(score)s is the weighted mean of the answers to %(answered)s of the "
        "%(count)s applicable questions; a \u201cdon't know\u201d counts as level 1.",
        applicable,
        score=score,
        answered=answered,
    )


def why_level(t: Texts, *, score: str, level: int, name: str) -> str:
    """Return why a score is the level it is."""
    return t.gettext(
        "A level is reached only when fully attained: %(score)s is level %(level)s (%(name)s).",
        score=score,
        level=level,
        name=name,
    )


def why_cap(t: Texts, *, limit: str, question: str, answer: str, raw: str) -> str:
    """Return why a critical question caps an area's score."""
    return t.gettext(
        "The score is capped at %(limit)s: the critical question \u201c%(question)s\u201d was "
        "answered %(answer)s, and a high average must not hide a missing foundation. Without "
        "the cap the score would be %(raw)s.",
        limit=limit,
        question=question,
        answer=answer,
        raw=raw,
    )


def why_missing(t: Texts, *, unanswered: int, not_applicable: int) -> str:
    """Return how many questions were not answered and how many were not applicable."""
    if not not_applicable:
        return t.ngettext(
            "%(count)s question was not answered.",
            "%(count)s questions were not answered.",
            unanswered,
        )
    excluded = t.ngettext(
        "%(count)s was marked not applicable (excluded from the score)",
        "%(count)s were marked not applicable (excluded from the score)",
        not_applicable,
    )
    if not unanswered:
        return t.ngettext(
            "%(count)s question was marked not applicable (excluded from the score).",
            "%(count)s questions were marked not applicable (excluded from the score).",
            not_applicable,
        )
    return t.ngettext(
        "%(count)s question was not answered and %(excluded)s.",
        "%(count)s questions were not answered and %(excluded)s.",
        unanswered,
        excluded=excluded,
    )


def why_none(t: Texts) -> str:
    """Return the sentence of an area without any answer."""
    return t.gettext("No question of this area was answered: no level can be given.")


def summary_overall(t: Texts, *, count: int, level: str, name: str) -> str:
    """Return the overall level of ``count`` areas and what it stands for."""
    return t.ngettext(
        "The %(count)s area assessed gives an indicative level of %(level)s (%(name)s). "
        "The profile by area below is the result; the overall figure only summarizes it.",
        "Taken together, the %(count)s areas give an indicative level of %(level)s (%(name)s). "
        "The profile by area below is the result; the overall figure only summarizes it.",
        count,
        level=level,
        name=name,
    )


def summary_strongest(t: Texts, *, area: str, level: str) -> str:
    """Return the strongest area."""
    return t.gettext("The strongest area is %(area)s (level %(level)s).", area=area, level=level)


def summary_weakest(t: Texts, *, area: str, level: str, target: str) -> str:
    """Return the area furthest from its target."""
    return t.gettext(
        "The area furthest from its target is %(area)s: level %(level)s for a target of "
        "%(target)s.",
        area=area,
        level=level,
        target=target,
    )


def summary_below_target(t: Texts, *, count: int, total: int) -> str:
    """Return how many of the areas are below their target."""
    return t.ngettext(
        "%(count)s of %(total)s areas is below its target level.",
        "%(count)s of %(total)s areas are below their target level.",
        count,
        total=total,
    )


def summary_all_reached(t: Texts) -> str:
    """Return the sentence of a report whose areas all reach their targets."""
    return t.gettext("Every area has reached its target level.")


def summary_priorities(t: Texts, *, count: int, quick: int, listed: int) -> str:
    """Return how many recommendations, how many quick wins, and the lead to the ``listed``."""
    quick_wins = t.ngettext("%(count)s of them a quick win", "%(count)s of them quick wins", quick)
    lead = t.gettext("The first three:") if count > listed else t.gettext("In priority order:")
    return t.ngettext(
        "%(count)s recommendation is prioritized, %(quick_wins)s. %(lead)s",
        "%(count)s recommendations are prioritized, %(quick_wins)s. %(lead)s",
        count,
        quick_wins=quick_wins,
        lead=lead,
    )


def summary_no_priorities(t: Texts) -> str:
    """Return the sentence of a report without recommendations."""
    return t.gettext("No recommendation: every answer meets its target.")


def summary_coverage(t: Texts, *, coverage: str, dont_know: int) -> str:
    """Return the share of applicable questions answered and the "don't know" answers."""
    return t.ngettext(
        "The answers cover %(coverage)s of the applicable questions, with %(count)s "
        "\u201cdon't know\u201d answer.",
        "The answers cover %(coverage)s of the applicable questions, with %(count)s "
        "\u201cdon't know\u201d answers.",
        dont_know,
        coverage=coverage,
    )


def summary_disagreements(t: Texts, *, count: int) -> str:
    """Return on how many questions respondents disagreed."""
    return t.ngettext(
        "Respondents disagreed widely on %(count)s question: see the area pages.",
        "Respondents disagreed widely on %(count)s questions: see the area pages.",
        count,
    )


def summary_progress(t: Texts, *, improved: int, declined: int) -> str:
    """Return how many areas improved and how many declined since the previous assessment."""
    fell = t.ngettext("%(count)s declined", "%(count)s declined", declined)
    return t.ngettext(
        "Since the previous assessment, %(count)s area improved and %(declined)s.",
        "Since the previous assessment, %(count)s areas improved and %(declined)s.",
        improved,
        declined=fell,
    )


def progress_compared(t: Texts, *, title: str, date: str) -> str:
    """Return which earlier assessment the progress is measured from."""
    if title and date:
        return t.gettext(
            "Compared with the previous assessment, \u201c%(title)s\u201d, submitted on %(date)s.",
            title=title,
            date=date,
        )
    if title:
        return t.gettext(
            "Compared with the previous assessment, \u201c%(title)s\u201d.", title=title
        )
    return t.gettext("Compared with the previous assessment.")


def progress_summary(t: Texts, *, up: int, stayed: int, down: int, planned: int, done: int) -> str:
    """Return how many indicators moved up, stayed and moved down, and how many actions are done."""
    moved = t.gettext(
        "Since the previous assessment, %(up)s, %(stayed)s and %(down)s.",
        up=t.ngettext("%(count)s indicator moved up", "%(count)s indicators moved up", up),
        stayed=t.ngettext(
            "%(count)s stayed at the same level", "%(count)s stayed at the same level", stayed
        ),
        down=t.ngettext("%(count)s moved down", "%(count)s moved down", down),
    )
    if not planned:
        none = t.gettext("The previous plan had no action for these indicators.")
        return f"{moved} {none}"
    actions = t.gettext(
        "%(planned)s for these indicators; %(done)s.",
        planned=t.ngettext(
            "%(count)s action was planned", "%(count)s actions were planned", planned
        ),
        done=t.ngettext("%(count)s is done", "%(count)s are done", done),
    )
    return f"{moved} {actions}"
