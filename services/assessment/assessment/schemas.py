"""Request and response schemas of the assessment API."""

from __future__ import annotations

from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from assessment.scoring import DONT_KNOW, NOT_APPLICABLE
from shared.paging import PageQuerySchema
from shared.text import MULTILINE, InputSchema
from shared.timestamps import Timestamp

CONFIDENCES = ["low", "medium", "high"]
LANGUAGE = validate.OneOf(["en", "fr"])
TEXT = validate.Length(max=4000)


class AnswerValue(fields.Field):  # type: ignore[type-arg]
    """A level 1-5, ``dont_know`` or ``not_applicable``."""

    # What the OpenAPI document states: exactly what ``_deserialize`` accepts.
    DOCUMENTED = {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 5},
            {"type": "string", "enum": [DONT_KNOW, NOT_APPLICABLE]},
        ],
        "description": "A level from 1 to 5, 'dont_know' or 'not_applicable'",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metadata = {**self.DOCUMENTED, **self.metadata}

    default_error_messages = {
        "invalid": "Must be a level from 1 to 5, 'dont_know' or 'not_applicable'."
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int | str:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int) and 1 <= value <= 5:
            return value
        if value in (DONT_KNOW, NOT_APPLICABLE):
            return str(value)
        raise self.make_error("invalid")

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return value


Targets = fields.Dict(keys=fields.String(), values=fields.Float(validate=validate.Range(1, 5)))


class AssessmentCreateSchema(InputSchema):
    """What a coordinator sends to start an assessment."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    language = fields.String(load_default="en", validate=LANGUAGE)
    framework_key = fields.String(load_default="ai-ml-readiness")
    framework_version = fields.String(load_default=None)
    targets = fields.Dict(
        keys=fields.String(), values=fields.Float(validate=validate.Range(1, 5)), load_default=dict
    )


class AssessmentUpdateSchema(InputSchema):
    """Changes a coordinator may make to an open assessment."""

    title = fields.String(validate=validate.Length(min=1, max=200))
    language = fields.String(validate=LANGUAGE)
    targets = fields.Dict(keys=fields.String(), values=fields.Float(validate=validate.Range(1, 5)))


class AreaProgressSchema(Schema):
    """How far the answers of one area have come."""

    area = fields.String()
    answered = fields.Integer()
    total = fields.Integer()


class AssessmentSchema(Schema):
    """An assessment as the API shows it."""

    id = fields.String(dump_only=True)
    title = fields.String()
    language = fields.String()
    framework_key = fields.String()
    framework_version = fields.String()
    targets = fields.Dict()
    status = fields.String()
    version = fields.Integer()
    previous_id = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    submitted_at = Timestamp(allow_none=True)
    submitted_by = fields.String(allow_none=True)


class AssessmentDetailSchema(AssessmentSchema):
    """An assessment with its team and progress."""

    participants = fields.List(fields.Nested(lambda: ParticipantSchema()))
    progress = fields.List(fields.Nested(AreaProgressSchema))
    assigned_areas = fields.List(fields.String())
    can_manage = fields.Boolean()


class AssessmentQuerySchema(PageQuerySchema):
    """Page and filters of the assessment list."""

    status = fields.String(validate=validate.OneOf(["in_progress", "submitted"]))


class ParticipantInSchema(InputSchema):
    """Inviting a participant and assigning areas."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    role = fields.String(
        load_default="respondent", validate=validate.OneOf(["respondent", "coordinator"])
    )
    areas = fields.List(fields.String(), load_default=list)


class ParticipantSchema(Schema):
    """A participant of an assessment."""

    user_id = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    role = fields.String()
    areas = fields.List(fields.String())
    invited_at = Timestamp()


class AnswerInSchema(InputSchema):
    """An answer to one indicator."""

    value = AnswerValue(required=True)
    confidence = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(CONFIDENCES)
    )
    comment = fields.String(load_default="", validate=TEXT, metadata={MULTILINE: True})
    evidence = fields.String(load_default="", validate=TEXT, metadata={MULTILINE: True})


class AnswerSchema(Schema):
    """A stored answer."""

    indicator = fields.String()
    respondent_id = fields.String()
    value = AnswerValue()
    confidence = fields.String(allow_none=True)
    comment = fields.String()
    evidence = fields.String()
    import_id = fields.String(
        attribute="import_job_id",
        allow_none=True,
        metadata={"description": "The bulk import that set this answer (null: typed)"},
    )
    updated_at = Timestamp()


