"""Use cases of in-app notifications: record them from report and import events, list, mark read.

A notification stores a code and its parameters; its title and body are rendered in the reader's
language when read, so a French and an English colleague see the same notification in their own
language. A notification is its recipient's only: of their administration's data (reports,
imports, actions) while they are in it; of the forums (shared by every administration) wherever
they are.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from reports import notification_texts
from reports.models import Notification
from shared.auth import Principal, Role
from shared.errors import NotFound
from shared.events import CloudEvent, load_payload
from shared.paging import fetch_page
from shared.timestamps import to_rfc3339, utcnow
from shared.translations import language_name, texts_for

Publish = Callable[[str, str], Any]

_log = logging.getLogger(__name__)

CODES = {"report.ready": "report_ready", "report.failed": "report_failed"}
IMPORT_EVENT = "answer_import.finished"
# ``answer_import.finished`` status -> notification code.
IMPORT_CODES = {
    "succeeded": "import_succeeded",
    "completed_with_errors": "import_completed_with_errors",
    "rejected": "import_rejected",
    "failed": "import_failed",
}
# The assessment service's page of one import job.
IMPORT_PAGE = "/assessment/imports/{import_id}"
# Action plan reminders (``reports.action_reminders``) lead to the page of the owner's actions.
ACTION_CODES = frozenset({"action_due_soon", "action_overdue"})
ACTION_PAGE = "/assessment/my-actions"
# Forum replies (``reports.forum_replies``) lead to the portal's page of the thread. The forums
# belong to no administration: these are stored with no administration and are the recipient's
# wherever they sign in from.
FORUM_CODES = frozenset({"forum_replied", "forum_quoted", "forum_mentioned"})
FORUM_PAGE = "/forums/threads/{thread_id}"
# The portal opens the page of the thread holding ``post`` and the anchor scrolls to it.
FORUM_POST = "?post={post_id}#post-{post_id}"
NO_ADMINISTRATION = ""


def channel(user_id: str) -> str:
    """Return the Redis pub/sub channel of a user's live notifications."""
    return f"reports:notifications:{user_id}"


def record_report_event(
    event: CloudEvent, *, session: Session, publish: Publish
) -> list[Notification]:
    """Create one notification per user to notify (a repeated event adds nothing); push them."""
    data = load_payload(event)
    return _record(
        event,
        data,
        session=session,
        publish=publish,
        code=CODES[event.type],
        report_id=data["report_id"],
        params=_params(data),
    )


def record_import_event(
    event: CloudEvent, *, session: Session, publish: Publish
) -> list[Notification]:
    """Create one notification per user told of a finished import (once per event); push them."""
    data = load_payload(event)
    return _record(
        event,
        data,
        session=session,
        publish=publish,
        code=IMPORT_CODES[data["status"]],
        report_id=None,
        params=_import_params(data),
    )


def _record(
    event: CloudEvent,
    data: Mapping[str, Any],
    *,
    session: Session,
    publish: Publish,
    code: str,
    report_id: str | None,
    params: dict[str, Any],
) -> list[Notification]:
    return record(
        event,
        session=session,
        publish=publish,
        recipients=dict.fromkeys(data["notify"], code),
        administration_id=data["administration_id"],
        report_id=report_id,
        params=params,
    )


def record(
    event: CloudEvent,
    *,
    session: Session,
    publish: Publish,
    recipients: Mapping[str, str],
    administration_id: str,
    report_id: str | None,
    params: Mapping[str, Any],
) -> list[Notification]:
    """Create one notification per recipient (user id -> code) of ``event``, skipping those it
    already made (a repeated event adds nothing); push the new ones live."""
    created: list[Notification] = []
    with session.begin():
        known = set(
            session.scalars(select(Notification.user_id).where(Notification.event_id == event.id))
        )
        for user_id in sorted(set(recipients) - known):
            notification = Notification(
                event_id=event.id,
                user_id=user_id,
                administration_id=administration_id,
                code=recipients[user_id],
                report_id=report_id,
                params=dict(params),
            )
            session.add(notification)
            created.append(notification)
    for notification in created:
        _push(notification, publish)
    return created


def _params(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "title": data.get("title", ""),
        "version": data["version"],
        "language": data["language"],
        "formats": list(data.get("formats", [])),
    }


def _import_params(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "import_id": data["import_id"],
        "status": data["status"],
        "mode": data["mode"],
        "language": data["language"],
        "assessment_id": data.get("assessment_id", ""),
        "assessment_ids": list(data.get("assessment_ids", [])),
        "rows_total": data.get("rows_total", 0),
        "answers_stored": data.get("answers_stored", 0),
        "errors_count": data.get("errors_count", 0),
    }


