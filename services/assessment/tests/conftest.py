from typing import Any

import pytest
from assessment import create_app


@pytest.fixture
def app(service_config: dict[str, Any]):
    app = create_app(service_config)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(make_token):
    def headers(sub="coord-1", administration_id="adm-1", roles=("coordinator",), **kw):
        return {"Authorization": f"Bearer {make_token(sub, administration_id, roles, **kw)}"}

    return headers
