"""The optional e-mail digest of forum notifications, end to end with real Redis and a real local
SMTP server (aiosmtpd): replies delivered on the portal stream, ``flask --app reports digests
send`` and the delivery worker's use case. One e-mail per member and period holding every
waiting notification, never twice; nothing for a member who chose none or has no address."""

import json

import pytest
from sqlalchemy import select

from reports import digests, mail
from reports.config import PORTAL_STREAM
from reports.digest_models import Digest, DigestItem
from reports.events import forums_consumer
from reports.models import Notification
from shared.auth import Principal

from ..api.test_forum_replies import reply
from .smtp_inbox import free_port, send_once

pytestmark = pytest.mark.integration

ADDRESSES = {
    "author-1": "author@douanes.example",
    "quoted-1": "quoted@douanes.example",
    "mentioned-1": "mentioned@douanes.example",
}


def _choose(app, **choices):
    with app.extensions["db"].session(write=True) as session:
        for user_id, frequency in choices.items():
            digests.set_preference(
                session=session,
                principal=Principal(subject=user_id, administration_id="adm-1"),
                frequency=frequency,
            )


def _deliver(app, *events):
    bus = app.extensions["bus"]
    for event in events:
        bus.publish(PORTAL_STREAM, event)
    assert forums_consumer(app, name="test-1").poll(block_ms=200) == len(events)


def _reply(post_id, **overrides):
    return reply(
        post_id=post_id,
        notify_emails=ADDRESSES,
        notify_languages={"author-1": "fr", "quoted-1": "en"},
        **overrides,
    )


def _run(app, period="daily", on="2026-12-08"):
    result = app.test_cli_runner().invoke(args=["digests", "send", "--period", period, "--on", on])
    assert result.exit_code == 0, result.output
    return result.output


def _queued(redis_client):
    tasks = [json.loads(raw)["headers"] for raw in redis_client.lrange("reports-deliveries", 0, -1)]
    return [(t["task"], json.loads(t["argsrepr"].replace("'", '"'))[0]) for t in tasks]


def _send(app, digest_id, max_attempts=3):
    return send_once(app, digests.send_digest, max_attempts, digest_id=digest_id)


def _rows(app, model):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(model)))


def test_two_replies_make_one_email_for_a_daily_member_and_a_second_run_sends_nothing(
    app, inbox, redis_client
):
    _choose(app, **{"author-1": "daily", "quoted-1": "none"})
    first = _reply("post-2", thread_title="AI for risk targeting")
    _deliver(app, first, _reply("post-3", thread_title="Cloud", quoted_author_id=None))
    # a redelivered event adds no second item
    redis_client.delete(f"reports-forums:processed-event:{first.id}")
    _deliver(app, first)
    assert sorted(item.user_id for item in _rows(app, DigestItem)) == ["author-1", "author-1"]

    assert _run(app) == "reports: daily digests queued for 2026-12-08: 1\n"
    (digest,) = _rows(app, Digest)
    assert (digest.user_id, digest.period_key, digest.address, digest.language) == (
        "author-1",
        "2026-12-08",
        "author@douanes.example",
        "fr",
    )
    assert _queued(redis_client) == [("reports.send_digest", digest.id)]
    assert _send(app, digest.id) == mail.Sent("delivered", 1)

    ((recipients, message),) = inbox.messages
    assert recipients == ["author@douanes.example"]
    assert message["Message-ID"] == f"<{digest.id}@smartcustoms.reports>"
    assert message["Subject"] == (
        "Forums : 2 nouvelles notifications — « AI for risk targeting », « Cloud »"
    )
    body = message.get_content()
    assert body.startswith("Bonjour,")
    assert "Awa Diallo a répondu dans votre discussion « AI for risk targeting »" in body
    assert "https://smartcustoms.example/forums/threads/thr-1?post=post-2#post-post-2" in body
    assert "https://smartcustoms.example/forums/threads/thr-1?post=post-3#post-post-3" in body

    # running again (the same day, or the CronJob retried) sends nothing twice
    assert _run(app) == "reports: daily digests queued for 2026-12-08: 0\n"
    assert _send(app, digest.id) == mail.Sent(None)
    assert len(inbox.messages) == 1 and len(_queued(redis_client)) == 1
    # the weekly run does not take a daily member's notifications
    assert _run(app, "weekly") == "reports: weekly digests queued for 2026-W50: 0\n"


def test_a_member_who_chose_none_or_has_no_address_gets_no_email_but_the_notification(
    app, inbox, redis_client
):
    _choose(app, **{"author-1": "none", "quoted-1": "daily"})
    _deliver(app, reply(notify_emails={"author-1": "author@douanes.example"}))
    assert _rows(app, DigestItem) == []  # quoted-1 chose a digest but the event has no address
    assert _run(app) == "reports: daily digests queued for 2026-12-08: 0\n"
    assert _rows(app, Digest) == [] and _queued(redis_client) == [] and inbox.messages == []
    assert sorted(n.user_id for n in _rows(app, Notification)) == ["author-1", "quoted-1"]


def test_a_weekly_member_gets_the_weeks_notifications_and_later_ones_the_next_week(
    app, inbox, redis_client
):
    _choose(app, **{"mentioned-1": "weekly"})
    _deliver(app, _reply("post-2", mentioned=["mentioned-1"]))
    assert _run(app, "weekly", "2026-12-07") == "reports: weekly digests queued for 2026-W50: 1\n"
    # a run before the worker tried it queues it again (a lost task is not lost for ever)
    assert _run(app, "weekly", "2026-12-09") == "reports: weekly digests queued for 2026-W50: 1\n"
    (week50,) = _rows(app, Digest)
    assert _send(app, week50.id).status == "delivered"
    _deliver(app, _reply("post-4", mentioned=["mentioned-1"]))
    # later the same week: its digest is made, the new reply waits for the next week's
    assert _run(app, "weekly", "2026-12-13") == "reports: weekly digests queued for 2026-W50: 0\n"
    assert _run(app, "weekly", "2026-12-14") == "reports: weekly digests queued for 2026-W51: 1\n"
    (week51,) = [d for d in _rows(app, Digest) if d.period_key == "2026-W51"]
    assert _send(app, week51.id).status == "delivered"
    assert len(_queued(redis_client)) == 3
    first, second = (message for _, message in inbox.messages)
    assert first["Subject"].startswith("Forums: 1 new notification — ")  # no language: English
    assert "post-2#post-post-2" in first.get_content()
    assert "post-4#post-post-4" in second.get_content()
    assert "post-2#" not in second.get_content()


def test_an_unreachable_server_is_retried_then_the_digest_fails(app, inbox):
    _choose(app, **{"author-1": "daily"})
    _deliver(app, _reply("post-2"))
    _run(app)
    (digest,) = _rows(app, Digest)
    app.config["REPORTS_SMTP_PORT"] = free_port()  # nothing listens there
    assert _send(app, digest.id, max_attempts=2) == mail.Sent("pending", 1)
    assert _send(app, digest.id, max_attempts=2) == mail.Sent("failed", 2)
    assert "ConnectionRefused" in _rows(app, Digest)[0].last_error
    assert inbox.messages == []


def test_without_an_smtp_host_the_command_sends_nothing(app, redis_client):
    app.config["REPORTS_SMTP_HOST"] = ""
    _choose(app, **{"author-1": "daily"})
    _deliver(app, _reply("post-2"))
    assert "e-mail is off" in _run(app)
    assert _rows(app, Digest) == [] and _queued(redis_client) == []
