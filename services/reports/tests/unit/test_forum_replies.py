"""Whom a forum reply tells and what they read: the quoted author, the mentioned members and
the thread's author, each once with the most specific reason, never the replier; in their own
language, leading to the thread's page."""

import pytest

from reports.forum_replies import recipients
from reports.models import Notification
from reports.notifications import link, render


def _reply(**overrides):
    return {
        "thread_id": "thr-1",
        "post_id": "post-2",
        "thread_author_id": "author-1",
        "replier_id": "replier-1",
        "quoted_author_id": None,
        "notify": ["author-1"],
        **overrides,
    }


def test_a_plain_reply_tells_the_threads_author():
    assert recipients(_reply()) == {"author-1": "forum_replied"}


def test_a_quoting_reply_tells_the_quoted_author_that_their_post_was_quoted():
    data = _reply(quoted_author_id="quoted-1", notify=["author-1", "quoted-1"])
    assert recipients(data) == {"author-1": "forum_replied", "quoted-1": "forum_quoted"}


def test_the_threads_author_quoted_gets_one_notification_of_the_quote():
    data = _reply(quoted_author_id="author-1", notify=["author-1"])
    assert recipients(data) == {"author-1": "forum_quoted"}


def test_the_replier_is_never_told_even_when_the_event_names_them():
    data = _reply(
        thread_author_id="replier-1",
        quoted_author_id="replier-1",
        notify=["replier-1"],
        mentioned=["replier-1"],
    )
    assert recipients(data) == {}


def test_mentioned_members_are_told_they_were_mentioned_once_each():
    data = _reply(mentioned=["member-2", "member-2", "author-1", ""])
    assert recipients(data) == {"author-1": "forum_mentioned", "member-2": "forum_mentioned"}


def _notification(code="forum_replied", **params):
    return Notification(
        code=code,
        params={
            "thread_id": "thr/1",
            "post_id": "post-2",
            "thread_title": "AI for risk targeting",
            "category": "ai",
            "language": "en",
            "replier_name": "Awa Diallo",
            **params,
        },
    )


@pytest.mark.parametrize(
    ("code", "language", "title", "body"),
    [
        (
            "forum_replied",
            "en",
            "New reply in your thread",
            "Awa Diallo replied in your thread “AI for risk targeting”.",
        ),
        (
            "forum_replied",
            "fr",
            "Nouvelle réponse dans votre discussion",
            "Awa Diallo a répondu dans votre discussion « AI for risk targeting ».",
        ),
        (
            "forum_replied",
            "pt",
            "Nova resposta no seu tópico",
            "Awa Diallo respondeu no seu tópico “AI for risk targeting”.",
        ),
        (
            "forum_quoted",
            "fr",
            "Votre message a été cité",
            "Awa Diallo a cité votre message dans la discussion « AI for risk targeting ».",
        ),
        (
            "forum_mentioned",
            "en",
            "You were mentioned in a forum",
            "Awa Diallo mentioned you in the thread “AI for risk targeting”.",
        ),
    ],
)
def test_a_forum_notification_reads_in_the_readers_language(code, language, title, body):
    assert render(_notification(code), language) == {"title": title, "body": body}


def test_a_replier_without_a_name_is_a_member():
    body = render(_notification(replier_name=""), "fr")["body"]
    assert body == "Un membre a répondu dans votre discussion « AI for risk targeting »."


def test_a_forum_notification_leads_to_the_reply_on_the_threads_page_in_the_portal():
    assert link(_notification()) == "/forums/threads/thr%2F1?post=post-2#post-post-2"
    assert link(_notification(post_id="")) == "/forums/threads/thr%2F1"
    assert link(_notification(thread_id="")) is None
