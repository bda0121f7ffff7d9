"""Optional e-mail notifications (when ``REPORTS_SMTP_HOST`` is set), one per notified user.

Addresses and languages come from the submission the report was built from
(``notify_emails`` / ``notify_languages`` of ``assessment.submitted``); a user without an address
gets the in-app notification only. Each (event, user) gets one ``EmailDelivery``; its id is the
message's ``Message-ID``, the same on every try, so a receiving server can drop a duplicate.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports import notifications
from reports.administrations import name_of
from reports.models import DeliveryStatus, EmailDelivery, EmailSendMixin, Notification, ReportJob
from shared.events import CloudEvent, load_payload
from shared.i18n import DEFAULT, SUPPORTED
from shared.timestamps import utcnow
from shared.translations import texts_for

Enqueue = Callable[[str], None]
MAX_ERROR = 1000
MAX_ADDRESS = 254

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to hand e-mails over."""

    host: str
    port: int = 25
    sender: str = "Smart Customs <no-reply@localhost>"
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout_s: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        """Return the SMTP settings of the app's config."""
        return cls(
            host=str(config["REPORTS_SMTP_HOST"]),
            port=int(config["REPORTS_SMTP_PORT"]),
            sender=str(config["REPORTS_SMTP_FROM"]),
            username=str(config["REPORTS_SMTP_USERNAME"]),
            password=str(config["REPORTS_SMTP_PASSWORD"]),
            starttls=bool(config["REPORTS_SMTP_STARTTLS"]),
            timeout_s=float(config["REPORTS_SMTP_TIMEOUT_S"]),
        )


def configured(config: Mapping[str, Any]) -> bool:
    """Return whether e-mail is switched on."""
    return bool(config.get("REPORTS_SMTP_HOST"))


def plausible(address: str) -> bool:
    """Return whether ``address`` can go into a To header (one @, no spaces or line breaks)."""
    local, at, domain = address.rpartition("@")
    return (
        bool(at and local and "." in domain)
        and len(address) <= MAX_ADDRESS
        and not any(c.isspace() or c in '<>,;"' for c in address)
    )


# -- from the event process ----------------------------------------------------------------------
def record_emails(event: CloudEvent, *, session: Session, enqueue: Enqueue) -> list[str]:
    """Record one e-mail per notified user with an address (once per event); queue those unsent."""
    data = load_payload(event)
    with session.begin():
        job = session.get(ReportJob, str(data["report_id"]))
        source: Mapping[str, Any] = job.data if job is not None else {}
        addresses = source.get("notify_emails") or {}
        languages = source.get("notify_languages") or {}
        fallback = job.language if job is not None else str(data["language"])
        notified = {
            row.user_id: row
            for row in session.scalars(
                select(Notification).where(Notification.event_id == event.id)
            )
        }
        known = {
            row.user_id: row
            for row in session.scalars(
                select(EmailDelivery).where(EmailDelivery.event_id == event.id)
            )
        }
        for user_id in sorted(set(data["notify"]) - set(known)):
            address = str(addresses.get(user_id) or "").strip()
            if user_id not in notified or not plausible(address):
                continue
            known[user_id] = _add(
                session,
                event_id=event.id,
                notification=notified[user_id],
                address=address,
                language=str(languages.get(user_id) or fallback),
            )
        pending = [
            row.id
            for row in known.values()
            if row.status == DeliveryStatus.PENDING and not row.attempts
        ]
    for email_id in pending:
        enqueue(email_id)
    return pending


def _add(
    session: Session, *, event_id: str, notification: Notification, address: str, language: str
) -> EmailDelivery:
    row = EmailDelivery(
        event_id=event_id,
        user_id=notification.user_id,
        notification_id=notification.id,
        address=address,
        language=language if language in SUPPORTED else DEFAULT,
        status=DeliveryStatus.PENDING.value,
        attempts=0,
    )
    session.add(row)
    session.flush()
    return row


