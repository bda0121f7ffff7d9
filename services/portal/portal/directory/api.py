"""HTTP API of the national contact point directory (``/api/v1/portal``), for signed-in
members only: thin views over ``directory.contacts``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from portal.directory import contacts
from portal.directory import schemas as s
from shared.auth import Principal, Role, current_principal, require
from shared.paging import PAGE_HEADERS, paged

blp = Blueprint(
    "directory",
    __name__,
    url_prefix="/api/v1/portal",
    description="National contact points of the administrations (signed-in members only)",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.MEMBER, Role.EDITOR, Role.OPERATOR)
KEEPERS = (Role.COORDINATOR, Role.OPERATOR)
PAGING = ("page", "page_size")


@contextmanager
def _uow() -> Iterator[tuple[Session, Principal]]:
    with current_app.extensions["db"].session(write=True) as session:
        yield session, current_principal()


@blp.route("/contact-points")
class Directory(MethodView):
    """The directory."""

    @require(*MEMBERS)
    @blp.arguments(s.DirectoryQuerySchema, location="query")
    @blp.response(200, s.ContactSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """Search the contact points by country, region, language, role or name."""
        paging = {key: query[key] for key in PAGING}
        filters = {key: value for key, value in query.items() if key not in PAGING}
        with _uow() as (session, principal):
            rows, total = contacts.search_contacts(
                session=session, principal=principal, filters=filters, **paging
            )
        return paged(rows, total=total, query=paging)


@blp.route("/administrations/<administration_id>/contact-points")
class AdministrationContacts(MethodView):
    """An administration's contact points."""

    @require(*KEEPERS)
    @blp.arguments(s.ContactInSchema)
    @blp.response(201, s.ContactSchema)
    def post(self, data: dict[str, Any], administration_id: str) -> Any:
        """Name a contact point of the administration."""
        with _uow() as (session, principal):
            return contacts.add_contact(
                session=session,
                principal=principal,
                administration_id=administration_id,
                fields=data,
            )


@blp.route("/administrations/<administration_id>/contact-points/export")
class AdministrationExport(MethodView):
    """What the directory holds about an administration's people."""

    @require(*KEEPERS)
    @blp.response(200, s.ExportSchema)
    def get(self, administration_id: str) -> Any:
        """Export every entry of the administration, with who changed it and when."""
        with _uow() as (session, principal):
            return contacts.export_contacts(
                session=session, principal=principal, administration_id=administration_id
            )


@blp.route("/contact-points/<contact_id>")
class Contact(MethodView):
    """One contact point."""

    @require(*MEMBERS)
    @blp.response(200, s.ContactSchema)
    def get(self, contact_id: str) -> Any:
        """Read one contact point."""
        with _uow() as (session, principal):
            return contacts.get_contact(session=session, principal=principal, contact_id=contact_id)

    @require(*MEMBERS)
    @blp.arguments(s.ContactUpdateSchema)
    @blp.response(200, s.ContactSchema)
    def patch(self, data: dict[str, Any], contact_id: str) -> Any:
        """Change an entry (its coordinator or an operator; the person: their own details)."""
        with _uow() as (session, principal):
            return contacts.update_contact(
                session=session, principal=principal, contact_id=contact_id, changes=data
            )

    @require(*KEEPERS)
    @blp.response(204)
    def delete(self, contact_id: str) -> None:
        """Remove an entry."""
        with _uow() as (session, principal):
            contacts.remove_contact(session=session, principal=principal, contact_id=contact_id)
