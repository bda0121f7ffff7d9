"""Use cases of the forum categories: members read them; editors add one or rename, reclassify
and reorder it (a category is never deleted: its threads stay; an editor moves them instead)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.forums.access import require_member
from portal.forums.models import ForumCategory
from portal.forums.moderation import require_editor
from shared.auth import Principal
from shared.errors import ApiError, NotFound

TAKEN = "a category already has this key"


def list_categories(*, session: Session, principal: Principal) -> list[ForumCategory]:
    """Return the categories in their order (technologies and topics)."""
    require_member(principal)
    return list(
        session.scalars(select(ForumCategory).order_by(ForumCategory.position, ForumCategory.key))
    )


def add_category(
    *, session: Session, principal: Principal, fields: dict[str, Any]
) -> ForumCategory:
    """Add a category (editors); its key is for good."""
    require_editor(principal)
    with session.begin():
        if session.get(ForumCategory, fields["key"]) is not None:
            raise ApiError(409, "conflict", TAKEN)
        category = ForumCategory(**fields)
        session.add(category)
        session.flush()
    return category


def change_category(
    *, session: Session, principal: Principal, key: str, changes: dict[str, Any]
) -> ForumCategory:
    """Rename, reclassify or reorder a category (editors)."""
    require_editor(principal)
    with session.begin():
        category = session.get(ForumCategory, key, with_for_update=True)
        if category is None:
            raise NotFound()
        for name, value in changes.items():
            setattr(category, name, value)
    return category
