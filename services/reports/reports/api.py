"""HTTP API of the reports service (``/api/v1/reports``): thin views over use cases."""

from __future__ import annotations

import io
from typing import Any

from flask import Response, current_app, g, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from reports import jobs, notifications
from reports.builder import MEDIA_TYPES
from reports.celery_app import build_enqueuer
from reports.models import ReportJob
from reports.schemas import (
    NotificationPageSchema,
    NotificationQuerySchema,
    NotificationSchema,
    ReadAllSchema,
    RegenerateSchema,
    ReportQuerySchema,
    ReportSchema,
)
from shared.auth import Role, current_principal, require
from shared.paging import PAGE_HEADERS, paged

blp = Blueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/reports/reports",
    description="Reports of the caller's administration's submitted assessments",
)
notifications_blp = Blueprint(
    "notifications",
    __name__,
    url_prefix="/api/v1/reports/notifications",
    description="The caller's own notifications",
)
READERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)
FILE_CONTENT = {
    media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
    for media_type in MEDIA_TYPES.values()
}
FILE_HEADERS = {
    "ETag": {"description": "The file's SHA-256", "schema": {"type": "string"}},
    "Content-Disposition": {
        "description": "attachment, with the file name",
        "schema": {"type": "string"},
    },
}


def _session(write: bool = False) -> Any:
    return current_app.extensions["db"].session(write=write)


@blp.route("")
class Reports(MethodView):
    """The collection of the administration's reports."""

    @require(*READERS)
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the administration's reports, newest first."""
        with _session() as session:
            rows, total = jobs.list_reports(session=session, principal=current_principal(), **query)
        return paged(rows, total=total, query=query)


@blp.route("/<report_id>")
class ReportItem(MethodView):
    """One report."""

    @require(*READERS)
    @blp.response(200, ReportSchema)
    def get(self, report_id: str) -> ReportJob:
        """Read one report: its status, the reason of a failure and the formats available."""
        with _session() as session:
            return jobs.get_report(
                session=session, principal=current_principal(), report_id=report_id
            )


@blp.route("/<report_id>/files/<file_format>")
class ReportFileItem(MethodView):
    """One format of a ready report."""

    @require(*READERS)
    @blp.response(200, description="The file (HTML, PDF or XLSX), as an attachment")
    @blp.alt_response(
        304,
        description="Not modified (If-None-Match matched the ETag)",
        headers={"ETag": FILE_HEADERS["ETag"]},
    )
    @blp.doc(responses={"200": {"content": FILE_CONTENT, "headers": FILE_HEADERS}})
    def get(self, report_id: str, file_format: str) -> Response:
        """Download one format of a ready report."""
        with _session() as session:
            row, content = jobs.get_file(
                session=session,
                store=current_app.extensions["reports.store"],
                principal=current_principal(),
                report_id=report_id,
                fmt=file_format,
            )
        response = send_file(
            io.BytesIO(content),
            mimetype=row.media_type,
            as_attachment=True,
            download_name=row.filename,
            etag=row.sha256,
            conditional=True,
        )
        response.headers["Content-Type"] = row.media_type  # stored complete, charset included
        response.headers["Cache-Control"] = "private, no-cache"
        # A downloaded report must never run as a page of this origin.
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "sandbox"
        return response


@blp.route("/<report_id>/regenerate")
class ReportRegenerate(MethodView):
    """Having a report built in another language."""

    @require(Role.COORDINATOR)
    @blp.arguments(RegenerateSchema)
    @blp.response(202, ReportSchema, description="The report is queued for building")
    @blp.alt_response(200, schema=ReportSchema, description="Already building or ready")
    def post(self, data: dict[str, Any], report_id: str) -> tuple[ReportJob, int]:
        """Build the same submission's report in the given language (repeating is harmless)."""
        with _session(write=True) as session:
            job, queued = jobs.regenerate_report(
                session=session,
                principal=current_principal(),
                report_id=report_id,
                language=data["language"],
                enqueue=build_enqueuer(current_app),
            )
        return job, 202 if queued else 200


def _rendered(item: Any, language: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "code": item.code,
        "report_id": item.report_id,
        "url": notifications.link(item),
        "params": item.params or {},
        "read": item.read_at is not None,
        "created_at": item.created_at,
        "read_at": item.read_at,
        **notifications.render(item, language),
    }


@notifications_blp.route("")
class Notifications(MethodView):
    """The caller's notifications."""

    @require()
    @notifications_blp.arguments(NotificationQuerySchema, location="query")
    @notifications_blp.response(200, NotificationPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List the caller's notifications, newest first, with the unread count."""
        with _session() as session:
            rows, total, unread = notifications.list_notifications(
                session=session,
                principal=current_principal(),
                page=query["page"],
                page_size=query["page_size"],
                unread_only=query["unread"],
            )
        return {
            "items": [_rendered(row, g.language) for row in rows],
            "unread": unread,
            "total": total,
            "page": query["page"],
            "page_size": query["page_size"],
        }


@notifications_blp.route("/<notification_id>/read")
class NotificationRead(MethodView):
    """Marking one notification read."""

    @require()
    @notifications_blp.response(200, NotificationSchema)
    def post(self, notification_id: str) -> dict[str, Any]:
        """Mark one of the caller's notifications read."""
        with _session(write=True) as session:
            item = notifications.mark_read(
                session=session, principal=current_principal(), notification_id=notification_id
            )
        return _rendered(item, g.language)


@notifications_blp.route("/read-all")
class NotificationReadAll(MethodView):
    """Marking every notification read."""

    @require()
    @notifications_blp.response(200, ReadAllSchema)
    def post(self) -> dict[str, int]:
        """Mark all the caller's notifications read."""
        with _session(write=True) as session:
            marked = notifications.mark_all_read(session=session, principal=current_principal())
        return {"marked": marked, "unread": 0}
