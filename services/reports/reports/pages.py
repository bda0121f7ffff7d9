"""Browser pages of the reports service under ``/reports``: notifications (with the choice of
a forum digest e-mail) and reports."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from reports import administrations, digests, jobs, notifications, report_revisions
from reports.digest_schemas import DigestPreferenceSchema
from reports.models import ReportJob
from shared.auth import optional_principal
from shared.errors import ApiError
from shared.translations import N_

bp = Blueprint(
    "pages",
    __name__,
    url_prefix="/reports",
    template_folder="templates",
    static_folder="static",  # live.js, at /reports/assets/
    static_url_path="/assets",
)

# A report's status as the page shows it (the catalog translates them).
STATUS_LABELS = {
    "queued": N_("Queued"),
    "building": N_("Building"),
    "ready": N_("Ready"),
    "failed": N_("Failed"),
}
# The digest frequencies as the form offers them.
DIGEST_LABELS = {
    "none": N_("No e-mail (notifications here only)"),
    "daily": N_("Daily digest"),
    "weekly": N_("Weekly digest (Mondays)"),
}


@bp.get("/")
def index() -> ResponseReturnValue:
    """The caller's notifications and the administration's reports."""
    principal = optional_principal()
    if principal is None:
        return redirect(f"/login?next={request.full_path.rstrip('?')}")
    with current_app.extensions["db"].session() as session:
        items, _total, unread = notifications.list_notifications(
            session=session, principal=principal, page=1, page_size=20
        )
        rendered = [
            {
                **notifications.render(n, g.language),
                "id": n.id,
                "url": notifications.link(n),
                "read": n.read_at is not None,
                "created_at": n.created_at,
            }
            for n in items
        ]
        reports: list[ReportJob] = []
        latest: dict[str, int] = {}
        administration_name = None
        if principal.administration_id:
            reports, _ = jobs.list_reports(
                session=session, principal=principal, page=1, page_size=50
            )
            latest = report_revisions.latest_revisions(session, reports)
            administration_name = administrations.name_of(session, principal.administration_id)
        digest = (
            digests.get_preference(session=session, principal=principal)
            if principal.has_any(*digests.PEOPLE)
            else None
        )
        return render_template(
            "reports/index.html",
            notifications=rendered,
            unread=unread,
            reports=reports,
            latest=latest,
            administration_name=administration_name,
            status_labels=STATUS_LABELS,
            digest=digest,
            digest_labels=DIGEST_LABELS,
        )


@bp.post("/notifications/read-all")
def read_all() -> ResponseReturnValue:
    """Mark every notification read (form on the page)."""
    principal = optional_principal()
    if principal is None:
        raise ApiError(401, "unauthenticated")
    with current_app.extensions["db"].session(write=True) as session:
        notifications.mark_all_read(session=session, principal=principal)
    return redirect(url_for("pages.index"))


@bp.post("/notifications/digest")
def choose_digest() -> ResponseReturnValue:
    """Choose the forum digest e-mail's frequency (form on the page)."""
    principal = optional_principal()
    if principal is None:  # e.g. the session ended while the page was open: sign in again
        return redirect(f"/login?next={url_for('pages.index')}")
    if not principal.has_any(*digests.PEOPLE):
        raise ApiError(403, "forbidden")
    try:
        data = DigestPreferenceSchema().load({"frequency": request.form.get("frequency", "")})
    except ValidationError as exc:
        raise ApiError(422, "validation_failed", errors=exc.normalized_messages()) from exc
    with current_app.extensions["db"].session(write=True) as session:
        digests.set_preference(session=session, principal=principal, frequency=data["frequency"])
    return redirect(url_for("pages.index", saved="digest") + "#digest")
