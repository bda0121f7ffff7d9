"""HTTP API of bulk answers: offline workbooks, import jobs, their problems and error reports."""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from flask import Response, current_app, g, request, send_file, stream_with_context, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError
from werkzeug.formparser import parse_form_data

from assessment import access
from assessment.bulk import jobs, report, workbook
from assessment.bulk import schemas as s
from assessment.bulk.problems import message
from assessment.bulk.runner import wake
from assessment.models import IdempotencyRecord, Participant
from shared import idempotency
from shared.auth import Role, current_principal, require
from shared.errors import ApiError
from shared.i18n import negotiate
from shared.paging import PAGE_HEADERS, PageQuerySchema, paged

blp = Blueprint(
    "bulk",
    __name__,
    url_prefix="/api/v1/assessment",
    description="Offline questionnaires and bulk imports of many respondents' answers",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)
MANAGERS = (Role.COORDINATOR, Role.CLIENT)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"xlsx": XLSX, "csv": "text/csv; charset=utf-8", "json": "application/json"}
DOWNLOAD = {
    "content": {
        XLSX: {"schema": {"type": "string", "format": "binary"}},
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object"}},
    },
    "headers": {
        "Content-Disposition": {
            "description": "attachment, with the file name",
            "schema": {"type": "string"},
        }
    },
}
UPLOAD_BODY = {
    "required": True,
    "description": "One or several filled workbooks, CSV or JSON files (multipart field "
    "'file', repeated), or one file as the whole body. Each file is recognised by its "
    "content, not its name.",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": jobs.MAX_FILES,
                        "items": {"type": "string", "format": "binary", "minLength": 1},
                    },
                    "mode": {"type": "string", "enum": list(jobs.MODES)},
                },
            }
        },
        XLSX: {"schema": {"type": "string", "format": "binary", "minLength": 1}},
        "text/csv": {"schema": {"type": "string", "minLength": 1}},
        "application/json": {"schema": {"type": "object"}},
    },
}
ACCEPTED_HEADERS = {
    "Location": {"description": "The job's URL", "schema": {"type": "string"}},
}


def _session(write: bool = False) -> Any:
    return current_app.extensions["db"].session(write=write)


def _language(chosen: str | None) -> str:
    return chosen or g.get("language") or "en"


def _language_source(chosen: str | None) -> str:
    """Return "asked" when the request states a language (a parameter, ``?lang``, the ``lang``
    cookie or ``Accept-Language``), else "default" (the first workbook's language will do)."""
    preference = negotiate(
        request.args.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("Accept-Language"),
        default="",
    )
    return "asked" if chosen or preference else "default"


def _download(content: bytes | str, fmt: str, name: str) -> Response:
    data = content.encode("utf-8") if isinstance(content, str) else content
    response = send_file(
        io.BytesIO(data), mimetype=MEDIA[fmt], as_attachment=True, download_name=name
    )
    response.headers["Content-Type"] = MEDIA[fmt]
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _questionnaire(framework: Any, language: str, fmt: str, **kwargs: Any) -> Response:
    name = f"{framework.key}-{framework.version}-{language}"
    if fmt == "xlsx":
        secret = str(current_app.config["ASSESSMENT_WORKBOOK_SECRET"]).encode()
        content: bytes | str = workbook.build_workbook(framework, language, secret=secret, **kwargs)
    elif fmt == "csv":
        content = "\ufeff" + workbook.build_csv(framework, language)
    else:
        content = json.dumps(workbook.build_json(framework, language), ensure_ascii=False, indent=1)
    return _download(content, fmt, f"{name}.{fmt}")


@blp.route("/frameworks/<key>/<version>/workbook")
class FrameworkWorkbook(MethodView):
    """The blank offline questionnaire of a framework version."""

    @require()
    @blp.arguments(s.WorkbookQuerySchema, location="query")
    @blp.response(200, description="The questionnaire as XLSX, CSV or JSON, as an attachment")
    @blp.doc(responses={"200": DOWNLOAD})
    def get(self, query: dict[str, Any], key: str, version: str) -> Response:
        """Download the questionnaire to fill offline (one workbook per respondent)."""
        with _session() as session:
            framework = current_app.extensions["frameworks"].get(
                session=session, key=key, version=version
            )
        return _questionnaire(framework, _language(query["language"]), query["format"])