class AnswersQuerySchema(InputSchema):
    """Whose answers to list."""

    mine = fields.Boolean(load_default=False)


class BulkAnswerSchema(AnswerInSchema):
    """One answer of an offline-filled questionnaire."""

    indicator = fields.String(required=True)


class BulkRespondentSchema(InputSchema):
    """One respondent's offline-filled questionnaire."""

    user_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    name = fields.String(load_default="", validate=validate.Length(max=200))
    answers = fields.List(
        fields.Nested(BulkAnswerSchema), required=True, validate=validate.Length(max=500)
    )


class BulkAnswersSchema(InputSchema):
    """Many respondents' answers at once (all or nothing)."""

    respondents = fields.List(
        fields.Nested(BulkRespondentSchema), required=True, validate=validate.Length(min=1, max=200)
    )


class BulkResultSchema(Schema):
    """What a bulk import stored."""

    saved = fields.Integer()


class AgreedInSchema(InputSchema):
    """The answer the team agreed on."""

    value = AnswerValue(required=True)
    confidence = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(CONFIDENCES)
    )
    comment = fields.String(load_default="", validate=TEXT, metadata={MULTILINE: True})


class ReopenSchema(InputSchema):
    """Why a submitted assessment is reopened."""

    reason = fields.String(
        required=True, validate=validate.Length(min=1, max=1000), metadata={MULTILINE: True}
    )


class SubmitSchema(InputSchema):
    """Optional details given at submission."""

    administration_name = fields.String(load_default="", validate=validate.Length(max=200))


class HistorySchema(Schema):
    """One entry of an assessment's history."""

    action = fields.String()
    actor = fields.String()
    detail = fields.Dict()
    at = Timestamp()


class FrameworkVersionSchema(Schema):
    """A published framework version (summary)."""

    key = fields.String()
    version = fields.String()
    checksum = fields.String()
    source = fields.String()
    published_at = Timestamp()
    title = fields.Method("_title")

    def _title(self, row: Any) -> Any:
        return row.document.get("title")


def validate_document(value: Any) -> None:
    """Refuse a framework document that is not an object."""
    if not isinstance(value, dict):
        raise ValidationError("must be an object")


class _Passthrough(Schema):
    class Meta:
        unknown = INCLUDE


class InterchangeInSchema(_Passthrough):
    """An interchange file (see docs/assessment-interchange.md); validated by the use case."""


class InterchangeOutSchema(_Passthrough):
    """An interchange file (see docs/assessment-interchange.md)."""

    format = fields.String()
    format_version = fields.Integer()
    framework = fields.Dict()
    assessment = fields.Dict()
    respondents = fields.List(fields.Dict())
    answers = fields.List(fields.Dict())
    agreed = fields.List(fields.Dict())
    results = fields.Dict()


class FrameworkDocumentSchema(InputSchema):
    """A framework version to publish (the same shape as the repository's files, areas inline)."""

    document = fields.Dict(required=True)


class FrameworkDocumentOutSchema(Schema):
    """A framework version's whole document."""

    document = fields.Dict()


class RespondentAnswerSchema(Schema):
    """One respondent's answer as the coordinator sees it in the disagreement view."""

    respondent_id = fields.String()
    name = fields.String()
    value = AnswerValue()
    confidence = fields.String(allow_none=True)
    comment = fields.String()


class AgreedSchema(Schema):
    """An agreed answer."""

    indicator = fields.String()
    value = AnswerValue()
    confidence = fields.String(allow_none=True)
    comment = fields.String()
    recorded_by = fields.String()
    recorded_at = Timestamp()


class ConsensusSchema(Schema):
    """The team's answers to one indicator, their median and spread."""

    indicator = fields.String()
    area = fields.String()
    answers = fields.List(fields.Nested(RespondentAnswerSchema))
    combined = fields.Raw(allow_none=True)
    spread = fields.Float()
    disagreement = fields.Boolean()
    agreed = fields.Nested(AgreedSchema, allow_none=True)


class ResultsSchema(Schema):
    """Scores per area (with the "why this level" explanation), feasibility, priorities, roadmap."""

    status = fields.String()
    version = fields.Integer()
    framework = fields.Dict()
    areas = fields.List(fields.Dict())
    overall = fields.Dict()
    feasibility = fields.List(fields.Dict())
    priorities = fields.List(fields.Dict())
    roadmap = fields.Dict()
    disagreements = fields.List(fields.String())
    progress = fields.Dict(allow_none=True)
