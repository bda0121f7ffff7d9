"""Times are answered as RFC 3339 with an offset, old rows stored without one included (UTC)."""

from reports import notifications
from shared.events import new_event
from shared.testing import write_naive_time

URL = "/api/v1/reports/notifications"


def _notify(app):
    event = new_event(
        "report.ready",
        source="reports",
        data={
            "report_id": "rep-1",
            "assessment_id": "asm-1",
            "administration_id": "adm-1",
            "version": 1,
            "language": "en",
            "title": "Readiness 2026",
            "notify": ["coord-1"],
            "formats": ["html"],
        },
        subject="rep-1",
    )
    with app.extensions["db"].session(write=True) as session:
        (created,) = notifications.record_report_event(
            event, session=session, publish=lambda channel, message: None
        )
    return created.id


def test_an_old_row_without_offset_is_answered_in_utc_with_its_offset(client, auth, app):
    notification_id = _notify(app)
    fresh = client.get(URL, headers=auth()).json["items"][0]
    assert fresh["created_at"].endswith("+00:00")
    write_naive_time(app, "notifications", "created_at", notification_id)
    (item,) = client.get(URL, headers=auth()).json["items"]
    assert item["created_at"] == "2026-12-06T01:52:47.738570+00:00"
    read = client.post(f"{URL}/{notification_id}/read", headers=auth())
    assert read.status_code in (200, 204), read.json
