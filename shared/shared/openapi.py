"""What every service's OpenAPI document says about refusals and common headers.

Every refusal is an RFC 9457 problem (``application/problem+json``, the ``Problem`` schema, with
``errors`` for 422). Each operation documents the refusals it can answer: 401 and 403 when it
needs a token or names the roles it takes (``x-roles``, see ``shared.auth.require``), 404 when
its path names a resource, 400/413/415/422 when it reads input, 409 and 429 when it writes; 429
and 503 carry ``Retry-After``. Every answer documents ``X-Request-ID``.
"""

from __future__ import annotations

import http
from typing import Any

from apispec import APISpec, BasePlugin
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from shared.errors import PROBLEM_MEDIA_TYPE, ProblemSchema
from shared.text import documented_text_rule

_WRITES = {"post", "put", "patch", "delete"}
_RETRY_AFTER = {
    "description": "Seconds to wait before trying again",
    "schema": {"type": "integer", "minimum": 0},
}
REQUEST_ID_HEADER = {
    "description": "The request's id (the caller's X-Request-ID when valid), also in logs",
    "schema": {"type": "string"},
}


def _refusals(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """Return the refusal statuses ``operation`` can answer, by what it takes and does."""
    statuses: list[int] = []
    if operation.get("security") != [] or operation.get("x-roles"):
        statuses += [401, 403]
    if "{" in path:
        statuses.append(404)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append(422)
    if operation.get("requestBody"):
        statuses += [400, 413, 415]
    if method in _WRITES:
        statuses += [409, 429]
    return statuses


def _stated_additional_properties(
    converter: Any, field: Any, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """Let a field's metadata close a dict (apispec derives ``additionalProperties`` itself)."""
    stated = field.metadata.get("additionalProperties")
    if stated is None:
        return {}
    ret.pop("minLength", None)  # a Length validator on a dict counts keys, said by minProperties
    ret.pop("maxLength", None)
    return {"additionalProperties": stated}


class ProblemsPlugin(BasePlugin):
    """Document each operation's refusals and the headers every answer carries."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        """Add the refusal responses and the ``X-Request-ID`` header to each operation."""
        for method, operation in (operations or {}).items():
            if method not in {"get", "head", "options", "trace", *_WRITES}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _refusals(path or "", method, operation):
                responses.setdefault(str(status), http.HTTPStatus(status).name)
            for response in responses.values():
                if isinstance(response, dict):
                    response.setdefault("headers", {}).setdefault("X-Request-ID", REQUEST_ID_HEADER)


class ServiceApi(Api):  # type: ignore[misc]
    """flask-smorest's Api whose error responses are problem details, documented as such."""

    ERROR_SCHEMA = ProblemSchema

    def _init_spec(self, **kwargs: Any) -> None:
        super()._init_spec(**kwargs)
        self.ma_plugin.converter.add_attribute_function(_stated_additional_properties)
        self.ma_plugin.converter.add_attribute_function(documented_text_rule)

    def _register_responses(self) -> None:
        spec: APISpec = self.spec
        for status in http.HTTPStatus:
            if status < 400:
                continue
            response: dict[str, Any] = {"description": status.phrase, "schema": self.ERROR_SCHEMA}
            headers = {"X-Request-ID": REQUEST_ID_HEADER}
            if status in (429, 503):
                headers["Retry-After"] = _RETRY_AFTER
            if status == 405:
                headers["Allow"] = {
                    "description": "The methods the path takes",
                    "schema": {"type": "string"},
                }
            response["headers"] = headers
            prepare_response(response, spec, PROBLEM_MEDIA_TYPE)
            spec.components.response(status.name, response, lazy=True)
        default: dict[str, Any] = {
            "description": "Unexpected error",
            "schema": self.ERROR_SCHEMA,
            "headers": {"X-Request-ID": REQUEST_ID_HEADER},
        }
        prepare_response(default, spec, PROBLEM_MEDIA_TYPE)
        spec.components.response("DEFAULT_ERROR", default, lazy=True)


def problems_plugin() -> ProblemsPlugin:
    """Return the plugin documenting refusals (one per Api: plugins hold their spec)."""
    return ProblemsPlugin()
