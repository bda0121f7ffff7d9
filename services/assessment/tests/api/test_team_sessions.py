"""Sessions and teams: invitations, assigned areas, autosave, disagreements, submit, reopen."""

from sqlalchemy import func, select

from assessment.models import Answer, OutboxMessage
from shared.events import CloudEvent

from ..conftest import BASE


def _count(app, model):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _invite(client, auth, aid, user="resp-1", areas=("data",)):
    response = client.put(
        f"{BASE}/assessments/{aid}/participants/{user}",
        json={"name": "Aminata", "areas": list(areas)},
        headers=auth(),
    )
    assert response.status_code == 200, response.json
    return response


def _respondent(auth, user="resp-1"):
    return auth(sub=user, roles=("respondent",))


def test_a_session_is_pinned_to_the_framework_version_it_started_on(client, auth, started):
    body = client.get(f"{BASE}/assessments/{started}", headers=auth()).json
    assert body["framework_key"] == "ai-ml-readiness"
    assert body["framework_version"] == "1.0"
    assert {p["area"] for p in body["progress"]} == {
        "strategy",
        "governance",
        "data",
        "technical",
        "skills",
        "legal",
    }


def test_a_respondent_sees_only_assessments_they_take_part_in(client, auth, started):
    assert client.get(f"{BASE}/assessments", headers=_respondent(auth)).json == []
    assert client.get(f"{BASE}/assessments/{started}", headers=_respondent(auth)).status_code == 404
    _invite(client, auth, started)
    listed = client.get(f"{BASE}/assessments", headers=_respondent(auth)).json
    assert [a["id"] for a in listed] == [started]
    detail = client.get(f"{BASE}/assessments/{started}", headers=_respondent(auth)).json
    assert detail["assigned_areas"] == ["data"]
    assert detail["can_manage"] is False


def test_answers_save_at_once_and_resume_anywhere(client, auth, started, indicators):
    _invite(client, auth, started)
    key = indicators["data"][0]
    saved = client.put(
        f"{BASE}/assessments/{started}/answers/{key}",
        json={"value": 3, "confidence": "high", "comment": "Catalogue in Excel"},
        headers=_respondent(auth),
    )
    assert saved.status_code == 200, saved.json
    again = client.put(
        f"{BASE}/assessments/{started}/answers/{key}",
        json={"value": "dont_know"},
        headers=_respondent(auth),
    )
    assert again.json["value"] == "dont_know"
    mine = client.get(f"{BASE}/assessments/{started}/answers", headers=_respondent(auth)).json
    assert [(a["indicator"], a["value"]) for a in mine] == [(key, "dont_know")]
    progress = client.get(f"{BASE}/assessments/{started}", headers=_respondent(auth)).json
    data = next(p for p in progress["progress"] if p["area"] == "data")
    assert data["answered"] == 1


def test_bad_answers_are_refused_and_change_nothing(client, auth, app, started, indicators):
    _invite(client, auth, started)
    url = f"{BASE}/assessments/{started}/answers"
    unknown = client.put(f"{url}/data.nope", json={"value": 3}, headers=_respondent(auth))
    assert (unknown.status_code, unknown.json["code"]) == (422, "unknown_indicator")
    for bad in (0, 6, "maybe", True, 2.5, None):
        out = client.put(
            f"{url}/{indicators['data'][0]}", json={"value": bad}, headers=_respondent(auth)
        )
        assert out.status_code == 422, bad
        assert "value" in out.json["errors"]
    unassigned = client.put(
        f"{url}/{indicators['legal'][0]}", json={"value": 2}, headers=_respondent(auth)
    )
    assert (unassigned.status_code, unassigned.json["code"]) == (403, "area_not_assigned")
    assert _count(app, Answer) == 0


def test_a_submitted_assessment_is_read_only(client, auth, app, started, indicators):
    key = indicators["data"][0]
    client.put(f"{BASE}/assessments/{started}/answers/{key}", json={"value": 2}, headers=auth())
    assert client.post(f"{BASE}/assessments/{started}/submit", headers=auth()).status_code == 200
    late = client.put(
        f"{BASE}/assessments/{started}/answers/{key}", json={"value": 5}, headers=auth()
    )
    assert (late.status_code, late.json["code"]) == (409, "assessment_submitted")
    answers = client.get(f"{BASE}/assessments/{started}/answers", headers=auth()).json
    assert [a["value"] for a in answers] == [2]


