"""Browser pages of the self-assessment under ``/assessment``: thin views over the use cases."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from assessment import access, answers, autosave, prefill, results, sessions
from assessment.actions import pages as action_pages
from assessment.endpoints import page_unit_of_work
from assessment.frameworks import FrameworkCache, latest_frameworks
from assessment.peers import pages as peer_pages
from assessment.scoring import DONT_KNOW, NOT_APPLICABLE
from assessment.texts import LABELS, RADAR_TARGET, RADAR_TITLE, RADAR_VALUE
from shared.auth import Principal, Role
from shared.charts import Axis, radar_svg
from shared.errors import ApiError
from shared.i18n import pick
from shared.pages import error_title, page_texts

bp = Blueprint(
    "pages",
    __name__,
    url_prefix="/assessment",
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
CHOICES = ("1", "2", "3", "4", "5", DONT_KNOW, NOT_APPLICABLE)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """Give every page of the service the labels it picks by value (see ``assessment.texts``)."""
    return {"labels": LABELS}


def _back(endpoint: str, error: ApiError | None = None, **values: Any) -> ResponseReturnValue:
    if error is not None:
        values["error"] = error.code
    return redirect(url_for(endpoint, **values))


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    """The caller's assessments, and a form to start one (coordinators)."""
    with page_unit_of_work() as (session, principal, cache):
        items, _total = sessions.list_assessments(session=session, principal=principal)
        tools = latest_frameworks(session=session, cache=cache)
        return render_template(
            "assessment/dashboard.html",
            items=items,
            tools=tools,
            titles={f.key: f.title for f in tools},
            can_start=principal.has_any(Role.COORDINATOR),
            error=error_title(request.args.get("error")),
        )


@bp.post("/new")
def start() -> ResponseReturnValue:
    """Start an assessment from the dashboard form."""
    with page_unit_of_work() as (session, principal, cache):
        try:
            created = sessions.start_assessment(
                session=session,
                principal=principal,
                cache=cache,
                title=request.form.get("title", "").strip()[:200] or "-",
                language=_language(request.form.get("language")),
                **_chosen_framework(request.form.get("framework_key")),
            )
        except ApiError as exc:
            return _back("pages.dashboard", exc)
    return redirect(url_for("pages.overview", assessment_id=created.id))


def _chosen_framework(chosen: str | None) -> dict[str, Any]:
    """Return the framework picked on the start form (none picked: the service's default)."""
    return {"framework_key": chosen[:64]} if chosen else {}


def _language(chosen: str | None) -> str:
    return chosen if chosen in ("en", "fr") else str(g.language)


def _seen(
    session: Session, principal: Principal, cache: FrameworkCache, assessment_id: str
) -> access.Access:
    return access.access(
        session=session, principal=principal, assessment_id=assessment_id, cache=cache
    )


@bp.get("/<assessment_id>")
def overview(assessment_id: str) -> ResponseReturnValue:
    """An assessment's team, progress per area and actions."""
    with page_unit_of_work() as (session, principal, cache):
        seen = _seen(session, principal, cache, assessment_id)
        detail = results.detail(session=session, seen=seen, principal=principal)
        return render_template(
            "assessment/overview.html",
            a=seen.assessment,
            detail=detail,
            framework=seen.framework,
            seen=seen,
            error=error_title(request.args.get("error")),
        )


@bp.post("/<assessment_id>/participants")
def invite(assessment_id: str) -> ResponseReturnValue:
    """Invite a respondent from the overview form."""
    with page_unit_of_work() as (session, principal, cache):
        try:
            sessions.invite(
                session=session,
                principal=principal,
                cache=cache,
                assessment_id=assessment_id,
                user_id=request.form.get("user_id", "").strip()[:64],
                name=request.form.get("name", "").strip()[:200],
                email=_email(request.form.get("email", "")),
                role="respondent",
                areas=request.form.getlist("areas"),
            )
        except ApiError as exc:
            return _back("pages.overview", exc, assessment_id=assessment_id)
    return redirect(url_for("pages.overview", assessment_id=assessment_id))


