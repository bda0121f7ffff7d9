"""Optional e-mail notifications through a real local SMTP server (aiosmtpd) and real Redis."""

import json

import pytest
from sqlalchemy import select

from reports import mail
from reports.config import STREAM
from reports.events import notifications_consumer
from reports.models import EmailDelivery
from shared.events import new_event

from .smtp_inbox import free_port, send_once

pytestmark = pytest.mark.integration


def _report_ready(app, make_report):
    job = make_report(
        build=False,
        notify=["coord-1", "resp-1", "resp-2"],
        notify_emails={"coord-1": "coord@douanes.example", "resp-2": "bad address\r\nBcc: x@y.z"},
        notify_languages={"coord-1": "fr"},
    )
    data = {
        "report_id": job.id,
        "assessment_id": job.assessment_id,
        "administration_id": job.administration_id,
        "version": job.version,
        "language": job.language,
        "title": job.title,
        "formats": ["html"],
        "notify": job.notify,
    }
    event = new_event("report.ready", source="reports", data=data, subject=job.id)
    app.extensions["bus"].publish(STREAM, event)
    return event


def _send(app, email_id, max_attempts=3):
    return send_once(app, mail.send_email, max_attempts, email_id=email_id)


def _emails(app):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(EmailDelivery)))


def test_a_notified_user_with_an_address_gets_one_email_in_their_language(
    app, make_report, inbox, redis_client
):
    event = _report_ready(app, make_report)
    consumer = notifications_consumer(app, name="test-consumer")
    assert consumer.poll(block_ms=500) == 1
    (row,) = _emails(app)  # resp-1 has no address, resp-2 no usable one
    assert (row.user_id, row.address, row.language, row.status) == (
        "coord-1",
        "coord@douanes.example",
        "fr",
        "pending",
    )
    tasks = [json.loads(raw)["headers"] for raw in redis_client.lrange("reports-deliveries", 0, -1)]
    assert [(t["task"], t["argsrepr"]) for t in tasks] == [("reports.send_email", repr([row.id]))]

    assert _send(app, row.id) == mail.Sent("delivered", 1)
    ((recipients, message),) = inbox.messages
    assert recipients == ["coord@douanes.example"]
    assert message["Subject"] == "Votre rapport est prêt"
    assert message["Content-Language"] == "fr"
    assert message["Message-ID"] == f"<{row.id}@smartcustoms.reports>"
    body = message.get_content()
    assert body.startswith("Bonjour,")
    assert "« Readiness 2026 »" in body
    assert "https://smartcustoms.example/reports/?lang=fr" in body
    assert _send(app, row.id) == mail.Sent(None)  # sent: never again
    assert len(inbox.messages) == 1

    # the same event again (a redelivery) records and queues nothing new
    redis_client.delete(f"reports-notifications:processed-event:{event.id}")
    app.extensions["bus"].publish(STREAM, event)
    consumer.poll(block_ms=500)
    assert [r.id for r in _emails(app)] == [row.id]
    assert redis_client.llen("reports-deliveries") == 1


def test_no_email_is_recorded_without_an_smtp_host(app, make_report):
    app.config["REPORTS_SMTP_HOST"] = ""
    _report_ready(app, make_report)
    assert notifications_consumer(app, name="test-consumer").poll(block_ms=500) == 1
    assert _emails(app) == []


def test_an_unreachable_server_is_retried_then_the_email_fails(app, make_report, inbox):
    _report_ready(app, make_report)
    notifications_consumer(app, name="test-consumer").poll(block_ms=500)
    (row,) = _emails(app)
    app.config["REPORTS_SMTP_PORT"] = free_port()  # nothing listens there
    assert _send(app, row.id, max_attempts=2) == mail.Sent("pending", 1)
    assert _send(app, row.id, max_attempts=2) == mail.Sent("failed", 2)
    (failed,) = _emails(app)
    assert "ConnectionRefused" in failed.last_error
    assert inbox.messages == []


def test_a_refused_recipient_fails_at_once(app, make_report, inbox):
    inbox.refuse.add("coord@douanes.example")
    _report_ready(app, make_report)
    notifications_consumer(app, name="test-consumer").poll(block_ms=500)
    (row,) = _emails(app)
    assert _send(app, row.id, max_attempts=5) == mail.Sent("failed", 1)
    assert "550" in _emails(app)[0].last_error


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("a@b.example", True),
        ("first.last+tag@douanes.gouv.sn", True),
        ("no-at.example", False),
        ("a@localhost", False),
        ("a b@c.example", False),
        ("a@b.example\r\nBcc: x@y.z", False),
        ("<a@b.example>", False),
        ("a@" + "b" * 260 + ".example", False),
    ],
)
def test_only_plausible_addresses_are_used(address, ok):
    assert mail.plausible(address) is ok
