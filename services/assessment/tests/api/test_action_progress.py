"""Progress between assessments and the plan in the interchange file: the next assessment shows,
per indicator, the level then and now and the earlier plan's actions; the export carries the
plan (owners: only their own actions) and an import of it still works."""

import pytest

from ..conftest import BASE

EVIDENCE = {"note": "Data owners named by decision 2026-12"}


@pytest.fixture
def first(client, auth, started, indicators):
    """A submitted assessment (data at level 1) whose plan's first action is done."""
    base = f"{BASE}/assessments/{started}"
    for key in indicators["data"]:
        assert (
            client.put(f"{base}/answers/{key}", json={"value": 1}, headers=auth()).status_code
            == 200
        )
    assert client.post(f"{base}/submit", headers=auth()).status_code == 200
    plan = client.post(f"{base}/action-plan", json={"limit": 2}, headers=auth()).json
    done = plan["actions"][0]
    changed = client.patch(
        f"{BASE}/actions/{done['id']}",
        json={"status": "done", "evidence": EVIDENCE},
        headers=auth(),
    )
    assert changed.status_code == 200, changed.json
    return {"id": started, "plan": plan, "done": done}


def test_the_next_assessment_shows_levels_then_and_now_with_the_actions_taken(client, auth, first):
    second = client.post(f"{BASE}/assessments", json={"title": "Readiness 2027"}, headers=auth())
    assert second.json["previous_id"] == first["id"]
    improved = first["done"]["indicators"][0]
    base = f"{BASE}/assessments/{second.json['id']}"
    assert (
        client.put(f"{base}/answers/{improved}", json={"value": 3}, headers=auth()).status_code
        == 200
    )

    response = client.get(f"{base}/progress", headers=auth())
    assert response.status_code == 200, response.json
    assert response.json["previous"]["assessment_id"] == first["id"]
    rows = {row["indicator"]: row for row in response.json["indicators"]}
    row = rows[improved]
    assert (row["level_then"], row["level_now"], row["change"]) == (1, 3, 2.0)
    assert [(a["id"], a["status"]) for a in row["actions"]] == [(first["done"]["id"], "done")]
    untouched = first["plan"]["actions"][1]["indicators"][0]
    assert rows[untouched]["level_now"] is None and rows[untouched]["change"] is None
    assert rows[untouched]["actions"][0]["status"] == "planned"
    assert response.json["summary"]["improved_with_actions_taken"] == 1
    assert response.json["summary"]["with_actions"] == 2


def test_a_first_assessment_has_no_earlier_levels(client, auth, started, indicators):
    key = indicators["data"][0]
    client.put(f"{BASE}/assessments/{started}/answers/{key}", json={"value": 2}, headers=auth())
    response = client.get(f"{BASE}/assessments/{started}/progress", headers=auth())
    assert response.status_code == 200
    assert response.json["previous"] is None
    assert response.json["indicators"] == [
        {
            "indicator": key,
            "area": "data",
            "level_then": None,
            "level_now": 2,
            "change": None,
            "actions": [],
        }
    ]


def test_progress_is_private_to_the_administrations_managers(client, auth, first):
    url = f"{BASE}/assessments/{first['id']}/progress"
    assert client.get(url, headers=auth("coord-9", "adm-2")).status_code == 404
    assert client.get(url, headers=auth("resp-1", "adm-1", ("respondent",))).status_code == 403


def test_the_export_carries_the_plan_and_an_import_of_it_creates_none(client, auth, first):
    exported = client.get(f"{BASE}/assessments/{first['id']}/export", headers=auth()).json
    plan = exported["action_plan"]
    assert [a["title"] for a in plan["actions"]] == [a["title"] for a in first["plan"]["actions"]]
    assert plan["actions"][0]["status"] == "done"
    assert plan["actions"][0]["evidence"]["note"] == EVIDENCE["note"]
    assert plan["actions"][0]["target_date"] == first["done"]["target_date"]

    imported = client.post(f"{BASE}/assessments/import", json=exported, headers=auth())
    assert imported.status_code == 201, imported.json
    again = client.get(f"{BASE}/assessments/{imported.json['id']}/action-plan", headers=auth())
    assert again.status_code == 404


def test_a_respondent_exports_only_the_actions_they_own(client, auth, started, indicators):
    base = f"{BASE}/assessments/{started}"
    for key in indicators["data"]:
        client.put(f"{base}/answers/{key}", json={"value": 1}, headers=auth())
    invited = client.put(
        f"{base}/participants/resp-1", json={"name": "Awa", "areas": []}, headers=auth()
    )
    assert invited.status_code == 200, invited.json
    plan = client.post(f"{base}/action-plan", json={"limit": 1}, headers=auth()).json
    added = client.post(
        f"{BASE}/action-plans/{plan['id']}/actions",
        json={"title": "Data dictionary", "owner_id": "resp-1", "target_date": "2027-06-30"},
        headers=auth(),
    )
    assert added.status_code == 201, added.json
    everything = client.get(f"{base}/export", headers=auth()).json["action_plan"]["actions"]
    assert len(everything) == 2
    respondent = auth("resp-1", "adm-1", ("respondent",))
    exported = client.get(f"{base}/export", headers=respondent).json
    assert [a["title"] for a in exported["action_plan"]["actions"]] == ["Data dictionary"]


def test_an_assessment_without_a_plan_exports_a_null_plan(client, auth, started):
    exported = client.get(f"{BASE}/assessments/{started}/export", headers=auth()).json
    assert exported["action_plan"] is None
