"""Generated from the OpenAPI document: tokens, roles and tenancy of every operation."""

import io

import pytest

from shared.access_checks import (
    leaks_in_lists,
    operations_across_administrations,
    path_parameters,
    refusals_across_administrations,
    refusals_of_bad_tokens,
    refusals_of_roles,
)
from shared.auth import Role
from shared.conformance import Conformance

from ..conftest import BASE

# Path parameters naming what every administration shares (the frameworks), not its own.
SHARED_PARAMETERS = {"key", "version"}
ANSWER = {"value": 3, "confidence": "high", "comment": "", "evidence": ""}
ACTION = {"title": "Name data owners", "owner_id": "coord-1", "target_date": "2027-06-30"}
REQUEST = {"topic": "Data governance", "horizon": "0-6", "formats": ["training"]}


def _csv_upload(respondent: str, indicator: str) -> dict:
    rows = f"respondent,indicator,answer\n{respondent},{indicator},3\n".encode()
    return {
        "data": {"file": (io.BytesIO(rows), "answers.csv")},
        "content_type": "multipart/form-data",
    }


@pytest.fixture
def owned(client, auth, started, indicators):
    """Create an assessment, a participant, an answer and an import job of adm-1; their ids."""
    indicator = indicators["data"][0]
    base = f"{BASE}/assessments/{started}"
    invited = client.put(
        f"{base}/participants/resp-1", json={"name": "Awa", "areas": []}, headers=auth()
    )
    assert invited.status_code == 200, invited.json
    answered = client.put(f"{base}/answers/{indicator}", json=ANSWER, headers=auth())
    assert answered.status_code == 200, answered.json
    uploaded = client.post(f"{base}/imports", headers=auth(), **_csv_upload("resp-1", indicator))
    assert uploaded.status_code == 202, uploaded.json
    plan = client.post(f"{base}/action-plan", json={}, headers=auth())
    assert plan.status_code == 201, plan.json
    action = client.post(
        f"{BASE}/action-plans/{plan.json['id']}/actions", json=ACTION, headers=auth()
    )
    assert action.status_code == 201, action.json
    request = _assistance_request(client, auth, indicator)
    return {
        "assessment_id": started,
        "user_id": "resp-1",
        "indicator": indicator,
        "job_id": uploaded.json["id"],
        "plan_id": plan.json["id"],
        "action_id": action.json["id"],
        "request_id": request["id"],
    }


def _assistance_request(client, auth, indicator):
    """Submit a second assessment of adm-1 and draft a capacity-building request from it."""
    other = client.post(f"{BASE}/assessments", json={"title": "Submitted"}, headers=auth()).json
    base = f"{BASE}/assessments/{other['id']}"
    low = {**ANSWER, "value": 1}  # below the target: a gap
    assert client.put(f"{base}/answers/{indicator}", json=low, headers=auth()).status_code == 200
    assert client.post(f"{base}/submit", headers=auth()).status_code == 200
    gap = client.get(f"{base}/results", headers=auth()).json["priorities"][0]["indicator"]
    drafted = client.post(
        f"{base}/assistance-requests", json={**REQUEST, "indicators": [gap]}, headers=auth()
    )
    assert drafted.status_code == 201, drafted.json
    return drafted.json


def test_every_operation_refuses_each_bad_token_with_a_401_problem(
    client, app, bad_tokens, make_token
):
    found = refusals_of_bad_tokens(client, Conformance.of(app), bad_tokens, accepted=make_token())
    assert found == []


def test_every_role_outside_an_operations_roles_is_refused_and_none_meets_a_server_error(
    client, app, auth
):
    headers_of = {role.value: auth(f"{role.value}-1", "adm-1", (role.value,)) for role in Role}
    assert refusals_of_roles(client, Conformance.of(app), headers_of) == []


def test_another_administration_learns_nothing_of_this_ones_resources(client, app, auth, owned):
    conformance = Conformance.of(app)
    base = f"{BASE}/assessments/{{assessment_id}}"
    sent = {
        f"PATCH {base}": {"json": {"title": "Taken over"}},
        f"PUT {base}/participants/{{user_id}}": {"json": {"name": "Intruder", "areas": []}},
        f"PUT {base}/answers/{{indicator}}": {"json": ANSWER},
        f"PUT {base}/agreed/{{indicator}}": {"json": {"value": 1}},
        f"POST {base}/bulk-answers": {
            "json": {
                "respondents": [
                    {"user_id": "resp-1", "answers": [{**ANSWER, "indicator": owned["indicator"]}]}
                ]
            }
        },
        f"POST {base}/reopen": {"json": {"reason": "Taken over"}},
        f"PUT {base}/peer-learning": {"json": {"region": "wca"}},
        f"POST {base}/imports": lambda: _csv_upload("resp-1", owned["indicator"]),
        f"POST {base}/action-plan": {"json": {}},
        f"POST {BASE}/action-plans/{{plan_id}}/actions": {"json": ACTION},
        f"PATCH {BASE}/actions/{{action_id}}": {"json": {"status": "dropped"}},
        f"POST {base}/assistance-requests": {
            "json": {**REQUEST, "indicators": [owned["indicator"]]}
        },
        f"PATCH {BASE}/assistance-requests/{{request_id}}": {"json": {"topic": "Taken over"}},
    }
    found = refusals_across_administrations(
        client,
        conformance,
        ids=owned,
        owner=auth(),
        stranger=auth("coord-9", "adm-2"),
        sent=sent,
    )
    assert found == [], "\n".join(found)
    covered = {(o.method, o.path) for o in operations_across_administrations(conformance, owned)}
    expected = {
        (o.method, o.path)
        for o in conformance.operations
        if path_parameters(o.path) and not SHARED_PARAMETERS & set(path_parameters(o.path))
    }
    assert covered == expected
    assert len(covered) >= 20


def test_another_administrations_lists_show_none_of_this_ones_resources(client, app, auth, owned):
    found = leaks_in_lists(
        client,
        Conformance.of(app),
        private=[owned["assessment_id"], owned["job_id"], owned["action_id"]],
        owner=auth(),
        stranger=auth("coord-9", "adm-2"),
    )
    assert found == [], "\n".join(found)
