"""Versioned payload schemas of every event on the bus (additive only).

Rules: never remove or retype a field; a new field is optional (``load_default``); a breaking
change is a new event type or a new version registered beside the old one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from shared.timestamps import parse, to_rfc3339


class _Payload(Schema):
    class Meta:
        unknown = RAISE


class _TimeText(fields.String):
    """A time carried as text: written as RFC 3339 in UTC; an old time without offset is UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs))
        if not text:
            return text
        try:
            return to_rfc3339(parse(text))
        except ValueError as exc:
            raise ValidationError("Not a valid RFC 3339 date-time.") from exc


class _DateText(fields.String):
    """A calendar date carried as ISO 8601 text (``2027-06-30``), kept as text once loaded."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs))
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ValidationError("Not a valid ISO 8601 date.") from exc


class FrameworkRefSchema(_Payload):
    """Which framework and version an assessment is pinned to."""

    key = fields.String(required=True)
    version = fields.String(required=True)
    # Added later (optional): the framework's title by language, so a consumer (the report)
    # names the readiness tool without knowing any framework.
    title = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)


class AssessmentStartedV1(_Payload):
    """``assessment.started`` v1."""

    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    title = fields.String(required=True)
    language = fields.String(required=True, validate=validate.OneOf(["en", "fr"]))
    framework = fields.Nested(FrameworkRefSchema, required=True)
    started_by = fields.String(required=True)


class AreaScoreSchema(_Payload):
    """One area's result as carried in events."""

    area = fields.String(required=True)
    name = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    level = fields.Float(allow_none=True, load_default=None)
    percentage = fields.Float(allow_none=True, load_default=None)
    target = fields.Float(allow_none=True, load_default=None)
    coverage = fields.Float(allow_none=True, load_default=None)
    confidence = fields.Float(allow_none=True, load_default=None)


class PrioritySchema(_Payload):
    """One prioritized recommendation, tagged so reports can match portal resources."""

    indicator = fields.String(required=True)
    area = fields.String(required=True)
    rank = fields.Integer(required=True)
    text = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    horizon = fields.String(load_default=None, allow_none=True)
    tags = fields.List(fields.String(), load_default=list)


class ResponseSchema(_Payload):
    """One respondent's answer to an indicator (anonymous: the report needs what, not who)."""

    value = fields.Raw(required=True, metadata={"description": "1-5, dont_know or not_applicable"})
    confidence = fields.String(allow_none=True, load_default=None)
    comment = fields.String(load_default="")


class IndicatorAnswerSchema(_Payload):
    """The team's answer to one indicator, with the question and every respondent's answer."""

    indicator = fields.String(required=True)
    area = fields.String(required=True)
    question = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    value = fields.Raw(allow_none=True, load_default=None)
    level_text = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    critical = fields.Boolean(load_default=False)
    agreed = fields.Boolean(load_default=False)
    agreed_comment = fields.String(load_default="")
    responses = fields.List(fields.Nested(ResponseSchema), load_default=list)


class PreviousAssessmentSchema(_Payload):
    """The earlier assessment a submission is compared with."""

    assessment_id = fields.String(required=True)
    title = fields.String(load_default="")
    submitted_at = _TimeText(load_default="")


class ProgressActionSchema(_Payload):
    """An action of the earlier plan addressing an indicator (its owner by name, never an id)."""

    id = fields.String(load_default="")
    title = fields.String(required=True)
    status = fields.String(
        required=True, validate=validate.OneOf(["planned", "in_progress", "done", "dropped"])
    )
    owner_name = fields.String(load_default="")
    target_date = _DateText(load_default=None, allow_none=True)
    evidence = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(["note", "link", "contribution"]),
        metadata={"description": "the kind of evidence recorded, if any"},
    )


class IndicatorProgressSchema(_Payload):
    """One indicator's answer then and now, and the actions taken on it since."""

    indicator = fields.String(required=True)
    area = fields.String(required=True)
    level_then = fields.Raw(allow_none=True, load_default=None)
    level_now = fields.Raw(allow_none=True, load_default=None)
    change = fields.Float(allow_none=True, load_default=None)
    actions = fields.List(fields.Nested(ProgressActionSchema), load_default=list)


class ProgressSchema(_Payload):
    """Progress since the previous assessment, per indicator (framework order)."""

    previous = fields.Nested(PreviousAssessmentSchema, required=True)
    indicators = fields.List(fields.Nested(IndicatorProgressSchema), load_default=list)


