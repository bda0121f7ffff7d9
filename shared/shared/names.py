"""A service's local copy of administration names, fed by the portal's ``administration.created``
and ``administration.renamed`` events (event-carried state: no service calls the portal to name
an administration).

Each service declares its own table with ``AdministrationNameMixin`` in its own database and
applies the events with ``apply_name_event``. Events of one administration are applied in the
order of their ``time``: a replay or a late, older event changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from shared.events import CloudEvent, load_payload
from shared.timestamps import UtcDateTime, utcnow

NAME_EVENTS = ("administration.created", "administration.renamed")
MAX_NAME = 200


class AdministrationNameMixin:
    """Columns of a read model of administration names (table ``administration_names``)."""

    __tablename__ = "administration_names"

    administration_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(MAX_NAME))
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    event_id: Mapped[str] = mapped_column(String(64))
    event_time: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


Row = TypeVar("Row", bound=AdministrationNameMixin)


def apply_name_event(event: CloudEvent, *, session: Session, model: type[Row]) -> Row:
    """Record the administration's name an event carries (idempotent; older events ignored)."""
    data: dict[str, Any] = load_payload(event)
    moment = event.moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with session.begin():
        row = session.get(model, data["administration_id"], with_for_update=True)
        if row is not None and row.event_time > moment:
            return row  # a newer event of this administration was applied already
        if row is None:
            row = model()
            row.administration_id = data["administration_id"]
            session.add(row)
        row.name = str(data["name"]).strip()[:MAX_NAME]
        row.country_code = data.get("country_code")
        row.language = data.get("language") or "fr"
        row.event_id = event.id
        row.event_time = moment
    return row


def name_of(
    session: Session, model: type[AdministrationNameMixin], administration_id: str
) -> str | None:
    """Return the administration's name as last announced, or None if none arrived yet."""
    row = session.get(model, administration_id)
    return row.name if row is not None and row.name else None


def names_of(
    session: Session, model: type[AdministrationNameMixin], administration_ids: Iterable[str]
) -> dict[str, str]:
    """Return the known names of ``administration_ids`` (unknown ones are left out)."""
    wanted = sorted(set(administration_ids))
    if not wanted:
        return {}
    rows = session.scalars(select(model).where(model.administration_id.in_(wanted)))
    return {row.administration_id: row.name for row in rows if row.name}
