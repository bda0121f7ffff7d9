"""The forms of a forum thread's page: replying (quoting a post, mentioning members), changing
one's own post, reporting a post, and the editors' moderation of a post or the thread. Each goes
back to the thread's page it was sent from, or shows it again with the refusal."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import Schema, ValidationError

from portal.forums import moderation, posts
from portal.forums import page_kit as kit
from portal.forums import schemas as s
from portal.forums.thread_pages import thread_page
from shared.auth import Principal
from shared.errors import ApiError

bp = kit.bp


def _refused(
    thread_id: str, principal: Principal, refused: ValidationError | ApiError
) -> ResponseReturnValue:
    if isinstance(refused, ApiError) and refused.status == 404:
        raise refused
    status = 422 if isinstance(refused, ValidationError) else refused.status
    return thread_page(thread_id, principal, request.form, kit.refusal_errors(refused), status)


def _back(thread_id: str, done: str, anchor: str = "", page: str = "") -> ResponseReturnValue:
    """Return to the thread's page the form was sent from (or ``page``)."""
    sent = page or request.form.get("page", "")
    kept = sent if sent == "last" or (sent.isdigit() and sent != "1") else None
    target = url_for(".thread", thread_id=thread_id, page=kept, done=done)
    return redirect(f"{target}#{anchor}" if anchor else target, 303)


@bp.post("/forums/threads/<thread_id>/posts")
def reply(thread_id: str) -> ResponseReturnValue:
    """Reply to the thread, optionally quoting one of its posts and mentioning members."""
    principal = kit.member()
    try:
        data = kit.load_form(s.ReplyInSchema(), ("body", "quoted_post_id", "mentions"))
        with kit.db().session(write=True) as session:
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


def _apply_form(
    thread_id: str,
    schema: Schema,
    names: tuple[str, ...],
    act: Callable[..., object],
    done: str,
    post_id: str | None = None,
) -> ResponseReturnValue:
    """Run use case ``act`` on the post (else the thread) with the form's fields ``names``; go
    back to the thread's page, or show it again with the refusal."""
    principal = kit.member()
    target = {"post_id": post_id} if post_id else {"thread_id": thread_id}
    try:
        data = kit.load_form(schema, names)
        with kit.db().session(write=True) as session:
            act(session=session, principal=principal, **target, **data)
    except (ValidationError, ApiError) as refused:
        return _refused(thread_id, principal, refused)
    return _back(thread_id, done, f"post-{post_id}" if post_id else "")


@bp.post("/forums/threads/<thread_id>/posts/<post_id>/edit")
def edit(thread_id: str, post_id: str) -> ResponseReturnValue:
    """Change one's own post within the edit window."""
    window_s = current_app.config["PORTAL_FORUM_EDIT_WINDOW_S"]
    act = partial(posts.edit_post, window_s=window_s)
    return _apply_form(thread_id, s.PostEditSchema(), ("body",), act, "edited", post_id)


@bp.post("/forums/threads/<thread_id>/posts/<post_id>/report")
def report(thread_id: str, post_id: str) -> ResponseReturnValue:
    """Report a post to the editors."""
    schema = s.ReportInSchema()
    return _apply_form(thread_id, schema, ("reason",), moderation.report_post, "reported", post_id)


@bp.post("/forums/threads/<thread_id>/posts/<post_id>/moderation")
def moderate_post(thread_id: str, post_id: str) -> ResponseReturnValue:
    """Hide or unhide a post (editors)."""
    names = ("action", "reason")
    act = moderation.moderate_post
    return _apply_form(thread_id, s.PostModerationSchema(), names, act, "moderated", post_id)


@bp.post("/forums/threads/<thread_id>/moderation")
def moderate_thread(thread_id: str) -> ResponseReturnValue:
    """Hide, unhide, lock, unlock or move the thread (editors)."""
    names = ("action", "category", "reason")
    act = moderation.moderate_thread
    return _apply_form(thread_id, s.ThreadModerationSchema(), names, act, "moderated")