class AssessmentSubmittedV1(_Payload):
    """``assessment.submitted`` v1: everything a report needs (event-carried state)."""

    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    administration_name = fields.String(load_default="")
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    title = fields.String(required=True)
    language = fields.String(required=True, validate=validate.OneOf(["en", "fr"]))
    framework = fields.Nested(FrameworkRefSchema, required=True)
    submitted_by = fields.String(required=True)
    submitted_at = _TimeText(required=True)
    areas = fields.List(fields.Nested(AreaScoreSchema), load_default=list)
    overall = fields.Float(allow_none=True, load_default=None)
    priorities = fields.List(fields.Nested(PrioritySchema), load_default=list)
    notify = fields.List(fields.String(), load_default=list)
    details = fields.Dict(load_default=dict)
    # Added later (optional): the answers per indicator with comments, for the report workbook.
    answers = fields.List(fields.Nested(IndicatorAnswerSchema), load_default=list)
    # Added later (optional): e-mail addresses and languages of the users in ``notify`` that have
    # them (user id -> value), for the reports service's optional e-mail notifications.
    notify_emails = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    notify_languages = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(["en", "fr"])),
        load_default=dict,
    )
    # Added later (optional): per indicator, the level then and now and the earlier plan's
    # actions addressing it; absent (None) for a first assessment.
    progress = fields.Nested(ProgressSchema, load_default=None, allow_none=True)


class AssessmentReopenedV1(_Payload):
    """``assessment.reopened`` v1."""

    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    version = fields.Integer(required=True)
    reopened_by = fields.String(required=True)
    reason = fields.String(load_default="")


class ReportReadyV1(_Payload):
    """``report.ready`` v1."""

    report_id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    version = fields.Integer(required=True)
    language = fields.String(required=True)
    title = fields.String(load_default="")
    formats = fields.List(fields.String(), required=True)
    notify = fields.List(fields.String(), load_default=list)
    # Added later (optional, ADR 0012): 1 for a submission's first report in that language, then
    # one more per report built again from the same submission; ``supersedes`` is the report id
    # of the revision before (null for revision 1).
    revision = fields.Integer(load_default=1, validate=validate.Range(min=1))
    supersedes = fields.String(load_default=None, allow_none=True)


class ReportFailedV1(_Payload):
    """``report.failed`` v1."""

    report_id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    version = fields.Integer(required=True)
    language = fields.String(required=True)
    title = fields.String(load_default="")
    reason = fields.String(required=True)
    notify = fields.List(fields.String(), load_default=list)
    # Added later (optional, as in report.ready): the revision that failed to build and the
    # report id of the revision before it (null for revision 1), which stays the current report.
    revision = fields.Integer(load_default=1, validate=validate.Range(min=1))
    supersedes = fields.String(load_default=None, allow_none=True)


class AdministrationCreatedV1(_Payload):
    """``administration.created`` v1."""

    administration_id = fields.String(required=True)
    name = fields.String(required=True)
    country_code = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default="fr")


class AdministrationRenamedV1(_Payload):
    """``administration.renamed`` v1: an administration's name or details changed (the state
    after the change, so a consumer's read model needs no earlier event)."""

    administration_id = fields.String(required=True)
    name = fields.String(required=True)
    previous_name = fields.String(load_default="")
    country_code = fields.String(load_default=None, allow_none=True)
    language = fields.String(load_default="fr")


class ContentChangedV1(_Payload):
    """``content.published`` / ``content.updated`` / ``content.archived`` v1."""

    item_id = fields.String(required=True)
    kind = fields.String(required=True)
    visibility = fields.String(required=True)
    languages = fields.List(fields.String(), load_default=list)
    titles = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    tags = fields.List(fields.String(), load_default=list)
    url = fields.String(load_default="")
    # Added for the reports' read model and page links (optional, additive).
    slug = fields.String(load_default="")
    status = fields.String(load_default="published")
    subtype = fields.String(load_default=None, allow_none=True)
    summaries = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    technologies = fields.List(fields.String(), load_default=list)
    domains = fields.List(fields.String(), load_default=list)
    topics = fields.List(fields.String(), load_default=list)
    region = fields.String(load_default=None, allow_none=True)
    published_at = _TimeText(load_default=None, allow_none=True)


