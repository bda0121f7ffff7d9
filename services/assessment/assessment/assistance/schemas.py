"""Request and response schemas of the capacity-building request API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from assessment.assistance.models import STATUSES
from shared.payloads import ASSISTANCE_FORMATS, HORIZONS
from shared.text import MULTILINE, InputSchema
from shared.timestamps import Timestamp

KEY = fields.String(validate=validate.Length(min=1, max=64))
NOTES = validate.Length(max=4000)
LANGUAGE = fields.String(
    validate=validate.OneOf(["en", "fr"]),
    metadata={"description": "The language the assistance should be given in"},
)


class RequestInSchema(InputSchema):
    """A new request: which gaps, what help, by when, in which language and format."""

    topic = fields.String(required=True, validate=validate.Length(min=1, max=200))
    indicators = fields.List(
        KEY,
        required=True,
        validate=validate.Length(min=1, max=50),
        metadata={"description": "Indicator keys among the assessment's priorities (its gaps)"},
    )
    horizon = fields.String(
        required=True,
        validate=validate.OneOf(HORIZONS),
        metadata={"description": "Within how many months: 0-6, 6-18 or 18-36"},
    )
    language = LANGUAGE
    formats = fields.List(
        fields.String(validate=validate.OneOf(ASSISTANCE_FORMATS)),
        required=True,
        validate=validate.Length(min=1, max=len(ASSISTANCE_FORMATS)),
    )
    notes = fields.String(load_default="", validate=NOTES, metadata={MULTILINE: True})


class RequestUpdateSchema(InputSchema):
    """Changes to a draft (any of the fields of a new request)."""

    topic = fields.String(validate=validate.Length(min=1, max=200))
    indicators = fields.List(KEY, validate=validate.Length(min=1, max=50))
    horizon = fields.String(validate=validate.OneOf(HORIZONS))
    language = LANGUAGE
    formats = fields.List(
        fields.String(validate=validate.OneOf(ASSISTANCE_FORMATS)),
        validate=validate.Length(min=1, max=len(ASSISTANCE_FORMATS)),
    )
    notes = fields.String(validate=NOTES, metadata={MULTILINE: True})


class GapSchema(Schema):
    """One indicator a request is about, with its level at the submission and its target."""

    indicator = fields.String()
    area = fields.String()
    current = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)


class MatchSchema(Schema):
    """A portal resource or an administration the operators matched to the request."""

    kind = fields.String()
    id = fields.String()
    name = fields.String()
    url = fields.String()


class RequestSchema(Schema):
    """A capacity-building request as its administration sees it."""

    id = fields.String()
    assessment_id = fields.String()
    assessment_version = fields.Integer()
    topic = fields.String()
    areas = fields.List(fields.String())
    indicators = fields.List(fields.Nested(GapSchema))
    horizon = fields.String()
    language = fields.String()
    formats = fields.List(fields.String())
    notes = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    operator_note = fields.String()
    matches = fields.List(fields.Nested(MatchSchema))
    created_by = fields.String()
    created_at = Timestamp()
    sent_at = Timestamp(allow_none=True)