def _email(value: str) -> str | None:
    """Return a plausible e-mail address from a form field, else None (the field is optional)."""
    address = value.strip()[:254]
    local, at, domain = address.rpartition("@")
    plausible = at and local and "." in domain and not any(c.isspace() for c in address)
    return address if plausible else None


@bp.post("/<assessment_id>/targets")
def targets(assessment_id: str) -> ResponseReturnValue:
    """Save the target level of each area."""
    wanted = {
        k.removeprefix("target-"): v
        for k, v in request.form.items()
        if k.startswith("target-") and v in ("1", "2", "3", "4", "5")
    }
    with page_unit_of_work() as (session, principal, cache):
        try:
            sessions.update_assessment(
                session=session,
                principal=principal,
                cache=cache,
                assessment_id=assessment_id,
                changes={"targets": {k: float(v) for k, v in wanted.items()}},
            )
        except ApiError as exc:
            return _back("pages.overview", exc, assessment_id=assessment_id)
    return redirect(url_for("pages.overview", assessment_id=assessment_id))


@bp.route("/<assessment_id>/areas/<area>", methods=["GET", "POST"])
def questionnaire(assessment_id: str, area: str) -> ResponseReturnValue:
    """The questions of one area; answers autosave (and the form saves them without script)."""
    with page_unit_of_work() as (session, principal, cache):
        seen = _seen(session, principal, cache, assessment_id)
        definition = seen.framework.area(area)
        if definition is None:
            raise ApiError(404, "not_found")
        error = error_title(request.args.get("error"))
        if request.method == "POST":
            keys = [indicator.key for indicator in definition.indicators]
            session.rollback()  # end the read transaction: each save is its own unit of work
            error = _save_form(session, principal, cache, assessment_id, keys, request.form)
            if error is None:
                return redirect(
                    url_for("pages.questionnaire", assessment_id=assessment_id, area=area, saved=1)
                )
        mine = {
            a.indicator: a
            for a in answers.list_answers(
                session=session, seen=seen, principal=principal, mine=True
            )
        }
        offered = {
            o.indicator: o
            for o in prefill.offers_for(session=session, seen=seen, cache=cache)
            if o.area == area
        }
        return render_template(
            "assessment/questionnaire.html",
            a=seen.assessment,
            area=definition,
            mine=mine,
            offered=offered,
            agreed=prefill.agreed_values(session, assessment_id),
            can_confirm=seen.is_coordinator and seen.assessment.status == "in_progress",
            framework=seen.framework,
            editable=seen.assessment.status == "in_progress" and area in seen.assigned_areas(),
            choices=CHOICES,
            error=error,
            saved=request.args.get("saved"),
        )


def _save_form(
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    keys: list[str],
    form: MultiDict[str, str],
) -> str | None:
    for key in keys:
        value = form.get(f"value-{key}")
        if not value:
            continue
        try:
            with session.begin():
                autosave.save_answer(
                    connection=session.connection(),
                    principal=principal,
                    cache=cache,
                    facts=current_app.extensions["assessment.facts"],
                    assessment_id=assessment_id,
                    indicator=key,
                    value=int(value) if value.isdigit() else value,
                    confidence=form.get(f"confidence-{key}") or None,
                    comment=form.get(f"comment-{key}", "")[:4000],
                    evidence=form.get(f"evidence-{key}", "")[:4000],
                )
        except ApiError as exc:
            return error_title(exc.code)
    return None


