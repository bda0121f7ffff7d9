"""What the members' forum pages share: their one blueprint (which also serves the mentions
picker's script), the signed-in member, forms loaded by the API's schemas, refusals as field
errors, and the categories, threads and catalogue items the pages show.

The pages' views are in ``pages`` (the forums, a category, a new thread), ``thread_pages`` (a
thread and its posts) and ``post_forms`` (replies, edits, reports and moderation); all their
routes are on ``bp``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, g, request
from marshmallow import Schema, ValidationError
from marshmallow.fields import List as ListField

from portal.catalogue import reading
from portal.catalogue.audience import audience_for
from portal.catalogue.forms import form_errors
from portal.forums import categories, threads, views
from portal.forums.access import require_member
from shared.auth import Principal
from shared.db import Database
from shared.errors import ApiError, NotFound, problem_body
from shared.pages import signed_in

# The portal's static files (the mentions picker), served at /forums/assets/.
bp = Blueprint(
    "forum_pages",
    __name__,
    static_folder=str(Path(__file__).parent.parent / "static" / "forums"),
    static_url_path="/forums/assets",
)

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50


def db() -> Database:
    """Return the portal's database."""
    database: Database = current_app.extensions["db"]
    return database


def member() -> Principal:
    """Return the signed-in forum member (sign in first; 403 for those the forums refuse)."""
    principal = signed_in()
    require_member(principal)
    return principal


def page_number() -> int:
    """Return the page asked by ``?page=`` (1 when none or not a positive number)."""
    page = request.args.get("page", 1, type=int)
    return page if page and page > 0 else 1


def load_form(schema: Schema, names: tuple[str, ...]) -> dict[str, Any]:
    """Return the form's fields ``names`` loaded by the API's schema (empty optional ids are
    none; a list field is every value sent under its name)."""
    data: dict[str, Any] = {}
    for name in names:
        if isinstance(schema.fields[name], ListField):
            data[name] = request.form.getlist(name)
            continue
        value = request.form.get(name, "")
        data[name] = value if value or schema.fields[name].required else None
    loaded: dict[str, Any] = schema.load({k: v for k, v in data.items() if v is not None})
    return loaded


def refusal_errors(refused: ValidationError | ApiError) -> dict[str, Any]:
    """Return a refused form's field errors; a refusal of no one field is its problem's text."""
    if isinstance(refused, ApiError) and not refused.errors:
        body = problem_body(refused.status, refused.code, refused.detail, None, g.language)
        said = {body["title"], body["detail"]}
        return {"_form": [body["title"], *sorted(said - {body["title"]})]}
    return form_errors(refused, g.language)


def category_views(principal: Principal) -> list[dict[str, Any]]:
    """Return the categories the member sees, named in the page's language."""
    with db().session() as session:
        found = categories.list_categories(session=session, principal=principal)
        return [views.category_view(c, g.language) for c in found]


def category_view(key: str, principal: Principal) -> dict[str, Any]:
    """Return the category ``key`` the member sees, else 404."""
    found = next((c for c in category_views(principal) if c["key"] == key), None)
    if found is None:
        raise NotFound()
    return found


def thread_rows(principal: Principal, filters: dict[str, Any], page: int, size: int) -> Any:
    """Return one page of the threads matching ``filters``, each with its number of replies,
    and the number of all those matching."""
    with db().session() as session:
        rows, total = threads.list_threads(
            session=session, principal=principal, filters=filters, page=page, page_size=size
        )
        replies = threads.reply_counts(
            session=session, principal=principal, thread_ids=[t.id for t in rows]
        )
        return [{**views.thread_view(t), "replies": replies[t.id]} for t in rows], total


def item_view(principal: Principal, ref: str) -> dict[str, Any] | None:
    """Return the catalogue item ``ref`` (slug or id) the reader sees, if any."""
    if not ref:
        return None
    try:
        view: dict[str, Any] = reading.get_item(
            db=db(),
            audience=audience_for(principal),
            ref=ref,
            language=g.language,
            cache=current_app.extensions["portal.cache"],
        ).data()
    except NotFound:
        return None
    return view
