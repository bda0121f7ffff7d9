"""Request and response schemas of the reports API."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from reports.models import JobStatus, ReportFile
from shared.i18n import SUPPORTED
from shared.paging import PageQuerySchema
from shared.text import InputSchema
from shared.timestamps import Timestamp

LANGUAGES = list(SUPPORTED)
API_PREFIX = "/api/v1/reports"


class ReportFileSchema(Schema):
    """One downloadable format of a report."""

    format = fields.String()
    media_type = fields.String()
    filename = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.Method("_url", metadata={"description": "Where to download the file"})

    def _url(self, row: ReportFile) -> str:
        return f"{API_PREFIX}/reports/{row.report_id}/files/{row.format}"


class ReportSchema(Schema):
    """A report (one job) as the API shows it."""

    id = fields.String(dump_only=True)
    assessment_id = fields.String()
    version = fields.Integer()
    language = fields.String()
    revision = fields.Integer(
        metadata={
            "description": "1, then one more each time the report is built again from "
            "the same submission (a peer-learning opt-in or opt-out); the latest is current"
        }
    )
    title = fields.String()
    status = fields.String(
        metadata={"enum": [status.value for status in JobStatus]},
    )
    reason = fields.String(allow_none=True, metadata={"description": "Why it failed"})
    attempts = fields.Integer()
    formats = fields.Method("_formats")
    created_at = Timestamp()
    updated_at = Timestamp()
    finished_at = Timestamp(allow_none=True)

    def _formats(self, job: Any) -> list[dict[str, Any]]:
        if job.status != JobStatus.READY:
            return []
        dumped: list[dict[str, Any]] = ReportFileSchema(many=True).dump(job.files)
        return dumped


class ReportQuerySchema(PageQuerySchema):
    """Page and filters of the report list."""

    class Meta:
        unknown = EXCLUDE

    assessment_id = fields.String(validate=validate.Length(min=1, max=64))
    status = fields.String(validate=validate.OneOf([status.value for status in JobStatus]))


class RegenerateSchema(InputSchema):
    """What a coordinator sends to have a report built in a language."""

    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))


class NotificationSchema(Schema):
    """A notification, rendered in the reader's language."""

    id = fields.String()
    code = fields.String(
        metadata={"description": "Stable machine code (report_ready, forum_replied, ...)"}
    )
    title = fields.String()
    body = fields.String()
    report_id = fields.String(allow_none=True)
    url = fields.String(
        allow_none=True,
        metadata={
            "description": "Page the notification leads to (an import's page, a forum thread), "
            "if any"
        },
    )
    params = fields.Dict()
    read = fields.Boolean()
    created_at = Timestamp()
    read_at = Timestamp(allow_none=True)


class NotificationPageSchema(Schema):
    """One page of the caller's notifications with the unread count."""

    items = fields.List(fields.Nested(NotificationSchema))
    unread = fields.Integer()
    total = fields.Integer()
    page = fields.Integer()
    page_size = fields.Integer()


class NotificationQuerySchema(PageQuerySchema):
    """Paging and filter of the notification list."""

    unread = fields.Boolean(load_default=False, metadata={"description": "Only unread ones"})


class ReadAllSchema(InputSchema):
    """How many notifications were marked read."""

    marked = fields.Integer()
    unread = fields.Integer()
