"""Action plan reminders (``action.due_soon``, ``action.overdue``): the owner gets one in-app
notification per reminder however often it is delivered, pushed live, and nobody else does."""

import json

import pytest
from sqlalchemy import func, select

from reports import action_reminders
from reports.models import Notification
from shared.events import new_event

URL = "/api/v1/reports/notifications"


def reminder(kind="due_soon", **overrides):
    """Return an ``action.<kind>`` event as the assessment service stages it."""
    data = {
        "action_id": "act-1",
        "plan_id": "plan-1",
        "assessment_id": "asm-1",
        "administration_id": "adm-1",
        "kind": kind,
        "title": "Name data owners",
        "status": "planned",
        "owner_id": "resp-1",
        "owner_name": "Awa Diallo",
        "target_date": "2027-03-31",
        "days_left": 5 if kind == "due_soon" else -2,
        "language": "fr",
        "notify": ["resp-1"],
        **overrides,
    }
    return new_event(f"action.{kind}", source="assessment", data=data, subject=data["action_id"])


@pytest.fixture
def record(app):
    published = []

    def deliver(event):
        with app.extensions["db"].session(write=True) as session:
            return action_reminders.record_reminder_event(
                event,
                session=session,
                publish=lambda channel, message: published.append((channel, json.loads(message))),
            )

    deliver.published = published
    return deliver


def _count(app):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(Notification))


@pytest.mark.parametrize("kind", ["due_soon", "overdue"])
def test_the_owner_gets_one_notification_per_reminder_even_when_delivered_twice(app, record, kind):
    event = reminder(kind)
    (created,) = record(event)
    assert (created.user_id, created.administration_id, created.code) == (
        "resp-1",
        "adm-1",
        f"action_{kind}",
    )
    assert created.params["title"] == "Name data owners"
    assert created.params["target_date"] == "2027-03-31"
    assert record(event) == []
    assert _count(app) == 1
    assert record.published == [
        ("reports:notifications:resp-1", {**record.published[0][1], "code": f"action_{kind}"})
    ]


def test_each_reminder_of_an_action_is_its_own_notification(app, record):
    record(reminder("due_soon"))
    record(reminder("overdue"))
    with app.extensions["db"].session() as session:
        codes = sorted(session.scalars(select(Notification.code)))
    assert codes == ["action_due_soon", "action_overdue"]


def test_only_the_owner_sees_the_reminder(app, client, auth, record):
    record(reminder("overdue"))
    owner = client.get(URL, headers=auth("resp-1", "adm-1", ("respondent",))).json
    assert [n["code"] for n in owner["items"]] == ["action_overdue"]
    for who in (auth("coord-1", "adm-1"), auth("resp-1", "adm-2", ("respondent",))):
        assert client.get(URL, headers=who).json["items"] == []


@pytest.mark.parametrize(
    ("kind", "english", "french"),
    [
        (
            "due_soon",
            (
                "An action you own is due soon",
                "The action “Name data owners” is due on 31 March 2027. Once it is done, mark "
                "it done with its evidence under My actions.",
            ),
            (
                "Une action dont vous êtes responsable arrive à échéance",
                "L'action « Name data owners » arrive à échéance le 31 mars 2027. Une fois "
                "réalisée, marquez-la comme telle avec son élément de preuve dans Mes actions.",
            ),
        ),
        (
            "overdue",
            (
                "An action you own is overdue",
                "The action “Name data owners” was due on 31 March 2027. Mark it done with its "
                "evidence, or ask your coordinator for a new date.",
            ),
            (
                "Une action dont vous êtes responsable est en retard",
                "L'action « Name data owners » était à réaliser pour le 31 mars 2027. Marquez-la "
                "comme réalisée avec son élément de preuve, ou demandez une nouvelle échéance à "
                "votre coordinateur.",
            ),
        ),
    ],
)
def test_a_reminder_reads_in_the_readers_language_and_leads_to_my_actions(
    client, auth, record, kind, english, french
):
    record(reminder(kind))
    owner = auth("resp-1", "adm-1", ("respondent",))
    for language, (title, body) in (("en", english), ("fr", french)):
        (shown,) = client.get(URL, headers={**owner, "Accept-Language": language}).json["items"]
        assert (shown["title"], shown["body"]) == (title, body)
        assert shown["url"] == "/assessment/my-actions"
