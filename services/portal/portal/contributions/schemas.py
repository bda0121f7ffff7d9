"""Request and response schemas of the contributions API (form fields of the multipart body)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from werkzeug.datastructures import MultiDict

from portal.catalogue import vocabulary
from shared.paging import PageQuerySchema
from shared.text import MULTILINE, InputSchema
from shared.timestamps import Timestamp

KINDS = ("resource", "case_study")
STATUSES = ("in_review", "changes_requested", "published", "archived")
CODE = fields.String(validate=validate.Length(min=1, max=60))
LIST_FIELDS = ("technologies", "domains")
BINARY = {"type": "string", "format": "binary"}


def _tags(scheme: str) -> fields.Field[Any]:
    return fields.List(
        CODE,
        load_default=list,
        validate=validate.Length(max=30),
        metadata={"description": f"Codes of the {scheme} vocabulary (the field repeated)"},
    )


def _summary() -> fields.String:
    return fields.String(validate=validate.Length(max=2000), metadata={MULTILINE: True})


class ContributionFieldsSchema(InputSchema):
    """What the member says about the file: kind, texts in EN and/or FR, tags, visibility."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    subtype = fields.String(validate=validate.Length(max=40))
    title_en = fields.String(validate=validate.Length(min=1, max=300))
    title_fr = fields.String(validate=validate.Length(min=1, max=300))
    summary_en = _summary()
    summary_fr = _summary()
    technologies = _tags("technology")
    domains = _tags("domain")
    region = fields.String(validate=validate.Length(max=60))
    visibility = fields.String(
        load_default="members",
        validate=validate.OneOf(list(vocabulary.VISIBILITIES)),
        metadata={"description": "The visibility asked for (editors decide)"},
    )

    @validates_schema
    def _a_title(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("title_en") and not data.get("title_fr"):
            raise ValidationError("a title in English or French is needed", "title_en")
        for language in ("en", "fr"):
            if data.get(f"summary_{language}") and not data.get(f"title_{language}"):
                raise ValidationError(
                    "a summary needs a title in its language", f"title_{language}"
                )


class ContributionUploadSchema(ContributionFieldsSchema):
    """The multipart body of a new contribution (documentation: the file and its fields)."""

    file = fields.Raw(
        required=True,
        metadata={**BINARY, "description": "The file (PORTAL_UPLOAD_MAX_BYTES at most)"},
    )


class VersionFieldsSchema(InputSchema):
    """The answer to a change request that comes with a new version."""

    note = fields.String(
        load_default="", validate=validate.Length(max=2000), metadata={MULTILINE: True}
    )


class VersionUploadSchema(VersionFieldsSchema):
    """The multipart body of a new version (documentation)."""

    file = fields.Raw(required=True, metadata={**BINARY, "description": "The new file"})


def form_data(form: MultiDict[str, str], schema: Schema) -> dict[str, Any]:
    """Return the form's fields as ``schema`` loads them (lists repeated, empty ones left out)."""
    data: dict[str, Any] = {}
    for name in form:
        if name == "csrf_token":  # the pages' double-submit token, checked before
            continue
        if name not in schema.fields or name == "file":
            data.setdefault(name, form.get(name))  # unknown: refused by the schema
            continue
        if name in LIST_FIELDS:
            data[name] = [value for value in form.getlist(name) if value]
        elif form.get(name, ""):
            data[name] = form.get(name)
    return data


class RemarkInputSchema(InputSchema):
    """What the editor asks the contributor to change."""

    note = fields.String(
        required=True, validate=validate.Length(min=1, max=2000), metadata={MULTILINE: True}
    )


class DecisionSchema(InputSchema):
    """An optional note with an editor's decision (publish, archive)."""

    note = fields.String(
        load_default="", validate=validate.Length(max=2000), metadata={MULTILINE: True}
    )


class ListQuerySchema(PageQuerySchema):
    """Which contributions to list (editors: everyone's; members: their own)."""

    status = fields.String(validate=validate.OneOf(STATUSES))


class VersionSchema(Schema):
    """One version of the file."""

    number = fields.Integer()
    file_name = fields.String()
    media_type = fields.String()
    size = fields.Integer(metadata={"description": "Bytes"})
    sha256 = fields.String(metadata={"description": "SHA-256 of the content, hex"})
    note = fields.String()
    uploaded_at = Timestamp()
    download_url = fields.String()


class RemarkSchema(Schema):
    """A step of the review: who did what, when, with which remark."""

    action = fields.String()
    by = fields.String()
    at = Timestamp()
    note = fields.String()


class ItemRefSchema(Schema):
    """The catalogue item the contribution is published as."""

    id = fields.String()
    slug = fields.String()
    status = fields.String()
    visibility = fields.String()
    page_url = fields.String()


class ContributionSchema(Schema):
    """A contribution as its contributor and the editors see it."""

    id = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    kind = fields.String()
    titles = fields.Dict(keys=fields.String(), values=fields.String())
    summaries = fields.Dict(keys=fields.String(), values=fields.String())
    technologies = fields.List(fields.String())
    domains = fields.List(fields.String())
    region = fields.String(allow_none=True)
    requested_visibility = fields.String()
    administration_id = fields.String()
    contributor_name = fields.String()
    created_at = Timestamp()
    updated_at = Timestamp()
    item = fields.Nested(ItemRefSchema)
    current = fields.Nested(VersionSchema)
    versions = fields.List(fields.Nested(VersionSchema))
    remarks = fields.List(fields.Nested(RemarkSchema))
