"""What a report says, worked out from the ``assessment.submitted`` data alone (pure: no I/O).

``compose`` checks the data and returns a ``Report``: every text in the report's language and
every number written the way that language writes it, beside the raw numbers the workbook
needs. The renderers (``reports.renderers``) only lay it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports import areas as area_pages
from reports import wording
from reports.notation import (
    LANGUAGES,
    LEVEL_RANGE,
    ReportDataError,
    checked,
    format_date,
    format_level,
    format_percent,
    horizon_text,
    level_name,
    number,
)
from reports.progress import ProgressSection, compose_progress
from shared.charts import Axis, radar_svg
from shared.i18n import pick

PHASES = ("0-6", "6-18", "18-36")
# Portal visibilities a report may point to: its readers are all members of an administration.
SUGGESTIBLE = ("public", "members")
MAX_RESOURCES = 3
# Recommendations the executive summary lists.
TOP = 3


@dataclass(frozen=True)
class ResourceLink:
    """A portal resource suggested for a recommendation."""

    title: str
    url: str
    kind: str
    members_only: bool


@dataclass(frozen=True)
class PriorityView:
    """One prioritized recommendation with the portal resources that match its tags."""

    rank: int
    area: str
    text: str
    horizon: str
    horizon_shown: str
    effort: str
    quick_win: bool
    tags: tuple[str, ...]
    resources: tuple[ResourceLink, ...]


@dataclass(frozen=True)
class Phase:
    """One phase of the roadmap."""

    key: str
    title: str
    subtitle: str
    items: tuple[PriorityView, ...]


@dataclass(frozen=True)
class Report:
    """Everything a report shows, ready to lay out."""

    language: str
    texts: Mapping[str, str]
    title: str
    administration: str
    date: str
    framework: str
    # The readiness tool's name in the report's language (the framework's title when the
    # payload carries it, else the generic subtitle).
    subtitle: str
    version: str
    summary: tuple[str, ...]
    top_priorities: tuple[PriorityView, ...]
    radar: str
    areas: tuple[area_pages.AreaView, ...]
    overall: float | None
    overall_shown: str
    priorities: tuple[PriorityView, ...]
    phases: tuple[Phase, ...]
    has_progress: bool
    has_resources: bool
    answers: tuple[area_pages.AnswerRow, ...]
    # Per indicator since the previous assessment (None: a first assessment, or older data).
    since: ProgressSection | None = None


def compose(
    data: Mapping[str, Any],
    language: str,
    *,
    resources: Sequence[Mapping[str, Any]] = (),
    public_url: str = "",
) -> Report:
    """Return what the report of ``data`` says in ``language`` (raises ``ReportDataError``)."""
    if language not in LANGUAGES:
        raise ReportDataError(f"unsupported report language {language!r}")
    text = wording.labels(language)
    title = _required_text(data, "title")
    details = _mapping(data.get("details"))
    answers = {
        str(item.get("indicator")): item for item in _records(data.get("answers"), "answers")
    }
    areas = tuple(
        area_pages.area_view(area, details, answers, language)
        for area in _records(data.get("areas"), "areas")
    )
    overall = checked(data.get("overall"), LEVEL_RANGE, "overall level")
    names = {area.key: area.name for area in areas}
    priorities = _priorities(data, details, names, resources, language, public_url)
    framework = _mapping(data.get("framework"))
    return Report(
        language=language,
        texts=text,
        title=title,
        administration=str(data.get("administration_name") or "").strip() or text["unnamed"],
        date=format_date(str(data.get("submitted_at") or ""), language),
        framework=f"{framework.get('key', '')} {framework.get('version', '')}".strip(),
        subtitle=_framework_title(framework, language) or text["subtitle"],
        version=str(data.get("version", "")),
        summary=_summary(areas, overall, priorities, details, language),
        top_priorities=priorities[:TOP],
        radar=_radar(areas, language),
        areas=areas,
        overall=overall,
        overall_shown=""
        if overall is None
        else f"{format_level(overall, language)} ({level_name(overall, language)})",
        priorities=priorities,
        phases=_phases(priorities, details, language),
        has_progress=isinstance(details.get("progress"), Mapping),
        has_resources=any(view.resources for view in priorities),
        answers=area_pages.answer_rows(areas, details, answers, language),
        since=compose_progress(data, language, names),
    )


def _framework_title(framework: Mapping[str, Any], language: str) -> str:
    title = framework.get("title")
    if not isinstance(title, Mapping) or not all(isinstance(v, str) for v in title.values()):
        return ""
    return pick(title, language) if title else ""


def _required_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReportDataError(f"{key} is missing")
    return value


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _records(value: Any, what: str) -> list[Mapping[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ReportDataError(f"{what} must be a list of objects")
    return value


def _radar(areas: Sequence[area_pages.AreaView], language: str) -> str:
    if len(areas) < 3:
        return ""
    text = wording.labels(language)
    return radar_svg(
        [Axis(area.name, area.level, area.target) for area in areas],
        title=text["profile"],
        value_label=text["current_level"],
        target_label=text["target"],
    )


# -- recommendations -------------------------------------------------------------------------
def _priorities(
    data: Mapping[str, Any],
    details: Mapping[str, Any],
    area_names: Mapping[str, str],
    resources: Sequence[Mapping[str, Any]],
    language: str,
    public_url: str,
) -> tuple[PriorityView, ...]:
    text = wording.labels(language)
    extra = {
        str(item.get("indicator")): item
        for item in _records(details.get("priorities"), "details.priorities")
    }
    views = []
    for priority in _records(data.get("priorities"), "priorities"):
        more = extra.get(str(priority.get("indicator")), {})
        recommendation = _mapping(more.get("recommendation"))
        effort = str(recommendation.get("effort") or "")
        tags = tuple(str(tag) for tag in priority.get("tags") or ())
        views.append(
            PriorityView(
                rank=int(priority.get("rank", 0)),
                area=area_names.get(str(priority.get("area", "")), str(priority.get("area", ""))),
                text=pick(_mapping(priority.get("text")), language),
                horizon=str(priority.get("horizon") or ""),
                horizon_shown=horizon_text(priority.get("horizon"), language),
                effort=text.get(f"effort.{effort}", effort),
                quick_win=bool(more.get("quick_win")),
                tags=tags,
                resources=match_resources(tags, resources, language, public_url),
            )
        )
    return tuple(sorted(views, key=lambda view: view.rank))


def match_resources(
    tags: Sequence[str],
    resources: Sequence[Mapping[str, Any]],
    language: str,
    public_url: str = "",
) -> tuple[ResourceLink, ...]:
    """Return the best portal resources for ``tags``: most shared tags, then in the language."""
    wanted = {tag.lower() for tag in tags}
    ranked = []
    for resource in resources:
        visibility = str(resource.get("visibility", ""))
        shared = wanted & {str(tag).lower() for tag in resource.get("tags") or ()}
        if visibility not in SUGGESTIBLE or not shared:
            continue
        languages = list(resource.get("languages") or ())
        title = pick(_mapping(resource.get("titles")), language) or str(resource.get("item_id"))
        key = (-len(shared), bool(languages) and language not in languages, title.lower())
        link = ResourceLink(
            title=title,
            url=_absolute(str(resource.get("url") or ""), public_url),
            kind=str(resource.get("kind", "")),
            members_only=visibility != "public",
        )
        ranked.append((key, str(resource.get("item_id", "")), link))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return tuple(link for _key, _id, link in ranked[:MAX_RESOURCES])


def _absolute(url: str, public_url: str) -> str:
    """Return a link a downloaded file can follow, or nothing (never a ``javascript:`` one)."""
    if url.startswith(("https://", "http://")):
        return url
    if url.startswith("/") and not url.startswith("//") and public_url:
        return public_url.rstrip("/") + url
    return ""


def _phases(
    priorities: Sequence[PriorityView], details: Mapping[str, Any], language: str
) -> tuple[Phase, ...]:
    text = wording.labels(language)
    by_key = {
        str(_mapping(item.get("recommendation")).get("key")): int(item.get("rank", 0))
        for item in _records(details.get("priorities"), "details.priorities")
    }
    placed: dict[str, list[PriorityView]] = {key: [] for key in PHASES}
    roadmap = _mapping(details.get("roadmap"))
    for view in priorities:
        phase = _phase_in_roadmap(view, roadmap, by_key)
        if phase not in placed:
            # Not in the results' roadmap (older data): its own horizon, a quick win first.
            phase = PHASES[0] if view.quick_win or view.horizon not in PHASES else view.horizon
        placed[phase].append(view)
    return tuple(
        Phase(
            key,
            horizon_text(key, language),
            text[f"phase.{key}"],
            tuple(sorted(placed[key], key=lambda view: view.rank)),
        )
        for key in PHASES
    )


def _phase_in_roadmap(
    view: PriorityView, roadmap: Mapping[str, Any], by_key: Mapping[str, int]
) -> str | None:
    """Return the phase the results' roadmap puts a recommendation in, if any."""
    for phase, keys in roadmap.items():
        if any(by_key.get(str(key)) == view.rank for key in keys or ()):
            return str(phase)
    return None


