"""Request and response schemas of the assistance queue and the expertise registry."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from portal.assistance.models import OPERATOR_STATUSES, STATUSES
from shared.paging import PageQuerySchema
from shared.text import MULTILINE, InputSchema
from shared.timestamps import Timestamp

AREA = fields.String(validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$"))


class CaseQuerySchema(PageQuerySchema):
    """Filters of the queue."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    area = AREA


class MatchInSchema(InputSchema):
    """A published portal resource or another administration matched to a request."""

    kind = fields.String(required=True, validate=validate.OneOf(["resource", "administration"]))
    id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(validate=validate.Length(max=200))


class CaseUpdateSchema(InputSchema):
    """An operator's move: the status, a note to the requester, the matches."""

    status = fields.String(validate=validate.OneOf(OPERATOR_STATUSES))
    note = fields.String(validate=validate.Length(max=4000), metadata={MULTILINE: True})
    matches = fields.List(fields.Nested(MatchInSchema), validate=validate.Length(max=20))


class GapSchema(Schema):
    """An indicator the request is about, with its level now and the one aimed at."""

    indicator = fields.String()
    area = fields.String()
    current = fields.Float(allow_none=True)
    target = fields.Float(allow_none=True)


class MatchSchema(Schema):
    """A match as the requester will see it."""

    kind = fields.String()
    id = fields.String()
    name = fields.String()
    url = fields.String()


class CaseSchema(Schema):
    """A request in the operators' queue."""

    request_id = fields.String()
    administration_id = fields.String()
    administration_name = fields.String()
    topic = fields.String()
    areas = fields.List(fields.String())
    indicators = fields.List(fields.Nested(GapSchema))
    horizon = fields.String()
    language = fields.String()
    formats = fields.List(fields.String())
    notes = fields.String()
    sent_at = fields.String()
    status = fields.String()
    note = fields.String()
    matches = fields.List(fields.Nested(MatchSchema))
    received_at = Timestamp()
    updated_at = Timestamp()


class SuggestionSchema(Schema):
    """Another administration that volunteered expertise in one of the request's areas."""

    administration_id = fields.String()
    name = fields.String()
    areas = fields.List(fields.String())
    languages = fields.List(fields.String())
    note = fields.String()


class CaseDetailSchema(Schema):
    """A request and who could help."""

    case = fields.Nested(CaseSchema)
    suggestions = fields.List(fields.Nested(SuggestionSchema))


class OfferInSchema(InputSchema):
    """The areas an administration volunteers expertise in."""

    areas = fields.List(AREA, required=True, validate=validate.Length(min=1, max=20))
    languages = fields.List(
        fields.String(validate=validate.Regexp(r"^[a-z]{2}$")), load_default=list
    )
    note = fields.String(
        load_default="", validate=validate.Length(max=2000), metadata={MULTILINE: True}
    )


class OfferSchema(Schema):
    """An administration's offer of expertise."""

    administration_id = fields.String()
    areas = fields.List(fields.String())
    languages = fields.List(fields.String())
    note = fields.String()
    updated_at = Timestamp()
