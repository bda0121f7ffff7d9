def test_the_openid_discovery_document_names_the_issuer_and_its_keys(client, app):
    response = client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    document = response.json
    issuer = app.config["AUTH_ISSUER"]
    assert document["issuer"] == issuer
    assert document["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert document["token_endpoint"] == f"{issuer}/api/v1/portal/auth/token"
    assert document["userinfo_endpoint"] == f"{issuer}/api/v1/portal/me"
    assert document["id_token_signing_alg_values_supported"] == ["EdDSA"]
    assert "client_credentials" in document["grant_types_supported"]
    assert {"administration_id", "roles"} <= set(document["claims_supported"])


def test_the_jwks_is_public_and_cacheable_and_holds_no_private_part(client, demo, login):
    login("coordinator@demo.example")
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    (key,) = response.json["keys"]
    assert key["kty"] == "OKP"
    assert key["crv"] == "Ed25519"
    assert key["alg"] == "EdDSA"
    assert key["use"] == "sig"
    assert "d" not in key


def test_the_openapi_document_describes_the_issuer_and_marks_public_endpoints(client):
    spec = client.get("/api/v1/portal/openapi.json").json
    paths = spec["paths"]
    for path in ("/.well-known/jwks.json", "/.well-known/openid-configuration"):
        assert paths[path]["get"]["security"] == []
    assert paths["/api/v1/portal/auth/login"]["post"]["security"] == []
    token = paths["/api/v1/portal/auth/token"]["post"]
    assert token["security"] == [{"apiKey": []}]
    assert "client credentials" in token["summary"]
    assert "JWKS" in token["description"]
    assert "apiKey" in spec["components"]["securitySchemes"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            if method in {"get", "post", "delete"}:
                assert operation.get("summary"), f"{method} {path} has no summary"


def test_the_home_page_speaks_english_or_french_and_links_the_api_docs(client):
    english = client.get("/", headers={"Accept-Language": "en-GB"})
    assert english.status_code == 200
    assert english.content_type.startswith("text/html")
    page = english.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "customs administrations" in page
    assert 'href="/api/v1/portal/docs"' in page
    assert 'href="/?lang=fr"' in page
    french = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert '<html lang="fr">' in french
    assert "administrations douanières" in french
    assert 'href="/?lang=en"' in french


def test_choosing_a_language_on_the_home_page_is_remembered(client):
    chosen = client.get("/?lang=fr")
    assert chosen.headers["Content-Language"] == "fr"
    assert "lang=fr" in chosen.headers["Set-Cookie"]
    again = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in again.get_data(as_text=True)


def test_the_pages_stylesheet_is_served_where_the_pages_link_it(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/site.css">' in page
    with client.get("/static/site.css") as response:  # a file response: close it
        assert response.status_code == 200
        assert response.content_type.startswith("text/css")
        assert b".with-sidebar" in response.get_data()