# -- executive summary -----------------------------------------------------------------------
def _summary(
    areas: Sequence[area_pages.AreaView],
    overall: float | None,
    priorities: Sequence[PriorityView],
    details: Mapping[str, Any],
    language: str,
) -> tuple[str, ...]:
    t = wording.texts(language)
    lines = []
    if overall is not None:
        lines.append(
            wording.summary_overall(
                t,
                count=len(areas),
                level=format_level(overall, language),
                name=level_name(overall, language),
            )
        )
    lines.extend(_area_sentences(areas, language))
    lines.extend(_coverage_sentences(details, language))
    progress = [area.progress for area in areas if area.progress is not None]
    if isinstance(details.get("progress"), Mapping) and progress:
        lines.append(
            wording.summary_progress(
                t,
                improved=sum(1 for delta in progress if round(delta, 1) > 0),
                declined=sum(1 for delta in progress if round(delta, 1) < 0),
            )
        )
    if priorities:
        quick = sum(1 for view in priorities if view.quick_win)
        lines.append(wording.summary_priorities(t, count=len(priorities), quick=quick, listed=TOP))
    else:
        lines.append(wording.summary_no_priorities(t))
    return tuple(lines)


def _area_sentences(areas: Sequence[area_pages.AreaView], language: str) -> list[str]:
    t = wording.texts(language)
    scored = [area for area in areas if area.level is not None]
    if not scored:
        return []
    strongest = max(scored, key=lambda area: area.level or 0.0)
    lines = [
        wording.summary_strongest(
            t, area=strongest.name, level=format_level(strongest.level, language)
        )
    ]
    below = [area for area in scored if area.gap is not None and area.gap > 0]
    if below:
        weakest = max(below, key=lambda area: area.gap or 0.0)
        lines.append(
            wording.summary_weakest(
                t,
                area=weakest.name,
                level=format_level(weakest.level, language),
                target=format_level(weakest.target, language),
            )
        )
        lines.append(wording.summary_below_target(t, count=len(below), total=len(areas)))
    elif any(area.target is not None for area in scored):
        lines.append(wording.summary_all_reached(t))
    return lines


def _coverage_sentences(details: Mapping[str, Any], language: str) -> list[str]:
    t = wording.texts(language)
    records = _records(details.get("areas"), "details.areas")
    applicable = sum(int(number(r.get("applicable"), "applicable") or 0) for r in records)
    lines = []
    if applicable:
        answered = sum(int(number(r.get("answered"), "answered") or 0) for r in records)
        dont_know = sum(len(r.get("dont_know") or ()) for r in records)
        lines.append(
            wording.summary_coverage(
                t, coverage=format_percent(answered / applicable, language), dont_know=dont_know
            )
        )
    disagreements = details.get("disagreements") or ()
    if disagreements:
        lines.append(wording.summary_disagreements(t, count=len(disagreements)))
    return lines
