"""A bounded fuzzing run of the assessment API: no server error, nothing the document does not
say, on ids that name nothing and on an assessment that exists."""

import pytest

from shared.fuzzing import fuzz, summary

from ..conftest import BASE

# A valid request naming what does not exist or does not fit this state: a framework, area or
# indicator; an owner, framework key or priority an action plan names; done without evidence.
STATE_DEPENDENT = {
    "unknown_framework",
    "unknown_area",
    "unknown_indicator",
    "unknown_owner",
    "unknown_reference",
    "not_a_priority",
    "evidence_required",
}


# The run grows with the API (examples x operations): the suite's 120 s guard against a hang
# would cut it short on a busy machine.
@pytest.mark.timeout(600)
def test_fuzzing_the_document_finds_no_server_error_and_no_contract_break(
    app, client, auth, started
):
    plan = client.post(f"{BASE}/assessments/{started}/action-plan", json={}, headers=auth()).json
    action = client.post(
        f"{BASE}/action-plans/{plan['id']}/actions",
        json={"title": "Name data owners", "owner_id": "coord-1", "target_date": "2027-06-30"},
        headers=auth(),
    ).json
    runs = fuzz(
        app,
        headers=auth(),
        known={
            "assessment_id": started,
            "key": "ai-ml-readiness",
            "version": "1.0",
            "plan_id": plan["id"],
            "action_id": action["id"],
        },
        state_dependent=STATE_DEPENDENT,
    )
    report = summary("assessment", runs)
    print(report)
    assert sum(run.requests for run in runs) > len(runs), report
    assert [failure for run in runs for failure in run.failures] == [], report
