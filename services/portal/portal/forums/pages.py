"""The members' forum pages: categories, a category's threads, a thread with its posts, and the
editors' moderation (controls on the thread page, the log page).

Thin views over the same use cases and schemas as the API (``threads``, ``posts``,
``moderation``), so a page accepts and refuses exactly what the API does. Plain HTML forms
(CSRF field); one script (``static/forums/mentions.js``) adds the mentions picker to the reply
form, which works without it (no mentions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import Schema, ValidationError
from marshmallow.fields import List as ListField

from portal.catalogue import reading
from portal.catalogue.audience import audience_for
from portal.catalogue.forms import caller, form_errors
from portal.forums import categories, members, moderation, posts, threads, views
from portal.forums import schemas as s
from portal.forums.access import moderates, require_member
from portal.forums.models import LANGUAGES, ForumPost
from shared.auth import Principal
from shared.db import Database
from shared.errors import ApiError, NotFound, problem_body
from shared.pages import LoginRequired
from shared.paging import MAX_PAGE

# The portal's static files (the mentions picker), served at /forums/assets/.
bp = Blueprint(
    "forum_pages",
    __name__,
    static_folder=str(Path(__file__).parent.parent / "static" / "forums"),
    static_url_path="/forums/assets",
)

PAGE_SIZE = 20
LOG_PAGE_SIZE = 50


def _db() -> Database:
    database: Database = current_app.extensions["db"]
    return database


def _member() -> Principal:
    principal = caller()
    if principal is None:
        raise LoginRequired()
    require_member(principal)
    return principal


def _page() -> int:
    page = request.args.get("page", 1, type=int)
    return page if page and page > 0 else 1


def _load(schema: Schema, names: tuple[str, ...]) -> dict[str, Any]:
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


def _errors(refused: ValidationError | ApiError) -> dict[str, Any]:
    """Return a refused form's field errors; a refusal of no one field is its problem's text."""
    if isinstance(refused, ApiError) and not refused.errors:
        body = problem_body(refused.status, refused.code, refused.detail, None, g.language)
        said = {body["title"], body["detail"]}
        return {"_form": [body["title"], *sorted(said - {body["title"]})]}
    return form_errors(refused, g.language)


def _categories(principal: Principal) -> list[dict[str, Any]]:
    with _db().session() as session:
        found = categories.list_categories(session=session, principal=principal)
        return [views.category_view(c, g.language) for c in found]


def _threads(principal: Principal, filters: dict[str, Any], page: int, size: int) -> Any:
    with _db().session() as session:
        rows, total = threads.list_threads(
            session=session, principal=principal, filters=filters, page=page, page_size=size
        )
        replies = threads.reply_counts(
            session=session, principal=principal, thread_ids=[t.id for t in rows]
        )
        return [{**views.thread_view(t), "replies": replies[t.id]} for t in rows], total


@bp.get("/forums")
def index() -> ResponseReturnValue:
    """The categories, by technology and by topic, with their number of threads."""
    principal = _member()
    found = _categories(principal)
    for category in found:
        category["threads"] = _threads(principal, {"category": category["key"]}, 1, 1)[1]
    return render_template("portal/forums/index.html", categories=found)


def _category(key: str, principal: Principal) -> dict[str, Any]:
    found = next((c for c in _categories(principal) if c["key"] == key), None)
    if found is None:
        raise NotFound()
    return found


def _item(principal: Principal, ref: str) -> dict[str, Any] | None:
    """Return the catalogue item ``ref`` (slug or id) the reader sees, if any."""
    if not ref:
        return None
    try:
        view: dict[str, Any] = reading.get_item(
            db=_db(),
            audience=audience_for(principal),
            ref=ref,
            language=g.language,
            cache=current_app.extensions["portal.cache"],
        ).data()
    except NotFound:
        return None
    return view


def _category_page(key: str, principal: Principal) -> ResponseReturnValue:
    category = _category(key, principal)
    language = request.args.get("language", "")
    language = language if language in LANGUAGES else ""
    page = _page()
    filters = {"category": key, **({"language": language} if language else {})}
    rows, total = _threads(principal, filters, page, PAGE_SIZE)
    return render_template(
        "portal/forums/category.html",
        category=category,
        threads=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        language=language,
        editor=moderates(principal),
        form={"language": g.language, "category": key},
        errors={},
    )


@bp.get("/forums/categories/<key>")
def category(key: str) -> ResponseReturnValue:
    """A category's threads, the most recently active first, by language, with the new thread
    form."""
    return _category_page(key, _member())


def _new_page(
    principal: Principal, form: Any, errors: dict[str, Any], status: int = 200
) -> ResponseReturnValue:
    item = _item(principal, form.get("item", ""))
    found = _categories(principal)
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
    return _new_page(_member(), request.args, {})


@bp.post("/forums/threads")
def start() -> ResponseReturnValue:
    """Open a thread with its first post, optionally about a catalogue item."""
    principal = _member()
    ref = request.form.get("item", "").strip()
    item = _item(principal, ref)
    try:
        fields = _load(s.ThreadInSchema(), ("category", "title", "language", "body"))
        # an item the reader cannot see is passed as given: the use case refuses it
        fields["item_id"] = item["id"] if item else (ref or None)
        with _db().session(write=True) as session:
            started = threads.start_thread(
                session=session,
                principal=principal,
                fields=fields,
                limiter=current_app.extensions["portal.forum_posts"],
            )
            thread_id = started["thread"].id
    except (ValidationError, ApiError) as refused:
        status = 422 if isinstance(refused, ValidationError) else refused.status
        return _new_page(principal, request.form, _errors(refused), status)
    return redirect(url_for(".thread", thread_id=thread_id), 303)


def _page_of_post(session: Any, principal: Principal, thread_id: str, post_id: str) -> int:
    """Return the page of the thread that shows ``post_id`` (1 when the reader does not see it)."""
    found = threads.get_thread(session=session, principal=principal, thread_id=thread_id)
    ids = [post.id for post in found["posts"]]
    return ids.index(post_id) // PAGE_SIZE + 1 if post_id in ids else 1


def _read_thread(session: Any, principal: Principal, thread_id: str) -> tuple[Any, int, int]:
    """Return the thread with the page of posts asked (``page=last``: the last one; ``post=``:
    the page showing that post), the page and the number of pages."""
    asked = request.values.get("page", "")
    page = int(asked) if asked.isdigit() and 0 < int(asked) <= MAX_PAGE else 1
    if request.args.get("post") and not asked:
        page = _page_of_post(session, principal, thread_id, request.args["post"])
    found = threads.get_thread(
        session=session, principal=principal, thread_id=thread_id, page=page, page_size=PAGE_SIZE
    )
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    if asked == "last" and pages > page:
        page = pages
        found = threads.get_thread(
            session=session,
            principal=principal,
            thread_id=thread_id,
            page=page,
            page_size=PAGE_SIZE,
        )
    return found, page, pages


def _thread_page(
    thread_id: str, principal: Principal, form: Any, errors: dict[str, Any], status: int = 200
) -> ResponseReturnValue:
    with _db().session() as session:
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
        category=_category(thread["category"], principal),
        categories=_categories(principal) if editor else [],
        item=_item(principal, thread["item_id"] or ""),
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
    return _thread_page(thread_id, _member(), {}, {})


def _refused(
    thread_id: str, principal: Principal, refused: ValidationError | ApiError
) -> ResponseReturnValue:
    if isinstance(refused, ApiError) and refused.status == 404:
        raise refused
    status = 422 if isinstance(refused, ValidationError) else refused.status
    return _thread_page(thread_id, principal, request.form, _errors(refused), status)


def _back(thread_id: str, done: str, anchor: str = "", page: str = "") -> ResponseReturnValue:
    """Return to the thread's page the form was sent from (or ``page``)."""
    sent = page or request.form.get("page", "")
    kept = sent if sent == "last" or (sent.isdigit() and sent != "1") else None
    target = url_for(".thread", thread_id=thread_id, page=kept, done=done)
    return redirect(f"{target}#{anchor}" if anchor else target, 303)


