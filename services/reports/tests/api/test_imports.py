"""Finished answer imports (``answer_import.finished``): notifications, their texts and links,
and webhook deliveries."""

import json

import pytest
from sqlalchemy import func, select

from reports import notifications, webhooks
from reports.models import Notification, WebhookDelivery

URL = "/api/v1/reports/notifications"
HOOKS = "/api/v1/reports/webhooks"


@pytest.fixture
def record(app):
    published = []

    def deliver(event):
        with app.extensions["db"].session(write=True) as session:
            return notifications.record_import_event(
                event,
                session=session,
                publish=lambda channel, message: published.append((channel, json.loads(message))),
            )

    deliver.published = published
    return deliver


def _count(app):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(Notification))


def test_each_user_told_of_an_import_gets_one_notification_even_when_delivered_twice(
    app, record, import_event
):
    event = import_event()
    created = record(event)
    assert sorted(n.user_id for n in created) == ["coord-1", "resp-1"]
    assert record(event) == []
    assert _count(app) == 2
    assert {(n.code, n.report_id, n.params["import_id"]) for n in created} == {
        ("import_succeeded", None, "imp-1")
    }
    assert [channel for channel, _ in record.published] == [
        "reports:notifications:coord-1",
        "reports:notifications:resp-1",
    ]
    assert record.published[0][1]["code"] == "import_succeeded"


def test_an_import_event_telling_nobody_records_nothing(app, record, import_event):
    assert record(import_event(notify=[])) == []
    assert _count(app) == 0


STATUSES = [
    (
        "succeeded",
        {"rows_total": 3, "answers_stored": 12, "errors_count": 0},
        "Your import is finished",
        "12 answers stored from 3 rows.",
        "Votre import est terminé",
        "12 réponses enregistrées à partir de 3 lignes.",
    ),
    (
        "completed_with_errors",
        {"rows_total": 1500, "answers_stored": 1, "errors_count": 2},
        "Your import is finished, with errors",
        "1 answer stored from 1,500 rows. 2 rows were refused: download the error report.",
        "Votre import est terminé, avec des erreurs",
        "1 réponse enregistrée à partir de 1\u202f500 lignes. 2 lignes ont été refusées\u00a0: "
        "téléchargez le rapport d'erreurs.",
    ),
    (
        "rejected",
        {"rows_total": 3, "answers_stored": 0, "errors_count": 1},
        "Your import was rejected",
        "No answer was stored. 1 row was refused: download the error report, correct the file "
        "and import it again.",
        "Votre import a été refusé",
        "Aucune réponse n'a été enregistrée. 1 ligne a été refusée\u00a0: téléchargez le "
        "rapport d'erreurs, corrigez le fichier et importez-le à nouveau.",
    ),
    (
        "failed",
        {"rows_total": 3, "answers_stored": 0, "errors_count": 0},
        "Your import failed",
        "The import stopped on an unexpected error (0 answers stored). Open it for details or "
        "import the file again.",
        "Votre import a échoué",
        "L'import s'est arrêté sur une erreur inattendue (0 réponse enregistrée). Ouvrez-le "
        "pour en savoir plus ou importez à nouveau le fichier.",
    ),
]


@pytest.mark.parametrize(
    ("status", "counts", "en_title", "en_body", "fr_title", "fr_body"), STATUSES
)
def test_each_import_outcome_reads_in_english_and_french_and_links_to_the_import(
    client, auth, record, import_event, status, counts, en_title, en_body, fr_title, fr_body
):
    record(import_event(status=status, **counts))
    english = client.get(URL, headers=auth()).json["items"][0]
    assert english["code"] == f"import_{status}"
    assert (english["title"], english["body"]) == (en_title, en_body)
    assert english["url"] == "/assessment/imports/imp-1"
    assert english["report_id"] is None
    french = client.get(URL, headers={**auth(), "Accept-Language": "fr"}).json["items"][0]
    assert (french["title"], french["body"]) == (fr_title, fr_body)
    assert french["url"] == "/assessment/imports/imp-1"


def test_an_odd_import_id_is_quoted_in_the_link(client, auth, record, import_event):
    record(import_event(import_id="imp/../1 x"))
    item = client.get(URL, headers=auth()).json["items"][0]
    assert item["url"] == "/assessment/imports/imp%2F..%2F1%20x"


def test_the_page_links_an_import_notification_to_the_import_but_not_a_report_one(
    client, app, make_token, record, import_event
):
    record(import_event(status="completed_with_errors", errors_count=1))
    with app.extensions["db"].session(write=True) as session, session.begin():
        session.add(
            Notification(
                event_id="evt-report",
                user_id="coord-1",
                administration_id="adm-1",
                code="report_ready",
                report_id="rep-1",
                params={"title": "Readiness 2026", "version": 1, "language": "en"},
            )
        )
    client.set_cookie("sc_session", make_token("coord-1", "adm-1", ("coordinator",)))
    french = client.get("/reports/?lang=fr").get_data(as_text=True)
    assert (
        '<a href="/assessment/imports/imp-1">Votre import est terminé, avec des erreurs</a>'
        in french
    )
    assert "<strong>Votre rapport est prêt</strong>" in french
    english = client.get("/reports/?lang=en").get_data(as_text=True)
    assert '<a href="/assessment/imports/imp-1">Your import is finished, with errors</a>' in english
    assert "1 row was refused: download the error report." in english


def test_an_import_event_is_sent_to_endpoints_subscribed_to_it_without_notify_lists(
    client, auth, app, enqueued, import_event
):
    imports = client.post(
        HOOKS,
        json={"url": "https://erp.douanes.example/imports", "events": ["answer_import.finished"]},
        headers=auth(),
    ).get_json()
    client.post(
        HOOKS,
        json={"url": "https://erp.douanes.example/reports", "events": ["report.ready"]},
        headers=auth(),
    )
    event = import_event(status="completed_with_errors", errors_count=1)
    with app.extensions["db"].session(write=True) as session:
        queued = webhooks.fan_out(event, session=session, enqueue=enqueued)
    with app.extensions["db"].session() as session:
        (delivery,) = session.scalars(select(WebhookDelivery)).all()
    assert queued == [delivery.id] == enqueued.job_ids
    assert (delivery.endpoint_id, delivery.event_type) == (imports["id"], "answer_import.finished")
    sent = json.loads(delivery.body)
    assert (sent["id"], sent["type"]) == (event.id, "answer_import.finished")
    assert sent["data"]["import_id"] == "imp-1"
    assert sent["data"]["status"] == "completed_with_errors"
    assert sent["data"]["created_by"] == "coord-1"
    assert "notify" not in sent["data"]


def test_endpoints_can_subscribe_to_finished_imports(client, auth):
    created = client.post(
        HOOKS,
        json={"url": "https://erp.douanes.example/imports", "events": ["answer_import.finished"]},
        headers=auth(),
    )
    assert created.status_code == 201
    assert created.get_json()["events"] == ["answer_import.finished"]
    spec = client.get("/api/v1/reports/openapi.json").json
    events = spec["components"]["schemas"]["WebhookCreate"]["properties"]["events"]
    assert events["items"]["enum"] == ["report.ready", "report.failed", "answer_import.finished"]
