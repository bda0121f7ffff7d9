"""The catalogue's change counter: one row every write increments in its own transaction, so
each web process can tell with one primary-key read whether its in-memory copies (the
``Snapshot``, the vocabulary labels) are out of date.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.models import CatalogueState


def bump(session: Session) -> None:
    """Mark a change of the catalogue (call inside the writing transaction)."""
    changed = session.execute(
        update(CatalogueState)
        .where(CatalogueState.id == 1)
        .values(version=CatalogueState.version + 1)
    )
    if not getattr(changed, "rowcount", 0):
        session.add(CatalogueState(id=1, version=1))


def current_version(session: Session) -> int:
    """Return the catalogue's version (0 before any write)."""
    return int(session.scalar(select(CatalogueState.version).where(CatalogueState.id == 1)) or 0)
