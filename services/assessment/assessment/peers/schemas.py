"""Request and response schemas of the peer-learning API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from assessment.peers.aggregate import REGIONS
from assessment.peers.published import NOT_ENOUGH, PUBLISHED
from shared.text import InputSchema
from shared.timestamps import Timestamp

REGION = validate.OneOf(sorted(REGIONS))


def _texts(**kwargs: object) -> fields.Dict:
    """An English and French text."""
    return fields.Dict(keys=fields.String(), values=fields.String(), **kwargs)  # type: ignore[arg-type]


class FrameworkRefSchema(Schema):
    """A framework version."""

    key = fields.String()
    version = fields.String()


class PeerLearningInSchema(InputSchema):
    """The region a coordinator opts an assessment in to (one of the six WCO regions)."""

    region = fields.String(required=True, validate=REGION)


class PeerLearningSchema(Schema):
    """Whether an assessment contributes to a regional aggregate."""

    assessment_id = fields.String()
    opted_in = fields.Boolean()
    region = fields.String(allow_none=True)
    region_name = _texts(allow_none=True)
    framework = fields.Nested(FrameworkRefSchema)
    opted_in_at = Timestamp(allow_none=True)
    can_opt_in = fields.Boolean(metadata={"description": "Only submitted assessments opt in"})


class AggregateQuerySchema(InputSchema):
    """Which aggregate: a region and a framework version."""

    region = fields.String(required=True, validate=REGION)
    framework = fields.String(required=True, validate=validate.Length(min=1, max=64))
    version = fields.String(required=True, validate=validate.Length(min=1, max=32))


class ComparisonQuerySchema(InputSchema):
    """Which region to compare with (default: the one the assessment is opted in to)."""

    region = fields.String(load_default=None, validate=REGION)


class AreaDistributionSchema(Schema):
    """One area's distribution; below the threshold only its status, with no figure at all."""

    area = fields.String()
    name = _texts()
    status = fields.String(validate=validate.OneOf([PUBLISHED, NOT_ENOUGH]))
    participants = fields.Integer(
        metadata={"description": "Administrations counted (only when published: 5 or more)"}
    )
    first_quartile = fields.Float()
    median = fields.Float()
    third_quartile = fields.Float()


class PeerAggregatesSchema(Schema):
    """A region's distributions per area for one framework version."""

    region = fields.String()
    region_name = _texts()
    framework = fields.Nested(FrameworkRefSchema)
    threshold = fields.Integer(metadata={"description": "Administrations needed to publish"})
    areas = fields.List(fields.Nested(AreaDistributionSchema))
    reminder = _texts()


class ComparedAreaSchema(Schema):
    """An area's own score beside the region's distribution."""

    area = fields.String()
    name = _texts()
    own_score = fields.Float(allow_none=True)
    own_level = fields.Integer(allow_none=True)
    peers = fields.Nested(AreaDistributionSchema, allow_none=True)


class PeerComparisonSchema(Schema):
    """An assessment's own scores beside its region's distribution: not a benchmark."""

    assessment_id = fields.String()
    framework = fields.Nested(FrameworkRefSchema)
    opted_in_region = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    region_name = _texts(allow_none=True)
    threshold = fields.Integer()
    areas = fields.List(fields.Nested(ComparedAreaSchema))
    reminder = _texts()
