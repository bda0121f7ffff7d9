"""Use cases of the optional e-mail digest of forum notifications (issue 15, ADR 0012).

A member chooses a frequency (``none``, the default, ``daily`` or ``weekly``). Each forum
notification of a member who chose one and whose address the event carries becomes a
``DigestItem`` (once per notification). ``collect`` (run by ``flask --app reports digests
send``) gathers each member's waiting items into one ``Digest`` per member and period (unique,
so a second run adds nothing) and queues it; ``send_digest`` (the delivery worker) sends it
once, through the same SMTP settings and retries as the report e-mails, its id the
``Message-ID``. In-app notifications are the same whatever the member chose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from email.message import EmailMessage

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reports import digest_rendering, mail, notifications
from reports.digest_models import Digest, DigestItem, DigestPreference, Frequency
from reports.models import DeliveryStatus, Notification
from shared.auth import Principal, Role
from shared.events import CloudEvent, load_payload
from shared.i18n import DEFAULT, SUPPORTED

Enqueue = Callable[[str], None]
FREQUENCIES = tuple(f.value for f in Frequency)
SENT_FREQUENCIES = (Frequency.DAILY.value, Frequency.WEEKLY.value)
# People, not machine clients: the forums (and so their digest) are for signed-in members.
PEOPLE = (Role.RESPONDENT, Role.COORDINATOR, Role.EDITOR, Role.OPERATOR, Role.MEMBER)

_log = logging.getLogger(__name__)


# -- preferences (the API) -----------------------------------------------------------------------
def get_preference(*, session: Session, principal: Principal) -> str:
    """Return the caller's digest frequency (``none`` until they choose one)."""
    row = session.get(DigestPreference, principal.subject)
    return row.frequency if row is not None else Frequency.NONE.value


def set_preference(*, session: Session, principal: Principal, frequency: str) -> str:
    """Set the caller's digest frequency; on ``none``, drop their waiting items at once (they
    stay in-app; between daily and weekly they wait for the new period's digest). Return it."""
    with session.begin():
        row = session.get(DigestPreference, principal.subject, with_for_update=True)
        if row is None:
            session.add(DigestPreference(user_id=principal.subject, frequency=frequency))
        else:
            row.frequency = frequency
        if frequency == Frequency.NONE.value:
            session.execute(
                delete(DigestItem)
                .where(DigestItem.user_id == principal.subject, DigestItem.digest_id.is_(None))
                .execution_options(synchronize_session=False)
            )
    return frequency


# -- from the event process ----------------------------------------------------------------------
def record_items(event: CloudEvent, *, session: Session) -> int:
    """Record a digest item for each forum notification of ``event`` whose recipient chose a
    digest and has a usable address in the event (once per notification); return how many."""
    data = load_payload(event)
    addresses: Mapping[str, str] = data.get("notify_emails") or {}
    languages: Mapping[str, str] = data.get("notify_languages") or {}
    if not addresses:
        return 0
    added = 0
    with session.begin():
        told = list(
            session.scalars(
                select(Notification).where(
                    Notification.event_id == event.id,
                    Notification.code.in_(sorted(notifications.FORUM_CODES)),
                )
            )
        )
        chosen = _chosen(session, [n.user_id for n in told])
        known = set(
            session.scalars(
                select(DigestItem.notification_id).where(
                    DigestItem.notification_id.in_([n.id for n in told])
                )
            )
        )
        for notification in told:
            address = str(addresses.get(notification.user_id) or "").strip()
            if notification.id in known or notification.user_id not in chosen:
                continue
            if not mail.plausible(address):
                continue
            language = str(languages.get(notification.user_id) or data.get("language") or "")
            session.add(
                DigestItem(
                    notification_id=notification.id,
                    user_id=notification.user_id,
                    address=address,
                    language=language if language in SUPPORTED else DEFAULT,
                    created_at=notification.created_at,
                )
            )
            added += 1
    return added


