"""The operator's ``deliveries`` and ``emails`` commands on the real database and Redis: a
webhook delivery that failed while its receiver was down is sent again, with the same
``webhook-id``, once the receiver is back; a delivered one is never sent again; stalled ones
get their task queued again."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from reports import sender, webhooks
from reports.deliveries import DELIVER_WEBHOOK, SEND_EMAIL
from reports.models import EmailDelivery, WebhookDelivery
from shared.events import new_event
from shared.timestamps import utcnow

pytestmark = pytest.mark.integration


def _ready_event(report_id="rep-1"):
    data = {
        "report_id": report_id,
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 1,
        "language": "fr",
        "title": "Readiness 2026",
        "formats": ["html"],
        "notify": ["coord-1"],
    }
    return new_event("report.ready", source="reports", data=data, subject=report_id)


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _tasks(redis_client, name):
    """Return the arguments of the ``name`` tasks waiting in the delivery queue."""
    queued = [json.loads(raw) for raw in redis_client.lrange("reports-deliveries", 0, -1)]
    return [task["headers"]["argsrepr"] for task in queued if task["headers"]["task"] == name]


def _attempt(app, delivery_id, max_attempts=2):
    def send(url, body, headers):
        return sender.post(url, body=body, headers=headers, timeout_s=2, allow_private=True)

    with app.extensions["db"].session(write=True) as session:
        return webhooks.attempt_delivery(
            session=session, delivery_id=delivery_id, send=send, max_attempts=max_attempts
        )


def _delivery(app, delivery_id):
    with app.extensions["db"].session() as session:
        return session.get(WebhookDelivery, delivery_id)


@pytest.fixture
def endpoint(client, auth, webhook_receiver):
    """Register an endpoint at a real local receiver answering 503 twice, then 204."""
    receiver = webhook_receiver([503, 503])
    registered = client.post("/api/v1/reports/webhooks", json={"url": receiver.url}, headers=auth())
    assert registered.status_code == 201, registered.json
    return receiver


def test_a_failed_delivery_is_resent_with_its_id_once_the_receiver_is_back(
    app, endpoint, redis_client
):
    with app.extensions["db"].session(write=True) as session:
        (delivery_id,) = webhooks.fan_out(_ready_event(), session=session, enqueue=lambda i: None)
    assert [_attempt(app, delivery_id).status for _ in range(2)] == ["pending", "failed"]

    listed = _cli(app, "deliveries", "failed", "--json")
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert (row["id"], row["attempts"], row["last_status_code"]) == (delivery_id, 2, 503)

    resent = _cli(app, "deliveries", "resend", "--all-failed", "--since", "1h")
    assert resent.exit_code == 0, resent.output
    assert f"{delivery_id}: requeued" in resent.output
    assert _tasks(redis_client, DELIVER_WEBHOOK) == [repr([delivery_id])]
    again = _delivery(app, delivery_id)
    assert (again.status, again.attempts, again.finished_at) == ("pending", 0, None)

    assert _attempt(app, delivery_id).status == "delivered"  # what the queued task runs
    ids = [request["headers"]["webhook-id"] for request in endpoint.requests]
    assert ids == [delivery_id] * 3  # the receiver can drop a copy it already handled

    # Delivered: never sent again, whatever the operator asks.
    twice = _cli(app, "deliveries", "resend", delivery_id)
    assert twice.exit_code == 0 and f"{delivery_id}: delivered" in twice.output
    assert len(_tasks(redis_client, DELIVER_WEBHOOK)) == 1
    assert json.loads(_cli(app, "deliveries", "failed", "--json").output) == []


def test_a_stalled_pending_delivery_gets_its_task_again_and_a_recent_one_is_left(
    app, endpoint, redis_client
):
    with app.extensions["db"].session(write=True) as session:
        (old,) = webhooks.fan_out(_ready_event("rep-old"), session=session, enqueue=lambda i: None)
        (new,) = webhooks.fan_out(_ready_event("rep-new"), session=session, enqueue=lambda i: None)
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == old)
            .values(created_at=utcnow() - timedelta(hours=2))
        )
    stalled = json.loads(_cli(app, "deliveries", "stalled", "--json").output)
    assert [row["id"] for row in stalled] == [old]
    resent = _cli(app, "deliveries", "resend", old, new)
    assert f"{old}: re-enqueued" in resent.output and f"{new}: in progress" in resent.output
    assert _tasks(redis_client, DELIVER_WEBHOOK) == [repr([old])]


def test_resend_needs_one_target_and_fails_on_an_unknown_id(app):
    assert _cli(app, "deliveries", "resend").exit_code == 2
    assert _cli(app, "emails", "resend", "x", "--all-failed").exit_code == 2
    missing = _cli(app, "emails", "resend", "no-such-email")
    assert missing.exit_code == 1 and "no-such-email: missing" in missing.output


def test_a_failed_e_mail_is_queued_again_with_a_new_round_of_attempts(app, redis_client):
    email = EmailDelivery(
        event_id="evt-1",
        user_id="coord-1",
        notification_id="n-1",
        address="coord@douanes.example",
        language="fr",
        status="failed",
        attempts=6,
        last_error="SMTPServerDisconnected: gone",
    )
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.add(email)
        session.flush()
        email_id = email.id
    listed = json.loads(_cli(app, "emails", "failed", "--json").output)
    assert [(row["id"], row["attempts"]) for row in listed] == [(email_id, 6)]
    resent = _cli(app, "emails", "resend", email_id)
    assert resent.exit_code == 0 and f"{email_id}: requeued" in resent.output
    assert _tasks(redis_client, SEND_EMAIL) == [repr([email_id])]
    with app.extensions["db"].session() as session:
        row = session.get(EmailDelivery, email_id)
        assert (row.status, row.attempts, row.last_error) == (
            "pending",
            0,
            "SMTPServerDisconnected: gone",
        )