def _push(notification: Notification, publish: Publish) -> None:
    # Pub/sub may drop messages (nobody listening, Redis down): the table is the record.
    message = json.dumps(
        {
            "id": notification.id,
            "code": notification.code,
            "report_id": notification.report_id,
            "created_at": to_rfc3339(notification.created_at),
        }
    )
    try:
        publish(channel(notification.user_id), message)
    except Exception:
        _log.warning("live notification not pushed", extra={"notification_id": notification.id})


def render(notification: Notification, language: str) -> dict[str, str]:
    """Return the title and body of a notification in ``language``."""
    t = texts_for(language, "reports", "shared")
    params: dict[str, Any] = dict(notification.params or {})
    report_language = str(params.get("language", ""))
    params["language_name"] = language_name(report_language, language)
    params.update(notification_texts.phrases(t, params))
    title = notification_texts.TITLES.get(notification.code)
    body = notification_texts.BODIES.get(notification.code)
    return {
        "title": t.gettext(title) if title else "",
        # A parameter the notification lacks shows as nothing, never as an error.
        "body": t.gettext(body) % _Default(params) if body else "",
    }


def link(notification: Notification) -> str | None:
    """Return the page a notification leads to (an import's page, "My actions", a forum thread),
    or None."""
    if notification.code in ACTION_CODES:
        return ACTION_PAGE
    if notification.code in FORUM_CODES:
        thread_id = str((notification.params or {}).get("thread_id") or "")
        if not thread_id:
            return None
        page = FORUM_PAGE.format(thread_id=quote(thread_id, safe=""))
        post_id = str((notification.params or {}).get("post_id") or "")
        return page + FORUM_POST.format(post_id=quote(post_id, safe="")) if post_id else page
    import_id = str((notification.params or {}).get("import_id") or "")
    if notification.code not in IMPORT_CODES.values() or not import_id:
        return None
    return IMPORT_PAGE.format(import_id=quote(import_id, safe=""))


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def mine(principal: Principal) -> Any:
    """Return the condition on notifications that are the caller's: addressed to them, and of
    their administration unless about the forums (a machine client has no forum notification)."""
    own_administration = Notification.administration_id == (principal.administration_id or "")
    if principal.has_any(Role.CLIENT):
        return (Notification.user_id == principal.subject) & own_administration
    return (Notification.user_id == principal.subject) & (
        own_administration
        | (
            Notification.code.in_(sorted(FORUM_CODES))
            & (Notification.administration_id == NO_ADMINISTRATION)
        )
    )


def is_mine(notification: Notification, principal: Principal) -> bool:
    """Return whether ``notification`` is the caller's (the row form of ``mine``)."""
    if notification.user_id != principal.subject:
        return False
    if notification.administration_id == (principal.administration_id or ""):
        return True
    return (
        not principal.has_any(Role.CLIENT)
        and notification.code in FORUM_CODES
        and notification.administration_id == NO_ADMINISTRATION
    )


def list_notifications(
    *,
    session: Session,
    principal: Principal,
    page: int,
    page_size: int,
    unread_only: bool = False,
) -> tuple[list[Notification], int, int]:
    """Return one page of the caller's notifications (newest first), the total and unread counts."""
    # The page, its total and the unread count come from one statement: read separately, a
    # notification committed in between made the page show "1 unread" above an empty list.
    query = select(Notification).where(mine(principal))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    unread_over = func.sum(case((Notification.read_at.is_(None), 1), else_=0)).over()
    rows, total, (unread,) = fetch_page(
        session,
        query.order_by(Notification.created_at.desc(), Notification.id.desc()),
        page=page,
        page_size=page_size,
        extra=[unread_over],
    )
    return rows, total, int(unread or 0)


def mark_read(*, session: Session, principal: Principal, notification_id: str) -> Notification:
    """Mark one of the caller's notifications read (404 for anyone else's)."""
    with session.begin():
        notification = session.get(Notification, notification_id)
        if notification is None or not is_mine(notification, principal):
            raise NotFound()
        if notification.read_at is None:
            notification.read_at = utcnow()
    return notification


def mark_all_read(*, session: Session, principal: Principal) -> int:
    """Mark every unread notification of the caller read; return how many."""
    with session.begin():
        result = session.execute(
            update(Notification)
            .where(mine(principal), Notification.read_at.is_(None))
            .values(read_at=utcnow())
        )
    return int(getattr(result, "rowcount", 0) or 0)
