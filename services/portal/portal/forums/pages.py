"""The members' forum pages: categories, a category's threads, starting a thread (in a category
or about a catalogue item), the editors' moderation log and reports, and the threads shown on a
catalogue item's page. A thread's page is in ``thread_pages``, its forms in ``post_forms``;
what they share (the one blueprint, ``bp``) in ``page_kit``.

Thin views over the same use cases and schemas as the API (``threads``, ``posts``,
``moderation``), so a page accepts and refuses exactly what the API does. Plain HTML forms
(CSRF field); one script (``static/forums/mentions.js``) adds the mentions picker to the reply
form, which works without it (no mentions).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from portal.forums import moderation, threads, views
from portal.forums import page_kit as kit
from portal.forums import schemas as s
from portal.forums.access import moderates
from portal.forums.models import LANGUAGES
from shared.auth import Principal
from shared.errors import ApiError

bp = kit.bp


@bp.get("/forums")
def index() -> ResponseReturnValue:
    """The categories, by technology and by topic, with their number of threads."""
    principal = kit.member()
    found = kit.category_views(principal)
    for category in found:
        category["threads"] = kit.thread_rows(principal, {"category": category["key"]}, 1, 1)[1]
    return render_template("portal/forums/index.html", categories=found)


def _category_page(key: str, principal: Principal) -> ResponseReturnValue:
    category = kit.category_view(key, principal)
    language = request.args.get("language", "")
    language = language if language in LANGUAGES else ""
    page = kit.page_number()
    filters = {"category": key, **({"language": language} if language else {})}
    rows, total = kit.thread_rows(principal, filters, page, kit.PAGE_SIZE)
    return render_template(
        "portal/forums/category.html",
        category=category,
        threads=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // kit.PAGE_SIZE)),
        language=language,
        editor=moderates(principal),
        form={"language": g.language, "category": key},
        errors={},
    )


@bp.get("/forums/categories/<key>")
def category(key: str) -> ResponseReturnValue:
    """A category's threads, the most recently active first, by language, with the new thread
    form."""
    return _category_page(key, kit.member())


def _new_page(
    principal: Principal, form: Any, errors: dict[str, Any], status: int = 200
) -> ResponseReturnValue:
    item = kit.item_view(principal, form.get("item", ""))
    found = kit.category_views(principal)
    keys = [c["key"] for c in found]
    chosen = form.get("category", "")
    if chosen not in keys and item is not None:  # an item's technology names its category
        chosen = next((t["code"] for t in item.get("technologies", []) if t["code"] in keys), "")
    page_html = render_template(
        "portal/forums/new.html",
        categories=found,
        form={"language": g.language, **dict(form.items()), "category": chosen},
        errors=errors,
        item=item,
    )
    return page_html, status


@bp.get("/forums/new")
def new_thread() -> ResponseReturnValue:
    """The form to start a thread, in a category or about a catalogue item (``?item=slug``)."""
    return _new_page(kit.member(), request.args, {})


@bp.post("/forums/threads")
def start() -> ResponseReturnValue:
    """Open a thread with its first post, optionally about a catalogue item."""
    principal = kit.member()
    ref = request.form.get("item", "").strip()
    item = kit.item_view(principal, ref)
    try:
        fields = kit.load_form(s.ThreadInSchema(), ("category", "title", "language", "body"))
        # an item the reader cannot see is passed as given: the use case refuses it
        fields["item_id"] = item["id"] if item else (ref or None)
        with kit.db().session(write=True) as session:
            started = threads.start_thread(
                session=session,
                principal=principal,
                fields=fields,
                limiter=current_app.extensions["portal.forum_posts"],
            )
            thread_id = started["thread"].id
    except (ValidationError, ApiError) as refused:
        status = 422 if isinstance(refused, ValidationError) else refused.status
        return _new_page(principal, request.form, kit.refusal_errors(refused), status)
    return redirect(url_for(".thread", thread_id=thread_id), 303)


@bp.get("/forums/moderation-log")
def moderation_log() -> ResponseReturnValue:
    """The editors' moderation log, the latest first (``?target=`` one thread's or post's)."""
    principal = kit.member()
    page = kit.page_number()
    target = request.args.get("target", "")[:36] or None
    with kit.db().session() as session:
        lines, total = moderation.moderation_log(
            session=session,
            principal=principal,
            page=page,
            page_size=kit.LOG_PAGE_SIZE,
            target_id=target,
        )
        shown = views.log_views(session, lines)
    return render_template(
        "portal/forums/log.html",
        lines=shown,
        total=total,
        page=page,
        pages=max(1, -(-total // kit.LOG_PAGE_SIZE)),
        target=target,
    )


@bp.get("/forums/reports")
def reports() -> ResponseReturnValue:
    """The members' reports of posts, the latest first (editors)."""
    principal = kit.member()
    page = kit.page_number()
    with kit.db().session() as session:
        rows, total = moderation.list_reports(
            session=session, principal=principal, page=page, page_size=kit.LOG_PAGE_SIZE
        )
        shown = views.report_views(session, rows)
    return render_template(
        "portal/forums/reports.html",
        reports=shown,
        total=total,
        page=page,
        pages=max(1, -(-total // kit.LOG_PAGE_SIZE)),
    )


def item_threads(principal: Principal | None, item_id: str) -> list[dict[str, Any]] | None:
    """Return the threads about a catalogue item for its page (None: the reader has no forums)."""
    if principal is None:
        return None
    try:
        rows, _total = kit.thread_rows(principal, {"item_id": item_id}, 1, kit.PAGE_SIZE)
    except ApiError:
        return None
    return list(rows)
