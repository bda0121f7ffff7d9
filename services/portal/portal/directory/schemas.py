"""Request and response schemas of the contact point directory."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from portal.directory.models import ROLES
from portal.schemas import EmailAddress
from shared.paging import PageQuerySchema
from shared.text import InputSchema
from shared.timestamps import Timestamp

LANGUAGE = fields.String(validate=validate.Regexp(r"^[a-z]{2}$"))
PHONE = validate.Regexp(r"^\+?[0-9 ().-]{4,40}$")


class ContactInSchema(InputSchema):
    """A new contact point of an administration."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    languages = fields.List(LANGUAGE, load_default=list, validate=validate.Length(max=10))
    email = EmailAddress(required=True, validate=validate.Length(max=320))
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    user_id = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=36),
        metadata={"description": "The person's portal account (they may then correct it)"},
    )


class ContactUpdateSchema(InputSchema):
    """Changes to an entry (only the fields sent)."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    languages = fields.List(LANGUAGE, validate=validate.Length(max=10))
    email = EmailAddress(validate=validate.Length(max=320))
    phone = fields.String(allow_none=True, validate=PHONE)
    user_id = fields.String(allow_none=True, validate=validate.Length(max=36))


class DirectoryQuerySchema(PageQuerySchema):
    """Filters of the directory."""

    country = fields.String(validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    region = fields.String(validate=validate.Length(max=60))
    language = LANGUAGE
    role = fields.String(validate=validate.OneOf(ROLES))
    administration_id = fields.String(validate=validate.Length(max=36))
    q = fields.String(validate=validate.Length(min=1, max=100))


class ContactSchema(Schema):
    """A contact point as members see it."""

    id = fields.String()
    administration_id = fields.String()
    name = fields.String()
    role = fields.String()
    languages = fields.List(fields.String())
    email = fields.String()
    phone = fields.String(allow_none=True)
    updated_at = Timestamp()


class ContactRecordSchema(ContactSchema):
    """Everything held about a contact point (the administration's export)."""

    user_id = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = Timestamp()
    updated_by = fields.String()


class ExportSchema(Schema):
    """What the directory holds about an administration's people."""

    administration_id = fields.String()
    administration_name = fields.String()
    exported_at = fields.String()
    contact_points = fields.List(fields.Nested(ContactRecordSchema))
