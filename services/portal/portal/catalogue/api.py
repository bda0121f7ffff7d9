"""HTTP API of the catalogue (``/api/v1/portal/content``): thin views over the use cases."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint

from portal.catalogue import items, listing, reading, vocabulary
from portal.catalogue import schemas as s
from portal.catalogue.audience import EDITORS, PUBLIC, Audience, audience_for
from portal.catalogue.cache import ContentCache, Document
from portal.catalogue.search import SearchIndex
from portal.models import ContentItem
from shared.auth import Principal, Role, current_principal, optional_principal, require
from shared.db import Database

blp = Blueprint(
    "content",
    __name__,
    url_prefix="/api/v1/portal/content",
    description="The catalogue: resources, case studies, tools, news and events",
)
JSON = "application/json"
LOCATION = {"description": "The new item's URL", "schema": {"type": "string"}}
# kind, visibility, status, language, subtype.<kind>, then each editable scheme.
VOCABULARIES = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "label": {"type": "string"},
                "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    },
}
CACHE_CONTROL = {
    PUBLIC: "public, max-age=30",
    "members": "private, no-cache",
    EDITORS: "no-store",
}


def _index() -> SearchIndex:
    index: SearchIndex = current_app.extensions["portal.search"]
    return index


def _cache() -> ContentCache:
    cache: ContentCache = current_app.extensions["portal.cache"]
    return cache


def _db() -> Database:
    database: Database = current_app.extensions["db"]
    return database


def _reader() -> Any:
    return _db().session()


def _writer() -> Any:
    return current_app.extensions["db"].session(write=True)


def _caller() -> Principal | None:
    """Return the caller; a bad bearer token is refused (401), a stale page cookie ignored."""
    if request.headers.get("Authorization"):
        return current_principal()
    return optional_principal()


def _document(document: Document, audience: Audience, status: int = 200) -> Response:
    response = Response(document.body, status=status, mimetype=JSON)
    response.headers["Content-Language"] = document.language
    response.headers["Cache-Control"] = CACHE_CONTROL[audience.visibility_class]
    response.headers["Vary"] = "Authorization, Cookie"  # a plain header: no HeaderSet to parse
    return response


def _editor_view(item_id: str) -> Response:
    principal = current_principal()
    audience = Audience(EDITORS, principal.subject)
    document = reading.get_item(db=_db(), audience=audience, ref=item_id, language=g.language)
    return _document(document, audience)


def _params(query: dict[str, Any]) -> listing.SearchParams:
    return listing.SearchParams(
        q=query["q"].strip(),
        **{
            name: tuple(sorted(set(query[name])))
            for name in ("kind", "technology", "domain", "topic", "region", "language", "status")
        },
        upcoming=query["upcoming"],
        sort=query["sort"],
        page=query["page"],
        page_size=query["page_size"],
    )


@blp.route("/items")
class Items(MethodView):
    """The catalogue's items."""

    @blp.doc(security=[{}, {"bearerAuth": []}])
    @blp.arguments(s.SearchQuerySchema, location="query")
    @blp.response(200, s.SearchResultSchema)
    def get(self, query: dict[str, Any]) -> Response:
        """Search and browse the items you may see, with facet counts (no account needed)."""
        audience = audience_for(_caller())
        document = listing.search_items(
            db=_db(),
            audience=audience,
            index=_index(),
            params=_params(query),
            language=g.language,
            cache=_cache(),
            snapshots=current_app.extensions["portal.snapshots"],
        )
        return _document(document, audience)

    @require(Role.EDITOR)
    @blp.arguments(s.ItemCreateSchema)
    @blp.response(201, s.ItemSchema, headers={"Location": LOCATION})
    def post(self, data: dict[str, Any]) -> Response:
        """Create an item as a draft (editors)."""
        with _writer() as session:
            item = items.create_item(
                session=session, principal=current_principal(), index=_index(), data=data
            )
        response = _editor_view(item.id)
        response.status_code = 201
        response.headers["Location"] = f"{blp.url_prefix}/items/{item.id}"
        return response


@blp.route("/items/<ref>")
class Item(MethodView):
    """One item, by id or slug."""

    @blp.doc(security=[{}, {"bearerAuth": []}])
    @blp.response(200, s.ItemSchema)
    def get(self, ref: str) -> Response:
        """Read an item in your language (else the language it exists in; see Content-Language)."""
        audience = audience_for(_caller())
        document = reading.get_item(
            db=_db(), audience=audience, ref=ref, language=g.language, cache=_cache()
        )
        return _document(document, audience)

    @require(Role.EDITOR)
    @blp.arguments(s.ItemUpdateSchema)
    @blp.response(200, s.ItemSchema)
    def patch(self, data: dict[str, Any], ref: str) -> Response:
        """Change an item (editors); send ``version`` to be told when someone changed it since."""
        with _writer() as session:
            item = items.update_item(
                session=session,
                principal=current_principal(),
                index=_index(),
                item_id=ref,
                data=data,
                cache=_cache(),
            )
        return _editor_view(item.id)