@blp.route("/assessments/<assessment_id>/workbook")
class AssessmentWorkbook(MethodView):
    """The offline questionnaire of one assessment (its version, its team)."""

    @require(*MEMBERS)
    @blp.arguments(s.WorkbookQuerySchema, location="query")
    @blp.response(200, description="The questionnaire as XLSX, CSV or JSON, as an attachment")
    @blp.doc(responses={"200": DOWNLOAD})
    def get(self, query: dict[str, Any], assessment_id: str) -> Response:
        """Download the assessment's questionnaire (its respondents listed for coordinators)."""
        with _session() as session:
            seen = access.access(
                session=session,
                principal=current_principal(),
                assessment_id=assessment_id,
                cache=current_app.extensions["frameworks"],
            )
            people: list[str] = []
            if seen.is_coordinator:
                people = [
                    p.email or p.user_id
                    for p in session.query(Participant).filter_by(assessment_id=assessment_id)
                ]
        language = query["language"] or seen.assessment.language
        extra: dict[str, Any] = {}
        if query["format"] == "xlsx":
            extra = {"assessment_id": assessment_id, "respondents": people}
        return _questionnaire(seen.framework, language, query["format"], **extra)


_FILENAME = re.compile(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', re.IGNORECASE)


def _uploads(spool: jobs.Spool, limit: int) -> tuple[list[jobs.Upload], dict[str, str]]:
    """Return the request's files spooled to disk, and its form fields (multipart only)."""
    if request.mimetype != "multipart/form-data":
        found = _FILENAME.search(request.headers.get("Content-Disposition", ""))
        name = found.group(1) if found else "upload"
        request.max_content_length = limit
        upload = jobs.spool(
            request.stream, name=name, position=0, limit=limit, directory=spool.directory
        )
        return [upload], {}
    with contextlib.ExitStack() as opened:

        def to_disk(*_: Any, **__: Any) -> IO[bytes]:
            # Every part goes to a file of the spool, closed however the request ends.
            return opened.enter_context(tempfile.TemporaryFile(dir=spool.directory))

        # Parsed here rather than by request.files: this path takes larger bodies (and
        # werkzeug stops reading past the limit while it parses).
        _, form, files = parse_form_data(
            request.environ,
            stream_factory=to_disk,
            max_content_length=limit + 1024 * 1024,
            silent=False,
        )
        # A part sent without a file name (curl -F 'file=<answers.csv') is a file all the same.
        parts = [(p.filename, p.stream) for p in files.getlist("file")]
        parts += [(None, io.BytesIO(text.encode())) for text in form.getlist("file")]
        uploads = [
            jobs.spool(stream, name=name, position=n, limit=limit, directory=spool.directory)
            for n, (name, stream) in enumerate(parts)
        ]
        return uploads, {k: v for k, v in form.items() if k in ("mode", "language")}


def _options(query: dict[str, Any], form: dict[str, str]) -> dict[str, Any]:
    """Return mode and language, from the query or, for a multipart form, its fields."""
    if not form:
        return query
    try:
        chosen = s.ImportQuerySchema().load(form)
    except ValidationError as refused:
        raise ApiError(422, "validation_failed", errors=refused.normalized_messages()) from None
    return {**query, **{k: v for k, v in chosen.items() if k in form}}


def _accept(assessment_id: str | None, query: dict[str, Any]) -> Response:
    limit = int(current_app.config["ASSESSMENT_IMPORT_MAX_BYTES"])
    spool = jobs.Spool.open()
    try:
        uploads, form = _uploads(spool, limit)
        options = _options(query, form)
        principal = current_principal()

        def create() -> tuple[int, dict[str, Any]]:
            with _session(write=True) as session:
                job = jobs.submit_import(
                    session=session,
                    principal=principal,
                    cache=current_app.extensions["frameworks"],
                    assessment_id=assessment_id,
                    mode=options["mode"],
                    language=_language(options["language"]),
                    language_source=_language_source(options["language"]),
                    uploads=uploads,
                )
                body = s.ImportJobSchema().dump(jobs.describe(job, jobs.files_of(session, job.id)))
            return 202, body

        status, body = idempotency.run_once(
            db=current_app.extensions["db"],
            model=IdempotencyRecord,
            principal=principal.subject,
            key=request.headers.get("Idempotency-Key"),
            request_fingerprint=idempotency.fingerprint(
                "POST",
                request.path,
                jobs.fingerprint_of(uploads, mode=options["mode"], assessment_id=assessment_id),
            ),
            create=create,
        )
    finally:
        spool.close()
    wake(current_app.extensions["redis"])
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["Location"] = url_for("bulk.ImportItem", job_id=body["id"])
    return response


@blp.route("/assessments/<assessment_id>/imports")
class AssessmentImports(MethodView):
    """Bulk submission of many respondents' answers to one assessment."""

    @require(*MANAGERS)
    @blp.arguments(s.ImportQuerySchema, location="query")
    @blp.response(202, s.ImportJobSchema, headers=ACCEPTED_HEADERS)
    @blp.doc(requestBody=UPLOAD_BODY)
    def post(self, query: dict[str, Any], assessment_id: str) -> Response:
        """Upload filled questionnaires; they are imported as a job (Idempotency-Key accepted)."""
        return _accept(assessment_id, query)


@blp.route("/imports")
class Imports(MethodView):
    """The administration's import jobs."""

    @require(*MANAGERS)
    @blp.arguments(s.ImportListQuerySchema, location="query")
    @blp.response(200, s.ImportJobSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the import jobs, newest first."""
        with _session() as session:
            rows, total = jobs.list_jobs(session=session, principal=current_principal(), **query)
            items = [jobs.describe(job, jobs.files_of(session, job.id)) for job in rows]
        return paged(items, total=total, query=query)

    @require(*MANAGERS)
    @blp.arguments(s.ImportQuerySchema, location="query")
    @blp.response(202, s.ImportJobSchema, headers=ACCEPTED_HEADERS)
    @blp.doc(requestBody=UPLOAD_BODY)
    def post(self, query: dict[str, Any]) -> Response:
        """Upload files covering several assessments (each row or workbook names its own)."""
        return _accept(None, query)


@blp.route("/imports/<job_id>")
class ImportItem(MethodView):
    """One import job."""

    @require(*MANAGERS)
    @blp.response(200, s.ImportJobSchema)
    def get(self, job_id: str) -> Any:
        """Read a job's status and progress (rows done of total, problems so far)."""
        with _session() as session:
            job = jobs.get_job(session=session, principal=current_principal(), job_id=job_id)
            return jobs.describe(job, jobs.files_of(session, job.id))


@blp.route("/imports/<job_id>/problems")
class ImportProblems(MethodView):
    """The refused files, rows and cells of a job."""

    @require(*MANAGERS)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, s.ImportProblemSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any], job_id: str) -> Any:
        """List a job's problems in the order found, with reasons in the job's language."""
        with _session() as session:
            job, rows, total = jobs.list_problems(
                session=session, principal=current_principal(), job_id=job_id, **query
            )
            items = [
                {
                    "file": p.file,
                    "sheet": p.sheet,
                    "row": p.row,
                    "column": p.column,
                    "code": p.code,
                    "params": p.params,
                    "message": message(p.code, job.language, **(p.params or {})),
                }
                for p in rows
            ]
        return paged(items, total=total, query=query)


