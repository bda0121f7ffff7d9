"""The response checker finds each way an answer can break its OpenAPI document."""

import json

from werkzeug.wrappers import Response

from shared.conformance import Conformance

DOCUMENT = {
    "openapi": "3.0.3",
    "paths": {
        "/api/v1/x/items": {
            "get": {
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Item"},
                                }
                            }
                        },
                        "headers": {"X-Total-Count": {"schema": {"type": "integer", "minimum": 0}}},
                    },
                    "404": {"$ref": "#/components/responses/NOT_FOUND"},
                }
            }
        },
        "/api/v1/x/items/{id}": {
            "delete": {"responses": {"204": {"description": "gone"}}},
            "get": {"responses": {"304": {"description": "not modified"}}},
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "properties": {
                    "at": {"type": "string", "format": "date-time"},
                    "note": {"type": "string", "nullable": True},
                },
                "additionalProperties": False,
            }
        },
        "responses": {
            "NOT_FOUND": {"content": {"application/problem+json": {"schema": {"type": "object"}}}}
        },
    },
}


def _json(value, status=200, mimetype="application/json", headers=None):
    return Response(json.dumps(value), status=status, mimetype=mimetype, headers=headers)


def _problems(response, method="GET", path="/api/v1/x/items"):
    return Conformance(DOCUMENT).problems(method, path, response)


def test_a_conforming_answer_has_no_problem():
    item = {"at": "2026-12-06T01:52:47.738570+00:00", "note": None}
    assert _problems(_json([item], headers={"X-Total-Count": "1"})) == []
    assert _problems(Response(status=204), "DELETE", "/api/v1/x/items/abc") == []


def test_a_not_modified_answer_is_checked_without_content():
    unchanged = Response(status=304, mimetype=None, headers={"ETag": '"v1"'})
    unchanged.headers.pop("Content-Type", None)
    (problem,) = _problems(unchanged, "GET", "/api/v1/x/items/abc")
    assert "header ETag is sent but not documented" in problem
    unchanged.headers.pop("ETag")
    assert _problems(unchanged, "GET", "/api/v1/x/items/abc") == []


def test_a_timestamp_without_offset_breaks_the_schema():
    (problem,) = _problems(_json([{"at": "2026-12-06T01:52:47.738570"}]))
    assert "0/at" in problem and "date-time" in problem


def test_an_undocumented_field_status_content_type_or_header_value_is_reported():
    assert "was unexpected" in _problems(_json([{"extra": 1}]))[0]
    assert "status 500 is not documented" in _problems(_json({}, status=500))[0]
    assert "content type application/json" in _problems(_json({}, status=404))[0]
    assert "X-Total-Count" in _problems(_json([], headers={"X-Total-Count": "{}"}))[0]
    assert (
        "none is documented"
        in _problems(Response(b"x", status=204), "DELETE", "/api/v1/x/items/abc")[0]
    )


def test_requests_outside_the_document_are_not_checked():
    assert _problems(Response(b"<html>", status=200), "GET", "/healthz") == []
