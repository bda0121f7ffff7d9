"""The members' pages of contributions: share a file, follow its review, answer a change request.

Thin views over the same use cases and schemas as the API (``records``, ``uploads``), so a page
accepts and refuses exactly what the API does. Plain HTML forms (multipart), no script.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from portal.catalogue import vocabulary
from portal.catalogue.audience import is_member
from portal.catalogue.forms import form_errors
from portal.contributions import records, uploads
from portal.contributions import schemas as s
from portal.contributions.texts import REVIEW_STEPS, STATUSES
from portal.files.store import FileStore
from shared.auth import Principal
from shared.db import Database
from shared.errors import ApiError
from shared.pages import signed_in

bp = Blueprint("contribution_pages", __name__)


@bp.url_value_preprocessor
def _room_for_files(_endpoint: str | None, _values: dict[str, Any] | None) -> None:
    # Runs before every before_request hook, one of which reads the form (its text rule and
    # the CSRF field): the body may be as large as a file, on these pages only.
    if request.method == "POST" and request.mimetype == "multipart/form-data":
        uploads.allow_upload(request, _limit())


@bp.context_processor
def _texts() -> dict[str, Any]:
    """These pages' labels of a contribution's status and review steps (translated at use)."""
    return {"contribution_statuses": STATUSES, "review_steps": REVIEW_STEPS}


def _db() -> Database:
    database: Database = current_app.extensions["db"]
    return database


def _store() -> FileStore:
    store: FileStore = current_app.extensions["portal.files"]
    return store


def _limit() -> int:
    return int(current_app.config["PORTAL_UPLOAD_MAX_BYTES"])


def _member() -> Principal:
    principal = signed_in()
    if not is_member(principal):
        raise ApiError(403, "forbidden", "only members of an administration contribute")
    return principal


def _form_page(form: Any, errors: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    with _db().session() as session:
        terms = vocabulary.list_vocabularies(session=session, language=g.language)
    kinds = [entry for entry in terms["kind"] if entry["code"] in s.KINDS]
    page = render_template(
        "portal/contributions/new.html",
        form=form,
        errors=errors,
        terms=terms,
        kinds=kinds,
        size_mb=_limit() // (1024 * 1024),
    )
    return page, status


@bp.get("/contribute")
def new_contribution() -> ResponseReturnValue:
    """The form to share a file (signed-in members)."""
    _member()
    return _form_page({}, {})


@bp.post("/contribute")
def send_contribution() -> ResponseReturnValue:
    """Send a file with its description to the editors' review."""
    principal = _member()
    contribution_id = str(uuid.uuid4())
    stored = None
    try:
        received = uploads.receive(request, _limit())
        fields = s.ContributionFieldsSchema().load(s.form_data(received.form, _FIELDS))
        stored = uploads.store_file(
            store=_store(), received=received, contribution_id=contribution_id, limit=_limit()
        )
        with _db().session(write=True) as session:
            records.submit(
                session=session,
                principal=principal,
                index=current_app.extensions["portal.search"],
                contribution_id=contribution_id,
                fields=fields,
                file=stored,
            )
    except (ValidationError, ApiError) as refused:
        if stored is not None:
            _store().delete(stored.stored.key)
        status = 422 if isinstance(refused, ValidationError) else refused.status
        return _form_page(request.form, _errors(refused), status)
    return redirect(url_for(".contribution", contribution_id=contribution_id, sent=1), 303)


_FIELDS = s.ContributionFieldsSchema()


def _errors(refused: ValidationError | ApiError) -> dict[str, Any]:
    errors = form_errors(refused, g.language)
    if isinstance(refused, ApiError) and not errors:
        errors = {"file": [refused.detail or refused.code]}
        errors = form_errors(ApiError(refused.status, refused.code, errors=errors), g.language)
    return errors


@bp.get("/contributions")
def my_contributions() -> ResponseReturnValue:
    """The signed-in member's contributions with their status."""
    principal = _member()
    with _db().session() as session:
        found, _total = records.list_contributions(
            session=session, principal=principal, status=None, page=1, page_size=100
        )
        views = [records.describe(session, c) for c in found]
    return render_template("portal/contributions/mine.html", contributions=views)


def _detail(contribution_id: str, errors: dict[str, Any], status: int = 200) -> ResponseReturnValue:
    principal = _member()
    with _db().session() as session:
        view = records.describe(
            session,
            records.load(session=session, principal=principal, contribution_id=contribution_id),
        )
    page = render_template(
        "portal/contributions/detail.html",
        c=view,
        errors=errors,
        sent=bool(request.args.get("sent")),
        size_mb=_limit() // (1024 * 1024),
    )
    return page, status


@bp.get("/contributions/<contribution_id>")
def contribution(contribution_id: str) -> ResponseReturnValue:
    """One contribution: status, versions and the editors' remarks."""
    return _detail(contribution_id, {})


@bp.post("/contributions/<contribution_id>/versions")
def send_version(contribution_id: str) -> ResponseReturnValue:
    """Answer a change request with a new version of the file."""
    principal = _member()
    stored = None
    try:
        with _db().session() as session:
            records.load(session=session, principal=principal, contribution_id=contribution_id)
        received = uploads.receive(request, _limit())
        note = s.VersionFieldsSchema().load(s.form_data(received.form, _VERSION))["note"]
        stored = uploads.store_file(
            store=_store(), received=received, contribution_id=contribution_id, limit=_limit()
        )
        with _db().session(write=True) as session:
            records.add_version(
                session=session,
                principal=principal,
                contribution_id=contribution_id,
                note=note,
                file=stored,
            )
    except (ValidationError, ApiError) as refused:
        if stored is not None:
            _store().delete(stored.stored.key)
        if isinstance(refused, ApiError) and refused.status == 404:
            raise
        status = 422 if isinstance(refused, ValidationError) else refused.status
        return _detail(contribution_id, _errors(refused), status)
    return redirect(url_for(".contribution", contribution_id=contribution_id, sent=1), 303)


_VERSION = s.VersionFieldsSchema()
