"""Finding forum members by name, for the reply form's mentions picker: the active users the
forums let in whose name, or a word of it, starts with what the replier typed, accents and case
aside. A member shows as their id, display name and administration's name, never their e-mail
address or roles."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from portal.forums.access import require_member
from portal.models import Administration, User, split_roles
from shared.auth import Principal
from shared.pages import reads_forums

MAX_FOUND = 10
_NOT_LETTERS = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Member:
    """A forum member as the picker shows them."""

    id: str
    name: str
    administration: str | None


def folded(text: str) -> str:
    """Return ``text`` without accents or case, its words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_LETTERS.sub(" ", plain).strip()


def matches(name: str, prefix: str) -> bool:
    """Return whether ``name`` or one of its words starts with ``prefix`` (both folded)."""
    return f" {name}".find(f" {prefix}") >= 0


def _active_members(session: Session, *where: ColumnElement[bool]) -> list[tuple[Member, str]]:
    """Return the active users the forums let in (with ``where``), each with its folded name."""
    rows = session.execute(
        select(
            User.id,
            User.display_name,
            User.roles_text,
            User.administration_id,
            Administration.name,
        )
        .outerjoin(Administration, Administration.id == User.administration_id)
        .where(User.active.is_(True), *where)
    ).all()
    return [
        (Member(user_id, name, administration), folded(name))
        for user_id, name, roles, administration_id, administration in rows
        if reads_forums(split_roles(roles), administration_id)
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
    found = [
        (not key.startswith(prefix), key, member.id, member)
        for member, key in _active_members(session)
        if matches(key, prefix)
    ]
    found.sort(key=lambda row: row[:3])
    return [row[3] for row in found[: max(0, min(limit, MAX_FOUND))]]


def members_named(*, session: Session, ids: list[str]) -> list[Member]:
    """Return the active forum members among ``ids`` in their order (a refused reply form shows
    again the members it mentioned)."""
    if not ids:
        return []
    known = {m.id: m for m, _ in _active_members(session, User.id.in_(ids[:MAX_FOUND]))}
    return [known[i] for i in dict.fromkeys(ids) if i in known]