def test_the_coordinator_sees_disagreements_and_records_the_agreed_answer(
    client, auth, started, indicators
):
    key = indicators["data"][0]
    for user, level in (("r1", 1), ("r2", 2), ("r3", 4), ("r4", 5)):
        _invite(client, auth, started, user=user)
        client.put(
            f"{BASE}/assessments/{started}/answers/{key}",
            json={"value": level},
            headers=_respondent(auth, user),
        )
    rows = client.get(f"{BASE}/assessments/{started}/consensus", headers=auth()).json
    (row,) = rows
    assert row["disagreement"] is True
    assert row["combined"] == 3.0
    assert sorted(a["value"] for a in row["answers"]) == [1, 2, 4, 5]
    results = client.get(f"{BASE}/assessments/{started}/results", headers=auth()).json
    assert results["disagreements"] == [key]
    agreed = client.put(
        f"{BASE}/assessments/{started}/agreed/{key}",
        json={"value": 2, "comment": "Agreed in the workshop"},
        headers=auth(),
    )
    assert agreed.status_code == 200
    (row,) = client.get(f"{BASE}/assessments/{started}/consensus", headers=auth()).json
    assert row["combined"] == 2
    assert row["agreed"]["comment"] == "Agreed in the workshop"
    assert (
        client.get(f"{BASE}/assessments/{started}/results", headers=auth()).json["disagreements"]
        == []
    )
    respondent = client.put(
        f"{BASE}/assessments/{started}/agreed/{key}",
        json={"value": 5},
        headers=_respondent(auth, "r1"),
    )
    assert respondent.status_code == 403


def test_submitting_publishes_assessment_submitted_with_what_the_report_needs(
    client, auth, app, started, indicators
):
    for keys in indicators.values():
        for key in keys:
            client.put(
                f"{BASE}/assessments/{started}/answers/{key}", json={"value": 2}, headers=auth()
            )
    response = client.post(
        f"{BASE}/assessments/{started}/submit",
        json={"administration_name": "Douanes du Demo"},
        headers=auth(),
    )
    assert response.status_code == 200
    with app.extensions["db"].session() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    event = CloudEvent.from_json(rows[-1].payload)
    assert event.type == "assessment.submitted"
    assert event.data["administration_id"] == "adm-1"
    assert event.data["administration_name"] == "Douanes du Demo"
    assert {a["area"] for a in event.data["areas"]} == set(indicators)
    assert all(a["level"] == 2.0 for a in event.data["areas"])
    assert event.data["priorities"] and all(p["text"]["fr"] for p in event.data["priorities"])
    assert event.data["notify"] == ["coord-1"]
    assert event.data["details"]["roadmap"]


def test_reopening_is_recorded_and_a_second_submission_is_version_two(client, auth, started):
    client.post(f"{BASE}/assessments/{started}/submit", headers=auth())
    missing = client.post(f"{BASE}/assessments/{started}/reopen", json={}, headers=auth())
    assert missing.status_code == 422
    reopened = client.post(
        f"{BASE}/assessments/{started}/reopen",
        json={"reason": "Legal unit answered late"},
        headers=auth(),
    )
    assert reopened.json["status"] == "in_progress"
    again = client.post(f"{BASE}/assessments/{started}/submit", headers=auth())
    assert again.json["version"] == 2
    history = client.get(f"{BASE}/assessments/{started}/history", headers=auth()).json
    assert [h["action"] for h in history] == ["started", "submitted", "reopened", "submitted"]
    assert history[2]["detail"] == {"reason": "Legal unit answered late"}


