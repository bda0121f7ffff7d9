"""The reports service's read model of administration names (table ``administration_names``,
fed by the portal's ``administration.created`` / ``administration.renamed`` through the group
``reports-administrations``; see ``shared.names``).

A report, its file names, the reports page and the e-mails name the administration from this
copy: building a report never calls the portal. A report built before the name arrived uses it
when it is rebuilt (``flask --app reports jobs rebuild``); it never waits.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from reports.models import AdministrationName
from shared import names
from shared.events import CloudEvent

ADMINISTRATION_EVENTS = names.NAME_EVENTS


def apply_administration_event(event: CloudEvent, *, session: Session) -> AdministrationName:
    """Record an administration's name (idempotent; older events are ignored)."""
    return names.apply_name_event(event, session=session, model=AdministrationName)


def name_of(session: Session, administration_id: str) -> str | None:
    """Return the administration's name as last announced, or None if none arrived yet."""
    return names.name_of(session, AdministrationName, administration_id)


def names_of(session: Session, administration_ids: Iterable[str]) -> dict[str, str]:
    """Return the known names of ``administration_ids`` (unknown ones are left out)."""
    return names.names_of(session, AdministrationName, administration_ids)


def known_name(session: Session, administration_id: str, *, announced: object = None) -> str:
    """Return the administration's name: the read model's, else the one the submission
    carried, else "" (a report then says "your administration", never the id)."""
    return name_of(session, administration_id) or str(announced or "").strip()
