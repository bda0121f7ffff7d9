"""Use cases of forum posts: replying to a thread (quoting one of its posts) and editing one's
own post within the edit window."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from portal import events
from portal.catalogue.rendering import to_html
from portal.forums.access import moderates, require_member
from portal.forums.models import ForumPost, ForumThread
from portal.forums.threads import new_post, visible_thread
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.throttle import WriteLimiter
from shared.timestamps import as_utc, to_rfc3339, utcnow

LOCKED = "the thread is locked: it takes no more replies or edits"
NOT_OWN = "only its author edits a post"
WINDOW_OVER = "a post can be edited only within {minutes} minutes of posting"
# Announced for the reports service's in-app notifications (the thread's and the quoted author).
REPLIED = "forum.post_replied"


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
) -> ForumPost:
    """Add a reply to a thread that is not locked, optionally quoting one of its posts (counted
    by the posting limit)."""
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
        now = utcnow()
        post = new_post(
            thread=thread,
            principal=principal,
            body=body,
            quoted_post_id=quoted_post_id,
            created_at=now,
        )
        session.add(post)
        thread.last_post_at = now
        session.flush()
        events.stage(session, REPLIED, replied_payload(thread, post, quoted), subject=thread.id)
    return post


def replied_payload(
    thread: ForumThread, post: ForumPost, quoted: ForumPost | None
) -> dict[str, object]:
    """Return the ``forum.post_replied`` payload: whom to tell are the thread's author and the
    quoted post's author, never the replier."""
    notify = {thread.author_id, *([quoted.author_id] if quoted is not None else [])}
    notify.discard(post.author_id)
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
