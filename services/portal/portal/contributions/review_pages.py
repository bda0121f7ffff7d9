"""The editors' pages of members' contributions under ``/editor/contributions``: those waiting
for review, one contribution with its file versions and remarks, and the decisions (ask the
contributor for changes with a remark, publish, archive).

Thin views over the API's use case (``records.review``) and input schemas, so a page decides
exactly as the API does: changes are asked of a contribution in review, with a remark, and an
editor who changed the item cannot publish it. Plain HTML forms, no script.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from portal.catalogue.forms import form_errors
from portal.contributions import records
from portal.contributions import schemas as s
from portal.contributions.texts import REVIEW_STEPS, STATUSES
from portal.models import Administration
from shared.auth import Principal, Role
from shared.db import Database
from shared.errors import ApiError
from shared.pages import error_title, signed_in

bp = Blueprint("contribution_review_pages", __name__, url_prefix="/editor/contributions")

TABS = ("in_review", "changes_requested", "published", "archived")
# decision -> the use case's action and the input schema of its form
DECISIONS = {
    "request-changes": ("request_changes", s.RemarkInputSchema),
    "publish": ("publish", s.DecisionSchema),
    "archive": ("archive", s.DecisionSchema),
}


@bp.context_processor
def _texts() -> dict[str, Any]:
    """The labels of a contribution's status and review steps (translated at use)."""
    return {"contribution_statuses": STATUSES, "review_steps": REVIEW_STEPS}


def _db() -> Database:
    database: Database = current_app.extensions["db"]
    return database


def _editor() -> Principal:
    principal = signed_in()
    if not principal.has_any(Role.EDITOR):
        raise ApiError(403, "forbidden")
    return principal


@bp.get("/")
def review_queue() -> ResponseReturnValue:
    """The members' contributions in one state (those waiting for review first)."""
    principal = _editor()
    status = request.args.get("status", TABS[0])
    status = status if status in TABS else TABS[0]
    with _db().session() as session:
        found, total = records.list_contributions(
            session=session, principal=principal, status=status, page=1, page_size=100
        )
        views = [records.describe(session, c) for c in found]
    return render_template(
        "portal/editor/contributions.html",
        contributions=views,
        total=total,
        status=status,
        tabs=TABS,
    )


def _detail(
    contribution_id: str, errors: dict[str, Any], form: Any, status: int = 200
) -> ResponseReturnValue:
    principal = _editor()
    with _db().session() as session:
        contribution = records.load(
            session=session, principal=principal, contribution_id=contribution_id
        )
        view = records.describe(session, contribution)
        administration = session.get(Administration, contribution.administration_id)
        changed_by_caller = principal.subject in contribution.item.contributors
    done = request.args.get("done")
    error = request.args.get("error")
    page = render_template(
        "portal/editor/contribution.html",
        c=view,
        administration=administration.name if administration else "",
        can_publish=not changed_by_caller,
        errors=errors,
        form=form,
        done=done if done in DECISIONS else None,
        error=error_title(error),
    )
    return page, status


@bp.get("/<contribution_id>")
def review_contribution(contribution_id: str) -> ResponseReturnValue:
    """One contribution for its review: description, file versions, remarks and decisions."""
    return _detail(contribution_id, {}, {})


@bp.post("/<contribution_id>/<decision>")
def decide(contribution_id: str, decision: str) -> ResponseReturnValue:
    """Ask the contributor for changes (a remark is needed), publish or archive the
    contribution."""
    principal = _editor()
    if decision not in DECISIONS:
        raise ApiError(404, "not_found")
    action, schema = DECISIONS[decision]
    try:
        note = schema().load({"note": request.form.get("note", "").strip()})["note"]
        records.review(
            db=_db(),
            principal=principal,
            contribution_id=contribution_id,
            action=action,
            note=note,
            cache=current_app.extensions["portal.cache"],
        )
    except ValidationError as refused:
        return _detail(contribution_id, form_errors(refused, g.language), request.form, 422)
    except ApiError as refused:
        if refused.status == 404:
            raise
        return redirect(
            url_for(".review_contribution", contribution_id=contribution_id, error=refused.code),
            303,
        )
    return redirect(
        url_for(".review_contribution", contribution_id=contribution_id, done=decision), 303
    )
