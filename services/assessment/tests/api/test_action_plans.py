"""The action plan API: a coordinator builds a plan from priorities and adds actions, an owner
lists and updates their own actions, overdue actions are flagged, another administration finds
nothing, and refusals are problems in the caller's language."""

import pytest

from ..conftest import BASE

COORD_ONLY = "only a coordinator changes the action plan"


@pytest.fixture
def answered(client, auth, started, indicators):
    """The started assessment with its data indicators at level 1 and two respondents."""
    base = f"{BASE}/assessments/{started}"
    for key in indicators["data"]:
        assert (
            client.put(f"{base}/answers/{key}", json={"value": 1}, headers=auth()).status_code
            == 200
        )
    for user in ("resp-1", "resp-2"):
        invited = client.put(
            f"{base}/participants/{user}", json={"name": user.title(), "areas": []}, headers=auth()
        )
        assert invited.status_code == 200, invited.json
    return started


@pytest.fixture
def plan(client, auth, answered):
    created = client.post(f"{BASE}/assessments/{answered}/action-plan", json={}, headers=auth())
    assert created.status_code == 201, created.json
    return created.json


def _respondent(auth, sub="resp-1"):
    return auth(sub, "adm-1", ("respondent",))


def _add(client, auth, plan, **fields):
    body = {
        "title": "Name data owners",
        "owner_id": "resp-1",
        "target_date": "2027-06-30",
        **fields,
    }
    response = client.post(f"{BASE}/action-plans/{plan['id']}/actions", json=body, headers=auth())
    assert response.status_code == 201, response.json
    return response.json


def test_a_coordinator_creates_the_plan_from_priorities_and_reads_it(client, auth, answered):
    results = client.get(f"{BASE}/assessments/{answered}/results", headers=auth()).json
    url = f"{BASE}/assessments/{answered}/action-plan"
    assert client.get(url, headers=auth()).status_code == 404
    headers = {**auth(), "Idempotency-Key": "plan-1"}
    created = client.post(url, json={"limit": 2}, headers=headers)
    assert created.status_code == 201, created.json
    expected = [[p["indicator"]] for p in results["priorities"][:2]]
    assert [a["indicators"] for a in created.json["actions"]] == expected
    again = client.post(url, json={"limit": 2}, headers=headers)
    assert (again.status_code, again.json) == (201, created.json)  # the first answer again
    conflict = client.post(url, json={"limit": 2}, headers=auth())
    assert conflict.status_code == 409 and conflict.json["code"] == "action_plan_exists"
    read = client.get(url, headers=auth())
    assert read.status_code == 200 and read.json["id"] == created.json["id"]
    assert read.json["counts"]["planned"] == 2
    listed = client.get(f"{BASE}/action-plans/{created.json['id']}/actions", headers=auth())
    assert [a["id"] for a in listed.json] == [a["id"] for a in created.json["actions"]]
    assert listed.headers["X-Total-Count"] == "2"


def test_respondents_are_refused_the_coordinator_operations(client, auth, plan, answered):
    respondent = _respondent(auth)
    action = {"title": "x", "owner_id": "resp-1", "target_date": "2027-01-01"}
    for method, url, body in (
        ("POST", f"{BASE}/assessments/{answered}/action-plan", {}),
        ("GET", f"{BASE}/assessments/{answered}/action-plan", None),
        ("POST", f"{BASE}/action-plans/{plan['id']}/actions", action),
        ("GET", f"{BASE}/action-plans/{plan['id']}/actions", None),
    ):
        response = client.open(url, method=method, json=body, headers=respondent)
        assert response.status_code == 403, (method, url, response.json)
        assert response.content_type == "application/problem+json"


def test_an_owner_sees_and_updates_only_their_own_actions(client, auth, plan):
    mine = _add(client, auth, plan)
    theirs = _add(client, auth, plan, owner_id="resp-2", title="Data dictionary")
    owner = _respondent(auth)
    listed = client.get(f"{BASE}/my-actions", headers=owner)
    assert [a["id"] for a in listed.json] == [mine["id"]]
    assert client.get(f"{BASE}/actions/{mine['id']}", headers=owner).status_code == 200
    for method, body in (("GET", None), ("PATCH", {"status": "in_progress"})):
        response = client.open(
            f"{BASE}/actions/{theirs['id']}", method=method, json=body, headers=owner
        )
        assert response.status_code == 404, response.json
    refused = client.patch(
        f"{BASE}/actions/{mine['id']}", json={"title": "Mine now"}, headers=owner
    )
    assert refused.status_code == 403
    assert refused.json["detail"] == "an owner changes only the status and the evidence"
    done = client.patch(
        f"{BASE}/actions/{mine['id']}",
        json={"status": "done", "evidence": {"note": "Owners named by decision 12/2026"}},
        headers=owner,
    )
    assert done.status_code == 200, done.json
    assert done.json["status"] == "done" and done.json["completed_at"]
    assert [e["change"] for e in done.json["log"]] == ["created", "status"]
    coordinator_view = client.get(f"{BASE}/actions/{mine['id']}", headers=auth()).json
    assert coordinator_view["evidence"]["note"] == "Owners named by decision 12/2026"


