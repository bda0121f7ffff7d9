"""Reading pages of the catalogue: home, catalogue with search and filters, an item, proposals.

Thin views over the same use cases as the API (``listing.search_items``, ``reading.get_item``),
so a page shows exactly what the API would: the reader's visibility applies to every result,
facet count and cached entry alike. Forms work without scripts (plain GET and POST).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from portal.catalogue import items, listing, reading
from portal.catalogue import schemas as s
from portal.catalogue.audience import Audience, audience_for, is_member
from portal.catalogue.cache import ContentCache
from portal.catalogue.forms import caller, form_errors, proposal_data
from portal.forums.pages import item_threads
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.pages import LoginRequired, page_texts

bp = Blueprint("catalogue_pages", __name__)

LIST_FIELDS = ("kind", "technology", "domain", "topic", "region", "language", "status")
HOME_SIZE = 6
TOOL_SLUG = "ai-ml-readiness-self-assessment"


def _cache() -> ContentCache:
    cache: ContentCache = current_app.extensions["portal.cache"]
    return cache


def _search(audience: Audience, params: listing.SearchParams) -> dict[str, Any]:
    document = listing.search_items(
        db=current_app.extensions["db"],
        audience=audience,
        index=current_app.extensions["portal.search"],
        params=params,
        language=g.language,
        cache=_cache(),
        snapshots=current_app.extensions["portal.snapshots"],
    )
    result: dict[str, Any] = document.data()
    return result


def search_params(args: MultiDict[str, str]) -> tuple[listing.SearchParams, bool]:
    """Return the search a query string asks for, and whether parts of it were refused."""
    raw: dict[str, Any] = {name: args.getlist(name) for name in LIST_FIELDS if name in args}
    raw.update({name: args[name] for name in ("q", "sort", "page", "upcoming") if args.get(name)})
    schema = s.SearchQuerySchema()
    try:
        query = schema.load(raw)
        refused = False
    except ValidationError as exc:  # keep what is valid: a bad link still shows a catalogue
        bad = set(exc.messages if isinstance(exc.messages, dict) else {})
        query = schema.load({k: v for k, v in raw.items() if k not in bad})
        refused = True
    params = listing.SearchParams(
        q=query["q"].strip(),
        **{name: tuple(sorted(set(query[name]))) for name in LIST_FIELDS},
        upcoming=query["upcoming"],
        sort=query["sort"],
        page=query["page"],
        page_size=20,
    )
    return params, refused


def page_link(params: listing.SearchParams, **changes: Any) -> str:
    """Return the catalogue's address for ``params`` with ``changes`` (page 1 unless given)."""
    values: dict[str, Any] = {"q": params.q or None, "sort": params.sort or None}
    values.update({name: list(getattr(params, name)) or None for name in LIST_FIELDS})
    values["upcoming"] = "true" if params.upcoming else None
    values.update(changes)
    values.setdefault("page", None)
    return url_for(".catalogue", **{k: v for k, v in values.items() if v not in (None, 1)})


@bp.get("/")
def home() -> ResponseReturnValue:
    """The home page: the self-assessment, featured items, the latest additions, coming events."""
    principal = caller()
    audience = audience_for(principal)
    latest = _search(audience, listing.SearchParams(sort="newest", page_size=HOME_SIZE))
    events = _search(
        audience,
        listing.SearchParams(kind=("event",), upcoming=True, sort="event_date", page_size=3),
    )
    with current_app.extensions["db"].session() as session:
        featured = reading.featured_items(
            session=session, audience=audience, language=g.language, cache=_cache()
        ).data()
    return render_template(
        "portal/home.html",
        featured=featured,
        latest=latest["items"],
        events=events["items"],
        tool_slug=TOOL_SLUG,
        anonymous=principal is None,
    )


@bp.get("/catalogue")
def catalogue() -> ResponseReturnValue:
    """The catalogue: full-text search, filters with counts, sorting and pages."""
    principal = caller()
    audience = audience_for(principal)
    params, refused = search_params(request.args)
    if not audience.sees_unpublished:
        params = listing.SearchParams(**{**params.__dict__, "status": ()})
    result = _search(audience, params)
    return render_template(
        "portal/catalogue.html",
        result=result,
        params=params,
        refused=refused,
        link=lambda **changes: page_link(params, **changes),
        facets=[f for f in listing.FACETS if result["facets"].get(f) or getattr(params, f)],
        sorts=listing.SORTS if params.q else [s for s in listing.SORTS if s != "relevance"],
        anonymous=principal is None,
    )


@bp.get("/catalogue/<slug>")
def item(slug: str) -> ResponseReturnValue:
    """One item in the reader's language (else the language it exists in)."""
    principal = caller()
    audience = audience_for(principal)
    try:
        document = reading.get_item(
            db=current_app.extensions["db"],
            audience=audience,
            ref=slug,
            language=g.language,
            cache=_cache(),
        )
    except NotFound:
        hint = (
            page_texts().gettext("Some material is reserved for members: sign in to see it.")
            if principal is None
            else ""
        )
        raise NotFound(hint) from None
    view = document.data()
    if view["slug"] != slug:  # reached by id: the address to keep is the slug's
        return redirect(url_for(".item", slug=view["slug"]), 301)
    threads = item_threads(principal, view["id"])
    page = render_template("portal/item.html", item=view, threads=threads)
    response = current_app.make_response(page)
    response.headers["Content-Language"] = view["language"]
    return response


def _member() -> Principal:
    principal = caller()
    if principal is None:
        raise LoginRequired()
    if not is_member(principal) and not principal.has_any(Role.EDITOR):
        raise ApiError(403, "forbidden")
    return principal


@bp.get("/propose")
def propose_form() -> ResponseReturnValue:
    """The form to propose a case study (signed-in members)."""
    _member()
    return render_template("portal/propose.html", form={}, errors={}, sent=bool(request.args))


@bp.post("/propose")
def propose_submit() -> ResponseReturnValue:
    """Send a proposed case study to the editors' review."""
    principal = _member()
    try:
        data = s.ProposalSchema().load(proposal_data(request.form))
        with current_app.extensions["db"].session(write=True) as session:
            items.propose_case_study(
                session=session,
                principal=principal,
                index=current_app.extensions["portal.search"],
                data=data,
            )
    except (ValidationError, ApiError) as exc:
        errors = form_errors(exc, g.language)
        page = render_template("portal/propose.html", form=request.form, errors=errors, sent=False)
        return page, 400 if isinstance(exc, ValidationError) else exc.status
    return redirect(url_for(".propose_form", sent=1), 303)