@blp.route("/imports/<job_id>/error-report")
class ErrorReport(MethodView):
    """A job's problems as a spreadsheet to correct the files with."""

    @require(*MANAGERS)
    @blp.arguments(s.ErrorReportQuerySchema, location="query")
    @blp.response(200, description="The error report as CSV or XLSX, as an attachment")
    @blp.doc(
        responses={
            "200": {
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    XLSX: {"schema": {"type": "string", "format": "binary"}},
                },
                "headers": DOWNLOAD["headers"],
            }
        }
    )
    def get(self, query: dict[str, Any], job_id: str) -> Response:
        """Download every problem of a job: file, sheet, row, column and reason."""
        principal = current_principal()
        with _session() as session:
            job = jobs.get_job(session=session, principal=principal, job_id=job_id)
            language = query["language"] or job.language
        name = f"import-{job_id}-problems.{query['format']}"
        if query["format"] == "xlsx":
            with tempfile.TemporaryDirectory() as tmp, _session() as session:
                path = Path(tmp) / name
                report.write_xlsx(jobs.all_problems(session, job_id), language, path)
                return _download(path.read_bytes(), "xlsx", name)

        def chunks() -> Iterator[str]:
            with _session() as session:
                yield from report.csv_chunks(jobs.all_problems(session, job_id), language)

        response = Response(stream_with_context(chunks()), mimetype="text/csv")
        response.headers["Content-Type"] = MEDIA["csv"]
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
