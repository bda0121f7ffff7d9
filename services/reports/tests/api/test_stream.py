"""Live notifications over server-sent events, fed by the real Redis pub/sub channel."""

import json
import time

import pytest

from reports import notifications
from shared.events import new_event

URL = "/api/v1/reports/notifications/stream"


@pytest.fixture
def fast(app):
    app.config.update(REPORTS_SSE_HEARTBEAT_S=0.2, REPORTS_SSE_MAX_AGE_S=1.5)
    return app


def _notify(app, users=("coord-1",), **overrides):
    data = {
        "report_id": "rep-1",
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 1,
        "language": "fr",
        "title": "Readiness 2026",
        "formats": ["html"],
        "notify": list(users),
        **overrides,
    }
    event = new_event("report.ready", source="reports", data=data, subject="rep-1")
    with app.extensions["db"].session(write=True) as session:
        return notifications.record_report_event(
            event, session=session, publish=app.extensions["redis"].publish
        )


class Stream:
    """Reads a streamed response event by event."""

    def __init__(self, response):
        self.response = response
        self.chunks = iter(response.response)
        self.buffer = ""

    def next_block(self):
        while "\n\n" not in self.buffer:
            chunk = next(self.chunks)
            self.buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        block, self.buffer = self.buffer.split("\n\n", 1)
        return block

    def next_event(self):
        """Return the next event as (fields, data), skipping heartbeats and retry."""
        while True:
            block = self.next_block()
            if block.startswith(":") or block.startswith("retry:"):
                continue
            fields = dict(line.split(": ", 1) for line in block.splitlines())
            return fields, json.loads(fields["data"])

    def rest(self):
        """Read until the server ends the stream; return every remaining block."""
        blocks = []
        try:
            while True:
                blocks.append(self.next_block())
        except StopIteration:
            return blocks

    def close(self):
        self.response.close()


def _open(client, headers, **kw):
    response = client.get(URL, headers=headers, buffered=False, **kw)
    assert response.status_code == 200, response.get_data(as_text=True)
    return Stream(response)


def test_the_stream_needs_credentials(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


def test_it_opens_with_retry_and_the_unread_count_then_pushes_in_the_readers_language(
    client, auth, fast
):
    (old,) = _notify(fast, report_id="rep-0")
    stream = _open(client, {**auth(), "Accept-Language": "fr"})
    assert stream.response.headers["Content-Type"].startswith("text/event-stream")
    assert stream.response.headers["X-Accel-Buffering"] == "no"
    assert stream.next_block() == "retry: 3000"
    fields, data = stream.next_event()
    assert fields["event"] == "unread" and data == {"unread": 1}
    assert fields["id"] == old.id
    (new,) = _notify(fast)
    fields, data = stream.next_event()
    assert fields == {"id": new.id, "event": "notification", "data": fields["data"]}
    assert data["title"] == "Votre rapport est prêt"
    assert "« Readiness 2026 »" in data["body"]
    assert (data["unread"], data["read"], data["report_id"]) == (2, False, "rep-1")
    stream.close()


def test_an_import_notification_is_pushed_with_the_link_to_the_import(
    client, auth, fast, import_event
):
    stream = _open(client, {**auth(), "Accept-Language": "fr"})
    assert stream.next_event()[0]["event"] == "unread"
    with fast.extensions["db"].session(write=True) as session:
        (created, _) = notifications.record_import_event(
            import_event(), session=session, publish=fast.extensions["redis"].publish
        )
    fields, data = stream.next_event()
    assert (fields["event"], fields["id"]) == ("notification", created.id)
    assert (data["code"], data["title"]) == ("import_succeeded", "Votre import est terminé")
    assert (data["url"], data["report_id"]) == ("/assessment/imports/imp-1", None)
    stream.close()


def test_an_idle_stream_beats_and_ends_after_its_lifetime(client, auth, fast):
    started = time.monotonic()
    stream = _open(client, auth())
    stream.next_event()
    rest = stream.rest()
    assert 1.2 < time.monotonic() - started < 3.0
    assert rest.count(": ping") >= 4


def test_a_reconnect_with_last_event_id_replays_what_was_missed(client, auth, fast):
    (seen,) = _notify(fast, report_id="rep-0")
    (missed_1,) = _notify(fast, report_id="rep-1")
    (missed_2,) = _notify(fast, report_id="rep-2")
    stream = _open(client, {**auth(), "Last-Event-ID": seen.id})
    replayed = [stream.next_event() for _ in range(3)]
    assert [(f["event"], f["id"]) for f, _ in replayed] == [
        ("notification", missed_1.id),
        ("notification", missed_2.id),
        ("unread", missed_2.id),
    ]
    assert replayed[-1][1] == {"unread": 3}
    stream.close()


def test_someone_elses_notification_is_never_sent(client, auth, fast, redis_client):
    (theirs,) = _notify(fast, users=("resp-1",))
    stream = _open(client, auth())  # coord-1
    stream.next_event()
    redis_client.publish(notifications.channel("coord-1"), json.dumps({"id": theirs.id}))
    redis_client.publish(notifications.channel("coord-1"), "not json")
    assert all(not block.startswith("id:") for block in stream.rest())
    # and a Last-Event-ID of theirs replays nothing
    stream = _open(client, {**auth(), "Last-Event-ID": theirs.id})
    fields, data = stream.next_event()
    assert fields["event"] == "unread" and data == {"unread": 0}
    stream.close()


def test_streams_over_the_per_process_cap_get_503_and_a_closed_one_frees_its_slot(
    client, auth, fast
):
    fast.config["REPORTS_SSE_MAX_STREAMS"] = 2
    from reports import sse

    sse.register_slots(fast)
    first, second = _open(client, auth()), _open(client, auth(sub="resp-1"))
    refused = client.get(URL, headers=auth())
    assert refused.status_code == 503
    assert refused.get_json()["code"] == "too_many_streams"
    assert refused.headers["Retry-After"] == "3"
    first.close()
    third = _open(client, auth())
    second.close()
    third.close()