# -- the message (pure) --------------------------------------------------------------------------
def compose(
    email: EmailDelivery,
    notification: Notification,
    *,
    sender: str,
    public_url: str,
    administration: str | None = None,
) -> EmailMessage:
    """Return the e-mail telling ``email.address`` about ``notification``, in its language
    (naming ``administration`` when its name is known)."""
    language = email.language
    text = notifications.render(notification, language)
    link = f"{public_url.rstrip('/')}/reports/?lang={language}"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = email.address
    message["Subject"] = text["title"]
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{email.id}@smartcustoms.reports>"
    message["Auto-Submitted"] = "auto-generated"
    t = texts_for(language, "reports", "shared")
    named = [t.gettext("Administration: %(name)s", name=administration)] if administration else []
    footer = t.gettext(
        "You receive this message because you take part in this self-assessment on the "
        "Smart Customs platform."
    )
    message.set_content(
        "\n\n".join(
            [
                t.gettext("Hello,"),
                *named,
                text["body"],
                t.gettext("Your administration's reports: %(url)s", url=link),
                "-- \n" + footer,
            ]
        )
        + "\n"
    )
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    return message


# -- from the worker -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Sent:
    """What became of an e-mail after one try (``None`` status: nothing to do)."""

    status: str | None
    attempts: int = 0


def hand_over(message: EmailMessage, smtp: SmtpSettings) -> None:
    """Give ``message`` to the SMTP server (raises ``smtplib.SMTPException`` or ``OSError``)."""
    with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.username:
            server.login(smtp.username, smtp.password)
        server.send_message(message)


def is_permanent(exc: Exception) -> bool:
    """Return whether a failed hand-over will fail again (a refused recipient, a 5xx answer)."""
    code = getattr(exc, "smtp_code", None)
    refused = isinstance(exc, smtplib.SMTPRecipientsRefused)
    return refused or (isinstance(code, int) and 500 <= code < 600)


def send_email(
    *,
    session: Session,
    email_id: str,
    smtp: SmtpSettings,
    public_url: str,
    max_attempts: int,
    send: Callable[[EmailMessage, SmtpSettings], None] = hand_over,
) -> Sent:
    """Send one recorded e-mail once and record the outcome (delivered, failed or pending)."""
    with session.begin():
        email = session.get(EmailDelivery, email_id, populate_existing=True)
        if email is None or email.status != DeliveryStatus.PENDING:
            return Sent(None)
        notification = session.get(Notification, email.notification_id)
        if notification is None:
            return Sent(None)
        message = compose(
            email,
            notification,
            sender=smtp.sender,
            public_url=public_url,
            administration=_administration(session, notification),
        )
    error, permanent = try_hand_over(message, smtp, send=send)
    return record_attempt(
        session, EmailDelivery, email_id, error, permanent=permanent, max_attempts=max_attempts
    )


def _administration(session: Session, notification: Notification) -> str | None:
    """Return the notified administration's name: the read model's, else the submission's."""
    name = name_of(session, notification.administration_id)
    if name is None and notification.report_id:
        job = session.get(ReportJob, notification.report_id)
        name = str((job.data or {}).get("administration_name") or "").strip() if job else None
    return name or None


def try_hand_over(
    message: EmailMessage,
    smtp: SmtpSettings,
    *,
    send: Callable[[EmailMessage, SmtpSettings], None] = hand_over,
) -> tuple[str | None, bool]:
    """Hand ``message`` over once; return the error (``None``: sent) and whether it is final."""
    try:
        send(message, smtp)
    except (smtplib.SMTPException, OSError) as exc:
        return f"{type(exc).__name__}: {exc}"[:MAX_ERROR], is_permanent(exc)
    return None, False


def record_attempt(
    session: Session,
    model: type[EmailSendMixin],
    row_id: str,
    error: str | None,
    *,
    permanent: bool,
    max_attempts: int,
    logged_as: tuple[str, str] = ("e-mail", "email_id"),
) -> Sent:
    """Count one try of a still-pending e-mail row: delivered, failed or still pending."""
    with session.begin():
        row = session.get(model, row_id, with_for_update=True, populate_existing=True)
        if row is None or row.status != DeliveryStatus.PENDING:
            return Sent(None)
        row.attempts += 1
        row.last_error = error
        if error is None:
            row.status = DeliveryStatus.DELIVERED.value
            row.sent_at = utcnow()
        elif permanent or row.attempts >= max_attempts:
            row.status = DeliveryStatus.FAILED.value
        result = Sent(row.status, row.attempts)
    what, key = logged_as
    _log.info(
        f"{what} attempt",
        extra={key: row_id, "attempt": result.attempts, "email_status": result.status},
    )
    return result