def _transition(use_case: Any, ref: str, data: dict[str, Any] | None, **extra: Any) -> Response:
    with _writer() as session:
        item: ContentItem = use_case(
            session=session,
            principal=current_principal(),
            item_id=ref,
            note=(data or {}).get("note", ""),
            **extra,
        )
    return _editor_view(item.id)


@blp.route("/items/<ref>/submit")
class SubmitItem(MethodView):
    """Sending a draft for review."""

    @require(Role.EDITOR)
    @blp.arguments(s.TransitionSchema, required=False)
    @blp.response(200, s.ItemSchema)
    def post(self, data: dict[str, Any], ref: str) -> Response:
        """Send a draft for review (editors)."""
        return _transition(items.submit_item, ref, data)


@blp.route("/items/<ref>/publish")
class PublishItem(MethodView):
    """Publishing an item in review."""

    @require(Role.EDITOR)
    @blp.arguments(s.TransitionSchema, required=False)
    @blp.response(200, s.ItemSchema)
    def post(self, data: dict[str, Any], ref: str) -> Response:
        """Publish an item in review: a second editor, not one who changed it (else 403)."""
        return _transition(items.publish_item, ref, data, cache=_cache())


@blp.route("/items/<ref>/archive")
class ArchiveItem(MethodView):
    """Archiving an item."""

    @require(Role.EDITOR)
    @blp.arguments(s.TransitionSchema, required=False)
    @blp.response(200, s.ItemSchema)
    def post(self, data: dict[str, Any], ref: str) -> Response:
        """Archive an item (editors): a published one leaves the catalogue."""
        return _transition(items.archive_item, ref, data, cache=_cache())


@blp.route("/items/<ref>/reopen")
class ReopenItem(MethodView):
    """Taking an item back to draft."""

    @require(Role.EDITOR)
    @blp.arguments(s.TransitionSchema, required=False)
    @blp.response(200, s.ItemSchema)
    def post(self, data: dict[str, Any], ref: str) -> Response:
        """Take an item back to draft for edits (editors): a published one leaves the catalogue."""
        return _transition(items.reopen_item, ref, data, cache=_cache())


@blp.route("/items/<ref>/history")
class History(MethodView):
    """An item's history."""

    @require(Role.EDITOR)
    @blp.response(200, s.RevisionSchema(many=True))
    def get(self, ref: str) -> list[dict[str, Any]]:
        """List every change of an item, newest first: who, when, what, version (editors)."""
        with _reader() as session:
            revisions = items.item_history(
                session=session, principal=current_principal(), item_id=ref
            )
            return [reading.history_view(revision) for revision in revisions]


@blp.route("/proposals")
class Proposals(MethodView):
    """Case studies proposed by member administrations."""

    @require()
    @blp.arguments(s.ProposalSchema)
    @blp.response(201, s.ItemSchema)
    def post(self, data: dict[str, Any]) -> Response:
        """Propose a case study (signed-in users of an administration): editors review it."""
        principal = current_principal()
        with _writer() as session:
            item = items.propose_case_study(
                session=session, principal=principal, index=_index(), data=data
            )
            body = {"id": item.id, "slug": item.slug, "status": item.status, "kind": item.kind}
        document = Document.of(body, g.language)
        response = _document(document, Audience(EDITORS, principal.subject), 201)
        return response


@blp.route("/vocabularies")
class Vocabularies(MethodView):
    """The catalogue's vocabularies."""

    @blp.doc(security=[{}, {"bearerAuth": []}])
    @blp.response(200, description="Each vocabulary (key) with its entries")
    @blp.doc(responses={"200": {"content": {"application/json": {"schema": VOCABULARIES}}}})
    def get(self) -> dict[str, Any]:
        """List kinds, subtypes, technologies, domains, topics and regions with their labels."""
        _caller()  # the same for everyone, but a bad bearer token is refused as elsewhere
        with _reader() as session:
            return vocabulary.list_vocabularies(session=session, language=g.language)


@blp.route("/vocabularies/<scheme>")
class Vocabulary(MethodView):
    """One editable vocabulary (technology, domain, topic, region)."""

    @require(Role.EDITOR)
    @blp.arguments(s.TermCreateSchema)
    @blp.response(201, s.TermSchema)
    def post(self, data: dict[str, Any], scheme: str) -> dict[str, Any]:
        """Add a term (editors)."""
        with _writer() as session:
            term = vocabulary.add_term(
                session=session, principal=current_principal(), scheme=scheme, **data
            )
        _cache().invalidate()
        return {"code": term.code, "label": term.labels[g.language], "labels": term.labels}