def _chosen(session: Session, user_ids: list[str]) -> set[str]:
    return set(
        session.scalars(
            select(DigestPreference.user_id).where(
                DigestPreference.user_id.in_(user_ids),
                DigestPreference.frequency.in_(SENT_FREQUENCIES),
            )
        )
    )


# -- from the scheduled command ------------------------------------------------------------------
def collect(*, session: Session, frequency: str, day: date, enqueue: Enqueue) -> list[str]:
    """Gather the waiting items of every member who chose ``frequency`` into one digest each for
    the period of ``day`` (never two for one member and period); queue the digests of that
    period not tried yet (a run that crashed before queueing is completed by the next)."""
    key = digest_rendering.period_key(frequency, day)
    with session.begin():
        members = select(DigestPreference.user_id).where(DigestPreference.frequency == frequency)
        waiting = list(
            session.scalars(
                select(DigestItem)
                .where(DigestItem.digest_id.is_(None), DigestItem.user_id.in_(members))
                .order_by(DigestItem.user_id, DigestItem.created_at, DigestItem.id)
                .with_for_update(skip_locked=True)
            )
        )
        existing = set(session.scalars(select(Digest.user_id).where(Digest.period_key == key)))
        by_user: dict[str, list[DigestItem]] = {}
        for item in waiting:
            if item.user_id not in existing:
                by_user.setdefault(item.user_id, []).append(item)
        for user_id, items in by_user.items():
            latest = items[-1]  # the latest address and language the events gave
            digest = Digest(
                user_id=user_id,
                frequency=frequency,
                period_key=key,
                address=latest.address,
                language=latest.language,
                status=DeliveryStatus.PENDING.value,
                attempts=0,
            )
            session.add(digest)
            session.flush()
            for item in items:
                item.digest_id = digest.id
        pending = list(
            session.scalars(
                select(Digest.id)
                .where(
                    Digest.period_key == key,
                    Digest.status == DeliveryStatus.PENDING.value,
                    Digest.attempts == 0,
                )
                .order_by(Digest.user_id)
            )
        )
    for digest_id in pending:
        enqueue(digest_id)
    return pending


def collect_safely(*, session: Session, frequency: str, day: date, enqueue: Enqueue) -> list[str]:
    """Run ``collect``; a concurrent run that made the same digest first leaves it to that one."""
    try:
        return collect(session=session, frequency=frequency, day=day, enqueue=enqueue)
    except IntegrityError:
        session.rollback()
        _log.info("digests already collected by another run", extra={"frequency": frequency})
        return []


# -- from the worker -----------------------------------------------------------------------------
def send_digest(
    *,
    session: Session,
    digest_id: str,
    smtp: mail.SmtpSettings,
    public_url: str,
    max_attempts: int,
    send: Callable[[EmailMessage, mail.SmtpSettings], None] = mail.hand_over,
) -> mail.Sent:
    """Send one digest once and record the outcome (delivered, failed or pending)."""
    with session.begin():
        digest = session.get(Digest, digest_id, populate_existing=True)
        if digest is None or digest.status != DeliveryStatus.PENDING:
            return mail.Sent(None)
        items = list(
            session.scalars(
                select(Notification)
                .join(DigestItem, DigestItem.notification_id == Notification.id)
                .where(DigestItem.digest_id == digest.id)
                .order_by(Notification.created_at, Notification.id)
            )
        )
        listed = digest_rendering.entries(items, language=digest.language, public_url=public_url)
        message = digest_rendering.compose_digest(
            digest_id=digest.id,
            address=digest.address,
            language=digest.language,
            frequency=digest.frequency,
            listed=listed,
            sender=smtp.sender,
            public_url=public_url,
        )
    if listed:
        error, permanent = mail.try_hand_over(message, smtp, send=send)
    else:
        error, permanent, max_attempts = "no notification left", True, 1
    return mail.record_attempt(
        session,
        Digest,
        digest_id,
        error,
        permanent=permanent,
        max_attempts=max_attempts,
        logged_as=("digest", "digest_id"),
    )
