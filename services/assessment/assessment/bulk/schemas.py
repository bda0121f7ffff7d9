"""Request and response schemas of bulk answers: workbooks, import jobs and their problems."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from assessment.bulk import jobs
from shared.paging import PageQuerySchema
from shared.text import InputSchema
from shared.timestamps import Timestamp

FORMATS = ("xlsx", "csv", "json")


class WorkbookQuerySchema(InputSchema):
    """Which blank questionnaire to download."""

    language = fields.String(
        load_default=None,
        validate=validate.OneOf(["en", "fr"]),
        metadata={"description": "en or fr"},
    )
    format = fields.String(load_default="xlsx", validate=validate.OneOf(FORMATS))


class ImportQuerySchema(InputSchema):
    """How to import the uploaded files (as query parameters or form fields)."""

    mode = fields.String(
        load_default=jobs.ALL_OR_NOTHING,
        validate=validate.OneOf(jobs.MODES),
        metadata={
            "description": "all_or_nothing: store nothing if any row is wrong; "
            "accept_valid: store the valid rows and report the others"
        },
    )
    language = fields.String(
        load_default=None,
        validate=validate.OneOf(["en", "fr"]),
        metadata={"description": "Language of the problem messages (default: the request's)"},
    )


class ImportListQuerySchema(PageQuerySchema):
    """Page and filters of the import job list."""

    assessment_id = fields.String(validate=validate.Length(max=36))
    status = fields.String(validate=validate.OneOf(jobs.STATUSES))


class ErrorReportQuerySchema(InputSchema):
    """Which format the error report is downloaded in."""

    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))
    language = fields.String(load_default=None, validate=validate.OneOf(["en", "fr"]))


class ImportFileSchema(Schema):
    """An uploaded file of a job."""

    name = fields.String()
    format = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class ImportProgressSchema(Schema):
    """How far a job has come."""

    rows_total = fields.Integer(allow_none=True)
    rows_done = fields.Integer()
    errors = fields.Integer()
    answers_stored = fields.Integer()
    percent = fields.Integer(allow_none=True)


class ImportJobSchema(Schema):
    """An import job as the API shows it."""

    id = fields.String()
    assessment_id = fields.String(allow_none=True)
    mode = fields.String(metadata={"enum": list(jobs.MODES)})
    language = fields.String()
    status = fields.String(metadata={"enum": list(jobs.STATUSES)})
    progress = fields.Nested(ImportProgressSchema)
    files = fields.List(fields.Nested(ImportFileSchema))
    problem = fields.Dict(
        allow_none=True, metadata={"description": "Why the job failed as a whole"}
    )
    summary = fields.Dict(metadata={"description": "Per assessment: answers, respondents, scores"})
    created_by = fields.String()
    created_at = Timestamp()
    started_at = Timestamp(allow_none=True)
    finished_at = Timestamp(allow_none=True)
    links = fields.Dict(keys=fields.String(), values=fields.String())


class ImportProblemSchema(Schema):
    """One refused file, row or cell, with the reason in the job's language."""

    file = fields.String()
    sheet = fields.String()
    row = fields.Integer()
    column = fields.String()
    code = fields.String()
    message = fields.String()
    params = fields.Dict()