@bp.post("/forums/threads/<thread_id>/posts")
def reply(thread_id: str) -> ResponseReturnValue:
    """Reply to the thread, optionally quoting one of its posts and mentioning members."""
    principal = _member()
    try:
        data = _load(s.ReplyInSchema(), ("body", "quoted_post_id", "mentions"))
        with _db().session(write=True) as session:
            post = posts.reply(
                session=session,
                principal=principal,
                thread_id=thread_id,
                limiter=current_app.extensions["portal.forum_posts"],
                **data,
            )
            post_id = post.id
    except (ValidationError, ApiError) as refused:
        return _refused(thread_id, principal, refused)
    return _back(thread_id, "replied", f"post-{post_id}", page="last")


@bp.post("/forums/threads/<thread_id>/posts/<post_id>/edit")
def edit(thread_id: str, post_id: str) -> ResponseReturnValue:
    """Change one's own post within the edit window."""
    principal = _member()
    try:
        data = _load(s.PostEditSchema(), ("body",))
        with _db().session(write=True) as session:
            posts.edit_post(
                session=session,
                principal=principal,
                post_id=post_id,
                body=data["body"],
                window_s=current_app.config["PORTAL_FORUM_EDIT_WINDOW_S"],
            )
    except (ValidationError, ApiError) as refused:
        return _refused(thread_id, principal, refused)
    return _back(thread_id, "edited", f"post-{post_id}")


