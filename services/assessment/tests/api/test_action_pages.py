"""The action plan pages: a coordinator builds a plan from chosen priorities on the results page,
adds and changes actions on the plan page, an owner marks theirs done with evidence under
"My actions" (in EN and FR), and another administration or a respondent sees no plan."""

import re

import pytest

from ..conftest import BASE
from ..peers_support import submitted

CSRF = "csrf-123"


@pytest.fixture
def browser(client, make_token):
    def sign_in(sub="coord-adm-1", administration_id="adm-1", roles=("coordinator",)):
        client.set_cookie("sc_session", make_token(sub, administration_id, roles))
        client.set_cookie("sc_csrf", CSRF)
        return client

    return sign_in


@pytest.fixture
def assessed(client, auth):
    """A submitted assessment of adm-1 with gaps in data, and a respondent resp-1."""
    return submitted(client, auth, "adm-1", {"data": 1, "strategy": 2}, respondents=("resp-1",))


def _priorities(client, auth, aid):
    headers = auth("coord-adm-1", "adm-1", ("coordinator",))
    return client.get(f"{BASE}/assessments/{aid}/results", headers=headers).json["priorities"]


def _rows(page):
    """Return each action row of the plan page as its text, by action id."""
    found = re.findall(r'<tr data-action="([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
    return {
        aid: re.sub(r"\s+", " ", re.sub(r"<(select|form)\b.*?</\1>|<[^>]+>", " ", row, flags=re.S))
        for aid, row in found
    }


def _build(b, aid, indicators):
    form = {"csrf_token": CSRF, "indicator": indicators}
    built = b.post(f"/assessment/{aid}/action-plan", data=form)
    assert built.status_code == 302, built.get_data(as_text=True)
    assert built.headers["Location"].endswith(f"/assessment/{aid}/action-plan")
    return b.get(f"/assessment/{aid}/action-plan?lang=en").get_data(as_text=True)


def test_a_coordinator_builds_a_plan_from_the_chosen_priorities(browser, client, auth, assessed):
    b = browser()
    results = b.get(f"/assessment/{assessed}/results?lang=fr").get_data(as_text=True)
    assert "Établir un plan d'action" in results and 'id="build-plan"' in results
    priorities = _priorities(client, auth, assessed)
    chosen = [priorities[0]["indicator"], priorities[1]["indicator"]]
    page = _build(b, assessed, chosen)
    rows = _rows(page)
    expected = [p for p in priorities if p["indicator"] in chosen]
    assert len(rows) == len(expected)
    assert all("Planned" in text and "Test User" in text for text in rows.values())
    assert "Overdue" not in page
    results = b.get(f"/assessment/{assessed}/results?lang=en").get_data(as_text=True)
    assert 'id="build-plan"' not in results and 'id="open-plan"' in results
    again = b.post(
        f"/assessment/{assessed}/action-plan", data={"csrf_token": CSRF, "indicator": chosen}
    )
    assert again.status_code == 302 and "plan_error=action_plan_exists" in again.headers["Location"]
    location = again.headers["Location"].split("#")[0]
    shown = b.get(location + "&lang=fr").get_data(as_text=True)
    assert "Cette évaluation a déjà un plan d&#39;action" in shown


def test_a_coordinator_adds_an_action_owned_by_a_respondent_and_it_shows_overdue(browser, assessed):
    b = browser()
    page = _build(b, assessed, [])
    plan_id = re.search(r'/assessment/action-plans/([^/]+)/actions"', page).group(1)
    assert '<option value="resp-1">resp-1</option>' in page  # the administration's users
    added = b.post(
        f"/assessment/action-plans/{plan_id}/actions",
        data={
            "csrf_token": CSRF,
            "title": "Name data owners",
            "owner_id": "resp-1",
            "target_date": "2020-01-31",
            "target_level": "3",
            "indicator": "",
        },
    )
    assert added.status_code == 302 and "saved=1" in added.headers["Location"]
    page = b.get(f"/assessment/{assessed}/action-plan?lang=fr").get_data(as_text=True)
    late = [text for text in _rows(page).values() if "Name data owners" in text]
    assert len(late) == 1 and "resp-1" in late[0] and "2020-01-31" in late[0]
    assert "En retard" in late[0] and "Prévue" in late[0]
    assert "1 en retard" in page
    unknown = b.post(
        f"/assessment/action-plans/{plan_id}/actions",
        data={"csrf_token": CSRF, "title": "x", "owner_id": "nobody", "target_date": "2027-01-01"},
    )
    assert "error=unknown_owner" in unknown.headers["Location"]
    invalid = b.post(
        f"/assessment/action-plans/{plan_id}/actions",
        data={"csrf_token": CSRF, "title": "x", "owner_id": "resp-1", "target_date": "soon"},
    )
    assert "error=validation_failed" in invalid.headers["Location"]


def _own_action(browser, client, auth, aid):
    coordinator = auth("coord-adm-1", "adm-1", ("coordinator",))
    plan = client.post(
        f"{BASE}/assessments/{aid}/action-plan", json={"limit": 1}, headers=coordinator
    )
    assert plan.status_code == 201, plan.json
    action = client.post(
        f"{BASE}/action-plans/{plan.json['id']}/actions",
        json={"title": "Data dictionary", "owner_id": "resp-1", "target_date": "2027-03-31"},
        headers=coordinator,
    )
    assert action.status_code == 201, action.json
    return action.json["id"]


def test_an_owner_marks_an_action_done_with_evidence_from_my_actions(
    browser, client, auth, assessed
):
    action_id = _own_action(browser, client, auth, assessed)
    b = browser("resp-1", "adm-1", ("respondent",))
    page = b.get("/assessment/my-actions?lang=fr").get_data(as_text=True)
    assert "Mes actions" in page and "Data dictionary" in page
    assert page.count('data-action="') == 1  # only the action resp-1 owns
    url = f"/assessment/actions/{action_id}"
    refused = b.post(url, data={"csrf_token": CSRF, "status": "done", "back": "mine"})
    assert "error=evidence_required" in refused.headers["Location"]
    shown = b.get(refused.headers["Location"] + "&lang=fr").get_data(as_text=True)
    assert "qu&#39;avec un élément de preuve" in shown
    bad_link = b.post(
        url, data={"csrf_token": CSRF, "status": "done", "evidence_link": "javascript:alert(1)"}
    )
    assert "error=validation_failed" in bad_link.headers["Location"]
    done = b.post(
        url,
        data={
            "csrf_token": CSRF,
            "status": "done",
            "evidence_note": "Adopted by decision 4/2027",
            "evidence_link": "https://intranet.example/decision-4",
            "back": "mine",
        },
    )
    assert done.status_code == 302 and "saved=1" in done.headers["Location"]
    page = b.get("/assessment/my-actions?lang=en").get_data(as_text=True)
    assert "Done" in page and "Adopted by decision 4/2027" in page
    assert 'href="https://intranet.example/decision-4"' in page
    detail = client.get(
        f"{BASE}/actions/{action_id}", headers=auth("coord-adm-1", "adm-1", ("coordinator",))
    ).json
    assert detail["status"] == "done"
    assert detail["evidence"]["note"] == "Adopted by decision 4/2027"


def test_respondents_and_other_administrations_see_no_plan(browser, client, auth, assessed):
    action_id = _own_action(browser, client, auth, assessed)
    respondent = browser("resp-1", "adm-1", ("respondent",))
    assert respondent.get(f"/assessment/{assessed}/action-plan").status_code == 404
    results = respondent.get(f"/assessment/{assessed}/results").get_data(as_text=True)
    assert 'id="plan-h"' not in results
    other = browser("coord-adm-2", "adm-2", ("coordinator",))
    assert other.get(f"/assessment/{assessed}/action-plan").status_code == 404
    changed = other.post(
        f"/assessment/actions/{action_id}",
        data={"csrf_token": CSRF, "status": "dropped", "back": "plan"},
    )
    assert changed.status_code == 404
    assert "Data dictionary" not in other.get("/assessment/my-actions").get_data(as_text=True)
    mine = respondent.get(f"/assessment/actions/{action_id}")
    assert mine.status_code == 405  # the form posts; there is no page per action


def test_a_form_without_the_csrf_token_is_refused(browser, assessed):
    b = browser()
    assert b.post(f"/assessment/{assessed}/action-plan", data={}).status_code == 403


def test_the_next_assessment_shows_the_level_then_and_now_beside_the_actions_taken(
    browser, client, auth, assessed, indicators
):
    coordinator = auth("coord-adm-1", "adm-1", ("coordinator",))
    plan = client.post(
        f"{BASE}/assessments/{assessed}/action-plan", json={"limit": 1}, headers=coordinator
    ).json
    key = indicators["data"][0]
    action = client.post(
        f"{BASE}/action-plans/{plan['id']}/actions",
        json={
            "title": "Name data owners",
            "owner_id": "resp-1",
            "target_date": "2027-03-31",
            "indicators": [key],
        },
        headers=coordinator,
    ).json
    owner = browser("resp-1", "adm-1", ("respondent",))
    done = owner.post(
        f"/assessment/actions/{action['id']}",
        data={"csrf_token": CSRF, "status": "done", "evidence_note": "Decision 4/2027"},
    )
    assert "saved=1" in done.headers["Location"]
    again = submitted(client, auth, "adm-1", {"data": 3, "strategy": 2})
    page = browser().get(f"/assessment/{again}/results?lang=fr").get_data(as_text=True)
    assert "Actions depuis l'évaluation précédente" in page
    row = re.search(rf'<tr data-indicator="{key}">(.*?)</tr>', page, re.S).group(1)
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).split(" ? ")[-1].strip()
    assert cells.endswith("1 3 +2 Name data owners — Réalisée"), cells
    first = browser().get(f"/assessment/{assessed}/results").get_data(as_text=True)
    assert 'id="since-h"' not in first  # nothing before it to compare with
