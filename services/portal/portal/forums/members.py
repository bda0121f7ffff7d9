"""Finding forum members by name, for the reply form's mentions picker: the active users the
forums let in whose name, or a word of it, starts with what the replier typed, accents and case
aside. The database filters, orders and limits (on ``users.name_key``, the folded name), so a
lookup reads at most 10 rows however many users there are. A member shows as their id, display
name and administration's name, never their e-mail address or roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, case, literal, not_, or_, select
from sqlalchemy.orm import Session

from portal.forums.access import require_member
from portal.models import Administration, User
from portal.names import folded
from shared.auth import Principal, Role

MAX_FOUND = 10


@dataclass(frozen=True)
class Member:
    """A forum member as the picker shows them."""

    id: str
    name: str
    administration: str | None


def _has_role(role: str) -> ColumnElement[bool]:
    """SQL: the user's stored comma list of roles holds ``role``."""
    return (literal(",") + User.roles_text + literal(",")).contains(f",{role},", autoescape=True)


def reads_forums_sql() -> ColumnElement[bool]:
    """SQL of ``shared.pages.reads_forums``: editors, operators and users of an administration,
    never its machine clients."""
    return or_(
        _has_role(Role.EDITOR),
        _has_role(Role.OPERATOR),
        and_(User.administration_id.is_not(None), not_(_has_role(Role.CLIENT))),
    )


def _members(
    session: Session,
    *where: ColumnElement[bool],
    order: tuple[Any, ...] = (),
    limit: int | None = None,
) -> list[Member]:
    """Return the active forum members with ``where``, in ``order``, at most ``limit``."""
    query = (
        select(User.id, User.display_name, Administration.name)
        .outerjoin(Administration, Administration.id == User.administration_id)
        .where(User.active.is_(True), reads_forums_sql(), *where)
        .order_by(*order)
        .limit(limit)
    )
    return [
        Member(user_id, name, administration)
        for user_id, name, administration in session.execute(query)
    ]


def find_members(
    *, session: Session, principal: Principal, query: str, limit: int = MAX_FOUND
) -> list[Member]:
    """Return up to ``limit`` (at most 10) active forum members whose name matches ``query``: a
    prefix of the name or of one of its words, accents and case aside; those whose name starts
    with it first, then by name."""
    require_member(principal)
    prefix = folded(query)
    if not prefix:
        return []
    words = literal(" ") + User.name_key
    starts = User.name_key.startswith(prefix, autoescape=True)
    return _members(
        session,
        words.contains(f" {prefix}", autoescape=True),
        order=(case((starts, 0), else_=1), User.name_key, User.id),
        limit=max(0, min(limit, MAX_FOUND)),
    )


def members_named(*, session: Session, ids: list[str]) -> list[Member]:
    """Return the active forum members among ``ids`` in their order (a refused reply form shows
    again the members it mentioned)."""
    if not ids:
        return []
    known = {m.id: m for m in _members(session, User.id.in_(ids[:MAX_FOUND]))}
    return [known[i] for i in dict.fromkeys(ids) if i in known]
