"""The problem format, language negotiation, request ids and JSON logs."""

import json
import logging

from shared.i18n import negotiate
from shared.logs import JsonFormatter, bind_context, clean_traceparent


def test_unexpected_errors_hide_internals(probe_app):
    response = probe_app.test_client().get("/api/v1/probe/boom")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert "secret" not in response.get_data(as_text=True)
    assert response.json["code"] == "internal_error"


def test_request_id_is_echoed_or_created(probe_app):
    client = probe_app.test_client()
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"}).headers[
        "X-Request-ID"
    ]
    assert len(generated) == 32


def test_problem_lists_field_errors(probe_app):
    response = probe_app.test_client().post("/api/v1/probe/echo", json={"n": "x"})
    assert response.status_code == 422
    assert response.json["errors"] == {"n": ["Not a valid integer."]}
    assert response.json["type"] == "/problems/validation-failed"


def test_language_negotiation_prefers_query_then_cookie_then_header():
    assert negotiate("fr", "en", "en") == "fr"
    assert negotiate(None, "fr", "en") == "fr"
    assert negotiate(None, None, "de, fr;q=0.8, en;q=0.5") == "fr"
    assert negotiate(None, None, "en;q=0.1, fr;q=0") == "en"
    assert negotiate("xx", None, None) == "en"


def test_json_logs_carry_the_request_id():
    bind_context("rid-1", "00-" + "a" * 32 + "-" + "b" * 16 + "-01")
    record = logging.makeLogRecord(
        {"msg": "hello %s", "args": ("é",), "levelname": "INFO", "name": "x", "event_id": "e1"}
    )
    line = json.loads(JsonFormatter("svc").format(record))
    assert line["message"] == "hello é"
    assert line["request_id"] == "rid-1"
    assert line["event_id"] == "e1"
    assert line["service"] == "svc"


def test_problem_field_errors_follow_the_request_language(probe_app):
    client = probe_app.test_client()
    response = client.post(
        "/api/v1/probe/echo", json={"n": "x", "extra": 1}, headers={"Accept-Language": "fr"}
    )
    assert response.status_code == 422
    assert response.json["title"] == "La requête contient des champs invalides"
    assert response.json["errors"] == {
        "n": ["Ce n'est pas un nombre entier valide."],
        "extra": ["Champ inconnu."],
    }
    assert response.headers["Content-Language"] == "fr"


def test_problem_detail_follows_the_request_language(probe_app):
    response = probe_app.test_client().get("/api/v1/probe/echo", headers={"Accept-Language": "fr"})
    assert response.status_code == 405
    assert response.json["detail"] == "Méthode non autorisée"


def test_a_missing_or_malformed_traceparent_is_replaced_by_a_fresh_valid_one():
    valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert clean_traceparent(valid.upper()) == valid
    fresh = {clean_traceparent(value) for value in (None, "", "00-zz-01", None)}
    assert len(fresh) == 4  # each replacement is new, None twice included
    for value in fresh:
        version, trace_id, parent_id, flags = value.split("-")
        assert (version, flags) == ("00", "01")
        assert len(trace_id) == 32 and len(parent_id) == 16
        assert int(trace_id, 16) and int(parent_id, 16)  # hex, and not all zeros (invalid)
