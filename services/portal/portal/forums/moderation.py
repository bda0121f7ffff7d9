"""Use cases of the editors' moderation: hide or unhide a post or a thread, lock or unlock a
thread, move a thread to another category, each one a line of the moderation log; members
report posts, editors list the reports.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.forums.access import moderates, require_member
from portal.forums.models import ForumModeration, ForumPost, ForumReport, ForumThread
from portal.forums.threads import category_of, visible_thread
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page

EDITORS_ONLY = "only editors moderate the forums"
ALREADY_REPORTED = "you already reported this post"
NO_CATEGORY = "a move names the category the thread goes to"
THREAD_ACTIONS = ("hide", "unhide", "lock", "unlock", "move")
POST_ACTIONS = ("hide", "unhide")


def require_editor(principal: Principal) -> None:
    """Refuse a caller who is not an editor (403)."""
    if not moderates(principal):
        raise ApiError(403, "forbidden", EDITORS_ONLY)


def _log(
    session: Session,
    principal: Principal,
    *,
    action: str,
    target_kind: str,
    target_id: str,
    reason: str,
    detail: str = "",
) -> None:
    session.add(
        ForumModeration(
            actor_id=principal.subject,
            action=action,
            target_kind=target_kind,
            target_id=target_id,
            reason=reason,
            detail=detail,
        )
    )


def moderate_thread(
    *,
    session: Session,
    principal: Principal,
    thread_id: str,
    action: str,
    reason: str = "",
    category: str | None = None,
) -> ForumThread:
    """Hide, unhide, lock, unlock or move a thread (editors), and log it."""
    require_editor(principal)
    with session.begin():
        thread = session.get(ForumThread, thread_id, with_for_update=True)
        if thread is None:
            raise NotFound()
        detail = ""
        if action == "move":
            if not category:
                raise ApiError(422, "validation_failed", errors={"category": [NO_CATEGORY]})
            target = category_of(session, category)
            detail = f"{thread.category_key} -> {target.key}"
            thread.category_key = target.key
        elif action in ("hide", "unhide"):
            thread.hidden = action == "hide"
        else:
            thread.locked = action == "lock"
        _log(
            session,
            principal,
            action=action,
            target_kind="thread",
            target_id=thread.id,
            reason=reason,
            detail=detail,
        )
    return thread


def moderate_post(
    *, session: Session, principal: Principal, post_id: str, action: str, reason: str = ""
) -> ForumPost:
    """Hide or unhide a post (editors), and log it."""
    require_editor(principal)
    with session.begin():
        post = session.get(ForumPost, post_id, with_for_update=True)
        if post is None:
            raise NotFound()
        post.hidden = action == "hide"
        _log(
            session, principal, action=action, target_kind="post", target_id=post.id, reason=reason
        )
    return post


def moderation_log(
    *,
    session: Session,
    principal: Principal,
    page: int,
    page_size: int,
    target_id: str | None = None,
) -> tuple[list[ForumModeration], int]:
    """Return one page of the moderation log, the latest first (editors)."""
    require_editor(principal)
    query = select(ForumModeration).order_by(ForumModeration.at.desc(), ForumModeration.id)
    if target_id:
        query = query.where(ForumModeration.target_id == target_id)
    items, total, _ = fetch_page(session, query, page=page, page_size=page_size)
    return items, total


def report_post(
    *, session: Session, principal: Principal, post_id: str, reason: str = ""
) -> ForumReport:
    """Flag a post one can read to the editors (once per member and post)."""
    require_member(principal)
    try:
        with session.begin():
            post = session.get(ForumPost, post_id)
            if post is None or (post.hidden and not moderates(principal)):
                raise NotFound()
            visible_thread(session, principal, post.thread_id)
            report = ForumReport(post_id=post.id, reporter_id=principal.subject, reason=reason)
            session.add(report)
            session.flush()
    except IntegrityError as exc:
        raise ApiError(409, "conflict", ALREADY_REPORTED) from exc
    return report


def list_reports(
    *, session: Session, principal: Principal, page: int, page_size: int
) -> tuple[list[dict[str, Any]], int]:
    """Return one page of the reported posts, the latest report first (editors)."""
    require_editor(principal)
    query = (
        select(ForumReport, ForumPost)
        .join(ForumPost, ForumPost.id == ForumReport.post_id)
        .order_by(ForumReport.created_at.desc(), ForumReport.id)
    )
    rows = session.execute(query.offset((page - 1) * page_size).limit(page_size)).all()
    total = session.scalar(select(func.count()).select_from(ForumReport)) or 0
    return [
        {
            "id": report.id,
            "post_id": post.id,
            "thread_id": post.thread_id,
            "reporter_id": report.reporter_id,
            "reason": report.reason,
            "created_at": report.created_at,
            "post_hidden": post.hidden,
            "post_author_id": post.author_id,
        }
        for report, post in rows
    ], total
