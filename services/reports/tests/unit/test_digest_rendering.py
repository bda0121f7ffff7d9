"""The forum digest as text (pure): its period keys, one entry per notification with the link
to the post, a subject naming the count and the threads, a body in the member's language whose
Message-ID is the digest's id."""

from datetime import date

import pytest

from reports.digest_rendering import (
    MAX_SUBJECT_TITLES,
    compose_digest,
    entries,
    period_key,
    subject,
)
from reports.models import Notification

URL = "https://smartcustoms.example/"


def _notification(code="forum_replied", thread="AI for risk targeting", **params):
    return Notification(
        code=code,
        params={
            "thread_id": "thr-1",
            "post_id": "post-2",
            "thread_title": thread,
            "replier_name": "Awa Diallo",
            **params,
        },
    )


@pytest.mark.parametrize(
    ("frequency", "day", "key"),
    [
        ("daily", date(2026, 12, 7), "2026-12-07"),
        ("weekly", date(2026, 12, 7), "2026-W50"),
        ("weekly", date(2026, 12, 13), "2026-W50"),  # Sunday: the same ISO week
        ("weekly", date(2027, 1, 1), "2026-W53"),  # ISO year of the week, not the calendar's
    ],
)
def test_a_period_is_the_day_or_its_iso_week(frequency, day, key):
    assert period_key(frequency, day) == key


def test_no_period_exists_for_members_who_want_no_digest():
    with pytest.raises(ValueError, match="none"):
        period_key("none", date(2026, 12, 7))


def test_each_entry_says_what_happened_who_replied_in_which_thread_and_links_to_the_post():
    (entry,) = entries([_notification()], language="en", public_url=URL)
    assert entry.title == "New reply in your thread"
    assert entry.body == "Awa Diallo replied in your thread “AI for risk targeting”."
    assert entry.url == "https://smartcustoms.example/forums/threads/thr-1?post=post-2#post-post-2"
    (french,) = entries([_notification("forum_mentioned")], language="fr", public_url=URL)
    assert "Awa Diallo" in french.body and "« AI for risk targeting »" in french.body


def test_the_subject_counts_the_notifications_and_names_each_thread_once():
    listed = entries(
        [_notification(), _notification("forum_quoted"), _notification(thread="Cloud")],
        language="en",
        public_url=URL,
    )
    assert subject(listed, language="en") == (
        "Forums: 3 new notifications — “AI for risk targeting”, “Cloud”"
    )
    one = entries([_notification(thread="Le nuage")], language="fr", public_url=URL)
    assert subject(one, language="fr") == "Forums : 1 nouvelle notification — « Le nuage »"


def test_a_long_list_of_threads_is_cut_in_the_subject():
    many = [_notification(thread=f"Thread number {n} about customs data") for n in range(9)]
    text = subject(entries(many, language="en", public_url=URL), language="en")
    assert text.startswith("Forums: 9 new notifications — “Thread number 0") and text.endswith(
        ", …"
    )
    assert len(text) < MAX_SUBJECT_TITLES + 40


def test_the_message_lists_every_entry_in_the_members_language_with_the_digest_id():
    listed = entries(
        [_notification(), _notification("forum_mentioned", thread="Cloud", post_id="post-9")],
        language="fr",
        public_url=URL,
    )
    message = compose_digest(
        digest_id="dig-1",
        address="awa@douanes.example",
        language="fr",
        frequency="weekly",
        listed=listed,
        sender="Smart Customs <no-reply@smartcustoms.example>",
        public_url=URL,
    )
    assert message["To"] == "awa@douanes.example"
    assert message["Message-ID"] == "<dig-1@smartcustoms.reports>"
    assert message["Content-Language"] == "fr"
    body = message.get_content()
    assert body.startswith("Bonjour,")
    assert "Votre résumé hebdomadaire des forums :" in body
    assert "« AI for risk targeting »" in body and "« Cloud »" in body
    assert "/forums/threads/thr-1?post=post-9#post-post-9" in body
    assert "https://smartcustoms.example/reports/?lang=fr#digest" in body


def test_the_portuguese_digest_greets_and_introduces_in_portuguese():
    listed = entries([_notification()], language="pt", public_url=URL)
    message = compose_digest(
        digest_id="dig-2",
        address="ana@alfandegas.example",
        language="pt",
        frequency="daily",
        listed=listed,
        sender="Smart Customs <no-reply@smartcustoms.example>",
        public_url=URL,
    )
    body = message.get_content()
    assert body.startswith("Olá,\n\nO seu resumo diário dos fóruns:") and "Hello" not in body
    assert message["Content-Language"] == "pt"