@bp.post("/<assessment_id>/areas/<area>/prefill")
def confirm_prefill(assessment_id: str, area: str) -> ResponseReturnValue:
    """Confirm the pre-filled answers of one area (coordinators)."""
    with page_unit_of_work() as (session, principal, cache):
        try:
            prefill.confirm_offers(
                session=session,
                principal=principal,
                cache=cache,
                assessment_id=assessment_id,
                indicators=request.form.getlist("indicator"),
            )
        except ApiError as exc:
            return _back("pages.questionnaire", exc, assessment_id=assessment_id, area=area)
    return redirect(url_for("pages.questionnaire", assessment_id=assessment_id, area=area))


@bp.get("/<assessment_id>/consensus")
def consensus(assessment_id: str) -> ResponseReturnValue:
    """The disagreement view: everyone's answers, spread, and the agreed answer."""
    with page_unit_of_work() as (session, principal, cache):
        seen = _seen(session, principal, cache, assessment_id)
        access.require_coordinator(seen)
        rows = results.consensus_rows(session=session, seen=seen)
        return render_template(
            "assessment/consensus.html",
            a=seen.assessment,
            rows=rows,
            framework=seen.framework,
            choices=CHOICES,
            error=error_title(request.args.get("error")),
        )


@bp.post("/<assessment_id>/agreed/<indicator>")
def agree(assessment_id: str, indicator: str) -> ResponseReturnValue:
    """Record the agreed answer from the disagreement view."""
    value = request.form.get("value", "")
    with page_unit_of_work() as (session, principal, cache):
        try:
            answers.record_agreed(
                session=session,
                principal=principal,
                cache=cache,
                assessment_id=assessment_id,
                indicator=indicator,
                value=int(value) if value.isdigit() else value,
                comment=request.form.get("comment", "")[:4000],
            )
        except ApiError as exc:
            return _back("pages.consensus", exc, assessment_id=assessment_id)
    return redirect(url_for("pages.consensus", assessment_id=assessment_id))


@bp.get("/<assessment_id>/results")
def results_page(assessment_id: str) -> ResponseReturnValue:
    """Scores with the radar chart, why each level, feasibility, priorities and roadmap."""
    with page_unit_of_work() as (session, principal, cache):
        seen = _seen(session, principal, cache, assessment_id)
        document = results.current(session=session, seen=seen, cache=cache)
    language, t = g.language, page_texts()
    radar = radar_svg(
        [Axis(pick(a["name"], language), a["score"], a["target"]) for a in document["areas"]],
        title=t.gettext(RADAR_TITLE),
        value_label=t.gettext(RADAR_VALUE),
        target_label=t.gettext(RADAR_TARGET),
    )
    priorities = {p["recommendation"]["key"]: p for p in document["priorities"]}
    return render_template(
        "assessment/results.html",
        a=seen.assessment,
        r=document,
        radar=radar,
        framework=seen.framework,
        priorities=priorities,
        peers=peer_pages.section(assessment_id),
        plan=action_pages.section(seen.assessment, principal),
    )


@bp.post("/<assessment_id>/submit")
def submit(assessment_id: str) -> ResponseReturnValue:
    """Submit from the overview page."""
    with page_unit_of_work() as (session, principal, cache):
        try:
            sessions.submit_assessment(
                session=session, principal=principal, cache=cache, assessment_id=assessment_id
            )
        except ApiError as exc:
            return _back("pages.overview", exc, assessment_id=assessment_id)
    return redirect(url_for("pages.results_page", assessment_id=assessment_id))


@bp.post("/<assessment_id>/reopen")
def reopen(assessment_id: str) -> ResponseReturnValue:
    """Reopen from the overview page (a reason is required and recorded)."""
    with page_unit_of_work() as (session, principal, cache):
        try:
            sessions.reopen_assessment(
                session=session,
                principal=principal,
                cache=cache,
                assessment_id=assessment_id,
                reason=request.form.get("reason", "").strip()[:1000] or "-",
            )
        except ApiError as exc:
            return _back("pages.overview", exc, assessment_id=assessment_id)
    return redirect(url_for("pages.overview", assessment_id=assessment_id))
