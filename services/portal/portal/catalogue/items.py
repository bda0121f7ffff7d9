"""Use cases that change the catalogue: create, edit, the workflow, member proposals, history.

Each runs in one transaction: the item, its history row, its search rows and, for changes
readers of the published catalogue can see, its ``content.*`` event in the outbox. The cache
generation is bumped after the commit. Bad input raises before anything is written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal import events
from portal.catalogue import edits, state, workflow
from portal.catalogue.audience import is_member
from portal.catalogue.cache import ContentCache
from portal.catalogue.search import SearchIndex
from portal.models import (
    Administration,
    ContentItem,
    ContentRevision,
    join_roles,
)
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.timestamps import to_rfc3339, utcnow

PAGE_PREFIX = "/catalogue/"


def require_editor(principal: Principal) -> None:
    """Raise 403 unless ``principal`` is a content editor."""
    if not principal.has_any(Role.EDITOR):
        raise ApiError(403, "forbidden")


def load_item(session: Session, item_id: str, *, for_update: bool = False) -> ContentItem:
    """Return the item ``item_id`` (by id or slug) or raise 404."""
    query = select(ContentItem).where((ContentItem.id == item_id) | (ContentItem.slug == item_id))
    if for_update and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    item = session.scalars(query).first()
    if item is None:
        raise NotFound()
    return item


def _record(
    session: Session, item: ContentItem, principal: Principal, action: str, changes: dict[str, Any]
) -> None:
    session.add(
        ContentRevision(
            item_id=item.id,
            version=item.version,
            action=action,
            actor=principal.subject,
            actor_name=principal.name,
            at=item.updated_at,
            changes=changes,
        )
    )


def item_session(item: ContentItem) -> Session:
    """Return the session ``item`` belongs to."""
    session = object_session(item)
    assert session is not None
    return session


def _touch(item: ContentItem, principal: Principal) -> None:
    state.bump(item_session(item))
    item.version += 1
    item.updated_by = principal.subject
    item.updated_at = utcnow()


# -- events ------------------------------------------------------------------------------------
def content_payload(item: ContentItem) -> dict[str, object]:
    """Return the ``content.*`` payload (ContentChangedV1) of an item."""
    tags = sorted({*item.values("technology"), *item.values("topic"), *item.values("domain")})
    return {
        "item_id": item.id,
        "kind": item.kind,
        "visibility": item.visibility,
        "languages": [t.language for t in item.translations],
        "titles": {t.language: t.title for t in item.translations},
        "tags": tags,
        "url": f"{PAGE_PREFIX}{item.slug}",
        "slug": item.slug,
        "status": item.status,
        "subtype": item.subtype,
        "summaries": {t.language: t.summary for t in item.translations},
        "technologies": item.values("technology"),
        "domains": item.values("domain"),
        "topics": item.values("topic"),
        "region": item.region,
        "published_at": to_rfc3339(item.published_at) if item.published_at else None,
    }


def _announce(session: Session, event_type: str, item: ContentItem) -> None:
    events.stage(session, event_type, content_payload(item), item.id)


def _after_commit(cache: ContentCache | None, public_change: bool) -> None:
    if cache is not None and public_change:
        cache.invalidate()


# -- use cases ---------------------------------------------------------------------------------
def _new_item(
    session: Session, principal: Principal, index: SearchIndex, data: dict[str, Any], status: str
) -> ContentItem:
    edits.validate(session, data, edits.state_after(None, data))
    now = utcnow()
    first = next(iter(sorted(data["translations"].items(), key=lambda kv: kv[0] != "en")))
    item = ContentItem(
        slug=data.get("slug") or edits.unique_slug(session, first[1]["title"]),
        kind=data["kind"],
        status=status,
        visibility=data.get("visibility") or "public",
        version=1,
        created_by=principal.subject,
        created_at=now,
        updated_by=principal.subject,
        updated_at=now,
        contributors_text=principal.subject,
        translations=[],
        labels=[],
        links=[],
    )
    session.add(item)
    state.bump(session)
    changes: dict[str, Any] = {}
    edits.apply_scalars(item, {k: v for k, v in data.items() if k != "slug"}, changes)
    edits.apply_translations(item, data, changes)
    edits.apply_labels(item, data, changes)
    edits.apply_links(item, data, changes)
    session.flush()
    _record(session, item, principal, "created" if status == "draft" else "proposed", changes)
    index.refresh(session, item, edits.keywords(session, item))
    return item


def create_item(
    *, session: Session, principal: Principal, index: SearchIndex, data: dict[str, Any]
) -> ContentItem:
    """Create an item as a draft (editors); ``data`` as ``ItemCreateSchema`` loads it."""
    require_editor(principal)
    with session.begin():
        return _new_item(session, principal, index, data, workflow.DRAFT)


def propose_case_study(
    *, session: Session, principal: Principal, index: SearchIndex, data: dict[str, Any]
) -> ContentItem:
    """Propose a case study (any signed-in user of an administration): it lands in review."""
    if not is_member(principal):
        raise ApiError(403, "forbidden")
    with session.begin():
        return add_proposal(
            session=session, principal=principal, index=index, data={**data, "kind": "case_study"}
        )


def add_proposal(
    *, session: Session, principal: Principal, index: SearchIndex, data: dict[str, Any]
) -> ContentItem:
    """Add a member's proposal in review, in the caller's transaction (members only, else 403)."""
    if not is_member(principal):
        raise ApiError(403, "forbidden")
    administration = session.get(Administration, principal.administration_id)
    proposal = {
        **data,
        "visibility": data.get("visibility") or "members",
        "administration_name": data.get("administration_name")
        or (administration.name if administration else None),
    }
    item = _new_item(session, principal, index, proposal, workflow.IN_REVIEW)
    item.proposed_by_administration = principal.administration_id
    return item


def resubmit_proposal(
    *, principal: Principal, item: ContentItem, note: str, changes: dict[str, Any]
) -> None:
    """Send a member's proposal sent back for changes to review again, in the caller's
    transaction: its author answers the change request (``changes`` go to the history)."""
    before = _transition(item, principal, "submit")
    item.contributors_text = join_roles(
        workflow.with_contributor(item.contributors, principal.subject)
    )
    recorded = {**changes, **_status_change(before, item, note)}
    _record(item_session(item), item, principal, "resubmitted", recorded)


def update_item(
    *,
    session: Session,
    principal: Principal,
    index: SearchIndex,
    item_id: str,
    data: dict[str, Any],
    cache: ContentCache | None = None,
) -> ContentItem:
    """Change an item's fields (editors); a published item stays published (content.updated)."""
    require_editor(principal)
    with session.begin():
        item = load_item(session, item_id, for_update=True)
        data = dict(data)
        expected = data.pop("version", None)
        if expected is not None and expected != item.version:
            raise ApiError(409, "version_conflict", f"the item is at version {item.version}")
        workflow.check_editable(item.status)
        edits.validate(session, data, edits.state_after(item, data))
        changes: dict[str, Any] = {}
        edits.apply_scalars(item, data, changes)
        edits.apply_translations(item, data, changes)
        edits.apply_labels(item, data, changes)
        edits.apply_links(item, data, changes)
        if not changes:
            return item
        _touch(item, principal)
        item.contributors_text = join_roles(
            workflow.with_contributor(item.contributors, principal.subject)
        )
        session.flush()
        _record(session, item, principal, "updated", changes)
        index.refresh(session, item, edits.keywords(session, item))
        published = item.status == workflow.PUBLISHED
        if published:
            _announce(session, "content.updated", item)
    _after_commit(cache, published)
    return item


