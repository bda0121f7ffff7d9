"""HTTP API of the assessment service (``/api/v1/assessment``): thin views over use cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from assessment import access, answers, autosave, frameworks, interchange, results, sessions
from assessment import schemas as s
from assessment.endpoints import created_once, framework_cache, unit_of_work
from assessment.frameworks import FrameworkCache
from shared.auth import Principal, Role, current_principal, require
from shared.context import this_app
from shared.paging import PAGE_HEADERS, paged

blp = Blueprint(
    "assessments",
    __name__,
    url_prefix="/api/v1/assessment",
    description="Self-assessments of the caller's administration (private to it)",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)
MANAGERS = (Role.COORDINATOR, Role.CLIENT)


@contextmanager
def _uow() -> Iterator[tuple[Session, Principal, FrameworkCache]]:
    with unit_of_work() as (session, principal):
        yield session, principal, framework_cache()


def _ids(**kwargs: Any) -> dict[str, Any]:
    session, principal, cache = kwargs.pop("uow")
    return {"session": session, "principal": principal, "cache": cache, **kwargs}


@blp.route("/assessments")
class Assessments(MethodView):
    """The administration's assessments."""

    @require(*MEMBERS)
    @blp.arguments(s.AssessmentQuerySchema, location="query")
    @blp.response(200, s.AssessmentSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the assessments the caller takes part in (all of them for coordinators)."""
        with _uow() as uow:
            rows, total = sessions.list_assessments(session=uow[0], principal=uow[1], **query)
        return paged(rows, total=total, query=query)

    @require(Role.COORDINATOR)
    @blp.arguments(s.AssessmentCreateSchema)
    @blp.response(201, s.AssessmentSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Start an assessment (accepts an Idempotency-Key header)."""

        def create() -> Any:
            with _uow() as uow:
                return sessions.start_assessment(**_ids(uow=uow, **data))

        return created_once(data, s.AssessmentSchema(), create)


@blp.route("/assessments/import")
class AssessmentImport(MethodView):
    """Importing an interchange file."""

    @require(Role.COORDINATOR)
    @blp.arguments(s.InterchangeInSchema)
    @blp.response(201, s.AssessmentSchema)
    @blp.alt_response(404, response="NOT_FOUND", description="The file's framework is not here")
    # Read whole by the use case, which checks it against the interchange schema: documented so.
    @blp.doc(
        requestBody={"content": {"application/json": {"schema": interchange.InterchangeSchema}}}
    )
    def post(self, document: dict[str, Any]) -> Any:
        """Create an assessment from an exported interchange file (Idempotency-Key accepted)."""

        def create() -> Any:
            with _uow() as uow:
                return interchange.import_assessment(**_ids(uow=uow, document=document))

        return created_once(document, s.AssessmentSchema(), create)


@blp.route("/assessments/<assessment_id>")
class AssessmentItem(MethodView):
    """One assessment."""

    @require(*MEMBERS)
    @blp.response(200, s.AssessmentDetailSchema)
    def get(self, assessment_id: str) -> Any:
        """Read an assessment with its team and progress per area."""
        with _uow() as (session, principal, cache):
            seen = access.access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            return results.detail(session=session, seen=seen, principal=principal)

    @require(Role.COORDINATOR)
    @blp.arguments(s.AssessmentUpdateSchema)
    @blp.response(200, s.AssessmentSchema)
    def patch(self, changes: dict[str, Any], assessment_id: str) -> Any:
        """Change the title, language or targets of an open assessment."""
        with _uow() as uow:
            return sessions.update_assessment(
                **_ids(uow=uow, assessment_id=assessment_id, changes=changes)
            )


@blp.route("/assessments/<assessment_id>/participants/<user_id>")
class ParticipantItem(MethodView):
    """A participant of an assessment."""

    @require(Role.COORDINATOR)
    @blp.arguments(s.ParticipantInSchema)
    @blp.response(200, s.ParticipantSchema)
    def put(self, data: dict[str, Any], assessment_id: str, user_id: str) -> Any:
        """Invite a participant or change their assigned areas."""
        with _uow() as uow:
            return sessions.invite(
                **_ids(uow=uow, assessment_id=assessment_id, user_id=user_id, **data)
            )

    @require(Role.COORDINATOR)
    @blp.response(204)
    def delete(self, assessment_id: str, user_id: str) -> None:
        """Remove a participant (their answers are kept)."""
        with _uow() as uow:
            sessions.remove_participant(
                **_ids(uow=uow, assessment_id=assessment_id, user_id=user_id)
            )


@blp.route("/assessments/<assessment_id>/answers")
class AnswerList(MethodView):
    """Answers of an assessment."""

    @require(*MEMBERS)
    @blp.arguments(s.AnswersQuerySchema, location="query")
    @blp.response(200, s.AnswerSchema(many=True))
    def get(self, query: dict[str, Any], assessment_id: str) -> Any:
        """List the caller's answers (coordinators: everyone's unless mine=true)."""
        with _uow() as (session, principal, cache):
            seen = access.access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            return answers.list_answers(
                session=session, seen=seen, principal=principal, mine=query["mine"]
            )


@blp.route("/assessments/<assessment_id>/answers/<indicator>")
class AnswerItem(MethodView):
    """The caller's answer to one indicator."""

    @require(*MEMBERS)
    @blp.arguments(s.AnswerInSchema())  # an instance: a class would be instantiated per request
    @blp.response(200, s.AnswerSchema)
    def put(self, data: dict[str, Any], assessment_id: str, indicator: str) -> Any:
        """Save the caller's answer at once (autosave)."""
        extensions = this_app().extensions
        with extensions["db"].statement(write=True) as connection:
            return autosave.save_answer(
                connection=connection,
                principal=current_principal(),
                cache=extensions["frameworks"],
                facts=extensions["assessment.facts"],
                assessment_id=assessment_id,
                indicator=indicator,
                **data,
            )

    @require(*MEMBERS)
    @blp.response(204)
    def delete(self, assessment_id: str, indicator: str) -> None:
        """Withdraw the caller's answer."""
        with _uow() as uow:
            answers.clear_answer(**_ids(uow=uow, assessment_id=assessment_id, indicator=indicator))


@blp.route("/assessments/<assessment_id>/bulk-answers")
class BulkAnswers(MethodView):
    """Offline-filled questionnaires of many respondents."""

    @require(*MANAGERS)
    @blp.arguments(s.BulkAnswersSchema)
    @blp.response(200, s.BulkResultSchema)
    def post(self, data: dict[str, Any], assessment_id: str) -> Any:
        """Save many respondents' answers at once: all valid, or nothing stored."""
        with _uow() as uow:
            saved = answers.import_answers(
                **_ids(uow=uow, assessment_id=assessment_id, respondents=data["respondents"])
            )
            return {"saved": saved}


@blp.route("/assessments/<assessment_id>/consensus")
class Consensus(MethodView):
    """Where the respondents agree and disagree."""

    @require(Role.COORDINATOR)
    @blp.response(200, s.ConsensusSchema(many=True))
    def get(self, assessment_id: str) -> Any:
        """List each answered indicator's answers, median, spread and agreed answer."""
        with _uow() as (session, principal, cache):
            seen = access.access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            return results.consensus_rows(session=session, seen=seen)


@blp.route("/assessments/<assessment_id>/agreed/<indicator>")
class AgreedItem(MethodView):
    """The team's agreed answer to one indicator."""

    @require(Role.COORDINATOR)
    @blp.arguments(s.AgreedInSchema)
    @blp.response(200, s.AgreedSchema)
    def put(self, data: dict[str, Any], assessment_id: str, indicator: str) -> Any:
        """Record the answer the team agreed on."""
        with _uow() as uow:
            return answers.record_agreed(
                **_ids(uow=uow, assessment_id=assessment_id, indicator=indicator, **data)
            )


@blp.route("/assessments/<assessment_id>/results")
class Results(MethodView):
    """Scores, explanations, feasibility, priorities and roadmap."""

    @require(*MEMBERS)
    @blp.response(200, s.ResultsSchema)
    def get(self, assessment_id: str) -> Any:
        """Return the results (frozen at submission, live while open)."""
        with _uow() as (session, principal, cache):
            seen = access.access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            return results.current(session=session, seen=seen, cache=cache)


@blp.route("/assessments/<assessment_id>/submit")
class Submit(MethodView):
    """Submitting an assessment."""

    @require(Role.COORDINATOR)
    @blp.arguments(s.SubmitSchema, required=False)
    @blp.response(200, s.AssessmentSchema)
    def post(self, data: dict[str, Any] | None, assessment_id: str) -> Any:
        """Submit: results are frozen, the assessment becomes read-only, a report is built."""
        with _uow() as uow:
            return sessions.submit_assessment(
                **_ids(
                    uow=uow,
                    assessment_id=assessment_id,
                    administration_name=(data or {}).get("administration_name", ""),
                )
            )


@blp.route("/assessments/<assessment_id>/reopen")
class Reopen(MethodView):
    """Reopening a submitted assessment."""

    @require(Role.COORDINATOR)
    @blp.arguments(s.ReopenSchema)
    @blp.response(200, s.AssessmentSchema)
    def post(self, data: dict[str, Any], assessment_id: str) -> Any:
        """Reopen a submitted assessment for changes (recorded in its history)."""
        with _uow() as uow:
            return sessions.reopen_assessment(
                **_ids(uow=uow, assessment_id=assessment_id, reason=data["reason"])
            )


@blp.route("/assessments/<assessment_id>/history")
class History(MethodView):
    """What happened to an assessment."""

    @require(*MEMBERS)
    @blp.response(200, s.HistorySchema(many=True))
    def get(self, assessment_id: str) -> Any:
        """List the assessment's history, oldest first."""
        with _uow() as (session, principal, cache):
            access.access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            return sessions.history(session=session, assessment_id=assessment_id)


@blp.route("/assessments/<assessment_id>/export")
class Export(MethodView):
    """The interchange file of an assessment."""

    @require(*MEMBERS)
    @blp.response(200, s.InterchangeOutSchema)
    def get(self, assessment_id: str) -> Any:
        """Export framework version, answers and scores as a JSON interchange file."""
        with _uow() as (session, principal, cache):
            seen = access.access(
                session=session, principal=principal, assessment_id=assessment_id, cache=cache
            )
            document = interchange.export_assessment(
                session=session, seen=seen, cache=cache, principal=principal
            )
        response = jsonify(document)
        response.headers["Content-Disposition"] = (
            f'attachment; filename="assessment-{assessment_id}.json"'
        )
        return response


@blp.route("/frameworks")
class Frameworks(MethodView):
    """Published framework versions."""

    @require()
    @blp.response(200, s.FrameworkVersionSchema(many=True))
    def get(self) -> Any:
        """List the published framework versions."""
        with current_app.extensions["db"].session() as session:
            return frameworks.list_versions(session=session)

    @require(Role.OPERATOR)
    @blp.arguments(s.FrameworkDocumentSchema)
    @blp.response(201, s.FrameworkVersionSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Publish a new framework version (validated; an existing version is never replaced)."""
        with current_app.extensions["db"].session(write=True) as session:
            return frameworks.publish_framework(
                session=session, document=data["document"], published_by=current_principal().subject
            )


@blp.route("/frameworks/<key>/<version>")
class FrameworkItem(MethodView):
    """One framework version with all its texts."""

    @require()
    @blp.response(200, s.FrameworkDocumentOutSchema)
    def get(self, key: str, version: str) -> Any:
        """Return a framework version's document (areas, indicators, levels, use cases)."""
        with current_app.extensions["db"].session() as session:
            framework = current_app.extensions["frameworks"].get(
                session=session, key=key, version=version
            )
            return {"document": framework.document}
