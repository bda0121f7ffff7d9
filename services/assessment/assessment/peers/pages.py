"""The peer section of the results page: own scores beside the regional distribution, and the
coordinator's form to opt the assessment in or out."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue

from assessment.peers import participation, published
from assessment.peers.aggregate import REGIONS
from assessment.peers.texts import REMINDER
from shared.auth import Role, optional_principal
from shared.errors import ApiError
from shared.pages import error_title

bp = Blueprint("peer_pages", __name__, url_prefix="/assessment")


def section(assessment_id: str) -> dict[str, Any] | None:
    """Return what the results page shows of peer learning (None: nothing for this caller)."""
    principal = optional_principal()
    if principal is None:
        return None
    db, cache = current_app.extensions["db"], current_app.extensions["frameworks"]
    threshold = participation.threshold_of(current_app.config)
    with db.session() as session:
        status = participation.participation(
            session=session, principal=principal, cache=cache, assessment_id=assessment_id
        )
    with db.session() as session:
        compared = published.comparison(
            session=session,
            principal=principal,
            cache=cache,
            assessment_id=assessment_id,
            threshold=threshold,
        )
    error = request.args.get("peer_error")
    return {
        "reminder": REMINDER,
        "regions": REGIONS,
        "status": status,
        "comparison": compared,
        "can_manage": principal.has_any(Role.COORDINATOR),
        "error": error_title(error),
    }


@bp.post("/<assessment_id>/peer-learning")
def change(assessment_id: str) -> ResponseReturnValue:
    """Opt the assessment in to the chosen region, or out (``action=out``), from the page."""
    principal = optional_principal()
    if principal is None:
        return redirect(f"/login?next=/assessment/{assessment_id}/results")
    back: dict[str, Any] = {"assessment_id": assessment_id, "_anchor": "peers"}
    uses = {
        "principal": principal,
        "cache": current_app.extensions["frameworks"],
        "assessment_id": assessment_id,
        "threshold": participation.threshold_of(current_app.config),
    }
    try:
        with current_app.extensions["db"].session(write=True) as session:
            if request.form.get("action") == "out":
                participation.opt_out(session=session, **uses)
            else:
                participation.opt_in(session=session, region=request.form.get("region", ""), **uses)
    except ApiError as exc:
        if exc.status == 404:
            raise
        back["peer_error"] = exc.code
    return redirect(url_for("pages.results_page", **back))
