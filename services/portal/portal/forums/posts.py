"""Use cases of forum posts: replying to a thread (quoting one of its posts) and editing one's
own post within the edit window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import events
from portal.catalogue.rendering import to_html
from portal.forums.access import moderates, require_member
from portal.forums.models import ForumMention, ForumPost, ForumThread
from portal.forums.threads import new_post, visible_thread
from portal.models import User
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.pages import reads_forums
from shared.throttle import WriteLimiter
from shared.timestamps import as_utc, to_rfc3339, utcnow

LOCKED = "the thread is locked: it takes no more replies or edits"
NOT_OWN = "only its author edits a post"
WINDOW_OVER = "a post can be edited only within {minutes} minutes of posting"
# Announced for the reports service's in-app notifications (the thread's and the quoted author).
REPLIED = "forum.post_replied"
UNKNOWN_MENTION = "not an active member of the forums: {ids}"
MENTIONED_TWICE = "each person is mentioned once"
# The languages ``forum.post_replied`` carries in ``notify_languages``.
LANGUAGES = ("en", "fr", "pt")


def mentioned_members(session: Session, ids: list[str]) -> list[ForumMention]:
    """Return the mentions of ``ids`` in their order, or a 422 problem naming the ids that are
    not active users allowed to read the forums."""
    if len(set(ids)) != len(ids):
        raise ApiError(422, "unknown_mention", errors={"mentions": [MENTIONED_TWICE]})
    if not ids:
        return []
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))}
    refused = [
        i
        for i in ids
        if i not in users
        or not users[i].active
        or not reads_forums(users[i].roles, users[i].administration_id)
    ]
    if refused:
        raise ApiError(
            422,
            "unknown_mention",
            errors={"mentions": [UNKNOWN_MENTION.format(ids=", ".join(refused))]},
        )
    return [
        ForumMention(user_id=i, name=users[i].display_name, position=n) for n, i in enumerate(ids)
    ]


def _locked(thread: ForumThread) -> None:
    if thread.locked:
        raise ApiError(409, "thread_locked", LOCKED)


def reply(
    *,
    session: Session,
    principal: Principal,
    thread_id: str,
    body: str,
    limiter: WriteLimiter,
    quoted_post_id: str | None = None,
    mentions: list[str] | tuple[str, ...] = (),
) -> ForumPost:
    """Add a reply to a thread that is not locked, optionally quoting one of its posts and
    mentioning members (counted by the posting limit)."""
    require_member(principal)
    limiter.hit(principal.subject)
    with session.begin():
        thread = visible_thread(session, principal, thread_id)
        _locked(thread)
        quoted = None
        if quoted_post_id is not None:
            quoted = session.get(ForumPost, quoted_post_id)
            if (
                quoted is None
                or quoted.thread_id != thread.id
                or (quoted.hidden and not moderates(principal))
            ):
                raise ApiError(
                    422,
                    "unknown_quoted_post",
                    errors={"quoted_post_id": ["not a post of this thread"]},
                )
        named = mentioned_members(session, list(mentions))
        now = utcnow()
        post = new_post(
            thread=thread,
            principal=principal,
            body=body,
            quoted_post_id=quoted_post_id,
            created_at=now,
            mentions=named,
        )
        session.add(post)
        thread.last_post_at = now
        session.flush()
        payload = replied_payload(thread, post, quoted)
        told = [*payload["notify"], *payload["mentioned"]]
        payload.update(contacts(list(session.scalars(select(User).where(User.id.in_(told))))))
        events.stage(session, REPLIED, payload, subject=thread.id)
    return post


def contacts(users: list[User]) -> dict[str, dict[str, str]]:
    """Return ``notify_emails`` and ``notify_languages`` (user id -> value) of the active
    ``users`` with an address: personal data, only for the reports service's e-mail digest."""
    reachable = sorted((u for u in users if u.active and u.email), key=lambda u: u.id)
    return {
        "notify_emails": {u.id: u.email for u in reachable},
        "notify_languages": {u.id: u.language for u in reachable if u.language in LANGUAGES},
    }


def replied_payload(
    thread: ForumThread, post: ForumPost, quoted: ForumPost | None
) -> dict[str, Any]:
    """Return the ``forum.post_replied`` payload: whom to tell are the thread's author and the
    quoted post's author, never the replier; ``mentioned`` are the members the reply mentions,
    less the replier and anyone already in ``notify`` (one notification per person and reply)."""
    notify = {thread.author_id, *([quoted.author_id] if quoted is not None else [])}
    notify.discard(post.author_id)
    mentioned = [
        m.user_id for m in post.mentions if m.user_id not in notify and m.user_id != post.author_id
    ]
    return {
        "post_id": post.id,
        "thread_id": thread.id,
        "thread_title": thread.title,
        "thread_author_id": thread.author_id,
        "category": thread.category_key,
        "language": thread.language,
        "replier_id": post.author_id,
        "replier_name": post.author_name,
        "quoted_post_id": quoted.id if quoted is not None else None,
        "quoted_author_id": quoted.author_id if quoted is not None else None,
        "replied_at": to_rfc3339(post.created_at),
        "notify": sorted(notify),
        "mentioned": mentioned,
    }


def edit_post(
    *, session: Session, principal: Principal, post_id: str, body: str, window_s: int
) -> ForumPost:
    """Change the body of one's own post within ``window_s`` seconds of posting; it then shows
    as edited."""
    require_member(principal)
    with session.begin():
        post = session.get(ForumPost, post_id, with_for_update=True)
        if post is None:
            raise NotFound()
        thread = visible_thread(session, principal, post.thread_id)
        if post.hidden and not moderates(principal) and post.author_id != principal.subject:
            raise NotFound()
        if post.author_id != principal.subject:
            raise ApiError(403, "forbidden", NOT_OWN)
        now = utcnow()
        if now - as_utc(post.created_at) > timedelta(seconds=window_s):
            raise ApiError(
                403, "edit_window_closed", WINDOW_OVER.format(minutes=max(1, window_s // 60))
            )
        _locked(thread)
        post.body = body
        post.body_html = to_html(body)
        post.edited_at = now
    return post
