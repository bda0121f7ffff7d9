"""The e-mail digest of forum notifications, as text (pure: no database, no network).

A digest gathers one member's forum notifications of one period into one message in the
member's language: the subject names how many there are and the threads, the body lists each
notification (what happened, who replied, in which thread) with the link to the post.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate

from reports import notifications
from reports.digest_models import Frequency
from reports.models import Notification
from shared.translations import N_, texts_for

# Thread titles beyond this length of the subject are left out (the body names them all).
MAX_SUBJECT_TITLES = 120
INTROS = {
    Frequency.DAILY.value: N_("Your daily digest of the forums:"),
    Frequency.WEEKLY.value: N_("Your weekly digest of the forums:"),
}


@dataclass(frozen=True)
class Entry:
    """One notification as the digest lists it."""

    thread_title: str
    title: str
    body: str
    url: str


def period_key(frequency: str, day: date) -> str:
    """Return the period ``day`` falls in: the date itself (daily) or its ISO week (weekly)."""
    if frequency == Frequency.DAILY:
        return day.isoformat()
    if frequency == Frequency.WEEKLY:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    raise ValueError(f"no digest is sent for frequency {frequency!r}")


def entries(items: Iterable[Notification], *, language: str, public_url: str) -> list[Entry]:
    """Return the entries of ``items`` (oldest first as given), rendered in ``language``."""
    base = public_url.rstrip("/")
    listed = []
    for item in items:
        text = notifications.render(item, language)
        page = notifications.link(item)
        listed.append(
            Entry(
                thread_title=str((item.params or {}).get("thread_title") or ""),
                title=text["title"],
                body=text["body"],
                url=f"{base}{page}" if page else f"{base}/forums/",
            )
        )
    return listed


def subject(listed: Sequence[Entry], *, language: str) -> str:
    """Return the subject: how many notifications, and the threads (each once) that fit."""
    t = texts_for(language, "reports", "shared")
    titles: list[str] = []
    for entry in listed:
        if entry.thread_title and entry.thread_title not in titles:
            titles.append(entry.thread_title)
    shown = ""
    for title in titles:
        quoted = t.gettext("“%(title)s”", title=title)
        candidate = f"{shown}, {quoted}" if shown else quoted
        if len(candidate) > MAX_SUBJECT_TITLES:
            cut = t.gettext("“%(title)s”", title=title[: MAX_SUBJECT_TITLES - 8] + "…")
            shown = f"{shown}, …" if shown else cut
            break
        shown = candidate
    count = len(listed)
    text = t.ngettext(
        "Forums: %(count)s new notification", "Forums: %(count)s new notifications", count
    )
    return f"{text} — {shown}" if shown else text


def compose_digest(
    *,
    digest_id: str,
    address: str,
    language: str,
    frequency: str,
    listed: Sequence[Entry],
    sender: str,
    public_url: str,
) -> EmailMessage:
    """Return the digest e-mail to ``address``; its ``Message-ID`` is the digest's id."""
    t = texts_for(language, "reports", "shared")
    preferences = f"{public_url.rstrip('/')}/reports/?lang={language}#digest"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address
    message["Subject"] = subject(listed, language=language)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{digest_id}@smartcustoms.reports>"
    message["Auto-Submitted"] = "auto-generated"
    lines = [
        "- " + t.gettext("%(title)s: %(body)s", title=entry.title, body=entry.body) + "\n  "
        f"{entry.url}"
        for entry in listed
    ]
    intro = INTROS.get(frequency, INTROS[Frequency.DAILY.value])
    footer = t.gettext(
        "You receive this digest because you chose it for your forum notifications. "
        "Change or stop it here: %(url)s",
        url=preferences,
    )
    message.set_content(
        "\n\n".join([t.gettext("Hello,"), t.gettext(intro), *lines, "-- \n" + footer]) + "\n"
    )
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    return message