class AnswerImportFinishedV1(_Payload):
    """``answer_import.finished`` v1: a bulk import of answers ended (stored, partly or not)."""

    import_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    assessment_id = fields.String(load_default="")
    assessment_ids = fields.List(fields.String(), load_default=list)
    status = fields.String(
        required=True,
        validate=validate.OneOf(["succeeded", "completed_with_errors", "rejected", "failed"]),
    )
    mode = fields.String(required=True)
    language = fields.String(load_default="en", validate=validate.OneOf(["en", "fr"]))
    rows_total = fields.Integer(load_default=0)
    answers_stored = fields.Integer(load_default=0)
    errors_count = fields.Integer(load_default=0)
    created_by = fields.String(required=True)
    finished_at = _TimeText(load_default="")
    notify = fields.List(fields.String(), load_default=list)


ASSISTANCE_FORMATS = ("workshop", "mentoring", "training", "expert_mission")
ASSISTANCE_STATUSES = ("acknowledged", "matched", "in_progress", "closed", "declined")
HORIZONS = ("0-6", "6-18", "18-36")


class AssistanceIndicatorSchema(_Payload):
    """One indicator a capacity-building request is about: its level now and the one aimed at."""

    indicator = fields.String(required=True)
    area = fields.String(required=True)
    current = fields.Float(load_default=None, allow_none=True)
    target = fields.Float(load_default=None, allow_none=True)


class AssistanceRequestSentV1(_Payload):
    """``assistance_request.sent`` v1: an administration sent a request for technical assistance
    to the platform's operators (only what its coordinator chose to send: no other answer or
    score of the assessment)."""

    request_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    administration_name = fields.String(load_default="")
    topic = fields.String(required=True)
    areas = fields.List(fields.String(), required=True)
    indicators = fields.List(fields.Nested(AssistanceIndicatorSchema), load_default=list)
    horizon = fields.String(required=True, validate=validate.OneOf(HORIZONS))
    language = fields.String(required=True)
    formats = fields.List(fields.String(validate=validate.OneOf(ASSISTANCE_FORMATS)), required=True)
    notes = fields.String(load_default="")
    framework = fields.Nested(FrameworkRefSchema, required=True)
    sent_by = fields.String(required=True)
    sent_at = _TimeText(required=True)


class AssistanceMatchSchema(_Payload):
    """A resource or an administration an operator matched to a request."""

    kind = fields.String(required=True, validate=validate.OneOf(["resource", "administration"]))
    id = fields.String(required=True)
    name = fields.String(load_default="")
    url = fields.String(load_default="")


class AssistanceRequestStatusChangedV1(_Payload):
    """``assistance_request.status_changed`` v1: an operator moved a request on (the state after
    the change, so the requester's copy needs no earlier event)."""

    request_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ASSISTANCE_STATUSES))
    note = fields.String(load_default="")
    matches = fields.List(fields.Nested(AssistanceMatchSchema), load_default=list)
    changed_by = fields.String(required=True)


class ActionReminderV1(_Payload):
    """``action.due_soon`` and ``action.overdue`` v1: an open action's owner is reminded of it.

    Staged once per action and kind by the assessment service's reminder scan; ``days_left`` is
    negative when overdue; ``notify`` holds the owner's user id.
    """

    action_id = fields.String(required=True)
    plan_id = fields.String(required=True)
    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["due_soon", "overdue"]))
    title = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(["planned", "in_progress"]))
    owner_id = fields.String(required=True)
    owner_name = fields.String(load_default="")
    target_date = fields.Date(required=True)
    days_left = fields.Integer(required=True)
    language = fields.String(load_default="en", validate=validate.OneOf(["en", "fr"]))
    notify = fields.List(fields.String(), load_default=list)


class ForumPostRepliedV1(_Payload):
    """``forum.post_replied`` v1: a member replied in a forum thread (portal).

    ``notify`` holds the user ids to tell: the thread's author and, when the reply quotes a
    post, that post's author; never the replier. ``mentioned`` (optional, added later) holds the
    users the reply mentions (the ids its author gave, less the replier and those in ``notify``);
    a consumer tells them too. Forums
    are for signed-in members only: a consumer shows the title and names to the ids in
    ``notify`` and ``mentioned`` and to no one else.
    """

    post_id = fields.String(required=True)
    thread_id = fields.String(required=True)
    thread_title = fields.String(required=True)
    thread_author_id = fields.String(required=True)
    category = fields.String(required=True)
    language = fields.String(load_default="en", validate=validate.OneOf(["en", "fr"]))
    replier_id = fields.String(required=True)
    replier_name = fields.String(load_default="")
    quoted_post_id = fields.String(load_default=None, allow_none=True)
    quoted_author_id = fields.String(load_default=None, allow_none=True)
    replied_at = _TimeText(required=True)
    notify = fields.List(fields.String(), load_default=list)
    mentioned = fields.List(fields.String(), load_default=list)
    # Added later (optional): e-mail addresses and languages of the active users in ``notify``
    # and ``mentioned`` that have them (user id -> value), never the replier's. Personal data,
    # only for the reports service's optional e-mail digest of forum notifications: a consumer
    # keeps them for that mail alone and passes them on nowhere (no webhook, no log).
    notify_emails = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    notify_languages = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.OneOf(["en", "fr", "pt"])),
        load_default=dict,
    )