def test_done_without_evidence_is_refused_in_the_callers_language(client, auth, plan):
    action = _add(client, auth, plan)
    url = f"{BASE}/actions/{action['id']}"
    refused = client.patch(
        url, json={"status": "done"}, headers={**auth(), "Accept-Language": "fr"}
    )
    assert refused.status_code == 422
    assert refused.content_type == "application/problem+json"
    assert refused.json["code"] == "evidence_required"
    assert (
        refused.json["title"]
        == "Une action n'est marquée comme réalisée qu'avec un élément de preuve"
    )
    assert refused.json["errors"] == {
        "evidence": ["une note, un lien ou une contribution du portail est requis"]
    }
    bad_link = client.patch(url, json={"evidence": {"link": "javascript:alert(1)"}}, headers=auth())
    assert bad_link.status_code == 422 and "link" in bad_link.json["errors"]["evidence"]
    by_contribution = client.patch(
        url, json={"status": "done", "evidence": {"contribution_id": "content-42"}}, headers=auth()
    )
    assert by_contribution.status_code == 200, by_contribution.json


def test_overdue_actions_are_flagged_and_filtered(client, auth, plan):
    late = _add(client, auth, plan, target_date="2020-01-31")
    later = _add(client, auth, plan, target_date="2999-01-31")
    dropped = _add(client, auth, plan, target_date="2020-01-01")
    client.patch(f"{BASE}/actions/{dropped['id']}", json={"status": "dropped"}, headers=auth())
    assert (late["overdue"], later["overdue"]) == (True, False)
    owner = _respondent(auth)
    flagged = client.get(f"{BASE}/my-actions", query_string={"overdue": "true"}, headers=owner)
    assert [a["id"] for a in flagged.json] == [late["id"]]
    read = client.get(f"{BASE}/assessments/{plan['assessment_id']}/action-plan", headers=auth())
    assert read.json["counts"]["overdue"] == 1 and read.json["counts"]["dropped"] == 1


def test_an_owner_must_be_a_user_of_the_administration(client, auth, plan):
    response = client.post(
        f"{BASE}/action-plans/{plan['id']}/actions",
        json={"title": "x", "owner_id": "stranger-7", "target_date": "2027-01-01"},
        headers={**auth(), "Accept-Language": "fr"},
    )
    assert response.status_code == 422 and response.json["code"] == "unknown_owner"
    assert response.json["errors"] == {
        "owner_id": ["pas un utilisateur des évaluations de cette administration"]
    }


def test_another_administration_gets_404_on_the_plan_and_its_actions(client, auth, plan):
    action = _add(client, auth, plan)
    stranger = auth("coord-9", "adm-2")
    for method, url, body in (
        ("GET", f"{BASE}/assessments/{plan['assessment_id']}/action-plan", None),
        ("POST", f"{BASE}/assessments/{plan['assessment_id']}/action-plan", {}),
        ("GET", f"{BASE}/action-plans/{plan['id']}/actions", None),
        (
            "POST",
            f"{BASE}/action-plans/{plan['id']}/actions",
            {"title": "x", "owner_id": "coord-9", "target_date": "2027-01-01"},
        ),
        ("GET", f"{BASE}/actions/{action['id']}", None),
        ("PATCH", f"{BASE}/actions/{action['id']}", {"status": "dropped"}),
    ):
        response = client.open(url, method=method, json=body, headers=stranger)
        assert response.status_code == 404, (method, url, response.json)
    assert (
        client.get(f"{BASE}/my-actions", headers=auth("resp-1", "adm-2", ("respondent",))).json
        == []
    )
    assert client.get(f"{BASE}/actions/{action['id']}", headers=auth()).json["status"] == "planned"
