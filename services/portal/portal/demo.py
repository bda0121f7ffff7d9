"""Demo data: two administrations and one account per role, all with the documented password."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.accounts import add_administration
from portal.models import Administration, User, join_roles
from portal.passwords import Passwords

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
