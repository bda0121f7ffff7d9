"""Request and response schemas of the assessment API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class AssessmentCreateSchema(Schema):
    """What a coordinator sends to start an assessment."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    language = fields.String(load_default="en", validate=validate.OneOf(["en", "fr"]))


class AssessmentSchema(Schema):
    """An assessment as the API shows it."""

    id = fields.String(dump_only=True)
    title = fields.String()
    language = fields.String()
    framework_key = fields.String()
    framework_version = fields.String()
    status = fields.String()
    version = fields.Integer()
    created_by = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    submitted_by = fields.String(allow_none=True)


class AssessmentQuerySchema(Schema):
    """Filters of the assessment list."""

    status = fields.String(validate=validate.OneOf(["in_progress", "submitted"]))
