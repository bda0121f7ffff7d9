"""A forum thread's page: its posts a page at a time (``?page=last``, or ``?post=`` the page
showing that post), the quoted posts, the reply form (quoting a post, the members it mentions)
and, for editors, the moderation controls. ``post_forms`` shows it again with a refused form's
errors."""

from __future__ import annotations

from functools import partial
from typing import Any

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from portal.forums import members, threads, views
from portal.forums import page_kit as kit
from portal.forums.access import moderates
from portal.forums.models import ForumPost
from shared.auth import Principal
from shared.paging import MAX_PAGE

bp = kit.bp


def _page_of_post(session: Any, principal: Principal, thread_id: str, post_id: str) -> int:
    """Return the page of the thread that shows ``post_id`` (1 when the reader does not see it)."""
    found = threads.get_thread(session=session, principal=principal, thread_id=thread_id)
    ids = [post.id for post in found["posts"]]
    return ids.index(post_id) // kit.PAGE_SIZE + 1 if post_id in ids else 1


def _read_thread(session: Any, principal: Principal, thread_id: str) -> tuple[Any, int, int]:
    """Return the thread with the page of posts asked (``page=last``: the last one; ``post=``:
    the page showing that post), the page and the number of pages."""
    asked = request.values.get("page", "")
    page = int(asked) if asked.isdigit() and 0 < int(asked) <= MAX_PAGE else 1
    if request.args.get("post") and not asked:
        page = _page_of_post(session, principal, thread_id, request.args["post"])
    read = partial(
        threads.get_thread,
        session=session,
        principal=principal,
        thread_id=thread_id,
        page_size=kit.PAGE_SIZE,
    )
    found = read(page=page)
    pages = max(1, -(-found["total"] // kit.PAGE_SIZE))
    if asked == "last" and pages > page:
        page = pages
        found = read(page=page)
    return found, page, pages


def thread_page(
    thread_id: str, principal: Principal, form: Any, errors: dict[str, Any], status: int = 200
) -> ResponseReturnValue:
    """Render the thread's page with the reply form's values ``form`` and its ``errors``."""
    with kit.db().session() as session:
        found, page, pages = _read_thread(session, principal, thread_id)
        thread = views.thread_view(found["thread"])
        quoted = threads.quoted_posts(session=session, principal=principal, posts=found["posts"])
        by_id: dict[str, ForumPost] = {**quoted, **{p.id: p for p in found["posts"]}}
        window = int(current_app.config["PORTAL_FORUM_EDIT_WINDOW_S"])
        shown = [
            views.post_view(p, principal=principal, posts=by_id, window_s=window)
            for p in found["posts"]
        ]
        mentioned = members.members_named(
            session=session, ids=form.getlist("mentions") if hasattr(form, "getlist") else []
        )
        quoting = by_id.get(request.args.get("quote") or form.get("quoted_post_id") or "")
        if quoting is not None and "body" not in form:
            form = {"body": views.quote_text(quoting), "quoted_post_id": quoting.id}
    editor = moderates(principal)
    page_html = render_template(
        "portal/forums/thread.html",
        thread=thread,
        posts=shown,
        replies=max(0, found["total"] - 1),
        page=page,
        pages=pages,
        category=kit.category_view(thread["category"], principal),
        categories=kit.category_views(principal) if editor else [],
        item=kit.item_view(principal, thread["item_id"] or ""),
        editor=editor,
        form=form,
        errors=errors,
        mentioned=mentioned,
        quoting=views.post_view(quoting, principal=principal, posts=by_id, window_s=0)
        if quoting is not None
        else None,
        editing=request.args.get("edit", ""),
        notice=request.args.get("done", ""),
    )
    return page_html, status


@bp.get("/forums/threads/<thread_id>")
def thread(thread_id: str) -> ResponseReturnValue:
    """A thread with its posts in order, the reply form (none when locked) and, for editors,
    the moderation controls."""
    return thread_page(thread_id, kit.member(), {}, {})
