"""HTTP API of members' contributions (``/api/v1/portal/contributions``): thin views."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import ValidationError

from portal.catalogue.audience import is_member
from portal.catalogue.cache import ContentCache
from portal.catalogue.search import SearchIndex
from portal.contributions import records, uploads
from portal.contributions import schemas as s
from portal.files import names
from portal.files.sniff import ALLOWED
from portal.files.store import FileStore, iter_chunks
from shared.auth import Principal, Role, current_principal, optional_principal, require
from shared.db import Database
from shared.errors import ApiError
from shared.paging import PAGE_HEADERS, paged

blp = Blueprint(
    "contributions",
    __name__,
    url_prefix="/api/v1/portal/contributions",
    description="Members' material with its files: upload, editors' review, new versions",
)
LOCATION = {"description": "The contribution's URL", "schema": {"type": "string"}}
DOWNLOAD = {
    "description": "The file: inline for a plain image, else as an attachment",
    "content": {media_type: {"schema": s.BINARY} for media_type in sorted(ALLOWED)},
    "headers": {
        name: {"description": description, "schema": {"type": "string"}}
        for name, description in (
            ("Content-Disposition", "attachment (inline for images), with the file's name"),
            ("X-Content-Type-Options", "nosniff: the type sent is the type found"),
            ("Cache-Control", "private, no-store unless the item is published and public"),
            ("ETag", "the file's SHA-256"),
        )
    },
}
# Published public files may be kept by shared caches briefly (the item page's own lifetime).
PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-store"
# Bytes per write of a download: fewer, larger writes (the store reads ahead the same).
DOWNLOAD_CHUNK = 256 * 1024


def _db() -> Database:
    database: Database = current_app.extensions["db"]
    return database


def _store() -> FileStore:
    store: FileStore = current_app.extensions["portal.files"]
    return store


def _limit() -> int:
    return int(current_app.config["PORTAL_UPLOAD_MAX_BYTES"])


@blp.before_request
def _room_for_files() -> None:
    """Uploads may be larger than other requests (read before the caller is known: a cookie
    session's CSRF field is in the same multipart body)."""
    if request.method == "POST" and request.mimetype == "multipart/form-data":
        uploads.allow_upload(request, _limit())


def _member() -> Principal:
    principal = current_principal()
    if not is_member(principal):
        raise ApiError(403, "forbidden", "only members of an administration contribute")
    return principal


def _fields(form: Any, schema: Any) -> dict[str, Any]:
    try:
        loaded: dict[str, Any] = schema.load(s.form_data(form, schema))
    except ValidationError as refused:
        raise ApiError(422, "validation_failed", errors=refused.normalized_messages()) from None
    return loaded


def _stored(received: uploads.Received, contribution_id: str) -> uploads.StoredFile:
    return uploads.store_file(
        store=_store(), received=received, contribution_id=contribution_id, limit=_limit()
    )


def _view(contribution_id: str, status: int = 200) -> tuple[dict[str, Any], int]:
    with _db().session() as session:
        contribution = records.load(
            session=session, principal=current_principal(), contribution_id=contribution_id
        )
        return records.describe(session, contribution), status


def _forget(stored: uploads.StoredFile) -> None:
    """Remove a stored file whose record could not be written (best effort)."""
    try:
        _store().delete(stored.stored.key)
    except Exception:  # the refusal being raised matters more than this cleanup
        current_app.logger.warning("could not remove an orphan file %s", stored.stored.key)


@blp.route("")
class Contributions(MethodView):
    """Members' contributions."""

    @require()
    @blp.arguments(s.ListQuerySchema, location="query")
    @blp.response(200, s.ContributionSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List your contributions, newest first (editors: everyone's, to review)."""
        with _db().session() as session:
            found, total = records.list_contributions(
                session=session,
                principal=current_principal(),
                status=query.get("status"),
                page=query["page"],
                page_size=query["page_size"],
            )
            views = [records.describe(session, c) for c in found]
        return paged(views, total=total, query=query)

    @require()
    @blp.doc(
        requestBody={
            "required": True,
            "content": {"multipart/form-data": {"schema": s.ContributionUploadSchema}},
        }
    )
    @blp.response(201, s.ContributionSchema, headers={"Location": LOCATION})
    def post(self) -> Any:
        """Upload a file with its description (members): it enters the editors' review."""
        principal = _member()
        received = uploads.receive(request, _limit())
        fields = _fields(received.form, s.ContributionFieldsSchema())
        contribution_id = str(uuid.uuid4())
        stored = _stored(received, contribution_id)
        try:
            with _db().session(write=True) as session:
                records.submit(
                    session=session,
                    principal=principal,
                    index=_index(),
                    contribution_id=contribution_id,
                    fields=fields,
                    file=stored,
                )
        except BaseException:
            _forget(stored)
            raise
        body, status = _view(contribution_id, 201)
        return body, status, {"Location": f"{blp.url_prefix}/{contribution_id}"}


def _index() -> SearchIndex:
    index: SearchIndex = current_app.extensions["portal.search"]
    return index


def _cache() -> ContentCache:
    cache: ContentCache = current_app.extensions["portal.cache"]
    return cache


@blp.route("/<contribution_id>")
class ContributionView(MethodView):
    """One contribution."""

    @require()
    @blp.response(200, s.ContributionSchema)
    def get(self, contribution_id: str) -> Any:
        """Read a contribution: its status, versions and the reviewers' remarks (its
        contributor and editors)."""
        return _view(contribution_id)


@blp.route("/<contribution_id>/versions")
class Versions(MethodView):
    """The versions of a contribution's file."""

    @require()
    @blp.doc(
        requestBody={
            "required": True,
            "content": {"multipart/form-data": {"schema": s.VersionUploadSchema}},
        }
    )
    @blp.response(201, s.ContributionSchema)
    def post(self, contribution_id: str) -> Any:
        """Answer a change request with a new file (the contributor): back to review."""
        principal = current_principal()
        with _db().session() as session:
            records.load(session=session, principal=principal, contribution_id=contribution_id)
        received = uploads.receive(request, _limit())
        fields = _fields(received.form, s.VersionFieldsSchema())
        stored = _stored(received, contribution_id)
        try:
            with _db().session(write=True) as session:
                records.add_version(
                    session=session,
                    principal=principal,
                    contribution_id=contribution_id,
                    note=fields["note"],
                    file=stored,
                )
        except BaseException:
            _forget(stored)
            raise
        return _view(contribution_id, 201)


def _review(contribution_id: str, action: str, note: str) -> Any:
    records.review(
        db=_db(),
        principal=current_principal(),
        contribution_id=contribution_id,
        action=action,
        note=note,
        cache=_cache(),
    )
    return _view(contribution_id)


@blp.route("/<contribution_id>/request-changes")
class RequestChanges(MethodView):
    """Sending a contribution back to its contributor."""

    @require(Role.EDITOR)
    @blp.arguments(s.RemarkInputSchema)
    @blp.response(200, s.ContributionSchema)
    def post(self, data: dict[str, Any], contribution_id: str) -> Any:
        """Ask the contributor for changes, saying which (editors; items in review)."""
        return _review(contribution_id, "request_changes", data["note"])


@blp.route("/<contribution_id>/publish")
class Publish(MethodView):
    """Publishing a contribution."""

    @require(Role.EDITOR)
    @blp.arguments(s.DecisionSchema, required=False)
    @blp.response(200, s.ContributionSchema)
    def post(self, data: dict[str, Any] | None, contribution_id: str) -> Any:
        """Publish a contribution in review (editors: never one who changed it)."""
        return _review(contribution_id, "publish", (data or {}).get("note", ""))


@blp.route("/<contribution_id>/archive")
class Archive(MethodView):
    """Declining or withdrawing a contribution."""

    @require(Role.EDITOR)
    @blp.arguments(s.DecisionSchema, required=False)
    @blp.response(200, s.ContributionSchema)
    def post(self, data: dict[str, Any] | None, contribution_id: str) -> Any:
        """Archive a contribution (editors): declined, or a published one withdrawn."""
        return _review(contribution_id, "archive", (data or {}).get("note", ""))


def _caller() -> Principal | None:
    """The caller; a bad bearer token is refused (401), a stale page cookie ignored."""
    if request.headers.get("Authorization"):
        return current_principal()
    return optional_principal()


def _download(contribution_id: str, number: int | None) -> Response:
    with _db().session() as session:
        version, public = records.readable_version(
            session=session, principal=_caller(), contribution_id=contribution_id, number=number
        )
        key, name, media_type = version.storage_key, version.file_name, version.media_type
        size, sha256 = version.size, version.sha256
    stream = _store().open(key)
    inline = media_type in ("image/png", "image/jpeg", "image/gif", "image/webp")
    response = Response(
        iter_chunks(stream, DOWNLOAD_CHUNK), mimetype=media_type, direct_passthrough=True
    )
    response.headers["Content-Length"] = str(size)
    response.headers["Content-Disposition"] = names.content_disposition(name, inline=inline)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = PUBLIC_CACHE if public else PRIVATE_CACHE
    response.headers["ETag"] = f'"{sha256}"'
    response.headers["Vary"] = "Authorization, Cookie"
    return response


@blp.route("/<contribution_id>/file")
class CurrentFile(MethodView):
    """The contribution's current file."""

    @blp.doc(security=[{}, {"bearerAuth": []}])
    @blp.response(200, description="The file", headers=None)
    @blp.doc(responses={"200": DOWNLOAD})
    def get(self, contribution_id: str) -> Response:
        """Download the file, readable exactly as its item is (a members' file: 404 to the
        public), and by its contributor and the editors."""
        return _download(contribution_id, None)


@blp.route("/<contribution_id>/versions/<number>/file")
class VersionFile(MethodView):
    """One version of the contribution's file."""

    @require()
    @blp.response(200, description="The file", headers=None)
    @blp.doc(responses={"200": DOWNLOAD})
    def get(self, contribution_id: str, number: str) -> Response:
        """Download an earlier version (the contributor and the editors)."""
        if not number.isdecimal() or len(number) > 6:
            raise ApiError(404, "not_found")
        return _download(contribution_id, int(number))
