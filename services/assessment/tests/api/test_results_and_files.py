"""Results, bulk answers, the interchange file, idempotent creation and framework versions."""

import copy

from sqlalchemy import func, select

from assessment.models import Answer, Assessment

from ..conftest import BASE


def _count(app, model):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def _answer_all(client, auth, aid, indicators, level):
    for keys in indicators.values():
        for key in keys:
            r = client.put(
                f"{BASE}/assessments/{aid}/answers/{key}", json={"value": level}, headers=auth()
            )
            assert r.status_code == 200


def test_results_explain_each_level_and_plan_the_next_steps(client, auth, started, indicators):
    _answer_all(client, auth, started, indicators, 2)
    results = client.get(f"{BASE}/assessments/{started}/results", headers=auth()).json
    data = next(a for a in results["areas"] if a["area"] == "data")
    assert data["score"] == 2.0 and data["level"] == 2
    assert data["level_name"] == {"en": "Developing", "fr": "En développement"}
    assert data["coverage"] == 1.0
    assert len(data["explanation"]) == len(indicators["data"])
    assert results["overall"]["indicative"] is True
    assert {row["use_case"] for row in results["feasibility"]} >= {"risk-targeting"}
    assert not any(row["within_reach"] for row in results["feasibility"])
    assert results["priorities"][0]["rank"] == 1
    assert set(results["roadmap"]) == {"0-6", "6-18", "18-36"}
    first = results["priorities"][0]["area"]
    assert first in {"governance", "data"}, "foundations come first"


def test_targets_change_the_gaps(client, auth, started, indicators):
    _answer_all(client, auth, started, indicators, 3)
    before = client.get(f"{BASE}/assessments/{started}/results", headers=auth()).json
    assert before["priorities"] == []
    client.patch(f"{BASE}/assessments/{started}", json={"targets": {"data": 5}}, headers=auth())
    after = client.get(f"{BASE}/assessments/{started}/results", headers=auth()).json
    assert {p["area"] for p in after["priorities"]} == {"data"}
    bad = client.patch(
        f"{BASE}/assessments/{started}", json={"targets": {"finance": 3}}, headers=auth()
    )
    assert bad.status_code == 422


def test_bulk_answers_are_all_or_nothing(client, auth, app, started, indicators):
    key = indicators["data"][0]
    good = {
        "user_id": "officer-1",
        "name": "Ousmane",
        "answers": [{"indicator": key, "value": 4, "confidence": "low"}],
    }
    bad = {"user_id": "officer-2", "answers": [{"indicator": "data.nope", "value": 4}]}
    refused = client.post(
        f"{BASE}/assessments/{started}/bulk-answers",
        json={"respondents": [good, bad]},
        headers=auth(),
    )
    assert refused.status_code == 422
    assert "respondents.1.answers.0.indicator" in refused.json["errors"]
    assert _count(app, Answer) == 0
    accepted = client.post(
        f"{BASE}/assessments/{started}/bulk-answers", json={"respondents": [good]}, headers=auth()
    )
    assert accepted.json == {"saved": 1}
    client_key = auth(sub="apikey:1", roles=("client",))
    by_machine = client.post(
        f"{BASE}/assessments/{started}/bulk-answers",
        json={"respondents": [good]},
        headers=client_key,
    )
    assert by_machine.status_code == 200


def test_export_then_import_gives_the_same_scores(client, auth, started, indicators):
    _answer_all(client, auth, started, indicators, 3)
    client.put(
        f"{BASE}/assessments/{started}/answers/{indicators['legal'][0]}",
        json={"value": "not_applicable"},
        headers=auth(),
    )
    exported = client.get(f"{BASE}/assessments/{started}/export", headers=auth())
    assert exported.headers["Content-Disposition"].startswith("attachment")
    document = exported.json
    assert document["format"] == "smartcustoms.assessment"
    assert document["framework"] == {"key": "ai-ml-readiness", "version": "1.0"}
    other_admin = auth(sub="coord-7", administration_id="adm-7")
    imported = client.post(f"{BASE}/assessments/import", json=document, headers=other_admin)
    assert imported.status_code == 201, imported.json
    new_id = imported.json["id"]
    again = client.get(f"{BASE}/assessments/{new_id}/results", headers=other_admin).json
    assert [a["score"] for a in again["areas"]] == [
        a["score"] for a in document["results"]["areas"]
    ]


def test_a_broken_interchange_file_is_refused_and_nothing_is_created(client, auth, app, started):
    document = client.get(f"{BASE}/assessments/{started}/export", headers=auth()).json
    for mutate in (
        lambda d: d.update(format="other"),
        lambda d: d["answers"].append({"respondent": "x", "indicator": "nope", "value": 2}),
        lambda d: d["framework"].update(version="9.9"),
        lambda d: d.pop("assessment"),
    ):
        broken = copy.deepcopy(document)
        mutate(broken)
        response = client.post(f"{BASE}/assessments/import", json=broken, headers=auth())
        assert response.status_code in (404, 422), response.json
    assert _count(app, Assessment) == 1


def test_an_idempotency_key_creates_once(client, auth, app):
    headers = {**auth(), "Idempotency-Key": "abc-1"}
    first = client.post(f"{BASE}/assessments", json={"title": "Once"}, headers=headers)
    second = client.post(f"{BASE}/assessments", json={"title": "Once"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    other = client.post(f"{BASE}/assessments", json={"title": "Other"}, headers=headers)
    assert (other.status_code, other.json["code"]) == (422, "idempotency_key_reused")
    assert _count(app, Assessment) == 1


def test_a_new_framework_version_leaves_old_sessions_pinned(client, auth, started, framework_doc):
    operator = auth(sub="op", administration_id=None, roles=("operator",))
    new = copy.deepcopy(framework_doc)
    new["version"] = "1.1"
    old_key = new["areas"][2]["indicators"][0]["key"]
    new["areas"][2]["indicators"][0]["key"] = "data.renamed"
    new["mappings"] = [{"from_version": "1.0", "indicators": {old_key: "data.renamed"}}]
    assert (
        client.post(f"{BASE}/frameworks", json={"document": new}, headers=auth()).status_code == 403
    )
    published = client.post(f"{BASE}/frameworks", json={"document": new}, headers=operator)
    assert published.status_code == 201, published.json
    again = client.post(f"{BASE}/frameworks", json={"document": new}, headers=operator)
    assert (again.status_code, again.json["code"]) == (409, "framework_version_exists")
    invalid = copy.deepcopy(new)
    invalid["version"] = "1.2"
    del invalid["areas"][0]["name"]["fr"]
    refused = client.post(f"{BASE}/frameworks", json={"document": invalid}, headers=operator)
    assert refused.status_code == 422
    assert (
        client.get(f"{BASE}/assessments/{started}", headers=auth()).json["framework_version"]
        == "1.0"
    )
    newer = client.post(f"{BASE}/assessments", json={"title": "Next"}, headers=auth()).json
    assert newer["framework_version"] == "1.1"


def test_a_reassessment_shows_progress_since_the_previous_one(client, auth, started, indicators):
    _answer_all(client, auth, started, indicators, 2)
    client.post(f"{BASE}/assessments/{started}/submit", headers=auth())
    second = client.post(f"{BASE}/assessments", json={"title": "2027"}, headers=auth()).json
    assert second["previous_id"] == started
    _answer_all(client, auth, second["id"], indicators, 3)
    results = client.get(f"{BASE}/assessments/{second['id']}/results", headers=auth()).json
    assert results["progress"] == {area: 1.0 for area in indicators}
