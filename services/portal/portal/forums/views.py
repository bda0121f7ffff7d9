"""What the forum pages show of the use cases' results: threads, posts and log lines as plain
dicts for the templates (names, never ids; the category's name in the reader's language)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.forums.models import ForumCategory, ForumModeration, ForumPost, ForumThread
from portal.models import User
from shared.auth import Principal
from shared.timestamps import as_utc, utcnow

QUOTE_LINES = 6


def category_view(category: ForumCategory, language: str) -> dict[str, Any]:
    """Return a category with its name in ``language`` (French, else English)."""
    name = category.name_fr if language == "fr" else category.name_en
    return {"key": category.key, "name": name, "kind": category.kind}


def thread_view(thread: ForumThread) -> dict[str, Any]:
    """Return a thread as a list row or a page heading shows it."""
    return {
        "id": thread.id,
        "category": thread.category_key,
        "title": thread.title,
        "language": thread.language,
        "author_name": thread.author_name,
        "locked": thread.locked,
        "hidden": thread.hidden,
        "item_id": thread.item_id,
        "created_at": as_utc(thread.created_at),
        "last_post_at": as_utc(thread.last_post_at),
    }


def post_view(
    post: ForumPost, *, principal: Principal, posts: dict[str, ForumPost], window_s: int
) -> dict[str, Any]:
    """Return a post with the post it quotes (when shown) and whether its reader may edit it.

    Editing is offered to the author within the window; the use case decides on sending.
    """
    quoted = posts.get(post.quoted_post_id) if post.quoted_post_id else None
    return {
        "id": post.id,
        "author_name": post.author_name,
        "body": post.body,
        "body_html": post.body_html,
        "created_at": as_utc(post.created_at),
        "edited": post.edited_at is not None,
        "hidden": post.hidden,
        "own": post.author_id == principal.subject,
        "editable": post.author_id == principal.subject
        and utcnow() - as_utc(post.created_at) <= timedelta(seconds=window_s),
        "quoted": {"id": quoted.id, "author_name": quoted.author_name} if quoted else None,
        "quoted_missing": bool(post.quoted_post_id) and quoted is None,
        "mentions": [m.name for m in post.mentions],
    }


def quote_text(post: ForumPost) -> str:
    """Return the Markdown a reply starts with when it quotes ``post``."""
    lines = post.body.strip().splitlines()[:QUOTE_LINES]
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    found = session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()
    return {user_id: name for user_id, name in found}


def report_views(session: Session, reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the reported posts with the reporters' and the authors' names instead of ids."""
    names = _names(
        session, {r["reporter_id"] for r in reports} | {r["post_author_id"] for r in reports}
    )
    return [
        {
            **report,
            "created_at": as_utc(report["created_at"]),
            "reporter_name": names.get(report["reporter_id"], ""),
            "post_author_name": names.get(report["post_author_id"], ""),
        }
        for report in reports
    ]


def log_views(session: Session, lines: list[ForumModeration]) -> list[dict[str, Any]]:
    """Return moderation log lines with the editors' names instead of their ids."""
    ids = {line.actor_id for line in lines}
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all())
    post_ids = {line.target_id for line in lines if line.target_kind == "post"}
    threads = dict(
        session.execute(
            select(ForumPost.id, ForumPost.thread_id).where(ForumPost.id.in_(post_ids))
        ).all()
    )
    return [
        {
            "at": as_utc(line.at),
            "actor_name": names.get(line.actor_id, ""),
            "action": line.action,
            "target_kind": line.target_kind,
            "thread_id": line.target_id
            if line.target_kind == "thread"
            else threads.get(line.target_id),
            "reason": line.reason,
            "detail": line.detail,
        }
        for line in lines
    ]
