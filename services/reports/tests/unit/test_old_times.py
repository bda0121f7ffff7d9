"""Times the reports service reads from events: old ones without offset are UTC."""

import dataclasses

from sqlalchemy import select

from reports import resources, webhooks
from reports.builder import build_files
from reports.models import Resource
from reports.notation import parse_moment
from shared.events import new_event


def _content_event(time):
    data = {"item_id": "res-1", "kind": "guide", "visibility": "public", "tags": ["data"]}
    event = new_event("content.published", source="portal", data=data, subject="res-1")
    return dataclasses.replace(event, time=time)


def _apply(app, event):
    with app.extensions["db"].session(write=True) as session:
        resources.apply_content_event(event, session=session)
    with app.extensions["db"].session() as session:
        return session.scalars(select(Resource)).one()


def test_an_old_content_event_without_offset_is_ordered_as_utc(app):
    old = _content_event("2026-05-01T12:00:00")
    assert _apply(app, old).event_time == "2026-05-01T12:00:00.000000Z"
    # 13:30 in UTC+2 is 11:30 UTC: older than the first, so it changes nothing
    older = dataclasses.replace(_content_event("2026-05-01T13:30:00+02:00"), id="e-2")
    assert _apply(app, older).event_id == old.id
    newer = dataclasses.replace(_content_event("2026-05-01T12:00:01Z"), id="e-3")
    assert _apply(app, newer).event_id == "e-3"


def test_an_old_submission_time_without_offset_is_read_as_utc(submission_data):
    moment = parse_moment("2026-03-04T23:30:00")
    assert (moment.utcoffset().total_seconds(), moment.day, moment.hour) == (0, 4, 23)
    assert parse_moment("2026-03-04T23:30:00-02:00").day == 5
    naive, aware = (
        build_files(submission_data(submitted_at=value), "en")
        for value in ("2026-03-04T10:00:00", "2026-03-04T10:00:00+00:00")
    )
    assert [f.content for f in naive] == [f.content for f in aware]


def test_a_webhook_carries_the_event_time_with_its_offset():
    event = _content_event("2026-05-01T12:00:00")
    body = webhooks.body_of(event, event.data)
    assert '"timestamp":"2026-05-01T12:00:00+00:00"' in body