def _transition(item: ContentItem, principal: Principal, action: str) -> str:
    """Move ``item`` along ``action``; return the state it left."""
    before = item.status
    item.status = workflow.next_status(action, before)
    _touch(item, principal)
    return before


def submit_item(
    *, session: Session, principal: Principal, item_id: str, note: str = ""
) -> ContentItem:
    """Send a draft for review (editors)."""
    require_editor(principal)
    with session.begin():
        item = load_item(session, item_id, for_update=True)
        before = _transition(item, principal, "submit")
        _record(session, item, principal, "submitted", _status_change(before, item, note))
    return item


def publish_item(
    *,
    session: Session,
    principal: Principal,
    item_id: str,
    note: str = "",
    cache: ContentCache | None = None,
) -> ContentItem:
    """Publish an item in review: a second editor, never one who changed it (403 otherwise)."""
    require_editor(principal)
    with session.begin():
        item = load_item(session, item_id, for_update=True)
        workflow.next_status("publish", item.status)
        workflow.check_publisher(principal.subject, item.contributors)
        before = _transition(item, principal, "publish")
        item.published_at = item.published_at or item.updated_at
        item.published_by = principal.subject
        item.contributors_text = ""
        _record(session, item, principal, "published", _status_change(before, item, note))
        _announce(session, "content.published", item)
    _after_commit(cache, True)
    return item


def archive_item(
    *,
    session: Session,
    principal: Principal,
    item_id: str,
    note: str = "",
    cache: ContentCache | None = None,
) -> ContentItem:
    """Archive an item (editors); a published one leaves the catalogue (content.archived)."""
    return _take_down(session, principal, item_id, "archive", "archived", note, cache)


def reopen_item(
    *,
    session: Session,
    principal: Principal,
    item_id: str,
    note: str = "",
    cache: ContentCache | None = None,
) -> ContentItem:
    """Take an item back to draft for edits (editors); a published one leaves the catalogue."""
    return _take_down(session, principal, item_id, "reopen", "reopened", note, cache)


def _take_down(
    session: Session,
    principal: Principal,
    item_id: str,
    action: str,
    recorded: str,
    note: str,
    cache: ContentCache | None,
) -> ContentItem:
    """Move an item out of its state by ``action``; a published one leaves the catalogue."""
    require_editor(principal)
    with session.begin():
        item = load_item(session, item_id, for_update=True)
        before = _transition(item, principal, action)
        _record(session, item, principal, recorded, _status_change(before, item, note))
        was_published = before == workflow.PUBLISHED
        if was_published:
            _announce(session, "content.archived", item)
    _after_commit(cache, was_published)
    return item


def _status_change(before: str, item: ContentItem, note: str) -> dict[str, Any]:
    changes: dict[str, Any] = {"status": {"from": before, "to": item.status}}
    if note:
        changes["note"] = note
    return changes


def item_history(*, session: Session, principal: Principal, item_id: str) -> list[ContentRevision]:
    """Return an item's history, newest first (editors)."""
    require_editor(principal)
    item = load_item(session, item_id)
    query = (
        select(ContentRevision)
        .where(ContentRevision.item_id == item.id)
        .order_by(ContentRevision.version.desc())
    )
    return list(session.scalars(query))


def reindex_all(*, session: Session, index: SearchIndex) -> int:
    """Rebuild the search rows of every item; return how many were indexed."""
    count = 0
    with session.begin():
        for item in session.scalars(select(ContentItem)):
            index.refresh(session, item, edits.keywords(session, item))
            count += 1
        state.bump(session)
    return count