@bp.post("/forums/threads/<thread_id>/posts/<post_id>/report")
def report(thread_id: str, post_id: str) -> ResponseReturnValue:
    """Report a post to the editors."""
    principal = _member()
    try:
        data = _load(s.ReportInSchema(), ("reason",))
        with _db().session(write=True) as session:
            moderation.report_post(session=session, principal=principal, post_id=post_id, **data)
    except (ValidationError, ApiError) as refused:
        return _refused(thread_id, principal, refused)
    return _back(thread_id, "reported", f"post-{post_id}")


@bp.post("/forums/threads/<thread_id>/posts/<post_id>/moderation")
def moderate_post(thread_id: str, post_id: str) -> ResponseReturnValue:
    """Hide or unhide a post (editors)."""
    principal = _member()
    try:
        data = _load(s.PostModerationSchema(), ("action", "reason"))
        with _db().session(write=True) as session:
            moderation.moderate_post(session=session, principal=principal, post_id=post_id, **data)
    except (ValidationError, ApiError) as refused:
        return _refused(thread_id, principal, refused)
    return _back(thread_id, "moderated", f"post-{post_id}")


@bp.post("/forums/threads/<thread_id>/moderation")
def moderate_thread(thread_id: str) -> ResponseReturnValue:
    """Hide, unhide, lock, unlock or move the thread (editors)."""
    principal = _member()
    try:
        data = _load(s.ThreadModerationSchema(), ("action", "category", "reason"))
        with _db().session(write=True) as session:
            moderation.moderate_thread(
                session=session, principal=principal, thread_id=thread_id, **data
            )
    except (ValidationError, ApiError) as refused:
        return _refused(thread_id, principal, refused)
    return _back(thread_id, "moderated")


@bp.get("/forums/moderation-log")
def moderation_log() -> ResponseReturnValue:
    """The editors' moderation log, the latest first (``?target=`` one thread's or post's)."""
    principal = _member()
    page = _page()
    target = request.args.get("target", "")[:36] or None
    with _db().session() as session:
        lines, total = moderation.moderation_log(
            session=session,
            principal=principal,
            page=page,
            page_size=LOG_PAGE_SIZE,
            target_id=target,
        )
        shown = views.log_views(session, lines)
    return render_template(
        "portal/forums/log.html",
        lines=shown,
        total=total,
        page=page,
        pages=max(1, -(-total // LOG_PAGE_SIZE)),
        target=target,
    )


@bp.get("/forums/reports")
def reports() -> ResponseReturnValue:
    """The members' reports of posts, the latest first (editors)."""
    principal = _member()
    page = _page()
    with _db().session() as session:
        rows, total = moderation.list_reports(
            session=session, principal=principal, page=page, page_size=LOG_PAGE_SIZE
        )
        shown = views.report_views(session, rows)
    return render_template(
        "portal/forums/reports.html",
        reports=shown,
        total=total,
        page=page,
        pages=max(1, -(-total // LOG_PAGE_SIZE)),
    )


def item_threads(principal: Principal | None, item_id: str) -> list[dict[str, Any]] | None:
    """Return the threads about a catalogue item for its page (None: the reader has no forums)."""
    if principal is None:
        return None
    try:
        rows, _total = _threads(principal, {"item_id": item_id}, 1, PAGE_SIZE)
    except ApiError:
        return None
    return list(rows)
