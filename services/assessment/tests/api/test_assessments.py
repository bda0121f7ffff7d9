import json

from sqlalchemy import func, select

from assessment import create_app
from assessment.models import OutboxMessage

from ..conftest import BASE


def _count(app, model):
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_coordinator_starts_and_submits_an_assessment(client, auth, app):
    created = client.post("/api/v1/assessment/assessments", json={"title": "2026"}, headers=auth())
    assert created.status_code == 201, created.json
    aid = created.json["id"]
    submitted = client.post(f"/api/v1/assessment/assessments/{aid}/submit", headers=auth())
    assert submitted.status_code == 200
    assert submitted.json["status"] == "submitted"
    assert submitted.json["version"] == 1
    with app.extensions["db"].session() as session:
        types = [row.event_type for row in session.scalars(select(OutboxMessage))]
    assert types == ["assessment.started", "assessment.submitted"]


def test_submitting_twice_is_a_conflict_and_publishes_nothing_more(client, auth, app):
    aid = client.post("/api/v1/assessment/assessments", json={"title": "x"}, headers=auth()).json[
        "id"
    ]
    client.post(f"/api/v1/assessment/assessments/{aid}/submit", headers=auth())
    again = client.post(f"/api/v1/assessment/assessments/{aid}/submit", headers=auth())
    assert again.status_code == 409
    assert again.json["code"] == "assessment_submitted"
    assert _count(app, OutboxMessage) == 2


def test_another_administration_gets_404(client, auth):
    aid = client.post("/api/v1/assessment/assessments", json={"title": "x"}, headers=auth()).json[
        "id"
    ]
    other = auth(sub="coord-2", administration_id="adm-2")
    assert client.get(f"/api/v1/assessment/assessments/{aid}", headers=other).status_code == 404
    response = client.post(f"/api/v1/assessment/assessments/{aid}/submit", headers=other)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert client.get("/api/v1/assessment/assessments", headers=other).json == []


def test_missing_and_forged_tokens_are_401_and_store_nothing(client, app, make_token):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    assert client.post("/api/v1/assessment/assessments", json={"title": "x"}).status_code == 401
    forged = make_token(key=Ed25519PrivateKey.generate())
    response = client.post(
        "/api/v1/assessment/assessments",
        json={"title": "x"},
        headers={"Authorization": f"Bearer {forged}"},
    )
    assert response.status_code == 401
    assert response.json["code"] == "invalid_token"
    expired = make_token(expires_in=-3600)
    assert (
        client.get(
            "/api/v1/assessment/assessments", headers={"Authorization": f"Bearer {expired}"}
        ).status_code
        == 401
    )
    assert (
        client.get(
            "/api/v1/assessment/assessments", headers={"Authorization": "Bearer not-a-jwt"}
        ).status_code
        == 401
    )
    assert _count(app, OutboxMessage) == 0


def test_bad_input_gets_one_problem_format(client, auth, app):
    url = "/api/v1/assessment/assessments"
    malformed = client.post(url, data="{not json", content_type="application/json", headers=auth())
    assert malformed.status_code == 400
    assert malformed.json["code"] == "invalid_json"
    wrong_type = client.post(url, json={"title": 12}, headers=auth())
    assert wrong_type.status_code == 422
    assert "title" in wrong_type.json["errors"]
    unknown = client.post(url, json={"title": "x", "owner": "me"}, headers=auth())
    assert unknown.status_code == 422
    assert "owner" in unknown.json["errors"]
    huge = client.post(
        url,
        data=json.dumps({"title": "x" * 2_000_000}),
        content_type="application/json",
        headers=auth(),
    )
    assert huge.status_code == 413
    assert huge.json["code"] == "payload_too_large"
    assert _count(app, OutboxMessage) == 0


def test_respondent_cannot_start_an_assessment(client, auth):
    response = client.post(
        "/api/v1/assessment/assessments", json={"title": "x"}, headers=auth(roles=("respondent",))
    )
    assert response.status_code == 403
    assert response.json["code"] == "forbidden"


def test_french_is_negotiated_for_problems(client):
    response = client.get("/api/v1/assessment/assessments", headers={"Accept-Language": "fr-FR"})
    assert response.json["title"] == "Authentification requise"
    assert response.headers["Content-Language"] == "fr"


def test_writes_are_limited_per_caller_not_per_address(service_config, make_token):
    limited = create_app(
        {**service_config, "WRITES_PER_CALLER": 3, "ASSESSMENT_WORKBOOK_SECRET": "s"}
    )
    try:
        client = limited.test_client()
        officer = {"Authorization": f"Bearer {make_token('coord-1', 'adm-1', ('coordinator',))}"}
        other = {"Authorization": f"Bearer {make_token('coord-2', 'adm-1', ('coordinator',))}"}
        body = {"title": "Atelier"}
        codes = [
            client.post(f"{BASE}/assessments", json=body, headers=officer).status_code
            for _ in range(3)
        ]
        refused = client.post(
            f"{BASE}/assessments", json=body, headers={**officer, "Accept-Language": "fr"}
        )
        assert codes == [201, 201, 201]
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert "bulk-answers" in refused.json["detail"]
        assert refused.json["detail"].startswith("Trop d'écritures")
        assert client.post(f"{BASE}/assessments", json=body, headers=other).status_code == 201
        assert client.get(f"{BASE}/assessments", headers=officer).status_code == 200  # reads pass
    finally:
        limited.extensions["db"].dispose()
