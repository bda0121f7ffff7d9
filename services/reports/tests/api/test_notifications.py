import json

import pytest
from sqlalchemy import event, func, select

from reports import notifications
from reports.models import Notification
from shared.auth import Principal
from shared.events import new_event

URL = "/api/v1/reports/notifications"


def _report_event(event_type="report.ready", notify=("coord-1", "resp-1"), **overrides):
    data = {
        "report_id": "rep-1",
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "version": 2,
        "language": "fr",
        "title": "Readiness 2026",
        "notify": list(notify),
        **overrides,
    }
    if event_type == "report.ready":
        data.setdefault("formats", ["html"])
    else:
        data.setdefault("reason", "invalid report data")
    return new_event(event_type, source="reports", data=data, subject=data["report_id"])


@pytest.fixture
def record(app):
    published = []

    def deliver(event):
        with app.extensions["db"].session(write=True) as session:
            return notifications.record_report_event(
                event,
                session=session,
                publish=lambda channel, message: published.append((channel, json.loads(message))),
            )

    deliver.published = published
    return deliver


def _count(app):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(Notification))


def test_each_user_to_notify_gets_one_notification_with_unread_counts(client, auth, app, record):
    event = _report_event()
    assert len(record(event)) == 2
    assert record(event) == []  # a duplicate delivery adds nothing
    assert _count(app) == 2
    for user in ("coord-1", "resp-1"):
        body = client.get(URL, headers=auth(sub=user)).json
        assert (body["unread"], body["total"]) == (1, 1)
        (item,) = body["items"]
        assert item["code"] == "report_ready"
        assert item["report_id"] == "rep-1"
        assert item["read"] is False
    stranger = client.get(URL, headers=auth(sub="resp-9")).json
    assert (stranger["items"], stranger["unread"]) == ([], 0)


def test_notifications_are_pushed_on_each_users_channel(record):
    created = record(_report_event())
    channels = [channel for channel, _ in record.published]
    assert channels == ["reports:notifications:coord-1", "reports:notifications:resp-1"]
    assert record.published[0][1]["id"] == created[0].id
    assert record.published[0][1]["code"] == "report_ready"


def test_a_push_that_fails_still_keeps_the_notification(app):
    def broken(channel, message):
        raise ConnectionError("redis down")

    with app.extensions["db"].session(write=True) as session:
        created = notifications.record_report_event(
            _report_event(), session=session, publish=broken
        )
    assert len(created) == 2
    assert _count(app) == 2


def test_texts_follow_the_readers_language(client, auth, record):
    record(_report_event())
    english = client.get(URL, headers=auth()).json["items"][0]
    assert english["title"] == "Your report is ready"
    assert english["body"] == ("The report “Readiness 2026” (version 2, French) can be downloaded.")
    french = client.get(URL, headers={**auth(), "Accept-Language": "fr"}).json["items"][0]
    assert french["title"] == "Votre rapport est prêt"
    assert french["body"] == (
        "Le rapport « Readiness 2026 » (version 2, français) peut être téléchargé."
    )
    record(_report_event("report.failed"))
    failed = client.get(URL, query_string={"lang": "fr"}, headers=auth()).json["items"][0]
    assert failed["code"] == "report_failed"
    assert failed["title"] == "Un rapport n'a pas pu être créé"


def test_newest_first_and_marking_read(client, auth, record):
    record(_report_event(report_id="rep-1"))
    record(_report_event(report_id="rep-2"))
    body = client.get(URL, headers=auth()).json
    assert [item["report_id"] for item in body["items"]] == ["rep-2", "rep-1"]
    newest = body["items"][0]["id"]
    read = client.post(f"{URL}/{newest}/read", headers=auth())
    assert read.status_code == 200
    assert read.json["read"] is True
    assert client.post(f"{URL}/{newest}/read", headers=auth()).status_code == 200
    assert client.get(URL, headers=auth()).json["unread"] == 1
    unread = client.get(URL, query_string={"unread": "true"}, headers=auth()).json
    assert [item["report_id"] for item in unread["items"]] == ["rep-1"]
    # the other user's copies are untouched
    assert client.get(URL, headers=auth(sub="resp-1")).json["unread"] == 2


def test_someone_elses_notification_is_404(client, auth, record):
    (mine, _) = record(_report_event())
    assert mine.user_id == "coord-1"
    response = client.post(f"{URL}/{mine.id}/read", headers=auth(sub="resp-1"))
    assert response.status_code == 404
    other_admin = client.post(
        f"{URL}/{mine.id}/read", headers=auth(sub="coord-1", administration_id="adm-2")
    )
    assert other_admin.status_code == 404
    assert client.get(URL, headers=auth()).json["unread"] == 1


def test_read_all_marks_only_the_callers(client, auth, record):
    record(_report_event(report_id="rep-1"))
    record(_report_event(report_id="rep-2"))
    response = client.post(f"{URL}/read-all", headers=auth())
    assert response.json == {"marked": 2, "unread": 0}
    assert client.get(URL, headers=auth()).json["unread"] == 0
    assert client.get(URL, headers=auth(sub="resp-1")).json["unread"] == 2
    assert client.post(f"{URL}/read-all", headers=auth()).json["marked"] == 0


def test_notifications_page(client, auth, record):
    for n in range(3):
        record(_report_event(report_id=f"rep-{n}"))
    body = client.get(URL, query_string={"page": 2, "page_size": 2}, headers=auth()).json
    assert (len(body["items"]), body["total"], body["page"]) == (1, 3, 2)
    assert client.get(URL, query_string={"page_size": 500}, headers=auth()).status_code == 422
    assert client.get(URL).status_code == 401


def test_the_list_and_its_counts_are_read_in_one_statement(app, record):
    """Read apart, a notification committed in between made the page say "1 unread" above an
    empty list: the page, the total and the unread count come from one snapshot."""
    record(_report_event(notify=("coord-1",)))
    record(_report_event(report_id="rep-2", notify=("coord-1",)))
    principal = Principal("coord-1", "adm-1", frozenset({"coordinator"}))
    statements = []
    engine = app.extensions["db"].engine

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.extensions["db"].session() as session:
            rows, total, unread = notifications.list_notifications(
                session=session, principal=principal, page=1, page_size=1
            )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert (len(rows), total, unread) == (1, 2, 2)
    assert [s for s in statements if s.lstrip().upper().startswith("SELECT")] == statements[-1:]