PEER_REGIONS = ("wca", "esa", "mena", "ap", "eur", "amc")


class PeerAreaDistributionSchema(_Payload):
    """One area's published regional distribution: three cut points, nothing else (no count,
    no administration, no individual value)."""

    area = fields.String(required=True)
    first_quartile = fields.Float(required=True)
    median = fields.Float(required=True)
    third_quartile = fields.Float(required=True)


class PeerAggregatePublishedV1(_Payload):
    """``peer_aggregate.published`` v1: a region's aggregate for a framework version, as members
    may see it (only the areas published: 5 administrations or more). It names no administration
    and carries no count: the state after the change, replacing any earlier copy."""

    region = fields.String(required=True, validate=validate.OneOf(PEER_REGIONS))
    framework = fields.Nested(FrameworkRefSchema, required=True)
    areas = fields.List(
        fields.Nested(PeerAreaDistributionSchema), required=True, validate=validate.Length(min=1)
    )
    computed_at = _TimeText(required=True)


class PeerAggregateWithdrawnV1(_Payload):
    """``peer_aggregate.withdrawn`` v1: a region's aggregate fell below the threshold (or lost
    every participant) and is no longer shown; a copy of it is dropped."""

    region = fields.String(required=True, validate=validate.OneOf(PEER_REGIONS))
    framework = fields.Nested(FrameworkRefSchema, required=True)
    computed_at = _TimeText(required=True)


class PeerParticipationChangedV1(_Payload):
    """``peer_participation.opted_in`` / ``peer_participation.opted_out`` v1: an administration
    opted one of its own assessments in to a region's aggregate, or out (``region`` then null).

    Its own choice only, so that its own report shows the distribution as its results page does;
    a consumer uses it for that administration's documents and never shows it to another.
    """

    assessment_id = fields.String(required=True)
    administration_id = fields.String(required=True)
    region = fields.String(required=True, allow_none=True, validate=validate.OneOf(PEER_REGIONS))
    framework = fields.Nested(FrameworkRefSchema, required=True)


class TestPingV1(_Payload):
    """``test.pinged`` v1: used by the bus's own tests and smoke checks."""

    n = fields.Integer(required=True)
    fail_times = fields.Integer(load_default=0)


REGISTRY: dict[str, tuple[int, type[Schema]]] = {
    "assessment.started": (1, AssessmentStartedV1),
    "assessment.submitted": (1, AssessmentSubmittedV1),
    "assessment.reopened": (1, AssessmentReopenedV1),
    "report.ready": (1, ReportReadyV1),
    "report.failed": (1, ReportFailedV1),
    "answer_import.finished": (1, AnswerImportFinishedV1),
    "administration.created": (1, AdministrationCreatedV1),
    "administration.renamed": (1, AdministrationRenamedV1),
    "content.published": (1, ContentChangedV1),
    "content.updated": (1, ContentChangedV1),
    "content.archived": (1, ContentChangedV1),
    "assistance_request.sent": (1, AssistanceRequestSentV1),
    "assistance_request.status_changed": (1, AssistanceRequestStatusChangedV1),
    "action.due_soon": (1, ActionReminderV1),
    "action.overdue": (1, ActionReminderV1),
    "forum.post_replied": (1, ForumPostRepliedV1),
    "peer_aggregate.published": (1, PeerAggregatePublishedV1),
    "peer_aggregate.withdrawn": (1, PeerAggregateWithdrawnV1),
    "peer_participation.opted_in": (1, PeerParticipationChangedV1),
    "peer_participation.opted_out": (1, PeerParticipationChangedV1),
    "test.pinged": (1, TestPingV1),
}


def schema_for(event_type: str) -> tuple[int, Schema]:
    """Return the current version and a schema instance for ``event_type``."""
    try:
        version, schema_cls = REGISTRY[event_type]
    except KeyError as exc:
        raise KeyError(f"unknown event type {event_type!r}") from exc
    return version, schema_cls()