def test_every_endpoint_hides_another_administrations_assessment(client, auth, started, indicators):
    other = auth(sub="coord-9", administration_id="adm-2")
    key = indicators["data"][0]
    calls = [
        ("get", f"/assessments/{started}", None),
        ("patch", f"/assessments/{started}", {"title": "x"}),
        ("put", f"/assessments/{started}/answers/{key}", {"value": 1}),
        ("get", f"/assessments/{started}/answers", None),
        ("get", f"/assessments/{started}/results", None),
        ("get", f"/assessments/{started}/consensus", None),
        ("put", f"/assessments/{started}/agreed/{key}", {"value": 1}),
        ("put", f"/assessments/{started}/participants/x", {"name": "x"}),
        ("post", f"/assessments/{started}/submit", None),
        ("get", f"/assessments/{started}/export", None),
        ("get", f"/assessments/{started}/history", None),
        (
            "post",
            f"/assessments/{started}/bulk-answers",
            {"respondents": [{"user_id": "u", "answers": [{"indicator": key, "value": 1}]}]},
        ),
    ]
    for method, path, body in calls:
        response = getattr(client, method)(f"{BASE}{path}", json=body, headers=other)
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.content_type == "application/problem+json"


def test_the_submitted_event_carries_each_answer_with_the_comments_for_the_report(
    client, auth, app, started, indicators
):
    _invite(client, auth, started, user="r1", areas=("data",))
    _invite(client, auth, started, user="r2", areas=("data",))
    key = indicators["data"][0]
    url = f"{BASE}/assessments/{started}/answers/{key}"
    client.put(url, json={"value": 1, "comment": "Surtout papier"}, headers=_respondent(auth, "r1"))
    client.put(url, json={"value": 4, "confidence": "high"}, headers=_respondent(auth, "r2"))
    client.put(
        f"{BASE}/assessments/{started}/answers/{indicators['data'][1]}",
        json={"value": "dont_know"},
        headers=_respondent(auth, "r1"),
    )
    assert client.post(f"{BASE}/assessments/{started}/submit", headers=auth()).status_code == 200
    with app.extensions["db"].session() as session:
        rows = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    sheet = CloudEvent.from_json(rows[-1].payload).data["answers"]
    assert [item["indicator"] for item in sheet] == indicators["data"][:2]
    first = sheet[0]
    assert first["area"] == "data"
    assert first["question"]["fr"].startswith("Quelle part des déclarations")
    assert first["value"] == 2.5  # the median of the respondents
    assert first["level_text"]["en"]  # what level 2 looks like
    assert first["critical"] is True
    assert first["responses"] == [
        {"value": 1, "confidence": None, "comment": "Surtout papier"},
        {"value": 4, "confidence": "high", "comment": ""},
    ]
    assert "respondent_id" not in str(first)
    assert (sheet[1]["value"], sheet[1]["level_text"]) == ("dont_know", {})


def test_refusals_explain_themselves_in_french(client, auth, started, indicators):
    _invite(client, auth, started)
    french = {**_respondent(auth), "Accept-Language": "fr"}
    url = f"{BASE}/assessments/{started}/answers"
    out = client.put(f"{url}/{indicators['data'][0]}", json={"value": 6}, headers=french)
    assert out.json["errors"] == {
        "value": ["Doit être un niveau de 1 à 5, « dont_know » ou « not_applicable »."]
    }
    targets = client.patch(
        f"{BASE}/assessments/{started}",
        json={"targets": {"space": 3}},
        headers={**auth(), "Accept-Language": "fr"},
    )
    assert targets.status_code == 422
    assert targets.json["errors"] == {"targets": ["domaines inconnus : space"]}


def test_refusals_explain_themselves_in_portuguese(client, auth, started, indicators):
    _invite(client, auth, started)
    portuguese = {**_respondent(auth), "Accept-Language": "pt"}
    url = f"{BASE}/assessments/{started}/answers"
    out = client.put(f"{url}/{indicators['data'][0]}", json={"value": 6}, headers=portuguese)
    assert out.status_code == 422
    assert out.headers["Content-Language"] == "pt"
    assert out.json["errors"] == {
        "value": ["Deve ser um nível de 1 a 5, «dont_know» ou «not_applicable»."]
    }
    targets = client.patch(
        f"{BASE}/assessments/{started}",
        json={"targets": {"space": 3}, "title": 5},
        headers={**auth(), "Accept-Language": "pt"},
    )
    assert targets.status_code == 422
    assert targets.json["errors"] == {"title": ["Não é uma cadeia de caracteres válida."]}
    areas = client.patch(
        f"{BASE}/assessments/{started}",
        json={"targets": {"space": 3}},
        headers={**auth(), "Accept-Language": "pt"},
    )
    assert areas.json["errors"] == {"targets": ["domínios desconhecidos: space"]}
