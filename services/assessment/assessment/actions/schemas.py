"""Request and response schemas of the action plan API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from assessment.actions.models import STATUSES
from assessment.framework import LEVELS
from shared.paging import PageQuerySchema
from shared.text import MULTILINE, InputSchema
from shared.timestamps import Timestamp

KEY = fields.String(validate=validate.Length(min=1, max=64))
KEYS = validate.Length(max=50)
NOTE = validate.Length(max=4000)
LEVEL = validate.Range(min=min(LEVELS), max=max(LEVELS))
# http(s) and printable ASCII only (no space, no control): never javascript:, data: or a file.
LINK = validate.Regexp(r"^https?://[!-~]+$", error="must be an http or https address (no spaces)")


class PlanCreateSchema(InputSchema):
    """Which priorities become actions (none named: the first ``limit`` in rank order)."""

    indicators = fields.List(
        KEY,
        load_default=None,
        validate=validate.Length(min=1, max=200),
        metadata={"description": "Indicator keys of the priorities to plan for"},
    )
    limit = fields.Integer(
        load_default=10,
        validate=validate.Range(min=1, max=200),
        metadata={"description": "How many of the top priorities, when none is named"},
    )


class EvidenceInSchema(InputSchema):
    """What shows an action is done: a note, a link or a portal contribution (any of them)."""

    note = fields.String(validate=NOTE, metadata={MULTILINE: True})
    link = fields.String(
        allow_none=True,
        validate=[validate.Length(max=2000), LINK],
        metadata={"description": "An http or https address"},
    )
    contribution_id = fields.String(allow_none=True, validate=validate.Length(max=64))


class ActionInSchema(InputSchema):
    """A new action of a plan."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=NOTE, metadata={MULTILINE: True})
    indicators = fields.List(KEY, load_default=list, validate=KEYS)
    recommendations = fields.List(KEY, load_default=list, validate=KEYS)
    owner_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    target_date = fields.Date(required=True)
    target_level = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=LEVEL,
        metadata={"description": "A level of the framework's scale (1-5)"},
    )


class ActionUpdateSchema(InputSchema):
    """Changes to an action: an owner may send only ``status`` and ``evidence``."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    description = fields.String(validate=NOTE, metadata={MULTILINE: True})
    indicators = fields.List(KEY, validate=KEYS)
    recommendations = fields.List(KEY, validate=KEYS)
    owner_id = fields.String(validate=validate.Length(min=1, max=64))
    target_date = fields.Date()
    target_level = fields.Integer(allow_none=True, validate=LEVEL)
    status = fields.String(
        validate=validate.OneOf(STATUSES),
        metadata={"description": "done needs evidence (sent now or recorded before)"},
    )
    evidence = fields.Nested(EvidenceInSchema)


class EvidenceSchema(Schema):
    """An action's evidence."""

    note = fields.String()
    link = fields.String(allow_none=True)
    contribution_id = fields.String(allow_none=True)


class ActionSchema(Schema):
    """An action as the API shows it, with whether it is overdue today."""

    id = fields.String()
    plan_id = fields.String()
    assessment_id = fields.String()
    position = fields.Integer()
    title = fields.String()
    description = fields.String()
    indicators = fields.List(fields.String())
    recommendations = fields.List(fields.String())
    owner_id = fields.String()
    owner_name = fields.String()
    target_date = fields.Date()
    target_level = fields.Integer(allow_none=True, validate=LEVEL)
    status = fields.String(metadata={"enum": list(STATUSES)})
    evidence = fields.Nested(EvidenceSchema)
    overdue = fields.Boolean(
        metadata={"description": "The target date has passed and it is neither done nor dropped"}
    )
    created_by = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    completed_at = Timestamp(allow_none=True)


class ActionLogSchema(Schema):
    """One change of an action: who, when, which fields from what to what."""

    change = fields.String()
    actor = fields.String()
    detail = fields.Dict()
    at = Timestamp()


class ActionDetailSchema(ActionSchema):
    """An action with its log of changes."""

    log = fields.List(fields.Nested(ActionLogSchema))


class PlanSchema(Schema):
    """An assessment's action plan with its actions and counts per status."""

    id = fields.String()
    assessment_id = fields.String()
    created_by = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    actions = fields.List(fields.Nested(ActionSchema))


class MyActionsQuerySchema(PageQuerySchema):
    """Page and filters of the caller's actions."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean()


class ProgressActionSchema(Schema):
    """An action of the earlier plan addressing an indicator."""

    id = fields.String()
    title = fields.String()
    status = fields.String(metadata={"enum": list(STATUSES)})
    target_date = fields.Date()
    target_level = fields.Integer(allow_none=True)
    completed_at = Timestamp(allow_none=True)
    overdue = fields.Boolean()


class IndicatorProgressSchema(Schema):
    """One indicator: its level at the earlier assessment and now, and the actions since."""

    indicator = fields.String()
    area = fields.String()
    level_then = fields.Raw(
        allow_none=True,
        metadata={
            "description": "A level 1-5 (a median may be fractional), 'dont_know', "
            "'not_applicable', or null when not answered"
        },
    )
    level_now = fields.Raw(allow_none=True, metadata={"description": "As level_then, now"})
    change = fields.Float(allow_none=True, metadata={"description": "Now minus then (levels)"})
    actions = fields.List(fields.Nested(ProgressActionSchema))


class PreviousSchema(Schema):
    """The earlier assessment compared with."""

    assessment_id = fields.String()
    title = fields.String()
    framework_version = fields.String()
    submitted_at = Timestamp(allow_none=True)


class ProgressSchema(Schema):
    """Progress since the earlier assessment of the same administration and framework."""

    assessment_id = fields.String()
    previous = fields.Nested(PreviousSchema, allow_none=True)
    indicators = fields.List(fields.Nested(IndicatorProgressSchema))
    summary = fields.Dict(keys=fields.String(), values=fields.Integer())
