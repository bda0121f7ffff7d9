"""Demo data: two administrations, one account per role (all with the documented password),
and the demo catalogue written for the portal (``demo_content/*.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import add_administration
from portal.catalogue import items
from portal.catalogue.schemas import ItemCreateSchema
from portal.catalogue.search import SearchIndex
from portal.models import Administration, ContentItem, User, join_roles
from portal.passwords import Passwords
from shared.auth import Principal
from shared.db import Database

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - the documented demo accounts' password
DEMO = "Demo Customs Administration"
OTHER = "Other Customs Administration"


@dataclass(frozen=True)
class DemoUser:
    """One demo account."""

    email: str
    display_name: str
    roles: tuple[str, ...]
    administration: str | None
    language: str


ADMINISTRATIONS = ((DEMO, "DM", "fr"), (OTHER, "OT", "en"))
USERS = (
    DemoUser("coordinator@demo.example", "Demo Coordinator", ("coordinator",), DEMO, "fr"),
    DemoUser("respondent@demo.example", "Demo Respondent", ("respondent",), DEMO, "fr"),
    DemoUser("editor@demo.example", "Demo Editor", ("editor",), None, "en"),
    DemoUser("reviewer@demo.example", "Demo Reviewer", ("editor",), None, "fr"),
    DemoUser("operator@demo.example", "Demo Operator", ("operator",), None, "en"),
    DemoUser("coordinator@other.example", "Other Coordinator", ("coordinator",), OTHER, "en"),
)


def _administration(session: Session, name: str, country: str, language: str) -> Administration:
    found = session.scalars(select(Administration).where(Administration.name == name)).first()
    if found is not None:
        return found
    return add_administration(session, name=name, country_code=country, default_language=language)


def seed_demo(*, session: Session, passwords: Passwords) -> list[str]:
    """Create the demo administrations and accounts that do not exist yet; return new e-mails."""
    created: list[str] = []
    with session.begin():
        ids = {
            name: _administration(session, name, country, language).id
            for name, country, language in ADMINISTRATIONS
        }
        for spec in USERS:
            if session.scalars(select(User.id).where(User.email == spec.email)).first():
                continue
            session.add(
                User(
                    administration_id=ids[spec.administration] if spec.administration else None,
                    email=spec.email,
                    display_name=spec.display_name,
                    password_hash=passwords.hash(DEMO_PASSWORD),
                    roles_text=join_roles(spec.roles),
                    language=spec.language,
                )
            )
            created.append(spec.email)
    return created


# -- demo catalogue ------------------------------------------------------------------------------
CONTENT_DIR = Path(__file__).parent / "demo_content"
# The demo items are written by one editor and published by another, as the workflow demands.
CONTENT_AUTHOR = Principal("demo-content-author", None, frozenset({"editor"}), name="Portal team")
CONTENT_REVIEWER = Principal(
    "demo-content-reviewer", None, frozenset({"editor"}), name="Portal editorial board"
)


def _day(value: object) -> str | None:
    """Return a YAML date as an aware datetime text at midnight UTC."""
    if value is None:
        return None
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return datetime(day.year, day.month, day.day, tzinfo=UTC).isoformat()


def _links(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Return one link per language version: the same address, labelled in that language."""
    links = []
    for link in entry.get("links", []):
        labels = link["label"] if isinstance(link["label"], dict) else {"en": link["label"]}
        for language in sorted(entry["translations"]):
            label = labels.get(language) or next(iter(labels.values()))
            links.append({"url": link["url"], "label": label, "language": language})
    return links


def content_body(entry: dict[str, Any]) -> dict[str, Any]:
    """Return the API body (``ItemCreateSchema``) of one entry of the demo content files."""
    body: dict[str, Any] = {
        "slug": entry["slug"],
        "kind": entry["kind"],
        "subtype": entry.get("subtype"),
        "visibility": entry.get("visibility", "public"),
        "featured": bool(entry.get("featured", False)),
        "region": entry.get("region"),
        "technologies": entry.get("technologies", []),
        "domains": entry.get("domains", []),
        "topics": entry.get("topics", []),
        "administration_name": (entry.get("case") or {}).get("administration"),
        "launch_url": entry.get("launch"),
        "published_at": _day(entry.get("published")),
        "event_start": _day(entry.get("starts")),
        "event_end": _day(entry.get("ends")),
        "links": _links(entry),
        "translations": entry["translations"],
    }
    return {key: value for key, value in body.items() if value is not None}


def demo_entries() -> list[dict[str, Any]]:
    """Return every entry of the demo content files (validated when loaded)."""
    entries: list[dict[str, Any]] = []
    for path in sorted(CONTENT_DIR.glob("*.yaml")):
        entries.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return entries


def load_demo_content(*, database: Database, index: SearchIndex) -> int:
    """Create and publish the demo items that do not exist yet (by slug); return how many."""
    with database.session() as session:
        existing = set(session.scalars(select(ContentItem.slug)))
    schema = ItemCreateSchema()
    loaded = 0
    for entry in demo_entries():
        if entry["slug"] in existing:
            continue
        data = schema.load(content_body(entry))
        with database.session(write=True) as session:
            item_id = items.create_item(
                session=session, principal=CONTENT_AUTHOR, index=index, data=data
            ).id
        with database.session(write=True) as session:
            items.submit_item(session=session, principal=CONTENT_AUTHOR, item_id=item_id)
        with database.session(write=True) as session:
            items.publish_item(session=session, principal=CONTENT_REVIEWER, item_id=item_id)
        loaded += 1
    return loaded
