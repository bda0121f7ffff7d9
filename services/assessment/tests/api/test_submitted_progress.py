"""What ``assessment.submitted`` carries about progress: a second assessment's event holds, per
indicator, the level then and now and the earlier plan's actions (owner by name, never an id);
a first assessment's carries none."""

from sqlalchemy import select

from assessment.models import OutboxMessage
from shared.events import CloudEvent, load_payload

from ..conftest import BASE

OWNER = "Awa Diallo"


def _submitted(app, assessment_id):
    """Return the ``assessment.submitted`` payload staged for ``assessment_id``, as consumed."""
    with app.extensions["db"].session() as session:
        rows = session.scalars(
            select(OutboxMessage.payload).where(OutboxMessage.event_type == "assessment.submitted")
        ).all()
    (event,) = [e for e in map(CloudEvent.from_json, rows) if e.subject == assessment_id]
    return event.data, load_payload(event)


def _answer(client, auth, assessment_id, values):
    for key, value in values.items():
        url = f"{BASE}/assessments/{assessment_id}/answers/{key}"
        assert client.put(url, json={"value": value}, headers=auth()).status_code == 200


def test_a_first_assessment_is_submitted_without_progress(app, client, auth, started, indicators):
    _answer(client, auth, started, {indicators["data"][0]: 2})
    assert client.post(f"{BASE}/assessments/{started}/submit", headers=auth()).status_code == 200
    raw, loaded = _submitted(app, started)
    assert raw.get("progress") is None
    assert loaded["progress"] is None


def test_the_next_submission_carries_levels_then_and_now_and_the_actions(
    app, client, auth, started, indicators
):
    coordinator = auth(name=OWNER)
    data = indicators["data"]
    _answer(client, auth, started, dict.fromkeys(data, 1))
    assert client.post(f"{BASE}/assessments/{started}/submit", headers=auth()).status_code == 200
    plan = client.post(
        f"{BASE}/assessments/{started}/action-plan", json={"limit": 2}, headers=coordinator
    ).json
    done, planned = plan["actions"][0], plan["actions"][1]
    changed = client.patch(
        f"{BASE}/actions/{done['id']}",
        json={"status": "done", "evidence": {"link": "https://intranet.example/decision"}},
        headers=auth(),
    )
    assert changed.status_code == 200, changed.json

    second = client.post(f"{BASE}/assessments", json={"title": "Readiness 2027"}, headers=auth())
    assert second.status_code == 201
    second_id = second.json["id"]
    improved = done["indicators"][0]
    _answer(client, auth, second_id, {improved: 3, data[-1]: "dont_know"})
    assert client.post(f"{BASE}/assessments/{second_id}/submit", headers=auth()).status_code == 200

    raw, loaded = _submitted(app, second_id)
    assert raw["progress"] == loaded["progress"]
    progress = loaded["progress"]
    assert progress["previous"]["assessment_id"] == started
    assert progress["previous"]["title"] == "Readiness 2026"
    assert progress["previous"]["submitted_at"]
    rows = {row["indicator"]: row for row in progress["indicators"]}
    row = rows[improved]
    assert (row["level_then"], row["level_now"], row["change"]) == (1, 3, 2.0)
    assert row["area"] == "data"
    assert row["actions"] == [
        {
            "id": done["id"],
            "title": done["title"],
            "status": "done",
            "owner_name": OWNER,
            "target_date": done["target_date"],
            "evidence": "link",
        }
    ]
    untouched = rows[planned["indicators"][0]]
    assert untouched["level_then"] == 1 and untouched["level_now"] is None
    assert untouched["change"] is None
    assert [(a["status"], a["evidence"]) for a in untouched["actions"]] == [("planned", None)]
    assert (rows[data[-1]]["level_now"], rows[data[-1]]["change"]) == ("dont_know", None)
    # Framework order, and no user id anywhere in what the report receives.
    assert [r["indicator"] for r in progress["indicators"]] == [
        key for area in indicators.values() for key in area if key in rows
    ]
    assert "coord-1" not in str(progress)
