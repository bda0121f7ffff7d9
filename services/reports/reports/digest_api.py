"""``/api/v1/reports/notifications/preferences``: the caller's own choice of an e-mail digest
of their forum notifications (thin views over ``reports.digests``)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView

from reports import digests
from reports.api import notifications_blp
from reports.digest_schemas import DigestPreferenceSchema
from shared.auth import current_principal, require

PEOPLE = digests.PEOPLE


@notifications_blp.route("/preferences")
class NotificationPreferences(MethodView):
    """The caller's notification preferences."""

    @require(*PEOPLE)
    @notifications_blp.response(200, DigestPreferenceSchema)
    def get(self) -> dict[str, Any]:
        """Read the caller's digest frequency (none until they choose one)."""
        with current_app.extensions["db"].session() as session:
            frequency = digests.get_preference(session=session, principal=current_principal())
        return {"frequency": frequency}

    @require(*PEOPLE)
    @notifications_blp.arguments(DigestPreferenceSchema)
    @notifications_blp.response(200, DigestPreferenceSchema)
    def put(self, data: dict[str, Any]) -> dict[str, Any]:
        """Choose the caller's digest frequency: none, daily or weekly."""
        with current_app.extensions["db"].session(write=True) as session:
            frequency = digests.set_preference(
                session=session, principal=current_principal(), frequency=data["frequency"]
            )
        return {"frequency": frequency}
