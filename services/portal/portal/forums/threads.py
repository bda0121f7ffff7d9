"""Use cases of forum threads: the categories, the list of threads (by category and language),
starting a thread with its first post, and reading a thread with its posts (paged).

Members never see a hidden thread or a hidden post; editors see both, marked hidden.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, lazyload

from portal.catalogue.rendering import to_html
from portal.forums.access import moderates, require_member
from portal.forums.models import ForumCategory, ForumPost, ForumThread
from portal.models import ContentItem
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.paging import DEFAULT_PAGE_SIZE, fetch_page
from shared.throttle import WriteLimiter
from shared.timestamps import utcnow

# Any SELECT over forum posts (whole posts, or some of their columns).
AnySelect = TypeVar("AnySelect", bound=Select)  # type: ignore[type-arg]

PUBLISHED = "published"


def list_threads(
    *,
    session: Session,
    principal: Principal,
    filters: dict[str, Any],
    page: int,
    page_size: int,
) -> tuple[list[ForumThread], int]:
    """Return one page of threads, the most recently active first, and the total."""
    require_member(principal)
    # Both keys descending: the indexes on (category, last post, id) read it backwards, unsorted.
    query = select(ForumThread).order_by(ForumThread.last_post_at.desc(), ForumThread.id.desc())
    if not moderates(principal):
        query = query.where(ForumThread.hidden.is_(False))
    if filters.get("category"):
        query = query.where(ForumThread.category_key == filters["category"])
    if filters.get("language"):
        query = query.where(ForumThread.language == filters["language"])
    if filters.get("item_id"):
        query = query.where(ForumThread.item_id == filters["item_id"])
    items, total, _ = fetch_page(session, query, page=page, page_size=page_size)
    return items, total


def category_of(session: Session, key: str) -> ForumCategory:
    """Return the category ``key``, or a 422 problem when the forums have none by that key."""
    category = session.get(ForumCategory, key)
    if category is None:
        raise ApiError(422, "unknown_category", errors={"category": ["unknown category"]})
    return category


def _published_item(session: Session, item_id: str) -> ContentItem:
    item = session.get(ContentItem, item_id)
    if item is None or item.status != PUBLISHED:
        raise ApiError(422, "unknown_item", errors={"item_id": ["not a published catalogue item"]})
    return item


def new_post(*, thread: ForumThread, principal: Principal, body: str, **fields: Any) -> ForumPost:
    """Return a post of ``thread`` by the caller, its Markdown sanitized as items' are."""
    fields.setdefault("mentions", [])
    return ForumPost(
        thread_id=thread.id,
        author_id=principal.subject,
        author_name=principal.name,
        body=body,
        body_html=to_html(body),
        hidden=False,
        **fields,
    )


def start_thread(
    *, session: Session, principal: Principal, fields: dict[str, Any], limiter: WriteLimiter
) -> dict[str, Any]:
    """Open a thread in a category with its first post (counted by the posting limit); return
    it with its posts."""
    require_member(principal)
    limiter.hit(principal.subject)
    with session.begin():
        category = category_of(session, fields["category"])
        if fields.get("item_id") is not None:
            _published_item(session, fields["item_id"])
        now = utcnow()
        thread = ForumThread(
            category_key=category.key,
            title=fields["title"],
            language=fields["language"],
            author_id=principal.subject,
            author_name=principal.name,
            administration_id=principal.administration_id,
            locked=False,
            hidden=False,
            item_id=fields.get("item_id"),
            created_at=now,
            last_post_at=now,
        )
        session.add(thread)
        session.flush()
        session.add(
            new_post(thread=thread, principal=principal, body=fields["body"], created_at=now)
        )
    return get_thread(session=session, principal=principal, thread_id=thread.id)


def visible_thread(session: Session, principal: Principal, thread_id: str) -> ForumThread:
    """Return the thread, or 404 when there is none or it is hidden from the caller."""
    thread = session.get(ForumThread, thread_id)
    if thread is None or (thread.hidden and not moderates(principal)):
        raise NotFound()
    return thread


def visible_posts(query: AnySelect, principal: Principal) -> AnySelect:
    """Return ``query`` without the hidden posts, unless the caller moderates the forums."""
    return query if moderates(principal) else query.where(ForumPost.hidden.is_(False))


def reply_counts(
    *, session: Session, principal: Principal, thread_ids: list[str]
) -> dict[str, int]:
    """Return each thread's number of replies the reader sees (its first post is no reply)."""
    query = (
        select(ForumPost.thread_id, func.count())
        .where(ForumPost.thread_id.in_(thread_ids))
        .group_by(ForumPost.thread_id)
    )
    counts: dict[str, int] = {
        str(thread_id): int(n) for thread_id, n in session.execute(visible_posts(query, principal))
    }
    return {thread_id: max(0, counts.get(thread_id, 0) - 1) for thread_id in thread_ids}


def _posts_query(thread: ForumThread, principal: Principal, column: Any = ForumPost) -> Select[Any]:
    """Return the query of a thread's posts in order (hidden ones only for editors); the order
    is total (time of posting, then id), so pages never overlap nor skip a post."""
    query = (
        select(column)
        .where(ForumPost.thread_id == thread.id)
        .order_by(ForumPost.created_at, ForumPost.id)
    )
    return visible_posts(query, principal)


def list_posts(
    *, session: Session, principal: Principal, thread_id: str, page: int, page_size: int
) -> tuple[list[ForumPost], int]:
    """Return one page of a thread's posts in order and how many the caller sees in all."""
    require_member(principal)
    thread = visible_thread(session, principal, thread_id)
    return _page_of_posts(session, thread, principal, page=page, page_size=page_size)


def _page_of_posts(
    session: Session, thread: ForumThread, principal: Principal, *, page: int, page_size: int
) -> tuple[list[ForumPost], int]:
    """Return one page of a thread's posts and the total: the page's ids and the count from one
    narrow statement (the count visits every post of the thread, so it does not carry their
    bodies), then those posts by id."""
    ids, total, _ = fetch_page(
        session, _posts_query(thread, principal, ForumPost.id), page=page, page_size=page_size
    )
    if not ids:
        return [], total
    found = {
        post.id: post for post in session.scalars(select(ForumPost).where(ForumPost.id.in_(ids)))
    }
    return [found[post_id] for post_id in ids if post_id in found], total


def get_thread(
    *,
    session: Session,
    principal: Principal,
    thread_id: str,
    page: int | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    """Return a thread with its posts in order (hidden posts only for editors): all of them, or
    one page of them when ``page`` is given, with ``total``, how many the caller sees in all."""
    require_member(principal)
    thread = visible_thread(session, principal, thread_id)
    query = _posts_query(thread, principal)
    if page is None:
        posts = list(session.scalars(query))
        return {"thread": thread, "posts": posts, "total": len(posts)}
    posts, total = _page_of_posts(session, thread, principal, page=page, page_size=page_size)
    return {"thread": thread, "posts": posts, "total": total}


def quoted_posts(
    *, session: Session, principal: Principal, posts: list[ForumPost]
) -> dict[str, ForumPost]:
    """Return the posts that ``posts`` quote, by id, in one statement (a quoted post may be on
    another page); a quoted post hidden from the caller is left out."""
    wanted = {post.quoted_post_id for post in posts if post.quoted_post_id is not None}
    if not wanted:
        return {}
    # Only their ids and authors are shown: their mentions are not read.
    query = (
        select(ForumPost)
        .where(ForumPost.id.in_(sorted(wanted)))
        .options(lazyload(ForumPost.mentions))
    )
    return {post.id: post for post in session.scalars(visible_posts(query, principal))}
