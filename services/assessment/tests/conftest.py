from typing import Any

import pytest

from assessment import create_app
from shared.conformance import conforming_client

BASE = "/api/v1/assessment"
WORKBOOK_SECRET = "workbook-secret-of-the-tests"


@pytest.fixture
def app(service_config: dict[str, Any]):
    app = create_app({**service_config, "ASSESSMENT_WORKBOOK_SECRET": WORKBOOK_SECRET})
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return conforming_client(app)


@pytest.fixture
def auth(make_token):
    def headers(sub="coord-1", administration_id="adm-1", roles=("coordinator",), **kw):
        return {"Authorization": f"Bearer {make_token(sub, administration_id, roles, **kw)}"}

    return headers


@pytest.fixture
def framework_doc(client, auth):
    listed = client.get(f"{BASE}/frameworks", headers=auth()).json
    latest = [f for f in listed if f["key"] == "ai-ml-readiness"][-1]
    return client.get(
        f"{BASE}/frameworks/ai-ml-readiness/{latest['version']}", headers=auth()
    ).json["document"]


@pytest.fixture
def indicators(framework_doc):
    """Indicator keys by area, in framework order."""
    return {a["key"]: [i["key"] for i in a["indicators"]] for a in framework_doc["areas"]}


@pytest.fixture
def started(client, auth):
    """Start an assessment as coord-1 of adm-1; return its id."""
    response = client.post(f"{BASE}/assessments", json={"title": "Readiness 2026"}, headers=auth())
    assert response.status_code == 201, response.json
    return response.json["id"]
